// The tab-to-tab protocol of the shared spec draft (src/collab): tabs editing at once, with every
// message delivered in any order, some of them twice, end with the same text; a tab that joins
// later catches up; a load (a new generation) wins everywhere; hostile messages are refused.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { setDefaultCrdtBuild } from '../../src/crdt/index';
import { CollabSession, type SavedDoc } from '../../src/collab/session';
import { COLLAB_PROTOCOL_VERSION, MESSAGE_BYTES_MAX, parseMessage, type Message } from '../../src/collab/protocol';

setDefaultCrdtBuild('debug');

interface Envelope { to: number; message: Message }

/** Tabs on one simulated channel: what a tab posts is queued for every other tab, delivered when the test says. */
class Bus {
  readonly tabs: CollabSession[] = [];
  readonly queue: Envelope[] = [];
  #ids = 0;
  posted = 0;

  open(text: string, saved?: SavedDoc): CollabSession {
    const replicaId = this.tabs.length + 1;
    let session: CollabSession | undefined;
    const post = (message: Message) => {
      this.posted++;
      // structured clone, as BroadcastChannel does: nobody shares a buffer
      const copy = structuredClone(message);
      for (const tab of this.tabs) if (tab !== session) this.queue.push({ to: tab.replicaId, message: copy });
    };
    session = new CollabSession({ replicaId, post, newGenerationId: () => (++this.#ids).toString(16).padStart(16, '0') }, text, saved);
    this.tabs.push(session);
    return session;
  }

  deliver(index: number, keep: boolean): void {
    if (this.queue.length === 0) return;
    const at = index % this.queue.length;
    const envelope = this.queue[at];
    if (!keep) this.queue.splice(at, 1);
    this.tabs.find((tab) => tab.replicaId === envelope.to)?.receive(envelope.message);
  }

  /** Delivers everything (in the order `pick` chooses), answers included. */
  settle(pick: (length: number) => number = () => 0): void {
    for (let steps = 0; this.queue.length > 0; steps++) {
      if (steps > 200_000) throw new Error('messages never stop');
      this.deliver(pick(this.queue.length), false);
    }
  }
}

type Action =
  | { kind: 'edit'; tab: number; at: number; remove: number; insert: string }
  | { kind: 'deliver'; index: number; duplicate: boolean }
  | { kind: 'load'; tab: number; text: string };

const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '\n', ' ', 'é', '😀'), maxLength: 6 });
const action = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('edit' as const), tab: fc.nat(), at: fc.nat(), remove: fc.nat({ max: 3 }), insert: text }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('deliver' as const), index: fc.nat(), duplicate: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('load' as const), tab: fc.nat(), text }) },
);

function run(bus: Bus, actions: readonly Action[]): void {
  for (const step of actions) {
    if (step.kind === 'deliver') { bus.deliver(step.index, step.duplicate); continue; }
    const tab = bus.tabs[step.tab % bus.tabs.length];
    if (step.kind === 'load') { tab.replace(step.text); continue; }
    const length = [...tab.text].length;
    const at = step.at % (length + 1);
    tab.edit([{ at, remove: Math.min(step.remove, length - at), insert: step.insert }]);
  }
}

function expectConverged(bus: Bus): string {
  const texts = bus.tabs.map((tab) => tab.text);
  for (const value of texts) expect(value).toBe(texts[0]);
  for (const tab of bus.tabs) {
    expect(tab.generation).toEqual(bus.tabs[0].generation);
    expect(tab.pendingCount).toBe(0);
    expect(tab.refused.count).toBe(0);
    tab.doc.checkIndex();
  }
  return texts[0];
}

