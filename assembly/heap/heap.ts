// The allocator: one simulated heap per node, under one of four policies (chosen per node at
// boot, switchable live: heapSetAllocator): TLSF, buddy, first fit (address ordered), best fit;
// with per-process accounting, free-everything-of-a-pid, fragmentation figures and a memory map.
//
//   alloc(node, pid, bytes) -> block id (>= 0) or a negative error; the block's address and size
//   are read with heapBlockAddress / heapBlockSize (or come back in the batch result).
//   free(node, pid, block)  -> 0 or an error (the block must be in use and owned by pid).
//   realloc(node, pid, block, bytes) -> the block id (the same one when it grew or shrank in
//   place) or an error (then the old block is untouched).
//
// Sizes round up to the heap's granule, 16 bytes or (heapInit's granule 8) 8 bytes (buddy: to a
// power of two). The simulated heap has no
// headers, so every granule of it is allocatable. Immediate coalescing: a freed block merges with
// free physical neighbours (TLSF, first fit, best fit) or with its free buddy, repeatedly (buddy). Out of memory, out
// of block records and bad ids are error codes, never traps.

import { NODES_MAX, HEAP_BYTES_MAX, HEAP_BLOCKS_MAX, HEAP_OWNERS_MAX, HEAP_BATCH_OPS_MAX, HEAP_GRANULE_BYTES, HEAP_GRANULE_MIN, HEAP_FINE_BYTES_MAX } from "../constants";
import { reserveRegion, regionsTop, markDirty, markDirtyRange } from "../memory/regions";
import {
  NONE, HEAP_MAGIC, HEAP_RECORD_BYTES, BLOCK_BYTES, OWNER_BYTES, ALLOCATOR_NONE, ALLOCATOR_TLSF, ALLOCATOR_BUDDY,
  ALLOCATOR_FIRST_FIT, ALLOCATOR_BEST_FIT, ALLOCATOR_MAX,
  FLAG_LIVE, FLAG_FREE, FL_COUNT, SL_COUNT, ORDER_MIN, ORDER_MAX, getFine, setFine, granuleOf, getPolicyWord,
  heapBase, heapRecordsBase, blocksBase, ownersBase, nodeCountCached, blocksPerHeapCached, ownersPerHeapCached, regionBytes, setBases, setHeader,
  getMagic, getHeaderNodeCount, getHeaderBlocksPerHeap, getHeaderOwnersPerHeap,
  heapAt, blockTableOf, ownerTableOf, blockAt, ownerAt,
  getAllocator, setAllocator, getHeapBytes, setHeapBytes, getFreeBytes, setFreeBytes, getUsedBlocks, setUsedBlocks,
  getFreeBlocks, setFreeBlocks, getRecordHighWater, setRecordHighWater, getRecordFreeHead, setRecordFreeHead,
  getFirstBlock, setFirstBlock, getFirstLevelMap, setFirstLevelMap, getFailedAllocs, setFailedAllocs,
  getPeakUsedBytes, setPeakUsedBytes, getSecondLevelMap, setSecondLevelMap, getListHead, setListHead,
  getAddress, setAddress, getSize, setSize, getPrevPhysical, setPrevPhysical, getNextPhysical, setNextPhysical,
  getPrevLink, setPrevLink, getNextLink, setNextLink, getOwner, setOwner, getFlags, setFlags, isFree,
  getOwnerBytes, setOwnerBytes, getOwnerPeakBytes, setOwnerPeakBytes, getOwnerBlockCount, setOwnerBlockCount,
  getOwnerFirstBlock, setOwnerFirstBlock, touchHeap, touchBlock, touchOwner,
  indexBase, indexBytes, setIndexBase, spareWordsCached, summaryWordsCached, spareOf, summaryOf, idTableOf, getId, setIdAndFlags,
} from "./layout";
import { tlsfInsertFree, tlsfRemoveFree, tlsfSearch, tlsfSearchAny, tlsfLargest, tlsfListOf } from "./tlsf";
import { buddyInsertFree, buddyRemoveFree, orderOf, orderFor } from "./buddy";
import { bestFitSearch, ownClassFit } from "./best-fit";
import {
  FIRST_FIT_HEAD, FIRST_FIT_TAIL, firstFitLinkAfter, firstFitRemove, firstFitReplace, firstFitInsert, firstFitSearch,
  firstFitLargest,
} from "./first-fit";

export const HEAP_OK: i32 = 0;
export const HEAP_E_NODE: i32 = -1;            // node index not configured
export const HEAP_E_OWNER: i32 = -2;           // pid >= ownersPerHeap
export const HEAP_E_SIZE: i32 = -3;            // 0 bytes, more than HEAP_BYTES_MAX, or a bad heap size
export const HEAP_E_OUT_OF_MEMORY: i32 = -4;   // no free block fits
export const HEAP_E_BLOCKS_FULL: i32 = -5;     // no block record left to split with
export const HEAP_E_BLOCK: i32 = -6;           // not a block in use by this pid
export const HEAP_E_NOT_CONFIGURED: i32 = -7;
export const HEAP_E_CONFIG: i32 = -8;
export const HEAP_E_OP: i32 = -9;
export const HEAP_E_BATCH: i32 = -10;
export const HEAP_E_NOT_INITIALIZED: i32 = -11; // heapInit not called for this node
export const HEAP_E_BUFFER: i32 = -12;          // map buffer outside memory
export const HEAP_E_BUSY: i32 = -13;            // switching to buddy needs an empty heap

export const HEAP_OP_ALLOC: u32 = 1;    // [op, node, pid, bytes] -> [block | error, address, size, 0]
export const HEAP_OP_FREE: u32 = 2;     // [op, node, pid, block] -> [result, 0, 0, 0]
export const HEAP_OP_FREE_ALL: u32 = 3; // [op, node, pid, -]     -> [blocks freed | error, 0, 0, 0]
export const HEAP_OP_REALLOC: u32 = 4;  // [op, node, pid, block, bytes] -> [block | error, address, size, 0]
// A batch command is 16 bytes: word 0 = op | node << 8, word 1 = pid, word 2 = arg (bytes for
// alloc, the block for free and realloc), word 3 = the new bytes of a realloc. The result
// overwrites it: [result, address, size, 0]. A free's or realloc's block may name the result of
// an earlier command of the same batch: HEAP_BATCH_REF | its index (so a whole trace can go in
// one batch without waiting for the ids its allocations get).
export const HEAP_BATCH_REF: u32 = 0x80000000;

const BLOCKS_PER_HEAP_MIN: u32 = 64; // buddy tiling needs up to 28 records at start-up
const MAP_ENTRY_BYTES: usize = 12;
const BATCH: usize = memory.data(<i32>(HEAP_BATCH_OPS_MAX << 4), 16);

// @ts-ignore: decorator
@inline function configured(): bool { return heapBase != 0; }
let indexFloor: usize = 0;

// ── Configuration ───────────────────────────────────────────────────────────────────────────────

/** Reserves the allocator region (start-up only). Then heapInit each node. */
export function heapConfigure(nodeCount: u32, blocksPerHeap: u32, ownersPerHeap: u32): i32 {
  if (nodeCount == 0 || nodeCount > NODES_MAX) return HEAP_E_CONFIG;
  if (blocksPerHeap < BLOCKS_PER_HEAP_MIN || blocksPerHeap > HEAP_BLOCKS_MAX) return HEAP_E_CONFIG;
  if (ownersPerHeap == 0 || ownersPerHeap > HEAP_OWNERS_MAX) return HEAP_E_CONFIG;
  const base = reserveRegion(regionBytes(nodeCount, blocksPerHeap, ownersPerHeap), 4096);
  if (base == 0) return HEAP_E_CONFIG;
  setBases(base, nodeCount, blocksPerHeap, ownersPerHeap);
  setHeader(nodeCount, blocksPerHeap, ownersPerHeap);
  return HEAP_OK;
}

// ── Ids and slots ──
// A block's record lives in a slot; its id (what alloc returns, journals carry) maps to the slot
// through the id table. Every link inside the allocator (physical, free lists, owner lists, list
// heads) is a slot. Ids are reused LIFO (recordFreeHead chains spare ids through the id table),
// as before slots existed; slots are taken near the slot that asks (a split's remainder beside its
// block), so physical neighbours stay close in memory however long the heap has lived.

