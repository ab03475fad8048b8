// Timing for ratios on a shared, noisy machine: the contenders run in alternating samples
// (A B C A B C ...) so a burst of load from elsewhere hits all of them, and each gets the
// median of its samples. Used by sched.bench.ts and heap.bench.ts.
import { median } from './harness';

export function interleavedMsPerCall(fns: Array<() => void>, samples = 9, minSampleMs = 40): number[] {
  const perCall: number[][] = fns.map(() => []);
  for (let sample = -1; sample < samples; sample++) {
    fns.forEach((fn, index) => {
      let calls = 0;
      const start = performance.now();
      let elapsed = 0;
      do { fn(); calls++; elapsed = performance.now() - start; } while (elapsed < minSampleMs);
      if (sample >= 0) perCall[index].push(elapsed / calls);
    });
  }
  return perCall.map(median);
}
