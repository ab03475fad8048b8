// Text CRDT against Yjs, Loro and Automerge on the sveltecomponent editing trace, each
// implementation in its own process (crdt-peer-process.ts), medians of several runs.
//   npx tsx tests/bench/run.ts --only crdt-text
import { median, type BenchResult, type BenchSuite } from './harness';
import { lowerIsBetter, medianOf, requireTrace, runPeer } from './crdt-peers';

const RUNS = 7;
const PEERS = [
  { peer: 'yjs', name: 'Yjs', runs: RUNS },
  { peer: 'loro', name: 'Loro', runs: RUNS },
  { peer: 'automerge', name: 'Automerge', runs: 3 },
];

export const benches: BenchSuite[] = [
  {
    name: 'CRDT text: replay the sveltecomponent trace one patch at a time (19,749 patches)',
    run() {
      requireTrace();
      const ours = runPeer('agentos', 'text', RUNS);
      const results: BenchResult[] = [];
      const replayMs = medianOf(ours, 'replayMs');
      const loadMs = medianOf(ours, 'loadMs');
      const bytes = Number(ours.values.encodedBytes);
      // memory: the median of three processes, each replaying once
      const rssOf = (peer: string) => median([0, 1, 2].map(() => Number(runPeer(peer, 'memory', 1).values.rssBytes))) / 2 ** 20;
      const rss = rssOf('agentos');
      for (const { peer, name, runs } of PEERS) {
        const theirs = runPeer(peer, 'text', runs);
        results.push(lowerIsBetter('replay', 'ms', replayMs, name, medianOf(theirs, 'replayMs'), name === 'Yjs' ? '10x Yjs' : 'faster'));
        results.push(lowerIsBetter('encoded size', 'bytes', bytes, name, Number(theirs.values.encodedBytes), name === 'Yjs' ? 'no larger than Yjs' : undefined));
        results.push(lowerIsBetter('load the encoding', 'ms', loadMs, name, medianOf(theirs, 'loadMs'), name === 'Yjs' ? 'under 16 ms' : undefined,
          `includes a fresh wasm instance; into an existing doc: ${medianOf(ours, 'loadIntoDocMs').toFixed(2)} ms`));
        results.push(lowerIsBetter('memory after replay (rss delta)', 'MiB', rss, name, rssOf(peer),
          undefined, 'ours: the doc\'s wasm regions (capacity 2^15 items, 2^17 code points) and its private core'));
      }
      return results;
    },
  },
  {
    name: 'CRDT text: two replicas each replay half the trace, then merge both ways',
    run() {
      requireTrace();
      const ours = runPeer('agentos', 'concurrent', RUNS);
      return PEERS.map(({ peer, name, runs }) => {
        const theirs = runPeer(peer, 'concurrent', runs);
        return lowerIsBetter('merge both ways', 'ms', medianOf(ours, 'mergeMs'), name, medianOf(theirs, 'mergeMs'), name === 'Yjs' ? 'faster than Yjs' : undefined);
      });
    },
  },
];