const ID_SPARE: u32 = 0x80000000; // id table entry of a spare id: its next spare id | ID_SPARE (NONE: none)

// @ts-ignore: decorator
@inline function idEntryAt(table: usize, id: u32): usize { return idTableOf(table) + ((<usize>id) << 2); }

/** The slot of a live id below the high-water mark, or NONE. */
// @ts-ignore: decorator
@inline function slotOfId(table: usize, id: u32): u32 {
  const entry = load<u32>(idEntryAt(table, id));
  return (entry & ID_SPARE) != 0 ? NONE : entry;
}

/** The first word in [from, to) of a spare bitmap whose summary bit is set, or NONE. */
function scanSummary(summary: usize, from: usize, to: usize): u32 {
  let at = from;
  while (at < to) {
    const sw = at >> 6;
    const bits = load<u64>(summary + (sw << 3)) & (<u64>-1 << (<u64>(at & 63)));
    if (bits != 0) {
      const word = (sw << 6) + <usize>ctz<u64>(bits);
      return word < to ? <u32>word : NONE;
    }
    at = (sw + 1) << 6;
  }
  return NONE;
}

/** Takes a spare slot as near to `near` as the spare bitmap has one: its line mate, its word, the next word with one. */
// @ts-ignore: decorator
@inline
function takeSlot(h: usize, near: u32): u32 {
  const spare = spareOf(h);
  const wordIndex = (<usize>near) >> 6;
  const w = spare + (wordIndex << 3);
  const bits = load<u64>(w);
  if (bits == 0) return takeFarSlot(h, wordIndex);
  const mate = (<u64>(near ^ 1)) & 63;
  let bit: u64;
  if (((bits >> mate) & 1) != 0) bit = mate;
  else {
    const above = bits & (<u64>-1 << (<u64>(near & 63)));
    bit = above != 0 ? ctz<u64>(above) : 63 - clz<u64>(bits);
  }
  const left = bits & ~(<u64>1 << bit);
  markDirty(w);
  store<u64>(w, left);
  if (left == 0) clearSummary(h, wordIndex);
  return <u32>((wordIndex << 6) + <usize>bit);
}

function clearSummary(h: usize, wordIndex: usize): void {
  const s = summaryOf(h) + ((wordIndex >> 6) << 3);
  markDirty(s);
  store<u64>(s, load<u64>(s) & ~(<u64>1 << (<u64>(wordIndex & 63))));
}

/** takeSlot when the word of `near` has no spare slot: the lowest spare slot of the next word (wrapping) that has one. */
function takeFarSlot(h: usize, from: usize): u32 {
  const summary = summaryOf(h);
  let found = scanSummary(summary, from + 1, spareWordsCached);
  if (found == NONE) found = scanSummary(summary, 0, from);
  assert(found != NONE, "a spare slot exists when a spare id does");
  const wordIndex = <usize>found;
  const w = spareOf(h) + (wordIndex << 3);
  const bits = load<u64>(w);
  const bit = ctz<u64>(bits);
  const left = bits & (bits - 1);
  markDirty(w);
  store<u64>(w, left);
  if (left == 0) clearSummary(h, wordIndex);
  return <u32>((wordIndex << 6) + <usize>bit);
}

// @ts-ignore: decorator
@inline
function releaseSlot(h: usize, slot: u32): void {
  const wordIndex = (<usize>slot) >> 6;
  const w = spareOf(h) + (wordIndex << 3);
  const bits = load<u64>(w);
  markDirty(w);
  store<u64>(w, bits | (<u64>1 << (<u64>(slot & 63))));
  if (bits == 0) {
    const s = summaryOf(h) + ((wordIndex >> 6) << 3);
    markDirty(s);
    store<u64>(s, load<u64>(s) | (<u64>1 << (<u64>(wordIndex & 63))));
  }
}

/** Whether a slot is marked spare (invariant checks). */
function slotSpare(h: usize, slot: u32): bool {
  return ((load<u64>(spareOf(h) + (((<usize>slot) >> 6) << 3)) >> (<u64>(slot & 63))) & 1) != 0;
}

/** A new record: the next spare id (LIFO) in a spare slot near `near`; the slot, or NONE. */
// @ts-ignore: decorator
@inline
function newRecord(h: usize, table: usize, near: u32): u32 {
  let id = getRecordFreeHead(h);
  if (id != NONE) {
    const entry = load<u32>(idEntryAt(table, id));
    setRecordFreeHead(h, entry == NONE ? NONE : entry & ~ID_SPARE);
  } else {
    id = getRecordHighWater(h);
    if (id >= blocksPerHeapCached) return NONE;
    setRecordHighWater(h, id + 1);
  }
  const slot = takeSlot(h, near);
  const e = idEntryAt(table, id);
  markDirty(e);
  store<u32>(e, slot);
  setIdAndFlags(blockAt(table, slot), id, 0);
  return slot;
}

// @ts-ignore: decorator
@inline function recordsAvailable(h: usize): u32 { return blocksPerHeapCached - getUsedBlocks(h) - getFreeBlocks(h); }

// @ts-ignore: decorator
@inline
function releaseRecord(h: usize, table: usize, block: u32): void {
  touchBlock(blockAt(table, block));
  releaseMarkedRecord(h, table, block);
}

/** releaseRecord of a record this operation has marked dirty already (each mark costs: issue 14). */
// @ts-ignore: decorator
@inline
function releaseMarkedRecord(h: usize, table: usize, block: u32): void {
  const b = blockAt(table, block);
  const id = getId(b);
  // Four stores, not memory.fill: the engine calls out to memset for a fill, a cost per free.
  store<u64>(b, 0, 0); store<u64>(b, 0, 8); store<u64>(b, 0, 16); store<u64>(b, 0, 24);
  const e = idEntryAt(table, id);
  markDirty(e);
  store<u32>(e, getRecordFreeHead(h) | ID_SPARE);
  setRecordFreeHead(h, id);
  releaseSlot(h, block);
}

/**
 * A fresh free block record [address, address + size), linked after `after` (NONE: first).
 * `after`'s record is not marked here: every caller has marked it (it splits or just made it).
 */
// @ts-ignore: decorator
@inline
function newFreeBlock(h: usize, table: usize, after: u32, address: u32, size: u32): u32 {
  const block = newRecord(h, table, after == NONE ? 0 : after);
  assert(block != NONE, "caller checked that a record is available");
  const b = blockAt(table, block);
  touchBlock(b);
  setAddress(b, address);
  setSize(b, size);
  setOwner(b, NONE);
  setFlags(b, FLAG_LIVE | FLAG_FREE);
  setPrevPhysical(b, after);
  if (after == NONE) { setNextPhysical(b, NONE); setFirstBlock(h, block); }
  else {
    const a = blockAt(table, after);
    const next = getNextPhysical(a);
    setNextPhysical(b, next);
    if (next != NONE) { const nb = blockAt(table, next); touchBlock(nb); setPrevPhysical(nb, block); }
    setNextPhysical(a, block);
  }
  return block;
}

/** Takes a block out of the physical chain. The block before it is not marked here: every caller
 * merges the block into it, or it into the block after, and marks it. */
// @ts-ignore: decorator
@inline
function unlinkPhysical(h: usize, table: usize, block: u32): void {
  const b = blockAt(table, block);
  const prev = getPrevPhysical(b), next = getNextPhysical(b);
  if (prev == NONE) setFirstBlock(h, next); else setNextPhysical(blockAt(table, prev), next);
  if (next != NONE) { const nb = blockAt(table, next); touchBlock(nb); setPrevPhysical(nb, prev); }
}

// ── Free lists by policy ────────────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline function segregated(allocator: u32): bool { return allocator == ALLOCATOR_TLSF || allocator == ALLOCATOR_BEST_FIT; }

