// Scheduler state: one region, reserved by schedConfigure, holding every node's scheduler.
// This file owns the layout (offsets, sizes, named accessors); queues.ts and sched.ts own the
// behaviour. Every change marks its page dirty (rules below) so the kernel can snapshot
// incrementally.
//
// Region (reserved once, page aligned; nothing is allocated after it):
//
//   schedBase
//   ├────────┬───────────────────┬──────────────────────────┬──────────────────────────┬─────────────────────────┤
//   │ header │ node records      │ process tables           │ fair queues              │ fair queue slots        │
//   │ 512 B  │ nodeCount × 512 B │ nodeCount × procs × 64 B │ nodeCount × procs × 16 B │ nodeCount × procs × 4 B │
//   └────────┴───────────────────┴──────────────────────────┴──────────────────────────┴─────────────────────────┘
//   (procs = procsPerNode)
//
// Header:
//   byte 0        4           8              12                              512
//        ├────────┼───────────┼──────────────┼────────────────────────────────┤
//        │ magic  │ nodeCount │ procsPerNode │ reserved (zero)                 │
//
// Node record (NODE_BYTES = 512):
//   byte   0 policy u32        4 queuedCount u32     8 procCount u32      12 runningPid u32
//         16 clockTicks u64   24 quantumTicks u32   28 agingTicks u32
//         32 levelBitmap u64  (bit l set <=> FIFO list l non-empty; round-robin uses list 0)
//         40 minVruntime u64  (fair: monotonic floor of the runnable vruntimes)
//         48 totalWeight u64  (weights of every queued and running process)
//         56 keySum i64       (EEVDF: Σ weight · (vruntime - zeroVruntime), keys kept relative)
//         64 zeroVruntime u64 (EEVDF: the origin of the relative keys, moved to the average)
//         72 treapRoot u32    76 lastPid u32        80 lastReason u32   84 lastSliceTicks u32
//         88 lastValue u64    96 pickCount u64      104..127 reserved
//        128 levelHead[40] u32
//        288 levelTail[40] u32                      448..511 reserved
//
// Process record (PROC_BYTES = 64), slot index = pid:
//   byte   0 state u8   1 nice i8   2 baseLevel u8   3 level u8 (list it is queued in)
//          4 weight u32 (Linux sched_prio_to_weight[nice + 20])
//          8 vruntime u64 (virtual runtime, scaled: a nice-0 tick adds 1 << 10)
//         16 deadline u64 (EEVDF virtual deadline while on the run queue; saved lag i64 while blocked)
//         24 next u32   (FIFO lists: next;  EEVDF treap: left child)
//         28 prev u32   (FIFO lists: prev;  EEVDF treap: right child)
//         32 reserved u32
//         36 reserved   40 enqueuedAt u64 (node clock when it last joined a queue)
//         48 minVruntime u64 (EEVDF treap: least vruntime in this subtree)   56 reserved
//
// Fair queue entry (FAIR_ENTRY_BYTES = 16), a binary min-heap with the key inline:
//   byte 0 key u64 (vruntime)   8 pid u32   12 reserved
// Fair queue slot (FAIR_SLOT_BYTES = 4), index = pid: where that pid's entry sits in the heap, so
// any process can leave in O(log n). A dense array, not a field of the 64-byte process record,
// because every heap move updates one: it keeps those writes within a few cache lines and pages.

import { markDirty, dirtyBitmapPtr } from "../memory/regions";
import { SNAPSHOT_PAGE_BITS } from "../constants";

/**
 * Marks addr's page dirty, reading the bitmap word first and storing only when the bit is not yet
 * set: the hot paths mark the same few pages over and over, and a load that finds the bit set is
 * cheaper than a read-modify-write chained through memory to the previous one.
 */
// @ts-ignore: decorator
@inline export function markPage(addr: usize): void {
  const page = <u32>(addr >> SNAPSHOT_PAGE_BITS);
  const word = dirtyBitmapPtr() + ((<usize>(page >> 5)) << 2);
  const bits = load<u32>(word);
  const bit: u32 = 1 << (page & 31);
  if ((bits & bit) == 0) store<u32>(word, bits | bit);
}

