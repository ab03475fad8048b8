// The run-queue structures behind the four policies, each over one node's process table:
//
//   FIFO lists     round-robin (list 0, the ring) and priority (one list per level, 40 levels,
//                  with a u64 bitmap of non-empty levels: pick = ctz, O(1)); links in the record.
//   binary heap    fair: min-heap of (vruntime, pid) with the key inline in 16-byte entries and
//                  each process's slot kept in its record, so any process can leave in O(log n).
//   treap          EEVDF: ordered by (virtual deadline, pid), heap-ordered by a fixed hash of the
//                  pid (deterministic), augmented with each subtree's least vruntime, so "earliest
//                  deadline among the eligible" is one O(log n) descent.
//
// Ties always break by the lower pid, so every decision is a function of the state alone.

import {
  NONE, procAt, getNext, setNext, getPrev, setPrev, getLevelHead, setLevelHead, getLevelTail, setLevelTail,
  getLevelBitmap, setLevelBitmap, entryAt, getEntryKey, getEntryPid, setEntryUnmarked, setQueueSlot,
  getLeft, setLeft, getRight, markPage, setRight, getDeadline, touchProc, getVruntime, getSubtreeMinVruntime, setSubtreeMinVruntime,
} from "./layout";
import { SNAPSHOT_PAGE_BITS } from "../constants";

// ── FIFO lists ──────────────────────────────────────────────────────────────────────────────────

// The caller has marked pid's own record (touchProc); these mark the neighbours they relink.
// @ts-ignore: decorator
@inline export function listPushTail(n: usize, table: usize, level: u32, pid: u32): void {
  const p = procAt(table, pid);
  const tail = getLevelTail(n, level);
  setNext(p, NONE);
  setPrev(p, tail);
  if (tail == NONE) {
    setLevelHead(n, level, pid);
    setLevelBitmap(n, getLevelBitmap(n) | ((<u64>1) << level));
  } else {
    const t = procAt(table, tail);
    touchProc(t);
    setNext(t, pid);
  }
  setLevelTail(n, level, pid);
}

// @ts-ignore: decorator
@inline export function listRemove(n: usize, table: usize, level: u32, pid: u32): void {
  const p = procAt(table, pid);
  const next = getNext(p), prev = getPrev(p);
  if (prev == NONE) setLevelHead(n, level, next); else { const q = procAt(table, prev); touchProc(q); setNext(q, next); }
  if (next == NONE) setLevelTail(n, level, prev); else { const q = procAt(table, next); touchProc(q); setPrev(q, prev); }
  if (getLevelHead(n, level) == NONE) setLevelBitmap(n, getLevelBitmap(n) & ~((<u64>1) << level));
  setNext(p, NONE);
  setPrev(p, NONE);
}

/** listRemove for the head of its list (pick, aging): the same result with fewer branches. */
// @ts-ignore: decorator
@inline export function listPopHead(n: usize, table: usize, level: u32, pid: u32): void {
  const p = procAt(table, pid);
  const next = getNext(p);
  setLevelHead(n, level, next);
  if (next == NONE) {
    setLevelTail(n, level, NONE);
    setLevelBitmap(n, getLevelBitmap(n) & ~((<u64>1) << level));
  } else {
    const q = procAt(table, next);
    touchProc(q);
    setPrev(q, NONE);
  }
  setNext(p, NONE);
  setPrev(p, NONE);
}

// ── Fair: binary min-heap of (vruntime, pid) ────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline function keyBefore(keyA: u64, pidA: u32, keyB: u64, pidB: u32): bool {
  return keyA < keyB || (keyA == keyB && pidA < pidB);
}

/** keyBefore without short-circuit branches. */
// @ts-ignore: decorator
@inline function keyBeforeBits(keyA: u64, pidA: u32, keyB: u64, pidB: u32): bool {
  return (keyA < keyB) | ((keyA == keyB) & (pidA < pidB));
}