/** Lists a free block (its neighbours are not free, except under buddy). */
function insertFree(h: usize, table: usize, allocator: u32, block: u32): void {
  if (segregated(allocator)) tlsfInsertFree(h, table, block, getFine(h));
  else if (allocator == ALLOCATOR_FIRST_FIT) firstFitInsert(h, table, block, getFreeBlocks(h));
  else buddyInsertFree(h, table, block);
}

function removeFree(h: usize, table: usize, allocator: u32, block: u32): void {
  if (segregated(allocator)) tlsfRemoveFree(h, table, block, getFine(h));
  else if (allocator == ALLOCATOR_FIRST_FIT) firstFitRemove(h, table, block);
  else buddyRemoveFree(h, table, block);
}

/** Resizes a listed free block whose address order among free blocks stays the same. */
function resizeFree(h: usize, table: usize, allocator: u32, block: u32, address: u32, size: u32): void {
  const b = blockAt(table, block);
  touchBlock(b);
  if (allocator == ALLOCATOR_FIRST_FIT) { setAddress(b, address); setSize(b, size); return; }
  const fine = getFine(h);
  tlsfRemoveFree(h, table, block, fine);
  setAddress(b, address);
  setSize(b, size);
  tlsfInsertFree(h, table, block, fine);
}

/** A node's id table cleared, every slot spare. */
function initIndex(h: usize, table: usize): void {
  const ids = idTableOf(table);
  memory.fill(ids, 0, (<usize>blocksPerHeapCached) * 4);
  markDirtyRange(ids, (<usize>blocksPerHeapCached) * 4);
  const spare = spareOf(h), words = spareWordsCached;
  markDirtyRange(spare, words * 8);
  for (let word: usize = 0; word < words; word++) {
    const valid = (<usize>blocksPerHeapCached) - (word << 6);
    store<u64>(spare + (word << 3), valid >= 64 ? <u64>-1 : (<u64>1 << (<u64>valid)) - 1);
  }
  const summary = summaryOf(h), summaryWords = summaryWordsCached;
  markDirtyRange(summary, summaryWords * 8);
  for (let sw: usize = 0; sw < summaryWords; sw++) {
    const valid = words - (sw << 6);
    store<u64>(summary + (sw << 3), valid >= 64 ? <u64>-1 : (<u64>1 << (<u64>valid)) - 1);
  }
}

/**
 * (Re)starts a node's heap: `heapBytes` (a multiple of the granule, up to 2 GiB; 1 GiB with 8-byte
 * granules) all free, its blocks whole `granule`s: 16 bytes (as before core 0.3.2) or 8 (wasm32's
 * largest natural alignment; small objects round up less).
 */
export function heapInit(node: u32, allocator: u32, heapBytes: u32, granule: u32): i32 {
  if (!configured()) return HEAP_E_NOT_CONFIGURED;
  if (node >= nodeCountCached) return HEAP_E_NODE;
  if (allocator == ALLOCATOR_NONE || allocator > ALLOCATOR_MAX) return HEAP_E_CONFIG;
  if (granule != HEAP_GRANULE_BYTES && granule != HEAP_GRANULE_MIN) return HEAP_E_CONFIG;
  const bytesMax = granule == HEAP_GRANULE_MIN ? HEAP_FINE_BYTES_MAX : HEAP_BYTES_MAX;
  if (heapBytes < granule || heapBytes > bytesMax || heapBytes % granule != 0) return HEAP_E_SIZE;
  if (indexBase == 0) {
    // The id index is reserved at the first heapInit, not by heapConfigure, so regions reserved
    // in between (the kernel's CRDT objects) keep the addresses they had before the index existed.
    const floor = regionsTop();
    const index = reserveRegion(indexBytes(nodeCountCached, blocksPerHeapCached), 4096);
    if (index == 0) return HEAP_E_CONFIG;
    indexFloor = floor;
    setIndexBase(index);
  }
  const h = heapAt(node), table = blockTableOf(node), owners = ownerTableOf(node);
  memory.fill(h, 0, HEAP_RECORD_BYTES);
  markDirtyRange(h, HEAP_RECORD_BYTES);

  memory.fill(table, 0, (<usize>blocksPerHeapCached) * BLOCK_BYTES);
  markDirtyRange(table, (<usize>blocksPerHeapCached) * BLOCK_BYTES);
  initIndex(h, table);
  markDirtyRange(owners, (<usize>ownersPerHeapCached) * OWNER_BYTES);
  for (let pid: u32 = 0; pid < ownersPerHeapCached; pid++) {
    const o = ownerAt(owners, pid);
    setOwnerBytes(o, 0); setOwnerPeakBytes(o, 0); setOwnerBlockCount(o, 0); setOwnerFirstBlock(o, NONE);
  }
  setFine(h, granule == HEAP_GRANULE_MIN ? 1 : 0);
  for (let list: u32 = 0; list < FL_COUNT * SL_COUNT; list++) setListHead(h, list, NONE);
  setAllocator(h, allocator);
  setHeapBytes(h, heapBytes);
  setFreeBytes(h, heapBytes);
  setRecordFreeHead(h, NONE);
  setFirstBlock(h, NONE);
  if (allocator != ALLOCATOR_BUDDY) {
    const block = newFreeBlock(h, table, NONE, 0, heapBytes);
    insertFree(h, table, allocator, block);
    setFreeBlocks(h, 1);
  } else {
    let address: u32 = 0, last = NONE, tiles: u32 = 0;
    while (address < heapBytes && tiles <= ORDER_MAX) {
      const remaining = heapBytes - address;
      const size: u32 = 1 << orderOf(remaining);
      last = newFreeBlock(h, table, last, address, size);
      buddyInsertFree(h, table, last);
      address += size;
      tiles++;
    }
    setFreeBlocks(h, tiles);
  }
  return HEAP_OK;
}

/**
 * Switches a node's policy with its blocks where they are: the free lists are rebuilt for the new
 * policy (adjacent free blocks coalesced, as buddy leaves some). Buddy needs power-of-two blocks
 * at aligned addresses, so switching to buddy restarts the heap and needs it empty.
 */
export function heapSetAllocator(node: u32, allocator: u32): i32 {
  const check = checkNode(node);
  if (check != HEAP_OK) return check;
  if (allocator == ALLOCATOR_NONE || allocator > ALLOCATOR_MAX) return HEAP_E_CONFIG;
  const h = heapAt(node), table = blockTableOf(node);
  const from = getAllocator(h);
  if (from == allocator) return HEAP_OK;
  if (allocator == ALLOCATOR_BUDDY) {
    if (getUsedBlocks(h) != 0) return HEAP_E_BUSY;
    return heapInit(node, allocator, getHeapBytes(h), granuleOf(h));
  }
  touchHeap(h);
  for (let list: u32 = 0; list < FL_COUNT * SL_COUNT; list++) setListHead(h, list, NONE);
  for (let fl: u32 = 0; fl < FL_COUNT; fl++) setSecondLevelMap(h, fl, 0);
  setFirstLevelMap(h, 0);
  setAllocator(h, allocator);
  let at = getFirstBlock(h), free: u32 = 0;
  for (let guard: u32 = 0; at != NONE && guard < blocksPerHeapCached; guard++) {
    const b = blockAt(table, at);
    if (!isFree(b)) { at = getNextPhysical(b); continue; }
    // Absorb the free blocks right after it (buddies that were not merged).
    for (let inner: u32 = 0; inner < blocksPerHeapCached; inner++) {
      const right = getNextPhysical(b);
      if (right == NONE || !isFree(blockAt(table, right))) break;
      touchBlock(b);
      setSize(b, getSize(b) + getSize(blockAt(table, right)));
      unlinkPhysical(h, table, right);
      releaseRecord(h, table, right);
    }
    touchBlock(b);
    setPrevLink(b, NONE);
    setNextLink(b, NONE);
    if (allocator == ALLOCATOR_FIRST_FIT) firstFitLinkAfter(h, table, at, getListHead(h, FIRST_FIT_TAIL));
    else tlsfInsertFree(h, table, at, getFine(h));
    free++;
    at = getNextPhysical(b);
  }
  setFreeBlocks(h, free);
  return HEAP_OK;
}

