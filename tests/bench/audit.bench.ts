// The audit's Merkle tree (src/audit): what keeping it costs a run, against the same run without
// it (the plain run, in the same process, alternated so a burst of load elsewhere hits both), and
// what a root at a random cursor and an inclusion proof cost once the tree is built.
import { readFileSync } from 'node:fs';
import { loadCoreFromDisk } from '../../src/core/node';
import { Kernel } from '../../src/kernel/kernel';
import { median, percentile, type BenchSuite } from './harness';

const SWARM = readFileSync(new URL('../../public/examples/swarm.yaml', import.meta.url), 'utf8');
const EVENTS = 300_000;
const RUNS = 3;
const LOOKUPS = 200;

function lcg(seed: number) {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
}

export const benches: BenchSuite[] = [
  {
    name: `Audit: the Merkle tree over the swarm's journal, ${EVENTS.toLocaleString('en')} events (release core)`,
    async run() {
      const core = await loadCoreFromDisk('release');
      const plain: number[] = [], merkle: number[] = [], hashing: number[] = [];
      let kernel: Kernel | undefined;
      for (let run = 0; run < RUNS; run++) {
        const a = Kernel.fromText(SWARM, core);
        let start = performance.now();
        a.run({ events: EVENTS });
        plain.push((a.cursor / (performance.now() - start)) * 1000);
        kernel = Kernel.fromText(SWARM, core);
        start = performance.now();
        kernel.run({ events: EVENTS });
        const ran = performance.now();
        kernel.rootAt(); // the tree over every event, as the worker builds it after a run
        const end = performance.now();
        merkle.push((kernel.cursor / (end - start)) * 1000);
        hashing.push(((end - ran) * 1000) / kernel.cursor);
      }
      const k = kernel!;
      const next = lcg(3);
      const rootMs: number[] = [], proofMs: number[] = [];
      for (let i = 0; i < LOOKUPS; i++) {
        const cursor = 1 + (next() % k.cursor);
        let start = performance.now();
        k.rootAt(cursor);
        rootMs.push(performance.now() - start);
        start = performance.now();
        k.audit.inclusion(k.machine.journal, next() % cursor, cursor);
        proofMs.push(performance.now() - start);
      }
      const plainRate = median(plain), merkleRate = median(merkle);
      return [
        { name: 'audit: merkle on vs plain run (events/s, run then the tree over it)', value: merkleRate, unit: 'events/s', peer: 'plain run (same spec, same process)', peerValue: plainRate, ratio: merkleRate / plainRate, note: `hashing ${median(hashing).toFixed(2)} µs/event (a leaf and on average one node, @noble/hashes SHA-256)` },
        { name: `audit: root at a random cursor, p99 (${LOOKUPS})`, value: percentile(rootMs, 99), unit: 'ms', peer: 'goal', peerValue: 16, ratio: 16 / percentile(rootMs, 99), goal: '< 16 ms (a frame)', note: `p50 ${percentile(rootMs, 50).toFixed(2)} ms` },
        { name: `audit: inclusion proof of a random event at a random cursor, p99 (${LOOKUPS})`, value: percentile(proofMs, 99), unit: 'ms', peer: 'goal', peerValue: 16, ratio: 16 / percentile(proofMs, 99), goal: '< 16 ms', note: `p50 ${percentile(proofMs, 50).toFixed(2)} ms` },
      ];
    },
  },
];
