// The scheduler: one per node, four policies over one process table, switchable while running.
//
//   round-robin   one FIFO ring; pick = head; slice = quantum.
//   priority      40 FIFO levels (nice -20..19 -> 0..39) and a bitmap: pick = lowest set bit.
//                 Aging: at each pick, the head of every non-empty level below the top that has
//                 waited agingTicks moves up one level (at most one level per pick), so nothing
//                 starves; a process drops back to its base level once it runs.
//   fair          CFS: vruntime += ticks * 2^20 / weight (Linux weights); pick = least vruntime;
//                 slice = quantum * nrRunning * weight / totalWeight, clamped to
//                 [quantum / 8, 8 * quantum]; a new process starts at minVruntime, a woken one at
//                 max(vruntime, minVruntime - half a nice-0 quantum).
//   EEVDF         eligible <=> vruntime <= V, the weight-averaged vruntime of every process on
//                 the run queue (queued or running), computed exactly from keys relative to
//                 zeroVruntime; pick = earliest virtual deadline among the eligible;
//                 deadline = vruntime + quantum * 2^20 / weight, renewed when the vruntime
//                 reaches it. Lag (V - vruntime, clamped) is kept across a block.
//
// Process states: FREE -> add -> RUNNABLE <-> (pick / requeue) RUNNING; block -> BLOCKED;
// wake -> RUNNABLE; remove -> FREE from any state. At most one RUNNING per node; a pick first
// puts the running process back (like Linux's put_prev_task). `switch` is one context switch:
// charge the running process, requeue it, pick the next.
//
// Kernel hot path: one schedBatch call per tick carries every node's commands, e.g. one
// [OP_SWITCH, node, -, ticksRun] per node that switches; results come back in place.
//
// Time: node clock = ticks charged on this node (1 tick = 1 µs). Every pick records a reason and
// a deciding value in the node record (see layout.ts), readable after the call.
//
// Errors are negative i32 results, never traps; entry points validate their arguments always.

import {
  NODES_MAX, PROCS_PER_NODE_MAX, NICE_MIN, NICE_MAX, SCHED_LEVELS, SCHED_BATCH_OPS_MAX,
} from "../constants";
import { reserveRegion, markDirtyRange } from "../memory/regions";
import {
  NONE, STATE_FREE, STATE_RUNNABLE, STATE_RUNNING, STATE_BLOCKED,
  POLICY_ROUND_ROBIN, POLICY_PRIORITY, POLICY_FAIR, POLICY_EEVDF, POLICY_COUNT,
  REASON_IDLE, REASON_NEXT_IN_RING, REASON_HIGHEST_LEVEL, REASON_AGED, REASON_LOWEST_VRUNTIME,
  REASON_EARLIEST_ELIGIBLE_DEADLINE, VRUNTIME_SHIFT, SCHED_MAGIC, PROC_BYTES,
  weightOfLevel, setBases, regionBytes, schedBase, nodeCountCached, procsPerNodeCached,
  nodeAt, procTableOf, fairQueueOf, procAt, setHeader, getMagic, getHeaderNodeCount, getHeaderProcsPerNode,
  getPolicy, setPolicyField, getQueuedCount, setQueuedCount, getProcCount, setProcCount, getRunningPid, setRunningPid,
  getClockTicks, setClockTicks, getQuantumTicks, setQuantumTicks, getAgingTicks, setAgingTicks,
  getLevelBitmap, setLevelBitmap, getMinVruntime, setMinVruntime, getTotalWeight, setTotalWeight,
  getKeySum, setKeySum, getZeroVruntime, setZeroVruntime, getTreapRoot, setTreapRoot,
  getLastPid, getLastReason, getLastSliceTicks, getLastValue, setLastPick, getPickCount,
  getLevelHead, setLevelHead, setLevelTail, getLevelTail,
  getState, setState, getNice, setNice, getBaseLevel, setBaseLevel, getLevel, setLevel, getWeight, setWeight,
  getVruntime, setVruntime, getDeadline, setDeadline, getSavedLag, setSavedLag, getNext, getPrev,
  getQueueSlot, setQueueSlot, fairSlotsOf, getEnqueuedAt, setEnqueuedAt, entryAt, getEntryKey, getEntryPid,
  getLeft, getRight, getSubtreeMinVruntime, setNext, setPrev, touchNode, touchProc,
} from "./layout";
import { listPushTail, listRemove, listPopHead, heapPush, heapRemoveAt, treapInsert, treapRemove, treapPriority } from "./queues";

// ── Results ──
export const SCHED_OK: i32 = 0;
export const SCHED_E_NODE: i32 = -1;          // node index not configured
export const SCHED_E_PID_RANGE: i32 = -2;     // pid >= procsPerNode: the process table is full
export const SCHED_E_EXISTS: i32 = -3;        // add: the slot is in use
export const SCHED_E_NO_PROCESS: i32 = -4;    // no process with this pid
export const SCHED_E_STATE: i32 = -5;         // wrong state for the operation
export const SCHED_E_NICE: i32 = -6;          // nice outside -20..19
export const SCHED_E_POLICY: i32 = -7;        // unknown policy
export const SCHED_E_NOT_CONFIGURED: i32 = -8;
export const SCHED_E_CONFIG: i32 = -9;        // bad configuration, or the region did not fit
export const SCHED_E_OP: i32 = -10;           // unknown batch operation
export const SCHED_IDLE: i32 = -11;           // pick: nothing runnable (not a failure)
export const SCHED_E_BATCH: i32 = -12;        // batch count over SCHED_BATCH_OPS_MAX

// Batch operations: [op, node, pid, arg] in, [result, sliceTicks, reason, value (u32, saturated)] out.
export const OP_ADD: u32 = 1;        // arg: nice (i32)
export const OP_REMOVE: u32 = 2;
export const OP_BLOCK: u32 = 3;
export const OP_WAKE: u32 = 4;
export const OP_PICK: u32 = 5;       // pid ignored
export const OP_CHARGE: u32 = 6;     // arg: ticks
export const OP_REQUEUE: u32 = 7;
export const OP_SET_NICE: u32 = 8;   // arg: nice (i32)
export const OP_SET_POLICY: u32 = 9; // pid ignored; arg: policy
export const OP_SWITCH: u32 = 10;    // pid ignored; arg: ticks the running process ran (or BATCH_LAST_SLICE);
                                     // charges it, requeues it and picks the next: one context switch