// ── Allocation ──────────────────────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline function checkNode(node: u32): i32 {
  if (!configured()) return HEAP_E_NOT_CONFIGURED;
  if (node >= nodeCountCached) return HEAP_E_NODE;
  if (getAllocator(heapAt(node)) == ALLOCATOR_NONE) return HEAP_E_NOT_INITIALIZED;
  return HEAP_OK;
}

function failed(h: usize, code: i32): i32 {
  setFailedAllocs(h, getFailedAllocs(h) + 1);
  return code;
}

/** Sizes round up to whole granules: 16 bytes, or 8 on a heap of 8-byte granules (`policy` is getPolicyWord). */
// @ts-ignore: decorator
@inline function roundToGranule(bytes: u32, policy: u32): u32 {
  const mask: u32 = HEAP_GRANULE_BYTES - 1 - (policy >> 8 << 3);
  return (bytes + mask) & ~mask;
}

/**
 * Takes a free block for `size` bytes (whole granules) out of the free lists: its slot, or an
 * error. TLSF on 16-byte granules (`policy` == ALLOCATOR_TLSF: the default) is inline, its classes
 * constants (the batch's hot loop); every other policy and TLSF on 8-byte granules is a call, so
 * their code does not crowd that path in the loop (issue 14).
 */
// @ts-ignore: decorator
@inline
function carve(h: usize, table: usize, size: u32, policy: u32): i32 {
  if (policy != ALLOCATOR_TLSF) return carveOther(h, table, size);
  let block = tlsfSearch(h, table, size);
  if (block == NONE) block = ownClassFit(h, table, size, getFreeBlocks(h), 0);
  if (block == NONE) return HEAP_E_OUT_OF_MEMORY;
  const b = blockAt(table, block);
  const remainder = getSize(b) - size;
  if (remainder >= HEAP_GRANULE_BYTES) {
    if (recordsAvailable(h) == 0) return HEAP_E_BLOCKS_FULL;
    tlsfRemoveFree(h, table, block, 0);
    setSize(b, size);
    const rest = newFreeBlock(h, table, block, getAddress(b) + size, remainder);
    tlsfInsertFree(h, table, rest, 0);
  } else {
    tlsfRemoveFree(h, table, block, 0);
    setFreeBlocks(h, getFreeBlocks(h) - 1);
  }
  return <i32>block;
}

/** carve under best fit, first fit, buddy, and TLSF on 8-byte granules. */
function carveOther(h: usize, table: usize, size: u32): i32 {
  const allocator = getAllocator(h), fine = getFine(h);
  let block: u32;
  if (allocator != ALLOCATOR_BUDDY) {
    if (allocator == ALLOCATOR_TLSF) {
      block = tlsfSearchAny(h, table, size);
      if (block == NONE) block = ownClassFit(h, table, size, getFreeBlocks(h), fine);
    } else if (allocator == ALLOCATOR_BEST_FIT) block = bestFitSearch(h, table, size, getFreeBlocks(h), fine);
    else block = firstFitSearch(h, table, size, getFreeBlocks(h));
    if (block == NONE) return HEAP_E_OUT_OF_MEMORY;
    const b = blockAt(table, block);
    const remainder = getSize(b) - size;
    if (remainder >= HEAP_GRANULE_MIN) { // a whole number of the heap's granules: at least one
      if (recordsAvailable(h) == 0) return HEAP_E_BLOCKS_FULL;
      if (allocator == ALLOCATOR_FIRST_FIT) {
        touchBlock(b);
        setSize(b, size);
        const rest = newFreeBlock(h, table, block, getAddress(b) + size, remainder);
        firstFitReplace(h, table, block, rest);
      } else {
        tlsfRemoveFree(h, table, block, fine);
        setSize(b, size);
        const rest = newFreeBlock(h, table, block, getAddress(b) + size, remainder);
        tlsfInsertFree(h, table, rest, fine);
      }
    } else {
      removeFree(h, table, allocator, block);
      setFreeBlocks(h, getFreeBlocks(h) - 1);
    }
  } else {
    const order = orderFor(size);
    const map = order > ORDER_MAX ? 0 : getFirstLevelMap(h) & (<u32>0xffffffff << order);
    if (map == 0) return HEAP_E_OUT_OF_MEMORY;
    let found = <u32>ctz<u32>(map);
    if (recordsAvailable(h) < found - order) return HEAP_E_BLOCKS_FULL;
    block = getListHead(h, found);
    buddyRemoveFree(h, table, block);
    setFreeBlocks(h, getFreeBlocks(h) - 1);
    const b = blockAt(table, block);
    while (found > order) {
      found--;
      const half: u32 = 1 << found;
      setSize(b, half);
      const upper = newFreeBlock(h, table, block, getAddress(b) + half, half);
      buddyInsertFree(h, table, upper);
      setFreeBlocks(h, getFreeBlocks(h) + 1);
    }
  }
  return <i32>block;
}

/**
 * Marks a carved block used by pid, at the head of pid's list, and accounts for it. Its record is
 * marked dirty already: carve took it out of a free list (every policy's remove marks it).
 */
// @ts-ignore: decorator
@inline
function grant(h: usize, table: usize, owners: usize, block: u32, pid: u32): void {
  const b = blockAt(table, block);
  const granted = getSize(b);
  setFlags(b, FLAG_LIVE);
  setOwner(b, pid);
  const o = ownerAt(owners, pid);
  touchOwner(o);
  const first = getOwnerFirstBlock(o);
  setPrevLink(b, NONE);
  setNextLink(b, first);
  if (first != NONE) { const fb = blockAt(table, first); touchBlock(fb); setPrevLink(fb, block); }
  setOwnerFirstBlock(o, block);
  const ownerBytes = getOwnerBytes(o) + granted;
  setOwnerBytes(o, ownerBytes);
  if (ownerBytes > getOwnerPeakBytes(o)) setOwnerPeakBytes(o, ownerBytes);
  setOwnerBlockCount(o, getOwnerBlockCount(o) + 1);
  setUsedBlocks(h, getUsedBlocks(h) + 1);
  const free = getFreeBytes(h) - granted;
  setFreeBytes(h, free);
  const usedBytes = getHeapBytes(h) - free;
  if (usedBytes > getPeakUsedBytes(h)) setPeakUsedBytes(h, usedBytes);
}

export function heapAlloc(node: u32, pid: u32, bytes: u32): i32 {
  const check = checkNode(node);
  if (check != HEAP_OK) return check;
  if (pid >= ownersPerHeapCached) return HEAP_E_OWNER;
  const table = blockTableOf(node);
  const slot = allocIn(heapAt(node), table, ownerTableOf(node), pid, bytes);
  return slot < 0 ? slot : <i32>getId(blockAt(table, <u32>slot));
}

/** heapAlloc after its node and pid checks (heapBatch calls it with the node's tables at hand): the slot, or an error. */
// @ts-ignore: decorator
@inline
function allocIn(h: usize, table: usize, owners: usize, pid: u32, bytes: u32): i32 {
  if (bytes == 0 || bytes > HEAP_BYTES_MAX) return HEAP_E_SIZE;
  touchHeap(h);
  const policy = getPolicyWord(h);
  const size = roundToGranule(bytes, policy);
  const block = carve(h, table, size, policy);
  if (block < 0) return failed(h, block);
  grant(h, table, owners, <u32>block, pid);
  return block;
}