// A sift writes one entry and one slot per level. Entries near each other share a page, so the
// loops mark a page dirty only when it differs from the last one they marked (the marks of one
// operation are all set before the kernel can take a snapshot; marking twice is harmless).
// @ts-ignore: decorator
@inline function place(queue: usize, slots: usize, index: u32, key: u64, pid: u32, markedPage: usize): usize {
  const e = entryAt(queue, index);
  setEntryUnmarked(e, key, pid);
  const page = e >> SNAPSHOT_PAGE_BITS;
  if (page != markedPage) markPage(e);
  setQueueSlot(slots, pid, index);
  return page;
}

/**
 * Moves the hole at `index` up while (key, pid) comes before its parent, but not above `top`,
 * then places (key, pid) in it. `markedPage`: the page the caller's last place() marked.
 */
// @ts-ignore: decorator
@inline function rise(queue: usize, slots: usize, index: u32, top: u32, key: u64, pid: u32, markedPage: usize): void {
  while (index > top) {
    const parent = (index - 1) >> 1;
    const e = entryAt(queue, parent);
    const parentKey = getEntryKey(e), parentPid = getEntryPid(e);
    if (!keyBefore(key, pid, parentKey, parentPid)) break;
    markedPage = place(queue, slots, index, parentKey, parentPid, markedPage);
    index = parent;
  }
  place(queue, slots, index, key, pid, markedPage);
}

// @ts-ignore: decorator
@inline function siftUp(queue: usize, slots: usize, index: u32, key: u64, pid: u32): void {
  rise(queue, slots, index, 0, key, pid, usize.MAX_VALUE);
}

// Sift-down the way Floyd's heap construction does it: the hole left at `index` first sinks to a
// leaf along the smaller children (one comparison a level, between the two children, made without
// a branch: which child wins is a coin toss for the branch predictor), then `key` rises from that
// leaf to its place (the entry taken from the end of the heap usually belongs near the bottom, so
// it rarely rises far). With keys unique ((key, pid) pairs), this leaves the same heap as the
// textbook sift-down, which compares the key at every level too.
// @ts-ignore: decorator
@inline function siftDown(queue: usize, slots: usize, count: u32, index: u32, key: u64, pid: u32): void {
  let markedPage: usize = usize.MAX_VALUE;
  const start = index;
  while (true) {
    const left = (index << 1) + 1;
    if (left >= count) break;
    const right = left + 1;
    const l = entryAt(queue, left), r = entryAt(queue, right);
    const leftKey = getEntryKey(l), leftPid = getEntryPid(l);
    const rightKey = getEntryKey(r), rightPid = getEntryPid(r); // past the end when right == count: not chosen
    const takeRight = (right < count) & keyBeforeBits(rightKey, rightPid, leftKey, leftPid);
    const child = select<u32>(right, left, takeRight);
    markedPage = place(queue, slots, index, select<u64>(rightKey, leftKey, takeRight), select<u32>(rightPid, leftPid, takeRight), markedPage);
    index = child;
  }
  rise(queue, slots, index, start, key, pid, markedPage);
}

/** Inserts pid with its key; `count` is the size before insertion. */
// @ts-ignore: decorator
@inline export function heapPush(queue: usize, slots: usize, count: u32, key: u64, pid: u32): void {
  siftUp(queue, slots, count, key, pid);
}

/** Removes the entry at `index`; `count` is the size before removal. */
// @ts-ignore: decorator
@inline export function heapRemoveAt(queue: usize, slots: usize, count: u32, index: u32): void {
  const last = count - 1;
  if (index == last) return;
  const e = entryAt(queue, last);
  const key = getEntryKey(e), pid = getEntryPid(e);
  if (index > 0) {
    const p = entryAt(queue, (index - 1) >> 1);
    if (keyBefore(key, pid, getEntryKey(p), getEntryPid(p))) { siftUp(queue, slots, index, key, pid); return; }
  }
  siftDown(queue, slots, last, index, key, pid);
}