const DEFAULT_QUANTUM_TICKS: u32 = 1000;
const DEFAULT_AGING_QUANTA: u32 = 16;
const FAIR_SLICE_MIN_DIVISOR: u64 = 8;
const FAIR_SLICE_MAX_QUANTA: u64 = 8;
const EEVDF_LAG_LIMIT_SLICES: i64 = 2;

const BATCH: usize = memory.data(<i32>(SCHED_BATCH_OPS_MAX << 4), 16);

// @ts-ignore: decorator
@inline function configured(): bool { return schedBase != 0; }

// ── Configuration (start-up only) ───────────────────────────────────────────────────────────────

/**
 * Reserves the scheduler region for nodeCount nodes of procsPerNode slots each (after the kernel's
 * releaseAllRegions()). Every node starts with the fair policy, a 1000-tick quantum and aging
 * after 16 quanta. Returns SCHED_OK or SCHED_E_CONFIG.
 */
export function schedConfigure(nodeCount: u32, procsPerNode: u32): i32 {
  if (nodeCount == 0 || nodeCount > NODES_MAX || procsPerNode == 0 || procsPerNode > PROCS_PER_NODE_MAX) return SCHED_E_CONFIG;
  const base = reserveRegion(regionBytes(nodeCount, procsPerNode), 4096); // page aligned: no record straddles a page
  if (base == 0) return SCHED_E_CONFIG;
  setBases(base, nodeCount, procsPerNode);
  setHeader(nodeCount, procsPerNode);
  for (let node: u32 = 0; node < nodeCount; node++) {
    const n = nodeAt(node);
    touchNode(n);
    setPolicyField(n, POLICY_FAIR);
    setRunningPid(n, NONE);
    setQuantumTicks(n, DEFAULT_QUANTUM_TICKS);
    setAgingTicks(n, DEFAULT_QUANTUM_TICKS * DEFAULT_AGING_QUANTA);
    setTreapRoot(n, NONE);
    setLastPick(n, NONE, 0, 0, 0);
    store<u64>(n, 0, 96); // pickCount starts at 0
    for (let level: u32 = 0; level < SCHED_LEVELS; level++) { setLevelHead(n, level, NONE); setLevelTail(n, level, NONE); }
  }
  return SCHED_OK;
}

/** Sets a node's quantum and aging threshold (ticks; aging 0 turns aging off). */
export function schedSetTiming(node: u32, quantumTicks: u32, agingTicks: u32): i32 {
  if (!configured()) return SCHED_E_NOT_CONFIGURED;
  if (node >= nodeCountCached) return SCHED_E_NODE;
  if (quantumTicks == 0) return SCHED_E_CONFIG;
  const n = nodeAt(node);
  touchNode(n);
  setQuantumTicks(n, quantumTicks);
  setAgingTicks(n, agingTicks);
  return SCHED_OK;
}

// ── Run-queue membership ────────────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline function vsliceOf(n: usize, weight: u32): u64 {
  return ((<u64>getQuantumTicks(n)) << VRUNTIME_SHIFT) / <u64>weight;
}

/** EEVDF: V, the weighted average vruntime of the run queue (floor). */
// @ts-ignore: decorator
@inline function averageVruntime(n: usize): u64 {
  const totalWeight = <i64>getTotalWeight(n);
  const zero = getZeroVruntime(n);
  if (totalWeight == 0) return zero;
  let sum = getKeySum(n);
  if (sum < 0) sum -= totalWeight - 1; // floor, not truncation
  return <u64>(<i64>zero + sum / totalWeight);
}

/** EEVDF: vruntime <= V, exactly: (v - zero) * W <= Σ w (v_i - zero). */
// @ts-ignore: decorator
@inline function isEligible(n: usize, vruntime: u64): bool {
  return (<i64>(vruntime - getZeroVruntime(n))) * <i64>getTotalWeight(n) <= getKeySum(n);
}

/** Moves the relative-key origin to V so the keys (and their weighted sum) stay small. */
// @ts-ignore: decorator
@inline function rebaseZero(n: usize): void {
  const average = averageVruntime(n);
  const delta = <i64>(average - getZeroVruntime(n));
  if (delta == 0) return;
  setKeySum(n, getKeySum(n) - delta * <i64>getTotalWeight(n));
  setZeroVruntime(n, average);
}

/** A process joins the run queue's weight (add, wake; nice change re-joins). */
// @ts-ignore: decorator
@inline function joinLoad(n: usize, p: usize): void {
  const weight = getWeight(p);
  setTotalWeight(n, getTotalWeight(n) + weight);
  if (getPolicy(n) == POLICY_EEVDF) {
    setKeySum(n, getKeySum(n) + (<i64>(getVruntime(p) - getZeroVruntime(n))) * <i64>weight);
  }
}

// @ts-ignore: decorator
@inline function leaveLoad(n: usize, p: usize): void {
  const weight = getWeight(p);
  setTotalWeight(n, getTotalWeight(n) - weight);
  if (getPolicy(n) == POLICY_EEVDF) {
    setKeySum(n, getKeySum(n) - (<i64>(getVruntime(p) - getZeroVruntime(n))) * <i64>weight);
  }
}

/** Puts a RUNNABLE process into the active policy's structure. */
// @ts-ignore: decorator
@inline function enqueue(n: usize, table: usize, node: u32, pid: u32, policy: u32): void {
  const p = procAt(table, pid);
  const queued = getQueuedCount(n);
  setEnqueuedAt(p, getClockTicks(n));
  if (policy == POLICY_ROUND_ROBIN) {
    setLevel(p, 0);
    listPushTail(n, table, 0, pid);
  } else if (policy == POLICY_PRIORITY) {
    listPushTail(n, table, getLevel(p), pid);
  } else if (policy == POLICY_FAIR) {
    heapPush(fairQueueOf(node), fairSlotsOf(node), queued, getVruntime(p), pid);
  } else {
    setTreapRoot(n, treapInsert(table, getTreapRoot(n), pid));
  }
  setQueuedCount(n, queued + 1);
}

