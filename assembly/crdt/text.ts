// Text CRDT: YjsMod / FugueMax (Weidner & Kleppmann, "The Art of the Fugue", 2023; Gentle's
// reference-crdts) with run-length items.
//
// Every character has an id (replica, seq) (seq dense per replica, from 0), a Lamport time, and
// two origins: the ids of the characters just left and just right of it when it was inserted
// (or the doc start / end). Integration (integrate below): between the left origin and the
// right origin, scan the items already there; an item whose left origin lies before ours ends
// the scan; one whose left origin is ours is ordered by its right origin, then by replica id.
// This is YATA with Gentle's fix, equivalent to FugueMax: concurrent runs never interleave,
// whether typed forwards or backwards. A typing run (consecutive seqs and lamports, each char's
// left origin the previous one, one right origin) is one item; items split when an insert or
// delete lands inside them and merge again when a delete leaves two halves deleted. Lamport
// times only order the integration of a delta (both origins of a char are older than it).
//
// Deletes do not take a seq: a deleted item stays as a tombstone without content (ids are
// needed for origins). Deltas carry, besides the new items, the deleted ranges of items the
// receiver already has (like Yjs's delete set).
//
// ABI (doc = handle from crdtTextCreate; code points and encodings travel through the IO buffer):
//   crdtTextCreate(replicaId, itemsMax, charsMax) -> doc | error
//   crdtTextApplyOps(doc, words) -> 0 | error        batched local ops, u32 words in IO:
//        [1, pos, count, cp × count] insert   [2, pos, count] delete
//   crdtTextLength(doc) -> code points               crdtTextHash(doc) -> u64 (FNV-1a of cps)
//   crdtTextRead(doc) -> UTF-16 units written to IO | error
//   crdtTextStateVector(doc) -> bytes written to IO
//   crdtTextEncode(doc, svBytes) -> bytes written to IO   (IO holds the remote state vector on
//        entry, svBytes = 0 means the full state)
//   crdtTextTakeChanges(doc) -> bytes written to IO  (the delta of the local edits since the last
//        take: what a writer sends after each transaction)
//   crdtTextApply(doc, bytes) -> 0 | error           (IO holds a state or delta; NOT_READY if
//        it depends on changes this replica has not seen: apply it again later)
//   crdtTextItemCount(doc)                           live items (for tests and benchmarks)
//   crdtTextReset(doc, replicaId) -> 0 | error      empties the doc in place for a new replica
//   crdtTextLinkedWhole() -> 1 | 0                  the last apply linked a whole state as it was
//        (a disposed private doc's region handed on: src/crdt/text.ts, `dispose`)
//
// Doc region:
//
//   0       64                         64+16·R           +52·itemsMax        +4096·blocks
//   ├───────┼──────────────────────────┼─────────────────┼───────────────────┼────────────┤
//   │header │ replicas R × 16 B        │ items           │ index blocks      │ chars      │
//   │       │ id|nextSeq|dir|entries   │ 40 B each       │ 4 KiB each        │ u32 cps    │
//   └───────┴──────────────────────────┴─────────────────┴───────────────────┴────────────┘
//
// Item (52 bytes); item 0 is the head sentinel, lists end in NIL:
//
//   0      2      4      8        12       16       20       24       28     32     36     40      44      48     52
//   ├──────┼──────┼──────┼────────┼────────┼────────┼────────┼────────┼──────┼──────┼──────┼───────┼───────┼──────┤
//   │ slot │flags │ seq  │lamport │ length │content │oSlot   │ oSeq   │ prev │ next │split │rSlot  │ rSeq  │stamp │
//   └──────┴──────┴──────┴────────┴────────┴────────┴────────┴────────┴──────┴──────┴──────┴───────┴───────┴──────┘
//   o = left origin of the first char (the others': the char before), r = right origin of all
//   stamp: scan scratch of integrate (an item between the new one's origins carries the epoch)
//   flags: DELETED, INDEX_HEAD (first item of an indexed run; never merged away)
//   split: next piece of the same run in seq order (pieces cover the run contiguously)
//
// Id index: per replica, the runs in seq order: (seqStart, item) entries in 512-entry data
// blocks, found through a directory block of 1024 block ids. Lookup = binary search, then walk
// the split chain. Entries are appended in seq order because remote items are integrated in
// Lamport order (which, per replica, is seq order).
//
// Position index: a cursor (item, visible chars before it) cached at the last local edit;
// editing traces move little between edits, so the walk from the cursor is short.

import { CRDT_REPLICAS_MAX, CRDT_TEXT_ITEMS_MAX, CRDT_TEXT_CHARS_MAX } from "../constants";
import { markDirty, markDirtyRange, extendLastRegion, reserveRegion } from "../memory/regions";
import {
  NIL, KIND_TEXT, RECORD_BYTES,
  ERR_BAD_DOC, ERR_WRONG_KIND, ERR_ITEMS_FULL, ERR_CHARS_FULL, ERR_INDEX_FULL, ERR_REGION,
  ERR_IO_FULL, ERR_MALFORMED, ERR_SCRATCH_FULL, ERR_BAD_ARGUMENT,
  createDoc, docBase, setDocBase, ioBase, ioSize, scratchBase, recordsMax, keysBase, sortKeys, radixSortKeys, radixSortBytes,
  writeBegin, writeU8, writeVar, writePtr, writeFailed, zigzag, unzigzag,
  readBegin, readVar, readPtr, readEnd, readFailed, HASH_SEED, hashWord,
} from "./common";
import {
  useReplicaTable, replicaRow, replicaCount, replicaId, nextSeq, setNextSeq, findReplica, addReplica,
  remoteSeq, indexOfSlot, slotOfIndex, fromOfIndex, toOfIndex,
  writeStateVector, readRemoteStateVector, setRemoteSeq, beginEncoding, writeReplicaHeader, beginDecoding, readReplicaHeader,
  decodedVersion, CRDT_TEXT_COLLECTED_VERSION,
} from "./replicas";

// ── header ──────────────────────────────────────────────────────────────────────────────────
const H_ITEMS_MAX: usize = 4;
const H_ITEMS_USED: usize = 8;
const H_FREE_ITEM: usize = 12;
const H_CHARS_MAX: usize = 16;
const H_CHARS_USED: usize = 20;
const H_REPLICA_COUNT: usize = 24;
const H_MAX_LAMPORT: usize = 28;
const H_VISIBLE: usize = 32;
const H_CURSOR_ITEM: usize = 36;
const H_CURSOR_POS: usize = 40;
const H_BLOCKS_MAX: usize = 44;
const H_BLOCKS_USED: usize = 48;
const H_ITEMS_LIVE: usize = 52;
const H_TAIL: usize = 56;
const H_EPOCH: usize = 60;
const H_MARK_SEQ: usize = 64;      // local nextSeq at the last crdtTextTakeChanges
const H_LOG_COUNT: usize = 68;     // entries in the delete log since then
const H_LOG_OVERFLOW: usize = 72;  // 1: the log overflowed (take sends the whole delete set)
const H_CHUNKS_MAX: usize = 76;
const H_CHUNKS_USED: usize = 80;
const H_CHUNK_FREE: usize = 84;
const H_COLLECTED: usize = 88;     // chars collected so far, at least 1 once a version-3 encoding
                                   // was applied (0: never; encodings stay version 1)
const HEADER_BYTES: usize = 96;

// Position index: the item list cut into chunks of consecutive items, each knowing its first
// item, the next chunk, its item count and its visible chars. A position is found by summing
// chunks, then walking one chunk. Chunks split above CHUNK_ITEMS_MAX items; when none is free
// the index is rebuilt from the list (CHUNK_FILL items each).
const CHUNK_BYTES: usize = 16;
const C_FIRST: usize = 0;
const C_NEXT: usize = 4;
const C_COUNT: usize = 8;
const C_VISIBLE: usize = 12;
const CHUNK_ITEMS_MAX: u32 = 64;
const CHUNK_FILL: u32 = 32;
/** A cursor this close (in visible chars) is walked from; farther, the chunks are summed. */
const CURSOR_WALK_MAX: u32 = 64;

// Delete log: (slot, seq, length) of the chars local edits deleted since the last take, that the
// take's items do not carry themselves (adjacent ranges coalesce).
const LOG_ENTRIES: u32 = 1024;
const LOG_ENTRY_BYTES: usize = 12;
const LOG_BYTES: usize = <usize>LOG_ENTRIES * LOG_ENTRY_BYTES;

const REPLICA_BYTES: usize = 16;
// 0: id, 4: nextSeq (the replica table's, replicas.ts); then the id index of the replica:
const R_DIR: usize = 8;
const R_ENTRIES: usize = 12;

const ITEM_BYTES: usize = 56;
const I_SLOT: usize = 0;
const I_FLAGS: usize = 2;
const I_SEQ: usize = 4;
const I_LAMPORT: usize = 8;
const I_LENGTH: usize = 12;
const I_CONTENT: usize = 16;
const I_ORIGIN_SLOT: usize = 20;
const I_ORIGIN_SEQ: usize = 24;
const I_PREV: usize = 28;
const I_NEXT: usize = 32;
const I_SPLIT: usize = 36;
const I_RIGHT_SLOT: usize = 40;
const I_RIGHT_SEQ: usize = 44;
const I_STAMP: usize = 48;
const I_CHUNK: usize = 52;

const FLAG_DELETED: u32 = 1;
const FLAG_INDEX_HEAD: u32 = 2;
const HEAD: u32 = 0;
const HEAD_SLOT: u32 = 0xffff;

const BLOCK_BYTES: usize = 4096;
const BLOCK_ENTRIES_BITS: u32 = 9; // 512 entries of 8 bytes
const BLOCK_ENTRIES: u32 = 1 << BLOCK_ENTRIES_BITS;
const DIR_ENTRIES: u32 = 1024;

// Record of a decoded item. Two layouts: in the decode scratch (RECORD_BYTES = 40 each), or, for
// a whole state decoded into an empty doc, in the doc's items themselves (record i is item i+1:
// its fields where the item keeps them, the deleted flag in the stamp until the list is linked),
// so a load writes each item once and touches no scratch for them (useScratchRecords /
// useItemRecords select one; every record access goes through these).
let RB: usize = 0;                  // record 0
let RS: usize = RECORD_BYTES;       // bytes from one record to the next
let REC_SLOT: usize = 0;            // u32 (an item's slot is a u16 followed by its u16 flags, 0 here)
let REC_SEQ: usize = 4;
let REC_LAMPORT: usize = 8;
let REC_LENGTH: usize = 12;
let REC_ORIGIN_SLOT: usize = 16;
let REC_ORIGIN_SEQ: usize = 20;
let REC_FLAGS: usize = 24;
let REC_CONTENT: usize = 28;
let REC_RIGHT_SLOT: usize = 32;
let REC_RIGHT_SEQ: usize = 36;
/** Records in the decode scratch (every delta, and any state that does not load whole). */
function useScratchRecords(): void {
  RB = scratchBase(); RS = RECORD_BYTES;
  REC_SLOT = 0; REC_SEQ = 4; REC_LAMPORT = 8; REC_LENGTH = 12; REC_ORIGIN_SLOT = 16;
  REC_ORIGIN_SEQ = 20; REC_FLAGS = 24; REC_CONTENT = 28; REC_RIGHT_SLOT = 32; REC_RIGHT_SEQ = 36;
}
/** Records in the items of an empty doc (D selected): record i is item i+1. */
function useItemRecords(): void {
  RB = IB + ITEM_BYTES; RS = ITEM_BYTES;
  REC_SLOT = I_SLOT; REC_SEQ = I_SEQ; REC_LAMPORT = I_LAMPORT; REC_LENGTH = I_LENGTH;
  REC_ORIGIN_SLOT = I_ORIGIN_SLOT; REC_ORIGIN_SEQ = I_ORIGIN_SEQ; REC_FLAGS = I_STAMP;
  REC_CONTENT = I_CONTENT; REC_RIGHT_SLOT = I_RIGHT_SLOT; REC_RIGHT_SEQ = I_RIGHT_SEQ;
}
const PENDING_NEXT: u32 = 0xfffffffe; // right origin = first char of the next record

// Encoded item header flags (low 4 bits of the info varint; length above).
const E_DELETED: u32 = 1;
const E_ORIGIN_PREVIOUS: u32 = 2;
const E_SAME_REPLICA: u32 = 4;
const E_SAME_OFFSET: u32 = 8;
const E_RIGHT_NEXT: u32 = 16;      // right origin = first char of the next item in this encoding
const E_RIGHT_SAME: u32 = 32;      // right origin = that of the previous item
const E_FLAG_BITS: u32 = 6;

// Current doc (set by selectText at each entry point).
let D: usize = 0;
let LB: usize = 0;
let IB: usize = 0;
let KB: usize = 0;
let BB: usize = 0;
let CB: usize = 0;

// Per-call scratch (static, at most CRDT_REPLICAS_MAX entries).
// Expected seq of the next item of each replica: by slot in encode, by header index in apply.
const EXPECTED_SEQ: usize = memory.data(<i32>(CRDT_REPLICAS_MAX << 2), 16);

// ── accessors ───────────────────────────────────────────────────────────────────────────────
// @ts-ignore: decorator
@inline function hget(offset: usize): u32 { return load<u32>(D + offset); }
// @ts-ignore: decorator
@inline function hset(offset: usize, value: u32): void { store<u32>(D + offset, value); markDirty(D + offset); }

// Replica rows (replicas.ts: id and nextSeq first), then the id index's directory and entry count.
// @ts-ignore: decorator
@inline function rAddr(slot: u32): usize { return replicaRow(slot); }

// @ts-ignore: decorator
@inline function iAddr(item: u32): usize { return IB + <usize>item * ITEM_BYTES; }
// @ts-ignore: decorator
@inline function getSlot(item: u32): u32 { return <u32>load<u16>(iAddr(item) + I_SLOT); }
// @ts-ignore: decorator
@inline function getFlags(item: u32): u32 { return <u32>load<u16>(iAddr(item) + I_FLAGS); }
// @ts-ignore: decorator
@inline function isDeleted(item: u32): bool { return (getFlags(item) & FLAG_DELETED) != 0; }
// @ts-ignore: decorator
@inline function getSeq(item: u32): u32 { return load<u32>(iAddr(item) + I_SEQ); }
// @ts-ignore: decorator
@inline function getLamport(item: u32): u32 { return load<u32>(iAddr(item) + I_LAMPORT); }
// @ts-ignore: decorator
@inline function getLength(item: u32): u32 { return load<u32>(iAddr(item) + I_LENGTH); }
// @ts-ignore: decorator
@inline function getContent(item: u32): u32 { return load<u32>(iAddr(item) + I_CONTENT); }
// @ts-ignore: decorator
@inline function getOriginSlot(item: u32): u32 { return load<u32>(iAddr(item) + I_ORIGIN_SLOT); }
// @ts-ignore: decorator
@inline function getOriginSeq(item: u32): u32 { return load<u32>(iAddr(item) + I_ORIGIN_SEQ); }
// @ts-ignore: decorator
@inline function getRightSlot(item: u32): u32 { return load<u32>(iAddr(item) + I_RIGHT_SLOT); }
// @ts-ignore: decorator
@inline function getRightSeq(item: u32): u32 { return load<u32>(iAddr(item) + I_RIGHT_SEQ); }
// @ts-ignore: decorator
@inline function getPrev(item: u32): u32 { return load<u32>(iAddr(item) + I_PREV); }
// @ts-ignore: decorator
@inline function getNext(item: u32): u32 { return load<u32>(iAddr(item) + I_NEXT); }
// @ts-ignore: decorator
@inline function getSplit(item: u32): u32 { return load<u32>(iAddr(item) + I_SPLIT); }
// @ts-ignore: decorator
@inline function visibleLength(item: u32): u32 { return isDeleted(item) ? 0 : getLength(item); }