export const SCHED_MAGIC: u32 = 0x53434844; // "SCHD"
export const HEADER_BYTES: usize = 512; // keeps every node record inside one page
export const NODE_BYTES: usize = 512;
export const PROC_BYTES: usize = 64;
export const FAIR_ENTRY_BYTES: usize = 16;
export const FAIR_SLOT_BYTES: usize = 4;
export const NONE: u32 = 0xffffffff;

// Process states.
export const STATE_FREE: u8 = 0;
export const STATE_RUNNABLE: u8 = 1; // queued in the active policy's structure
export const STATE_RUNNING: u8 = 2;  // picked; out of the queue; at most one per node
export const STATE_BLOCKED: u8 = 3;

// Policies.
export const POLICY_ROUND_ROBIN: u32 = 0;
export const POLICY_PRIORITY: u32 = 1;
export const POLICY_FAIR: u32 = 2;
export const POLICY_EEVDF: u32 = 3;
export const POLICY_COUNT: u32 = 4;

// Pick reasons (what the UI says about a decision, with the deciding value).
export const REASON_NONE: u32 = 0;
export const REASON_IDLE: u32 = 1;                 // nothing runnable
export const REASON_NEXT_IN_RING: u32 = 2;         // value: ticks it waited in the ring
export const REASON_HIGHEST_LEVEL: u32 = 3;        // value: the level (nice + 20)
export const REASON_AGED: u32 = 4;                 // value: ticks it waited (aging lifted it)
export const REASON_LOWEST_VRUNTIME: u32 = 5;      // value: vruntime in nice-0 ticks
export const REASON_EARLIEST_ELIGIBLE_DEADLINE: u32 = 6; // value: virtual deadline in nice-0 ticks

// Virtual time: a tick run at weight w adds (1 << VRUNTIME_SHIFT) / w; nice 0 (1024) adds 1 << 10.
export const VRUNTIME_SHIFT: u64 = 20;
export const NICE_0_WEIGHT: u32 = 1024;

// Linux kernel/sched/core.c sched_prio_to_weight, nice -20 .. 19.
export const WEIGHTS: usize = memory.data<u32>([
  88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
  9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277,
  1024, 820, 655, 526, 423, 335, 272, 215, 172, 137,
  110, 87, 70, 56, 45, 36, 29, 23, 18, 15,
]);

// @ts-ignore: decorator
@inline export function weightOfLevel(level: u32): u32 { return load<u32>(WEIGHTS + ((<usize>level) << 2)); }

// ── Where things are (set by schedConfigure; the same configuration gives the same addresses) ──
export let schedBase: usize = 0;
export let nodesBase: usize = 0;
export let procsBase: usize = 0;
export let fairBase: usize = 0;
export let fairSlotsBase: usize = 0;
export let nodeCountCached: u32 = 0;
export let procsPerNodeCached: u32 = 0;

export function setBases(base: usize, nodeCount: u32, procsPerNode: u32): void {
  schedBase = base;
  nodeCountCached = nodeCount;
  procsPerNodeCached = procsPerNode;
  nodesBase = base + HEADER_BYTES;
  procsBase = nodesBase + (<usize>nodeCount) * NODE_BYTES;
  fairBase = procsBase + (<usize>nodeCount) * (<usize>procsPerNode) * PROC_BYTES;
  fairSlotsBase = fairBase + (<usize>nodeCount) * (<usize>procsPerNode) * FAIR_ENTRY_BYTES;
}

export function regionBytes(nodeCount: u32, procsPerNode: u32): usize {
  return HEADER_BYTES + (<usize>nodeCount) * NODE_BYTES
    + (<usize>nodeCount) * (<usize>procsPerNode) * (PROC_BYTES + FAIR_ENTRY_BYTES + FAIR_SLOT_BYTES);
}