// @ts-ignore: decorator
@inline function dequeue(n: usize, table: usize, node: u32, pid: u32, policy: u32): void {
  const p = procAt(table, pid);
  const queued = getQueuedCount(n);
  if (policy == POLICY_ROUND_ROBIN || policy == POLICY_PRIORITY) {
    listRemove(n, table, getLevel(p), pid);
  } else if (policy == POLICY_FAIR) {
    heapRemoveAt(fairQueueOf(node), fairSlotsOf(node), queued, getQueueSlot(fairSlotsOf(node), pid));
  } else {
    setTreapRoot(n, treapRemove(table, getTreapRoot(n), pid));
  }
  setQueuedCount(n, queued - 1);
}

/** Fair: minVruntime = max(minVruntime, min(running, least queued)). */
// @ts-ignore: decorator
@inline function updateMinVruntime(n: usize, table: usize, node: u32, policy: u32): void {
  if (policy != POLICY_FAIR) return;
  let candidate: u64 = u64.MAX_VALUE;
  const running = getRunningPid(n);
  if (running != NONE) candidate = getVruntime(procAt(table, running));
  if (getQueuedCount(n) > 0) {
    const top = getEntryKey(entryAt(fairQueueOf(node), 0));
    if (top < candidate) candidate = top;
  }
  if (candidate != u64.MAX_VALUE && candidate > getMinVruntime(n)) setMinVruntime(n, candidate);
}

/** Where a process joining the run queue starts its virtual time (add: fresh; wake: kept). */
// @ts-ignore: decorator
@inline function placeOnJoin(n: usize, p: usize, fresh: bool): void {
  const policy = getPolicy(n);
  if (policy == POLICY_FAIR) {
    const floor = getMinVruntime(n);
    if (fresh) setVruntime(p, floor);
    else {
      const credit = (<u64>getQuantumTicks(n)) << (VRUNTIME_SHIFT - 10 - 1); // half a nice-0 quantum
      const least = floor > credit ? floor - credit : 0;
      if (getVruntime(p) < least) setVruntime(p, least);
    }
  } else if (policy == POLICY_EEVDF) {
    const average = averageVruntime(n);
    const lag: i64 = fresh ? 0 : getSavedLag(p);
    const placed = <i64>average - lag; // virtual time starts at 0: a lag larger than V is cut
    setVruntime(p, placed < 0 ? 0 : <u64>placed);
    setDeadline(p, getVruntime(p) + vsliceOf(n, getWeight(p)));
  } else if (policy == POLICY_PRIORITY) {
    setLevel(p, getBaseLevel(p));
  }
}

// ── Entry points ────────────────────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline function checkNodePid(node: u32, pid: u32): i32 {
  if (!configured()) return SCHED_E_NOT_CONFIGURED;
  if (node >= nodeCountCached) return SCHED_E_NODE;
  if (pid >= procsPerNodeCached) return SCHED_E_PID_RANGE;
  return SCHED_OK;
}

/**
 * The state of an existing process, after marking its node and process records (the caller is
 * about to change them); SCHED_E_NO_PROCESS for a free slot. Node and pid are range-checked.
 */
// @ts-ignore: decorator
@inline function touchLiveProc(node: u32, pid: u32): i32 {
  const p = procAt(procTableOf(node), pid);
  touchNode(nodeAt(node)); touchProc(p);
  const state = getState(p);
  return state == STATE_FREE ? SCHED_E_NO_PROCESS : <i32>state;
}

/** Entry-point check of an operation on an existing process: range checks, then touchLiveProc. */
// @ts-ignore: decorator
@inline function checkLiveProc(node: u32, pid: u32): i32 {
  const check = checkNodePid(node, pid);
  return check != SCHED_OK ? check : touchLiveProc(node, pid);
}

export function schedAdd(node: u32, pid: u32, nice: i32): i32 {
  const check = checkNodePid(node, pid);
  if (check != SCHED_OK) return check;
  if (nice < NICE_MIN || nice > NICE_MAX) return SCHED_E_NICE;
  const n = nodeAt(node), table = procTableOf(node), p = procAt(table, pid);
  touchNode(n); touchProc(p);
  if (getState(p) != STATE_FREE) return SCHED_E_EXISTS;
  const level = <u32>(nice - NICE_MIN);
  setNice(p, nice);
  setBaseLevel(p, level);
  setLevel(p, level);
  setWeight(p, weightOfLevel(level));
  setVruntime(p, 0);
  setDeadline(p, 0);
  setState(p, STATE_RUNNABLE);
  placeOnJoin(n, p, true);
  joinLoad(n, p);
  enqueue(n, table, node, pid, getPolicy(n));
  setProcCount(n, getProcCount(n) + 1);
  return SCHED_OK;
}

export function schedRemove(node: u32, pid: u32): i32 {
  const live = checkLiveProc(node, pid);
  if (live < 0) return live;
  const state = <u8>live;
  const n = nodeAt(node), table = procTableOf(node), p = procAt(table, pid);
  if (state == STATE_RUNNABLE) dequeue(n, table, node, pid, getPolicy(n));
  else if (state == STATE_RUNNING) setRunningPid(n, NONE);
  if (state != STATE_BLOCKED) leaveLoad(n, p);
  memory.fill(p, 0, PROC_BYTES);
  markDirtyRange(p, PROC_BYTES);
  setQueueSlot(fairSlotsOf(node), pid, 0);
  setProcCount(n, getProcCount(n) - 1);
  updateMinVruntime(n, table, node, getPolicy(n));
  return SCHED_OK;
}

