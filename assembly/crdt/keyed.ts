// LWW-map and OR-set: the two CRDTs keyed by byte strings, sharing one region layout, a hash
// table of keys, a byte arena, and per-replica dense sequence numbers for deltas.
//
// LWW-map: each key holds the write with the greatest (lamport, replicaId); a delete is a write
// of a tombstone. Every local write takes the next seq of its replica; a delta from a state
// vector carries the winning writes whose seq the receiver has not seen (a losing write needs
// no sending: the write that beat it is either sent or already known).
//
// Join map (workflow): an LWW-map whose values are u32 ranks (4 bytes, little-endian) and
// whose winner is the greatest (rank, lamport, replicaId): concurrent transitions of a task
// resolve to the later state in the lattice, and a transition to an earlier state loses.
//
// OR-set (add-wins, dot-based): each add creates a dot (replica, seq) tagged with the element;
// a remove creates one remove record (its own dot) per add-dot of the element it observed. An
// element is present while one of its add-dots is not removed, so an add concurrent with a
// remove survives. Records are kept (tombstones), so state and delta merge are set unions.
//
// ABI (bytes travel through the IO buffer; doc handles from the create calls):
//   crdtMapCreate(replicaId, entriesMax, bytesMax) -> doc | error
//   crdtJoinMapCreate(replicaId, entriesMax, bytesMax) -> doc | error   (values: 4-byte ranks)
//   crdtSetCreate(replicaId, entriesMax, recordsMax, bytesMax) -> doc | error
//   crdtKeyedApplyOps(doc, bytes) -> 0 | error    batched local ops in IO:
//        map: [1, keyLen varint, key, valueLen varint, value] set   [2, keyLen, key] delete
//        set: [1, keyLen, key] add                                   [2, keyLen, key] remove
//   crdtKeyedGet(doc, keyBytes) -> value bytes written to IO | -1 absent | error  (set: 0 or -1)
//   crdtKeyedSize(doc) -> live keys/elements     crdtKeyedHash(doc) -> u64 (order independent)
//   crdtKeyedRead(doc, fromEntry) -> next entry to read (entriesUsed when done); writes
//        [keyLen varint, key, valueLen varint, value] (set: [keyLen, key]) for live entries
//   crdtKeyedStateVector(doc), crdtKeyedEncode(doc, svBytes), crdtKeyedApply(doc, bytes): as text
//
// Region:
//
//   0        64                 +8·R            +4·table          +40·entries     (set only)
//   ├────────┼──────────────────┼───────────────┼─────────────────┼───────────────┬──────────┬──────────┬────────┤
//   │ header │ replicas id|seq  │ key table u32 │ entries 40 B    │ records 20 B  │ dot tbl  │ bytes    │
//   └────────┴──────────────────┴───────────────┴─────────────────┴───────────────┴──────────┴──────────┘
//
// Entry (40 B): hash | keyAt | keyBytes | valueAt | valueBytes (NIL: tombstone) | valueRoom |
//               lamport | slot | seq | spare          (map)
//               hash | keyAt | keyBytes | liveDots | firstDot | ...                  (set)
// Record (20 B, set): slot | seq | kind+removed | entry (add) or target record (remove) | nextDot
// Key and dot tables: open addressing, linear probing, never deleted from; size = 2^k >= 2 × max.

import { CRDT_REPLICAS_MAX, CRDT_ENTRIES_MAX, CRDT_BYTES_MAX } from "../constants";
import { markDirty, markDirtyRange } from "../memory/regions";
import {
  NIL, KIND_LWW_MAP, KIND_OR_SET, KIND_JOIN_MAP,
  ERR_BAD_DOC, ERR_WRONG_KIND, ERR_ITEMS_FULL, ERR_CHARS_FULL,
  ERR_IO_FULL, ERR_MALFORMED, ERR_BAD_ARGUMENT,
  createDoc, docBase, ioBase, ioSize,
  writeBegin, writeVar, writeBytes, writePtr, writeFailed, zigzag, unzigzag,
  readBegin, readU8, readVar, readPtr, readEnd, readFailed, HASH_SEED, hashWord,
} from "./common";
import {
  useReplicaTable, replicaId, nextSeq, setNextSeq, remoteSeq, indexOfSlot, slotOf, slotOfIndex, fromOfIndex, toOfIndex,
  writeStateVector, readRemoteStateVector, beginEncoding, writeReplicaHeader, beginDecoding, readReplicaHeader,
  advanceToHeader,
} from "./replicas";

