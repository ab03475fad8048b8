// CRDT core, shared part: the doc table, the IO buffer every encode/decode goes through, the
// decode scratch, varints, the 64-bit value hash, error codes and an in-place sort.
//
// ABI (exported from assembly/index.ts; the TS side is src/crdt/):
//   crdtInit(ioBytes, recordsMax) -> 0 | error    once, at start-up: reserves IO + scratch
//   crdtIoPtr(), crdtIoBytes()                    the shared buffer (inputs and outputs)
//   crdtDocKind(doc)                              kind of a doc handle (0 = free)
// Every other entry point takes a doc handle (0 .. CRDT_DOCS_MAX-1) returned by a *Create call.
// Errors are negative i32 codes (CRDT_ERR_*); nothing traps on bad input or a full arena.
//
// Core-wide memory:
//
//   static data:  DOC_TABLE  CRDT_DOCS_MAX × u32   base address of each doc's region (0 = free)
//   region:       IO         ioBytes               encode output / decode input, batched ops
//   region:       SCRATCH    recordsMax × 32 B     decoded records of one delta, sorted keys
//
// A doc's own region holds all its state (layout in text.ts, counter.ts, ...), so a snapshot of
// linear memory captures every doc, and nothing is allocated after the doc is created.

import { CRDT_DOCS_MAX } from "../constants";
import { reserveRegion, markDirty, markDirtyRange } from "../memory/regions";

export const CRDT_FORMAT_VERSION: u8 = 1;

// Doc kinds (also the kind byte of every encoding).
export const KIND_FREE: u32 = 0;
export const KIND_TEXT: u32 = 1;
export const KIND_COUNTER: u32 = 2;
export const KIND_LWW_MAP: u32 = 3;
export const KIND_OR_SET: u32 = 4;
export const KIND_JOIN_MAP: u32 = 5;   // workflow: per key, the greatest (rank, lamport, replica)
export const KIND_TIME_SERIES: u32 = 6;

// Error codes.
export const ERR_BAD_DOC: i32 = -1;
export const ERR_ITEMS_FULL: i32 = -2;
export const ERR_CHARS_FULL: i32 = -3;
export const ERR_INDEX_FULL: i32 = -4;
export const ERR_REPLICAS_FULL: i32 = -5;
export const ERR_IO_FULL: i32 = -6;
export const ERR_MALFORMED: i32 = -7;
export const ERR_NOT_READY: i32 = -8;
export const ERR_SCRATCH_FULL: i32 = -9;
export const ERR_BAD_ARGUMENT: i32 = -10;
export const ERR_WRONG_KIND: i32 = -11;
export const ERR_NOT_INITIALIZED: i32 = -12;
export const ERR_DOCS_FULL: i32 = -13;
export const ERR_VERSION: i32 = -14;
export const ERR_REGION: i32 = -15;

export const NIL: u32 = 0xffffffff;

const DOC_TABLE: usize = memory.data(<i32>(CRDT_DOCS_MAX << 2), 16);
// IO and scratch addresses live in linear memory too, so a restore brings them back.
const CORE_GLOBALS: usize = memory.data(16, 16);
// @ts-ignore: decorator
@inline function getIoBase(): usize { return <usize>load<u32>(CORE_GLOBALS); }
// @ts-ignore: decorator
@inline function getIoSize(): u32 { return load<u32>(CORE_GLOBALS, 4); }
// @ts-ignore: decorator
@inline function getScratchBase(): usize { return <usize>load<u32>(CORE_GLOBALS, 8); }
// @ts-ignore: decorator
@inline function getRecordsMax(): u32 { return load<u32>(CORE_GLOBALS, 12); }

export const RECORD_BYTES: usize = 40;

export function crdtInit(ioBytes: u32, recordsMax: u32): i32 {
  if (getIoBase() != 0) return 0; // already configured; the sizes stay those of the first call
  if (ioBytes < 64 || recordsMax < 16) return ERR_BAD_ARGUMENT;
  const io = reserveRegion(<usize>ioBytes, 16);
  if (io == 0) return ERR_REGION;
  // records, then one u64 sort key per record
  const scratch = reserveRegion(<usize>recordsMax * (RECORD_BYTES + 8), 16);
  if (scratch == 0) return ERR_REGION;
  store<u32>(CORE_GLOBALS, <u32>io);
  store<u32>(CORE_GLOBALS, ioBytes, 4);
  store<u32>(CORE_GLOBALS, <u32>scratch, 8);
  store<u32>(CORE_GLOBALS, recordsMax, 12);
  markDirty(CORE_GLOBALS);
  return 0;
}