export function schedBlock(node: u32, pid: u32): i32 {
  const live = checkLiveProc(node, pid);
  if (live < 0) return live;
  const state = <u8>live;
  const n = nodeAt(node), table = procTableOf(node), p = procAt(table, pid);
  if (state == STATE_BLOCKED) return SCHED_E_STATE;
  if (state == STATE_RUNNABLE) dequeue(n, table, node, pid, getPolicy(n));
  else setRunningPid(n, NONE);
  if (getPolicy(n) == POLICY_EEVDF) {
    const limit = EEVDF_LAG_LIMIT_SLICES * <i64>vsliceOf(n, getWeight(p));
    let lag = <i64>averageVruntime(n) - <i64>getVruntime(p);
    if (lag > limit) lag = limit;
    if (lag < -limit) lag = -limit;
    setSavedLag(p, lag);
  }
  leaveLoad(n, p);
  setState(p, STATE_BLOCKED);
  updateMinVruntime(n, table, node, getPolicy(n));
  return SCHED_OK;
}

export function schedWake(node: u32, pid: u32): i32 {
  const live = checkLiveProc(node, pid);
  if (live < 0) return live;
  const state = <u8>live;
  const n = nodeAt(node), table = procTableOf(node), p = procAt(table, pid);
  if (state != STATE_BLOCKED) return SCHED_E_STATE;
  placeOnJoin(n, p, false);
  joinLoad(n, p);
  setState(p, STATE_RUNNABLE);
  enqueue(n, table, node, pid, getPolicy(n));
  return SCHED_OK;
}

/** Makes the running process runnable again (it yielded or its slice ran out). */
export function schedRequeue(node: u32, pid: u32): i32 {
  const check = checkNodePid(node, pid);
  if (check != SCHED_OK) return check;
  const n = nodeAt(node), table = procTableOf(node);
  touchNode(n);
  return requeueChecked(n, table, node, pid, getPolicy(n));
}

// Internal steps behind the entry points and the batch: node and pid already range-checked, node
// record already marked.
// @ts-ignore: decorator
@inline function requeueChecked(n: usize, table: usize, node: u32, pid: u32, policy: u32): i32 {
  const state = getState(procAt(table, pid));
  if (state == STATE_FREE) return SCHED_E_NO_PROCESS;
  if (state != STATE_RUNNING) return SCHED_E_STATE;
  requeueRunning(n, table, node, pid, policy);
  return SCHED_OK;
}

// @ts-ignore: decorator
@inline function requeueRunning(n: usize, table: usize, node: u32, pid: u32, policy: u32): void {
  const p = procAt(table, pid);
  assert(getState(p) == STATE_RUNNING && getRunningPid(n) == pid, "requeueRunning: pid must be the running process");
  touchProc(p);
  setRunningPid(n, NONE);
  setState(p, STATE_RUNNABLE);
  if (policy == POLICY_PRIORITY) setLevel(p, getBaseLevel(p));
  enqueue(n, table, node, pid, policy);
}

/** Charges the running process for `ticks` it ran; advances the node clock. */
export function schedCharge(node: u32, pid: u32, ticks: u32): i32 {
  const check = checkNodePid(node, pid);
  if (check != SCHED_OK) return check;
  const n = nodeAt(node), table = procTableOf(node);
  touchNode(n);
  return chargeChecked(n, table, node, pid, ticks, getPolicy(n));
}

// @ts-ignore: decorator
@inline function chargeChecked(n: usize, table: usize, node: u32, pid: u32, ticks: u32, policy: u32): i32 {
  const p = procAt(table, pid);
  const state = getState(p);
  if (state == STATE_FREE) return SCHED_E_NO_PROCESS;
  if (state != STATE_RUNNING) return SCHED_E_STATE;
  chargeRunning(n, table, node, p, ticks, policy);
  return SCHED_OK;
}

// @ts-ignore: decorator
@inline function chargeRunning(n: usize, table: usize, node: u32, p: usize, ticks: u32, policy: u32): void {
  touchProc(p);
  setClockTicks(n, getClockTicks(n) + ticks);
  if (policy == POLICY_FAIR) {
    setVruntime(p, getVruntime(p) + ((<u64>ticks) << VRUNTIME_SHIFT) / <u64>getWeight(p));
    updateMinVruntime(n, table, node, policy);
  } else if (policy == POLICY_EEVDF) {
    const weight = getWeight(p);
    const delta = ((<u64>ticks) << VRUNTIME_SHIFT) / <u64>weight;
    const vruntime = getVruntime(p) + delta;
    setVruntime(p, vruntime);
    setKeySum(n, getKeySum(n) + <i64>delta * <i64>weight);
    if (vruntime >= getDeadline(p)) setDeadline(p, vruntime + vsliceOf(n, weight));
    rebaseZero(n);
  }
}

/** Priority aging: the head of each non-empty level below the top that waited agingTicks moves up one. */
// @ts-ignore: decorator
@inline function ageLevels(n: usize, table: usize): void {
  const aging = getAgingTicks(n);
  if (aging == 0) return;
  let bits = getLevelBitmap(n);
  bits &= bits - 1; // the top level cannot rise
  const now = getClockTicks(n);
  // Levels are visited from high priority to low, so a process moves at most one level per pick.
  for (let guard: u32 = 0; bits != 0 && guard < SCHED_LEVELS; guard++) {
    const level = <u32>ctz<u64>(bits);
    bits &= bits - 1;
    const head = getLevelHead(n, level);
    const p = procAt(table, head);
    if (now - getEnqueuedAt(p) >= <u64>aging) {
      touchProc(p);
      listPopHead(n, table, level, head);
      setLevel(p, level - 1);
      listPushTail(n, table, level - 1, head);
    }
  }
}

/**
 * Picks the next process to run (the running one, if any, is requeued first). Returns its pid,
 * or SCHED_IDLE; the decision (pid, reason, slice, deciding value) is recorded in the node.
 */
export function schedPick(node: u32): i32 {
  if (!configured()) return SCHED_E_NOT_CONFIGURED;
  if (node >= nodeCountCached) return SCHED_E_NODE;
  const n = nodeAt(node), table = procTableOf(node);
  touchNode(n);
  return pickNext(n, table, node, getPolicy(n));
}