// @ts-ignore: decorator
@inline export function nodeAt(node: u32): usize { return nodesBase + (<usize>node) * NODE_BYTES; }
// @ts-ignore: decorator
@inline export function procTableOf(node: u32): usize { return procsBase + (<usize>node) * (<usize>procsPerNodeCached) * PROC_BYTES; }
// @ts-ignore: decorator
@inline export function fairQueueOf(node: u32): usize { return fairBase + (<usize>node) * (<usize>procsPerNodeCached) * FAIR_ENTRY_BYTES; }
// @ts-ignore: decorator
@inline export function fairSlotsOf(node: u32): usize { return fairSlotsBase + (<usize>node) * (<usize>procsPerNodeCached) * FAIR_SLOT_BYTES; }
// @ts-ignore: decorator
@inline export function procAt(table: usize, pid: u32): usize { return table + (<usize>pid) * PROC_BYTES; }

// ── Header ──
// @ts-ignore: decorator
@inline export function getMagic(): u32 { return load<u32>(schedBase, 0); }
// @ts-ignore: decorator
@inline export function getHeaderNodeCount(): u32 { return load<u32>(schedBase, 4); }
// @ts-ignore: decorator
@inline export function getHeaderProcsPerNode(): u32 { return load<u32>(schedBase, 8); }
export function setHeader(nodeCount: u32, procsPerNode: u32): void {
  store<u32>(schedBase, SCHED_MAGIC, 0);
  store<u32>(schedBase, nodeCount, 4);
  store<u32>(schedBase, procsPerNode, 8);
  markDirty(schedBase);
}

// Dirty pages: node and process records never straddle a page (512-byte and 64-byte records at
// offsets that are multiples of their size in a page-aligned region), so their setters do not
// mark; every entry point (and the batch, once per run of hot commands on a node) marks the node
// record it changes (touchNode) and every function that changes a process record marks that
// record once (touchProc). Fair-queue entries and slots mark on store (markPage).
// @ts-ignore: decorator
@inline export function touchNode(n: usize): void { markPage(n); }
// @ts-ignore: decorator
@inline export function touchProc(p: usize): void { markPage(p); }

