// Allocator state: a main region, reserved by heapConfigure, holding every node's simulated heap,
// and an id index, reserved by the first heapInit (after any region reserved in between, so those
// keep the addresses they had before the index existed: stateHash, core-ports.ts).
// The simulated bytes never exist: a block is a 32-byte record (address, size, neighbours, list
// links, owner), so a 1 GiB heap costs memory in proportion to its blocks, not its bytes.
// This file owns the layout and named accessors; tlsf.ts, buddy.ts and heap.ts the behaviour.
//
// Main region (reserved once, page aligned, so no record straddles a page):
//
//   heapBase
//   ├────────┬─────────────────────┬────────────────────────────────┬───────────────────────────────┤
//   │ header │ heap records        │ block records (slots)           │ owner records                  │
//   │ 2048 B │ nodeCount × 2048 B  │ nodeCount × blocksPerHeap × 32  │ nodeCount × ownersPerHeap × 16 │
//   └────────┴─────────────────────┴────────────────────────────────┴───────────────────────────────┘
//
// Header:  0 magic u32 | 4 nodeCount u32 | 8 blocksPerHeap u32 | 12 ownersPerHeap u32 | 16..2047 zero
//
// Heap record (HEAP_RECORD_BYTES = 2048), one per node:
//   byte   0 allocator u8 (0 none, 1 TLSF, 2 buddy, 3 first fit, 4 best fit)   1 fine u8 (0: 16-byte granules;
//            1: 8-byte granules, core 0.3.2)   2..3 zero (bytes 0..3 were the allocator u32 before 0.3.2)
//          4 heapBytes u32      8 freeBytes u32
//         12 usedBlocks u32    16 freeBlocks u32        20 recordHighWater u32 (records ever used)
//         24 recordFreeHead u32 (the last released id; spare ids chain through the id table)
//         28 firstBlock u32 (the slot of the block at address 0)   32 firstLevelMap u32 (TLSF, best fit: fl
//         bitmap; buddy: order bitmap; first fit: 0)        36 failedAllocs u32      40 peakUsedBytes u32   44..63 reserved
//         64 secondLevelMap[25] u32 (TLSF)              164..191 reserved
//        192 listHead[25 × 16] u32, slots (TLSF, best fit: fl * 16 + sl; buddy: order 3..31; first fit:
//            [0] the free block of lowest address, [1] of highest)   1792..2047 reserved
//
// Block record (BLOCK_BYTES = 32) in a slot; every link is a slot. The block's id (what alloc
// returns, free takes and journals carry) maps to its slot through the id table:
//   byte  0 address u32     4 size u32        8 prevPhysical u32   12 nextPhysical u32
//        16 prevLink u32   20 nextLink u32   (free: its free list; used: its owner's list)
//        24 owner u32 (pid; NONE while free) 28 flags u8 (FLAG_LIVE: record in use; FLAG_FREE)
//        29..31 id u24 (the flags word >> 8). A spare slot is zero.
//
// Owner record (OWNER_BYTES = 16), index = pid:
//   byte  0 bytesInUse u32  4 peakBytes u32   8 blockCount u32   12 firstBlock u32 (slot of its last granted block)
//
// Id index (page aligned), per node in turn for each part:
//   id table        blocksPerHeap × u32: a live id's slot, or a spare id's next spare id | ID_SPARE
//                   (NONE: the last); ids at or above recordHighWater unused
//   spare bitmap    ceil(blocksPerHeap / 64) × u64: bit set = the slot is spare
//   summary         ceil(words / 64) × u64: bit set = that bitmap word has a spare slot
//
// stateHash does not read the main region raw but its canonical image (heap.ts, heapImage): every
// record at its id, links as ids, a spare id zero but for nextLink (the next spare id), and list
// heads and first blocks as ids: byte for byte the layout by id of core 0.3.0, so recorded hashes
// hold. The slot a record sits in is a cache layout, not state.

import { markDirty } from "../memory/regions";