// @ts-ignore: decorator
@inline function pickNext(n: usize, table: usize, node: u32, policy: u32): i32 {
  const running = getRunningPid(n);
  if (running != NONE) requeueRunning(n, table, node, running, policy);
  if (getQueuedCount(n) == 0) {
    setLastPick(n, NONE, REASON_IDLE, 0, 0);
    return SCHED_IDLE;
  }
  const quantum = getQuantumTicks(n);
  const now = getClockTicks(n);
  let pid: u32 = NONE;
  let reason: u32 = 0;
  let slice: u32 = quantum;
  let value: u64 = 0;
  if (policy == POLICY_ROUND_ROBIN) {
    pid = getLevelHead(n, 0);
    reason = REASON_NEXT_IN_RING;
    value = now - getEnqueuedAt(procAt(table, pid));
  } else if (policy == POLICY_PRIORITY) {
    ageLevels(n, table);
    const level = <u32>ctz<u64>(getLevelBitmap(n));
    pid = getLevelHead(n, level);
    const p = procAt(table, pid);
    if (level < getBaseLevel(p)) { reason = REASON_AGED; value = now - getEnqueuedAt(p); }
    else { reason = REASON_HIGHEST_LEVEL; value = <u64>level; }
  } else if (policy == POLICY_FAIR) {
    const e = entryAt(fairQueueOf(node), 0);
    pid = getEntryPid(e);
    reason = REASON_LOWEST_VRUNTIME;
    value = getEntryKey(e) >> 10;
    const period = (<u64>quantum) * <u64>getQueuedCount(n);
    let s = period * <u64>getWeight(procAt(table, pid)) / getTotalWeight(n);
    const least = max<u64>(<u64>quantum / FAIR_SLICE_MIN_DIVISOR, 1);
    const most = <u64>quantum * FAIR_SLICE_MAX_QUANTA;
    slice = <u32>min<u64>(max<u64>(s, least), most);
  } else {
    pid = pickEligible(n, table);
    reason = REASON_EARLIEST_ELIGIBLE_DEADLINE;
    value = getDeadline(procAt(table, pid)) >> 10;
  }
  assert(pid != NONE, "a non-empty run queue always has a pick");
  const p = procAt(table, pid);
  if (policy == POLICY_ROUND_ROBIN || policy == POLICY_PRIORITY) {
    // The pick is the head of its list.
    listPopHead(n, table, getLevel(p), pid);
    setQueuedCount(n, getQueuedCount(n) - 1);
  } else {
    dequeue(n, table, node, pid, policy);
  }
  touchProc(p);
  setState(p, STATE_RUNNING);
  if (policy == POLICY_PRIORITY) setLevel(p, getBaseLevel(p));
  setRunningPid(n, pid);
  setLastPick(n, pid, reason, slice, value);
  return <i32>pid;
}

/**
 * One context switch: charges the running process (if any) for `ticks` (BATCH_LAST_SLICE: the
 * slice it was given), then picks the next process (which requeues the charged one first).
 * Returns what schedPick returns.
 */
export function schedSwitch(node: u32, ticks: u32): i32 {
  if (!configured()) return SCHED_E_NOT_CONFIGURED;
  if (node >= nodeCountCached) return SCHED_E_NODE;
  const n = nodeAt(node), table = procTableOf(node);
  touchNode(n);
  return switchNext(n, table, node, ticks, getPolicy(n));
}

// @ts-ignore: decorator
@inline function switchNext(n: usize, table: usize, node: u32, ticks: u32, policy: u32): i32 {
  const running = getRunningPid(n);
  if (running != NONE) chargeRunning(n, table, node, procAt(table, running), ticks == BATCH_LAST_SLICE ? getLastSliceTicks(n) : ticks, policy);
  return pickNext(n, table, node, policy);
}

/** EEVDF: the earliest (deadline, pid) among processes with vruntime <= V; one descent. */
// @ts-ignore: decorator
@inline function pickEligible(n: usize, table: usize): u32 {
  let t = getTreapRoot(n);
  for (let guard: u32 = 0; t != NONE && guard < procsPerNodeCached; guard++) {
    const p = procAt(table, t);
    const left = getLeft(p);
    if (left != NONE && isEligible(n, getSubtreeMinVruntime(procAt(table, left)))) { t = left; continue; }
    if (isEligible(n, getVruntime(p))) return t;
    t = getRight(p);
  }
  return NONE;
}

export function schedSetNice(node: u32, pid: u32, nice: i32): i32 {
  const check = checkNodePid(node, pid);
  if (check != SCHED_OK) return check;
  if (nice < NICE_MIN || nice > NICE_MAX) return SCHED_E_NICE;
  const live = touchLiveProc(node, pid);
  if (live < 0) return live;
  const state = <u8>live;
  const n = nodeAt(node), table = procTableOf(node), p = procAt(table, pid);
  const onQueue = state != STATE_BLOCKED;
  if (state == STATE_RUNNABLE) dequeue(n, table, node, pid, getPolicy(n));
  if (onQueue) leaveLoad(n, p);
  const level = <u32>(nice - NICE_MIN);
  setNice(p, nice);
  setBaseLevel(p, level);
  setLevel(p, level);
  setWeight(p, weightOfLevel(level));
  if (onQueue) {
    if (getPolicy(n) == POLICY_EEVDF) setDeadline(p, getVruntime(p) + vsliceOf(n, getWeight(p)));
    joinLoad(n, p);
  }
  if (state == STATE_RUNNABLE) enqueue(n, table, node, pid, getPolicy(n));
  return SCHED_OK;
}

/**
 * Switches a node's policy while it runs. Every process keeps its state (runnable, running or
 * blocked): the queues are rebuilt in pid order under the new policy, with virtual times reset
 * to 0 (fairness restarts from equal footing) and levels reset to each base level. O(capacity).
 */
