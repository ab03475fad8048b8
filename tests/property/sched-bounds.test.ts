// Fairness properties of the wasm scheduler (debug build) under random load: a pick/charge loop
// over 30 processes with random nices (one pinned at nice 19 among favoured ones, so a policy
// without aging would starve it), with random blocks and wakes. Each seed's run prints SEED= on
// failure through fast-check's report.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadDebugCore } from '../helpers/core';
import { Xoshiro128 } from '../reference/xoshiro128';
import type { Core } from '../../src/core/core';
import type { SchedPolicy } from '../../src/core/sched';

const N = 30;
const QUANTUM = 1000;
const AGING = 8 * QUANTUM;
const LEVELS = 40;
const PICKS = 3000;

interface Observed { maxWaitTicks: number; maxSpread: number; maxCharge: number; maxLagTicks: number }

function simulate(core: Core, policy: SchedPolicy, seed: number, equalNice = false): Observed {
  const s = core.sched;
  core.exports.releaseAllRegions();
  s.configure(1, 64);
  s.setTiming(0, QUANTUM, AGING);
  s.setPolicy(0, policy);
  const rng = new Xoshiro128(seed);
  for (let p = 0; p < N; p++) expect(s.add(0, p, equalNice ? 0 : p === 0 ? 19 : rng.below(40) - 20)).toBe(0);
  const waitingSince = new Float64Array(N);
  const observed: Observed = { maxWaitTicks: 0, maxSpread: 0, maxCharge: 0, maxLagTicks: 0 };
  const clock = () => Number(s.clockTicks(0));
  for (let i = 0; i < PICKS; i++) {
    const pick = s.pick(0);
    if (pick.pid === null) continue;
    const pid = pick.pid;
    observed.maxWaitTicks = Math.max(observed.maxWaitTicks, clock() - waitingSince[pid]);
    const ticks = rng.below(pick.sliceTicks) + 1;
    expect(s.charge(0, pid, ticks)).toBe(0);
    waitingSince[pid] = clock();
    if (policy === 'fair') {
      observed.maxCharge = Math.max(observed.maxCharge, Math.floor((ticks * 2 ** 20) / weightOf(core, pid)));
      let low = Infinity, high = 0;
      for (let p = 0; p < N; p++) {
        if (s.state(0, p) === 3) continue;
        const v = Number(s.vruntime(0, p));
        low = Math.min(low, v); high = Math.max(high, v);
      }
      observed.maxSpread = Math.max(observed.maxSpread, high - low);
    }
    if (policy === 'eevdf') {
      const average = Number(s.averageVruntime(0));
      for (let p = 0; p < N; p++) {
        if (s.state(0, p) === 3) continue;
        const lag = (Math.abs(average - Number(s.vruntime(0, p))) * weightOf(core, p)) / 2 ** 20;
        observed.maxLagTicks = Math.max(observed.maxLagTicks, lag);
      }
    }
    if (rng.below(10) === 0) {
      const b = rng.below(N);
      if (s.state(0, b) === 3) { s.wake(0, b); waitingSince[b] = clock(); }
      else if (b !== pid && s.state(0, b) === 1) s.block(0, b);
    }
  }
  s.checkInvariants(0);
  return observed;
}

const WEIGHTS = [88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916, 9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277,
  1024, 820, 655, 526, 423, 335, 272, 215, 172, 137, 110, 87, 70, 56, 45, 36, 29, 23, 18, 15];
function weightOf(core: Core, pid: number): number { return WEIGHTS[core.exports.schedProcNice(0, pid) + 20]; }

const seeds = fc.integer({ min: 1, max: 0x7fffffff });
const options = { seed: 20261122, numRuns: 6 };

describe('scheduler fairness bounds (wasm, random load)', () => {
  it('round-robin: a runnable process waits at most N quanta', async () => {
    const core = await loadDebugCore();
    fc.assert(fc.property(seeds, (seed) => { expect(simulate(core, 'round-robin', seed).maxWaitTicks).toBeLessThanOrEqual(N * QUANTUM); }), options);
  });

  it('priority with aging: nothing starves; wait <= LEVELS * (aging + (N + 1) quanta) + N quanta', async () => {
    const core = await loadDebugCore();
    const bound = LEVELS * (AGING + (N + 1) * QUANTUM) + N * QUANTUM;
    fc.assert(fc.property(seeds, (seed) => { expect(simulate(core, 'priority', seed).maxWaitTicks).toBeLessThanOrEqual(bound); }), options);
  });

  it('priority with aging turned off starves the nice-19 process (the bound above is not vacuous)', async () => {
    const core = await loadDebugCore();
    core.exports.releaseAllRegions();
    const s = core.sched;
    s.configure(1, 8);
    s.setTiming(0, QUANTUM, 0);
    s.setPolicy(0, 'priority');
    s.add(0, 0, 19);
    s.add(0, 1, -20);
    s.add(0, 2, -20);
    const picked = new Set<number>();
    for (let i = 0; i < 500; i++) { const pick = s.pick(0); picked.add(pick.pid!); s.charge(0, pick.pid!, QUANTUM); }
    expect(picked.has(0)).toBe(false);
    s.setTiming(0, QUANTUM, AGING);
    for (let i = 0; i < 500; i++) { const pick = s.pick(0); picked.add(pick.pid!); s.charge(0, pick.pid!, QUANTUM); }
    expect(picked.has(0)).toBe(true);
  });

  for (const equalNice of [false, true]) {
    it(`fair (${equalNice ? 'all nice 0' : 'mixed nice'}): the vruntime spread stays within two charges plus the wake credit`, async () => {
      const core = await loadDebugCore();
      fc.assert(fc.property(seeds, (seed) => {
        const observed = simulate(core, 'fair', seed, equalNice);
        expect(observed.maxSpread).toBeLessThanOrEqual(2 * observed.maxCharge + QUANTUM * 512);
      }), options);
    });
  }

  it('EEVDF: every lag stays within three quanta (weighted ticks)', async () => {
    const core = await loadDebugCore();
    fc.assert(fc.property(seeds, (seed) => { expect(simulate(core, 'eevdf', seed).maxLagTicks).toBeLessThanOrEqual(3 * QUANTUM); }), options);
  });
});