const H_KIND: usize = 0;
const H_ENTRIES_MAX: usize = 4;
const H_ENTRIES_USED: usize = 8;
const H_BYTES_MAX: usize = 12;
const H_BYTES_USED: usize = 16;
const H_REPLICA_COUNT: usize = 20;
const H_MAX_LAMPORT: usize = 24;
const H_LIVE: usize = 28;
const H_TABLE_MASK: usize = 32;
const H_RECORDS_MAX: usize = 36;
const H_RECORDS_USED: usize = 40;
const H_DOT_MASK: usize = 44;
const HEADER_BYTES: usize = 64;

const REPLICA_BYTES: usize = 8;
const ENTRY_BYTES: usize = 40;
const E_HASH: usize = 0;
const E_KEY_AT: usize = 4;
const E_KEY_BYTES: usize = 8;
const E_VALUE_AT: usize = 12;   // set: liveDots
const E_VALUE_BYTES: usize = 16; // set: firstDot
const E_VALUE_ROOM: usize = 20;
const E_LAMPORT: usize = 24;
const E_SLOT: usize = 28;
const E_SEQ: usize = 32;

const RECORD_BYTES: usize = 20;
const R_SLOT: usize = 0;
const R_SEQ: usize = 4;
const R_KIND: usize = 8;
const R_TARGET: usize = 12;
const R_NEXT: usize = 16;
const KIND_ADD: u32 = 0;
const KIND_REMOVE: u32 = 1;
const REMOVED: u32 = 2;

let D: usize = 0;
let TB: usize = 0;
let EB: usize = 0;
let XB: usize = 0; // records
let OB: usize = 0; // dot table
let AB: usize = 0; // byte arena
let isSet: bool = false;
let isJoin: bool = false;
let docKind: u32 = 0;

// Per-call scratch of apply: each header replica's nextSeq before the delta (older seqs are known).
const HAD_OF_INDEX: usize = memory.data(<i32>(CRDT_REPLICAS_MAX << 2), 16);
// @ts-ignore: decorator
@inline function hadOfIndex(index: u32): u32 { return load<u32>(HAD_OF_INDEX + (<usize>index << 2)); }

// @ts-ignore: decorator
@inline function hget(offset: usize): u32 { return load<u32>(D + offset); }
// @ts-ignore: decorator
@inline function hset(offset: usize, value: u32): void { store<u32>(D + offset, value); markDirty(D + offset); }
// @ts-ignore: decorator
@inline function eAddr(entry: u32): usize { return EB + <usize>entry * ENTRY_BYTES; }
// @ts-ignore: decorator
@inline function eget(entry: u32, field: usize): u32 { return load<u32>(eAddr(entry) + field); }
// @ts-ignore: decorator
@inline function eset(entry: u32, field: usize, value: u32): void { const a = eAddr(entry) + field; store<u32>(a, value); markDirty(a); }
// @ts-ignore: decorator
@inline function xAddr(record: u32): usize { return XB + <usize>record * RECORD_BYTES; }
// @ts-ignore: decorator
@inline function xget(record: u32, field: usize): u32 { return load<u32>(xAddr(record) + field); }
// @ts-ignore: decorator
@inline function xset(record: u32, field: usize, value: u32): void { const a = xAddr(record) + field; store<u32>(a, value); markDirty(a); }

function select(doc: i32): i32 {
  const base = docBase(doc);
  if (base == 0) return ERR_BAD_DOC;
  const kind = load<u32>(base);
  if (kind != KIND_LWW_MAP && kind != KIND_OR_SET && kind != KIND_JOIN_MAP) return ERR_WRONG_KIND;
  D = base;
  docKind = kind;
  isSet = kind == KIND_OR_SET;
  isJoin = kind == KIND_JOIN_MAP;
  useReplicaTable(base + HEADER_BYTES, REPLICA_BYTES, base + H_REPLICA_COUNT);
  TB = base + HEADER_BYTES + <usize>CRDT_REPLICAS_MAX * REPLICA_BYTES;
  EB = TB + ((<usize>hget(H_TABLE_MASK) + 1) << 2);
  XB = EB + <usize>hget(H_ENTRIES_MAX) * ENTRY_BYTES;
  OB = XB + <usize>hget(H_RECORDS_MAX) * RECORD_BYTES;
  AB = OB + (isSet ? ((<usize>hget(H_DOT_MASK) + 1) << 2) : 0);
  return 0;
}