describe('collab protocol: tabs sharing a draft', () => {
  it('converges under any delivery order and duplication of deltas (3 tabs, loads included)', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), fc.array(fc.nat(), { minLength: 1, maxLength: 16 }), (actions, order) => {
        const bus = new Bus();
        for (let i = 0; i < 3; i++) bus.open('name: draft\n');
        run(bus, actions);
        let k = 0;
        bus.settle((length) => order[k++ % order.length] % length);
        expectConverged(bus);
      }),
      { numRuns: 150 },
    );
  });

  it('without loads, nothing typed is lost: every tab ends with every tab’s own insertions', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 2 }), fc.nat(), fc.nat({ max: 5 })), { maxLength: 40 }), (steps) => {
        const bus = new Bus();
        for (let i = 0; i < 3; i++) bus.open('');
        // each tab appends its own marker letters (never deleting): the end text holds each once
        const letters = ['x', 'y', 'z'];
        const typed = [0, 0, 0];
        for (const [tab, at, deliver] of steps) {
          const session = bus.tabs[tab];
          session.edit([{ at: at % (session.text.length + 1), remove: 0, insert: letters[tab] }]);
          typed[tab]++;
          for (let i = 0; i < deliver; i++) bus.deliver(at + i, i % 2 === 1);
        }
        bus.settle((length) => length - 1);
        const end = expectConverged(bus);
        for (const [tab, letter] of letters.entries()) expect(end.split(letter).length - 1).toBe(typed[tab]);
      }),
      { numRuns: 100 },
    );
  });

  it('a tab that opens later catches up from the others (hello, state, delta back)', () => {
    const bus = new Bus();
    const a = bus.open('name: one\n');
    const b = bus.open('name: one\n');
    bus.settle();
    a.edit([{ at: 0, remove: 0, insert: '# from a\n' }]);
    b.edit([{ at: 10, remove: 0, insert: 'x' }]);
    bus.settle();
    // c restored the draft from before these edits: it seeds the same generation and catches up
    const c = bus.open('name: one\n');
    expect(c.text).toBe('name: one\n');
    bus.settle();
    expect(c.text).toBe(a.text);
    expect(a.text).toBe('# from a\nname: one\nx');
    expectConverged(bus);
  });

  it('a later tab that restored a saved doc merges with the tabs that kept editing after the save', () => {
    const bus = new Bus();
    const a = bus.open('v: 1\n');
    a.edit([{ at: 5, remove: 0, insert: 'saved: yes\n' }]);
    const saved = a.save();
    const savedText = a.text;
    a.edit([{ at: 0, remove: 0, insert: '# after the save\n' }]);
    bus.settle();
    const b = bus.open(savedText, saved);
    expect(b.generation).toEqual(a.generation);
    b.edit([{ at: [...b.text].length, remove: 0, insert: 'b: 2\n' }]);
    bus.settle();
    expect(expectConverged(bus)).toBe('# after the save\nv: 1\nsaved: yes\nb: 2\n');
  });

  it('a load in one tab replaces the draft in every tab, also in one that opens later', () => {
    const bus = new Bus();
    const a = bus.open('old\n');
    const b = bus.open('old\n');
    bus.settle();
    b.edit([{ at: 0, remove: 0, insert: 'typed ' }]);
    a.replace('example: 1\n');
    bus.settle();
    expect(expectConverged(bus)).toBe('example: 1\n');
    expect(a.generation.n).toBe(1);
    // a tab restoring the old draft from storage adopts the load too
    bus.open('typed old\n');
    bus.settle();
    expect(expectConverged(bus)).toBe('example: 1\n');
  });

  it('two loads at once: the greater generation wins in every tab', () => {
    const bus = new Bus();
    const a = bus.open('x');
    const b = bus.open('x');
    bus.settle();
    a.replace('from a');
    b.replace('from b');
    bus.settle((length) => length - 1);
    const end = expectConverged(bus);
    expect(['from a', 'from b']).toContain(end);
  });

  it('a saved doc that does not hold the saved text is not trusted: generation 0 of the text', () => {
    const bus = new Bus();
    const a = bus.open('abc');
    const saved = a.save();
    const b = bus.open('something else', saved);
    expect(b.text).toBe('something else');
    expect(b.generation.n).toBe(0);
    expect(b.generation.id).not.toBe(a.generation.id);
    expect(b.refused.count).toBe(1);
  });
});

describe('collab protocol: messages', () => {
  it('refuses anything that is not a message of this version, without throwing', () => {
    const bus = new Bus();
    const a = bus.open('keep me');
    fc.assert(
      fc.property(fc.anything({ withTypedArray: true, withMap: true, withBigInt: true }), (raw) => {
        a.receive(raw);
        expect(a.text).toBe('keep me');
      }),
      { numRuns: 300 },
    );
    expect(parseMessage({ v: COLLAB_PROTOCOL_VERSION + 1, kind: 'delta' })).toMatch(/protocol version/);
    const gen = { n: 0, id: '0'.repeat(16) };
    expect(parseMessage({ v: 1, kind: 'delta', from: 2, gen, bytes: new Uint8Array(MESSAGE_BYTES_MAX + 1) })).toMatch(/larger than/);
    expect(parseMessage({ v: 1, kind: 'delta', from: 0, gen, bytes: new Uint8Array(1) })).toMatch(/sender/);
    expect(parseMessage({ v: 1, kind: 'delta', from: 2, gen: { n: 0, id: 'XYZ' }, bytes: new Uint8Array(1) })).toMatch(/generation/);
  });

  it('damaged deltas of the right shape are refused and change nothing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(), (noise, seed) => {
        const bus = new Bus();
        const a = bus.open('same');
        const b = bus.open('same');
        bus.settle();
        a.edit([{ at: 2, remove: 1, insert: 'XY' }]);
        const real = bus.queue.find((e) => e.message.kind === 'delta')!.message as Extract<Message, { kind: 'delta' }>;
        const bytes = real.bytes.slice();
        if (noise.length > 0) bytes[seed % bytes.length] ^= noise[0] | 1;
        b.receive({ ...real, bytes: noise.length > 1 ? noise : bytes });
        // whatever b did with the damaged copy, the real one still converges it
        bus.settle();
        expect(b.text).toBe(a.text);
      }),
      { numRuns: 200 },
    );
  });
});
