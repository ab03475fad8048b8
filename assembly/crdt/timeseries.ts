// Time series: append-only points (time, value), each replica appending to its own sequence.
// The state is the union of every replica's sequence; a delta carries the points past the
// receiver's seq for each replica, in order. Aggregates (count, sum, min, max) over a window
// [from, to) of time read the union, so they agree on every replica that saw the same points.
//
// ABI:
//   crdtSeriesCreate(replicaId, pointsMax) -> doc | error
//   crdtSeriesAppend(doc, timeLow, timeHigh, valueLow, valueHigh) -> 0 | error  (u64 time, i64 value)
//   crdtSeriesCount(doc) -> points
//   crdtSeriesAggregate(doc, fromLow, fromHigh, toLow, toHigh) -> points in window; writes
//        count, sum, min, max as 4 × i64 to IO (min/max 0 for an empty window)
//   crdtSeriesHash(doc) -> u64 (order independent: sum of per-point hashes)
//   crdtSeriesStateVector / crdtSeriesEncode(doc, svBytes) / crdtSeriesApply(doc, bytes): as text
//
// Region:
//
//   0        32               32 + 8·R            + 24·pointsMax
//   ├────────┼────────────────┼───────────────────┤
//   │ header │ replicas id|seq│ points            │  point: slot u32 | seq u32 | time u64 | value i64
//   └────────┴────────────────┴───────────────────┘
//   header: kind | pointsMax | pointsUsed | replica count

import { CRDT_REPLICAS_MAX } from "../constants";
import { markDirty, markDirtyRange } from "../memory/regions";
import {
  NIL, KIND_TIME_SERIES, CRDT_FORMAT_VERSION,
  ERR_BAD_DOC, ERR_WRONG_KIND, ERR_ITEMS_FULL, ERR_REPLICAS_FULL, ERR_IO_FULL, ERR_MALFORMED, ERR_NOT_READY,
  ERR_BAD_ARGUMENT, ERR_VERSION,
  createDoc, docBase, ioBase, ioSize, writeBegin, writeU8, writeVar, writeVar64, writePtr, writeFailed,
  readBegin, readU8, readVar, readVar64, readPtr, readEnd, readFailed, HASH_SEED, hashWord,
} from "./common";

const H_POINTS_MAX: usize = 4;
const H_POINTS_USED: usize = 8;
const H_REPLICA_COUNT: usize = 12;
const HEADER_BYTES: usize = 32;
const REPLICA_BYTES: usize = 8;
const POINT_BYTES: usize = 24;
const P_SLOT: usize = 0;
const P_SEQ: usize = 4;
const P_TIME: usize = 8;
const P_VALUE: usize = 16;

let D: usize = 0;
let RB: usize = 0;
let PB: usize = 0;

const SLOT_OF_INDEX: usize = memory.data(<i32>(CRDT_REPLICAS_MAX << 2), 16);
const FROM_OF_INDEX: usize = memory.data(<i32>(CRDT_REPLICAS_MAX << 2), 16);
const TO_OF_INDEX: usize = memory.data(<i32>(CRDT_REPLICAS_MAX << 2), 16);
const REMOTE_SEQ: usize = memory.data(<i32>(CRDT_REPLICAS_MAX << 2), 16);
const INDEX_OF_SLOT: usize = memory.data(<i32>(CRDT_REPLICAS_MAX << 2), 16);

// @ts-ignore: decorator
@inline function hget(offset: usize): u32 { return load<u32>(D + offset); }
// @ts-ignore: decorator
@inline function hset(offset: usize, value: u32): void { store<u32>(D + offset, value); markDirty(D + offset); }
// @ts-ignore: decorator
@inline function replicaId(slot: u32): u32 { return load<u32>(RB + <usize>slot * REPLICA_BYTES); }
// @ts-ignore: decorator
@inline function nextSeq(slot: u32): u32 { return load<u32>(RB + <usize>slot * REPLICA_BYTES, 4); }
// @ts-ignore: decorator
@inline function setNextSeq(slot: u32, value: u32): void { const a = RB + <usize>slot * REPLICA_BYTES + 4; store<u32>(a, value); markDirty(a); }
// @ts-ignore: decorator
@inline function pAddr(point: u32): usize { return PB + <usize>point * POINT_BYTES; }

function select(doc: i32): i32 {
  const base = docBase(doc);
  if (base == 0) return ERR_BAD_DOC;
  if (load<u32>(base) != KIND_TIME_SERIES) return ERR_WRONG_KIND;
  D = base;
  RB = base + HEADER_BYTES;
  PB = RB + <usize>CRDT_REPLICAS_MAX * REPLICA_BYTES;
  return 0;
}

function slotOf(id: u32, create: bool): u32 {
  const count = hget(H_REPLICA_COUNT);
  for (let slot: u32 = 0; slot < count; slot++) if (replicaId(slot) == id) return slot;
  if (!create || count >= CRDT_REPLICAS_MAX) return NIL;
  const a = RB + <usize>count * REPLICA_BYTES;
  store<u32>(a, id);
  store<u32>(a, 0, 4);
  markDirtyRange(a, REPLICA_BYTES);
  hset(H_REPLICA_COUNT, count + 1);
  return count;
}

