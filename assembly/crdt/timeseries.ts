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
  KIND_TIME_SERIES,
  ERR_BAD_DOC, ERR_WRONG_KIND, ERR_ITEMS_FULL, ERR_IO_FULL, ERR_MALFORMED, ERR_BAD_ARGUMENT,
  createDoc, docBase, ioBase, writeVar, writeVar64, writePtr, writeFailed,
  readBegin, readVar, readVar64, readPtr, readEnd, readFailed, HASH_SEED, hashWord,
} from "./common";
import {
  useReplicaTable, nextSeq, setNextSeq, remoteSeq, indexOfSlot, slotOf, slotOfIndex, fromOfIndex, toOfIndex,
  writeStateVector, readRemoteStateVector, beginEncoding, writeReplicaHeader, beginDecoding, readReplicaHeader,
} from "./replicas";

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
let PB: usize = 0;

// Per-call scratch of apply: the seq of the next point of each header replica.
const NEXT_SEQ_OF_INDEX: usize = memory.data(<i32>(CRDT_REPLICAS_MAX << 2), 16);

// @ts-ignore: decorator
@inline function hget(offset: usize): u32 { return load<u32>(D + offset); }
// @ts-ignore: decorator
@inline function hset(offset: usize, value: u32): void { store<u32>(D + offset, value); markDirty(D + offset); }
// @ts-ignore: decorator
@inline function pAddr(point: u32): usize { return PB + <usize>point * POINT_BYTES; }

function select(doc: i32): i32 {
  const base = docBase(doc);
  if (base == 0) return ERR_BAD_DOC;
  if (load<u32>(base) != KIND_TIME_SERIES) return ERR_WRONG_KIND;
  D = base;
  useReplicaTable(base + HEADER_BYTES, REPLICA_BYTES, base + H_REPLICA_COUNT);
  PB = base + HEADER_BYTES + <usize>CRDT_REPLICAS_MAX * REPLICA_BYTES;
  return 0;
}

export function crdtSeriesCreate(replicaId: u32, pointsMax: u32): i32 {
  if (pointsMax < 1 || pointsMax > (1 << 26)) return ERR_BAD_ARGUMENT;
  const doc = createDoc(KIND_TIME_SERIES, HEADER_BYTES + <usize>CRDT_REPLICAS_MAX * REPLICA_BYTES + <usize>pointsMax * POINT_BYTES);
  if (doc < 0) return doc;
  select(doc);
  hset(H_POINTS_MAX, pointsMax);
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
  return writeStateVector();
}

/** Header as text; then points: [replica index, time varint64, value zigzag64] (seq implied). */
export function crdtSeriesEncode(doc: i32, svBytes: u32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  const remote = readRemoteStateVector(svBytes);
  if (remote < 0) return remote;
  beginEncoding(KIND_TIME_SERIES);
  writeReplicaHeader();
  const replicas = hget(H_REPLICA_COUNT);
  let points: u32 = 0;
  for (let slot: u32 = 0; slot < replicas; slot++) points += nextSeq(slot) - remoteSeq(slot);
  writeVar(points);
  // points are stored in arrival order, which per replica is seq order
  const used = hget(H_POINTS_USED);
  for (let point: u32 = 0; point < used && !writeFailed; point++) {
    const a = pAddr(point);
    const slot = load<u32>(a + P_SLOT);
    if (load<u32>(a + P_SEQ) < remoteSeq(slot)) continue;
    writeVar(indexOfSlot(slot));
    writeVar64(load<u64>(a + P_TIME));
    const value = load<i64>(a + P_VALUE);
    writeVar64(<u64>((value << 1) ^ (value >> 63)));
  }
  if (writeFailed) return ERR_IO_FULL;
  return <i32>(writePtr - ioBase());
}

export function crdtSeriesApply(doc: i32, bytes: u32): i32 {
  const selected = select(doc);
  if (selected < 0) return selected;
  const begun = beginDecoding(bytes, KIND_TIME_SERIES);
  if (begun < 0) return begun;
  const header = readReplicaHeader(slotOfNew);
  if (header < 0) return header;
  const replicas = <u32>header;
  let fresh: u64 = 0;
  for (let index: u32 = 0; index < replicas; index++) {
    const to = toOfIndex(index), had = nextSeq(slotOfIndex(index));
    if (to > had) fresh += <u64>(to - had);
  }
  const points = readVar();
  if (readFailed) return ERR_MALFORMED;
  if (<u64>hget(H_POINTS_USED) + fresh > <u64>hget(H_POINTS_MAX)) return ERR_ITEMS_FULL;
  // validate: per replica the points must number exactly to - from
  const start = readPtr;
  for (let index: u32 = 0; index < replicas; index++) store<u32>(NEXT_SEQ_OF_INDEX + (<usize>index << 2), fromOfIndex(index));
  for (let i: u32 = 0; i < points; i++) {
    const index = readVar();
    readVar64(); readVar64();
    if (readFailed || index >= replicas) return ERR_MALFORMED;
    const at = NEXT_SEQ_OF_INDEX + (<usize>index << 2);
    store<u32>(at, load<u32>(at) + 1);
  }
  if (readPtr != readEnd) return ERR_MALFORMED;
  for (let index: u32 = 0; index < replicas; index++) {
    if (load<u32>(NEXT_SEQ_OF_INDEX + (<usize>index << 2)) != toOfIndex(index)) return ERR_MALFORMED;
    store<u32>(NEXT_SEQ_OF_INDEX + (<usize>index << 2), fromOfIndex(index));
  }
  readBegin(start, readEnd);
  for (let i: u32 = 0; i < points; i++) {
    const index = readVar();
    const time = readVar64();
    const zig = readVar64();
    const value = <i64>(zig >>> 1) ^ -(<i64>(zig & 1));
    const at = NEXT_SEQ_OF_INDEX + (<usize>index << 2);
    const seq = load<u32>(at);
    store<u32>(at, seq + 1);
    const slot = slotOfIndex(index);
    if (seq < nextSeq(slot)) continue; // already have it
    appendPoint(slot, seq, time, value);
  }
  return 0;
}

function slotOfNew(id: u32): u32 { return slotOf(id, true); }
