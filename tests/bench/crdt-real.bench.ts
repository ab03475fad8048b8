// The text CRDT on the real editing traces in ../shared/data/ against Yjs (V2 updates), each in
// its own process (crdt-peer-process.ts), medians of several runs (issue 14):
//   npx tsx tests/bench/run.ts --only crdt-real
// Rows: "text encoding vs Yjs", "text load", "sequential replay" per sequential trace (and a long
// session of ~240k patches: the three one after another, four times), "concurrent replay vs Yjs"
// per concurrent trace (a replica per writer, each transaction's delta sent to the writers that
// need it before their next transaction).
import type { BenchResult, BenchSuite } from './harness';
import { lowerIsBetter, medianOf, runPeer, type PeerRun } from './crdt-peers';
import { CONCURRENT_TRACES, SEQUENTIAL_TRACES, traceAvailable, traceMissing } from '../helpers/trace';

const RUNS = 5;
const CONCURRENT_RUNS = 3;

/** Median CPU time of a sample (process user + system): read it when the machine is busy. */
const cpu = (run: PeerRun, name: string): string => medianOf(run, name).toFixed(1);

function requireTraces(names: readonly string[]): void {
  for (const name of names) if (!traceAvailable(name)) throw new Error(traceMissing(name));
}

export const benches: BenchSuite[] = [
  {
    name: 'CRDT text on real sequential traces vs Yjs (Y.encodeStateAsUpdateV2 / applyUpdateV2)',
    run() {
      requireTraces(SEQUENTIAL_TRACES);
      const results: BenchResult[] = [];
      for (const trace of [...SEQUENTIAL_TRACES, 'long-session']) {
        const ours = runPeer('agentos', 'real-seq', RUNS, trace);
        const yjs = runPeer('yjs', 'real-seq', RUNS, trace);
        const label = `${trace} (${Number(ours.values.patches).toLocaleString('en')} patches)`;
        results.push(lowerIsBetter(`text encoding vs Yjs: ${label}`, 'bytes', Number(ours.values.encodedBytes), 'Yjs V2', Number(yjs.values.encodedBytes), 'no larger than Yjs V2'));
        results.push(lowerIsBetter(`text load: ${label}`, 'ms', medianOf(ours, 'loadMs'), 'Yjs V2', medianOf(yjs, 'loadMs'), 'under 16 ms',
          `TextDoc.fromState, then toString, into the private core of the disposed replay doc; CPU time ${cpu(ours, 'loadCpuMs')} ms vs Yjs ${cpu(yjs, 'loadCpuMs')} ms; into a fresh wasm instance ${medianOf(ours, 'loadFreshMs').toFixed(1)} ms, CPU ${cpu(ours, 'loadFreshCpuMs')} ms`));
        results.push(lowerIsBetter(`sequential replay: ${label}`, 'ms', medianOf(ours, 'replayMs'), 'Yjs', medianOf(yjs, 'replayMs'), '10x Yjs',
          `CPU time ${cpu(ours, 'replayCpuMs')} ms vs Yjs ${cpu(yjs, 'replayCpuMs')} ms`));
      }
      return results;
    },
  },
  {
    name: 'CRDT text on real concurrent traces vs Yjs: a replica per writer, each transaction a delta',
    run() {
      requireTraces(CONCURRENT_TRACES);
      return CONCURRENT_TRACES.map((trace) => {
        const ours = runPeer('agentos', 'real-concurrent', CONCURRENT_RUNS, trace);
        const yjs = runPeer('yjs', 'real-concurrent', CONCURRENT_RUNS, trace);
        return lowerIsBetter(`concurrent replay vs Yjs: ${trace}`, 'ms', medianOf(ours, 'replayMs'), 'Yjs V2', medianOf(yjs, 'replayMs'), '2x Yjs',
          `${ours.values.deliveries} deliveries; delta bytes ours ${ours.values.deltaBytes}, Yjs ${yjs.values.deltaBytes}; CPU time ${cpu(ours, 'replayCpuMs')} ms vs Yjs ${cpu(yjs, 'replayCpuMs')} ms`);
      });
    },
  },
];