// @ts-ignore: decorator
@inline function setU32(item: u32, field: usize, value: u32): void { const a = iAddr(item) + field; store<u32>(a, value); markDirty(a); }
// @ts-ignore: decorator
@inline function setFlags(item: u32, value: u32): void { const a = iAddr(item) + I_FLAGS; store<u16>(a, <u16>value); markDirty(a); }
// @ts-ignore: decorator
@inline function setSlot(item: u32, value: u32): void { const a = iAddr(item) + I_SLOT; store<u16>(a, <u16>value); markDirty(a); }

// @ts-ignore: decorator
@inline function charAt(offset: u32): u32 { return load<u32>(CB + (<usize>offset << 2)); }

// @ts-ignore: decorator
@inline function recAddr(index: u32): usize { return RB + <usize>index * RS; }

function selectText(doc: i32): i32 {
  const base = docBase(doc);
  if (base == 0) return ERR_BAD_DOC;
  if (load<u32>(base) != KIND_TEXT) return ERR_WRONG_KIND;
  D = base;
  useReplicaTable(base + HEADER_BYTES, REPLICA_BYTES, base + H_REPLICA_COUNT);
  LB = base + HEADER_BYTES + <usize>CRDT_REPLICAS_MAX * REPLICA_BYTES;
  IB = LB + LOG_BYTES;
  KB = IB + <usize>hget(H_ITEMS_MAX) * ITEM_BYTES;
  BB = KB + <usize>hget(H_CHUNKS_MAX) * CHUNK_BYTES;
  CB = BB + <usize>hget(H_BLOCKS_MAX) * BLOCK_BYTES;
  return 0;
}

// ── create ──────────────────────────────────────────────────────────────────────────────────

// Layout sizes (the index blocks and the chunks follow the item capacity).
// @ts-ignore: decorator
@inline function blocksFor(itemsMax: u32): u32 { return (itemsMax >> BLOCK_ENTRIES_BITS) + 2 * CRDT_REPLICAS_MAX + 2; }
// @ts-ignore: decorator
@inline function chunksFor(itemsMax: u32): u32 { return (itemsMax >> 3) + 16; }
const FIXED_BYTES: usize = HEADER_BYTES + <usize>CRDT_REPLICAS_MAX * REPLICA_BYTES + LOG_BYTES;
function regionBytes(itemsMax: u32, charsMax: u32): usize {
  return FIXED_BYTES + <usize>itemsMax * ITEM_BYTES + <usize>chunksFor(itemsMax) * CHUNK_BYTES
    + <usize>blocksFor(itemsMax) * BLOCK_BYTES + (<usize>charsMax << 2);
}

export function crdtTextCreate(replicaId: u32, itemsMax: u32, charsMax: u32): i32 {
  if (itemsMax < 4 || itemsMax > CRDT_TEXT_ITEMS_MAX || charsMax < 1 || charsMax > CRDT_TEXT_CHARS_MAX) return ERR_BAD_ARGUMENT;
  const blocksMax = blocksFor(itemsMax);
  const chunksMax = chunksFor(itemsMax);
  const bytes = regionBytes(itemsMax, charsMax);
  const doc = createDoc(KIND_TEXT, bytes);
  if (doc < 0) return doc;
  D = docBase(doc);
  initText(doc, replicaId, itemsMax, charsMax, blocksMax, chunksMax);
  return doc;
}

/** The empty doc's header, head sentinel, first chunk and local replica, in a zeroed region. */
function initText(doc: i32, replicaId: u32, itemsMax: u32, charsMax: u32, blocksMax: u32, chunksMax: u32): void {
  hset(H_ITEMS_MAX, itemsMax);
  hset(H_CHARS_MAX, charsMax);
  hset(H_BLOCKS_MAX, blocksMax);
  hset(H_CHUNKS_MAX, chunksMax);
  selectText(doc);
  hset(H_FREE_ITEM, NIL);
  // head sentinel
  hset(H_ITEMS_USED, 1);
  hset(H_ITEMS_LIVE, 1);
  setSlot(HEAD, HEAD_SLOT);
  setFlags(HEAD, 0);
  setU32(HEAD, I_PREV, NIL);
  setU32(HEAD, I_NEXT, NIL);
  setU32(HEAD, I_SPLIT, NIL);
  setU32(HEAD, I_ORIGIN_SLOT, NIL);
  setU32(HEAD, I_RIGHT_SLOT, NIL);
  hset(H_CURSOR_ITEM, HEAD);
  hset(H_CURSOR_POS, 0);
  hset(H_TAIL, HEAD);
  // chunk 0 holds the head, always its first item
  hset(H_CHUNKS_USED, 1);
  hset(H_CHUNK_FREE, NIL);
  setChunk(0, C_FIRST, HEAD);
  setChunk(0, C_NEXT, NIL);
  setChunk(0, C_COUNT, 1);
  setChunk(0, C_VISIBLE, 0);
  setU32(HEAD, I_CHUNK, 0);
  const local = addTextReplica(replicaId);
  assert(local == 0, "the local replica takes slot 0");
}

/**
 * Empties a doc in place for a new replica (a private core's doc handed on when its owner is
 * done with it: src/crdt/text.ts, `dispose`): the region, its capacity and the pages it touched
 * stay, so a doc made from it costs no new wasm memory. Clears what can hold data (the header,
 * replica rows and delete log, the items, chunks and index blocks ever used, the chars in use;
 * chars past those, left by a collect, are written before they are read) and sets the doc up
 * as crdtTextCreate does. Never for a doc others still merge with: its replica id starts over.
 */
export function crdtTextReset(doc: i32, replicaId: u32): i32 {
  const selected = selectText(doc);
  if (selected < 0) return selected;
  const itemsMax = hget(H_ITEMS_MAX), charsMax = hget(H_CHARS_MAX);
  const blocksMax = hget(H_BLOCKS_MAX), chunksMax = hget(H_CHUNKS_MAX);
  const items = hget(H_ITEMS_USED), chunks = hget(H_CHUNKS_USED), blocks = hget(H_BLOCKS_USED), chars = hget(H_CHARS_USED);
  memory.fill(D + 4, 0, FIXED_BYTES - 4); // all but the kind
  memory.fill(IB, 0, <usize>items * ITEM_BYTES);
  memory.fill(KB, 0, <usize>chunks * CHUNK_BYTES);
  memory.fill(BB, 0, <usize>blocks * BLOCK_BYTES);
  memory.fill(CB, 0, <usize>chars << 2);
  markDirtyRange(D, regionBytes(itemsMax, charsMax));
  initText(doc, replicaId, itemsMax, charsMax, blocksMax, chunksMax);
  return 0;
}

/** Appends a replica row with its own index directory; NIL when the table or the blocks are full. */
function addTextReplica(id: u32): u32 {
  if (replicaCount() >= CRDT_REPLICAS_MAX) return NIL;
  const dir = allocBlock();
  if (dir == NIL) return NIL;
  const slot = addReplica(id);
  const a = rAddr(slot);
  store<u32>(a + R_DIR, dir);
  store<u32>(a + R_ENTRIES, 0);
  markDirtyRange(a, REPLICA_BYTES);
  return slot;
}

function allocBlock(): u32 {
  const used = hget(H_BLOCKS_USED);
  if (used >= hget(H_BLOCKS_MAX)) return NIL;
  hset(H_BLOCKS_USED, used + 1);
  return used;
}

function allocItem(): u32 {
  let item = hget(H_FREE_ITEM);
  if (item != NIL) {
    hset(H_FREE_ITEM, getNext(item));
  } else {
    item = hget(H_ITEMS_USED);
    assert(item < hget(H_ITEMS_MAX), "callers check capacity before changing anything");
    hset(H_ITEMS_USED, item + 1);
  }
  hset(H_ITEMS_LIVE, hget(H_ITEMS_LIVE) + 1);
  return item;
}

function freeItem(item: u32): void {
  setFlags(item, 0);
  setU32(item, I_NEXT, hget(H_FREE_ITEM));
  setU32(item, I_PREV, NIL);
  hset(H_FREE_ITEM, item);
  hset(H_ITEMS_LIVE, hget(H_ITEMS_LIVE) - 1);
}

function itemsFree(): u32 {
  return hget(H_ITEMS_MAX) - hget(H_ITEMS_LIVE);
}

/** Blocks the index may still need: one per 512 new entries, one per replica's partial block. */
function indexHasRoom(newEntries: u32): bool {
  const free = hget(H_BLOCKS_MAX) - hget(H_BLOCKS_USED);
  return free >= (newEntries >> BLOCK_ENTRIES_BITS) + hget(H_REPLICA_COUNT) + 1;
}

// ── id index ────────────────────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline function blockAddr(block: u32): usize { return BB + <usize>block * BLOCK_BYTES; }

// @ts-ignore: decorator
@inline function entryAddr(slot: u32, index: u32): usize {
  const dir = load<u32>(rAddr(slot) + R_DIR);
  const block = load<u32>(blockAddr(dir) + (<usize>(index >> BLOCK_ENTRIES_BITS) << 2));
  return blockAddr(block) + (<usize>(index & (BLOCK_ENTRIES - 1)) << 3);
}

function indexAppend(slot: u32, seqStart: u32, item: u32): i32 {
  const count = load<u32>(rAddr(slot) + R_ENTRIES);
  if (count >= BLOCK_ENTRIES * DIR_ENTRIES) return ERR_INDEX_FULL;
  if ((count & (BLOCK_ENTRIES - 1)) == 0) {
    // a new data block, unless a collection shrank the entries and left this one allocated
    // (data blocks are never block 0, the local replica's directory; fresh regions are zero)
    const dirSlot = blockAddr(load<u32>(rAddr(slot) + R_DIR)) + (<usize>(count >> BLOCK_ENTRIES_BITS) << 2);
    if (load<u32>(dirSlot) == 0) {
      const block = allocBlock();
      if (block == NIL) return ERR_INDEX_FULL;
      store<u32>(dirSlot, block);
      markDirty(dirSlot);
    }
  }
  const a = entryAddr(slot, count);
  store<u32>(a, seqStart);
  store<u32>(a, item, 4);
  markDirty(a);
  const ea = rAddr(slot) + R_ENTRIES;
  store<u32>(ea, count + 1);
  markDirty(ea);
  setFlags(item, getFlags(item) | FLAG_INDEX_HEAD);
  return 0;
}

/** The item holding char (slot, seq), or NIL. */
function lookup(slot: u32, seq: u32): u32 {
  if (slot >= hget(H_REPLICA_COUNT) || seq >= nextSeq(slot)) return NIL;
  const count = load<u32>(rAddr(slot) + R_ENTRIES);
  if (count == 0) return NIL;
  // last entry with seqStart <= seq
  let lo: u32 = 0, hi: u32 = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (load<u32>(entryAddr(slot, mid)) <= seq) lo = mid; else hi = mid - 1;
  }
  let item = load<u32>(entryAddr(slot, lo) + 4);
  // walk the split chain (bounded by the item count)
  const limit = hget(H_ITEMS_MAX);
  for (let step: u32 = 0; item != NIL && step < limit; step++) {
    const start = getSeq(item);
    if (seq < start) return NIL;
    if (seq < start + getLength(item)) return item;
    item = getSplit(item);
  }
  return NIL;
}

// ── list surgery ────────────────────────────────────────────────────────────────────────────

/** Links `item` after `left`, in left's chunk (its visible chars count there). */
function linkAfter(left: u32, item: u32): void {
  const right = getNext(left);
  setU32(item, I_PREV, left);
  setU32(item, I_NEXT, right);
  setU32(left, I_NEXT, item);
  if (right != NIL) setU32(right, I_PREV, item); else hset(H_TAIL, item);
  const chunk = load<u32>(iAddr(left) + I_CHUNK);
  setU32(item, I_CHUNK, chunk);
  setChunk(chunk, C_VISIBLE, getChunk(chunk, C_VISIBLE) + visibleLength(item));
  const count = getChunk(chunk, C_COUNT) + 1;
  setChunk(chunk, C_COUNT, count);
  if (count > CHUNK_ITEMS_MAX) splitChunk(chunk);
}

/** Unlinks `item` (never a chunk's only link to the list before it: the head is never unlinked). */
function unlink(item: u32): void {
  const left = getPrev(item), right = getNext(item);
  setU32(left, I_NEXT, right);
  if (right != NIL) setU32(right, I_PREV, left); else hset(H_TAIL, left);
  const chunk = load<u32>(iAddr(item) + I_CHUNK);
  setChunk(chunk, C_VISIBLE, getChunk(chunk, C_VISIBLE) - visibleLength(item));
  const count = getChunk(chunk, C_COUNT) - 1;
  setChunk(chunk, C_COUNT, count);
  if (getChunk(chunk, C_FIRST) == item) {
    if (count == 0) {
      // the chunk is empty: the one before it is left's
      const before = load<u32>(iAddr(left) + I_CHUNK);
      setChunk(before, C_NEXT, getChunk(chunk, C_NEXT));
      setChunk(chunk, C_NEXT, hget(H_CHUNK_FREE));
      hset(H_CHUNK_FREE, chunk);
    } else {
      setChunk(chunk, C_FIRST, right);
    }
  }
}

// ── position index (chunks) ─────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline function chunkAddr(chunk: u32): usize { return KB + <usize>chunk * CHUNK_BYTES; }
// @ts-ignore: decorator
@inline function getChunk(chunk: u32, field: usize): u32 { return load<u32>(chunkAddr(chunk) + field); }
// @ts-ignore: decorator
@inline function setChunk(chunk: u32, field: usize, value: u32): void { const a = chunkAddr(chunk) + field; store<u32>(a, value); markDirty(a); }

/** The visible chars of `item` changed by `delta` (its length or its deleted flag changed). */
function chunkVisibleAdd(item: u32, delta: i32): void {
  const chunk = load<u32>(iAddr(item) + I_CHUNK);
  setChunk(chunk, C_VISIBLE, <u32>(<i32>getChunk(chunk, C_VISIBLE) + delta));
}

