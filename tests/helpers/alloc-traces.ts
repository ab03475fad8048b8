// Real allocation traces (malloc/free/realloc of real programs) for the allocator's tests and
// benchmarks: ../shared/data/alloc-perl-hash.json.gz and tests/data/alloc-*.json.gz (recorded with
// scripts/alloc-trace/). Format: gzipped JSON {source, ops: [[op, id, size]], peakLiveBytes,
// count}; op 'a' allocate, 'f' free, 'r' resize (same id, new size).
//
// A trace becomes typed arrays plus, for each free or resize, the index of the op that last
// gave its id a block (`refOp`): a replay writes that op's result (the block id or pointer) into
// the command, or, when it is in the same batch, a reference to its slot (HEAP_BATCH_REF).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { sharedDataDir } from './shared-dir';
import { join } from 'node:path';

export const OP_ALLOC = 1, OP_FREE = 2, OP_REALLOC = 4;
export const BATCH_REF = 0x80000000;
export const BATCH_OPS = 1024;

export interface AllocTrace {
  name: string;
  source: string;
  kind: Uint8Array;
  /** Bytes for alloc and realloc (at least 1), 0 for free. */
  size: Uint32Array;
  /** For free and realloc: the op whose result is the block; -1 for alloc. */
  refOp: Int32Array;
  peakLiveBytes: number;
  /** Ids live at the end and their sizes (the trace's own account). */
  liveAtEnd: Map<number, number>;
  /** Op index of each id's current block at the end. */
  lastOpOf: Map<number, number>;
}

// ../shared/data beside the repo, or where AGENTOS_SHARED says (tests/helpers/shared-dir.ts).
const SHARED_DIR = sharedDataDir();
const OWN_DIR = fileURLToPath(new URL('../data/', import.meta.url));
export const SHARED_TRACE = 'alloc-perl-hash';
export const SHARED_TRACE_MISSING = `allocation trace not found at ${join(SHARED_DIR, SHARED_TRACE + '.json.gz')} (expected ../shared/data/ next to the repo)`;

/** Names of every trace there is: the shared one (when present) and the repo's own. */
export function allocTraceNames(): string[] {
  const own = readdirSync(OWN_DIR).filter((f) => /^alloc-.*\.json\.gz$/.test(f)).map((f) => f.replace(/\.json\.gz$/, '')).sort();
  return existsSync(join(SHARED_DIR, SHARED_TRACE + '.json.gz')) ? [SHARED_TRACE, ...own] : own;
}

const cache = new Map<string, AllocTrace>();
export function loadAllocTrace(name: string): AllocTrace {
  const hit = cache.get(name);
  if (hit) return hit;
  const path = name === SHARED_TRACE ? join(SHARED_DIR, name + '.json.gz') : join(OWN_DIR, name + '.json.gz');
  if (!existsSync(path)) throw new Error(name === SHARED_TRACE ? SHARED_TRACE_MISSING : `allocation trace not found: ${path}`);
  const json = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as { source: string; ops: [string, number, number][]; peakLiveBytes: number };
  const n = json.ops.length;
  const kind = new Uint8Array(n), size = new Uint32Array(n), refOp = new Int32Array(n).fill(-1);
  const lastOpOf = new Map<number, number>(), liveAtEnd = new Map<number, number>();
  json.ops.forEach(([op, id, bytes], i) => {
    if (op === 'a') {
      if (lastOpOf.has(id)) throw new Error(`${path}: op ${i} allocates id ${id}, which is live`);
      kind[i] = OP_ALLOC; size[i] = Math.max(1, bytes);
      lastOpOf.set(id, i); liveAtEnd.set(id, size[i]);
    } else {
      const ref = lastOpOf.get(id);
      if (ref === undefined) throw new Error(`${path}: op ${i} (${op}) names id ${id}, which is not live`);
      refOp[i] = ref;
      if (op === 'f') { kind[i] = OP_FREE; lastOpOf.delete(id); liveAtEnd.delete(id); }
      else if (op === 'r') { kind[i] = OP_REALLOC; size[i] = Math.max(1, bytes); lastOpOf.set(id, i); liveAtEnd.set(id, size[i]); }
      else throw new Error(`${path}: op ${i}: unknown op '${op}'`);
    }
  });
  const trace = { name, source: json.source, kind, size, refOp, peakLiveBytes: json.peakLiveBytes, liveAtEnd, lastOpOf };
  cache.set(name, trace);
  return trace;
}

/** The trace with a free appended for every id it leaves live (so a replay ends empty). */
export function drained(trace: AllocTrace): AllocTrace {
  const extra = trace.lastOpOf.size, n = trace.kind.length;
  const kind = new Uint8Array(n + extra), size = new Uint32Array(n + extra), refOp = new Int32Array(n + extra);
  kind.set(trace.kind); size.set(trace.size); refOp.set(trace.refOp);
  let i = n;
  for (const op of [...trace.lastOpOf.values()].sort((a, b) => a - b)) { kind[i] = OP_FREE; refOp[i] = op; i++; }
  return { ...trace, name: trace.name, kind, size, refOp, liveAtEnd: new Map(), lastOpOf: new Map() };
}

export interface BatchTarget {
  memory(): ArrayBuffer;
  ptr: number;
  run(count: number): void;
}

/**
 * Replays ops [from, to) of a trace as batches of BATCH_OPS commands (node 0, pid 0); results
 * (block ids or pointers, or negative codes) land in `results` by op index. `afterBatch(end)` runs
 * after each batch; returning false stops the replay. Returns the failed allocations.
 */
export function replayTrace(trace: AllocTrace, target: BatchTarget, results: Int32Array, afterBatch?: (end: number) => boolean, stopOnFailure = false): number {
  const { kind, size, refOp } = trace;
  const total = kind.length;
  let failures = 0;
  for (let start = 0; start < total; start += BATCH_OPS) {
    const count = Math.min(BATCH_OPS, total - start);
    const words = new Uint32Array(target.memory(), target.ptr, count * 4);
    for (let i = 0, w = 0; i < count; i++, w += 4) {
      const op = start + i, k = kind[op];
      words[w] = k;
      words[w + 1] = 0;
      if (k === OP_ALLOC) { words[w + 2] = size[op]; words[w + 3] = 0; }
      else {
        const ref = refOp[op];
        words[w + 2] = ref >= start ? (BATCH_REF | (ref - start)) >>> 0 : results[ref];
        words[w + 3] = size[op];
      }
    }
    target.run(count);
    const out = new Int32Array(target.memory(), target.ptr, count * 4);
    for (let i = 0, w = 0; i < count; i++, w += 4) {
      const k = kind[start + i];
      if (k === OP_FREE) continue;
      const r = out[w];
      results[start + i] = r;
      if (r < 0) failures++;
    }
    if (afterBatch && !afterBatch(start + count)) break;
    if (stopOnFailure && failures > 0) break;
  }
  return failures;
}

/** The peak of the live bytes with every size rounded up to whole granules: what no heap of that granule can go under. */
export function roundedPeakBytes(trace: AllocTrace, granule: number): number {
  const round = (bytes: number) => Math.ceil(bytes / granule) * granule;
  let live = 0, peak = 0;
  for (let i = 0; i < trace.kind.length; i++) {
    const k = trace.kind[i];
    if (k === OP_ALLOC) live += round(trace.size[i]);
    else if (k === OP_FREE) live -= round(trace.size[trace.refOp[i]]);
    else live += round(trace.size[i]) - round(trace.size[trace.refOp[i]]);
    if (live > peak) peak = live;
  }
  return peak;
}