function tableSizeFor(count: u32): u32 {
  let size: u32 = 16;
  while (size < count * 2) size <<= 1;
  return size;
}

function create(kind: u32, replica: u32, entriesMax: u32, recordsMax: u32, bytesMax: u32): i32 {
  if (entriesMax < 1 || entriesMax > CRDT_ENTRIES_MAX || bytesMax > CRDT_BYTES_MAX || recordsMax > CRDT_ENTRIES_MAX) return ERR_BAD_ARGUMENT;
  const table = tableSizeFor(entriesMax);
  const dots = kind == KIND_OR_SET ? tableSizeFor(recordsMax) : 0;
  const bytes = HEADER_BYTES + <usize>CRDT_REPLICAS_MAX * REPLICA_BYTES + (<usize>table << 2) + <usize>entriesMax * ENTRY_BYTES
    + <usize>recordsMax * RECORD_BYTES + (<usize>dots << 2) + <usize>bytesMax;
  const doc = createDoc(kind, bytes);
  if (doc < 0) return doc;
  D = docBase(doc);
  hset(H_ENTRIES_MAX, entriesMax);
  hset(H_BYTES_MAX, bytesMax);
  hset(H_TABLE_MASK, table - 1);
  hset(H_RECORDS_MAX, recordsMax);
  hset(H_DOT_MASK, dots == 0 ? 0 : dots - 1);
  select(doc);
  slotOf(replica, true);
  return doc;
}

export function crdtMapCreate(replicaId: u32, entriesMax: u32, bytesMax: u32): i32 {
  return create(KIND_LWW_MAP, replicaId, entriesMax, 0, bytesMax);
}

export function crdtJoinMapCreate(replicaId: u32, entriesMax: u32, bytesMax: u32): i32 {
  return create(KIND_JOIN_MAP, replicaId, entriesMax, 0, bytesMax);
}

export function crdtSetCreate(replicaId: u32, entriesMax: u32, recordsMax: u32, bytesMax: u32): i32 {
  if (recordsMax < 1) return ERR_BAD_ARGUMENT;
  return create(KIND_OR_SET, replicaId, entriesMax, recordsMax, bytesMax);
}

// ── keys ────────────────────────────────────────────────────────────────────────────────────

function hashBytes(at: usize, count: u32): u32 {
  let hash: u32 = 0x811c9dc5;
  for (let i: u32 = 0; i < count; i++) hash = (hash ^ <u32>load<u8>(at + i)) * 0x01000193;
  return hash;
}

