// Allocator benchmarks.
// 1. Throughput on a mixed trace of allocations and frees (sizes 16 B .. 64 KiB, log-skewed to
//    small, like talc's benchmark mix; about 5,000 blocks live), ops/s. Ours: the wasm release
//    build's TLSF (and buddy) over a 256 MiB simulated heap, batched 1,020 commands per boundary
//    crossing. Peers in the same run: AssemblyScript's own TLSF (heap.alloc / heap.free in a
//    --runtime minimal module, driven by the very same batches) and the TypeScript reference
//    model (direct calls, no boundary).
// 2. Usable share at the first failed allocation: fill a 64 MiB heap with the same size mix
//    (pure fill, and alloc 2 : free 1) until the first allocation fails; share = bytes in use /
//    heap bytes at that moment.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadCoreFromDisk } from '../../src/core/node';
import { HeapModel, ALLOCATOR_TLSF, ALLOCATOR_BUDDY } from '../reference/heap-model';
import { HEAP_ALLOCATORS, HEAP_GRANULES, type HeapAllocator, type HeapGranule } from '../../src/core/heap';
import { allocTraceNames, drained, loadAllocTrace, replayTrace, roundedPeakBytes, type AllocTrace, type BatchTarget } from '../helpers/alloc-traces';
import { Xoshiro128 } from '../reference/xoshiro128';
import { throughput, type BenchResult, type BenchSuite } from './harness';
import { interleavedMsPerCall } from './interleaved';

const MiB = 1 << 20;
const WINDOW = 1020; // commands per batch
const OWNERS = 64;
const HEAP_BLOCKS = 1 << 20; // block records for the real traces (perl has 205,026 blocks live at most)

interface Trace { kind: Uint8Array; arg: Uint32Array; allocs: number }

function drawSize(rng: Xoshiro128): number {
  const u = rng.below(1 << 16) / (1 << 16);
  const exponent = 4 + 12 * u * u; // 2^4 .. 2^16, most mass small
  return Math.max(16, Math.min(65536, Math.floor(2 ** exponent) - rng.below(16)));
}

/** Alloc/free trace; a free names an alloc from an earlier window (its id is known by then). */
function mixedTrace(seed: number, operations: number, targetLive: number): Trace {
  const rng = new Xoshiro128(seed);
  const kind: number[] = [], arg: number[] = [];
  let allocs = 0;
  let eligible: number[] = [], pending: number[] = [];
  for (let op = 0; op < operations; op++) {
    if (op % WINDOW === 0) { eligible = eligible.concat(pending); pending = []; }
    const live = eligible.length + pending.length;
    const free = eligible.length > 0 && (live >= targetLive ? rng.below(4) !== 0 : rng.below(3) === 0);
    if (free) {
      const pick = rng.below(eligible.length);
      kind.push(2); arg.push(eligible[pick]);
      eligible[pick] = eligible[eligible.length - 1]; eligible.pop();
    } else {
      kind.push(1); arg.push(drawSize(rng)); pending.push(allocs++);
    }
  }
  // free everything left so every replay starts from an empty heap
  for (let start = 0; ; start++) {
    if (kind.length % WINDOW === 0) { eligible = eligible.concat(pending); pending = []; }
    if (eligible.length === 0 && pending.length === 0) break;
    if (eligible.length === 0) { kind.push(0); arg.push(0); continue; } // padding until the window ends
    kind.push(2); arg.push(eligible.pop()!);
    if (start > 10 * operations) throw new Error('trace drain did not finish');
  }
  return { kind: Uint8Array.from(kind), arg: Uint32Array.from(arg), allocs };
}

/** Replays a trace through a [op, node, pid, arg] batch buffer; returns failures. */
function replayBatched(trace: Trace, memory: () => ArrayBuffer, ptr: number, run: (count: number) => void, handles: Int32Array, ownerOf: (alloc: number) => number): number {
  let failures = 0;
  const total = trace.kind.length;
  for (let start = 0; start < total; start += WINDOW) {
    const count = Math.min(WINDOW, total - start);
    const words = new Uint32Array(memory(), ptr, count * 4);
    for (let i = 0; i < count; i++) {
      const k = trace.kind[start + i], a = trace.arg[start + i];
      const w = i * 4;
      if (k === 1) { words[w] = 1; words[w + 1] = ownerOf(start + i); words[w + 2] = a; words[w + 3] = 0; }
      else if (k === 2) { words[w] = 2; words[w + 1] = ownerOf(start + i); words[w + 2] = handles[a]; words[w + 3] = 0; }
      else { words[w] = 0; }
    }
    run(count);
    const results = new Int32Array(memory(), ptr, count * 4);
    for (let i = 0; i < count; i++) {
      if (trace.kind[start + i] !== 1) continue;
      handles[allocIndexAt[start + i]] = results[i * 4];
      if (results[i * 4] < 0) failures++;
    }
  }
  return failures;
}

