// Start-up allocation of the core's state regions, and dirty-page tracking for snapshots.
//
// Every module of the core (scheduler, allocator, CRDT) keeps its whole state in regions reserved
// here while the kernel configures the core, then never allocates again: a snapshot of the core
// is a copy of linear memory, and a restore into a core configured the same way lands every
// region at the same address.
//
// Linear memory:
//
//   0          __heap_base   REGIONS_BASE (1 MiB)               regionsEnd            memory.size
//   ├────────────┼────────────┼───────────┬───────────┬───────┼─────────────────────┤
//   │ static data│ (unused)   │ region 0  │ region 1  │  ...  │ not yet reserved    │
//   │ (segments) │            │ (aligned) │ (aligned) │       │ (grown on demand)   │
//   └────────────┴────────────┴───────────┴───────────┴───────┴─────────────────────┘
//
// Dirty pages: one bit per SNAPSHOT_PAGE_BYTES page of linear memory, in a static bitmap. Every
// tracked store sets its page's bit; the kernel reads the bitmap at a snapshot, copies only those
// pages, and clears it.

import { MEMORY_BYTES_MAX, REGIONS_BASE, SNAPSHOT_PAGE_BITS, SNAPSHOT_PAGE_BYTES, SNAPSHOT_PAGES_MAX } from "../constants";

const WASM_PAGE_BITS: u32 = 16;

// Bitmap words: 32 pages a u32 word.
// Page-aligned so that no other static data shares its pages (those are never snapshotted).
const DIRTY_BITMAP: usize = memory.data(<i32>(SNAPSHOT_PAGES_MAX >> 3), <i32>SNAPSHOT_PAGE_BYTES);

let regionsEnd: usize = 0;

// @ts-ignore: decorator
@inline function alignUp(value: usize, align: usize): usize { return (value + align - 1) & ~(align - 1); }

/** First byte of the first region (regions are the core's state; static data is not). */
export function regionsBase(): usize {
  // Static data must end below the fixed base, or the two builds would disagree on addresses.
  assert(__heap_base <= <usize>REGIONS_BASE, "static data must end below REGIONS_BASE");
  return <usize>REGIONS_BASE;
}

/** First free byte after static data and reserved regions. */
export function regionsTop(): usize {
  if (regionsEnd == 0) regionsEnd = regionsBase();
  return regionsEnd;
}

/**
 * Reserves `bytes` of zeroed memory aligned to `align` (a power of two), growing linear memory
 * if needed. Returns 0 when the request would pass MEMORY_BYTES_MAX or memory cannot grow; the
 * caller turns that into an error code. Only called while the kernel configures the core.
 */
export function reserveRegion(bytes: usize, align: usize): usize {
  assert(align != 0 && (align & (align - 1)) == 0, "align must be a power of two");
  const start = alignUp(regionsTop(), align);
  const end = start + bytes;
  if (end > <usize>MEMORY_BYTES_MAX || end < start) return 0;
  const haveBytes = (<usize>memory.size()) << WASM_PAGE_BITS;
  if (end > haveBytes) {
    const needPages = <i32>((end - haveBytes + (1 << WASM_PAGE_BITS) - 1) >> WASM_PAGE_BITS);
    if (memory.grow(needPages) < 0) return 0;
  }
  // pages just grown are zero already (wasm guarantees it): clear only what was there before,
  // so a large region costs nothing until it is touched
  if (start < haveBytes) memory.fill(start, 0, (end < haveBytes ? end : haveBytes) - start);
  markDirtyRange(start, bytes);
  regionsEnd = end;
  return start;
}

/**
 * Grows the last region (the one ending at the top) from `oldBytes` to `newBytes` in place,
 * growing linear memory if needed; false when another region follows it, or memory cannot grow
 * (the caller reserves a new region instead). For private CRDT cores only: the kernel's core
 * never changes its layout once configured.
 */
export function extendLastRegion(start: usize, oldBytes: usize, newBytes: usize): bool {
  if (newBytes < oldBytes || start + oldBytes != regionsTop()) return false;
  const end = start + newBytes;
  if (end > <usize>MEMORY_BYTES_MAX || end < start) return false;
  const haveBytes = (<usize>memory.size()) << WASM_PAGE_BITS;
  if (end > haveBytes) {
    const needPages = <i32>((end - haveBytes + (1 << WASM_PAGE_BITS) - 1) >> WASM_PAGE_BITS);
    if (memory.grow(needPages) < 0) return false;
  }
  markDirtyRange(start + oldBytes, newBytes - oldBytes);
  regionsEnd = end;
  return true;
}

/** Forgets every region (the kernel is about to configure the core afresh). Memory stays grown. */
export function releaseAllRegions(): void {
  const top = regionsTop();
  const base = regionsBase();
  if (top > base) {
    memory.fill(base, 0, top - base);
    markDirtyRange(base, top - base);
  }
  regionsEnd = base;
}

// @ts-ignore: decorator
@inline export function markDirty(addr: usize): void {
  const page = <u32>(addr >> SNAPSHOT_PAGE_BITS);
  const word = DIRTY_BITMAP + ((<usize>(page >> 5)) << 2);
  // Store only when the bit is new: a page is marked over and over between snapshots, and an
  // unconditional read-modify-write chains every mark of a word on the one before it (store to
  // load forwarding); the allocator marks ~10 records an operation (issue 14: ~20% of its time).
  const bits = load<u32>(word), bit: u32 = 1 << (page & 31);
  if ((bits & bit) == 0) store<u32>(word, bits | bit);
}

export function markDirtyRange(addr: usize, bytes: usize): void {
  if (bytes == 0) return;
  const first = <u32>(addr >> SNAPSHOT_PAGE_BITS);
  const last = <u32>((addr + bytes - 1) >> SNAPSHOT_PAGE_BITS);
  for (let page = first; page <= last; page++) {
    const word = DIRTY_BITMAP + ((<usize>(page >> 5)) << 2);
    store<u32>(word, load<u32>(word) | (1 << (page & 31)));
  }
}

/** The bitmap's address; the kernel reads `dirtyBitmapWords()` u32 words from it. */
export function dirtyBitmapPtr(): usize { return DIRTY_BITMAP; }
export function dirtyBitmapBytes(): u32 { return SNAPSHOT_PAGES_MAX >> 3; }

/** Words of the bitmap that can hold a set bit right now (covers memory.size()). */
export function dirtyBitmapWords(): u32 {
  const pages = (<u32>memory.size()) << (WASM_PAGE_BITS - SNAPSHOT_PAGE_BITS);
  return (pages + 31) >> 5;
}

export function clearDirty(): void {
  memory.fill(DIRTY_BITMAP, 0, <usize>(SNAPSHOT_PAGES_MAX >> 3));
}

/** Marks every page in use dirty: the next snapshot is a full one. */
export function markAllDirty(): void {
  memory.fill(DIRTY_BITMAP, 0xff, <usize>(dirtyBitmapWords() << 2));
}
