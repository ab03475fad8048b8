// Buddy free lists: a free block of 2^k bytes (k = ORDER_MIN .. ORDER_MAX) lives in list k, and
// bit k of the order bitmap says the list is non-empty. A heap that is not a power of two is
// tiled at start-up by maximal aligned power-of-two blocks from address 0, largest first (48 MiB
// = 32 MiB at 0 + 16 MiB at 32 MiB); a block's buddy is at address ^ size, which always lies in
// the same tile, and it is found through the physical neighbour links, not a lookup table.

import {
  NONE, blockAt, getFirstLevelMap, setFirstLevelMap, getListHead, setListHead,
  getSize, getPrevLink, setPrevLink, getNextLink, setNextLink,
  touchBlock,
} from "./layout";

// @ts-ignore: decorator
@inline export function orderOf(size: u32): u32 { return 31 - clz<u32>(size); }

/** The least order whose blocks hold `size` bytes (size a whole number of granules: 8 or 16 and up). */
// @ts-ignore: decorator
@inline export function orderFor(size: u32): u32 { return size <= 8 ? 3 : 32 - clz<u32>(size - 1); }

export function buddyInsertFree(h: usize, table: usize, block: u32): void {
  const b = blockAt(table, block);
  touchBlock(b);
  const order = orderOf(getSize(b));
  const head = getListHead(h, order);
  setPrevLink(b, NONE);
  setNextLink(b, head);
  if (head != NONE) { const hb = blockAt(table, head); touchBlock(hb); setPrevLink(hb, block); }
  setListHead(h, order, block);
  setFirstLevelMap(h, getFirstLevelMap(h) | (1 << order));
}

export function buddyRemoveFree(h: usize, table: usize, block: u32): void {
  const b = blockAt(table, block);
  const order = orderOf(getSize(b));
  touchBlock(b);
  const prev = getPrevLink(b), next = getNextLink(b);
  if (prev != NONE) { const pb = blockAt(table, prev); touchBlock(pb); setNextLink(pb, next); }
  if (next != NONE) { const nb = blockAt(table, next); touchBlock(nb); setPrevLink(nb, prev); }
  if (getListHead(h, order) == block) {
    setListHead(h, order, next);
    if (next == NONE) setFirstLevelMap(h, getFirstLevelMap(h) & ~(1 << order));
  }
  setPrevLink(b, NONE);
  setNextLink(b, NONE);
}
