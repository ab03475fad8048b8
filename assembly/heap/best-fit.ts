// Best fit: the free block with the fewest bytes that still holds the request (ties: the first
// in its list). It keeps TLSF's segregated lists and bitmaps (tlsf.ts: same classes, same insert
// and remove), so only the search differs:
//
//   request's own class (fl, sl)   scan it: its blocks may be smaller than the request
//   next non-empty class above     every block there fits: scan it for the smallest
//
//   heap record  firstLevelMap ─┐   secondLevelMap[fl] ─┐   listHead[fl * 16 + sl] → b ⇄ c ⇄ …
//                               └ bit fl: some list of fl └ bit sl: list (fl, sl) non-empty
//
// O(blocks in one class) per allocation, bounded by the free block count; a class spans 1/16 of
// a power of two, so the scan is short unless many free blocks share a size range.

import { NONE, SL_COUNT, FL_COUNT, blockAt, getFirstLevelMap, getSecondLevelMap, getListHead, getSize, getNextLink } from "./layout";
import { firstLevelOf, secondLevelOf, classKey } from "./tlsf";

/** The smallest block in list `list` with at least `size` bytes, or NONE. */
function smallestIn(h: usize, table: usize, list: u32, size: u32, guardMax: u32): u32 {
  let best = NONE, bestSize: u32 = 0xffffffff;
  let at = getListHead(h, list);
  for (let guard: u32 = 0; at != NONE && guard <= guardMax; guard++) {
    const a = blockAt(table, at);
    const s = getSize(a);
    if (s >= size && s < bestSize) {
      best = at; bestSize = s;
      if (s == size) break;
    }
    at = getNextLink(a);
  }
  return best;
}

/** The best-fitting free block for `size` bytes, or NONE. */
export function bestFitSearch(h: usize, table: usize, size: u32, guardMax: u32, fine: u32): u32 {
  const key = classKey(size, fine);
  let fl = firstLevelOf(key);
  const sl = secondLevelOf(key);
  if (fl >= FL_COUNT) return NONE;
  if (((getSecondLevelMap(h, fl) >> sl) & 1) != 0) {
    const own = smallestIn(h, table, fl * SL_COUNT + sl, size, guardMax);
    if (own != NONE) return own;
  }
  let slMap = sl + 1 >= SL_COUNT ? 0 : getSecondLevelMap(h, fl) & (<u32>0xffffffff << (sl + 1));
  if (slMap == 0) {
    const flMap = fl + 1 >= 32 ? 0 : getFirstLevelMap(h) & (<u32>0xffffffff << (fl + 1));
    if (flMap == 0) return NONE;
    fl = ctz<u32>(flMap);
    slMap = getSecondLevelMap(h, fl);
  }
  return smallestIn(h, table, fl * SL_COUNT + ctz<u32>(slMap), size, guardMax);
}

/** TLSF's fallback when its good-fit search finds nothing: a block of the request's own class. */
export function ownClassFit(h: usize, table: usize, size: u32, guardMax: u32, fine: u32): u32 {
  const key = classKey(size, fine);
  const fl = firstLevelOf(key), sl = secondLevelOf(key);
  if (fl >= FL_COUNT || ((getSecondLevelMap(h, fl) >> sl) & 1) == 0) return NONE;
  let at = getListHead(h, fl * SL_COUNT + sl);
  for (let guard: u32 = 0; at != NONE && guard <= guardMax; guard++) {
    const a = blockAt(table, at);
    if (getSize(a) >= size) return at;
    at = getNextLink(a);
  }
  return NONE;
}