function allocChunk(): u32 {
  let chunk = hget(H_CHUNK_FREE);
  if (chunk != NIL) { hset(H_CHUNK_FREE, getChunk(chunk, C_NEXT)); return chunk; }
  chunk = hget(H_CHUNKS_USED);
  if (chunk >= hget(H_CHUNKS_MAX)) return NIL;
  hset(H_CHUNKS_USED, chunk + 1);
  return chunk;
}

/** Moves the second half of a full chunk into a new chunk after it. */
function splitChunk(chunk: u32): void {
  const fresh = allocChunk();
  if (fresh == NIL) { rebuildChunks(); return; }
  const count = getChunk(chunk, C_COUNT);
  let item = getChunk(chunk, C_FIRST);
  for (let i: u32 = 0; i < count >> 1; i++) item = getNext(item);
  setChunk(fresh, C_FIRST, item);
  setChunk(fresh, C_NEXT, getChunk(chunk, C_NEXT));
  setChunk(chunk, C_NEXT, fresh);
  let moved: u32 = 0, visible: u32 = 0;
  while (item != NIL && load<u32>(iAddr(item) + I_CHUNK) == chunk) {
    setU32(item, I_CHUNK, fresh);
    visible += visibleLength(item);
    moved++;
    item = getNext(item);
  }
  setChunk(fresh, C_COUNT, moved);
  setChunk(fresh, C_VISIBLE, visible);
  setChunk(chunk, C_COUNT, count - moved);
  setChunk(chunk, C_VISIBLE, getChunk(chunk, C_VISIBLE) - visible);
}

/** Cuts the whole list into chunks of CHUNK_FILL items afresh. */
function rebuildChunks(): void {
  hset(H_CHUNKS_USED, 0);
  hset(H_CHUNK_FREE, NIL);
  let chunk: u32 = NIL;
  let item = HEAD;
  let count: u32 = 0;
  while (item != NIL) {
    if (chunk == NIL || count == CHUNK_FILL) {
      const fresh = allocChunk();
      if (chunk != NIL) { setChunk(chunk, C_COUNT, count); setChunk(chunk, C_NEXT, fresh); }
      chunk = fresh;
      setChunk(chunk, C_FIRST, item);
      setChunk(chunk, C_VISIBLE, 0);
      count = 0;
    }
    setU32(item, I_CHUNK, chunk);
    setChunk(chunk, C_VISIBLE, getChunk(chunk, C_VISIBLE) + visibleLength(item));
    count++;
    item = getNext(item);
  }
  setChunk(chunk, C_COUNT, count);
  setChunk(chunk, C_NEXT, NIL);
}

/** Splits `item` after `at` chars (0 < at < length); returns the new right piece. */
function split(item: u32, at: u32): u32 {
  assert(at > 0 && at < getLength(item), "split inside the item");
  const right = allocItem();
  const seq = getSeq(item);
  setSlot(right, getSlot(item));
  setFlags(right, getFlags(item) & FLAG_DELETED);
  setU32(right, I_SEQ, seq + at);
  setU32(right, I_LAMPORT, getLamport(item) + at);
  setU32(right, I_LENGTH, getLength(item) - at);
  setU32(right, I_CONTENT, getContent(item) + at);
  setU32(right, I_ORIGIN_SLOT, getSlot(item));
  setU32(right, I_ORIGIN_SEQ, seq + at - 1);
  setU32(right, I_RIGHT_SLOT, getRightSlot(item));
  setU32(right, I_RIGHT_SEQ, getRightSeq(item));
  setU32(right, I_SPLIT, getSplit(item));
  setU32(item, I_SPLIT, right);
  setU32(item, I_LENGTH, at);
  if (!isDeleted(item)) chunkVisibleAdd(item, -<i32>(getLength(right)));
  linkAfter(item, right);
  return right;
}

/** Is the item's right origin (rightSlot, rightSeq)? (NIL slot: the doc end, seq ignored) */
function sameRight(item: u32, rightSlot: u32, rightSeq: u32): bool {
  const slot = getRightSlot(item);
  return slot == rightSlot && (slot == NIL || getRightSeq(item) == rightSeq);
}

/** Merges the item after `item` into it when both are one run; true if it did. */
function tryMerge(item: u32): bool {
  if (item == HEAD || item == NIL) return false;
  const right = getNext(item);
  if (right == NIL) return false;
  const flags = getFlags(item), rightFlags = getFlags(right);
  if ((rightFlags & FLAG_INDEX_HEAD) != 0) return false;
  if ((flags & FLAG_DELETED) != (rightFlags & FLAG_DELETED)) return false;
  if (getSplit(item) != right) return false;
  const length = getLength(item);
  const slot = getSlot(item), seq = getSeq(item);
  if (getSlot(right) != slot || getSeq(right) != seq + length) return false;
  if (getLamport(right) != getLamport(item) + length) return false;
  if (getOriginSlot(right) != slot || getOriginSeq(right) != seq + length - 1) return false;
  if (!sameRight(right, getRightSlot(item), getRightSeq(item))) return false;
  if ((flags & FLAG_DELETED) == 0 && getContent(right) != getContent(item) + length) return false;
  if (hget(H_CURSOR_ITEM) == right) { hset(H_CURSOR_ITEM, HEAD); hset(H_CURSOR_POS, 0); }
  unlink(right);
  setU32(item, I_LENGTH, length + getLength(right));
  setU32(item, I_SPLIT, getSplit(right));
  if ((flags & FLAG_DELETED) == 0) chunkVisibleAdd(item, <i32>getLength(right));
  freeItem(right);
  return true;
}

// ── positions ───────────────────────────────────────────────────────────────────────────────

let foundItem: u32 = 0;
let foundItemPos: u32 = 0;

/**
 * Finds the item holding visible char `pos` (pos < visible length), walking from whichever of
 * the cursor, the head and the tail is nearest in visible position.
 */
function findVisible(pos: u32): void {
  let item = hget(H_CURSOR_ITEM);
  let start = hget(H_CURSOR_POS);
  const distance = item == NIL ? NIL : pos > start ? pos - start : start - pos;
  if (distance > CURSOR_WALK_MAX) {
    // sum the chunks up to the one holding pos, then walk it from its first item; the sum starts
    // at the cursor's chunk when pos lies at or after that chunk's first char (its position is
    // the cursor's less the visible chars before the cursor in it: at most CHUNK_ITEMS_MAX
    // items), else at the first chunk. Edits far from the cursor but after it (a long doc edited
    // near its end) so cost what lies between, not what lies before.
    let chunk: u32 = 0;
    start = 0;
    if (item != NIL) {
      const cursorChunk = load<u32>(iAddr(item) + I_CHUNK);
      let at = getChunk(cursorChunk, C_FIRST);
      let before: u32 = 0;
      for (let guard: u32 = 0; at != item && guard <= CHUNK_ITEMS_MAX; guard++) {
        before += visibleLength(at);
        at = getNext(at);
      }
      const chunkStart = hget(H_CURSOR_POS) - before;
      if (at == item && pos >= chunkStart) { chunk = cursorChunk; start = chunkStart; }
    }
    for (;;) {
      const visible = getChunk(chunk, C_VISIBLE);
      const next = getChunk(chunk, C_NEXT);
      if (pos < start + visible || next == NIL) break;
      start += visible;
      chunk = next;
    }
    item = getChunk(chunk, C_FIRST);
  }
  if (pos >= start) {
    for (;;) {
      const length = visibleLength(item);
      if (pos < start + length) break;
      start += length;
      item = getNext(item);
      assert(item != NIL, "pos is below the visible length");
    }
  } else {
    do {
      item = getPrev(item);
      assert(item != NIL, "pos is at least 0");
      start -= visibleLength(item);
    } while (start > pos || visibleLength(item) == 0);
  }
  foundItem = item;
  foundItemPos = start;
}

function setCursor(item: u32, pos: u32): void {
  hset(H_CURSOR_ITEM, item);
  hset(H_CURSOR_POS, pos);
}

// ── local operations ────────────────────────────────────────────────────────────────────────

function insertLocal(pos: u32, source: usize, count: u32): i32 {
  const visible = hget(H_VISIBLE);
  if (pos > visible) return ERR_BAD_ARGUMENT;
  if (count == 0) return 0;
  if (itemsFree() < 2) return ERR_ITEMS_FULL;
  const charsUsed = hget(H_CHARS_USED);
  if (count > hget(H_CHARS_MAX) - charsUsed) return ERR_CHARS_FULL;
  if (!indexHasRoom(1)) return ERR_INDEX_FULL;
  const lamport = hget(H_MAX_LAMPORT) + 1;
  const seq = nextSeq(0);
  if (seq > 0xffffffff - count || lamport > 0xffffffff - count) return ERR_BAD_ARGUMENT;

  let left: u32 = HEAD;
  let leftPos: u32 = 0;
  let originSlot: u32 = NIL, originSeq: u32 = 0;
  if (pos > 0) {
    findVisible(pos - 1);
    left = foundItem;
    leftPos = foundItemPos;
    const offset = pos - 1 - leftPos;
    originSlot = getSlot(left);
    originSeq = getSeq(left) + offset;
    const length = getLength(left);
    if (offset == length - 1) {
      // extend the run in place when this is the next char of the same typing run: same
      // replica, next seq and lamport, contiguous content, and the same right neighbour
      const right = getNext(left);
      if (originSlot == 0 && getSeq(left) + length == seq && getLamport(left) + length == lamport
        && getContent(left) + length == charsUsed
        && (right == NIL ? getRightSlot(left) == NIL : sameRight(left, getSlot(right), getSeq(right)))) {
        copyChars(source, count);
        setU32(left, I_LENGTH, length + count);
        chunkVisibleAdd(left, <i32>count);
        finishLocalInsert(seq, lamport, count, left, leftPos);
        return 0;
      }
    } else {
      split(left, offset + 1);
    }
  }
  // right origin: the first char of whatever follows in the list (tombstones included)
  const right = getNext(left);
  const item = allocItem();
  setSlot(item, 0);
  setFlags(item, 0);
  setU32(item, I_SEQ, seq);
  setU32(item, I_LAMPORT, lamport);
  setU32(item, I_LENGTH, count);
  setU32(item, I_CONTENT, charsUsed);
  setU32(item, I_ORIGIN_SLOT, originSlot);
  setU32(item, I_ORIGIN_SEQ, originSeq);
  setU32(item, I_RIGHT_SLOT, right == NIL ? NIL : getSlot(right));
  setU32(item, I_RIGHT_SEQ, right == NIL ? 0 : getSeq(right));
  setU32(item, I_SPLIT, NIL);
  linkAfter(left, item);
  copyChars(source, count);
  const indexed = indexAppend(0, seq, item);
  assert(indexed == 0, "room was checked");
  finishLocalInsert(seq, lamport, count, item, pos);
  return 0;
}

function copyChars(source: usize, count: u32): void {
  const used = hget(H_CHARS_USED);
  const to = CB + (<usize>used << 2);
  memory.copy(to, source, <usize>count << 2);
  markDirtyRange(to, <usize>count << 2);
  hset(H_CHARS_USED, used + count);
}

function finishLocalInsert(seq: u32, lamport: u32, count: u32, cursorItem: u32, cursorPos: u32): void {
  setNextSeq(0, seq + count);
  hset(H_MAX_LAMPORT, lamport + count - 1);
  hset(H_VISIBLE, hget(H_VISIBLE) + count);
  setCursor(cursorItem, cursorPos);
}

function deleteLocal(pos: u32, count: u32): i32 {
  const visible = hget(H_VISIBLE);
  if (pos > visible || count > visible - pos) return ERR_BAD_ARGUMENT;
  if (count == 0) return 0;
  if (itemsFree() < 2) return ERR_ITEMS_FULL;
  findVisible(pos);
  let item = foundItem;
  const offset = pos - foundItemPos;
  if (offset > 0) item = split(item, offset);
  const before = getPrev(item);
  let remaining = count;
  let last = item;
  const limit = hget(H_ITEMS_MAX);
  for (let step: u32 = 0; remaining > 0 && step < limit; step++) {
    assert(item != NIL, "count is within the visible length");
    if (!isDeleted(item)) {
      const length = getLength(item);
      if (length > remaining) split(item, remaining);
      const taken = getLength(item);
      setFlags(item, getFlags(item) | FLAG_DELETED);
      chunkVisibleAdd(item, -<i32>taken);
      logDelete(getSlot(item), getSeq(item), taken);
      remaining -= taken;
      last = item;
    }
    item = getNext(item);
  }
  hset(H_VISIBLE, visible - count);
  mergeAround(before, getNext(last));
  // `before` survives every merge (merges keep the left item); its chars end at pos
  setCursor(before, pos - visibleLength(before));
  return 0;
}

/**
 * Records a local delete for the next take: only chars the take's own items do not carry (the
 * local replica's chars from the mark on travel as deleted items).
 */
function logDelete(slot: u32, seq: u32, length: u32): void {
  if (slot == 0) {
    const mark = hget(H_MARK_SEQ);
    if (seq >= mark) return;
    if (seq + length > mark) length = mark - seq;
  }
  if (hget(H_LOG_OVERFLOW) != 0) return;
  const count = hget(H_LOG_COUNT);
  if (count > 0) {
    const last = LB + <usize>(count - 1) * LOG_ENTRY_BYTES;
    if (load<u32>(last) == slot && load<u32>(last, 4) + load<u32>(last, 8) == seq) {
      store<u32>(last, load<u32>(last, 8) + length, 8);
      markDirty(last + 8);
      return;
    }
  }
  if (count >= LOG_ENTRIES) { hset(H_LOG_OVERFLOW, 1); return; }
  const at = LB + <usize>count * LOG_ENTRY_BYTES;
  store<u32>(at, slot);
  store<u32>(at, seq, 4);
  store<u32>(at, length, 8);
  markDirtyRange(at, LOG_ENTRY_BYTES);
  hset(H_LOG_COUNT, count + 1);
}

/** Merges runs from `from` up to and including `end` (NIL: to the end of the list). */
function mergeAround(from: u32, end: u32): void {
  let item = from;
  const limit = hget(H_ITEMS_MAX);
  for (let step: u32 = 0; item != NIL && step < limit; step++) {
    const right = getNext(item);
    if (right == NIL) break;
    if (tryMerge(item)) {
      if (right == end) break;
      continue;
    }
    if (item == end) break;
    item = right;
  }
}

export function crdtTextApplyOps(doc: i32, words: u32): i32 {
  const selected = selectText(doc);
  if (selected < 0) return selected;
  const io = ioBase();
  if (words > (ioSize() >> 2)) return ERR_BAD_ARGUMENT;
  let at: u32 = 0;
  while (at < words) {
    if (words - at < 3) return ERR_MALFORMED;
    const a = io + (<usize>at << 2);
    const op = load<u32>(a), pos = load<u32>(a, 4), count = load<u32>(a, 8);
    let result: i32 = 0;
    if (op == 1) {
      if (count > words - at - 3) return ERR_MALFORMED;
      result = insertLocal(pos, a + 12, count);
      at += 3 + count;
    } else if (op == 2) {
      result = deleteLocal(pos, count);
      at += 3;
    } else {
      return ERR_MALFORMED;
    }
    if (result < 0) return result;
  }
  return 0;
}