/**
 * A larger IO buffer and/or decode scratch, reserved after every region so far (the smaller
 * ones are abandoned; their bytes are not copied). For private cores, which start small and
 * grow to what their docs exchange (src/crdt/core.ts): memory follows use, not capacity. Never
 * for the kernel's core, whose layout is fixed once configured (snapshots restore by address).
 * Sizes below the current ones keep the current ones.
 */
export function crdtGrowIo(ioBytes: u32, recordsMax: u32): i32 {
  if (getIoBase() == 0) return ERR_NOT_INITIALIZED;
  if (ioBytes > getIoSize()) {
    const io = reserveRegion(<usize>ioBytes, 16);
    if (io == 0) return ERR_REGION;
    store<u32>(CORE_GLOBALS, <u32>io);
    store<u32>(CORE_GLOBALS, ioBytes, 4);
  }
  if (recordsMax > getRecordsMax()) {
    const scratch = reserveRegion(<usize>recordsMax * (RECORD_BYTES + 8), 16);
    if (scratch == 0) return ERR_REGION;
    store<u32>(CORE_GLOBALS, <u32>scratch, 8);
    store<u32>(CORE_GLOBALS, recordsMax, 12);
  }
  markDirty(CORE_GLOBALS);
  return 0;
}

/**
 * Forgets every doc and the IO/scratch regions: the kernel calls it with releaseAllRegions()
 * before configuring the core afresh, so a new session never sees an old session's docs.
 */
export function crdtReset(): void {
  memory.fill(DOC_TABLE, 0, <usize>(CRDT_DOCS_MAX << 2));
  memory.fill(CORE_GLOBALS, 0, 16);
  markDirtyRange(DOC_TABLE, <usize>(CRDT_DOCS_MAX << 2));
  markDirty(CORE_GLOBALS);
}

/** The decode scratch region (records and sort keys): working memory, not state. */
export function crdtScratchPtr(): usize { return getScratchBase(); }
export function crdtScratchBytes(): u32 { return getRecordsMax() * <u32>(RECORD_BYTES + 8); }

export function crdtIoPtr(): usize { return getIoBase(); }
export function crdtIoBytes(): u32 { return getIoSize(); }
export function ioBase(): usize { return getIoBase(); }
export function ioSize(): u32 { return getIoSize(); }
export function scratchBase(): usize { return getScratchBase(); }
export function recordsMax(): u32 { return getRecordsMax(); }
/** Sort keys follow the records. */
export function keysBase(): usize { return getScratchBase() + <usize>getRecordsMax() * RECORD_BYTES; }

// ── doc table ────────────────────────────────────────────────────────────────────────────────

export function docBase(doc: i32): usize {
  if (doc < 0 || <u32>doc >= CRDT_DOCS_MAX) return 0;
  return <usize>load<u32>(DOC_TABLE + ((<usize>doc) << 2));
}

/** Moves a doc's handle to a new region (a private core's doc that outgrew its region). */
export function setDocBase(doc: i32, base: usize): void {
  const slot = DOC_TABLE + ((<usize>doc) << 2);
  store<u32>(slot, <u32>base);
  markDirty(slot);
}

/** Kind stored in the first word of every doc region. */
export function crdtDocKind(doc: i32): u32 {
  const base = docBase(doc);
  return base == 0 ? KIND_FREE : load<u32>(base);
}

/** Reserves a region for a new doc and returns its handle, or an error. */
export function createDoc(kind: u32, bytes: usize): i32 {
  if (getIoBase() == 0) return ERR_NOT_INITIALIZED;
  let doc: i32 = -1;
  for (let i: u32 = 0; i < CRDT_DOCS_MAX; i++) {
    if (load<u32>(DOC_TABLE + ((<usize>i) << 2)) == 0) { doc = <i32>i; break; }
  }
  if (doc < 0) return ERR_DOCS_FULL;
  const base = reserveRegion(bytes, 16);
  if (base == 0) return ERR_REGION;
  store<u32>(base, kind);
  const slot = DOC_TABLE + ((<usize>doc) << 2);
  store<u32>(slot, <u32>base);
  markDirty(slot);
  return doc;
}

