// Counters: PN-counter (a G-counter is one that is never decremented; the TS side refuses
// decrements for it). Each replica owns one row: the totals it added (p) and subtracted (n)
// and how many operations it made (seq). Rows only grow, so merge takes, per replica, the row
// with the larger seq; a delta carries the rows whose seq the receiver has not reached.
//
// ABI:
//   crdtCounterCreate(replicaId) -> doc | error
//   crdtCounterAdd(doc, amountLow, amountHigh, negative) -> 0 | error   (u64 amount as 2 × u32)
//   crdtCounterValue(doc) -> i64     crdtCounterHash(doc) -> u64
//   crdtCounterStateVector / crdtCounterEncode(doc, svBytes) / crdtCounterApply(doc, bytes): as text
//
// Region:
//
//   0        16                     16 + 24·CRDT_REPLICAS_MAX
//   ├────────┼──────────────────────┤
//   │ header │ rows: id u32 | seq u32 | p u64 | n u64
//   └────────┴──────────────────────┘
//   header: kind | replica count
//   The rows are the doc's replica table (replicas.ts): seq is the row's nextSeq.

import { CRDT_REPLICAS_MAX } from "../constants";
import { markDirtyRange } from "../memory/regions";
import {
  NIL, KIND_COUNTER,
  ERR_BAD_DOC, ERR_WRONG_KIND, ERR_REPLICAS_FULL, ERR_IO_FULL, ERR_MALFORMED, ERR_BAD_ARGUMENT,
  createDoc, docBase, writeVar, writeVar64, writePtr, writeFailed, ioBase,
  readBegin, readVar, readVar64, readPtr, readEnd, readFailed, HASH_SEED, hashWord,
} from "./common";
import {
  useReplicaTable, replicaRow, replicaCount, remoteSeq, slotOf, writeStateVector, readRemoteStateVector,
  beginEncoding, beginDecoding,
} from "./replicas";

const H_COUNT: usize = 4;
const HEADER_BYTES: usize = 16;
const ROW_BYTES: usize = 24;
const ROW_ID: usize = 0;
const ROW_SEQ: usize = 4;
const ROW_P: usize = 8;
const ROW_N: usize = 16;

function select(doc: i32): i32 {
  const base = docBase(doc);
  if (base == 0) return ERR_BAD_DOC;
  if (load<u32>(base) != KIND_COUNTER) return ERR_WRONG_KIND;
  useReplicaTable(base + HEADER_BYTES, ROW_BYTES, base + H_COUNT);
  return 0;
}

export function crdtCounterCreate(replicaId: u32): i32 {
  const doc = createDoc(KIND_COUNTER, HEADER_BYTES + <usize>CRDT_REPLICAS_MAX * ROW_BYTES);
  if (doc < 0) return doc;
  select(doc);
  slotOf(replicaId, true);
  return doc;
}

export function crdtCounterAdd(doc: i32, amountLow: u32, amountHigh: u32, negative: u32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  const amount = (<u64>amountHigh << 32) | <u64>amountLow;
  const at = replicaRow(0) + (negative != 0 ? ROW_N : ROW_P);
  const total = load<u64>(at) + amount;
  if (total < amount) return ERR_BAD_ARGUMENT; // would wrap past 2^64
  store<u64>(at, total);
  store<u32>(replicaRow(0) + ROW_SEQ, load<u32>(replicaRow(0) + ROW_SEQ) + 1);
  markDirtyRange(replicaRow(0), ROW_BYTES);
  return 0;
}

export function crdtCounterValue(doc: i32): i64 {
  if (select(doc) < 0) return 0;
  let value: i64 = 0;
  const count = replicaCount();
  for (let slot: u32 = 0; slot < count; slot++) value += <i64>(load<u64>(replicaRow(slot) + ROW_P) - load<u64>(replicaRow(slot) + ROW_N));
  return value;
}

export function crdtCounterHash(doc: i32): u64 {
  const value = <u64>crdtCounterValue(doc);
  return hashWord(hashWord(HASH_SEED, <u32>value), <u32>(value >> 32));
}

export function crdtCounterStateVector(doc: i32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  return writeStateVector();
}

/** [version, kind, rows varint, (id, seq, p varint64, n varint64) × rows]: rows newer than sv. */
export function crdtCounterEncode(doc: i32, svBytes: u32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  const remote = readRemoteStateVector(svBytes);
  if (remote < 0) return remote;
  const count = replicaCount();
  let rows: u32 = 0;
  for (let slot: u32 = 0; slot < count; slot++) {
    if (load<u32>(replicaRow(slot) + ROW_SEQ) > remoteSeq(slot)) rows++;
  }
  beginEncoding(KIND_COUNTER);
  writeVar(rows);
  for (let slot: u32 = 0; slot < count; slot++) {
    const at = replicaRow(slot);
    if (load<u32>(at + ROW_SEQ) <= remoteSeq(slot)) continue;
    writeVar(load<u32>(at + ROW_ID));
    writeVar(load<u32>(at + ROW_SEQ));
    writeVar64(load<u64>(at + ROW_P));
    writeVar64(load<u64>(at + ROW_N));
  }
  if (writeFailed) return ERR_IO_FULL;
  return <i32>(writePtr - ioBase());
}

export function crdtCounterApply(doc: i32, bytes: u32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  const begun = beginDecoding(bytes, KIND_COUNTER);
  if (begun < 0) return begun;
  const rows = readVar();
  if (readFailed || rows > CRDT_REPLICAS_MAX) return ERR_MALFORMED;
  // validate, and check the replica table has room, before changing anything
  const start = readPtr;
  let unknown: u32 = 0;
  for (let i: u32 = 0; i < rows; i++) {
    const id = readVar();
    readVar(); readVar64(); readVar64();
    if (slotOf(id, false) == NIL) unknown++;
  }
  if (readFailed || readPtr != readEnd) return ERR_MALFORMED;
  if (replicaCount() + unknown > CRDT_REPLICAS_MAX) return ERR_REPLICAS_FULL;
  readBegin(start, readEnd);
  for (let i: u32 = 0; i < rows; i++) {
    const id = readVar(), seq = readVar(), p = readVar64(), n = readVar64();
    const slot = slotOf(id, true);
    const at = replicaRow(slot);
    if (seq > load<u32>(at + ROW_SEQ)) {
      store<u32>(at + ROW_SEQ, seq);
      store<u64>(at + ROW_P, p);
      store<u64>(at + ROW_N, n);
      markDirtyRange(at, ROW_BYTES);
    }
  }
  return 0;
}