// ── reading ─────────────────────────────────────────────────────────────────────────────────

export function crdtTextLength(doc: i32): i32 {
  const selected = selectText(doc);
  if (selected < 0) return selected;
  return <i32>hget(H_VISIBLE);
}

/**
 * Checks the position index against the list (for tests): every item in the chunk the walk
 * says, chunk counts and visible sums right, and the doc's visible length. 0, or ERR_MALFORMED.
 */
export function crdtTextCheckIndex(doc: i32): i32 {
  const selected = selectText(doc);
  if (selected < 0) return selected;
  let chunk: u32 = 0;
  let item = HEAD;
  let total: u32 = 0;
  const limit = hget(H_CHUNKS_MAX);
  for (let step: u32 = 0; chunk != NIL && step < limit; step++) {
    if (getChunk(chunk, C_FIRST) != item) return ERR_MALFORMED;
    let count: u32 = 0, visible: u32 = 0;
    while (item != NIL && load<u32>(iAddr(item) + I_CHUNK) == chunk) {
      count++;
      visible += visibleLength(item);
      item = getNext(item);
    }
    if (count == 0 || count != getChunk(chunk, C_COUNT) || visible != getChunk(chunk, C_VISIBLE)) return ERR_MALFORMED;
    total += visible;
    chunk = getChunk(chunk, C_NEXT);
  }
  return item == NIL && chunk == NIL && total == hget(H_VISIBLE) ? 0 : ERR_MALFORMED;
}

export function crdtTextItemCount(doc: i32): i32 {
  const selected = selectText(doc);
  if (selected < 0) return selected;
  return <i32>hget(H_ITEMS_LIVE) - 1;
}

export function crdtTextHash(doc: i32): u64 {
  if (selectText(doc) < 0) return 0;
  let hash = HASH_SEED;
  let item = getNext(HEAD);
  while (item != NIL) {
    if (!isDeleted(item)) {
      const content = getContent(item);
      const end = content + getLength(item);
      for (let c = content; c < end; c++) hash = hashWord(hash, charAt(c));
    }
    item = getNext(item);
  }
  return hash;
}

/**
 * The start of crdtTextRead and crdtTextReadUtf8: selects the doc and finds the item holding code
 * point `start` (foundItem, foundItemPos). Returns 1 to read on, 0 at the end of the text, or an
 * error; clears lastUnits and lastSurrogate.
 */
function beginRead(doc: i32, start: u32): i32 {
  const selected = selectText(doc);
  if (selected < 0) return selected;
  lastUnits = 0;
  lastSurrogate = 0;
  const visible = hget(H_VISIBLE);
  if (start >= visible) return start == visible ? 0 : ERR_BAD_ARGUMENT;
  findVisible(start);
  return 1;
}

/**
 * Writes visible text from code point `start` to IO as UTF-16, as much as fits (whole code
 * points); returns the code points written. `crdtLastUnits()` gives the UTF-16 units.
 */
export function crdtTextRead(doc: i32, start: u32): i32 {
  const begun = beginRead(doc, start);
  if (begun <= 0) return begun;
  let item = foundItem;
  let skip = start - foundItemPos;
  let out = ioBase();
  const end = out + <usize>(ioSize() & ~1);
  let written: u32 = 0;
  while (item != NIL) {
    if (!isDeleted(item)) {
      const content = getContent(item);
      const stop = content + getLength(item);
      for (let c = content + skip; c < stop; c++) {
        const cp = charAt(c);
        if (cp < 0x10000) {
          if (out + 2 > end) { lastUnits = <u32>((out - ioBase()) >> 1); return <i32>written; }
          store<u16>(out, <u16>cp); out += 2;
        } else {
          if (out + 4 > end) { lastUnits = <u32>((out - ioBase()) >> 1); return <i32>written; }
          const v = cp - 0x10000;
          store<u16>(out, <u16>(0xd800 + (v >> 10)));
          store<u16>(out, <u16>(0xdc00 + (v & 0x3ff)), 2);
          out += 4;
        }
        written++;
      }
      skip = 0;
    }
    item = getNext(item);
  }
  lastUnits = <u32>((out - ioBase()) >> 1);
  return <i32>written;
}

let lastUnits: u32 = 0;
export function crdtLastUnits(): u32 { return lastUnits; }

/**
 * Like crdtTextRead, but writes UTF-8 (half the bytes for ASCII, and JavaScript makes a one-byte
 * string of it). Stops before a lone surrogate (a code point UTF-8 cannot hold), setting
 * crdtLastSurrogate: the caller reads from there with crdtTextRead. crdtLastUnits = bytes written.
 */
export function crdtTextReadUtf8(doc: i32, start: u32): i32 {
  const begun = beginRead(doc, start);
  if (begun <= 0) return begun;
  let item = foundItem;
  let skip = start - foundItemPos;
  const base = ioBase();
  let out = base;
  const end = out + <usize>ioSize();
  let written: u32 = 0;
  while (item != NIL) {
    if (!isDeleted(item)) {
      const content = getContent(item);
      const stop = content + getLength(item);
      for (let c = content + skip; c < stop; c++) {
        const cp = charAt(c);
        if (cp < 0x80) {
          if (out + 1 > end) { lastUnits = <u32>(out - base); return <i32>written; }
          store<u8>(out, <u8>cp); out += 1;
        } else if (cp < 0x800) {
          if (out + 2 > end) { lastUnits = <u32>(out - base); return <i32>written; }
          store<u8>(out, <u8>(0xc0 | (cp >> 6)));
          store<u8>(out, <u8>(0x80 | (cp & 0x3f)), 1);
          out += 2;
        } else if (cp < 0x10000) {
          if (cp >= 0xd800 && cp <= 0xdfff) { lastSurrogate = 1; lastUnits = <u32>(out - base); return <i32>written; }
          if (out + 3 > end) { lastUnits = <u32>(out - base); return <i32>written; }
          store<u8>(out, <u8>(0xe0 | (cp >> 12)));
          store<u8>(out, <u8>(0x80 | ((cp >> 6) & 0x3f)), 1);
          store<u8>(out, <u8>(0x80 | (cp & 0x3f)), 2);
          out += 3;
        } else {
          if (out + 4 > end) { lastUnits = <u32>(out - base); return <i32>written; }
          store<u8>(out, <u8>(0xf0 | (cp >> 18)));
          store<u8>(out, <u8>(0x80 | ((cp >> 12) & 0x3f)), 1);
          store<u8>(out, <u8>(0x80 | ((cp >> 6) & 0x3f)), 2);
          store<u8>(out, <u8>(0x80 | (cp & 0x3f)), 3);
          out += 4;
        }
        written++;
      }
      skip = 0;
    }
    item = getNext(item);
  }
  lastUnits = <u32>(out - base);
  return <i32>written;
}

let lastSurrogate: u32 = 0;
/** 1 when the last crdtTextReadUtf8 stopped before a lone surrogate. */
export function crdtLastSurrogate(): u32 { return lastSurrogate; }

// ── state vector and encoding ───────────────────────────────────────────────────────────────

export function crdtTextStateVector(doc: i32): i32 {
  const selected = selectText(doc);
  if (selected < 0) return selected;
  return writeStateVector();
}

// Encoder state (previous item written).
let encPrevSlot: u32 = NIL;
let encPrevOffset: i32 = 0;
let encPrevLastSlot: u32 = NIL;
let encPrevLastSeq: u32 = 0;
let encPrevRightSlot: u32 = NIL;
let encPrevRightSeq: u32 = 0;

function encodeItem(slot: u32, seq: u32, lamport: u32, length: u32, originSlot: u32, originSeq: u32,
  rightSlot: u32, rightSeq: u32, nextSlot: u32, nextSeq: u32, deleted: bool): void {
  let flags: u32 = deleted ? E_DELETED : 0;
  if (originSlot == encPrevLastSlot && originSeq == encPrevLastSeq) flags |= E_ORIGIN_PREVIOUS;
  if (slot == encPrevSlot) flags |= E_SAME_REPLICA;
  const offset = <i32>(lamport - seq);
  if (offset == encPrevOffset) flags |= E_SAME_OFFSET;
  if (rightSlot == nextSlot && (rightSlot == NIL || rightSeq == nextSeq)) flags |= E_RIGHT_NEXT;
  else if (rightSlot == encPrevRightSlot && (rightSlot == NIL || rightSeq == encPrevRightSeq)) flags |= E_RIGHT_SAME;
  writeVar((length << E_FLAG_BITS) | flags);
  if ((flags & E_SAME_REPLICA) == 0) writeVar(indexOfSlot(slot));
  const expected = load<u32>(EXPECTED_SEQ + (<usize>slot << 2));
  writeVar(zigzag(<i32>(seq - expected)));
  if ((flags & E_SAME_OFFSET) == 0) writeVar(zigzag(offset));
  if ((flags & E_ORIGIN_PREVIOUS) == 0) {
    if (originSlot == NIL) {
      writeVar(0);
    } else {
      writeVar(indexOfSlot(originSlot) + 1);
      writeVar(originSlot == slot ? seq - originSeq : originSeq);
    }
  }
  if ((flags & (E_RIGHT_NEXT | E_RIGHT_SAME)) == 0) {
    if (rightSlot == NIL) {
      writeVar(0);
    } else {
      writeVar(indexOfSlot(rightSlot) + 1);
      writeVar(rightSlot == slot ? zigzag(<i32>(rightSeq - seq)) : rightSeq);
    }
  }
  store<u32>(EXPECTED_SEQ + (<usize>slot << 2), seq + length);
  encPrevSlot = slot;
  encPrevOffset = offset;
  encPrevLastSlot = slot;
  encPrevLastSeq = seq + length - 1;
  encPrevRightSlot = rightSlot;
  encPrevRightSeq = rightSeq;
}

let emitSlot: u32 = NIL;
let emitSeq: u32 = 0;
/** First char (emitSlot, emitSeq) of the next item after `item` that the encoding carries. */
function nextEmitted(item: u32): void {
  let next = getNext(item);
  while (next != NIL) {
    const slot = getSlot(next), seq = getSeq(next);
    const known = remoteSeq(slot);
    if (seq + getLength(next) > known) {
      emitSlot = slot;
      emitSeq = seq >= known ? seq : known;
      return;
    }
    next = getNext(next);
  }
  emitSlot = NIL;
  emitSeq = 0;
}

/**
 * Encodes what a replica with the state vector in IO[0, svBytes) is missing (svBytes = 0: the
 * whole state) into IO; returns the byte count. Format: assembly/crdt/BINARY.md.
 */
export function crdtTextEncode(doc: i32, svBytes: u32): i32 {
  const selected = selectText(doc);
  if (selected < 0) return selected;
  const remote = readRemoteStateVector(svBytes);
  if (remote < 0) return remote;
  return markCollected(encodeMissing());
}

/** Once the doc collected tombstones, its encodings may skip seqs: format version 3. */
function markCollected(result: i32): i32 {
  if (result >= 0 && hget(H_COLLECTED) != 0) store<u8>(ioBase(), CRDT_TEXT_COLLECTED_VERSION);
  return result;
}

/**
 * The delta of this replica's own edits since the last take (or since the doc was created):
 * its new chars (deleted ones as tombstones) and the chars its edits deleted, with a header that
 * claims everything this replica has seen of the others (`from = to`), so a receiver applies it
 * once it has what the author had. What a writer sends after each transaction; the cost follows
 * the edits, not the document. Resets the mark and the delete log.
 */
export function crdtTextTakeChanges(doc: i32): i32 {
  const selected = selectText(doc);
  if (selected < 0) return selected;
  const mark = hget(H_MARK_SEQ);
  const replicas = replicaCount();
  for (let slot: u32 = 0; slot < replicas; slot++) setRemoteSeq(slot, slot == 0 ? mark : nextSeq(slot));
  const result = markCollected(hget(H_LOG_OVERFLOW) != 0 ? encodeMissing() : encodeLocalSince(mark));
  if (result >= 0) {
    hset(H_MARK_SEQ, nextSeq(0));
    hset(H_LOG_COUNT, 0);
    hset(H_LOG_OVERFLOW, 0);
  }
  return result;
}

/** Encodes the local pieces with seq >= mark (in seq order) and the logged deletes. */
function encodeLocalSince(mark: u32): i32 {
  // the pieces, through the id index: runs from the one holding `mark`, each run's split chain
  const pieces = keysBase();
  const piecesMax = recordsMax() << 1; // the key area holds recordsMax u64: 2 u32 each
  let pieceCount: u32 = 0;
  let contentCount: u32 = 0;
  const entries = load<u32>(rAddr(0) + R_ENTRIES);
  const have = nextSeq(0);
  if (mark < have && entries > 0) {
    let lo: u32 = 0, hi: u32 = entries - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (load<u32>(entryAddr(0, mid)) <= mark) lo = mid; else hi = mid - 1;
    }
    for (let entry = lo; entry < entries; entry++) {
      let item = load<u32>(entryAddr(0, entry) + 4);
      while (item != NIL) {
        const seq = getSeq(item), length = getLength(item);
        if (seq + length > mark) {
          if (pieceCount >= piecesMax) return encodeMissing(); // more than the scratch holds
          store<u32>(pieces + (<usize>pieceCount << 2), item);
          pieceCount++;
          if (!isDeleted(item)) contentCount += seq >= mark ? length : seq + length - mark;
        }
        item = getSplit(item);
      }
    }
  }
  beginEncoding(KIND_TEXT);
  writeReplicaHeader();
  const replicas = replicaCount();
  for (let slot: u32 = 0; slot < replicas; slot++) store<u32>(EXPECTED_SEQ + (<usize>slot << 2), remoteSeq(slot));
  writeVar(pieceCount);
  encPrevSlot = NIL; encPrevOffset = 0; encPrevLastSlot = NIL; encPrevLastSeq = 0;
  encPrevRightSlot = NIL; encPrevRightSeq = 0;
  for (let i: u32 = 0; i < pieceCount; i++) {
    const item = load<u32>(pieces + (<usize>i << 2));
    let nextSlotOut: u32 = NIL, nextSeqOut: u32 = 0;
    if (i + 1 < pieceCount) {
      const next = load<u32>(pieces + (<usize>(i + 1) << 2));
      nextSlotOut = 0;
      nextSeqOut = getSeq(next) >= mark ? getSeq(next) : mark;
    }
    const seq = getSeq(item), length = getLength(item);
    if (seq >= mark) {
      encodeItem(0, seq, getLamport(item), length, getOriginSlot(item), getOriginSeq(item),
        getRightSlot(item), getRightSeq(item), nextSlotOut, nextSeqOut, isDeleted(item));
    } else {
      const cut = mark - seq;
      encodeItem(0, mark, getLamport(item) + cut, length - cut, 0, mark - 1,
        getRightSlot(item), getRightSeq(item), nextSlotOut, nextSeqOut, isDeleted(item));
    }
  }
  writeVar(contentCount);
  const lengthAt = writePtr;
  for (let i = 0; i < 5; i++) writeU8(0);
  const contentStart = writePtr;
  for (let i: u32 = 0; i < pieceCount && !writeFailed; i++) {
    const item = load<u32>(pieces + (<usize>i << 2));
    if (isDeleted(item)) continue;
    const seq = getSeq(item);
    const content = getContent(item);
    const stop = content + getLength(item);
    for (let c = content + (seq >= mark ? 0 : mark - seq); c < stop; c++) writeUtf8(charAt(c));
  }
  if (writeFailed) return ERR_IO_FULL;
  const contentBytes = <u32>(writePtr - contentStart);
  for (let i: u32 = 0; i < 5; i++) {
    store<u8>(lengthAt + i, <u8>(((contentBytes >>> (7 * i)) & 0x7f) | (i < 4 ? 0x80 : 0)));
  }
  const logCount = hget(H_LOG_COUNT);
  writeVar(logCount);
  for (let i: u32 = 0; i < logCount; i++) {
    const at = LB + <usize>i * LOG_ENTRY_BYTES;
    writeVar(indexOfSlot(load<u32>(at)));
    writeVar(load<u32>(at, 4));
    writeVar(load<u32>(at, 8));
  }
  if (writeFailed) return ERR_IO_FULL;
  return <i32>(writePtr - ioBase());
}