// ── Node record ──
// @ts-ignore: decorator
@inline export function getPolicy(n: usize): u32 { return load<u32>(n, 0); }
// @ts-ignore: decorator
@inline export function setPolicyField(n: usize, v: u32): void { store<u32>(n, v, 0); }
// @ts-ignore: decorator
@inline export function getQueuedCount(n: usize): u32 { return load<u32>(n, 4); }
// @ts-ignore: decorator
@inline export function setQueuedCount(n: usize, v: u32): void { store<u32>(n, v, 4); }
// @ts-ignore: decorator
@inline export function getProcCount(n: usize): u32 { return load<u32>(n, 8); }
// @ts-ignore: decorator
@inline export function setProcCount(n: usize, v: u32): void { store<u32>(n, v, 8); }
// @ts-ignore: decorator
@inline export function getRunningPid(n: usize): u32 { return load<u32>(n, 12); }
// @ts-ignore: decorator
@inline export function setRunningPid(n: usize, v: u32): void { store<u32>(n, v, 12); }
// @ts-ignore: decorator
@inline export function getClockTicks(n: usize): u64 { return load<u64>(n, 16); }
// @ts-ignore: decorator
@inline export function setClockTicks(n: usize, v: u64): void { store<u64>(n, v, 16); }
// @ts-ignore: decorator
@inline export function getQuantumTicks(n: usize): u32 { return load<u32>(n, 24); }
// @ts-ignore: decorator
@inline export function setQuantumTicks(n: usize, v: u32): void { store<u32>(n, v, 24); }
// @ts-ignore: decorator
@inline export function getAgingTicks(n: usize): u32 { return load<u32>(n, 28); }
// @ts-ignore: decorator
@inline export function setAgingTicks(n: usize, v: u32): void { store<u32>(n, v, 28); }
// @ts-ignore: decorator
@inline export function getLevelBitmap(n: usize): u64 { return load<u64>(n, 32); }
// @ts-ignore: decorator
@inline export function setLevelBitmap(n: usize, v: u64): void { store<u64>(n, v, 32); }
// @ts-ignore: decorator
@inline export function getMinVruntime(n: usize): u64 { return load<u64>(n, 40); }
// @ts-ignore: decorator
@inline export function setMinVruntime(n: usize, v: u64): void { store<u64>(n, v, 40); }
// @ts-ignore: decorator
@inline export function getTotalWeight(n: usize): u64 { return load<u64>(n, 48); }
// @ts-ignore: decorator
@inline export function setTotalWeight(n: usize, v: u64): void { store<u64>(n, v, 48); }
// @ts-ignore: decorator
@inline export function getKeySum(n: usize): i64 { return load<i64>(n, 56); }
// @ts-ignore: decorator
@inline export function setKeySum(n: usize, v: i64): void { store<i64>(n, v, 56); }
// @ts-ignore: decorator
@inline export function getZeroVruntime(n: usize): u64 { return load<u64>(n, 64); }
// @ts-ignore: decorator
@inline export function setZeroVruntime(n: usize, v: u64): void { store<u64>(n, v, 64); }
// @ts-ignore: decorator
@inline export function getTreapRoot(n: usize): u32 { return load<u32>(n, 72); }
// @ts-ignore: decorator
@inline export function setTreapRoot(n: usize, v: u32): void { store<u32>(n, v, 72); }
// @ts-ignore: decorator
@inline export function getLastPid(n: usize): u32 { return load<u32>(n, 76); }
// @ts-ignore: decorator
@inline export function getLastReason(n: usize): u32 { return load<u32>(n, 80); }
// @ts-ignore: decorator
@inline export function getLastSliceTicks(n: usize): u32 { return load<u32>(n, 84); }
// @ts-ignore: decorator
@inline export function getLastValue(n: usize): u64 { return load<u64>(n, 88); }
// @ts-ignore: decorator
@inline export function getPickCount(n: usize): u64 { return load<u64>(n, 96); }
export function setLastPick(n: usize, pid: u32, reason: u32, sliceTicks: u32, value: u64): void {
  store<u32>(n, pid, 76);
  store<u32>(n, reason, 80);
  store<u32>(n, sliceTicks, 84);
  store<u64>(n, value, 88);
  store<u64>(n, load<u64>(n, 96) + 1, 96);
}
// @ts-ignore: decorator
@inline export function getLevelHead(n: usize, level: u32): u32 { return load<u32>(n + 128 + ((<usize>level) << 2)); }
// @ts-ignore: decorator
@inline export function setLevelHead(n: usize, level: u32, pid: u32): void { store<u32>(n + 128 + ((<usize>level) << 2), pid); }
// @ts-ignore: decorator
@inline export function getLevelTail(n: usize, level: u32): u32 { return load<u32>(n + 288 + ((<usize>level) << 2)); }
// @ts-ignore: decorator
@inline export function setLevelTail(n: usize, level: u32, pid: u32): void { store<u32>(n + 288 + ((<usize>level) << 2), pid); }

