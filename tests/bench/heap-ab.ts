// A/B of allocator builds on the real allocation traces, beside AssemblyScript's TLSF (the peer of
// the "allocator real traces vs AS TLSF" row): for changes to assembly/heap/ (issue 14).
//
//   npm run build:core && cp build/core/release.wasm /tmp/a.wasm   # before the change
//   npm run build:core && cp build/core/release.wasm /tmp/b.wasm   # after
//   AGENTOS_SHARED=/work/shared BENCH_CLOCK=cpu npx tsx tests/bench/heap-ab.ts /tmp/a.wasm /tmp/b.wasm
//
// Each round, every build restarts its TLSF heap and replays each trace REPS times (default 2),
// then the peer does: builds that keep the allocator's bytes identical walk the very same states,
// so the comparison is fair however much a replay scrambles the spare records (perl's replays get
// slower the more a heap has lived: see assembly/heap/README.md). Median (and min) over ROUNDS
// (default 11) rounds, on the benchmark's clock (BENCH_CLOCK=cpu: this process's CPU time).
// TRACES=perl,sqlite keeps the traces whose names contain one of the words. LIVED=1 restarts each
// heap only before a trace's first round, so later rounds replay on a heap that has lived (what
// the bench row measures: it replays each trace over and over on one heap).
// WASM_ONLY=1 times the wasm alone: each side's batches are recorded once (the first build's, whose
// results every build must give, and the peer's from a copy of its memory restored before every
// replay), then replayed as raw batch calls, without the TypeScript loop that writes them (which
// costs both sides the same and dilutes the ratio: 4.8 ms of sqlite's ~12). Fresh heaps only.
import { readFileSync } from 'node:fs';
import { instantiateCore, type Core } from '../../src/core/core';
import { allocTraceNames, loadAllocTrace, drained, replayTrace, type AllocTrace, type BatchTarget } from '../helpers/alloc-traces';
import { nowMs } from './interleaved';

interface PeerExports { memory: WebAssembly.Memory; peerBatchPtr(): number; peerBatch(count: number): number }

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: tsx tests/bench/heap-ab.ts build-a.wasm [build-b.wasm ...]');
const only = process.env.TRACES?.split(',');
const ROUNDS = Number(process.env.ROUNDS ?? 11), REPS = Number(process.env.REPS ?? 2), LIVED = process.env.LIVED === '1';
const WASM_ONLY = process.env.WASM_ONLY === '1';
const peerBytes = readFileSync(new URL('../../build/bench/as-tlsf-peer.wasm', import.meta.url));
const peer = (await WebAssembly.instantiate(peerBytes, { env: { abort: () => { throw new Error('AssemblyScript TLSF peer aborted'); } } })).instance.exports as unknown as PeerExports;
const peerTarget: BatchTarget = { memory: () => peer.memory.buffer, ptr: peer.peerBatchPtr(), run: (n) => peer.peerBatch(n) };
const cores: Core[] = await Promise.all(files.map(async (file) => instantiateCore(new Uint8Array(readFileSync(file)))));
const targets = cores.map((core): BatchTarget => {
  core.exports.releaseAllRegions();
  core.heap.configure(1, 1 << 20, 1);
  return { memory: () => core.exports.memory.buffer, ptr: core.exports.heapBatchPtr(), run: (n) => core.exports.heapBatch(n) };
});

/** A replay's batches as the target received them (commands in, before it wrote its results). */
function recordBatches(trace: AllocTrace, target: BatchTarget): Uint32Array[] {
  const batches: Uint32Array[] = [];
  const recorder: BatchTarget = { memory: target.memory, ptr: target.ptr, run: (n) => {
    batches.push(new Uint32Array(target.memory(), target.ptr, n * 4).slice());
    return target.run(n);
  } };
  if (replayTrace(trace, recorder, new Int32Array(trace.kind.length)) !== 0) throw new Error('a failed allocation while recording');
  return batches;
}

/** Replays recorded batches; with `results`, checks each batch's results against them (or records them). */
function playBatches(target: BatchTarget, batches: Uint32Array[], results?: Int32Array[]): void {
  for (let k = 0; k < batches.length; k++) {
    const batch = batches[k];
    new Uint32Array(target.memory(), target.ptr, batch.length).set(batch);
    target.run(batch.length >> 2);
    if (!results) continue;
    const out = new Int32Array(target.memory(), target.ptr, batch.length);
    if (results.length === k) results.push(out.slice());
    else if (out.some((v, i) => v !== results[k][i])) throw new Error('WASM_ONLY needs builds with the same results (the same ids and addresses)');
  }
}

const median = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1];
const label = (file: string) => file.split('/').pop();
const oursTotal = files.map(() => 0);
let peerTotal = 0;
for (const name of allocTraceNames().filter((n) => !only || only.some((word) => n.includes(word)))) {
  const trace = drained(loadAllocTrace(name));
  const results = new Int32Array(trace.kind.length);
  const times: number[][] = files.map(() => []), peerTimes: number[] = [];
  if (WASM_ONLY) {
    cores[0].heap.init(0, 'tlsf', 256 << 20);
    const ours = recordBatches(trace, targets[0]);
    const expected: Int32Array[] = [];
    cores.forEach((core, i) => { core.heap.init(0, 'tlsf', 256 << 20); playBatches(targets[i], ours, expected); });
    replayTrace(trace, peerTarget, results); // grows the peer's memory before its copy is taken
    const peerMemory = new Uint8Array(peer.memory.buffer.slice(0));
    const theirs = recordBatches(trace, peerTarget);
    for (let round = 0; round < ROUNDS; round++) {
      cores.forEach((core, i) => {
        core.heap.init(0, 'tlsf', 256 << 20);
        const start = nowMs();
        playBatches(targets[i], ours);
        times[i].push(nowMs() - start);
      });
      new Uint8Array(peer.memory.buffer).set(peerMemory);
      const start = nowMs();
      playBatches(peerTarget, theirs);
      peerTimes.push(nowMs() - start);
    }
  }
  for (let round = 0; round < (WASM_ONLY ? 0 : ROUNDS); round++) {
    cores.forEach((core, i) => {
      if (round === 0 || !LIVED) core.heap.init(0, 'tlsf', 256 << 20);
      const start = nowMs();
      for (let k = 0; k < REPS; k++) if (replayTrace(trace, targets[i], results) !== 0) throw new Error(`${name}: a failed allocation under ${files[i]}`);
      times[i].push((nowMs() - start) / REPS);
    });
    const start = nowMs();
    for (let k = 0; k < REPS; k++) replayTrace(trace, peerTarget, results);
    peerTimes.push((nowMs() - start) / REPS);
  }
  const peerMs = median(peerTimes);
  peerTotal += peerMs;
  const rows = files.map((file, i) => {
    const ms = median(times[i]);
    oursTotal[i] += ms;
    return `${label(file)} ${ms.toFixed(1)} ms ${(peerMs / ms).toFixed(2)}x (min ${(Math.min(...peerTimes) / Math.min(...times[i])).toFixed(2)}x)`;
  });
  console.log(`${name}: peer ${peerMs.toFixed(1)} ms  ${rows.join('  ')}`);
}
console.log(`all traces vs the peer: ${files.map((file, i) => `${label(file)} ${(peerTotal / oursTotal[i]).toFixed(3)}x`).join('  ')}`);