export function schedSetPolicy(node: u32, policy: u32): i32 {
  if (!configured()) return SCHED_E_NOT_CONFIGURED;
  if (node >= nodeCountCached) return SCHED_E_NODE;
  if (policy >= POLICY_COUNT) return SCHED_E_POLICY;
  const n = nodeAt(node), table = procTableOf(node);
  touchNode(n);
  setPolicyField(n, policy);
  setQueuedCount(n, 0);
  setLevelBitmap(n, 0);
  for (let level: u32 = 0; level < SCHED_LEVELS; level++) { setLevelHead(n, level, NONE); setLevelTail(n, level, NONE); }
  setTreapRoot(n, NONE);
  setMinVruntime(n, 0);
  setTotalWeight(n, 0);
  setKeySum(n, 0);
  setZeroVruntime(n, 0);
  const capacity = procsPerNodeCached;
  for (let pid: u32 = 0; pid < capacity; pid++) {
    const p = procAt(table, pid);
    const state = getState(p);
    if (state == STATE_FREE) continue;
    touchProc(p);
    setVruntime(p, 0);
    setLevel(p, getBaseLevel(p));
    setNext(p, NONE);
    setPrev(p, NONE);
    if (state == STATE_BLOCKED) { setSavedLag(p, 0); continue; }
    setDeadline(p, vsliceOf(n, getWeight(p)));
    joinLoad(n, p);
    if (state == STATE_RUNNABLE) enqueue(n, table, node, pid, policy);
  }
  return SCHED_OK;
}

// ── Batch ───────────────────────────────────────────────────────────────────────────────────────

/** The batch buffer: SCHED_BATCH_OPS_MAX commands of 4 u32 words. */
export function schedBatchPtr(): usize { return BATCH; }
export function schedBatchOpsMax(): u32 { return SCHED_BATCH_OPS_MAX; }

/** In a batch command, pid BATCH_RUNNING means "the node's running process" and a charge of
 * BATCH_LAST_SLICE ticks means "the slice of the last pick", so [pick, charge, requeue] chains. */
export const BATCH_RUNNING: u32 = 0xffffffff;
export const BATCH_LAST_SLICE: u32 = 0xffffffff;

/**
 * Runs `count` commands from the batch buffer, each [op, node, pid, arg], and overwrites each
 * with [result, sliceTicks, reason, value]: result is the call's i32 result; for a pick the
 * other words are the recorded decision (value saturated to u32; schedLastValue has all of it).
 * Returns count, or SCHED_E_BATCH if count is over the limit.
 */
export function schedBatch(count: u32): i32 {
  if (count > SCHED_BATCH_OPS_MAX) return SCHED_E_BATCH;
  const ready = configured();
  // The hot commands (pick, switch, charge, requeue) run in a loop specialized for the node's
  // policy (one per policy below), over each run of consecutive hot commands on the same node:
  // the node record and process table are looked up, and the node record marked dirty, once per
  // run. Every other command, and any command on a bad node, goes through its entry point, which
  // validates and marks on its own (and may change the policy, which only a cold command can).
  let i: u32 = 0;
  while (i < count) {
    const cmd = BATCH + ((<usize>i) << 4);
    const op = load<u32>(cmd, 0), node = load<u32>(cmd, 4);
    if (ready && node < nodeCountCached && isHotOp(op)) {
      const n = nodeAt(node), table = procTableOf(node);
      touchNode(n);
      const policy = getPolicy(n);
      if (policy == POLICY_ROUND_ROBIN) i = hotRunRoundRobin(i, count, node, n, table);
      else if (policy == POLICY_PRIORITY) i = hotRunPriority(i, count, node, n, table);
      else if (policy == POLICY_FAIR) i = hotRunFair(i, count, node, n, table);
      else i = hotRunEevdf(i, count, node, n, table);
      continue;
    }
    // BATCH_RUNNING / BATCH_LAST_SLICE mean the same here as on the hot path.
    let pid = load<u32>(cmd, 8), arg = load<u32>(cmd, 12);
    if (ready && node < nodeCountCached) {
      const n = nodeAt(node);
      if (pid == BATCH_RUNNING) pid = getRunningPid(n);
      if (op == OP_CHARGE && arg == BATCH_LAST_SLICE) arg = getLastSliceTicks(n);
    }
    store<i32>(cmd, batchOther(op, node, pid, arg), 0);
    store<u64>(cmd, 0, 4);
    store<u32>(cmd, 0, 12);
    i++;
  }
  return <i32>count;
}

// @ts-ignore: decorator
@inline function isHotOp(op: u32): bool { return (op >= OP_PICK && op <= OP_REQUEUE) || op == OP_SWITCH; }

/**
 * Runs the batch's commands from `start` while they are hot commands on `node` (at least the
 * first one is); returns the index of the first command it did not run. `policy` is a constant
 * at each call site, so each policy gets its own loop of straight-line code.
 */
// @ts-ignore: decorator
@inline function hotRun(start: u32, count: u32, node: u32, n: usize, table: usize, policy: u32): u32 {
  let i = start;
  for (; i < count; i++) {
    const cmd = BATCH + ((<usize>i) << 4);
    const op = load<u32>(cmd, 0);
    if (load<u32>(cmd, 4) != node || !isHotOp(op)) break;
    runHot(cmd, op, n, table, node, load<u32>(cmd, 8), load<u32>(cmd, 12), policy);
  }
  return i;
}
function hotRunRoundRobin(start: u32, count: u32, node: u32, n: usize, table: usize): u32 { return hotRun(start, count, node, n, table, POLICY_ROUND_ROBIN); }
function hotRunPriority(start: u32, count: u32, node: u32, n: usize, table: usize): u32 { return hotRun(start, count, node, n, table, POLICY_PRIORITY); }
function hotRunFair(start: u32, count: u32, node: u32, n: usize, table: usize): u32 { return hotRun(start, count, node, n, table, POLICY_FAIR); }
function hotRunEevdf(start: u32, count: u32, node: u32, n: usize, table: usize): u32 { return hotRun(start, count, node, n, table, POLICY_EEVDF); }

/**
 * One hot command (pick, charge, requeue or switch) on a node already looked up and marked,
 * written back in place as [result, sliceTicks, reason, value]. `policy` is a constant at each
 * call site, so each policy gets its own straight-line code.
 */
