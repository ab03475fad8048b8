// TLSF free lists (Masmano et al. 2004; shaped like AssemblyScript's std/assembly/rt/tlsf.ts):
// a free block of `size` bytes lives in list (fl, sl):
//
//   size < SB_SIZE (256):  fl = 0,               sl = size >> 4            (16-byte classes)
//   otherwise:             fl = fls(size) - 7,   sl = the 4 bits after the leading one
//
// A heap of 8-byte granules (fine = 1, at most 1 GiB) files a block under the class of twice its
// size (classKey): 8-byte classes below 128, then 1/16 of a power of two as before, in the same
// 25 x 16 lists. A heap of 16-byte granules files every block where core 0.3.1 did. `fine` is a
// parameter: the batch's hot path (TLSF on 16-byte granules) passes a literal 0, which folds away.
//
//   firstLevelMap   bit fl set <=> some secondLevelMap[fl] bit is set
//   secondLevelMap  bit sl set <=> list (fl, sl) is non-empty
//
// A search rounds the request up to the next class boundary first, so any block found in a
// class at or above it fits: alloc and free are O(1) (two ctz and a few links).

import {
  NONE, SL_BITS, SB_SIZE, SB_BITS, ALIGN_BITS, SL_COUNT, FL_COUNT, blockAt, getFine,
  getFirstLevelMap, setFirstLevelMap, getSecondLevelMap, setSecondLevelMap, getListHead, setListHead,
  getSize, getPrevLink, setPrevLink, getNextLink, setNextLink,
  touchBlock,
} from "./layout";
import { HEAP_FINE_BYTES_MAX } from "../constants";

// @ts-ignore: decorator
@inline export function firstLevelOf(size: u32): u32 {
  return size < SB_SIZE ? 0 : (31 - clz<u32>(size)) - (SB_BITS - 1);
}
// @ts-ignore: decorator
@inline export function secondLevelOf(size: u32): u32 {
  if (size < SB_SIZE) return size >> ALIGN_BITS;
  const fls = 31 - clz<u32>(size);
  return (size >> (fls - SL_BITS)) ^ (1 << SL_BITS);
}
// @ts-ignore: decorator
@inline function listOf(size: u32): u32 { return firstLevelOf(size) * SL_COUNT + secondLevelOf(size); }
/** The size whose class a block of `size` bytes is filed under: itself, or twice it on a heap of 8-byte granules. */
// @ts-ignore: decorator
@inline export function classKey(size: u32, fine: u32): u32 { return size << fine; }

/** Lists a free block. Its own record is not marked here: every caller has just written it. */
// @ts-ignore: decorator
@inline
export function tlsfInsertFree(h: usize, table: usize, block: u32, fine: u32): void {
  const b = blockAt(table, block);
  const key = classKey(getSize(b), fine);
  const fl = firstLevelOf(key), sl = secondLevelOf(key);
  assert(fl < FL_COUNT, "size class within the table");
  const list = fl * SL_COUNT + sl;
  const head = getListHead(h, list);
  setPrevLink(b, NONE);
  setNextLink(b, head);
  if (head != NONE) { const hb = blockAt(table, head); touchBlock(hb); setPrevLink(hb, block); }
  setListHead(h, list, block);
  setFirstLevelMap(h, getFirstLevelMap(h) | (1 << fl));
  setSecondLevelMap(h, fl, getSecondLevelMap(h, fl) | (1 << sl));
}

// @ts-ignore: decorator
@inline
export function tlsfRemoveFree(h: usize, table: usize, block: u32, fine: u32): void {
  const b = blockAt(table, block);
  const key = classKey(getSize(b), fine);
  const fl = firstLevelOf(key), sl = secondLevelOf(key);
  touchBlock(b);
  const prev = getPrevLink(b), next = getNextLink(b);
  if (prev != NONE) { const pb = blockAt(table, prev); touchBlock(pb); setNextLink(pb, next); }
  if (next != NONE) { const nb = blockAt(table, next); touchBlock(nb); setPrevLink(nb, prev); }
  const list = fl * SL_COUNT + sl;
  if (getListHead(h, list) == block) {
    setListHead(h, list, next);
    if (next == NONE) {
      const slMap = getSecondLevelMap(h, fl) & ~(1 << sl);
      setSecondLevelMap(h, fl, slMap);
      if (slMap == 0) setFirstLevelMap(h, getFirstLevelMap(h) & ~(1 << fl));
    }
  }
  setPrevLink(b, NONE);
  setNextLink(b, NONE);
}

/** A free block of at least `size` bytes (good fit), or NONE: on a heap of 16-byte granules (the batch's hot path). */
export function tlsfSearch(h: usize, table: usize, size: u32): u32 { return search(h, table, size, 0); }
/** tlsfSearch on a heap of either granule. */
export function tlsfSearchAny(h: usize, table: usize, size: u32): u32 { return search(h, table, size, getFine(h)); }

// @ts-ignore: decorator
@inline
function search(h: usize, table: usize, size: u32, fine: u32): u32 {
  let request = classKey(size, fine);
  if (fine != 0 && size >= SB_SIZE) {
    // 8-byte granules: from 256 up a class holds more than one size, and the rounded search below
    // would pass over a block of the request's own class that fits: its head is tried first.
    if (size > HEAP_FINE_BYTES_MAX) return NONE; // its key would wrap; no block is that large
    const head = getListHead(h, listOf(request));
    if (head != NONE && getSize(blockAt(table, head)) >= size) return head;
  }
  if (request >= SB_SIZE) request += (1 << (31 - clz<u32>(request) - SL_BITS)) - 1;
  let fl = firstLevelOf(request), sl = secondLevelOf(request);
  if (fl >= FL_COUNT) return NONE;
  let slMap = getSecondLevelMap(h, fl) & (<u32>0xffffffff << sl);
  if (slMap == 0) {
    const flMap = fl + 1 >= 32 ? 0 : getFirstLevelMap(h) & (<u32>0xffffffff << (fl + 1));
    if (flMap == 0) return NONE;
    fl = ctz<u32>(flMap);
    slMap = getSecondLevelMap(h, fl);
    assert(slMap != 0, "second level map must be non-empty when its first level bit is set");
  }
  return getListHead(h, fl * SL_COUNT + ctz<u32>(slMap));
}

/** The largest free block (scans the highest non-empty list only), or NONE. */
export function tlsfLargest(h: usize, table: usize, guardMax: u32): u32 {
  const flMap = getFirstLevelMap(h);
  if (flMap == 0) return NONE;
  const fl = 31 - clz<u32>(flMap);
  const sl = 31 - clz<u32>(getSecondLevelMap(h, fl));
  let best = NONE, bestSize: u32 = 0;
  let at = getListHead(h, fl * SL_COUNT + sl);
  for (let guard: u32 = 0; at != NONE && guard <= guardMax; guard++) {
    const b = blockAt(table, at);
    if (getSize(b) > bestSize) { bestSize = getSize(b); best = at; }
    at = getNextLink(b);
  }
  return best;
}

/** For invariant checks: the list a free block of this size belongs in. */
export function tlsfListOf(h: usize, size: u32): u32 { return listOf(classKey(size, getFine(h))); }