export const HEAP_MAGIC: u32 = 0x48454150; // "HEAP"
export const HEADER_BYTES: usize = 2048; // keeps every heap record inside one page
export const HEAP_RECORD_BYTES: usize = 2048;
export const BLOCK_BYTES: usize = 32;
export const OWNER_BYTES: usize = 16;
export const NONE: u32 = 0xffffffff;

export const ALLOCATOR_NONE: u32 = 0;
export const ALLOCATOR_TLSF: u32 = 1;
export const ALLOCATOR_BUDDY: u32 = 2;
export const ALLOCATOR_FIRST_FIT: u32 = 3;
export const ALLOCATOR_BEST_FIT: u32 = 4;
export const ALLOCATOR_MAX: u32 = 4;

export const FLAG_LIVE: u32 = 1;
export const FLAG_FREE: u32 = 2;

// TLSF classes (as in AssemblyScript's std/assembly/rt/tlsf.ts, with 16-byte granules; a heap of
// 8-byte granules files a block under twice its size: tlsf.ts, classKey).
export const ALIGN_BITS: u32 = 4;
export const SL_BITS: u32 = 4;
export const SL_COUNT: u32 = 1 << SL_BITS;
export const SB_BITS: u32 = SL_BITS + ALIGN_BITS;
export const SB_SIZE: u32 = 1 << SB_BITS;          // below this, one class per granule
export const FL_COUNT: u32 = 31 - SB_BITS + 2;     // sizes up to 2^31 (twice 2^30 with 8-byte granules)
// Buddy orders: 2^4 (one granule; 2^3 with 8-byte granules) .. 2^31.
export const ORDER_MIN: u32 = ALIGN_BITS - 1;
export const ORDER_MAX: u32 = 31;

export let heapBase: usize = 0;
export let heapRecordsBase: usize = 0;
export let blocksBase: usize = 0;
export let ownersBase: usize = 0;
export let idsBase: usize = 0;
export let spareBase: usize = 0;
export let summaryBase: usize = 0;
export let indexBase: usize = 0;
export let spareWordsCached: usize = 0;
export let summaryWordsCached: usize = 0;
export let nodeCountCached: u32 = 0;
export let blocksPerHeapCached: u32 = 0;
export let ownersPerHeapCached: u32 = 0;

/** The allocator's main region (header, heap records, block slots, owner records). */
export function regionBytes(nodeCount: u32, blocksPerHeap: u32, ownersPerHeap: u32): usize {
  return HEADER_BYTES + (<usize>nodeCount) * HEAP_RECORD_BYTES
    + (<usize>nodeCount) * (<usize>blocksPerHeap) * BLOCK_BYTES
    + (<usize>nodeCount) * (<usize>ownersPerHeap) * OWNER_BYTES;
}

// @ts-ignore: decorator
@inline export function spareWordsFor(blocksPerHeap: u32): usize { return ((<usize>blocksPerHeap) + 63) >> 6; }
// @ts-ignore: decorator
@inline export function summaryWordsFor(blocksPerHeap: u32): usize { return (spareWordsFor(blocksPerHeap) + 63) >> 6; }

/** The id index region: per node the id table, the spare-slot bitmap and its summary. */
export function indexBytes(nodeCount: u32, blocksPerHeap: u32): usize {
  return (<usize>nodeCount) * ((<usize>blocksPerHeap) * 4 + (spareWordsFor(blocksPerHeap) + summaryWordsFor(blocksPerHeap)) * 8);
}

export function setBases(base: usize, nodeCount: u32, blocksPerHeap: u32, ownersPerHeap: u32): void {
  heapBase = base;
  nodeCountCached = nodeCount;
  blocksPerHeapCached = blocksPerHeap;
  ownersPerHeapCached = ownersPerHeap;
  heapRecordsBase = base + HEADER_BYTES;
  blocksBase = heapRecordsBase + (<usize>nodeCount) * HEAP_RECORD_BYTES;
  ownersBase = blocksBase + (<usize>nodeCount) * (<usize>blocksPerHeap) * BLOCK_BYTES;
  spareWordsCached = spareWordsFor(blocksPerHeap);
  summaryWordsCached = summaryWordsFor(blocksPerHeap);
  indexBase = 0;
  idsBase = 0; spareBase = 0; summaryBase = 0;
}