/** Encodes what the replica with remoteSeq(slot) (already read) lacks: items and delete set. */
function encodeMissing(): i32 {
  // pass 1: count items and deleted ranges
  let itemCount: u32 = 0, rangeCount: u32 = 0, contentCount: u32 = 0;
  let rangeSlot: u32 = NIL, rangeEnd: u32 = 0;
  let item = getNext(HEAD);
  while (item != NIL) {
    const slot = getSlot(item), seq = getSeq(item), length = getLength(item);
    const known = remoteSeq(slot);
    const deleted = isDeleted(item);
    if (seq + length > known) {
      itemCount++;
      if (!deleted) contentCount += seq >= known ? length : seq + length - known;
    }
    if (deleted && seq < known) {
      if (!(rangeSlot == slot && rangeEnd == seq)) rangeCount++;
      rangeSlot = slot;
      rangeEnd = seq + length < known ? seq + length : known;
    }
    item = getNext(item);
  }
  beginEncoding(KIND_TEXT);
  // header: the replicas that have changes (items refer to them by their index here)
  writeReplicaHeader();
  const replicas = replicaCount();
  for (let slot: u32 = 0; slot < replicas; slot++) store<u32>(EXPECTED_SEQ + (<usize>slot << 2), remoteSeq(slot));
  writeVar(itemCount);
  encPrevSlot = NIL; encPrevOffset = 0; encPrevLastSlot = NIL; encPrevLastSeq = 0;
  encPrevRightSlot = NIL; encPrevRightSeq = 0;
  item = getNext(HEAD);
  while (item != NIL && !writeFailed) {
    const slot = getSlot(item), seq = getSeq(item), length = getLength(item);
    const known = remoteSeq(slot);
    if (seq + length > known) {
      nextEmitted(item);
      if (seq >= known) {
        encodeItem(slot, seq, getLamport(item), length, getOriginSlot(item), getOriginSeq(item),
          getRightSlot(item), getRightSeq(item), emitSlot, emitSeq, isDeleted(item));
      } else {
        const cut = known - seq;
        encodeItem(slot, known, getLamport(item) + cut, length - cut, slot, known - 1,
          getRightSlot(item), getRightSeq(item), emitSlot, emitSeq, isDeleted(item));
      }
    }
    item = getNext(item);
  }
  // content: code point count, then UTF-8 bytes (length as a 5-byte varint patched afterwards)
  writeVar(contentCount);
  const lengthAt = writePtr;
  for (let i = 0; i < 5; i++) writeU8(0);
  const contentStart = writePtr;
  item = getNext(HEAD);
  while (item != NIL && !writeFailed) {
    if (!isDeleted(item)) {
      const seq = getSeq(item), length = getLength(item);
      const known = remoteSeq(getSlot(item));
      if (seq + length > known) {
        const skip = seq >= known ? 0 : known - seq;
        const content = getContent(item);
        const stop = content + length;
        for (let c = content + skip; c < stop; c++) writeUtf8(charAt(c));
      }
    }
    item = getNext(item);
  }
  if (writeFailed) return ERR_IO_FULL;
  const contentBytes = <u32>(writePtr - contentStart);
  for (let i: u32 = 0; i < 5; i++) {
    store<u8>(lengthAt + i, <u8>(((contentBytes >>> (7 * i)) & 0x7f) | (i < 4 ? 0x80 : 0)));
  }
  // deleted ranges of items the receiver already has
  writeVar(rangeCount);
  rangeSlot = NIL; rangeEnd = 0;
  let rangeStart: u32 = 0;
  item = getNext(HEAD);
  while (item != NIL) {
    const slot = getSlot(item), seq = getSeq(item), length = getLength(item);
    const known = remoteSeq(slot);
    if (isDeleted(item) && seq < known) {
      const end = seq + length < known ? seq + length : known;
      if (rangeSlot == slot && rangeEnd == seq) {
        rangeEnd = end;
      } else {
        if (rangeSlot != NIL) { writeVar(indexOfSlot(rangeSlot)); writeVar(rangeStart); writeVar(rangeEnd - rangeStart); }
        rangeSlot = slot; rangeStart = seq; rangeEnd = end;
      }
    }
    item = getNext(item);
  }
  if (rangeSlot != NIL) { writeVar(indexOfSlot(rangeSlot)); writeVar(rangeStart); writeVar(rangeEnd - rangeStart); }
  if (writeFailed) return ERR_IO_FULL;
  return <i32>(writePtr - ioBase());
}

function writeUtf8(cp: u32): void {
  if (cp < 0x80) { writeU8(cp); }
  else if (cp < 0x800) { writeU8(0xc0 | (cp >> 6)); writeU8(0x80 | (cp & 0x3f)); }
  else if (cp < 0x10000) { writeU8(0xe0 | (cp >> 12)); writeU8(0x80 | ((cp >> 6) & 0x3f)); writeU8(0x80 | (cp & 0x3f)); }
  else { writeU8(0xf0 | (cp >> 18)); writeU8(0x80 | ((cp >> 12) & 0x3f)); writeU8(0x80 | ((cp >> 6) & 0x3f)); writeU8(0x80 | (cp & 0x3f)); }
}

/** Decodes one UTF-8 sequence at `at` (validated lead/continuation structure earlier). */
let utf8Next: usize = 0;
function readUtf8(at: usize): u32 {
  const b0 = <u32>load<u8>(at);
  if (b0 < 0x80) { utf8Next = at + 1; return b0; }
  if (b0 < 0xe0) { utf8Next = at + 2; return ((b0 & 0x1f) << 6) | (<u32>load<u8>(at, 1) & 0x3f); }
  if (b0 < 0xf0) { utf8Next = at + 3; return ((b0 & 0x0f) << 12) | ((<u32>load<u8>(at, 1) & 0x3f) << 6) | (<u32>load<u8>(at, 2) & 0x3f); }
  utf8Next = at + 4;
  return ((b0 & 0x07) << 18) | ((<u32>load<u8>(at, 1) & 0x3f) << 12) | ((<u32>load<u8>(at, 2) & 0x3f) << 6) | (<u32>load<u8>(at, 3) & 0x3f);
}

/** The high bit of each of eight bytes: zero for eight ASCII chars. */
const ASCII_MASK: u64 = 0x8080808080808080;

// @ts-ignore: decorator
@inline function utf8SequenceBytes(b0: u32): u32 {
  return b0 < 0x80 ? 1 : b0 < 0xc0 ? 0 : b0 < 0xe0 ? 2 : b0 < 0xf0 ? 3 : b0 < 0xf8 ? 4 : 0;
}

// ── applying a state or delta ───────────────────────────────────────────────────────────────

export function crdtTextApply(doc: i32, bytes: u32): i32 {
  const selected = selectText(doc);
  if (selected < 0) return selected;
  const begun = beginDecoding(bytes, KIND_TEXT);
  if (begun < 0) return begun;
  const io = ioBase();
  // replica table: map to local slots; refuse if it builds on changes we lack
  const header = readReplicaHeader(addTextReplica);
  if (header < 0) return header;
  const replicas = <u32>header;
  for (let index: u32 = 0; index < replicas; index++) store<u32>(EXPECTED_SEQ + (<usize>index << 2), fromOfIndex(index));
  // items -> records (doc order)
  const itemCount = readVar();
  if (readFailed) return ERR_MALFORMED;
  if (itemCount > recordsMax()) return ERR_SCRATCH_FULL;
  // a whole state into a doc that never held an item: decoded straight into its items
  // (one whose items were all collected loads whole too, through the scratch: the free list)
  let whole = hget(H_ITEMS_LIVE) == 1 && <u64>itemCount < (<u64>1 << FAST_INDEX_BITS);
  for (let index: u32 = 0; index < replicas && whole; index++) if (fromOfIndex(index) != 0) whole = false;
  const fresh = whole && hget(H_ITEMS_USED) == 1;
  if (fresh && applyItemsLimit != 0 && (itemsFree() < itemCount || !indexHasRoom(itemCount)
    || <u64>(hget(H_CHARS_MAX) - hget(H_CHARS_USED)) < <u64>(readEnd - readPtr))) {
    // a private core's doc grows first: the items, and the chars the rest of the encoding can
    // hold at most (a code point is a byte or more); no growth moves the items decoded below
    const rest = <u64>(readEnd - readPtr);
    const grown = crdtTextGrow(doc, itemCount, rest > 0xffffffff ? 0xffffffff : <u32>rest, applyItemsLimit, applyCharsLimit);
    if (grown < 0) return grown;
  }
  const direct = fresh && itemsFree() >= itemCount && indexHasRoom(itemCount);
  if (direct) useItemRecords(); else useScratchRecords();
  const decoded = decodeRecords(itemCount, replicas, io);
  if (decoded < 0) return direct ? clearItemRecords(itemCount, decoded) : decoded;
  const visibleChars = decodedVisible;
  const rangeCount = decodedRanges;
  const rangesAt = decodedRangesAt;
  // capacity, checked before anything changes: each record may split one item (its origin)
  // and create one; each range may split two (a private doc's whole state, linked as it is:
  // an item a record)
  const itemsNeeded = <u64>itemCount * 2 + <u64>rangeCount * 2 + 2;
  const itemsWanted = direct && applyItemsLimit != 0 ? <u64>itemCount : itemsNeeded;
  if (!direct && applyItemsLimit != 0 && (<u64>itemsFree() < itemsNeeded || <u64>(hget(H_CHARS_MAX) - hget(H_CHARS_USED)) < visibleChars
    || !indexHasRoom(itemCount))) {
    // a private core's doc grows first (crdtTextApplyGrowing), then applies as usual
    const grown = crdtTextGrow(doc, itemsNeeded > 0xffffffff ? 0xffffffff : <u32>itemsNeeded,
      visibleChars > 0xffffffff ? 0xffffffff : <u32>visibleChars, applyItemsLimit, applyCharsLimit);
    if (grown < 0) return grown;
  }
  const itemsFull = <u64>itemsFree() < itemsWanted;
  const charsFull = <u64>(hget(H_CHARS_MAX) - hget(H_CHARS_USED)) < visibleChars;
  if (itemsFull || charsFull || !indexHasRoom(itemCount)) {
    const code = itemsFull ? ERR_ITEMS_FULL : charsFull ? ERR_CHARS_FULL : ERR_INDEX_FULL;
    return direct ? clearItemRecords(itemCount, code) : code;
  }

  let result: i32 = 0;
  // a whole state into an empty doc: its items are already in document order
  if (whole) result = loadIntoEmpty(itemCount, replicas, direct);
  if (direct && result == NOT_DOCUMENT_ORDER) {
    // integrated one by one after all: the records move to the scratch, the items read as unused
    const scratch = scratchBase();
    for (let i: u32 = 0; i < itemCount; i++) {
      const from = recAddr(i), to = scratch + <usize>i * RECORD_BYTES;
      store<u32>(to, load<u32>(from + I_SLOT));
      store<u32>(to, load<u32>(from + I_SEQ), 4);
      store<u32>(to, load<u32>(from + I_LAMPORT), 8);
      store<u32>(to, load<u32>(from + I_LENGTH), 12);
      store<u32>(to, load<u32>(from + I_ORIGIN_SLOT), 16);
      store<u32>(to, load<u32>(from + I_ORIGIN_SEQ), 20);
      store<u32>(to, load<u32>(from + I_STAMP), 24);
      store<u32>(to, load<u32>(from + I_CONTENT), 28);
      store<u32>(to, load<u32>(from + I_RIGHT_SLOT), 32);
      store<u32>(to, load<u32>(from + I_RIGHT_SEQ), 36);
    }
    clearItemRecords(itemCount, 0);
    if (inChars) {
      // the sort's keys and counts and the origin table, never overwritten by chars
      const tableBytes = (<usize>(originTableBuckets)) << 2;
      const sortBytes = radixSortBytes(itemCount);
      memory.fill(sortRoomAt, 0, sortBytes > tableBytes ? sortBytes : tableBytes);
    }
    useScratchRecords();
    if (applyItemsLimit != 0 && <u64>itemsFree() < itemsNeeded) {
      const grown = crdtTextGrow(doc, itemsNeeded > 0xffffffff ? 0xffffffff : <u32>itemsNeeded, 0, applyItemsLimit, applyCharsLimit);
      if (grown < 0) return grown;
    }
    if (<u64>itemsFree() < itemsNeeded) return ERR_ITEMS_FULL;
  }
  linkedWhole = whole && result == 0;
  if (!whole || result == NOT_DOCUMENT_ORDER) {
    result = 0;
    // integrate in Lamport order: origins come first, and each replica's items in seq order
    const keys = keysBase();
    for (let i: u32 = 0; i < itemCount; i++) {
      store<u64>(keys + (<usize>i << 3), (<u64>load<u32>(recAddr(i) + REC_LAMPORT) << 32) | <u64>i);
    }
    sortKeys(keys, itemCount);
    for (let i: u32 = 0; i < itemCount && result == 0; i++) {
      result = integrate(<u32>load<u64>(keys + (<usize>i << 3)));
    }
  }
  setCursor(NIL, 0); // remote items may lie anywhere before it: positions come from the chunks
  if (result < 0) return result;
  readBegin(rangesAt, readEnd);
  const ranges = readVar();
  for (let i: u32 = 0; i < ranges && result == 0; i++) {
    const index = readVar(), seq = readVar(), length = readVar();
    result = deleteIds(slotOfIndex(index), seq, length);
  }
  if (result < 0) return result;
  for (let index: u32 = 0; index < replicas; index++) {
    const slot = slotOfIndex(index);
    if (nextSeq(slot) < toOfIndex(index)) return ERR_MALFORMED;
  }
  // what came in may skip collected chars: so do this doc's encodings from now on
  if (decodedVersion == <u32>CRDT_TEXT_COLLECTED_VERSION && hget(H_COLLECTED) == 0) hset(H_COLLECTED, 1);
  return 0;
}

