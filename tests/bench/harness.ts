// Benchmark harness: each *.bench.ts exports `benches`, a list of named suites; each suite returns
// results that name the peer it was measured against in the same run, so ratios (not absolute
// times, which vary on shared machines) are what we read.

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The peer measured in the same run, e.g. "TypeScript xoshiro128**". */
  peer?: string;
  peerValue?: number;
  /** How many times better than the peer (>1 is better), already oriented by `higherIsBetter`. */
  ratio?: number;
  goal?: string;
  note?: string;
}

export interface BenchSuite {
  name: string;
  run(): Promise<BenchResult[]> | BenchResult[];
}

export interface TimingOptions {
  /** Median of this many samples. */
  samples?: number;
  /** Each sample repeats the function until at least this long has passed. */
  minSampleMs?: number;
}

/** Median milliseconds per call of `fn`, after a warm-up sample. */
export function medianMsPerCall(fn: () => void, options: TimingOptions = {}): number {
  const samples = options.samples ?? 7;
  const minSampleMs = options.minSampleMs ?? 100;
  const perCall: number[] = [];
  for (let sample = -1; sample < samples; sample++) {
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      fn();
      calls++;
      elapsed = performance.now() - start;
    } while (elapsed < minSampleMs);
    if (sample >= 0) perCall.push(elapsed / calls);
  }
  return median(perCall);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/** A throughput comparison: ours and the peer's operations per second. */
export function throughput(name: string, unit: string, ours: number, peer: string, theirs: number, goal?: string): BenchResult {
  return { name, value: ours, unit, peer, peerValue: theirs, ratio: ours / theirs, goal };
}

export function formatNumber(value: number, unit = ''): string {
  if (!Number.isFinite(value)) return String(value);
  // A percentage keeps its tenths: 109.7% against a goal of <= 110% is not "110 %".
  if (unit === '%') return value.toFixed(1);
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  if (abs >= 100) return value.toFixed(0);
  return value.toPrecision(3);
}