// alloc index of each alloc op and owner of each op (the owner is fixed per alloc: index % OWNERS)
let allocIndexAt = new Int32Array(0);
let ownerAt = new Uint8Array(0);
function indexTrace(trace: Trace): void {
  allocIndexAt = new Int32Array(trace.kind.length).fill(-1);
  ownerAt = new Uint8Array(trace.kind.length);
  let next = 0;
  for (let i = 0; i < trace.kind.length; i++) {
    if (trace.kind[i] === 1) { allocIndexAt[i] = next; ownerAt[i] = next % OWNERS; next++; }
    else if (trace.kind[i] === 2) ownerAt[i] = trace.arg[i] % OWNERS;
  }
}

async function loadPeer() {
  const path = fileURLToPath(new URL('../../build/bench/as-tlsf-peer.wasm', import.meta.url));
  const { instance } = await WebAssembly.instantiate(await readFile(path), {
    env: { abort: () => { throw new Error('AssemblyScript TLSF peer aborted (out of memory?)'); } },
  });
  return instance.exports as unknown as { memory: WebAssembly.Memory; peerBatchPtr(): number; peerBatch(count: number): number; peerMemoryBytes(): number };
}

async function throughputResults(): Promise<BenchResult[]> {
  const trace = mixedTrace(7, 200_000, 5000);
  indexTrace(trace);
  const operations = trace.kind.reduce((sum, k) => sum + (k === 0 ? 0 : 1), 0);
  const core = await loadCoreFromDisk('release');
  const x = core.exports;
  x.releaseAllRegions();
  core.heap.configure(2, 1 << 16, OWNERS);
  core.heap.init(0, 'tlsf', 256 * MiB);
  const buddyCore = await loadCoreFromDisk('release');
  buddyCore.exports.releaseAllRegions();
  buddyCore.heap.configure(1, 1 << 16, OWNERS);
  buddyCore.heap.init(0, 'buddy', 256 * MiB);
  const peer = await loadPeer();
  const handlesOurs = new Int32Array(trace.allocs), handlesBuddy = new Int32Array(trace.allocs), handlesPeer = new Int32Array(trace.allocs);
  const model = new HeapModel(1 << 16, OWNERS);
  model.init(ALLOCATOR_TLSF, 256 * MiB);
  const handlesModel = new Int32Array(trace.allocs);
  const owner = (op: number) => ownerAt[op];
  let failures = 0;
  const ours = () => { failures += replayBatched(trace, () => x.memory.buffer, x.heapBatchPtr(), (n) => x.heapBatch(n), handlesOurs, owner); };
  const buddy = () => { failures += replayBatched(trace, () => buddyCore.exports.memory.buffer, buddyCore.exports.heapBatchPtr(), (n) => buddyCore.exports.heapBatch(n), handlesBuddy, owner); };
  const theirs = () => { replayBatched(trace, () => peer.memory.buffer, peer.peerBatchPtr(), (n) => peer.peerBatch(n), handlesPeer, owner); };
  const typescript = () => {
    for (let i = 0; i < trace.kind.length; i++) {
      const k = trace.kind[i];
      if (k === 1) { const id = model.alloc(ownerAt[i], trace.arg[i]); handlesModel[allocIndexAt[i]] = id; if (id < 0) failures++; }
      else if (k === 2) model.free(ownerAt[i], handlesModel[trace.arg[i]]);
    }
  };
  const [oursMs, buddyMs, peerMs, typescriptMs] = interleavedMsPerCall([ours, buddy, theirs, typescript], 7, 100);
  if (failures !== 0) throw new Error(`the throughput trace must not fail allocations (${failures} failed)`);
  if (core.heap.stats(0).usedBlocks !== 0 || model.usedBlocks !== 0) throw new Error('the trace must end with an empty heap');
  core.heap.checkInvariants(0);
  const perSecond = (ms: number) => (operations / ms) * 1000;
  return [
    throughput('TLSF mixed trace (wasm, batched)', 'ops/s', perSecond(oursMs), 'AssemblyScript TLSF (heap.alloc/free, same batches)', perSecond(peerMs), '>= 1x AssemblyScript TLSF'),
    throughput('TLSF mixed trace (wasm, batched)', 'ops/s', perSecond(oursMs), 'TypeScript model', perSecond(typescriptMs)),
    throughput('buddy mixed trace (wasm, batched)', 'ops/s', perSecond(buddyMs), 'AssemblyScript TLSF (heap.alloc/free, same batches)', perSecond(peerMs)),
  ];
}

