// CRDT core, shared part: the replica table every doc kind keeps, and the three pieces of the
// delta protocol that only read or write that table: the state vector, the replica header of a
// state or delta (BINARY.md, "Common header"), and the remote state vector an encode starts from.
// text.ts, keyed.ts, counter.ts and timeseries.ts call these; what they encode after the header
// (items, writes, dots, rows, points) stays theirs.
//
// Replica table (in the doc's own region; its place, row size and count word are the kind's):
//
//   rowsBase          + rowBytes          + 2·rowBytes                  + CRDT_REPLICAS_MAX·rowBytes
//   ├─────────────────┼───────────────────┼───────────── ... ──────────┤
//   │ row, slot 0     │ row, slot 1       │                             │
//   └─────────────────┴───────────────────┴───────────── ... ──────────┘
//
//   row:  0         4          8                 rowBytes
//         ├─────────┼──────────┼─────────────────┤
//         │ id u32  │ nextSeq  │ the kind's own  │   text: dir | entries (16 B); keyed, series:
//         │         │ u32      │ words, if any   │   none (8 B); counter: p u64 | n u64 (24 B)
//         └─────────┴──────────┴─────────────────┘
//
//   count word (u32, in the doc header): rows in use. Slot 0 is the local replica; rows are
//   appended in the order replicas are first heard of and never removed (slot order is
//   deterministic, so encodings are too).
//
// Per-call scratch (static, not state: each entry point fills what it reads):
//
//   REMOTE_SEQ     [slot]   nextSeq of the remote replica, clamped to ours (encode)
//   INDEX_OF_SLOT  [slot]   index of the slot in the header being written (encode)
//   SLOT_OF_INDEX  [index]  local slot of the header's replica `index` (apply)
//   FROM_OF_INDEX  [index]  its `from`, TO_OF_INDEX [index] its `to` (apply)
//
// A kind selects its table at each entry point (`useReplicaTable`), like it selects its doc.

import { CRDT_REPLICAS_MAX } from "../constants";
import { markDirty, markDirtyRange } from "../memory/regions";
import {
  NIL, CRDT_FORMAT_VERSION, KIND_TEXT,
  ERR_REPLICAS_FULL, ERR_INDEX_FULL, ERR_IO_FULL, ERR_MALFORMED, ERR_NOT_READY, ERR_BAD_ARGUMENT,
  ERR_VERSION, ERR_WRONG_KIND,
  ioBase, ioSize, writeBegin, writeU8, writeVar, writePtr, writeFailed,
  readBegin, readU8, readVar, readFailed,
} from "./common";

const ROW_ID: usize = 0;
const ROW_NEXT_SEQ: usize = 4;
/** Every row has at least the id and nextSeq words. */
export const REPLICA_ROW_BYTES_MIN: usize = 8;
/** Entries a remote state vector may list (it names replicas we may not know, but not millions). */
export const STATE_VECTOR_ENTRIES_MAX: u32 = 1 << 20;

// The selected table.
let rowsBase: usize = 0;
let rowBytes: usize = 0;
let countAt: usize = 0;

const REMOTE_SEQ: usize = memory.data(<i32>(CRDT_REPLICAS_MAX << 2), 16);
const INDEX_OF_SLOT: usize = memory.data(<i32>(CRDT_REPLICAS_MAX << 2), 16);
const SLOT_OF_INDEX: usize = memory.data(<i32>(CRDT_REPLICAS_MAX << 2), 16);
const FROM_OF_INDEX: usize = memory.data(<i32>(CRDT_REPLICAS_MAX << 2), 16);
const TO_OF_INDEX: usize = memory.data(<i32>(CRDT_REPLICAS_MAX << 2), 16);

/** Selects the table the calls below work on: rows at `base`, `bytes` each, count word at `countAddr`. */
// @ts-ignore: decorator
@inline export function useReplicaTable(base: usize, bytes: usize, countAddr: usize): void {
  assert(bytes >= REPLICA_ROW_BYTES_MIN, "a replica row holds id and nextSeq");
  rowsBase = base;
  rowBytes = bytes;
  countAt = countAddr;
}