/** Zeroes the items records were decoded into (they read as never used again) and returns `code`. */
function clearItemRecords(itemCount: u32, code: i32): i32 {
  memory.fill(RB, 0, <usize>itemCount * RS);
  markDirtyRange(RB, <usize>itemCount * RS);
  return code;
}

// What decodeRecords found besides the records.
let decodedVisible: u64 = 0;
let decodedRanges: u32 = 0;
let decodedRangesAt: usize = 0;

/**
 * The items of an encoding (readPtr at the first) into records (doc order), each content's
 * place in IO, then the deleted ranges, validated; nothing in the doc changes.
 */
function decodeRecords(itemCount: u32, replicas: u32, io: usize): i32 {
  let prevIndex: u32 = NIL;
  let prevOffset: i32 = 0;
  let prevLastIndex: u32 = NIL;
  let prevLastSeq: u32 = 0;
  let visibleChars: u64 = 0;
  for (let i: u32 = 0; i < itemCount; i++) {
    const info = readVar();
    const flags = info & ((1 << E_FLAG_BITS) - 1);
    const length = info >>> E_FLAG_BITS;
    let index = prevIndex;
    if ((flags & E_SAME_REPLICA) == 0) index = readVar();
    if (index >= replicas || length == 0) return ERR_MALFORMED;
    const expectedAt = EXPECTED_SEQ + (<usize>index << 2);
    const seq = <u32>(<i32>load<u32>(expectedAt) + unzigzag(readVar()));
    let offset = prevOffset;
    if ((flags & E_SAME_OFFSET) == 0) offset = unzigzag(readVar());
    let originIndex: u32, originSeq: u32;
    if ((flags & E_ORIGIN_PREVIOUS) != 0) {
      originIndex = prevLastIndex; originSeq = prevLastSeq;
    } else {
      const ref = readVar();
      if (ref == 0) { originIndex = NIL; originSeq = 0; }
      else {
        originIndex = ref - 1;
        if (originIndex >= replicas) return ERR_MALFORMED;
        const value = readVar();
        originSeq = originIndex == index ? seq - value : value;
      }
    }
    let rightIndex: u32 = NIL, rightSeq: u32 = 0;
    if ((flags & (E_RIGHT_NEXT | E_RIGHT_SAME)) == 0) {
      const ref = readVar();
      if (ref != 0) {
        rightIndex = ref - 1;
        if (rightIndex >= replicas) return ERR_MALFORMED;
        const value = readVar();
        rightSeq = rightIndex == index ? <u32>(<i32>seq + unzigzag(value)) : value;
        if (rightSeq >= toOfIndex(rightIndex)) return ERR_MALFORMED;
      }
    }
    if (readFailed) return ERR_MALFORMED;
    // the item must lie inside what the header says this encoding carries
    const to = toOfIndex(index);
    if (seq < fromOfIndex(index) || seq > to || length > to - seq) return ERR_MALFORMED;
    if (originIndex != NIL && originSeq >= toOfIndex(originIndex)) return ERR_MALFORMED;
    const r = recAddr(i);
    store<u32>(r + REC_SLOT, slotOfIndex(index));
    store<u32>(r + REC_SEQ, seq);
    store<u32>(r + REC_LAMPORT, seq + <u32>offset);
    store<u32>(r + REC_LENGTH, length);
    store<u32>(r + REC_ORIGIN_SLOT, originIndex == NIL ? NIL : slotOfIndex(originIndex));
    store<u32>(r + REC_ORIGIN_SEQ, originSeq);
    store<u32>(r + REC_FLAGS, flags & E_DELETED);
    store<u32>(r + REC_CONTENT, NIL);
    // right origin, in local slots; "next" resolves when the next record is read
    const localSlot = slotOfIndex(index);
    if (i > 0 && load<u32>(recAddr(i - 1) + REC_RIGHT_SLOT) == PENDING_NEXT) {
      store<u32>(recAddr(i - 1) + REC_RIGHT_SLOT, localSlot);
      store<u32>(recAddr(i - 1) + REC_RIGHT_SEQ, seq);
    }
    if ((flags & E_RIGHT_NEXT) != 0) {
      store<u32>(r + REC_RIGHT_SLOT, PENDING_NEXT);
      store<u32>(r + REC_RIGHT_SEQ, 0);
    } else if ((flags & E_RIGHT_SAME) != 0) {
      store<u32>(r + REC_RIGHT_SLOT, i > 0 ? load<u32>(recAddr(i - 1) + REC_RIGHT_SLOT) : NIL);
      store<u32>(r + REC_RIGHT_SEQ, i > 0 ? load<u32>(recAddr(i - 1) + REC_RIGHT_SEQ) : 0);
    } else {
      store<u32>(r + REC_RIGHT_SLOT, rightIndex == NIL ? NIL : slotOfIndex(rightIndex));
      store<u32>(r + REC_RIGHT_SEQ, rightSeq);
    }
    if ((flags & E_DELETED) == 0) visibleChars += length;
    store<u32>(expectedAt, seq + length);
    prevIndex = index; prevOffset = offset; prevLastIndex = index; prevLastSeq = seq + length - 1;
  }
  if (itemCount > 0 && load<u32>(recAddr(itemCount - 1) + REC_RIGHT_SLOT) == PENDING_NEXT) {
    store<u32>(recAddr(itemCount - 1) + REC_RIGHT_SLOT, NIL); // the last item: the doc end
    store<u32>(recAddr(itemCount - 1) + REC_RIGHT_SEQ, 0);
  }
  // content: find where each record's UTF-8 starts
  const contentCount = readVar();
  const contentBytes = readVar();
  if (readFailed || <u64>contentCount != visibleChars || <usize>contentBytes > readEnd - readPtr) return ERR_MALFORMED;
  let at = readPtr;
  const contentEnd = readPtr + <usize>contentBytes;
  for (let i: u32 = 0; i < itemCount; i++) {
    const r = recAddr(i);
    if (load<u32>(r + REC_FLAGS) != 0) continue;
    store<u32>(r + REC_CONTENT, <u32>(at - io));
    const length = load<u32>(r + REC_LENGTH);
    for (let c: u32 = 0; c < length; c++) {
      // eight ASCII chars at a time (most text): one load, one test
      while (c + 8 <= length && at + 8 <= contentEnd && (load<u64>(at) & ASCII_MASK) == 0) { c += 8; at += 8; }
      if (c >= length) break;
      if (at >= contentEnd) return ERR_MALFORMED;
      const size = utf8SequenceBytes(<u32>load<u8>(at));
      if (size == 0 || at + <usize>size > contentEnd) return ERR_MALFORMED;
      for (let k: u32 = 1; k < size; k++) if ((<u32>load<u8>(at + k) & 0xc0) != 0x80) return ERR_MALFORMED;
      at += <usize>size;
    }
  }
  if (at != contentEnd) return ERR_MALFORMED;
  readPtr = contentEnd;
  // deleted ranges: validate now, apply after the items
  const rangesAt = readPtr;
  const rangeCount = readVar();
  if (readFailed) return ERR_MALFORMED;
  for (let i: u32 = 0; i < rangeCount; i++) {
    const index = readVar(), seq = readVar(), length = readVar();
    if (readFailed || index >= replicas) return ERR_MALFORMED;
    const slot = slotOfIndex(index);
    const from = fromOfIndex(index);
    // ranges cover what the receiver had; it has at least `from` of this replica
    if (seq > from || length > from - seq || from > nextSeq(slot)) return ERR_MALFORMED;
  }
  if (readPtr != readEnd) return ERR_MALFORMED;
  decodedVisible = visibleChars;
  decodedRanges = rangeCount;
  decodedRangesAt = rangesAt;
  return 0;
}

/** Did the last crdtTextApply link a whole state as it was (loadIntoEmpty), not item by item? */
let linkedWhole = false;
export function crdtTextLinkedWhole(): i32 { return linkedWhole ? 1 : 0; }

// Sort key of a record in loadIntoEmpty: slot (6 bits) | seq (32) | record index (26).
const FAST_INDEX_BITS: u64 = 26;
const FAST_SEQ_SHIFT: u64 = 26;
const FAST_SLOT_SHIFT: u64 = 58;

/** Index (in the sorted keys) of the record holding char (slot, seq), or NIL. */
function findRecord(keys: usize, count: u32, slot: u32, seq: u32): u32 {
  const want = (<u64>slot << FAST_SLOT_SHIFT) | (<u64>seq << FAST_SEQ_SHIFT) | ((<u64>1 << FAST_INDEX_BITS) - 1);
  // last key <= want
  let lo: i32 = 0, hi: i32 = <i32>count - 1, found: i32 = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (load<u64>(keys + (<usize>mid << 3)) <= want) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  if (found < 0) return NIL;
  const r = recAddr(<u32>(load<u64>(keys + (<usize>found << 3)) & ((<u64>1 << FAST_INDEX_BITS) - 1)));
  if (load<u32>(r + REC_SLOT) != slot || seq - load<u32>(r + REC_SEQ) >= load<u32>(r + REC_LENGTH)) return NIL;
  return <u32>found;
}

// Where loadIntoEmpty finds the record holding an origin: the sorted keys' index of the last
// key starting at or before each 16th char, counting the chars of the slots one after another
// (slot s starts at SLOT_START[s]; it ends at EXPECTED_SEQ[s] after the tiling check). A lookup
// is an index read and a step or two, where a binary search over 50k keys made 16 scattered ones.
const ORIGIN_BUCKET_BITS: u32 = 4;
const SLOT_START: usize = memory.data(<i32>(CRDT_REPLICAS_MAX << 2), 16);
let originTable: usize = 0; // 0: no table (no room): findRecord's binary search
let originTableBuckets: u32 = 0;

// @ts-ignore: decorator
@inline function keyStart(keys: usize, k: u32): u64 {
  const key = load<u64>(keys + (<usize>k << 3));
  return <u64>load<u32>(SLOT_START + (<usize>(key >> FAST_SLOT_SHIFT) << 2)) + ((key >> FAST_SEQ_SHIFT) & 0xffffffff);
}

/** Builds the origin table in `room` (`roomBytes`), or leaves none when the chars do not fit it. */
function buildOriginTable(keys: usize, count: u32, slots: u32, room: usize, roomBytes: usize): void {
  originTable = 0;
  originTableBuckets = 0;
  let total: u64 = 0;
  for (let slot: u32 = 0; slot < slots; slot++) {
    store<u32>(SLOT_START + (<usize>slot << 2), <u32>total);
    total += <u64>load<u32>(EXPECTED_SEQ + (<usize>slot << 2));
    if (total > 0xffffffff) return;
  }
  const buckets = (total >> ORIGIN_BUCKET_BITS) + 1;
  if (count == 0 || buckets * 4 > <u64>roomBytes) return;
  originTableBuckets = <u32>buckets;
  let k: u32 = 0;
  for (let b: u64 = 0; b < buckets; b++) {
    const at = b << ORIGIN_BUCKET_BITS;
    while (k + 1 < count && keyStart(keys, k + 1) <= at) k++;
    store<u32>(room + (<usize>b << 2), k);
  }
  originTable = room;
}

/** findRecord through the origin table: the same answer. */
function tableFindRecord(keys: usize, count: u32, slot: u32, seq: u32): u32 {
  if (slot >= replicaCount() || seq >= load<u32>(EXPECTED_SEQ + (<usize>slot << 2))) return NIL;
  const at = <u64>load<u32>(SLOT_START + (<usize>slot << 2)) + <u64>seq;
  let k = load<u32>(originTable + (<usize>(at >> ORIGIN_BUCKET_BITS) << 2));
  while (k + 1 < count && keyStart(keys, k + 1) <= at) k++;
  const r = recAddr(<u32>(load<u64>(keys + (<usize>k << 3)) & ((<u64>1 << FAST_INDEX_BITS) - 1)));
  if (load<u32>(r + REC_SLOT) != slot || seq < load<u32>(r + REC_SEQ) || seq - load<u32>(r + REC_SEQ) >= load<u32>(r + REC_LENGTH)) return NIL;
  return k;
}

// Where loadIntoEmpty sorted, and whether that was the chars area (cleared if it returns
// NOT_DOCUMENT_ORDER, so chars past the used ones read as never written).
let sortRoomAt: usize = 0;
let inChars = false;

/** loadIntoEmpty: the records are not a state in document order (integrate them instead). */
const NOT_DOCUMENT_ORDER: i32 = 1;

/**
 * Is the origin (slot, seq) a char of the state, older (in Lamport time) than `lamport`, and on
 * the right side of record `record` (left origins before it, right origins after it)?
 */
function originValid(keys: usize, count: u32, slot: u32, seq: u32, lamport: u32, record: u32, left: bool): bool {
  if (slot == NIL) return true;
  const k = originTable != 0 ? tableFindRecord(keys, count, slot, seq) : findRecord(keys, count, slot, seq);
  // version 3: an origin may name a collected char (below `to`, checked when read), never
  // looked at again
  if (k == NIL) return decodedVersion == <u32>CRDT_TEXT_COLLECTED_VERSION;
  const at = <u32>(load<u64>(keys + (<usize>k << 3)) & ((<u64>1 << FAST_INDEX_BITS) - 1));
  if (left ? at >= record : at <= record) return false;
  const r = recAddr(at);
  return <u64>load<u32>(r + REC_LAMPORT) + <u64>(seq - load<u32>(r + REC_SEQ)) < <u64>lamport;
}

/**
 * Loads a whole state (every `from` = 0) into a doc without items: the records, in document
 * order, become the item list as they are (no integration scan), then the id index is built
 * from them sorted by (replica, seq). Checked first: each replica's records tile its seqs
 * 0..to, and every origin is an older char of the state on its side of the record (a state our
 * encoder wrote; a single writer's changes in seq order may fail this). If anything fails,
 * nothing changed: NOT_DOCUMENT_ORDER, and the caller integrates the records one by one.
 */