// @ts-ignore: decorator
@inline function runHot(cmd: usize, op: u32, n: usize, table: usize, node: u32, pid: u32, arg: u32, policy: u32): void {
  // BATCH_RUNNING / BATCH_LAST_SLICE let one batch chain a pick with its charge and requeue.
  if (pid == BATCH_RUNNING) pid = getRunningPid(n);
  let result: i32;
  if (op == OP_PICK || op == OP_SWITCH) {
    result = op == OP_PICK ? pickNext(n, table, node, policy) : switchNext(n, table, node, arg, policy);
    // Both record the decision (a pid or idle): report it.
    store<i32>(cmd, result, 0);
    store<u32>(cmd, getLastSliceTicks(n), 4);
    store<u32>(cmd, getLastReason(n), 8);
    const full = getLastValue(n);
    store<u32>(cmd, full > <u64>u32.MAX_VALUE ? u32.MAX_VALUE : <u32>full, 12);
    return;
  }
  if (op == OP_CHARGE) {
    if (arg == BATCH_LAST_SLICE) arg = getLastSliceTicks(n);
    result = pid >= procsPerNodeCached ? SCHED_E_PID_RANGE : chargeChecked(n, table, node, pid, arg, policy);
  } else {
    result = pid >= procsPerNodeCached ? SCHED_E_PID_RANGE : requeueChecked(n, table, node, pid, policy);
  }
  store<i32>(cmd, result, 0);
  store<u64>(cmd, 0, 4);
  store<u32>(cmd, 0, 12);
}

/** The batch's cold commands (and any command on a bad node): through the entry points. */
function batchOther(op: u32, node: u32, pid: u32, arg: u32): i32 {
  switch (op) {
    case OP_ADD: return schedAdd(node, pid, <i32>arg);
    case OP_REMOVE: return schedRemove(node, pid);
    case OP_BLOCK: return schedBlock(node, pid);
    case OP_WAKE: return schedWake(node, pid);
    case OP_PICK: return schedPick(node);
    case OP_SWITCH: return schedSwitch(node, arg);
    case OP_CHARGE: return schedCharge(node, pid, arg);
    case OP_REQUEUE: return schedRequeue(node, pid);
    case OP_SET_NICE: return schedSetNice(node, pid, <i32>arg);
    case OP_SET_POLICY: return schedSetPolicy(node, arg);
    default: return SCHED_E_OP;
  }
}

// ── Queries (the kernel and the UI read these; none changes state) ─────────────────────────────

// @ts-ignore: decorator
@inline function nodeOk(node: u32): bool { return configured() && node < nodeCountCached; }
// @ts-ignore: decorator
@inline function procOk(node: u32, pid: u32): bool { return nodeOk(node) && pid < procsPerNodeCached; }

export function schedPolicy(node: u32): i32 { return nodeOk(node) ? <i32>getPolicy(nodeAt(node)) : SCHED_E_NODE; }
export function schedQueuedCount(node: u32): i32 { return nodeOk(node) ? <i32>getQueuedCount(nodeAt(node)) : SCHED_E_NODE; }
export function schedProcCount(node: u32): i32 { return nodeOk(node) ? <i32>getProcCount(nodeAt(node)) : SCHED_E_NODE; }
export function schedRunningPid(node: u32): i32 {
  if (!nodeOk(node)) return SCHED_E_NODE;
  const running = getRunningPid(nodeAt(node));
  return running == NONE ? SCHED_IDLE : <i32>running;
}
export function schedClockTicks(node: u32): u64 { return nodeOk(node) ? getClockTicks(nodeAt(node)) : 0; }
export function schedLastPid(node: u32): i32 {
  if (!nodeOk(node)) return SCHED_E_NODE;
  const pid = getLastPid(nodeAt(node));
  return pid == NONE ? SCHED_IDLE : <i32>pid;
}
export function schedLastReason(node: u32): u32 { return nodeOk(node) ? getLastReason(nodeAt(node)) : 0; }
export function schedLastSliceTicks(node: u32): u32 { return nodeOk(node) ? getLastSliceTicks(nodeAt(node)) : 0; }
export function schedLastValue(node: u32): u64 { return nodeOk(node) ? getLastValue(nodeAt(node)) : 0; }
export function schedPickCount(node: u32): u64 { return nodeOk(node) ? getPickCount(nodeAt(node)) : 0; }
export function schedProcState(node: u32, pid: u32): i32 { return procOk(node, pid) ? <i32>getState(procAt(procTableOf(node), pid)) : SCHED_E_PID_RANGE; }
export function schedProcNice(node: u32, pid: u32): i32 { return procOk(node, pid) ? getNice(procAt(procTableOf(node), pid)) : 0; }
export function schedProcLevel(node: u32, pid: u32): i32 { return procOk(node, pid) ? <i32>getLevel(procAt(procTableOf(node), pid)) : SCHED_E_PID_RANGE; }
export function schedProcVruntime(node: u32, pid: u32): u64 { return procOk(node, pid) ? getVruntime(procAt(procTableOf(node), pid)) : 0; }
export function schedProcDeadline(node: u32, pid: u32): u64 { return procOk(node, pid) ? getDeadline(procAt(procTableOf(node), pid)) : 0; }
/** EEVDF: V, the weighted average vruntime of the node's run queue. */
export function schedAverageVruntime(node: u32): u64 { return nodeOk(node) ? averageVruntime(nodeAt(node)) : 0; }
export function schedTotalWeight(node: u32): u64 { return nodeOk(node) ? getTotalWeight(nodeAt(node)) : 0; }
export function schedMinVruntime(node: u32): u64 { return nodeOk(node) ? getMinVruntime(nodeAt(node)) : 0; }

// ── Snapshots: the region as bytes ─────────────────────────────────────────────────────────────

export function schedStatePtr(): usize { return schedBase; }
export function schedStateBytes(): usize { return configured() ? regionBytes(nodeCountCached, procsPerNodeCached) : 0; }
/** After the kernel wrote snapshot bytes over the region: marks it dirty and checks the header. */
export function schedRestored(): i32 {
  if (!configured()) return SCHED_E_NOT_CONFIGURED;
  markDirtyRange(schedBase, regionBytes(nodeCountCached, procsPerNodeCached));
  if (getMagic() != SCHED_MAGIC || getHeaderNodeCount() != nodeCountCached || getHeaderProcsPerNode() != procsPerNodeCached) return SCHED_E_CONFIG;
  return SCHED_OK;
}