// ── rows ─────────────────────────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline export function replicaRow(slot: u32): usize { return rowsBase + <usize>slot * rowBytes; }
// @ts-ignore: decorator
@inline export function replicaCount(): u32 { return load<u32>(countAt); }
// @ts-ignore: decorator
@inline export function replicaId(slot: u32): u32 { return load<u32>(replicaRow(slot) + ROW_ID); }
// @ts-ignore: decorator
@inline export function nextSeq(slot: u32): u32 { return load<u32>(replicaRow(slot) + ROW_NEXT_SEQ); }
// @ts-ignore: decorator
@inline export function setNextSeq(slot: u32, value: u32): void {
  const at = replicaRow(slot) + ROW_NEXT_SEQ;
  store<u32>(at, value);
  markDirty(at);
}

/** Slot of a replica id, or NIL. */
export function findReplica(id: u32): u32 {
  const count = replicaCount();
  for (let slot: u32 = 0; slot < count; slot++) if (replicaId(slot) == id) return slot;
  return NIL;
}

/**
 * Appends a row for a replica not in the table (the caller looked): id, nextSeq 0; the kind's
 * own words stay as they are (zero: rows are never removed). NIL when the table is full.
 */
export function addReplica(id: u32): u32 {
  const count = replicaCount();
  if (count >= CRDT_REPLICAS_MAX) return NIL;
  const row = replicaRow(count);
  store<u32>(row + ROW_ID, id);
  store<u32>(row + ROW_NEXT_SEQ, 0);
  markDirtyRange(row, REPLICA_ROW_BYTES_MIN);
  store<u32>(countAt, count + 1);
  markDirty(countAt);
  return count;
}

/** Slot of a replica id, appending a row if it is new (the kinds whose rows need nothing more). */
export function slotOf(id: u32, create: bool): u32 {
  const slot = findReplica(id);
  return slot != NIL || !create ? slot : addReplica(id);
}

// ── state vector ─────────────────────────────────────────────────────────────────────────────

/** Writes `var count, count × (var id, var nextSeq)` of the replicas with nextSeq > 0 to IO. */
export function writeStateVector(): i32 {
  writeBegin(ioBase(), ioBase() + <usize>ioSize());
  const count = replicaCount();
  let known: u32 = 0;
  for (let slot: u32 = 0; slot < count; slot++) if (nextSeq(slot) > 0) known++;
  writeVar(known);
  for (let slot: u32 = 0; slot < count; slot++) {
    if (nextSeq(slot) > 0) { writeVar(replicaId(slot)); writeVar(nextSeq(slot)); }
  }
  if (writeFailed) return ERR_IO_FULL;
  return <i32>(writePtr - ioBase());
}

// ── encode: from the remote state vector to the replica header ──────────────────────────────

// @ts-ignore: decorator
@inline export function remoteSeq(slot: u32): u32 { return load<u32>(REMOTE_SEQ + (<usize>slot << 2)); }
// @ts-ignore: decorator
@inline export function setRemoteSeq(slot: u32, seq: u32): void { store<u32>(REMOTE_SEQ + (<usize>slot << 2), seq); }
// @ts-ignore: decorator
@inline export function indexOfSlot(slot: u32): u32 { return load<u32>(INDEX_OF_SLOT + (<usize>slot << 2)); }

/**
 * Reads the remote state vector in IO[0, svBytes) (svBytes = 0: an empty one, for a full state)
 * into remoteSeq(slot), each clamped to our own nextSeq; replicas we do not know are skipped.
 */
export function readRemoteStateVector(svBytes: u32): i32 {
  const count = replicaCount();
  for (let slot: u32 = 0; slot < count; slot++) store<u32>(REMOTE_SEQ + (<usize>slot << 2), 0);
  if (svBytes == 0) return 0;
  if (svBytes > ioSize()) return ERR_BAD_ARGUMENT;
  const io = ioBase();
  readBegin(io, io + <usize>svBytes);
  const entries = readVar();
  if (entries > STATE_VECTOR_ENTRIES_MAX) return ERR_MALFORMED;
  for (let i: u32 = 0; i < entries && !readFailed; i++) {
    const id = readVar(), seq = readVar();
    const slot = findReplica(id);
    if (slot != NIL) store<u32>(REMOTE_SEQ + (<usize>slot << 2), seq < nextSeq(slot) ? seq : nextSeq(slot));
  }
  if (readFailed) return ERR_MALFORMED;
  return 0;
}

/** Starts an encoding in IO: version and kind bytes. */
export function beginEncoding(kind: u32): void {
  writeBegin(ioBase(), ioBase() + <usize>ioSize());
  writeU8(CRDT_FORMAT_VERSION);
  writeU8(kind);
}

