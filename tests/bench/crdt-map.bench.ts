// LWW-map merge against Yjs (Y.Map) and Loro (LoroMap), and the OR-set merge at 1,000,000
// elements; each implementation in its own process (crdt-peer-process.ts).
//   npx tsx tests/bench/run.ts --only crdt-map
import type { BenchResult, BenchSuite } from './harness';
import { lowerIsBetter, medianOf, runPeer } from './crdt-peers';

const RUNS = 5;

export const benches: BenchSuite[] = [
  {
    name: 'CRDT LWW-map: two replicas set the same 100,000 keys concurrently; merge one state into the other',
    run() {
      const ours = medianOf(runPeer('agentos', 'map', RUNS), 'mergeMs');
      const results: BenchResult[] = [];
      for (const [peer, name] of [['yjs', 'Yjs'], ['loro', 'Loro']]) {
        const theirs = medianOf(runPeer(peer, 'map', RUNS), 'mergeMs');
        results.push(lowerIsBetter('merge 100,000 conflicting keys', 'ms', ours, name, theirs, 'under 100 ms (aim 50)'));
      }
      return results;
    },
  },
  {
    name: 'CRDT OR-set: 1,000,000 elements, each replica removes a different 10% concurrently',
    run() {
      const run = runPeer('agentos', 'set', 3);
      return [
        { name: 'merge the delta (100k removes + 10k re-adds)', value: medianOf(run, 'deltaMergeMs'), unit: 'ms', note: `${run.values.deltaBytes} bytes` },
        { name: 'merge the full state (1.1M records, all but the news known)', value: medianOf(run, 'stateMergeMs'), unit: 'ms', note: `${run.values.stateBytes} bytes` },
      ];
    },
  },
];