// @ts-ignore: decorator
@inline
function releaseBlock(h: usize, table: usize, owners: usize, block: u32): void {
  let b = blockAt(table, block);
  assert(!isFree(b) && (getFlags(b) & FLAG_LIVE) != 0, "releaseBlock: the block must be in use");
  // Leave the owner's list and accounting.
  touchBlock(b);
  const o = ownerAt(owners, getOwner(b));
  touchOwner(o);
  const prev = getPrevLink(b), next = getNextLink(b);
  if (prev == NONE) setOwnerFirstBlock(o, next); else { const pb = blockAt(table, prev); touchBlock(pb); setNextLink(pb, next); }
  if (next != NONE) { const nb = blockAt(table, next); touchBlock(nb); setPrevLink(nb, prev); }
  const size = getSize(b);
  setOwnerBytes(o, getOwnerBytes(o) - size);
  setOwnerBlockCount(o, getOwnerBlockCount(o) - 1);
  setUsedBlocks(h, getUsedBlocks(h) - 1);
  setFreeBytes(h, getFreeBytes(h) + size);
  setFlags(b, FLAG_LIVE | FLAG_FREE);
  setOwner(b, NONE);
  setPrevLink(b, NONE);
  setNextLink(b, NONE);
  const freeBlocks = getFreeBlocks(h);
  const policy = getPolicyWord(h);
  // TLSF and best fit on 16-byte granules merge here, their classes constants; the rest out of line.
  if (policy != ALLOCATOR_TLSF && policy != ALLOCATOR_BEST_FIT) { mergeOther(h, table, block, b, size, freeBlocks); return; }
  mergeSegregated(h, table, block, b, freeBlocks, 0);
}

/** releaseBlock's merge under TLSF and best fit (their lists): with its free physical neighbours. */
// @ts-ignore: decorator
@inline
function mergeSegregated(h: usize, table: usize, block: u32, b: usize, freeBlocks: u32, fine: u32): void {
  const left = getPrevPhysical(b);
  // Marks: the block's record was marked by releaseBlock, a merged neighbour's by tlsfRemoveFree.
  if (left != NONE && isFree(blockAt(table, left))) {
    const l = blockAt(table, left);
    tlsfRemoveFree(h, table, left, fine);
    freeBlocks--;
    setSize(l, getSize(l) + getSize(b));
    unlinkPhysical(h, table, block);
    releaseMarkedRecord(h, table, block);
    block = left;
    b = l;
  }
  const right = getNextPhysical(b);
  if (right != NONE && isFree(blockAt(table, right))) {
    const r = blockAt(table, right);
    tlsfRemoveFree(h, table, right, fine);
    freeBlocks--;
    setSize(b, getSize(b) + getSize(r));
    unlinkPhysical(h, table, right);
    releaseMarkedRecord(h, table, right);
  }
  tlsfInsertFree(h, table, block, fine);
  setFreeBlocks(h, freeBlocks + 1);
}

/** releaseBlock's merge under first fit, buddy, and TLSF or best fit on 8-byte granules. */
function mergeOther(h: usize, table: usize, block: u32, b: usize, size: u32, freeBlocks: u32): void {
  const allocator = getAllocator(h);
  if (allocator == ALLOCATOR_FIRST_FIT) mergeFirstFit(h, table, block, b, size, freeBlocks);
  else if (allocator == ALLOCATOR_BUDDY) mergeBuddy(h, table, block, b, freeBlocks);
  else mergeSegregated(h, table, block, b, freeBlocks, getFine(h));
}

/** releaseBlock's merge under first fit (out of line: TLSF's path stays small in the batch loop). */
function mergeFirstFit(h: usize, table: usize, block: u32, b: usize, size: u32, freeBlocks: u32): void {
  // The merged block keeps the list place of the free neighbour it joins: no search.
  const left = getPrevPhysical(b), right = getNextPhysical(b);
  const leftFree = left != NONE && isFree(blockAt(table, left));
  const rightFree = right != NONE && isFree(blockAt(table, right));
  if (leftFree) {
    const l = blockAt(table, left);
    touchBlock(l);
    setSize(l, getSize(l) + size);
    unlinkPhysical(h, table, block);
    releaseRecord(h, table, block);
    if (rightFree) {
      const r = blockAt(table, right);
      firstFitRemove(h, table, right);
      freeBlocks--;
      setSize(l, getSize(l) + getSize(r));
      unlinkPhysical(h, table, right);
      releaseRecord(h, table, right);
    }
  } else if (rightFree) {
    const r = blockAt(table, right);
    firstFitReplace(h, table, right, block);
    setSize(b, size + getSize(r));
    unlinkPhysical(h, table, right);
    releaseRecord(h, table, right);
  } else {
    firstFitInsert(h, table, block, freeBlocks);
    freeBlocks++;
  }
  setFreeBlocks(h, freeBlocks);
}

/** releaseBlock's merge under buddy. */
function mergeBuddy(h: usize, table: usize, block: u32, b: usize, freeBlocks: u32): void {
  for (let guard: u32 = 0; guard <= ORDER_MAX; guard++) {
    const s = getSize(b);
    if ((getAddress(b) & s) == 0) {
      const right = getNextPhysical(b);
      if (right == NONE) break;
      const r = blockAt(table, right);
      if (!isFree(r) || getSize(r) != s) break;
      buddyRemoveFree(h, table, right);
      freeBlocks--;
      unlinkPhysical(h, table, right);
      releaseRecord(h, table, right);
      setSize(b, s << 1);
    } else {
      const left = getPrevPhysical(b);
      if (left == NONE) break;
      const l = blockAt(table, left);
      if (!isFree(l) || getSize(l) != s) break;
      buddyRemoveFree(h, table, left);
      freeBlocks--;
      unlinkPhysical(h, table, block);
      releaseRecord(h, table, block);
      touchBlock(l);
      setSize(l, s << 1);
      block = left;
      b = l;
    }
  }
  buddyInsertFree(h, table, block);
  setFreeBlocks(h, freeBlocks + 1);
}

export function heapFree(node: u32, pid: u32, block: u32): i32 {
  const check = checkNode(node);
  if (check != HEAP_OK) return check;
  if (pid >= ownersPerHeapCached) return HEAP_E_OWNER;
  return freeIn(heapAt(node), blockTableOf(node), ownerTableOf(node), pid, block);
}

/** heapFree after its node and pid checks. */
// @ts-ignore: decorator
@inline
function freeIn(h: usize, table: usize, owners: usize, pid: u32, block: u32): i32 {
  if (block >= getRecordHighWater(h)) return HEAP_E_BLOCK;
  const slot = slotOfId(table, block);
  if (slot == NONE) return HEAP_E_BLOCK;
  touchHeap(h);
  const b = blockAt(table, slot);
  if (getFlags(b) != FLAG_LIVE || getOwner(b) != pid) return HEAP_E_BLOCK;
  releaseBlock(h, table, owners, slot);
  return HEAP_OK;
}

/** Changes a used block's size by `delta` bytes in the heap's and its owner's accounting. */
function accountResize(h: usize, owners: usize, b: usize, newSize: u32): void {
  const old = getSize(b);
  const o = ownerAt(owners, getOwner(b));
  touchOwner(o);
  touchBlock(b);
  setSize(b, newSize);
  const ownerBytes = getOwnerBytes(o) - old + newSize;
  setOwnerBytes(o, ownerBytes);
  if (ownerBytes > getOwnerPeakBytes(o)) setOwnerPeakBytes(o, ownerBytes);
  const free = getFreeBytes(h) + old - newSize;
  setFreeBytes(h, free);
  const usedBytes = getHeapBytes(h) - free;
  if (usedBytes > getPeakUsedBytes(h)) setPeakUsedBytes(h, usedBytes);
}

/**
 * Resizes a block pid owns to `bytes`. In place when it can: a shrink gives its tail back (to the
 * free neighbour on the right, or as a new free block), a growth takes from a free right
 * neighbour. Otherwise (and always under buddy, unless the order stays) a new block is
 * allocated and the old one freed; when that fails the old block is left as it was.
 */
export function heapRealloc(node: u32, pid: u32, block: u32, bytes: u32): i32 {
  const check = checkNode(node);
  if (check != HEAP_OK) return check;
  if (pid >= ownersPerHeapCached) return HEAP_E_OWNER;
  const table = blockTableOf(node);
  const slot = reallocIn(heapAt(node), table, ownerTableOf(node), pid, block, bytes);
  return slot < 0 ? slot : <i32>getId(blockAt(table, <u32>slot));
}

