import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadDebugCore } from '../helpers/core';
import { Xoshiro128 } from '../reference/xoshiro128';

// Published outputs of the reference C xoshiro128** from state {1, 2, 3, 4} (the same vector
// the rand_xoshiro crate checks against).
const KNOWN_ANSWER = [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804];

describe('wasm PRNG (xoshiro128**)', () => {
  it('matches the reference implementation from state 1,2,3,4', async () => {
    const core = await loadDebugCore();
    core.prng.setState([1, 2, 3, 4]);
    expect(KNOWN_ANSWER.map(() => core.prng.nextU32())).toEqual(KNOWN_ANSWER);
  });

  it('reports a debug build with assertions on and a version', async () => {
    const core = await loadDebugCore();
    expect(core.assertionsEnabled).toBe(true);
    expect(core.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('refuses the all-zero state', async () => {
    const core = await loadDebugCore();
    expect(() => core.prng.setState([0, 0, 0, 0])).toThrow(/all zero/);
  });

  it('same seed, same stream; the TypeScript reference agrees on seeding, draws and bounds', async () => {
    const core = await loadDebugCore();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 0xffffffff }), async (seed, bound) => {
        const reference = new Xoshiro128(seed);
        core.prng.seed(seed);
        for (let i = 0; i < 16; i++) expect(core.prng.nextU32()).toBe(reference.nextU32());
        for (let i = 0; i < 16; i++) {
          const draw = core.prng.below(bound);
          expect(draw).toBe(reference.below(bound));
          expect(draw).toBeLessThan(bound);
        }
      }),
      { seed: 20261122, numRuns: 300 },
    );
  });

  it('fill gives the same draws as one call each, and the state is readable for snapshots', async () => {
    const core = await loadDebugCore();
    core.prng.seed(42);
    const before = core.prng.state();
    const batch = core.prng.fill(1000);
    const after = core.prng.state();
    core.prng.setState(before);
    const single = Array.from({ length: 1000 }, () => core.prng.nextU32());
    expect(Array.from(batch)).toEqual(single);
    expect(core.prng.state()).toEqual(after);
  });

  it('rejects bad bounds and batch sizes with a clear error', async () => {
    const core = await loadDebugCore();
    expect(() => core.prng.below(0)).toThrow(/bound must be an integer/);
    expect(() => core.prng.below(1.5)).toThrow(/bound must be an integer/);
    expect(() => core.prng.fill(1e9)).toThrow(/batch must be/);
  });

  it('draws below a bound are close to uniform (chi-square, 10 buckets)', async () => {
    const core = await loadDebugCore();
    core.prng.seed(7);
    const buckets = new Array(10).fill(0);
    const draws = 100_000;
    for (let i = 0; i < draws; i++) buckets[core.prng.below(10)]++;
    const expected = draws / 10;
    const chi = buckets.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    expect(chi).toBeLessThan(27.88); // p = 0.001 at 9 degrees of freedom
  });
});