// ── varint writer / reader over the IO buffer ───────────────────────────────────────────────
// Writers never pass `writeEnd`; an overflow sets `writeFailed` and later writes are dropped,
// so encoders check once at the end.

export let writePtr: usize = 0;
export let writeEnd: usize = 0;
export let writeFailed: bool = false;

export function writeBegin(at: usize, end: usize): void { writePtr = at; writeEnd = end; writeFailed = false; }

export function writeU8(value: u32): void {
  if (writePtr >= writeEnd) { writeFailed = true; return; }
  store<u8>(writePtr, <u8>value);
  writePtr++;
}

export function writeVar(value: u32): void {
  while (value >= 0x80) { writeU8((value & 0x7f) | 0x80); value >>>= 7; }
  writeU8(value);
}

export function writeVar64(value: u64): void {
  while (value >= 0x80) { writeU8(<u32>(value & 0x7f) | 0x80); value >>>= 7; }
  writeU8(<u32>value);
}

// @ts-ignore: decorator
@inline export function zigzag(value: i32): u32 { return <u32>((value << 1) ^ (value >> 31)); }
// @ts-ignore: decorator
@inline export function unzigzag(value: u32): i32 { return <i32>(value >>> 1) ^ -(<i32>(value & 1)); }

export function writeBytes(from: usize, count: u32): void {
  if (writePtr + <usize>count > writeEnd) { writeFailed = true; return; }
  memory.copy(writePtr, from, <usize>count);
  writePtr += <usize>count;
}

export let readPtr: usize = 0;
export let readEnd: usize = 0;
export let readFailed: bool = false;

export function readBegin(at: usize, end: usize): void { readPtr = at; readEnd = end; readFailed = false; }

export function readU8(): u32 {
  if (readPtr >= readEnd) { readFailed = true; return 0; }
  const value = <u32>load<u8>(readPtr);
  readPtr++;
  return value;
}