/** Places the id index region (reserved after every other region: see heap.ts, heapInit). */
export function setIndexBase(base: usize): void {
  indexBase = base;
  idsBase = base;
  spareBase = idsBase + (<usize>nodeCountCached) * (<usize>blocksPerHeapCached) * 4;
  summaryBase = spareBase + (<usize>nodeCountCached) * spareWordsCached * 8;
}

// @ts-ignore: decorator
@inline export function heapAt(node: u32): usize { return heapRecordsBase + (<usize>node) * HEAP_RECORD_BYTES; }
// @ts-ignore: decorator
@inline export function blockTableOf(node: u32): usize { return blocksBase + (<usize>node) * (<usize>blocksPerHeapCached) * BLOCK_BYTES; }
/** A node's id table, from its slot table (4 bytes per slot where a slot takes 32). */
// @ts-ignore: decorator
@inline export function idTableOf(table: usize): usize { return idsBase + ((table - blocksBase) >> 3); }
/** A node's spare-slot bitmap (bit set: the slot is spare) and its summary (bit set: the word has a spare slot), from its heap record. */
// @ts-ignore: decorator
@inline export function spareOf(h: usize): usize { return spareBase + ((h - heapRecordsBase) >> 11) * spareWordsCached * 8; }
// @ts-ignore: decorator
@inline export function summaryOf(h: usize): usize { return summaryBase + ((h - heapRecordsBase) >> 11) * summaryWordsCached * 8; }
// @ts-ignore: decorator
@inline export function ownerTableOf(node: u32): usize { return ownersBase + (<usize>node) * (<usize>ownersPerHeapCached) * OWNER_BYTES; }
// @ts-ignore: decorator
@inline export function blockAt(table: usize, block: u32): usize { return table + (<usize>block) * BLOCK_BYTES; }
// @ts-ignore: decorator
@inline export function ownerAt(owners: usize, pid: u32): usize { return owners + (<usize>pid) * OWNER_BYTES; }

// ── Header ──
export function setHeader(nodeCount: u32, blocksPerHeap: u32, ownersPerHeap: u32): void {
  store<u32>(heapBase, HEAP_MAGIC, 0);
  store<u32>(heapBase, nodeCount, 4);
  store<u32>(heapBase, blocksPerHeap, 8);
  store<u32>(heapBase, ownersPerHeap, 12);
  markDirty(heapBase);
}
// @ts-ignore: decorator
@inline export function getMagic(): u32 { return load<u32>(heapBase, 0); }
// @ts-ignore: decorator
@inline export function getHeaderNodeCount(): u32 { return load<u32>(heapBase, 4); }
// @ts-ignore: decorator
@inline export function getHeaderBlocksPerHeap(): u32 { return load<u32>(heapBase, 8); }
// @ts-ignore: decorator
@inline export function getHeaderOwnersPerHeap(): u32 { return load<u32>(heapBase, 12); }

// Dirty pages: heap, block and owner records never straddle a page (2048-, 32- and 16-byte records
// at offsets that are multiples of their size in a page-aligned region), so their setters do not
// mark; every entry point marks the heap record (touchHeap), and every function marks each block
// or owner record it changes once (touchBlock, touchOwner), before or after its stores.
// @ts-ignore: decorator
@inline export function touchHeap(h: usize): void { markDirty(h); }
// @ts-ignore: decorator
@inline export function touchBlock(b: usize): void { markDirty(b); }
// @ts-ignore: decorator
@inline export function touchOwner(o: usize): void { markDirty(o); }

