// Healing a crash loop over the memory limit (heal/limitRaised, kernel/autonomy/watch.ts), on
// generated specs: the limit only ever doubles, never past memory x the spec's nor the node's
// heap; no process holds more than the limit in force (checkInvariants after every event); the
// same journal twice; a seek gives the live hash (the limit is state).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { kernelFor } from '../helpers/kernel';
import { events } from '../helpers/queries';
import { checkInvariants } from '../../src/kernel/invariants';
import { parseSpec } from '../../src/spec';

const spec = (seed: number, limitKiB: number, bigKiB: number, factor: number, heal: 'on' | 'off') => `agentos: 1
seed: ${seed}
kernel: { memory: 512KiB }
autonomy: { heal: ${heal}, memory: ${factor} }
agents:
  feed: { program: producer, args: { size: 64B, every: 500us, port: out } }
  w:
    memory: ${limitKiB}KiB
    restart: { policy: on-failure, max: 1000, backoff: 200us }
    program:
      - repeat: forever
        do:
          - recv: in
          - choose:
              - { weight: 2, do: [ { alloc: { size: ${Math.max(1, limitKiB >> 1)}KiB, as: b } }, { compute: 100us..300us }, { free: b } ] }
              - { weight: 1, do: [ { alloc: { size: ${bigKiB}KiB, as: b } }, { compute: 100us..300us }, { free: b } ] }
channels:
  - { from: feed.out, to: w.in, capacity: 8 }
`;

describe('heal/limitRaised on generated specs', () => {
  it('doubles within memory x and the node heap; invariants after every event; same journal twice; seeks give the live hash', async () => {
    let raises = 0;
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 4, max: 128 }), fc.integer({ min: 2, max: 600 }), fc.integer({ min: 1, max: 16 }),
      async (seed, limitKiB, bigKiB, factor) => {
        const text = spec(seed, limitKiB, bigKiB, factor, 'on');
        const where = `SEED=${seed} limit=${limitKiB}KiB big=${bigKiB}KiB memory=${factor}`;
        const a = await kernelFor(text), b = await kernelFor(text);
        while (a.cursor < 3000) {
          const before = a.cursor;
          a.run({ events: a.cursor + 1 });
          if (a.cursor === before) break;
          checkInvariants(a.ctx, a.machine.state);
        }
        b.run({ events: a.cursor });
        expect(b.stateHash(), where).toBe(a.stateHash());
        const bound = Math.min(limitKiB * 1024 * factor, 512 * 1024);
        let previous = limitKiB * 1024;
        for (const raised of events(a, 'heal/limitRaised')) {
          expect(raised.limit, where).toBe(Math.min(bound, previous * 2));
          previous = raised.limit;
          raises++;
        }
        if (factor === 1) expect(events(a, 'heal/limitRaised'), where).toEqual([]);
        const middle = a.cursor >> 1;
        const live = await kernelFor(text);
        live.run({ events: middle });
        a.seek(middle);
        expect(a.stateHash(), where).toBe(live.stateHash());
      }), { numRuns: 15, seed: 29 });
    expect(raises, 'some generated runs crash-loop over their limit and get it raised').toBeGreaterThan(3);
  }, 240_000);

  it('heal: off never raises it; the key is checked at line:column', async () => {
    const off = await kernelFor(spec(3, 16, 40, 4, 'off'));
    off.run({ events: 3000 });
    expect(events(off, 'heal/limitRaised')).toEqual([]);
    const result = parseSpec(spec(3, 16, 40, 4, 'on').replace('memory: 4 }', 'memory: 17 }'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((error) => `${error.path} ${error.line}:${error.column}`)).toEqual(['autonomy.memory 4:31']);
  });
});
