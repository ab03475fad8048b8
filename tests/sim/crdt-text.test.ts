// Yjs-style randomized test: five replicas edit at random, exchange deltas over a network that
// delays, reorders, drops, duplicates and disconnects, then sync fully: every replica must hold
// the same text and hash. Between merges each replica must behave like a plain string.
// Seeded; a failure prints SEED=<n>. Seeds that ever failed are pinned below.
import { describe, expect, it } from 'vitest';
import { TextDoc, privateCrdtCore, setDefaultCrdtBuild, type CrdtCore } from '../../src/crdt/index';
import { Xoshiro128 } from '../reference/xoshiro128';

setDefaultCrdtBuild('debug');

const REPLICAS = 5;
const ALPHABET = ['a', 'b', 'c', 'd', 'e', ' ', '\n', 'é', '😀', 'ẞ'];

interface Message { to: number; bytes: Uint8Array }

function randomText(random: Xoshiro128): string {
  const length = 1 + random.below(random.below(4) === 0 ? 12 : 3);
  let text = '';
  for (let i = 0; i < length; i++) text += ALPHABET[random.below(ALPHABET.length)];
  return text;
}

function runSimulation(seed: number, steps: number): number {
  const random = new Xoshiro128(seed);
  const core: CrdtCore = privateCrdtCore({ ioBytes: 1 << 18, recordsMax: 1 << 14 });
  // replica ids: random, so tie-breaks by id are exercised in every order
  const ids = new Set<number>();
  while (ids.size < REPLICAS) ids.add(random.below(1000));
  const docs = [...ids].map((id) => new TextDoc(id, { core, itemsMax: 1 << 14, charsMax: 1 << 16 }));
  const models = docs.map(() => [] as string[]); // code points
  const pending: Message[][] = docs.map(() => []);
  const staleVectors: Uint8Array[][] = docs.map(() => docs.map((doc) => doc.stateVector()));
  let network: Message[] = [];
  const offline = new Set<number>();
  const context = () => `SEED=${seed}`;
  let notReady = 0;

  const deliver = (message: Message) => {
    const doc = docs[message.to];
    if (!doc.tryApplyDelta(message.bytes)) { pending[message.to].push(message); notReady++; return; }
    // a delta may unblock earlier ones: retry (bounded: each pass applies one or stops)
    for (let pass = 0; pass < pending[message.to].length + 1; pass++) {
      const ready = pending[message.to].findIndex((held) => doc.tryApplyDelta(held.bytes));
      if (ready < 0) break;
      pending[message.to].splice(ready, 1);
    }
    models[message.to] = [...doc.toString()];
  };

  for (let step = 0; step < steps; step++) {
    const who = random.below(REPLICAS);
    const doc = docs[who];
    const model = models[who];
    const action = random.below(100);
    if (action < 40) {
      const pos = random.below(model.length + 1);
      const text = randomText(random);
      doc.insert(pos, text);
      model.splice(pos, 0, ...text);
    } else if (action < 60) {
      if (model.length === 0) continue;
      const pos = random.below(model.length);
      const count = 1 + random.below(Math.min(model.length - pos, 8));
      doc.delete(pos, count);
      model.splice(pos, count);
    } else if (action < 85) {
      // send what `to` misses, against a fresh or a stale view of its state vector
      const to = random.below(REPLICAS);
      if (to === who || offline.has(who) || offline.has(to)) continue;
      const kind = random.below(10);
      const vector = kind < 6 ? docs[to].stateVector() : kind < 9 ? staleVectors[who][to] : new Uint8Array(0);
      const bytes = vector.length ? doc.encodeDelta(vector) : doc.encodeState();
      staleVectors[who][to] = docs[to].stateVector();
      if (random.below(10) === 0) continue; // dropped
      network.push({ to, bytes });
      if (random.below(8) === 0) network.push({ to, bytes }); // duplicated
      // gossip: a copy relayed to a third replica, which may lack what the delta builds on
      if (random.below(6) === 0) network.push({ to: random.below(REPLICAS), bytes });
    } else if (action < 95) {
      if (network.length === 0) continue;
      const index = random.below(network.length); // any order
      const [message] = network.splice(index, 1);
      if (!offline.has(message.to)) deliver(message);
    } else {
      // disconnect or reconnect one replica; messages to it while away are lost
      if (offline.has(who)) offline.delete(who); else offline.add(who);
      network = network.filter((message) => !offline.has(message.to));
    }
    if (step % 50 === 0) expect(doc.toString(), context()).toBe(models[who].join(''));
  }
  // heal, then full sync in a ring twice: everyone ends with everything
  offline.clear();
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < REPLICAS; i++) {
      const from = docs[i], to = docs[(i + 1) % REPLICAS];
      to.applyDelta(from.encodeDelta(to.stateVector()));
    }
  }
  const text = docs[0].toString();
  const hash = docs[0].hash();
  for (const doc of docs) {
    expect(doc.toString(), context()).toBe(text);
    expect(doc.hash(), context()).toBe(hash);
    expect(doc.length, context()).toBe([...text].length);
  }
  // and a replica rebuilt from any one state agrees
  expect(TextDoc.fromState(docs[3].encodeState(), 99, { core, itemsMax: 1 << 14, charsMax: 1 << 16 }).toString(), context()).toBe(text);
  return notReady;
}

describe('five text replicas over a lossy, reordering network', () => {
  const base = Number(process.env.CRDT_SIM_SEED ?? 20261122);
  for (let run = 0; run < 12; run++) {
    const seed = base + run;
    it(`converge after random edits and full sync (SEED=${seed})`, () => {
      runSimulation(seed, 1500);
    });
  }
  it('the network really delivers deltas that are not ready yet (the test can see reordering)', () => {
    let notReady = 0;
    for (let seed = 1; seed <= 4; seed++) notReady += runSimulation(seed, 400);
    expect(notReady).toBeGreaterThan(0);
  });
});