// ── EEVDF: treap by (deadline, pid), augmented with the subtree's least vruntime ─────────────────

/** Fixed treap priority of a pid (murmur3 fmix32: a bijection, so priorities never tie). */
// @ts-ignore: decorator
@inline export function treapPriority(pid: u32): u32 {
  let h = pid;
  h ^= h >>> 16; h *= 0x85ebca6b;
  h ^= h >>> 13; h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

// @ts-ignore: decorator
@inline function deadlineBefore(table: usize, a: u32, b: u32): bool {
  const da = getDeadline(procAt(table, a)), db = getDeadline(procAt(table, b));
  return da < db || (da == db && a < b);
}

// @ts-ignore: decorator
@inline function treapUpdate(table: usize, t: u32): void {
  const p = procAt(table, t);
  touchProc(p); // every record a treap operation changes passes through here, or is touched below
  let least = getVruntime(p);
  const left = getLeft(p), right = getRight(p);
  if (left != NONE) { const m = getSubtreeMinVruntime(procAt(table, left)); if (m < least) least = m; }
  if (right != NONE) { const m = getSubtreeMinVruntime(procAt(table, right)); if (m < least) least = m; }
  setSubtreeMinVruntime(p, least);
}

/** Inserts x into the subtree rooted at t; returns the new root. Depth is O(log n) expected. */
// The two branches mirror each other on purpose: one branch with the child picked by a side index
// (left/right as p + side·4) measured 20-45% slower on the EEVDF benchmarks.
export function treapInsert(table: usize, t: u32, x: u32): u32 {
  if (t == NONE) {
    const p = procAt(table, x);
    touchProc(p);
    setLeft(p, NONE);
    setRight(p, NONE);
    setSubtreeMinVruntime(p, getVruntime(p));
    return x;
  }
  const pt = procAt(table, t);
  if (deadlineBefore(table, x, t)) {
    const child = treapInsert(table, getLeft(pt), x);
    setLeft(pt, child);
    if (treapPriority(child) > treapPriority(t)) {
      // rotate right: child becomes the root of this subtree
      const pc = procAt(table, child);
      setLeft(pt, getRight(pc));
      setRight(pc, t);
      treapUpdate(table, t);
      treapUpdate(table, child);
      return child;
    }
  } else {
    const child = treapInsert(table, getRight(pt), x);
    setRight(pt, child);
    if (treapPriority(child) > treapPriority(t)) {
      const pc = procAt(table, child);
      setRight(pt, getLeft(pc));
      setLeft(pc, t);
      treapUpdate(table, t);
      treapUpdate(table, child);
      return child;
    }
  }
  treapUpdate(table, t);
  return t;
}

function treapMerge(table: usize, a: u32, b: u32): u32 {
  if (a == NONE) return b;
  if (b == NONE) return a;
  if (treapPriority(a) > treapPriority(b)) {
    const pa = procAt(table, a);
    setRight(pa, treapMerge(table, getRight(pa), b));
    treapUpdate(table, a);
    return a;
  }
  const pb = procAt(table, b);
  setLeft(pb, treapMerge(table, a, getLeft(pb)));
  treapUpdate(table, b);
  return b;
}

/** Removes x (which must be in the subtree rooted at t); returns the new root. */
export function treapRemove(table: usize, t: u32, x: u32): u32 {
  assert(t != NONE, "treapRemove: x must be in the treap");
  const pt = procAt(table, t);
  if (t == x) {
    touchProc(pt);
    const merged = treapMerge(table, getLeft(pt), getRight(pt));
    setLeft(pt, NONE);
    setRight(pt, NONE);
    return merged;
  }
  if (deadlineBefore(table, x, t)) setLeft(pt, treapRemove(table, getLeft(pt), x));
  else setRight(pt, treapRemove(table, getRight(pt), x));
  treapUpdate(table, t);
  return t;
}