// ── Heap record ──
// @ts-ignore: decorator
@inline export function getAllocator(h: usize): u32 { return load<u8>(h, 0); }
// @ts-ignore: decorator
@inline export function setAllocator(h: usize, v: u32): void { store<u8>(h, <u8>v, 0); }
/** The allocator and the granule in one load: allocator | fine << 8 (ALLOCATOR_TLSF alone: TLSF on 16-byte granules, the hot path). */
// @ts-ignore: decorator
@inline export function getPolicyWord(h: usize): u32 { return load<u16>(h, 0); }
// @ts-ignore: decorator
@inline export function getHeapBytes(h: usize): u32 { return load<u32>(h, 4); }
// @ts-ignore: decorator
@inline export function setHeapBytes(h: usize, v: u32): void { store<u32>(h, v, 4); }
// @ts-ignore: decorator
@inline export function getFreeBytes(h: usize): u32 { return load<u32>(h, 8); }
// @ts-ignore: decorator
@inline export function setFreeBytes(h: usize, v: u32): void { store<u32>(h, v, 8); }
// @ts-ignore: decorator
@inline export function getUsedBlocks(h: usize): u32 { return load<u32>(h, 12); }
// @ts-ignore: decorator
@inline export function setUsedBlocks(h: usize, v: u32): void { store<u32>(h, v, 12); }
// @ts-ignore: decorator
@inline export function getFreeBlocks(h: usize): u32 { return load<u32>(h, 16); }
// @ts-ignore: decorator
@inline export function setFreeBlocks(h: usize, v: u32): void { store<u32>(h, v, 16); }
// @ts-ignore: decorator
@inline export function getRecordHighWater(h: usize): u32 { return load<u32>(h, 20); }
// @ts-ignore: decorator
@inline export function setRecordHighWater(h: usize, v: u32): void { store<u32>(h, v, 20); }
// @ts-ignore: decorator
@inline export function getRecordFreeHead(h: usize): u32 { return load<u32>(h, 24); }
// @ts-ignore: decorator
@inline export function setRecordFreeHead(h: usize, v: u32): void { store<u32>(h, v, 24); }
// @ts-ignore: decorator
@inline export function getFirstBlock(h: usize): u32 { return load<u32>(h, 28); }
// @ts-ignore: decorator
@inline export function setFirstBlock(h: usize, v: u32): void { store<u32>(h, v, 28); }
// @ts-ignore: decorator
@inline export function getFirstLevelMap(h: usize): u32 { return load<u32>(h, 32); }
// @ts-ignore: decorator
@inline export function setFirstLevelMap(h: usize, v: u32): void { store<u32>(h, v, 32); }
// @ts-ignore: decorator
@inline export function getFailedAllocs(h: usize): u32 { return load<u32>(h, 36); }
// @ts-ignore: decorator
@inline export function setFailedAllocs(h: usize, v: u32): void { store<u32>(h, v, 36); }
// @ts-ignore: decorator
@inline export function getPeakUsedBytes(h: usize): u32 { return load<u32>(h, 40); }
// @ts-ignore: decorator
@inline export function setPeakUsedBytes(h: usize, v: u32): void { store<u32>(h, v, 40); }
/** 1 for a heap of 8-byte granules, 0 for 16-byte granules. */
// @ts-ignore: decorator
@inline export function getFine(h: usize): u32 { return load<u8>(h, 1); }
// @ts-ignore: decorator
@inline export function setFine(h: usize, v: u32): void { store<u8>(h, <u8>v, 1); }
/** The granule of a heap: 16 or 8 bytes. */
// @ts-ignore: decorator
@inline export function granuleOf(h: usize): u32 { return 16 >> getFine(h); }
// @ts-ignore: decorator
@inline export function getSecondLevelMap(h: usize, fl: u32): u32 { return load<u32>(h + 64 + ((<usize>fl) << 2)); }
// @ts-ignore: decorator
@inline export function setSecondLevelMap(h: usize, fl: u32, v: u32): void { store<u32>(h + 64 + ((<usize>fl) << 2), v); }
// @ts-ignore: decorator
@inline export function getListHead(h: usize, list: u32): u32 { return load<u32>(h + 192 + ((<usize>list) << 2)); }
// @ts-ignore: decorator
@inline export function setListHead(h: usize, list: u32, v: u32): void { store<u32>(h + 192 + ((<usize>list) << 2), v); }