function sameBytes(a: usize, b: usize, count: u32): bool {
  let i: u32 = 0;
  for (; i + 4 <= count; i += 4) if (load<u32>(a + i) != load<u32>(b + i)) return false;
  for (; i < count; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}

let probeSlot: usize = 0;

/** Entry with this key, or NIL (probeSlot is then the empty table slot to fill). */
function findKey(key: usize, count: u32, hash: u32): u32 {
  const mask = hget(H_TABLE_MASK);
  let index = hash & mask;
  for (let step: u32 = 0; step <= mask; step++) {
    const at = TB + (<usize>index << 2);
    const held = load<u32>(at);
    if (held == 0) { probeSlot = at; return NIL; }
    const entry = held - 1;
    if (eget(entry, E_HASH) == hash && eget(entry, E_KEY_BYTES) == count && sameBytes(AB + <usize>eget(entry, E_KEY_AT), key, count)) return entry;
    index = (index + 1) & mask;
  }
  probeSlot = 0;
  return NIL;
}

function arenaPut(from: usize, count: u32): u32 {
  const used = hget(H_BYTES_USED);
  memory.copy(AB + <usize>used, from, <usize>count);
  markDirtyRange(AB + <usize>used, <usize>count);
  hset(H_BYTES_USED, used + count);
  return used;
}

function bytesFree(): u32 { return hget(H_BYTES_MAX) - hget(H_BYTES_USED); }

/** New entry for a key not present (findKey just returned NIL); caller checked capacity. */
function addKey(key: usize, count: u32, hash: u32): u32 {
  const entry = hget(H_ENTRIES_USED);
  hset(H_ENTRIES_USED, entry + 1);
  store<u32>(probeSlot, entry + 1);
  markDirty(probeSlot);
  eset(entry, E_HASH, hash);
  eset(entry, E_KEY_AT, arenaPut(key, count));
  eset(entry, E_KEY_BYTES, count);
  eset(entry, E_VALUE_AT, 0);
  eset(entry, E_VALUE_BYTES, isSet ? NIL : NIL);
  eset(entry, E_VALUE_ROOM, 0);
  eset(entry, E_LAMPORT, 0);
  eset(entry, E_SLOT, NIL);
  eset(entry, E_SEQ, 0);
  return entry;
}

// ── map writes ──────────────────────────────────────────────────────────────────────────────

/** Does (rank, lamport, slot) beat the entry's current write? (rank: join maps only) */
function wins(entry: u32, lamport: u32, slot: u32, value: usize, valueBytes: u32): bool {
  const held = eget(entry, E_SLOT);
  if (held == NIL) return true;
  if (isJoin) {
    const rank = valueBytes >= 4 ? load<u32>(value) : 0;
    const heldBytes = eget(entry, E_VALUE_BYTES);
    const heldRank = heldBytes != NIL && heldBytes >= 4 ? load<u32>(AB + <usize>eget(entry, E_VALUE_AT)) : 0;
    if (rank != heldRank) return rank > heldRank;
  }
  const heldLamport = eget(entry, E_LAMPORT);
  if (lamport != heldLamport) return lamport > heldLamport;
  return replicaId(slot) > replicaId(held);
}

/** Applies a write (value NIL = delete) if it wins; capacity checked by the caller. */
function mapWrite(key: usize, keyBytes: u32, value: usize, valueBytes: u32, lamport: u32, slot: u32, seq: u32): i32 {
  const hash = hashBytes(key, keyBytes);
  let entry = findKey(key, keyBytes, hash);
  if (entry == NIL) {
    if (probeSlot == 0 || hget(H_ENTRIES_USED) >= hget(H_ENTRIES_MAX)) return ERR_ITEMS_FULL;
    if (bytesFree() < keyBytes + (valueBytes == NIL ? 0 : valueBytes)) return ERR_CHARS_FULL;
    entry = addKey(key, keyBytes, hash);
  } else if (!wins(entry, lamport, slot, value, valueBytes)) {
    return 0;
  }
  const wasLive = eget(entry, E_VALUE_BYTES) != NIL;
  if (valueBytes == NIL) {
    eset(entry, E_VALUE_BYTES, NIL);
  } else {
    if (valueBytes > eget(entry, E_VALUE_ROOM)) {
      if (bytesFree() < valueBytes) return ERR_CHARS_FULL;
      eset(entry, E_VALUE_AT, arenaPut(value, valueBytes));
      eset(entry, E_VALUE_ROOM, valueBytes);
    } else {
      const at = AB + <usize>eget(entry, E_VALUE_AT);
      memory.copy(at, value, <usize>valueBytes);
      markDirtyRange(at, <usize>valueBytes);
    }
    eset(entry, E_VALUE_BYTES, valueBytes);
  }
  eset(entry, E_LAMPORT, lamport);
  eset(entry, E_SLOT, slot);
  eset(entry, E_SEQ, seq);
  const isLive = valueBytes != NIL;
  if (wasLive != isLive) hset(H_LIVE, hget(H_LIVE) + (isLive ? 1 : -1));
  if (lamport > hget(H_MAX_LAMPORT)) hset(H_MAX_LAMPORT, lamport);
  return 0;
}

// ── set records ─────────────────────────────────────────────────────────────────────────────

function dotHash(slot: u32, seq: u32): u32 { return (seq * 0x9e3779b1) ^ (slot * 0x85ebca77); }

let dotProbe: usize = 0;
function findDot(slot: u32, seq: u32): u32 {
  const mask = hget(H_DOT_MASK);
  let index = dotHash(slot, seq) & mask;
  for (let step: u32 = 0; step <= mask; step++) {
    const at = OB + (<usize>index << 2);
    const held = load<u32>(at);
    if (held == 0) { dotProbe = at; return NIL; }
    const record = held - 1;
    if (xget(record, R_SEQ) == seq && xget(record, R_SLOT) == slot) return record;
    index = (index + 1) & mask;
  }
  dotProbe = 0;
  return NIL;
}

function newRecord(slot: u32, seq: u32, kind: u32, target: u32): u32 {
  const record = hget(H_RECORDS_USED);
  hset(H_RECORDS_USED, record + 1);
  xset(record, R_SLOT, slot);
  xset(record, R_SEQ, seq);
  xset(record, R_KIND, kind);
  xset(record, R_TARGET, target);
  xset(record, R_NEXT, NIL);
  return record;
}

function setAdd(key: usize, keyBytes: u32, slot: u32, seq: u32): i32 {
  if (hget(H_RECORDS_USED) >= hget(H_RECORDS_MAX)) return ERR_ITEMS_FULL;
  if (findDot(slot, seq) != NIL) return 0; // this dot is here already (idempotent)
  if (dotProbe == 0) return ERR_ITEMS_FULL;  // dotProbe stays valid: only the dot table fills it
  const hash = hashBytes(key, keyBytes);
  let entry = findKey(key, keyBytes, hash);
  if (entry == NIL) {
    if (probeSlot == 0 || hget(H_ENTRIES_USED) >= hget(H_ENTRIES_MAX)) return ERR_ITEMS_FULL;
    if (bytesFree() < keyBytes) return ERR_CHARS_FULL;
    entry = addKey(key, keyBytes, hash);
    eset(entry, E_VALUE_AT, 0);   // live dots
    eset(entry, E_VALUE_BYTES, NIL); // first dot
  }
  const record = newRecord(slot, seq, KIND_ADD, entry);
  store<u32>(dotProbe, record + 1);
  markDirty(dotProbe);
  xset(record, R_NEXT, eget(entry, E_VALUE_BYTES));
  eset(entry, E_VALUE_BYTES, record);
  const live = eget(entry, E_VALUE_AT);
  eset(entry, E_VALUE_AT, live + 1);
  if (live == 0) hset(H_LIVE, hget(H_LIVE) + 1);
  return 0;
}

/** Marks an add record removed and records the removal as (slot, seq). */
function setRemoveDot(target: u32, slot: u32, seq: u32): i32 {
  if (hget(H_RECORDS_USED) >= hget(H_RECORDS_MAX)) return ERR_ITEMS_FULL;
  newRecord(slot, seq, KIND_REMOVE, target);
  const kind = xget(target, R_KIND);
  if ((kind & REMOVED) == 0) {
    xset(target, R_KIND, kind | REMOVED);
    const entry = xget(target, R_TARGET);
    const live = eget(entry, E_VALUE_AT) - 1;
    eset(entry, E_VALUE_AT, live);
    if (live == 0) hset(H_LIVE, hget(H_LIVE) - 1);
  }
  return 0;
}

// ── local ops ───────────────────────────────────────────────────────────────────────────────

export function crdtKeyedApplyOps(doc: i32, bytes: u32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  const io = ioBase();
  if (bytes > ioSize()) return ERR_BAD_ARGUMENT;
  readBegin(io, io + <usize>bytes);
  while (readPtr < readEnd) {
    const op = readU8();
    const keyBytes = readVar();
    const key = readPtr;
    if (readFailed || <usize>keyBytes > readEnd - readPtr) return ERR_MALFORMED;
    readPtr += <usize>keyBytes;
    let result: i32 = 0;
    if (!isSet) {
      let value: usize = 0, valueBytes: u32 = NIL;
      if (op == 1) {
        valueBytes = readVar();
        value = readPtr;
        if (readFailed || valueBytes == NIL || <usize>valueBytes > readEnd - readPtr) return ERR_MALFORMED;
        if (isJoin && valueBytes != 4) return ERR_BAD_ARGUMENT;
        readPtr += <usize>valueBytes;
      } else if (op != 2 || isJoin) return ERR_MALFORMED;
      if (op == 2) {
        const entry = findKey(key, keyBytes, hashBytes(key, keyBytes));
        if (entry == NIL || eget(entry, E_VALUE_BYTES) == NIL) continue; // nothing to delete
      }
      const seq = nextSeq(0);
      result = mapWrite(key, keyBytes, value, valueBytes, hget(H_MAX_LAMPORT) + 1, 0, seq);
      if (result == 0) setNextSeq(0, seq + 1);
    } else if (op == 1) {
      const seq = nextSeq(0);
      result = setAdd(key, keyBytes, 0, seq);
      if (result == 0) setNextSeq(0, seq + 1);
    } else if (op == 2) {
      const entry = findKey(key, keyBytes, hashBytes(key, keyBytes));
      if (entry == NIL) continue;
      const limit = hget(H_RECORDS_MAX);
      let record = eget(entry, E_VALUE_BYTES);
      for (let step: u32 = 0; record != NIL && step < limit && result == 0; step++) {
        if ((xget(record, R_KIND) & REMOVED) == 0) {
          const seq = nextSeq(0);
          result = setRemoveDot(record, 0, seq);
          if (result == 0) setNextSeq(0, seq + 1);
        }
        record = xget(record, R_NEXT);
      }
    } else {
      return ERR_MALFORMED;
    }
    if (result < 0) return result;
  }
  return 0;
}

// ── reads ───────────────────────────────────────────────────────────────────────────────────

export function crdtKeyedSize(doc: i32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  return <i32>hget(H_LIVE);
}

function isLive(entry: u32): bool {
  return isSet ? eget(entry, E_VALUE_AT) > 0 : eget(entry, E_VALUE_BYTES) != NIL;
}

export function crdtKeyedGet(doc: i32, keyBytes: u32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  if (keyBytes > ioSize()) return ERR_BAD_ARGUMENT;
  const io = ioBase();
  const entry = findKey(io, keyBytes, hashBytes(io, keyBytes));
  if (entry == NIL || !isLive(entry)) return -100;
  if (isSet) return 0;
  const valueBytes = eget(entry, E_VALUE_BYTES);
  if (valueBytes > ioSize()) return ERR_IO_FULL;
  memory.copy(io, AB + <usize>eget(entry, E_VALUE_AT), <usize>valueBytes);
  return <i32>valueBytes;
}

/** Order-independent hash: the sum of each live pair's FNV-1a hash, then the count. */
export function crdtKeyedHash(doc: i32): u64 {
  if (select(doc) < 0) return 0;
  let sum: u64 = 0;
  const used = hget(H_ENTRIES_USED);
  for (let entry: u32 = 0; entry < used; entry++) {
    if (!isLive(entry)) continue;
    let hash = HASH_SEED;
    const key = AB + <usize>eget(entry, E_KEY_AT);
    const keyBytes = eget(entry, E_KEY_BYTES);
    for (let i: u32 = 0; i < keyBytes; i++) hash = hashWord(hash, <u32>load<u8>(key + i));
    hash = hashWord(hash, 0x100); // separator outside the byte range
    if (!isSet) {
      const value = AB + <usize>eget(entry, E_VALUE_AT);
      const valueBytes = eget(entry, E_VALUE_BYTES);
      for (let i: u32 = 0; i < valueBytes; i++) hash = hashWord(hash, <u32>load<u8>(value + i));
    }
    sum += hash;
  }
  return hashWord(hashWord(HASH_SEED, <u32>sum) ^ (sum >> 32), hget(H_LIVE));
}

export function crdtKeyedRead(doc: i32, fromEntry: u32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  const used = hget(H_ENTRIES_USED);
  writeBegin(ioBase(), ioBase() + <usize>ioSize());
  let entry = fromEntry;
  for (; entry < used; entry++) {
    if (!isLive(entry)) continue;
    const mark = writePtr;
    const keyBytes = eget(entry, E_KEY_BYTES);
    writeVar(keyBytes);
    writeBytes(AB + <usize>eget(entry, E_KEY_AT), keyBytes);
    if (!isSet) {
      const valueBytes = eget(entry, E_VALUE_BYTES);
      writeVar(valueBytes);
      writeBytes(AB + <usize>eget(entry, E_VALUE_AT), valueBytes);
    }
    if (writeFailed) {
      writePtr = mark;
      if (entry == fromEntry) return ERR_IO_FULL;
      break;
    }
  }
  lastBytes = <u32>(writePtr - ioBase());
  return <i32>entry;
}

let lastBytes: u32 = 0;
export function crdtKeyedLastBytes(): u32 { return lastBytes; }

// ── state vector, encode, apply ─────────────────────────────────────────────────────────────

export function crdtKeyedStateVector(doc: i32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  return writeStateVector();
}

/**
 * Map item:  [replica index varint, seq varint, lamport-seq zigzag, keyLen, key, valueLen+1
 *             (0: tombstone), value]
 * Set add:   [replica index, seq, keyLen, key]
 * Set remove:[replica index, seq, target replica index, target seq]
 */
export function crdtKeyedEncode(doc: i32, svBytes: u32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  const remote = readRemoteStateVector(svBytes);
  if (remote < 0) return remote;
  beginEncoding(docKind);
  writeReplicaHeader();
  if (!isSet) {
    const used = hget(H_ENTRIES_USED);
    let count: u32 = 0;
    for (let entry: u32 = 0; entry < used; entry++) {
      const slot = eget(entry, E_SLOT);
      if (slot != NIL && eget(entry, E_SEQ) >= remoteSeq(slot)) count++;
    }
    writeVar(count);
    for (let entry: u32 = 0; entry < used && !writeFailed; entry++) {
      const slot = eget(entry, E_SLOT);
      const seq = eget(entry, E_SEQ);
      if (slot == NIL || seq < remoteSeq(slot)) continue;
      writeVar(indexOfSlot(slot));
      writeVar(seq);
      writeVar(zigzag(<i32>(eget(entry, E_LAMPORT) - seq)));
      const keyBytes = eget(entry, E_KEY_BYTES);
      writeVar(keyBytes);
      writeBytes(AB + <usize>eget(entry, E_KEY_AT), keyBytes);
      const valueBytes = eget(entry, E_VALUE_BYTES);
      if (valueBytes == NIL) { writeVar(0); } else {
        writeVar(valueBytes + 1);
        writeBytes(AB + <usize>eget(entry, E_VALUE_AT), valueBytes);
      }
    }
  } else {
    const used = hget(H_RECORDS_USED);
    let adds: u32 = 0, removes: u32 = 0;
    for (let record: u32 = 0; record < used; record++) {
      if (xget(record, R_SEQ) < remoteSeq(xget(record, R_SLOT))) continue;
      if ((xget(record, R_KIND) & 1) == KIND_ADD) adds++; else removes++;
    }
    writeVar(adds);
    for (let record: u32 = 0; record < used && !writeFailed; record++) {
      const slot = xget(record, R_SLOT), seq = xget(record, R_SEQ);
      if (seq < remoteSeq(slot) || (xget(record, R_KIND) & 1) != KIND_ADD) continue;
      writeVar(indexOfSlot(slot));
      writeVar(seq);
      const entry = xget(record, R_TARGET);
      const keyBytes = eget(entry, E_KEY_BYTES);
      writeVar(keyBytes);
      writeBytes(AB + <usize>eget(entry, E_KEY_AT), keyBytes);
    }
    writeVar(removes);
    for (let record: u32 = 0; record < used && !writeFailed; record++) {
      const slot = xget(record, R_SLOT), seq = xget(record, R_SEQ);
      if (seq < remoteSeq(slot) || (xget(record, R_KIND) & 1) != KIND_REMOVE) continue;
      const target = xget(record, R_TARGET);
      writeVar(indexOfSlot(slot));
      writeVar(seq);
      writeVar(indexOfSlot(xget(target, R_SLOT)));
      writeVar(xget(target, R_SEQ));
    }
  }
  if (writeFailed) return ERR_IO_FULL;
  return <i32>(writePtr - ioBase());
}

export function crdtKeyedApply(doc: i32, bytes: u32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  const begun = beginDecoding(bytes, docKind);
  if (begun < 0) return begun;
  const header = readReplicaHeader(slotOfNew);
  if (header < 0) return header;
  const replicas = <u32>header;
  for (let index: u32 = 0; index < replicas; index++) {
    store<u32>(HAD_OF_INDEX + (<usize>index << 2), nextSeq(slotOfIndex(index)));
  }
  // validate everything before changing anything; count capacity conservatively (every key
  // new) and only if that does not fit, precisely (keys not present yet)
  const start = readPtr;
  let result = applyBody(replicas, CHECK_QUICK);
  if (result == ERR_ITEMS_FULL || result == ERR_CHARS_FULL) {
    readBegin(start, readEnd);
    result = applyBody(replicas, CHECK_PRECISE);
  }
  if (result < 0) return result;
  readBegin(start, readEnd);
  const applied = applyBody(replicas, APPLY);
  if (applied < 0) return applied;
  advanceToHeader(replicas);
  return 0;
}

function slotOfNew(id: u32): u32 { return slotOf(id, true); }

const CHECK_QUICK: u32 = 0;
const CHECK_PRECISE: u32 = 1;
const APPLY: u32 = 2;

/** Walks the body; the CHECK modes only validate and check capacity. */
function applyBody(replicas: u32, mode: u32): i32 {
  const apply = mode == APPLY;
  let newKeys: u32 = 0, newBytes: u64 = 0, newRecords: u32 = 0;
  const sections: u32 = isSet ? 2 : 1;
  for (let section: u32 = 0; section < sections; section++) {
    const count = readVar();
    if (readFailed) return ERR_MALFORMED;
    if (section == 1 && apply) {
      // every remove must name an add dot that is here now (the adds are applied): check all
      // before removing any, so a bad delta changes nothing more
      const sectionStart = readPtr;
      for (let i: u32 = 0; i < count; i++) {
        const index = readVar(), seq = readVar(), targetIndex = readVar(), targetSeq = readVar();
        if (seq < hadOfIndex(index)) continue;
        const target = findDot(slotOfIndex(targetIndex), targetSeq);
        if (target == NIL || (xget(target, R_KIND) & 1) != KIND_ADD) return ERR_MALFORMED;
      }
      readPtr = sectionStart;
    }
    for (let i: u32 = 0; i < count; i++) {
      const index = readVar();
      const seq = readVar();
      if (readFailed || index >= replicas) return ERR_MALFORMED;
      const slot = slotOfIndex(index);
      if (seq < fromOfIndex(index) || seq >= toOfIndex(index)) return ERR_MALFORMED;
      const fresh = seq >= hadOfIndex(index);
      if (section == 1) {
        // set remove record
        const targetIndex = readVar(), targetSeq = readVar();
        if (readFailed || targetIndex >= replicas) return ERR_MALFORMED;
        if (!fresh) continue;
        newRecords++;
        if (apply) {
          const target = findDot(slotOfIndex(targetIndex), targetSeq);
          if (target == NIL) return ERR_MALFORMED;
          const result = setRemoveDot(target, slot, seq);
          if (result < 0) return result;
        }
        continue;
      }
      let lamport: u32 = 0;
      if (!isSet) lamport = seq + <u32>unzigzag(readVar());
      const keyBytes = readVar();
      const key = readPtr;
      if (readFailed || <usize>keyBytes > readEnd - readPtr) return ERR_MALFORMED;
      readPtr += <usize>keyBytes;
      let value: usize = 0, valueBytes: u32 = NIL;
      if (!isSet) {
        const stored = readVar();
        if (readFailed) return ERR_MALFORMED;
        if (stored > 0) {
          valueBytes = stored - 1;
          value = readPtr;
          if (<usize>valueBytes > readEnd - readPtr) return ERR_MALFORMED;
          readPtr += <usize>valueBytes;
        }
      }
      if (!fresh) continue;
      if (!apply) {
        newRecords++;
        if (mode == CHECK_PRECISE && findKey(key, keyBytes, hashBytes(key, keyBytes)) != NIL) {
          newBytes += valueBytes == NIL ? 0 : <u64>valueBytes;
          continue;
        }
        newKeys++;
        newBytes += <u64>keyBytes + (valueBytes == NIL ? 0 : <u64>valueBytes);
        continue;
      }
      const result = isSet ? setAdd(key, keyBytes, slot, seq) : mapWrite(key, keyBytes, value, valueBytes, lamport, slot, seq);
      if (result < 0) return result;
    }
  }
  if (!apply) {
    if (readPtr != readEnd) return ERR_MALFORMED;
    // conservative: as if every key were new
    if (<u64>hget(H_ENTRIES_USED) + <u64>newKeys > <u64>hget(H_ENTRIES_MAX)) return ERR_ITEMS_FULL;
    if (<u64>bytesFree() < newBytes) return ERR_CHARS_FULL;
    if (isSet && <u64>hget(H_RECORDS_USED) + <u64>newRecords > <u64>hget(H_RECORDS_MAX)) return ERR_ITEMS_FULL;
  }
  return 0;
}