// ── Process record ── (a record never straddles a page: 64-byte records, 64-byte aligned region)
// @ts-ignore: decorator
@inline export function getState(p: usize): u8 { return load<u8>(p, 0); }
// @ts-ignore: decorator
@inline export function setState(p: usize, v: u8): void { store<u8>(p, v, 0); }
// @ts-ignore: decorator
@inline export function getNice(p: usize): i32 { return <i32>load<i8>(p, 1); }
// @ts-ignore: decorator
@inline export function setNice(p: usize, v: i32): void { store<i8>(p, <i8>v, 1); }
// @ts-ignore: decorator
@inline export function getBaseLevel(p: usize): u32 { return <u32>load<u8>(p, 2); }
// @ts-ignore: decorator
@inline export function setBaseLevel(p: usize, v: u32): void { store<u8>(p, <u8>v, 2); }
// @ts-ignore: decorator
@inline export function getLevel(p: usize): u32 { return <u32>load<u8>(p, 3); }
// @ts-ignore: decorator
@inline export function setLevel(p: usize, v: u32): void { store<u8>(p, <u8>v, 3); }
// @ts-ignore: decorator
@inline export function getWeight(p: usize): u32 { return load<u32>(p, 4); }
// @ts-ignore: decorator
@inline export function setWeight(p: usize, v: u32): void { store<u32>(p, v, 4); }
// @ts-ignore: decorator
@inline export function getVruntime(p: usize): u64 { return load<u64>(p, 8); }
// @ts-ignore: decorator
@inline export function setVruntime(p: usize, v: u64): void { store<u64>(p, v, 8); }
// @ts-ignore: decorator
@inline export function getDeadline(p: usize): u64 { return load<u64>(p, 16); }
// @ts-ignore: decorator
@inline export function setDeadline(p: usize, v: u64): void { store<u64>(p, v, 16); }
// @ts-ignore: decorator
@inline export function getSavedLag(p: usize): i64 { return load<i64>(p, 16); }
// @ts-ignore: decorator
@inline export function setSavedLag(p: usize, v: i64): void { store<i64>(p, v, 16); }
// @ts-ignore: decorator
@inline export function getNext(p: usize): u32 { return load<u32>(p, 24); }
// @ts-ignore: decorator
@inline export function setNext(p: usize, v: u32): void { store<u32>(p, v, 24); }
// @ts-ignore: decorator
@inline export function getPrev(p: usize): u32 { return load<u32>(p, 28); }
// @ts-ignore: decorator
@inline export function setPrev(p: usize, v: u32): void { store<u32>(p, v, 28); }
// Treap children share the FIFO link words (a process is in one structure at a time).
// @ts-ignore: decorator
@inline export function getLeft(p: usize): u32 { return load<u32>(p, 24); }
// @ts-ignore: decorator
@inline export function setLeft(p: usize, v: u32): void { store<u32>(p, v, 24); }
// @ts-ignore: decorator
@inline export function getRight(p: usize): u32 { return load<u32>(p, 28); }
// @ts-ignore: decorator
@inline export function setRight(p: usize, v: u32): void { store<u32>(p, v, 28); }
// ── Fair queue slot ──
// @ts-ignore: decorator
@inline export function getQueueSlot(slots: usize, pid: u32): u32 { return load<u32>(slots + ((<usize>pid) << 2)); }
// @ts-ignore: decorator
@inline export function setQueueSlot(slots: usize, pid: u32, v: u32): void { const a = slots + ((<usize>pid) << 2); store<u32>(a, v); markPage(a); }
// @ts-ignore: decorator
@inline export function queueSlotAt(slots: usize, pid: u32): usize { return slots + ((<usize>pid) << 2); }
// @ts-ignore: decorator
@inline export function getEnqueuedAt(p: usize): u64 { return load<u64>(p, 40); }
// @ts-ignore: decorator
@inline export function setEnqueuedAt(p: usize, v: u64): void { store<u64>(p, v, 40); }
// @ts-ignore: decorator
@inline export function getSubtreeMinVruntime(p: usize): u64 { return load<u64>(p, 48); }
// @ts-ignore: decorator
@inline export function setSubtreeMinVruntime(p: usize, v: u64): void { store<u64>(p, v, 48); }

// ── Fair queue entry ──
// @ts-ignore: decorator
@inline export function entryAt(queue: usize, index: u32): usize { return queue + ((<usize>index) << 4); }
// @ts-ignore: decorator
@inline export function getEntryKey(e: usize): u64 { return load<u64>(e, 0); }
// @ts-ignore: decorator
@inline export function getEntryPid(e: usize): u32 { return load<u32>(e, 8); }
// @ts-ignore: decorator
@inline export function setEntry(e: usize, key: u64, pid: u32): void { store<u64>(e, key, 0); store<u32>(e, pid, 8); markPage(e); }
/** Unmarked: only for sift loops, which mark each page they write once (see queues.ts). */
// @ts-ignore: decorator
@inline export function setEntryUnmarked(e: usize, key: u64, pid: u32): void { store<u64>(e, key, 0); store<u32>(e, pid, 8); }