// ── Block record ──
// @ts-ignore: decorator
@inline export function getAddress(b: usize): u32 { return load<u32>(b, 0); }
// @ts-ignore: decorator
@inline export function setAddress(b: usize, v: u32): void { store<u32>(b, v, 0); }
// @ts-ignore: decorator
@inline export function getSize(b: usize): u32 { return load<u32>(b, 4); }
// @ts-ignore: decorator
@inline export function setSize(b: usize, v: u32): void { store<u32>(b, v, 4); }
// @ts-ignore: decorator
@inline export function getPrevPhysical(b: usize): u32 { return load<u32>(b, 8); }
// @ts-ignore: decorator
@inline export function setPrevPhysical(b: usize, v: u32): void { store<u32>(b, v, 8); }
// @ts-ignore: decorator
@inline export function getNextPhysical(b: usize): u32 { return load<u32>(b, 12); }
// @ts-ignore: decorator
@inline export function setNextPhysical(b: usize, v: u32): void { store<u32>(b, v, 12); }
// @ts-ignore: decorator
@inline export function getPrevLink(b: usize): u32 { return load<u32>(b, 16); }
// @ts-ignore: decorator
@inline export function setPrevLink(b: usize, v: u32): void { store<u32>(b, v, 16); }
// @ts-ignore: decorator
@inline export function getNextLink(b: usize): u32 { return load<u32>(b, 20); }
// @ts-ignore: decorator
@inline export function setNextLink(b: usize, v: u32): void { store<u32>(b, v, 20); }
// @ts-ignore: decorator
@inline export function getOwner(b: usize): u32 { return load<u32>(b, 24); }
// @ts-ignore: decorator
@inline export function setOwner(b: usize, v: u32): void { store<u32>(b, v, 24); }
// @ts-ignore: decorator
@inline export function getFlags(b: usize): u32 { return load<u8>(b, 28); }
// @ts-ignore: decorator
@inline export function setFlags(b: usize, v: u32): void { store<u8>(b, <u8>v, 28); }
/** The block id a slot holds (bits 8..31 of the flags word). */
// @ts-ignore: decorator
@inline export function getId(b: usize): u32 { return load<u32>(b, 28) >> 8; }
// @ts-ignore: decorator
@inline export function setIdAndFlags(b: usize, id: u32, flags: u32): void { store<u32>(b, (id << 8) | flags, 28); }
// @ts-ignore: decorator
@inline export function isFree(b: usize): bool { return (load<u8>(b, 28) & FLAG_FREE) != 0; }

// ── Owner record ──
// @ts-ignore: decorator
@inline export function getOwnerBytes(o: usize): u32 { return load<u32>(o, 0); }
// @ts-ignore: decorator
@inline export function setOwnerBytes(o: usize, v: u32): void { store<u32>(o, v, 0); }
// @ts-ignore: decorator
@inline export function getOwnerPeakBytes(o: usize): u32 { return load<u32>(o, 4); }
// @ts-ignore: decorator
@inline export function setOwnerPeakBytes(o: usize, v: u32): void { store<u32>(o, v, 4); }
// @ts-ignore: decorator
@inline export function getOwnerBlockCount(o: usize): u32 { return load<u32>(o, 8); }
// @ts-ignore: decorator
@inline export function setOwnerBlockCount(o: usize, v: u32): void { store<u32>(o, v, 8); }
// @ts-ignore: decorator
@inline export function getOwnerFirstBlock(o: usize): u32 { return load<u32>(o, 12); }
// @ts-ignore: decorator
@inline export function setOwnerFirstBlock(o: usize, v: u32): void { store<u32>(o, v, 12); }