// ── Invariants (tests and simulations call this after every operation) ────────────────────────

// Violation codes: 0 = consistent.
export const INV_COUNTS: i32 = 1;        // procCount / queuedCount disagree with the table
export const INV_RUNNING: i32 = 2;       // runningPid is not the one RUNNING process
export const INV_LIST: i32 = 3;          // a FIFO list is broken (links, level, bitmap)
export const INV_QUEUE_MEMBERSHIP: i32 = 4; // a runnable pid is not in exactly one queue slot
export const INV_HEAP_ORDER: i32 = 5;    // fair heap out of order or stale key
export const INV_TREAP: i32 = 6;         // EEVDF treap order, priority or augment wrong
export const INV_LOAD: i32 = 7;          // totalWeight / keySum disagree with the run queue
export const INV_LEVEL: i32 = 8;         // a level above the base level's, or out of range

function treapCheck(table: usize, t: u32, depth: u32, limit: u32): i32 {
  // Returns the subtree size, or -1 if anything is wrong.
  if (t == NONE) return 0;
  if (depth > limit) return -1;
  const p = procAt(table, t);
  if (getState(p) != STATE_RUNNABLE) return -1;
  const left = getLeft(p), right = getRight(p);
  let least = getVruntime(p);
  let size: i32 = 1;
  if (left != NONE) {
    const pl = procAt(table, left);
    const dl = getDeadline(pl), dt = getDeadline(p);
    if (!(dl < dt || (dl == dt && left < t))) return -1;
    if (treapPriority(left) > treapPriority(t)) return -1;
    const s = treapCheck(table, left, depth + 1, limit);
    if (s < 0) return -1;
    size += s;
    least = min<u64>(least, getSubtreeMinVruntime(pl));
  }
  if (right != NONE) {
    const pr = procAt(table, right);
    const dr = getDeadline(pr), dt = getDeadline(p);
    if (!(dt < dr || (dt == dr && t < right))) return -1;
    if (treapPriority(right) > treapPriority(t)) return -1;
    const s = treapCheck(table, right, depth + 1, limit);
    if (s < 0) return -1;
    size += s;
    least = min<u64>(least, getSubtreeMinVruntime(pr));
  }
  if (least != getSubtreeMinVruntime(p)) return -1;
  return size;
}

export function schedCheckInvariants(node: u32): i32 {
  if (!configured()) return SCHED_E_NOT_CONFIGURED;
  if (node >= nodeCountCached) return SCHED_E_NODE;
  const n = nodeAt(node), table = procTableOf(node);
  const policy = getPolicy(n);
  const capacity = procsPerNodeCached;
  let procs: u32 = 0, runnable: u32 = 0, runningSeen: u32 = NONE, runningCount: u32 = 0;
  let weight: u64 = 0, keySum: i64 = 0;
  for (let pid: u32 = 0; pid < capacity; pid++) {
    const p = procAt(table, pid);
    const state = getState(p);
    if (state == STATE_FREE) continue;
    procs++;
    if (getBaseLevel(p) >= SCHED_LEVELS || getLevel(p) > getBaseLevel(p)) { if (policy == POLICY_PRIORITY) return INV_LEVEL; }
    if (state == STATE_RUNNABLE) runnable++;
    if (state == STATE_RUNNING) { runningCount++; runningSeen = pid; }
    if (state == STATE_RUNNABLE || state == STATE_RUNNING) {
      weight += getWeight(p);
      keySum += (<i64>(getVruntime(p) - getZeroVruntime(n))) * <i64>getWeight(p);
    }
  }
  if (procs != getProcCount(n) || runnable != getQueuedCount(n)) return INV_COUNTS;
  if (runningCount > 1 || runningSeen != getRunningPid(n)) return INV_RUNNING;
  if (weight != getTotalWeight(n)) return INV_LOAD;
  if (policy == POLICY_EEVDF && keySum != getKeySum(n)) return INV_LOAD;
  if (policy == POLICY_ROUND_ROBIN || policy == POLICY_PRIORITY) {
    let seen: u32 = 0;
    for (let level: u32 = 0; level < SCHED_LEVELS; level++) {
      const head = getLevelHead(n, level);
      const bit = (getLevelBitmap(n) >> level) & 1;
      if ((head != NONE) != (bit == 1)) return INV_LIST;
      if (policy == POLICY_ROUND_ROBIN && level > 0 && head != NONE) return INV_LIST;
      let prev = NONE, at = head;
      for (let guard: u32 = 0; at != NONE; guard++) {
        if (guard > runnable || at >= capacity) return INV_QUEUE_MEMBERSHIP;
        const p = procAt(table, at);
        if (getState(p) != STATE_RUNNABLE || getPrev(p) != prev) return INV_QUEUE_MEMBERSHIP;
        if (getLevel(p) != level) return INV_LIST;
        prev = at;
        at = getNext(p);
        seen++;
      }
      if (getLevelTail(n, level) != prev) return INV_LIST;
    }
    if (seen != runnable) return INV_QUEUE_MEMBERSHIP;
  } else if (policy == POLICY_FAIR) {
    const queue = fairQueueOf(node);
    for (let i: u32 = 0; i < runnable; i++) {
      const e = entryAt(queue, i);
      const pid = getEntryPid(e);
      if (pid >= capacity) return INV_QUEUE_MEMBERSHIP;
      const p = procAt(table, pid);
      if (getState(p) != STATE_RUNNABLE || getQueueSlot(fairSlotsOf(node), pid) != i) return INV_QUEUE_MEMBERSHIP;
      if (getEntryKey(e) != getVruntime(p)) return INV_HEAP_ORDER;
      if (i > 0) {
        const parent = entryAt(queue, (i - 1) >> 1);
        const pk = getEntryKey(parent), k = getEntryKey(e);
        if (k < pk || (k == pk && pid < getEntryPid(parent))) return INV_HEAP_ORDER;
      }
    }
  } else {
    const size = treapCheck(table, getTreapRoot(n), 0, capacity);
    if (size < 0) return INV_TREAP;
    if (<u32>size != runnable) return INV_QUEUE_MEMBERSHIP;
  }
  return 0;
}