async function usableShareResults(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const core = await loadCoreFromDisk('release');
  for (const allocator of ['tlsf', 'buddy'] as const) {
    for (const mode of ['pure fill', 'alloc 2 : free 1'] as const) {
      core.exports.releaseAllRegions();
      core.heap.configure(1, 1 << 20, OWNERS);
      core.heap.init(0, allocator, 64 * MiB);
      const rng = new Xoshiro128(11);
      const live: Array<[block: number, pid: number, bytes: number]> = [];
      let requestedBytes = 0;
      for (let step = 0; step < 10_000_000; step++) {
        if (mode !== 'pure fill' && live.length > 0 && rng.below(3) === 0) {
          const pick = rng.below(live.length);
          const [block, pid, bytes] = live[pick];
          if (core.heap.free(0, pid, block) !== 0) throw new Error('free failed');
          requestedBytes -= bytes;
          live[pick] = live[live.length - 1]; live.pop();
          continue;
        }
        const bytes = drawSize(rng), pid = step % OWNERS;
        const block = core.heap.alloc(0, pid, bytes);
        if (block < 0) break;
        live.push([block, pid, bytes]);
        requestedBytes += bytes;
      }
      const stats = core.heap.stats(0);
      // Usable share: bytes the processes asked for (and hold) / heap bytes. The simulated heap has
      // no block headers; what is lost is rounding (16 B granules; buddy: powers of two) and holes.
      results.push({
        name: `${allocator}: heap usable at the first failed allocation (${mode}, 64 MiB)`,
        value: Number(((requestedBytes / stats.heapBytes) * 100).toFixed(2)),
        unit: '%',
        goal: allocator === 'tlsf' ? '>= 95%' : undefined,
        note: `granted ${((stats.usedBytes / stats.heapBytes) * 100).toFixed(2)}%, largest free block ${stats.largestFreeBytes} B, fragmentation ${stats.fragmentationPermille}‰, ${stats.usedBlocks} blocks live`,
      });
    }
  }
  return results;
}


// ── Real allocation traces ──────────────────────────────────────────────────────────────────────
// 3. Throughput on real programs' malloc/free/realloc (tests/helpers/alloc-traces.ts: perl from
//    ../shared/data, gcc's cc1, sqlite, git, the Python compiler from tests/data), each drained at
//    its end so every replay starts empty. Ours: TLSF, one owner, 1,024 commands per batch, a free
//    naming an allocation of the same batch by reference. The peer: AssemblyScript's TLSF runtime
//    fed the very same batches (heap.alloc / heap.realloc / heap.free). Figure: all traces' ops /
//    all traces' time, and per trace in the note.
// 4. Heap needed / peak live: the smallest heap (bisection over sizes, 16-byte steps... to 1/1000
//    of the peak) that replays the trace with no failed allocation, over the trace's peak live
//    bytes (what the program asked for, before any rounding), per trace and policy.

async function realTraceThroughput(): Promise<BenchResult[]> {
  const names = allocTraceNames();
  const traces = names.map((name) => drained(loadAllocTrace(name)));
  const core = await loadCoreFromDisk('release');
  const x = core.exports;
  const peer = await loadPeer();
  const ours: BatchTarget = { memory: () => x.memory.buffer, ptr: x.heapBatchPtr(), run: (n) => x.heapBatch(n) };
  const theirs: BatchTarget = { memory: () => peer.memory.buffer, ptr: peer.peerBatchPtr(), run: (n) => peer.peerBatch(n) };
  x.releaseAllRegions();
  core.heap.configure(1, HEAP_BLOCKS, 1);
  const rows: string[] = [];
  let oursTotal = 0, peerTotal = 0, opsTotal = 0;
  for (const trace of traces) {
    const results = new Int32Array(trace.kind.length), peerResults = new Int32Array(trace.kind.length);
    core.heap.init(0, 'tlsf', 256 * MiB);
    let failures = 0;
    const runOurs = () => { failures += replayTrace(trace, ours, results); };
    const runPeer = () => { replayTrace(trace, theirs, peerResults); };
    const [oursMs, peerMs] = interleavedMsPerCall([runOurs, runPeer], 7, 100);
    if (failures !== 0) throw new Error(`${trace.name}: ${failures} allocations failed in a 256 MiB heap`);
    if (core.heap.stats(0).usedBlocks !== 0) throw new Error(`${trace.name}: the drained trace must end with an empty heap`);
    core.heap.checkInvariants(0);
    oursTotal += oursMs; peerTotal += peerMs; opsTotal += trace.kind.length;
    rows.push(`${trace.name} ${(peerMs / oursMs).toFixed(2)}x`);
  }
  const perSecond = (ms: number) => (opsTotal / ms) * 1000;
  const row = throughput('allocator real traces vs AS TLSF (TLSF, wasm, batched)', 'ops/s', perSecond(oursTotal), 'AssemblyScript TLSF (heap.alloc/realloc/free, same batches)', perSecond(peerTotal), '>= 1.2x AssemblyScript TLSF');
  return [{ ...row, note: `per trace: ${rows.join(', ')}` }];
}