export function crdtSeriesCreate(replicaId: u32, pointsMax: u32): i32 {
  if (pointsMax < 1 || pointsMax > (1 << 26)) return ERR_BAD_ARGUMENT;
  const doc = createDoc(KIND_TIME_SERIES, HEADER_BYTES + <usize>CRDT_REPLICAS_MAX * REPLICA_BYTES + <usize>pointsMax * POINT_BYTES);
  if (doc < 0) return doc;
  D = docBase(doc);
  hset(H_POINTS_MAX, pointsMax);
  select(doc);
  slotOf(replicaId, true);
  return doc;
}

function appendPoint(slot: u32, seq: u32, time: u64, value: i64): void {
  const point = hget(H_POINTS_USED);
  const a = pAddr(point);
  store<u32>(a + P_SLOT, slot);
  store<u32>(a + P_SEQ, seq);
  store<u64>(a + P_TIME, time);
  store<i64>(a + P_VALUE, value);
  markDirtyRange(a, POINT_BYTES);
  hset(H_POINTS_USED, point + 1);
  setNextSeq(slot, seq + 1);
}

export function crdtSeriesAppend(doc: i32, timeLow: u32, timeHigh: u32, valueLow: u32, valueHigh: u32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  if (hget(H_POINTS_USED) >= hget(H_POINTS_MAX)) return ERR_ITEMS_FULL;
  appendPoint(0, nextSeq(0), (<u64>timeHigh << 32) | <u64>timeLow, <i64>((<u64>valueHigh << 32) | <u64>valueLow));
  return 0;
}

export function crdtSeriesCount(doc: i32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  return <i32>hget(H_POINTS_USED);
}

