import { describe, expect, it } from 'vitest';
import { Pacer } from '../../src/worker/pacing';

/** Drives a pacer as the worker does (a slice, then a yield or the wait it asks for); returns when each event ran. */
function simulate(rate: number, maxBurst: number, events: number, sliceGapMs = 1, stallAt?: { ms: number; forMs: number }): number[] {
  const pacer = new Pacer(rate, 0, maxBurst);
  const times: number[] = [];
  let now = 0;
  let stalled = false;
  while (times.length < events) {
    if (stallAt && !stalled && now >= stallAt.ms) { now += stallAt.forMs; stalled = true; }
    const pace = pacer.next(now);
    if (pace.events === 0) { now += pace.waitMs; continue; }
    const n = Math.min(pace.events, events - times.length);
    for (let i = 0; i < n; i++) times.push(now);
    pacer.ran(n);
    now += sliceGapMs;
  }
  return times;
}

describe('Pacer', () => {
  it('spreads 18 events at 10 events/s over 1.7 s (the slice length does not speed it up)', () => {
    const times = simulate(10, 1, 18, 16);
    expect(times[0]).toBe(0);
    expect(times[9]).toBeGreaterThanOrEqual(900);
    expect(times[17]).toBeGreaterThanOrEqual(1700);
    expect(times[17]).toBeLessThan(1800);
  });

  it('holds each speed the timeline offers to within 2% over a few seconds', () => {
    for (const rate of [10, 100, 1_000, 10_000, 100_000]) {
      const burst = Math.max(1, Math.round((rate * 16) / 1000));
      const events = rate * 3;
      const times = simulate(rate, burst, events);
      const seconds = times[events - 1] / 1000;
      expect(Math.abs((events - 1) / seconds - rate) / rate, `at ${rate} events/s`).toBeLessThan(0.02);
    }
  });

  it('goes on at its pace after a stall instead of bursting to catch up', () => {
    const times = simulate(100, 2, 400, 1, { ms: 500, forMs: 2_000 });
    const after = times.filter((t) => t >= 2_500 && t < 3_500).length;
    expect(after).toBeGreaterThan(90);
    expect(after).toBeLessThanOrEqual(102);
  });

  it('refuses a pace that is not one', () => {
    expect(() => new Pacer(0, 0, 1)).toThrow(/positive rate/);
    expect(() => new Pacer(10, 0, 0)).toThrow(/positive rate/);
  });
});