function loadIntoEmpty(itemCount: u32, replicas: u32, direct: bool): i32 {
  const keys = keysBase();
  for (let i: u32 = 0; i < itemCount; i++) {
    const r = recAddr(i);
    store<u64>(keys + (<usize>i << 3), (<u64>load<u32>(r + REC_SLOT) << FAST_SLOT_SHIFT)
      | (<u64>load<u32>(r + REC_SEQ) << FAST_SEQ_SHIFT) | <u64>i);
  }
  // by (slot, seq): a radix sort in the records' unused tail when it has room, else quicksort.
  // Records decoded into the items sort in the chars area instead, where the chars written
  // below overwrite it all (a fresh instance faults those pages in once, not twice); else the
  // scratch's records area, all unused then
  let sortRoom = recAddr(itemCount);
  let roomBytes = <usize>(recordsMax() - itemCount) * RECORD_BYTES;
  inChars = false;
  if (direct) {
    const charsFree = <usize>(hget(H_CHARS_MAX) - hget(H_CHARS_USED)) << 2;
    const charsWritten = <usize>decodedVisible << 2;
    inChars = (charsWritten < charsFree ? charsWritten : charsFree) >= radixSortBytes(itemCount);
    sortRoom = inChars ? CB + (<usize>hget(H_CHARS_USED) << 2) : scratchBase();
    roomBytes = inChars ? (charsWritten < charsFree ? charsWritten : charsFree) : <usize>recordsMax() * RECORD_BYTES;
  }
  sortRoomAt = sortRoom;
  originTableBuckets = 0;
  if (<u64>roomBytes >= <u64>radixSortBytes(itemCount)) radixSortKeys(keys, itemCount, sortRoom, <u32>FAST_SEQ_SHIFT);
  else sortKeys(keys, itemCount);
  const gaps = decodedVersion == <u32>CRDT_TEXT_COLLECTED_VERSION;
  // tiling: per replica, seqs 0..to without gaps or overlaps (slots without records: end 0)
  const slots = replicaCount();
  for (let slot: u32 = 0; slot < slots; slot++) store<u32>(EXPECTED_SEQ + (<usize>slot << 2), 0);
  for (let k: u32 = 0; k < itemCount; k++) {
    const r = recAddr(<u32>(load<u64>(keys + (<usize>k << 3)) & ((<u64>1 << FAST_INDEX_BITS) - 1)));
    const at = EXPECTED_SEQ + (<usize>load<u32>(r + REC_SLOT) << 2);
    // version 3: collected chars leave gaps (never overlaps)
    if (gaps ? load<u32>(r + REC_SEQ) < load<u32>(at) : load<u32>(r + REC_SEQ) != load<u32>(at)) return NOT_DOCUMENT_ORDER;
    store<u32>(at, load<u32>(r + REC_SEQ) + load<u32>(r + REC_LENGTH));
  }
  for (let index: u32 = 0; index < replicas; index++) {
    const end = load<u32>(EXPECTED_SEQ + (<usize>slotOfIndex(index) << 2));
    if (gaps ? end > toOfIndex(index) : end != toOfIndex(index)) return NOT_DOCUMENT_ORDER;
  }
  buildOriginTable(keys, itemCount, slots, sortRoom, roomBytes);
  for (let i: u32 = 0; i < itemCount; i++) {
    const r = recAddr(i);
    const lamport = load<u32>(r + REC_LAMPORT);
    // the common cases first: the left origin ends the record before, the right one starts the next
    const originSlot = load<u32>(r + REC_ORIGIN_SLOT), originSeq = load<u32>(r + REC_ORIGIN_SEQ);
    const rightSlot = load<u32>(r + REC_RIGHT_SLOT), rightSeq = load<u32>(r + REC_RIGHT_SEQ);
    let leftDone = originSlot == NIL, rightDone = rightSlot == NIL;
    if (!leftDone && i > 0) {
      const p = recAddr(i - 1);
      const length = load<u32>(p + REC_LENGTH);
      leftDone = load<u32>(p + REC_SLOT) == originSlot && load<u32>(p + REC_SEQ) + length - 1 == originSeq
        && <u64>load<u32>(p + REC_LAMPORT) + <u64>length - 1 < <u64>lamport;
    }
    if (!rightDone && i + 1 < itemCount) {
      const n = recAddr(i + 1);
      rightDone = load<u32>(n + REC_SLOT) == rightSlot && load<u32>(n + REC_SEQ) == rightSeq && load<u32>(n + REC_LAMPORT) < lamport;
    }
    if (leftDone && rightDone) continue;
    if (!leftDone && !originValid(keys, itemCount, load<u32>(r + REC_ORIGIN_SLOT), load<u32>(r + REC_ORIGIN_SEQ), lamport, i, true)) return NOT_DOCUMENT_ORDER;
    if (!rightDone && !originValid(keys, itemCount, load<u32>(r + REC_RIGHT_SLOT), load<u32>(r + REC_RIGHT_SEQ), lamport, i, false)) return NOT_DOCUMENT_ORDER;
  }
  // the list, in document order
  const io = ioBase();
  let charsUsed = hget(H_CHARS_USED);
  let visible = hget(H_VISIBLE);
  let maxLamport = hget(H_MAX_LAMPORT);
  let tail = hget(H_TAIL);
  for (let i: u32 = 0; i < itemCount; i++) {
    const r = recAddr(i);
    const length = load<u32>(r + REC_LENGTH);
    const deleted = load<u32>(r + REC_FLAGS) != 0;
    const rightSlot = load<u32>(r + REC_RIGHT_SLOT);
    // the content's place in IO, before a record in the item is overwritten below
    let content = io + <usize>load<u32>(r + REC_CONTENT);
    const item = allocItem();
    // plain stores, the item's bytes marked dirty once; chunks are rebuilt after the loop
    const a = iAddr(item);
    if (direct) {
      // the record is this item (allocItem takes the items in order from an unused doc): only
      // the fields a record does not hold, and the flags (in the stamp until now)
      assert(a == r, "a record decoded into the items is its item");
      store<u16>(a + I_FLAGS, <u16>(deleted ? FLAG_DELETED : 0));
      store<u32>(a + I_CONTENT, deleted ? 0 : charsUsed);
      if (rightSlot == NIL) store<u32>(a + I_RIGHT_SEQ, 0);
    } else {
      store<u16>(a + I_SLOT, <u16>load<u32>(r + REC_SLOT));
      store<u16>(a + I_FLAGS, <u16>(deleted ? FLAG_DELETED : 0));
      store<u32>(a + I_SEQ, load<u32>(r + REC_SEQ));
      store<u32>(a + I_LAMPORT, load<u32>(r + REC_LAMPORT));
      store<u32>(a + I_LENGTH, length);
      store<u32>(a + I_CONTENT, deleted ? 0 : charsUsed);
      store<u32>(a + I_ORIGIN_SLOT, load<u32>(r + REC_ORIGIN_SLOT));
      store<u32>(a + I_ORIGIN_SEQ, load<u32>(r + REC_ORIGIN_SEQ));
      store<u32>(a + I_RIGHT_SLOT, rightSlot);
      store<u32>(a + I_RIGHT_SEQ, rightSlot == NIL ? 0 : load<u32>(r + REC_RIGHT_SEQ));
    }
    store<u32>(a + I_SPLIT, NIL);
    store<u32>(a + I_PREV, tail);
    store<u32>(a + I_NEXT, NIL);
    store<u32>(a + I_STAMP, 0);
    store<u32>(iAddr(tail) + I_NEXT, item);
    markDirty(iAddr(tail) + I_NEXT);
    markDirtyRange(a, ITEM_BYTES);
    tail = item;
    if (!deleted) {
      const to = CB + (<usize>charsUsed << 2);
      for (let c: u32 = 0; c < length; ) {
        // eight ASCII chars at a time (validated above: the content holds `length` chars)
        if (c + 8 <= length) {
          const eight = load<u64>(content);
          if ((eight & ASCII_MASK) == 0) {
            const w = to + (<usize>c << 2);
            store<u64>(w, (eight & 0xff) | ((eight & 0xff00) << 24));
            store<u64>(w, ((eight >> 16) & 0xff) | (((eight >> 16) & 0xff00) << 24), 8);
            store<u64>(w, ((eight >> 32) & 0xff) | (((eight >> 32) & 0xff00) << 24), 16);
            store<u64>(w, ((eight >> 48) & 0xff) | (((eight >> 48) & 0xff00) << 24), 24);
            content += 8; c += 8;
            continue;
          }
        }
        store<u32>(to + (<usize>c << 2), readUtf8(content));
        content = utf8Next;
        c++;
      }
      markDirtyRange(to, <usize>length << 2);
      charsUsed += length;
      visible += length;
    }
    const last = load<u32>(a + I_LAMPORT) + length - 1;
    if (last > maxLamport) maxLamport = last;
    if (!direct) store<u32>(r + REC_ORIGIN_SLOT, item); // the record's item, for the index below
  }
  hset(H_TAIL, tail);
  hset(H_CHARS_USED, charsUsed);
  hset(H_VISIBLE, visible);
  hset(H_MAX_LAMPORT, maxLamport);
  rebuildChunks();
  // the id index: each replica's records in seq order
  for (let k: u32 = 0; k < itemCount; k++) {
    const record = <u32>(load<u64>(keys + (<usize>k << 3)) & ((<u64>1 << FAST_INDEX_BITS) - 1));
    const r = recAddr(record);
    // (a slot is 16 bits: in the items, the flags written above follow it)
    const indexed = indexAppend(load<u32>(r + REC_SLOT) & 0xffff, load<u32>(r + REC_SEQ), direct ? record + 1 : load<u32>(r + REC_ORIGIN_SLOT));
    if (indexed < 0) return indexed;
  }
  for (let index: u32 = 0; index < replicas; index++) {
    const slot = slotOfIndex(index);
    if (toOfIndex(index) > nextSeq(slot)) setNextSeq(slot, toOfIndex(index));
  }
  return 0;
}

function integrate(record: u32): i32 {
  const r = recAddr(record);
  const slot = load<u32>(r + REC_SLOT);
  let seq = load<u32>(r + REC_SEQ);
  let lamport = load<u32>(r + REC_LAMPORT);
  let length = load<u32>(r + REC_LENGTH);
  let originSlot = load<u32>(r + REC_ORIGIN_SLOT);
  let originSeq = load<u32>(r + REC_ORIGIN_SEQ);
  const rightSlot = load<u32>(r + REC_RIGHT_SLOT);
  const rightSeq = load<u32>(r + REC_RIGHT_SEQ);
  const deleted = load<u32>(r + REC_FLAGS) != 0;
  let content = ioBase() + <usize>load<u32>(r + REC_CONTENT);
  const have = nextSeq(slot);
  if (seq < have) {
    // some or all of it is known: only its deletion can be news
    const known = seq + length <= have ? length : have - seq;
    if (deleted) {
      const result = deleteIds(slot, seq, known);
      if (result < 0) return result;
    }
    if (known == length) return 0;
    if (!deleted) for (let c: u32 = 0; c < known; c++) { readUtf8(content); content = utf8Next; }
    seq += known; lamport += known; length -= known;
    originSlot = slot; originSeq = seq - 1;
  }
  if (seq != have) return ERR_MALFORMED;
  // the left origin ends its item, the right origin starts its item
  let left: u32 = HEAD;
  if (originSlot != NIL) {
    left = lookup(originSlot, originSeq);
    if (left == NIL) return ERR_MALFORMED;
    const offset = originSeq - getSeq(left);
    if (offset + 1 < getLength(left)) split(left, offset + 1);
  }
  let right: u32 = NIL;
  if (rightSlot != NIL) {
    right = lookup(rightSlot, rightSeq);
    if (right == NIL) return ERR_MALFORMED;
    const offset = rightSeq - getSeq(right);
    if (offset > 0) right = split(right, offset);
  }
  // stamp the items between the origins: an item's origin is "between" iff it is stamped
  const epoch = hget(H_EPOCH) + 1;
  hset(H_EPOCH, epoch);
  const limit = hget(H_ITEMS_MAX);
  let between = getNext(left);
  for (let step: u32 = 0; between != right; step++) {
    if (between == NIL || step >= limit) return ERR_MALFORMED; // the right origin is not right of the left one
    setU32(between, I_STAMP, epoch);
    between = getNext(between);
  }
  // YjsMod scan (Gentle, reference-crdts): `after` is where the new item goes
  const id = replicaId(slot);
  let after = left;
  let previous = left;
  let scanning = false;
  let other = getNext(left);
  while (other != right) {
    if (!scanning) after = previous;
    const otherLeftSlot = getOriginSlot(other), otherLeftSeq = getOriginSeq(other);
    let leftOrder: i32; // other's left origin vs ours: -1 before, 0 same, 1 after
    if (otherLeftSlot == originSlot && (originSlot == NIL || otherLeftSeq == originSeq)) leftOrder = 0;
    else if (otherLeftSlot == NIL) leftOrder = -1;
    else {
      const holder = lookup(otherLeftSlot, otherLeftSeq);
      leftOrder = holder != NIL && load<u32>(iAddr(holder) + I_STAMP) == epoch ? 1 : -1;
    }
    if (leftOrder < 0) break;
    if (leftOrder == 0) {
      const otherRightSlot = getRightSlot(other), otherRightSeq = getRightSeq(other);
      let rightOrder: i32; // other's right origin vs ours
      if (otherRightSlot == rightSlot && (rightSlot == NIL || otherRightSeq == rightSeq)) rightOrder = 0;
      else if (otherRightSlot == NIL) rightOrder = 1; // the doc end is after our right origin
      else {
        const holder = lookup(otherRightSlot, otherRightSeq);
        rightOrder = holder != NIL && load<u32>(iAddr(holder) + I_STAMP) == epoch ? -1 : 1;
      }
      if (rightOrder < 0) {
        scanning = true;
      } else if (rightOrder == 0) {
        if (id < replicaId(getSlot(other))) break;
        scanning = false;
      } else {
        scanning = false;
      }
    }
    previous = other;
    other = getNext(other);
  }
  if (!scanning) after = previous;
  const charsUsed = hget(H_CHARS_USED);
  // extend the left item when this continues its run right where it ends
  const leftLength = getLength(left);
  if (after == left && left != HEAD && getSlot(left) == slot && getSeq(left) + leftLength == seq
    && getLamport(left) + leftLength == lamport && originSlot == slot && originSeq == seq - 1
    && sameRight(left, rightSlot, rightSeq)
    && isDeleted(left) == deleted && (deleted || getContent(left) + leftLength == charsUsed)) {
    setU32(left, I_LENGTH, leftLength + length);
    if (!deleted) chunkVisibleAdd(left, <i32>length);
  } else {
    const item = allocItem();
    setSlot(item, slot);
    setFlags(item, deleted ? FLAG_DELETED : 0);
    setU32(item, I_SEQ, seq);
    setU32(item, I_LAMPORT, lamport);
    setU32(item, I_LENGTH, length);
    setU32(item, I_CONTENT, deleted ? 0 : charsUsed);
    setU32(item, I_ORIGIN_SLOT, originSlot);
    setU32(item, I_ORIGIN_SEQ, originSeq);
    setU32(item, I_RIGHT_SLOT, rightSlot);
    setU32(item, I_RIGHT_SEQ, rightSlot == NIL ? 0 : rightSeq);
    setU32(item, I_SPLIT, NIL);
    linkAfter(after, item);
    const indexed = indexAppend(slot, seq, item);
    if (indexed < 0) return indexed;
  }
  if (!deleted) {
    const to = CB + (<usize>charsUsed << 2);
    for (let c: u32 = 0; c < length; c++) {
      store<u32>(to + (<usize>c << 2), readUtf8(content));
      content = utf8Next;
    }
    markDirtyRange(to, <usize>length << 2);
    hset(H_CHARS_USED, charsUsed + length);
    hset(H_VISIBLE, hget(H_VISIBLE) + length);
  }
  setNextSeq(slot, seq + length);
  const last = lamport + length - 1;
  if (last > hget(H_MAX_LAMPORT)) hset(H_MAX_LAMPORT, last);
  return 0;
}