/** Whether a heap of `heapBytes` serves the whole trace without a failed allocation. */
function serves(core: Awaited<ReturnType<typeof loadCoreFromDisk>>, trace: AllocTrace, allocator: HeapAllocator, heapBytes: number, results: Int32Array, granuleBytes: HeapGranule): boolean {
  core.heap.init(0, allocator, heapBytes, granuleBytes);
  const target: BatchTarget = { memory: () => core.exports.memory.buffer, ptr: core.exports.heapBatchPtr(), run: (n) => core.exports.heapBatch(n) };
  return replayTrace(trace, target, results, undefined, true) === 0;
}

/** The smallest heap (whole granules, to within `precision` bytes) that serves the trace. */
export function smallestHeap(core: Awaited<ReturnType<typeof loadCoreFromDisk>>, trace: AllocTrace, allocator: HeapAllocator, granuleBytes: HeapGranule): number {
  const results = new Int32Array(trace.kind.length);
  const granule = (n: number) => Math.ceil(n / granuleBytes) * granuleBytes;
  let lo = granule(trace.peakLiveBytes) - granuleBytes; // fails: below the peak nothing can serve it
  let hi = granule(trace.peakLiveBytes * 1.25);
  while (!serves(core, trace, allocator, hi, results, granuleBytes)) {
    lo = hi;
    hi = granule(hi * 1.5);
    if (hi > 2 ** 31) throw new Error(`${trace.name}: no heap up to 2 GiB serves it under ${allocator}`);
  }
  const precision = Math.max(granuleBytes, granule(trace.peakLiveBytes / 1000));
  while (hi - lo > precision) {
    const mid = granule((lo + hi) / 2);
    if (mid >= hi || mid <= lo) break;
    if (serves(core, trace, allocator, mid, results, granuleBytes)) hi = mid; else lo = mid;
  }
  return hi;
}

async function heapNeededResults(): Promise<BenchResult[]> {
  const core = await loadCoreFromDisk('release');
  core.exports.releaseAllRegions();
  core.heap.configure(1, HEAP_BLOCKS, 1);
  const results: BenchResult[] = [];
  // Each trace under both granules: 16 bytes (the default) and 8 (`kernel.granule: 8B`), whose
  // rounding costs small objects less (alloc-jq: the live bytes rounded to 16 peak at 109.0% of
  // the live bytes, rounded to 8 at 102.9%).
  for (const name of allocTraceNames()) for (const granuleBytes of HEAP_GRANULES) {
    const trace = loadAllocTrace(name);
    const figures = new Map<HeapAllocator, number>();
    for (const allocator of HEAP_ALLOCATORS) figures.set(allocator, smallestHeap(core, trace, allocator, granuleBytes) / trace.peakLiveBytes);
    // Bisection assumes a bigger heap never fails where a smaller one served: check TLSF's at
    // every 1% from its figure to 150% (without the own-class fallback, sqlite's was not).
    const replayResults = new Int32Array(trace.kind.length);
    const unserved: number[] = [];
    for (let percent = Math.ceil(figures.get('tlsf')! * 100); percent <= 150; percent++) {
      if (!serves(core, trace, 'tlsf', Math.ceil((trace.peakLiveBytes * percent) / 100 / granuleBytes) * granuleBytes, replayResults, granuleBytes)) unserved.push(percent);
    }
    const percent = (f: number) => `${(f * 100).toFixed(1)}%`;
    results.push({
      name: `heap needed / peak live: ${name} (TLSF${granuleBytes === 16 ? '' : `, ${granuleBytes}-byte granules`})`,
      value: Number((figures.get('tlsf')! * 100).toFixed(1)),
      unit: '%',
      goal: '<= 110%',
      note: `peak live ${trace.peakLiveBytes} B; ${granuleBytes}-byte granules: ${[...figures].map(([a, f]) => `${a} ${percent(f)}`).join(', ')}; the live bytes rounded to granules peak at ${percent(roundedPeakBytes(trace, granuleBytes) / trace.peakLiveBytes)}; TLSF ${unserved.length === 0 ? 'serves every size from there to 150%' : `fails at ${unserved.join(', ')}%`}`,
    });
  }
  return results;
}

export const benches: BenchSuite[] = [
  { name: 'allocator: mixed alloc/free trace (wasm release) vs AssemblyScript TLSF and TypeScript', run: throughputResults },
  { name: 'allocator: usable share of the heap at the first failed allocation', run: usableShareResults },
  { name: 'allocator real traces vs AS TLSF', run: realTraceThroughput },
  { name: 'heap needed / peak live', run: heapNeededResults },
];