/** heapRealloc after its node and pid checks: the block's slot, or an error. */
function reallocIn(h: usize, table: usize, owners: usize, pid: u32, id: u32, bytes: u32): i32 {
  if (bytes == 0 || bytes > HEAP_BYTES_MAX) return HEAP_E_SIZE;
  if (id >= getRecordHighWater(h)) return HEAP_E_BLOCK;
  const block = slotOfId(table, id);
  if (block == NONE) return HEAP_E_BLOCK;
  const b = blockAt(table, block);
  if (getFlags(b) != FLAG_LIVE || getOwner(b) != pid) return HEAP_E_BLOCK;
  touchHeap(h);
  const policy = getPolicyWord(h);
  const size = roundToGranule(bytes, policy);
  const current = getSize(b);
  const allocator = getAllocator(h);
  if (allocator == ALLOCATOR_BUDDY) {
    if (orderFor(size) == orderOf(current)) return <i32>block;
  } else if (size <= current) {
    const tail = current - size;
    if (tail == 0) return <i32>block;
    const right = getNextPhysical(b);
    if (right != NONE && isFree(blockAt(table, right))) {
      const r = blockAt(table, right);
      resizeFree(h, table, allocator, right, getAddress(r) - tail, getSize(r) + tail);
      accountResize(h, owners, b, size);
      return <i32>block;
    }
    if (recordsAvailable(h) == 0) return <i32>block; // keeps the tail: no record to free it with
    accountResize(h, owners, b, size);
    const rest = newFreeBlock(h, table, block, getAddress(b) + size, tail);
    insertFree(h, table, allocator, rest);
    setFreeBlocks(h, getFreeBlocks(h) + 1);
    return <i32>block;
  } else {
    const right = getNextPhysical(b);
    const need = size - current;
    if (right != NONE && isFree(blockAt(table, right)) && getSize(blockAt(table, right)) >= need) {
      const r = blockAt(table, right);
      const left = getSize(r) - need;
      if (left >= HEAP_GRANULE_MIN) resizeFree(h, table, allocator, right, getAddress(r) + need, left);
      else {
        removeFree(h, table, allocator, right);
        setFreeBlocks(h, getFreeBlocks(h) - 1);
        unlinkPhysical(h, table, right);
        releaseRecord(h, table, right);
      }
      accountResize(h, owners, b, current + need + (left >= HEAP_GRANULE_MIN ? 0 : left));
      return <i32>block;
    }
  }
  const moved = carve(h, table, size, policy);
  if (moved < 0) return failed(h, moved);
  grant(h, table, owners, <u32>moved, pid);
  releaseBlock(h, table, owners, block);
  return moved;
}

/** Frees every block pid owns (it exited); returns how many. */
export function heapFreeAll(node: u32, pid: u32): i32 {
  const check = checkNode(node);
  if (check != HEAP_OK) return check;
  if (pid >= ownersPerHeapCached) return HEAP_E_OWNER;
  const h = heapAt(node), table = blockTableOf(node), owners = ownerTableOf(node);
  touchHeap(h);
  const o = ownerAt(owners, pid);
  let freed: i32 = 0;
  for (let guard: u32 = 0; guard < blocksPerHeapCached; guard++) {
    const first = getOwnerFirstBlock(o);
    if (first == NONE) break;
    releaseBlock(h, table, owners, first);
    freed++;
  }
  return freed;
}

// ── Batch ───────────────────────────────────────────────────────────────────────────────────────

export function heapBatchPtr(): usize { return BATCH; }
export function heapBatchOpsMax(): u32 { return HEAP_BATCH_OPS_MAX; }

/** Runs `count` commands from the batch buffer (format at HEAP_OP_REALLOC), results in place. */
export function heapBatch(count: u32): i32 {
  if (count > HEAP_BATCH_OPS_MAX) return HEAP_E_BATCH;
  // The last node's check and tables: commands of one node in a row check and look up once (no
  // command changes what checkNode reads).
  let lastNode = NONE, nodeCheck: i32 = HEAP_OK, h: usize = 0, table: usize = 0, owners: usize = 0;
  for (let i: u32 = 0; i < count; i++) {
    const cmd = BATCH + ((<usize>i) << 4);
    const word = load<u32>(cmd, 0), pid = load<u32>(cmd, 4), arg = load<u32>(cmd, 8), arg2 = load<u32>(cmd, 12);
    const op = word & 0xff, node = word >> 8;
    let block = arg;
    if ((arg & HEAP_BATCH_REF) != 0 && op != HEAP_OP_ALLOC) {
      const index = arg & ~HEAP_BATCH_REF;
      // An earlier command's result; a failed one (negative) stays a bad block id.
      block = index < i ? load<u32>(BATCH + ((<usize>index) << 4), 0) : <u32>HEAP_E_BLOCK;
    }
    let result: i32 = HEAP_E_OP;
    let address: u32 = 0, size: u32 = 0;
    if (op == HEAP_OP_ALLOC || op == HEAP_OP_REALLOC || op == HEAP_OP_FREE) {
      if (node != lastNode) {
        lastNode = node;
        nodeCheck = checkNode(node);
        if (nodeCheck == HEAP_OK) { h = heapAt(node); table = blockTableOf(node); owners = ownerTableOf(node); }
      }
      // The same checks, in the same order, as heapAlloc, heapRealloc and heapFree.
      if (nodeCheck != HEAP_OK) result = nodeCheck;
      else if (pid >= ownersPerHeapCached) result = HEAP_E_OWNER;
      else if (op == HEAP_OP_FREE) result = freeIn(h, table, owners, pid, block);
      else {
        result = op == HEAP_OP_ALLOC ? allocIn(h, table, owners, pid, arg) : reallocIn(h, table, owners, pid, block, arg2);
        if (result >= 0) {
          const b = blockAt(table, <u32>result);
          result = <i32>getId(b);
          address = getAddress(b);
          size = getSize(b);
        }
      }
    } else if (op == HEAP_OP_FREE_ALL) result = heapFreeAll(node, pid);
    store<i32>(cmd, result, 0);
    store<u32>(cmd, address, 4);
    store<u32>(cmd, size, 8);
    store<u32>(cmd, 0, 12);
  }
  return <i32>count;
}

// ── Queries ─────────────────────────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline function nodeReady(node: u32): bool { return configured() && node < nodeCountCached && getAllocator(heapAt(node)) != ALLOCATOR_NONE; }

function liveBlock(node: u32, block: u32): usize {
  if (!nodeReady(node) || block >= getRecordHighWater(heapAt(node))) return 0;
  const table = blockTableOf(node);
  const slot = slotOfId(table, block);
  if (slot == NONE) return 0;
  const b = blockAt(table, slot);
  return (getFlags(b) & FLAG_LIVE) != 0 ? b : 0;
}

export function heapBlockAddress(node: u32, block: u32): i32 { const b = liveBlock(node, block); return b == 0 ? HEAP_E_BLOCK : <i32>getAddress(b); }
export function heapBlockSize(node: u32, block: u32): i32 { const b = liveBlock(node, block); return b == 0 ? HEAP_E_BLOCK : <i32>getSize(b); }
export function heapBlockOwner(node: u32, block: u32): i32 {
  const b = liveBlock(node, block);
  if (b == 0) return HEAP_E_BLOCK;
  return isFree(b) ? HEAP_E_BLOCK : <i32>getOwner(b);
}
export function heapAllocator(node: u32): u32 { return configured() && node < nodeCountCached ? getAllocator(heapAt(node)) : 0; }
export function heapBytes(node: u32): u32 { return nodeReady(node) ? getHeapBytes(heapAt(node)) : 0; }
export function heapFreeBytes(node: u32): u32 { return nodeReady(node) ? getFreeBytes(heapAt(node)) : 0; }
export function heapPeakUsedBytes(node: u32): u32 { return nodeReady(node) ? getPeakUsedBytes(heapAt(node)) : 0; }
export function heapUsedBlocks(node: u32): u32 { return nodeReady(node) ? getUsedBlocks(heapAt(node)) : 0; }
export function heapFreeBlocks(node: u32): u32 { return nodeReady(node) ? getFreeBlocks(heapAt(node)) : 0; }
export function heapFailedAllocs(node: u32): u32 { return nodeReady(node) ? getFailedAllocs(heapAt(node)) : 0; }
/** The heap's granule (16 or 8 bytes), or 0. */
export function heapGranule(node: u32): u32 { return nodeReady(node) ? granuleOf(heapAt(node)) : 0; }
export function heapOwnerBytes(node: u32, pid: u32): u32 { return nodeReady(node) && pid < ownersPerHeapCached ? getOwnerBytes(ownerAt(ownerTableOf(node), pid)) : 0; }
export function heapOwnerPeakBytes(node: u32, pid: u32): u32 { return nodeReady(node) && pid < ownersPerHeapCached ? getOwnerPeakBytes(ownerAt(ownerTableOf(node), pid)) : 0; }
export function heapOwnerBlocks(node: u32, pid: u32): u32 { return nodeReady(node) && pid < ownersPerHeapCached ? getOwnerBlockCount(ownerAt(ownerTableOf(node), pid)) : 0; }