export function readVar(): u32 {
  let value: u32 = 0;
  let shift: u32 = 0;
  // at most 5 bytes for a u32
  for (let i = 0; i < 5; i++) {
    const byte = readU8();
    value |= (byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
    shift += 7;
  }
  readFailed = true;
  return 0;
}

export function readVar64(): u64 {
  let value: u64 = 0;
  let shift: u64 = 0;
  for (let i = 0; i < 10; i++) {
    const byte = readU8();
    value |= (<u64>(byte & 0x7f)) << shift;
    if ((byte & 0x80) == 0) return value;
    shift += 7;
  }
  readFailed = true;
  return 0;
}

// ── 64-bit hash of observable values: FNV-1a over u32 words ─────────────────────────────────

export const HASH_SEED: u64 = 0xcbf29ce484222325;
const HASH_PRIME: u64 = 0x100000001b3;
// @ts-ignore: decorator
@inline export function hashWord(hash: u64, word: u32): u64 { return (hash ^ <u64>word) * HASH_PRIME; }

// ── sort of u64 keys in place (quicksort, median of three, insertion sort below 16) ─────────
// Keys are unique where used (a record index in the low bits), so the order is deterministic.

export function sortKeys(base: usize, count: u32): void {
  if (count < 2) return;
  // explicit stack of (lo, hi) ranges; always recurse into the smaller part: depth <= 2 log n
  const STACK_MAX: i32 = 64;
  const stack = STACK_SCRATCH;
  let top = 0;
  store<u32>(stack, 0); store<u32>(stack, count - 1, 4); top = 1;
  while (top > 0) {
    top--;
    let lo = <i32>load<u32>(stack + (<usize>top << 3));
    let hi = <i32>load<u32>(stack + (<usize>top << 3), 4);
    while (hi - lo > 16) {
      const mid = lo + ((hi - lo) >> 1);
      // median of three into mid
      if (key(base, mid) < key(base, lo)) swapKeys(base, mid, lo);
      if (key(base, hi) < key(base, lo)) swapKeys(base, hi, lo);
      if (key(base, hi) < key(base, mid)) swapKeys(base, hi, mid);
      const pivot = key(base, mid);
      let i = lo, j = hi;
      while (i <= j) {
        while (key(base, i) < pivot) i++;
        while (key(base, j) > pivot) j--;
        if (i <= j) { swapKeys(base, i, j); i++; j--; }
      }
      // push the larger part, loop on the smaller
      if (j - lo > hi - i) {
        if (top < STACK_MAX) { store<u32>(stack + (<usize>top << 3), lo); store<u32>(stack + (<usize>top << 3), j, 4); top++; }
        lo = i;
      } else {
        if (top < STACK_MAX) { store<u32>(stack + (<usize>top << 3), i); store<u32>(stack + (<usize>top << 3), hi, 4); top++; }
        hi = j;
      }
    }
    for (let a = lo + 1; a <= hi; a++) {
      const value = key(base, a);
      let b = a - 1;
      while (b >= lo && key(base, b) > value) { store<u64>(base + (<usize>(b + 1) << 3), key(base, b)); b--; }
      store<u64>(base + (<usize>(b + 1) << 3), value);
    }
  }
}
const STACK_SCRATCH: usize = memory.data(64 * 8, 16);

// ── radix sort of u64 keys (LSD, 11-bit digits, stable) ─────────────────────────────────────
const RADIX_BITS: u32 = 11;
const RADIX_DIGITS: usize = 1 << RADIX_BITS;
/** Bytes of working memory radixSortKeys needs besides the keys' own: a copy, and a histogram. */
// @ts-ignore: decorator
@inline export function radixSortBytes(count: u32): usize { return (<usize>count << 3) + (RADIX_DIGITS << 2); }

/**
 * Sorts `count` u64 keys at `base` by their bits from `low` up, in place, with `tmp`
 * (radixSortBytes(count)) as working memory: a pass per 11-bit digit, skipped when every key has
 * the same digit there (the high bits of small seqs and a single replica's slot). Keys equal in
 * those bits keep their order. About 2 passes where sortKeys makes log2(count) (issue 14: the
 * sort of a long session's 50k runs was a fifth of its load).
 */
export function radixSortKeys(base: usize, count: u32, tmp: usize, low: u32): void {
  if (count < 2) return;
  const hist = tmp + (<usize>count << 3);
  let from = base, to = tmp;
  for (let shift: u64 = <u64>low; shift < 64; shift += RADIX_BITS) {
    memory.fill(hist, 0, RADIX_DIGITS << 2);
    for (let i: u32 = 0; i < count; i++) {
      const at = hist + (<usize>((load<u64>(from + (<usize>i << 3)) >> shift) & <u64>(RADIX_DIGITS - 1)) << 2);
      store<u32>(at, load<u32>(at) + 1);
    }
    let sum: u32 = 0, single = false;
    for (let d: usize = 0; d < RADIX_DIGITS; d++) {
      const at = hist + (d << 2);
      const n = load<u32>(at);
      if (n == count) { single = true; break; }
      store<u32>(at, sum);
      sum += n;
    }
    if (single) continue; // every key has this digit: the order stands
    for (let i: u32 = 0; i < count; i++) {
      const key = load<u64>(from + (<usize>i << 3));
      const at = hist + (<usize>((key >> shift) & <u64>(RADIX_DIGITS - 1)) << 2);
      const slot = load<u32>(at);
      store<u32>(at, slot + 1);
      store<u64>(to + (<usize>slot << 3), key);
    }
    const swap = from; from = to; to = swap;
  }
  if (from != base) memory.copy(base, from, <usize>count << 3);
}
// @ts-ignore: decorator
@inline function key(base: usize, index: i32): u64 { return load<u64>(base + (<usize>index << 3)); }
// @ts-ignore: decorator
@inline function swapKeys(base: usize, a: i32, b: i32): void {
  const t = load<u64>(base + (<usize>a << 3));
  store<u64>(base + (<usize>a << 3), load<u64>(base + (<usize>b << 3)));
  store<u64>(base + (<usize>b << 3), t);
}
