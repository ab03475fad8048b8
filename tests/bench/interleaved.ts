// Timing for ratios on a shared, noisy machine: the contenders run in alternating samples
// (A B C A B C ...) so a burst of load from elsewhere hits all of them, and each gets the
// median of its samples. Used by sched.bench.ts and heap.bench.ts.
//
// BENCH_CLOCK=cpu measures this process's CPU time (process.cpuUsage) instead of wall time: on a
// machine so loaded that the benchmark is often descheduled, wall time mostly measures the wait.
import { median } from './harness';

const cpuClock = typeof process !== 'undefined' && process.env?.BENCH_CLOCK === 'cpu';
/** Milliseconds on the benchmark's clock: wall time, or this process's CPU time with BENCH_CLOCK=cpu. */
export function nowMs(): number {
  if (!cpuClock) return performance.now();
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export function interleavedMsPerCall(fns: Array<() => void>, samples = 9, minSampleMs = 40): number[] {
  const perCall: number[][] = fns.map(() => []);
  for (let sample = -1; sample < samples; sample++) {
    fns.forEach((fn, index) => {
      let calls = 0;
      const start = nowMs();
      let elapsed = 0;
      do { fn(); calls++; elapsed = nowMs() - start; } while (elapsed < minSampleMs);
      if (sample >= 0) perCall[index].push(elapsed / calls);
    });
  }
  return perCall.map(median);
}
