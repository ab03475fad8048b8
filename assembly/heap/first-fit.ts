// First fit, address ordered: one free list holding every free block in increasing address
// order; an allocation takes the free block of lowest address that holds it (carving from its low
// end), a free coalesces with free neighbours at once. O(free blocks) per allocation: the policy
// textbooks compare TLSF against (it tends to pack low addresses and leave small holes there).
//
//   address 0 ──────────────────────────────────────────────────────────── heapBytes
//            [used][FREE a][used][used][FREE b][used][used][used][FREE c]
//
//   heap record  listHead[FIRST_FIT_HEAD] = a    listHead[FIRST_FIT_TAIL] = c
//   free blocks  a ⇄ b ⇄ c through prevLink / nextLink (block records, layout.ts)
//
// Where a newly free block goes in the list: its physical neighbours are walked outwards, left
// and right in turn, to the nearest free block on either side (at most FIRST_FIT_WALK_MAX steps
// in all, then the list itself is walked from the head): coalescing means a free block's
// physical neighbours are used, so the walk crosses used blocks only.

import {
  NONE, blockAt, getListHead, setListHead, getAddress, getSize, getPrevLink, setPrevLink, getNextLink,
  setNextLink, getPrevPhysical, getNextPhysical, isFree, touchBlock,
} from "./layout";

export const FIRST_FIT_HEAD: u32 = 0;
export const FIRST_FIT_TAIL: u32 = 1;
/** Steps of the neighbour walk before falling back to a walk of the list from its head. */
export const FIRST_FIT_WALK_MAX: u32 = 4096;

/** Links `block` into the list after `before` (NONE: at the head). */
export function firstFitLinkAfter(h: usize, table: usize, block: u32, before: u32): void {
  const b = blockAt(table, block);
  touchBlock(b);
  const after = before == NONE ? getListHead(h, FIRST_FIT_HEAD) : getNextLink(blockAt(table, before));
  setPrevLink(b, before);
  setNextLink(b, after);
  if (before == NONE) setListHead(h, FIRST_FIT_HEAD, block);
  else { const pb = blockAt(table, before); touchBlock(pb); setNextLink(pb, block); }
  if (after == NONE) setListHead(h, FIRST_FIT_TAIL, block);
  else { const ab = blockAt(table, after); touchBlock(ab); setPrevLink(ab, block); }
}

export function firstFitRemove(h: usize, table: usize, block: u32): void {
  const b = blockAt(table, block);
  touchBlock(b);
  const prev = getPrevLink(b), next = getNextLink(b);
  if (prev == NONE) setListHead(h, FIRST_FIT_HEAD, next); else { const pb = blockAt(table, prev); touchBlock(pb); setNextLink(pb, next); }
  if (next == NONE) setListHead(h, FIRST_FIT_TAIL, prev); else { const nb = blockAt(table, next); touchBlock(nb); setPrevLink(nb, prev); }
  setPrevLink(b, NONE);
  setNextLink(b, NONE);
}

/** `block` takes `old`'s place in the list (no free block lies between their addresses). */
export function firstFitReplace(h: usize, table: usize, old: u32, block: u32): void {
  const o = blockAt(table, old), b = blockAt(table, block);
  touchBlock(o);
  touchBlock(b);
  const prev = getPrevLink(o), next = getNextLink(o);
  setPrevLink(b, prev);
  setNextLink(b, next);
  if (prev == NONE) setListHead(h, FIRST_FIT_HEAD, block); else { const pb = blockAt(table, prev); touchBlock(pb); setNextLink(pb, block); }
  if (next == NONE) setListHead(h, FIRST_FIT_TAIL, block); else { const nb = blockAt(table, next); touchBlock(nb); setPrevLink(nb, block); }
  setPrevLink(o, NONE);
  setNextLink(o, NONE);
}

/** Inserts a free block (not listed yet) at its address's place. */
export function firstFitInsert(h: usize, table: usize, block: u32, guardMax: u32): void {
  let left = getPrevPhysical(blockAt(table, block)), right = getNextPhysical(blockAt(table, block));
  for (let step: u32 = 0; step < FIRST_FIT_WALK_MAX; step++) {
    if (left == NONE) { firstFitLinkAfter(h, table, block, NONE); return; }
    const l = blockAt(table, left);
    if (isFree(l)) { firstFitLinkAfter(h, table, block, left); return; }
    left = getPrevPhysical(l);
    if (right == NONE) { firstFitLinkAfter(h, table, block, getListHead(h, FIRST_FIT_TAIL)); return; }
    const r = blockAt(table, right);
    if (isFree(r)) { firstFitLinkAfter(h, table, block, getPrevLink(r)); return; }
    right = getNextPhysical(r);
  }
  // Long runs of used blocks on both sides: walk the list for the last block below the address.
  const address = getAddress(blockAt(table, block));
  let before = NONE, at = getListHead(h, FIRST_FIT_HEAD);
  for (let guard: u32 = 0; at != NONE && guard <= guardMax; guard++) {
    const a = blockAt(table, at);
    if (getAddress(a) > address) break;
    before = at;
    at = getNextLink(a);
  }
  firstFitLinkAfter(h, table, block, before);
}

/** The free block of lowest address with at least `size` bytes, or NONE. */
export function firstFitSearch(h: usize, table: usize, size: u32, guardMax: u32): u32 {
  let at = getListHead(h, FIRST_FIT_HEAD);
  for (let guard: u32 = 0; at != NONE && guard <= guardMax; guard++) {
    const a = blockAt(table, at);
    if (getSize(a) >= size) return at;
    at = getNextLink(a);
  }
  return NONE;
}

/** The largest free block (the first of that size in address order), or NONE. */
export function firstFitLargest(h: usize, table: usize, guardMax: u32): u32 {
  let best = NONE, bestSize: u32 = 0;
  let at = getListHead(h, FIRST_FIT_HEAD);
  for (let guard: u32 = 0; at != NONE && guard <= guardMax; guard++) {
    const a = blockAt(table, at);
    if (getSize(a) > bestSize) { bestSize = getSize(a); best = at; }
    at = getNextLink(a);
  }
  return best;
}