export function crdtSeriesAggregate(doc: i32, fromLow: u32, fromHigh: u32, toLow: u32, toHigh: u32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  const from = (<u64>fromHigh << 32) | <u64>fromLow;
  const to = (<u64>toHigh << 32) | <u64>toLow;
  let count: i64 = 0, sum: i64 = 0, min: i64 = i64.MAX_VALUE, max: i64 = i64.MIN_VALUE;
  const used = hget(H_POINTS_USED);
  for (let point: u32 = 0; point < used; point++) {
    const time = load<u64>(pAddr(point) + P_TIME);
    if (time < from || time >= to) continue;
    const value = load<i64>(pAddr(point) + P_VALUE);
    count++;
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (count == 0) { min = 0; max = 0; }
  const io = ioBase();
  store<i64>(io, count);
  store<i64>(io, sum, 8);
  store<i64>(io, min, 16);
  store<i64>(io, max, 24);
  return <i32>count;
}

export function crdtSeriesHash(doc: i32): u64 {
  if (select(doc) < 0) return 0;
  let sum: u64 = 0;
  const used = hget(H_POINTS_USED);
  for (let point: u32 = 0; point < used; point++) {
    const time = load<u64>(pAddr(point) + P_TIME);
    const value = load<u64>(pAddr(point) + P_VALUE);
    let hash = hashWord(hashWord(HASH_SEED, <u32>time), <u32>(time >> 32));
    hash = hashWord(hashWord(hash, <u32>value), <u32>(value >> 32));
    sum += hash;
  }
  return hashWord(hashWord(HASH_SEED, <u32>sum) ^ (sum >> 32), used);
}

export function crdtSeriesStateVector(doc: i32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  writeBegin(ioBase(), ioBase() + <usize>ioSize());
  const count = hget(H_REPLICA_COUNT);
  let known: u32 = 0;
  for (let slot: u32 = 0; slot < count; slot++) if (nextSeq(slot) > 0) known++;
  writeVar(known);
  for (let slot: u32 = 0; slot < count; slot++) {
    if (nextSeq(slot) > 0) { writeVar(replicaId(slot)); writeVar(nextSeq(slot)); }
  }
  if (writeFailed) return ERR_IO_FULL;
  return <i32>(writePtr - ioBase());
}

/** Header as text; then points: [replica index, time varint64, value zigzag64] (seq implied). */
export function crdtSeriesEncode(doc: i32, svBytes: u32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  const io = ioBase();
  const replicas = hget(H_REPLICA_COUNT);
  for (let slot: u32 = 0; slot < replicas; slot++) store<u32>(REMOTE_SEQ + (<usize>slot << 2), 0);
  if (svBytes > 0) {
    if (svBytes > ioSize()) return ERR_BAD_ARGUMENT;
    readBegin(io, io + <usize>svBytes);
    const count = readVar();
    for (let i: u32 = 0; i < count && !readFailed; i++) {
      const id = readVar(), seq = readVar();
      const slot = slotOf(id, false);
      if (slot != NIL) store<u32>(REMOTE_SEQ + (<usize>slot << 2), seq < nextSeq(slot) ? seq : nextSeq(slot));
    }
    if (readFailed) return ERR_MALFORMED;
  }
  writeBegin(io, io + <usize>ioSize());
  writeU8(CRDT_FORMAT_VERSION);
  writeU8(KIND_TIME_SERIES);
  let listed: u32 = 0;
  for (let slot: u32 = 0; slot < replicas; slot++) if (nextSeq(slot) > 0) listed++;
  writeVar(listed);
  listed = 0;
  let points: u32 = 0;
  for (let slot: u32 = 0; slot < replicas; slot++) {
    if (nextSeq(slot) == 0) continue;
    store<u32>(INDEX_OF_SLOT + (<usize>slot << 2), listed++);
    const from = load<u32>(REMOTE_SEQ + (<usize>slot << 2));
    writeVar(replicaId(slot)); writeVar(from); writeVar(nextSeq(slot));
    points += nextSeq(slot) - from;
  }
  writeVar(points);
  // points are stored in arrival order, which per replica is seq order
  const used = hget(H_POINTS_USED);
  for (let point: u32 = 0; point < used && !writeFailed; point++) {
    const a = pAddr(point);
    const slot = load<u32>(a + P_SLOT);
    if (load<u32>(a + P_SEQ) < load<u32>(REMOTE_SEQ + (<usize>slot << 2))) continue;
    writeVar(load<u32>(INDEX_OF_SLOT + (<usize>slot << 2)));
    writeVar64(load<u64>(a + P_TIME));
    const value = load<i64>(a + P_VALUE);
    writeVar64(<u64>((value << 1) ^ (value >> 63)));
  }
  if (writeFailed) return ERR_IO_FULL;
  return <i32>(writePtr - io);
}

export function crdtSeriesApply(doc: i32, bytes: u32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  const io = ioBase();
  if (bytes > ioSize()) return ERR_BAD_ARGUMENT;
  readBegin(io, io + <usize>bytes);
  if (readU8() != <u32>CRDT_FORMAT_VERSION) return ERR_VERSION;
  if (readU8() != KIND_TIME_SERIES) return ERR_WRONG_KIND;
  const replicas = readVar();
  if (readFailed) return ERR_MALFORMED;
  if (replicas > CRDT_REPLICAS_MAX) return ERR_REPLICAS_FULL;
  let fresh: u64 = 0;
  for (let index: u32 = 0; index < replicas; index++) {
    const id = readVar(), from = readVar(), to = readVar();
    if (readFailed || from > to) return ERR_MALFORMED;
    let slot = slotOf(id, false);
    if (slot == NIL) {
      if (from > 0) return ERR_NOT_READY;
      slot = slotOf(id, true);
      if (slot == NIL) return ERR_REPLICAS_FULL;
    } else if (from > nextSeq(slot)) {
      return ERR_NOT_READY;
    }
    store<u32>(SLOT_OF_INDEX + (<usize>index << 2), slot);
    store<u32>(FROM_OF_INDEX + (<usize>index << 2), from);
    store<u32>(TO_OF_INDEX + (<usize>index << 2), to);
    if (to > nextSeq(slot)) fresh += <u64>(to - nextSeq(slot));
  }
  const points = readVar();
  if (readFailed) return ERR_MALFORMED;
  if (<u64>hget(H_POINTS_USED) + fresh > <u64>hget(H_POINTS_MAX)) return ERR_ITEMS_FULL;
  // validate: per replica the points must number exactly to - from
  const start = readPtr;
  for (let index: u32 = 0; index < replicas; index++) store<u32>(REMOTE_SEQ + (<usize>index << 2), load<u32>(FROM_OF_INDEX + (<usize>index << 2)));
  for (let i: u32 = 0; i < points; i++) {
    const index = readVar();
    readVar64(); readVar64();
    if (readFailed || index >= replicas) return ERR_MALFORMED;
    const at = REMOTE_SEQ + (<usize>index << 2);
    store<u32>(at, load<u32>(at) + 1);
  }
  if (readPtr != readEnd) return ERR_MALFORMED;
  for (let index: u32 = 0; index < replicas; index++) {
    if (load<u32>(REMOTE_SEQ + (<usize>index << 2)) != load<u32>(TO_OF_INDEX + (<usize>index << 2))) return ERR_MALFORMED;
    store<u32>(REMOTE_SEQ + (<usize>index << 2), load<u32>(FROM_OF_INDEX + (<usize>index << 2)));
  }
  readBegin(start, readEnd);
  for (let i: u32 = 0; i < points; i++) {
    const index = readVar();
    const time = readVar64();
    const zig = readVar64();
    const value = <i64>(zig >>> 1) ^ -(<i64>(zig & 1));
    const at = REMOTE_SEQ + (<usize>index << 2);
    const seq = load<u32>(at);
    store<u32>(at, seq + 1);
    const slot = load<u32>(SLOT_OF_INDEX + (<usize>index << 2));
    if (seq < nextSeq(slot)) continue; // already have it
    appendPoint(slot, seq, time, value);
  }
  return 0;
}