/** Size of the largest free block (what the biggest allocation that can succeed could get). */
export function heapLargestFree(node: u32): u32 {
  if (!nodeReady(node)) return 0;
  const h = heapAt(node);
  if (getAllocator(h) == ALLOCATOR_BUDDY) {
    const map = getFirstLevelMap(h);
    return map == 0 ? 0 : <u32>1 << (31 - clz<u32>(map));
  }
  const block = getAllocator(h) == ALLOCATOR_FIRST_FIT
    ? firstFitLargest(h, blockTableOf(node), getFreeBlocks(h))
    : tlsfLargest(h, blockTableOf(node), getFreeBlocks(h));
  return block == NONE ? 0 : getSize(blockAt(blockTableOf(node), block));
}

/** External fragmentation in permille: 1000 * (1 - largestFree / freeBytes); 0 when nothing is free. */
export function heapFragmentationPermille(node: u32): u32 {
  const free = heapFreeBytes(node);
  if (free == 0) return 0;
  return 1000 - <u32>((<u64>heapLargestFree(node) * 1000) / <u64>free);
}

/**
 * Writes the memory map from `fromAddress` on into [ptr, ptr + 12 * maxEntries): entries of
 * [address u32, size u32, owner u32 (NONE = free)], adjacent blocks of one owner merged.
 * Returns the entries written; continue from the last entry's address + size.
 */
export function heapMapExport(node: u32, ptr: usize, maxEntries: u32, fromAddress: u32): i32 {
  const check = checkNode(node);
  if (check != HEAP_OK) return check;
  const end = ptr + (<usize>maxEntries) * MAP_ENTRY_BYTES;
  if (end < ptr || end > ((<usize>memory.size()) << 16)) return HEAP_E_BUFFER;
  const h = heapAt(node), table = blockTableOf(node);
  let written: u32 = 0;
  let at = getFirstBlock(h);
  let entry: usize = 0;
  for (let guard: u32 = 0; at != NONE && guard < blocksPerHeapCached; guard++) {
    const b = blockAt(table, at);
    at = getNextPhysical(b);
    const address = getAddress(b), size = getSize(b);
    if (address + size <= fromAddress) continue;
    const owner = isFree(b) ? NONE : getOwner(b);
    if (written > 0 && load<u32>(entry, 8) == owner) {
      store<u32>(entry, load<u32>(entry, 4) + size, 4);
      continue;
    }
    if (written == maxEntries) break;
    entry = ptr + (<usize>written) * MAP_ENTRY_BYTES;
    store<u32>(entry, address, 0);
    store<u32>(entry, size, 4);
    store<u32>(entry, owner, 8);
    written++;
  }
  return <i32>written;
}

// ── Snapshots and the canonical image ───────────────────────────────────────────────────────────
// Snapshots copy raw memory: the main region (heapStatePtr, heapStateBytes) and the id index
// (heapIndexPtr, heapIndexBytes). stateHash hashes the canonical image instead of the main region
// (heapImage): the region as it was laid out by id before records lived in slots (core 0.3), so
// every recorded stateHash holds. Slot order is a cache layout, not state: the image does not see it.

export function heapStatePtr(): usize { return heapBase; }
export function heapStateBytes(): usize { return configured() ? regionBytes(nodeCountCached, blocksPerHeapCached, ownersPerHeapCached) : 0; }
export function heapIndexPtr(): usize { return indexBase; }
/** The top of the regions before the id index was reserved: [floor, index) is alignment padding, not state. */
export function heapIndexFloor(): usize { return indexBase != 0 ? indexFloor : 0; }
export function heapIndexBytes(): usize { return configured() && indexBase != 0 ? indexBytes(nodeCountCached, blocksPerHeapCached) : 0; }
export function heapRestored(): i32 {
  if (!configured()) return HEAP_E_NOT_CONFIGURED;
  markDirtyRange(heapBase, regionBytes(nodeCountCached, blocksPerHeapCached, ownersPerHeapCached));
  if (indexBase != 0) markDirtyRange(indexBase, indexBytes(nodeCountCached, blocksPerHeapCached));
  if (getMagic() != HEAP_MAGIC || getHeaderNodeCount() != nodeCountCached
    || getHeaderBlocksPerHeap() != blocksPerHeapCached || getHeaderOwnersPerHeap() != ownersPerHeapCached) return HEAP_E_CONFIG;
  return HEAP_OK;
}

const IMAGE_BYTES: usize = 32768;
const IMAGE: usize = memory.data(<i32>IMAGE_BYTES, 16);
export function heapImagePtr(): usize { return IMAGE; }
export function heapImageBytesMax(): usize { return IMAGE_BYTES; }

// @ts-ignore: decorator
@inline function idOfSlot(table: usize, slot: u32): u32 { return slot == NONE ? NONE : getId(blockAt(table, slot)); }

/**
 * Writes bytes [from, from + bytes) of the canonical image of the main region into heapImagePtr():
 * the region with every block record at its id (live: its fields, links as ids; a spare id: zero
 * but for nextLink, the next spare id; above the high-water mark: zero), and list heads, first
 * blocks and owners' first blocks as ids. `from` a multiple of 32, `bytes` at most
 * heapImageBytesMax() and a multiple of 32 unless the range ends the region. Returns the bytes
 * written or an error. O(bytes).
 */
export function heapImage(from: usize, bytes: usize): i32 {
  if (!configured()) return HEAP_E_NOT_CONFIGURED;
  const total = heapStateBytes();
  const end = from + bytes;
  if (from % 32 != 0 || bytes > IMAGE_BYTES || end < from || end > total || (bytes % 32 != 0 && end != total) || bytes % 4 != 0) return HEAP_E_BUFFER;
  const blocksOff = blocksBase - heapBase, ownersOff = ownersBase - heapBase;
  const heapsOff = heapRecordsBase - heapBase;
  const tableBytes = (<usize>blocksPerHeapCached) * BLOCK_BYTES, ownerBytes = (<usize>ownersPerHeapCached) * OWNER_BYTES;
  let o = from;
  for (; o < end && o < blocksOff; o += 4) {
    let v = load<u32>(heapBase + o);
    if (o >= heapsOff) {
      const node = <u32>((o - heapsOff) / HEAP_RECORD_BYTES), within = (o - heapsOff) % HEAP_RECORD_BYTES;
      if ((within == 28 || (within >= 192 && within < 1792)) && getAllocator(heapAt(node)) != ALLOCATOR_NONE) v = idOfSlot(blockTableOf(node), v);
    }
    store<u32>(IMAGE + o - from, v);
  }
  for (; o < end && o < ownersOff; o += BLOCK_BYTES) {
    const out = IMAGE + o - from;
    const node = <u32>((o - blocksOff) / tableBytes), id = <u32>(((o - blocksOff) % tableBytes) / BLOCK_BYTES);
    const h = heapAt(node), table = blockTableOf(node);
    if (getAllocator(h) == ALLOCATOR_NONE || indexBase == 0) { memory.copy(out, heapBase + o, BLOCK_BYTES); continue; }
    store<u64>(out, 0, 0); store<u64>(out, 0, 8); store<u64>(out, 0, 16); store<u64>(out, 0, 24);
    if (id >= getRecordHighWater(h)) continue;
    const entry = load<u32>(idEntryAt(table, id));
    if ((entry & ID_SPARE) != 0) { store<u32>(out, entry == NONE ? NONE : entry & ~ID_SPARE, 20); continue; }
    const b = blockAt(table, entry);
    store<u32>(out, getAddress(b), 0);
    store<u32>(out, getSize(b), 4);
    store<u32>(out, idOfSlot(table, getPrevPhysical(b)), 8);
    store<u32>(out, idOfSlot(table, getNextPhysical(b)), 12);
    store<u32>(out, idOfSlot(table, getPrevLink(b)), 16);
    store<u32>(out, idOfSlot(table, getNextLink(b)), 20);
    store<u32>(out, getOwner(b), 24);
    store<u32>(out, getFlags(b), 28);
  }
  for (; o < end; o += OWNER_BYTES) {
    const out = IMAGE + o - from;
    memory.copy(out, heapBase + o, OWNER_BYTES);
    const node = <u32>((o - ownersOff) / ownerBytes);
    if (getAllocator(heapAt(node)) != ALLOCATOR_NONE) store<u32>(out, idOfSlot(blockTableOf(node), load<u32>(heapBase + o, 12)), 12);
  }
  return <i32>bytes;
}