/**
 * Writes the replica header `var replicas, replicas × (var id, var from, var to)` of the
 * replicas with changes (from = remoteSeq, to = nextSeq) and numbers them for indexOfSlot.
 */
export function writeReplicaHeader(): void {
  const count = replicaCount();
  let listed: u32 = 0;
  for (let slot: u32 = 0; slot < count; slot++) if (nextSeq(slot) > 0) listed++;
  writeVar(listed);
  listed = 0;
  for (let slot: u32 = 0; slot < count; slot++) {
    if (nextSeq(slot) == 0) continue;
    store<u32>(INDEX_OF_SLOT + (<usize>slot << 2), listed++);
    writeVar(replicaId(slot)); writeVar(remoteSeq(slot)); writeVar(nextSeq(slot));
  }
}

// ── apply: from the bytes to the replica header's slots ─────────────────────────────────────

// @ts-ignore: decorator
@inline export function slotOfIndex(index: u32): u32 { return load<u32>(SLOT_OF_INDEX + (<usize>index << 2)); }
// @ts-ignore: decorator
@inline export function fromOfIndex(index: u32): u32 { return load<u32>(FROM_OF_INDEX + (<usize>index << 2)); }
// @ts-ignore: decorator
@inline export function toOfIndex(index: u32): u32 { return load<u32>(TO_OF_INDEX + (<usize>index << 2)); }

/** Starts decoding IO[0, bytes): checks the size, the version and the kind bytes. */
export function beginDecoding(bytes: u32, kind: u32): i32 {
  const io = ioBase();
  if (bytes > ioSize()) return ERR_BAD_ARGUMENT;
  readBegin(io, io + <usize>bytes);
  decodedVersion = readU8();
  if (decodedVersion != <u32>CRDT_FORMAT_VERSION && !(kind == KIND_TEXT && decodedVersion == <u32>CRDT_TEXT_COLLECTED_VERSION)) return ERR_VERSION;
  if (readU8() != kind) return ERR_WRONG_KIND;
  return 0;
}

/** Text encodings of a doc that collected tombstones (BINARY.md, version 3): version 1 whose
 * replicas' seqs may have gaps (collected chars) and whose origins may name them. */
export const CRDT_TEXT_COLLECTED_VERSION: u8 = 3;
/** The version byte of the encoding beginDecoding last read. */
export let decodedVersion: u32 = 0;

/**
 * Reads the replica header and maps each listed replica to a local slot, adding a row (with
 * `addRow`, the kind's) for a new one. Returns the replica count, or NOT_READY when the delta
 * builds on operations we lack (from > our nextSeq), or another error. New rows stay even when
 * it fails (they carry nextSeq 0: nothing is claimed).
 */
export function readReplicaHeader(addRow: (id: u32) => u32): i32 {
  const replicas = readVar();
  if (readFailed) return ERR_MALFORMED;
  if (replicas > CRDT_REPLICAS_MAX) return ERR_REPLICAS_FULL;
  for (let index: u32 = 0; index < replicas; index++) {
    const id = readVar(), from = readVar(), to = readVar();
    if (readFailed || from > to) return ERR_MALFORMED;
    let slot = findReplica(id);
    if (slot == NIL) {
      if (from > 0) return ERR_NOT_READY;
      slot = addRow(id);
      // a kind's row may need more than the table (text: an index block)
      if (slot == NIL) return replicaCount() >= CRDT_REPLICAS_MAX ? ERR_REPLICAS_FULL : ERR_INDEX_FULL;
    } else if (from > nextSeq(slot)) {
      return ERR_NOT_READY;
    }
    store<u32>(SLOT_OF_INDEX + (<usize>index << 2), slot);
    store<u32>(FROM_OF_INDEX + (<usize>index << 2), from);
    store<u32>(TO_OF_INDEX + (<usize>index << 2), to);
  }
  return <i32>replicas;
}

/** After a delta applied: each listed replica's nextSeq becomes at least its `to`. */
export function advanceToHeader(replicas: u32): void {
  for (let index: u32 = 0; index < replicas; index++) {
    const slot = slotOfIndex(index);
    const to = toOfIndex(index);
    if (to > nextSeq(slot)) setNextSeq(slot, to);
  }
}