/** Marks chars (slot, seq .. seq+length) deleted; all of them must be present. */
function deleteIds(slot: u32, seq: u32, length: u32): i32 {
  const limit = hget(H_ITEMS_MAX);
  let item = NIL;
  for (let step: u32 = 0; length > 0 && step < limit; step++) {
    if (item == NIL || getSeq(item) != seq) item = lookup(slot, seq);
    if (item == NIL) return ERR_MALFORMED;
    const offset = seq - getSeq(item);
    if (offset > 0) item = split(item, offset);
    const itemLength = getLength(item);
    if (itemLength > length) split(item, length);
    const taken = getLength(item);
    if (!isDeleted(item)) {
      setFlags(item, getFlags(item) | FLAG_DELETED);
      chunkVisibleAdd(item, -<i32>taken);
      hset(H_VISIBLE, hget(H_VISIBLE) - taken);
    }
    seq += taken;
    length -= taken;
    const next = getSplit(item);
    const before = getPrev(item);
    if (tryMerge(before)) item = before;
    tryMerge(item);
    item = next != NIL && getPrev(next) != NIL ? next : NIL;
  }
  return 0;
}

// ── collecting tombstones ───────────────────────────────────────────────────────────────────
//
// crdtTextCollect(doc) drops every tombstone: its item leaves the list, the split chains and the
// id index (a collected char is one whose seq is below nextSeq and that no item holds), and the
// char arena is compacted to the visible chars. Only safe when no replica can still send
// anything that names a collected char (README: the kernel calls it on every replica of an
// object at once, when all of them hold the same state). Items keep their origins as they were:
// an origin may name a collected char, and is then never looked at again (only the origins of
// items concurrent with a later insert are compared, and those were made after the collection).


/** Chars collected from this doc so far, at least 1 once it applied a version-3 encoding (its
 * encodings are version 3 once this is > 0). */
export function crdtTextCollected(doc: i32): i32 {
  const selected = selectText(doc);
  if (selected < 0) return selected;
  return <i32>hget(H_COLLECTED);
}

/** Code points the char arena holds (visible and, until collected, deleted ones). */
export function crdtTextCharsUsed(doc: i32): i32 {
  const selected = selectText(doc);
  if (selected < 0) return selected;
  return <i32>hget(H_CHARS_USED);
}

/**
 * Deleted chars and a hash of which ones they are: (replica id, seq, length) of each run of
 * deleted chars in document order, runs cut only where the ids stop following on. Two replicas
 * with the same items (same state vector) have the same delete set iff these are equal.
 * Returns the count; the hash is read with crdtTextDeleteDigest().
 */
export function crdtTextTombstones(doc: i32): i32 {
  const selected = selectText(doc);
  if (selected < 0) return selected;
  let hash = HASH_SEED;
  let count: u32 = 0;
  let runId: u32 = NIL, runStart: u32 = 0, runEnd: u32 = 0;
  let item = getNext(HEAD);
  while (item != NIL) {
    if (isDeleted(item)) {
      const id = replicaId(getSlot(item)), seq = getSeq(item), length = getLength(item);
      count += length;
      if (runId == id && runEnd == seq) {
        runEnd = seq + length;
      } else {
        if (runId != NIL) hash = hashWord(hashWord(hashWord(hash, runId), runStart), runEnd - runStart);
        runId = id; runStart = seq; runEnd = seq + length;
      }
    }
    item = getNext(item);
  }
  if (runId != NIL) hash = hashWord(hashWord(hashWord(hash, runId), runStart), runEnd - runStart);
  deleteDigest = hash;
  return <i32>count;
}

let deleteDigest: u64 = 0;
export function crdtTextDeleteDigest(): u64 { return deleteDigest; }

/** Collects every tombstone of the doc (see above); returns the chars collected. */
export function crdtTextCollect(doc: i32): i32 {
  const selected = selectText(doc);
  if (selected < 0) return selected;
  // the id index: each entry's split chain without its deleted pieces; empty chains go
  const replicas = replicaCount();
  const limit = hget(H_ITEMS_MAX);
  for (let slot: u32 = 0; slot < replicas; slot++) {
    const entries = load<u32>(rAddr(slot) + R_ENTRIES);
    let kept: u32 = 0;
    for (let e: u32 = 0; e < entries; e++) {
      let item = load<u32>(entryAddr(slot, e) + 4);
      let first: u32 = NIL, last: u32 = NIL;
      for (let step: u32 = 0; item != NIL && step < limit; step++) {
        const next = getSplit(item);
        if (!isDeleted(item)) {
          if (first == NIL) first = item; else setU32(last, I_SPLIT, item);
          last = item;
        }
        item = next;
      }
      if (first == NIL) continue;
      setU32(last, I_SPLIT, NIL);
      const a = entryAddr(slot, kept);
      store<u32>(a, getSeq(first));
      store<u32>(a, first, 4);
      markDirty(a);
      setFlags(first, getFlags(first) | FLAG_INDEX_HEAD);
      kept++;
    }
    const ea = rAddr(slot) + R_ENTRIES;
    store<u32>(ea, kept);
    markDirty(ea);
  }
  // the list without the tombstones
  let collected: u32 = 0;
  let left = HEAD;
  let item = getNext(HEAD);
  while (item != NIL) {
    const next = getNext(item);
    if (isDeleted(item)) {
      collected += getLength(item);
      freeItem(item);
    } else {
      setU32(left, I_NEXT, item);
      setU32(item, I_PREV, left);
      left = item;
    }
    item = next;
  }
  setU32(left, I_NEXT, NIL);
  hset(H_TAIL, left);
  // the char arena: visible runs in arena order, moved down (keys in the scratch region)
  const keys = scratchBase();
  const keysMax = <u32>((<usize>recordsMax() * (RECORD_BYTES + 8)) >> 3);
  let count: u32 = 0;
  item = getNext(HEAD);
  while (item != NIL && count < keysMax) {
    store<u64>(keys + (<usize>count << 3), (<u64>getContent(item) << 32) | <u64>item);
    count++;
    item = getNext(item);
  }
  if (item == NIL) {
    sortKeys(keys, count);
    let used: u32 = 0;
    for (let k: u32 = 0; k < count; k++) {
      const it = <u32>load<u64>(keys + (<usize>k << 3));
      const content = getContent(it), length = getLength(it);
      if (content != used) {
        memory.copy(CB + (<usize>used << 2), CB + (<usize>content << 2), <usize>length << 2);
        markDirtyRange(CB + (<usize>used << 2), <usize>length << 2);
        setU32(it, I_CONTENT, used);
      }
      used += length;
    }
    hset(H_CHARS_USED, used);
  } // else: more runs than the scratch holds keys for; the arena stays as it is
  rebuildChunks();
  setCursor(HEAD, 0);
  // pieces of one run that only tombstones kept apart are one item again
  item = getNext(HEAD);
  while (item != NIL) {
    if (!tryMerge(item)) item = getNext(item);
  }
  // every replica has the logged deletes (the caller's precondition)
  hset(H_LOG_COUNT, 0);
  hset(H_LOG_OVERFLOW, 0);
  const total = <u64>hget(H_COLLECTED) + <u64>collected;
  hset(H_COLLECTED, total > 0xffffffff ? 0xffffffff : <u32>total);
  return <i32>collected;
}

// ── growing a private doc ───────────────────────────────────────────────────────────────────
//
// A doc of a private core starts small and grows (four times, or to what is needed, up to the
// limits its creator gave) before an edit or a merge that needs more room: the region grows in
// place when it is the last one (the index blocks, chunks and chars move up, the items array
// extends), else the doc moves to a new region at the top (the old one is abandoned). The
// kernel's docs never grow: their layout is fixed once configured (snapshots restore by address).

/**
 * Makes room for `items` more items (and their index entries) and `chars` more code points,
 * growing up to `itemsLimit` / `charsLimit`. 0 (also when the limits stop it short: the
 * operation then fails as it would have), or ERR_REGION when memory cannot grow.
 */
export function crdtTextGrow(doc: i32, items: u32, chars: u32, itemsLimit: u32, charsLimit: u32): i32 {
  const selected = selectText(doc);
  if (selected < 0) return selected;
  if (itemsLimit > CRDT_TEXT_ITEMS_MAX) itemsLimit = CRDT_TEXT_ITEMS_MAX;
  if (charsLimit > CRDT_TEXT_CHARS_MAX) charsLimit = CRDT_TEXT_CHARS_MAX;
  const itemsMax = hget(H_ITEMS_MAX), charsMax = hget(H_CHARS_MAX);
  const live = hget(H_ITEMS_LIVE), charsUsed = hget(H_CHARS_USED), blocksUsed = hget(H_BLOCKS_USED);
  const blocksNeeded = <u64>blocksUsed + <u64>(items >> BLOCK_ENTRIES_BITS) + <u64>hget(H_REPLICA_COUNT) + 1;
  let newItems = itemsMax;
  while (newItems < itemsLimit && (<u64>newItems < <u64>live + <u64>items || <u64>blocksFor(newItems) < blocksNeeded)) {
    newItems = <u64>newItems * 4 > <u64>itemsLimit ? itemsLimit : newItems * 4;
  }
  let newChars = charsMax;
  while (newChars < charsLimit && <u64>newChars < <u64>charsUsed + <u64>chars) {
    newChars = <u64>newChars * 4 > <u64>charsLimit ? charsLimit : newChars * 4;
  }
  if (newItems == itemsMax && newChars == charsMax) return 0;
  const oldBytes = regionBytes(itemsMax, charsMax), newBytes = regionBytes(newItems, newChars);
  const oldK = FIXED_BYTES + <usize>itemsMax * ITEM_BYTES;
  const oldB = oldK + <usize>hget(H_CHUNKS_MAX) * CHUNK_BYTES;
  const oldC = oldB + <usize>hget(H_BLOCKS_MAX) * BLOCK_BYTES;
  const newK = FIXED_BYTES + <usize>newItems * ITEM_BYTES;
  const newB = newK + <usize>chunksFor(newItems) * CHUNK_BYTES;
  const newC = newB + <usize>blocksFor(newItems) * BLOCK_BYTES;
  const itemBytes = <usize>hget(H_ITEMS_USED) * ITEM_BYTES;
  const chunkBytes = <usize>hget(H_CHUNKS_USED) * CHUNK_BYTES;
  const blockBytes = <usize>blocksUsed * BLOCK_BYTES;
  const charBytes = <usize>charsUsed << 2;
  const base = D;
  let to = base;
  if (extendLastRegion(base, oldBytes, newBytes)) {
    // each part moves up (or stays): the top one first, so none overwrites one not moved yet
    memory.copy(base + newC, base + oldC, charBytes);
    memory.copy(base + newB, base + oldB, blockBytes);
    memory.copy(base + newK, base + oldK, chunkBytes);
    // what the moves left behind reads as zero again; only bytes that held data are cleared
    // (the rest was never written: clearing it would fault in pages for nothing)
    keepFrom0 = base; keepTo0 = base + FIXED_BYTES + itemBytes;
    keepFrom1 = base + newK; keepTo1 = keepFrom1 + chunkBytes;
    keepFrom2 = base + newB; keepTo2 = keepFrom2 + blockBytes;
    keepFrom3 = base + newC; keepTo3 = keepFrom3 + charBytes;
    zeroLeftBehind(base + oldK, base + oldK + chunkBytes);
    zeroLeftBehind(base + oldB, base + oldB + blockBytes);
    zeroLeftBehind(base + oldC, base + oldC + charBytes);
    markDirtyRange(base, newBytes);
  } else {
    to = reserveRegion(newBytes, 16);
    if (to == 0) return ERR_REGION;
    memory.copy(to, base, FIXED_BYTES + itemBytes);
    memory.copy(to + newK, base + oldK, chunkBytes);
    memory.copy(to + newB, base + oldB, blockBytes);
    memory.copy(to + newC, base + oldC, charBytes);
    setDocBase(doc, to);
  }
  D = to;
  hset(H_ITEMS_MAX, newItems);
  hset(H_CHARS_MAX, newChars);
  hset(H_CHUNKS_MAX, chunksFor(newItems));
  hset(H_BLOCKS_MAX, blocksFor(newItems));
  selectText(doc);
  return 0;
}

// The parts of a grown region that hold data (items, chunks, blocks, chars, in address order).
let keepFrom0: usize = 0, keepTo0: usize = 0, keepFrom1: usize = 0, keepTo1: usize = 0;
let keepFrom2: usize = 0, keepTo2: usize = 0, keepFrom3: usize = 0, keepTo3: usize = 0;

/** Zeroes [from, to) but for the parts that hold data now. */
function zeroLeftBehind(from: usize, to: usize): void {
  let at = from;
  at = zeroUpTo(at, to, keepFrom0, keepTo0);
  at = zeroUpTo(at, to, keepFrom1, keepTo1);
  at = zeroUpTo(at, to, keepFrom2, keepTo2);
  at = zeroUpTo(at, to, keepFrom3, keepTo3);
  if (at < to) memory.fill(at, 0, to - at);
}

/** Zeroes [at, min(to, keepFrom)) and returns where to go on: past the kept range. */
function zeroUpTo(at: usize, to: usize, keepFrom: usize, keepTo: usize): usize {
  if (at >= to) return at;
  const stop = keepFrom < to ? keepFrom : to;
  if (at < stop) memory.fill(at, 0, stop - at);
  return keepTo > at ? (keepTo < to ? keepTo : to) : at;
}

/** The doc's capacity: items (which = 0) or code points (which = 1). */
export function crdtTextCapacity(doc: i32, which: u32): i32 {
  const selected = selectText(doc);
  if (selected < 0) return selected;
  return <i32>(which == 0 ? hget(H_ITEMS_MAX) : hget(H_CHARS_MAX));
}

// Limits a doc may grow to while crdtTextApplyGrowing runs (0: it does not grow).
let applyItemsLimit: u32 = 0;
let applyCharsLimit: u32 = 0;

/** crdtTextApply for a private core's doc: it grows (up to the limits) when it needs room. */
export function crdtTextApplyGrowing(doc: i32, bytes: u32, itemsLimit: u32, charsLimit: u32): i32 {
  applyItemsLimit = itemsLimit > 0 ? itemsLimit : 1;
  applyCharsLimit = charsLimit > 0 ? charsLimit : 1;
  const result = crdtTextApply(doc, bytes);
  applyItemsLimit = 0;
  applyCharsLimit = 0;
  return result;
}
