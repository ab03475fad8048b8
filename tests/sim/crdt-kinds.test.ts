// Five replicas of each non-text CRDT over a network that delays, reorders, drops, duplicates,
// relays and disconnects; then a full sync: every replica must have the same value and hash.
// Seeded; a failure prints SEED=<n>.
import { describe, expect, it } from 'vitest';
import { privateCrdtCore, setDefaultCrdtBuild } from '../../src/crdt/index';
import { ALL_KINDS, type Kind, type Replicated } from '../helpers/crdt-kinds';
import { Xoshiro128 } from '../reference/xoshiro128';

setDefaultCrdtBuild('debug');
const REPLICAS = 5;

function simulate<D extends Replicated>(kind: Kind<D>, seed: number, steps: number): void {
  const random = new Xoshiro128(seed);
  const core = privateCrdtCore({ ioBytes: 1 << 17, recordsMax: 64 });
  const ids = new Set<number>();
  while (ids.size < REPLICAS) ids.add(random.below(1000));
  const docs = [...ids].map((id) => kind.create(id, core));
  const pending: Uint8Array[][] = docs.map(() => []);
  let network: { to: number; bytes: Uint8Array }[] = [];
  const offline = new Set<number>();
  const context = `${kind.name} SEED=${seed}`;
  for (let step = 0; step < steps; step++) {
    const who = random.below(REPLICAS);
    const action = random.below(100);
    if (action < 45) {
      kind.randomOp(docs[who], random);
    } else if (action < 70) {
      const to = random.below(REPLICAS);
      if (to === who || offline.has(who) || offline.has(to)) continue;
      const bytes = random.below(8) === 0 ? docs[who].encodeState() : docs[who].encodeDelta(docs[to].stateVector());
      if (random.below(10) === 0) continue; // dropped
      network.push({ to, bytes });
      if (random.below(8) === 0) network.push({ to, bytes }); // duplicated
      if (random.below(6) === 0) network.push({ to: random.below(REPLICAS), bytes }); // relayed
    } else if (action < 95) {
      if (network.length === 0) continue;
      const [message] = network.splice(random.below(network.length), 1);
      if (offline.has(message.to)) continue;
      const doc = docs[message.to];
      if (!doc.tryApplyDelta(message.bytes)) { pending[message.to].push(message.bytes); continue; }
      for (let pass = 0; pass <= pending[message.to].length; pass++) {
        const ready = pending[message.to].findIndex((bytes) => doc.tryApplyDelta(bytes));
        if (ready < 0) break;
        pending[message.to].splice(ready, 1);
      }
    } else {
      if (offline.has(who)) offline.delete(who); else offline.add(who);
      network = network.filter((message) => !offline.has(message.to));
    }
  }
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < REPLICAS; i++) {
      const from = docs[i], to = docs[(i + 1) % REPLICAS];
      to.applyDelta(from.encodeDelta(to.stateVector()));
    }
  }
  const value = kind.value(docs[0]);
  const hash = docs[0].hash();
  for (const doc of docs) {
    expect(kind.value(doc), context).toEqual(value);
    expect(doc.hash(), context).toBe(hash);
  }
}

describe.each(ALL_KINDS.map((kind) => [kind.name, kind] as const))('five %s replicas over a lossy network', (_, kind) => {
  const base = Number(process.env.CRDT_SIM_SEED ?? 20261122);
  for (let run = 0; run < 4; run++) {
    it(`converge after random ops and full sync (SEED=${base + run})`, () => simulate(kind, base + run, 1500));
  }
});

// Seeds that once failed, pinned whatever CRDT_SIM_SEED says.
describe('pinned regressions', () => {
  // graph: a full OR-set state merge was refused as "doc full" because the capacity check
  // counted every incoming add as a new element (fixed: precise count when the quick one fails)
  for (const seed of [20261122, 20261124]) {
    it(`graph SEED=${seed}`, () => simulate(ALL_KINDS.find((kind) => kind.name === 'graph')!, seed, 1500));
  }
});