// ── Invariants ─────────────────────────────────────────────────────────────────────────────────

export const HEAP_INV_PHYSICAL: i32 = 1;     // blocks do not tile [0, heapBytes) in order
export const HEAP_INV_ADJACENT_FREE: i32 = 2; // TLSF: two free neighbours were not coalesced
export const HEAP_INV_COUNTS: i32 = 3;       // used/free block or byte counts disagree
export const HEAP_INV_FREE_LIST: i32 = 4;    // a free list holds a wrong block, or misses one
export const HEAP_INV_BITMAP: i32 = 5;       // a bitmap bit disagrees with its list
export const HEAP_INV_OWNER: i32 = 6;        // an owner's list or accounting is wrong
export const HEAP_INV_BUDDY_SHAPE: i32 = 7;  // buddy: size not a power of two or misaligned
export const HEAP_INV_IDS: i32 = 8;          // a block's id does not map to its slot, or its slot is marked spare

export function heapCheckInvariants(node: u32): i32 {
  const check = checkNode(node);
  if (check != HEAP_OK) return check;
  const h = heapAt(node), table = blockTableOf(node), owners = ownerTableOf(node);
  const buddy = getAllocator(h) == ALLOCATOR_BUDDY, firstFit = getAllocator(h) == ALLOCATOR_FIRST_FIT;
  const highWater = getRecordHighWater(h), granule = granuleOf(h), lists = FL_COUNT * SL_COUNT;
  if (getFine(h) > 1) return HEAP_INV_PHYSICAL;
  // 1. Physical order tiles the heap.
  let address: u32 = 0, prev = NONE, at = getFirstBlock(h);
  let used: u32 = 0, free: u32 = 0, freeBytes: u32 = 0, prevFree = false;
  for (let guard: u32 = 0; at != NONE; guard++) {
    if (guard >= highWater || at >= blocksPerHeapCached) return HEAP_INV_PHYSICAL;
    const b = blockAt(table, at);
    if ((getFlags(b) & FLAG_LIVE) == 0 || getAddress(b) != address || getPrevPhysical(b) != prev) return HEAP_INV_PHYSICAL;
    const id = getId(b);
    if (id >= highWater || slotOfId(table, id) != at || slotSpare(h, at)) return HEAP_INV_IDS;
    const size = getSize(b);
    if (size == 0 || size % granule != 0) return HEAP_INV_PHYSICAL;
    if (buddy && ((size & (size - 1)) != 0 || address % size != 0)) return HEAP_INV_BUDDY_SHAPE;
    if (isFree(b)) {
      if (!buddy && prevFree) return HEAP_INV_ADJACENT_FREE;
      free++; freeBytes += size; prevFree = true;
      if (getOwner(b) != NONE) return HEAP_INV_OWNER;
    } else {
      used++; prevFree = false;
      if (getOwner(b) >= ownersPerHeapCached) return HEAP_INV_OWNER;
    }
    address += size;
    prev = at;
    at = getNextPhysical(b);
  }
  if (address != getHeapBytes(h)) return HEAP_INV_PHYSICAL;
  if (used != getUsedBlocks(h) || free != getFreeBlocks(h) || freeBytes != getFreeBytes(h)) return HEAP_INV_COUNTS;
  // 2. Free lists hold exactly the free blocks, each in its class; bitmaps match.
  let listed: u32 = 0;
  if (firstFit) {
    // One list in increasing address order, its tail recorded; no bitmap, no other list.
    if (getFirstLevelMap(h) != 0) return HEAP_INV_BITMAP;
    for (let list: u32 = 2; list < lists; list++) if (getListHead(h, list) != NONE) return HEAP_INV_FREE_LIST;
    let item = getListHead(h, FIRST_FIT_HEAD), before = NONE, lastAddress: u32 = 0;
    for (let guard: u32 = 0; item != NONE; guard++) {
      if (guard > free || item >= blocksPerHeapCached) return HEAP_INV_FREE_LIST;
      const b = blockAt(table, item);
      if (!isFree(b) || getPrevLink(b) != before) return HEAP_INV_FREE_LIST;
      if (before != NONE && getAddress(b) <= lastAddress) return HEAP_INV_FREE_LIST;
      lastAddress = getAddress(b);
      listed++;
      before = item;
      item = getNextLink(b);
    }
    if (getListHead(h, FIRST_FIT_TAIL) != before) return HEAP_INV_FREE_LIST;
  }
  const walked: u32 = firstFit ? 0 : buddy ? ORDER_MAX + 1 : lists;
  for (let list: u32 = 0; list < walked; list++) {
    let item = getListHead(h, list), before = NONE;
    const nonEmpty = item != NONE;
    if (buddy) {
      if (nonEmpty != (((getFirstLevelMap(h) >> list) & 1) == 1)) return HEAP_INV_BITMAP;
      if (nonEmpty && list < ORDER_MIN + 1 - getFine(h)) return HEAP_INV_BITMAP;
    } else {
      const fl = list / SL_COUNT, sl = list % SL_COUNT;
      if (nonEmpty != (((getSecondLevelMap(h, fl) >> sl) & 1) == 1)) return HEAP_INV_BITMAP;
      if (getSecondLevelMap(h, fl) != 0 && ((getFirstLevelMap(h) >> fl) & 1) == 0) return HEAP_INV_BITMAP;
      if (getSecondLevelMap(h, fl) == 0 && ((getFirstLevelMap(h) >> fl) & 1) == 1) return HEAP_INV_BITMAP;
    }
    for (let guard: u32 = 0; item != NONE; guard++) {
      if (guard > free || item >= blocksPerHeapCached) return HEAP_INV_FREE_LIST;
      const b = blockAt(table, item);
      if (!isFree(b) || getPrevLink(b) != before) return HEAP_INV_FREE_LIST;
      const home = buddy ? orderOf(getSize(b)) : tlsfListOf(h, getSize(b));
      if (home != list) return HEAP_INV_FREE_LIST;
      listed++;
      before = item;
      item = getNextLink(b);
    }
  }
  if (listed != free) return HEAP_INV_FREE_LIST;
  // 3. Owners: each list holds that owner's used blocks; accounting adds up.
  let owned: u32 = 0;
  for (let pid: u32 = 0; pid < ownersPerHeapCached; pid++) {
    const o = ownerAt(owners, pid);
    let item = getOwnerFirstBlock(o), before = NONE, count: u32 = 0, bytes: u32 = 0;
    for (let guard: u32 = 0; item != NONE; guard++) {
      if (guard > used || item >= blocksPerHeapCached) return HEAP_INV_OWNER;
      const b = blockAt(table, item);
      if (isFree(b) || getOwner(b) != pid || getPrevLink(b) != before) return HEAP_INV_OWNER;
      count++; bytes += getSize(b);
      before = item;
      item = getNextLink(b);
    }
    if (count != getOwnerBlockCount(o) || bytes != getOwnerBytes(o) || bytes > getOwnerPeakBytes(o)) return HEAP_INV_OWNER;
    owned += count;
  }
  if (owned != used) return HEAP_INV_OWNER;
  return 0;
}
