// Plain TypeScript model of one node's scheduler (assembly/sched/): the same four policies, the
// same data structures (FIFO lists with a level bitmap, a binary heap with inline keys, a treap
// by deadline augmented with the least vruntime) on typed arrays, the same tie-breaks and the
// same integer arithmetic. It is the oracle of the differential tests and the "same algorithm in
// TypeScript" peer of the scheduler benchmark.
//
// Numbers: u64 fields are JS numbers, exact while below 2^53 (tests and benchmarks stay there);
// every division is an exact integer division (idiv), never a rounded float quotient.

export const NONE = 0xffffffff;
export const STATE_FREE = 0, STATE_RUNNABLE = 1, STATE_RUNNING = 2, STATE_BLOCKED = 3;
export const POLICY_ROUND_ROBIN = 0, POLICY_PRIORITY = 1, POLICY_FAIR = 2, POLICY_EEVDF = 3;
export const REASON_NONE = 0, REASON_IDLE = 1, REASON_NEXT_IN_RING = 2, REASON_HIGHEST_LEVEL = 3, REASON_AGED = 4,
  REASON_LOWEST_VRUNTIME = 5, REASON_EARLIEST_ELIGIBLE_DEADLINE = 6;
export const SCHED_OK = 0, SCHED_E_PID_RANGE = -2, SCHED_E_EXISTS = -3, SCHED_E_NO_PROCESS = -4, SCHED_E_STATE = -5,
  SCHED_E_NICE = -6, SCHED_E_POLICY = -7, SCHED_E_CONFIG = -9, SCHED_IDLE = -11;

const LEVELS = 40;
const SHIFT = 1048576; // 2^20
const FAIR_SLICE_MIN_DIVISOR = 8;
const FAIR_SLICE_MAX_QUANTA = 8;
const EEVDF_LAG_LIMIT_SLICES = 2;

export const WEIGHTS = [
  88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
  9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277,
  1024, 820, 655, 526, 423, 335, 272, 215, 172, 137,
  110, 87, 70, 56, 45, 36, 29, 23, 18, 15,
];

/** floor(a / b) for non-negative safe integers, exact. */
export function idiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q--;
  else if ((q + 1) * b <= a) q++;
  return q;
}
/** Truncating signed division (like i64 `/`), exact for safe integers. */
function tdiv(a: number, b: number): number {
  return a < 0 ? -idiv(-a, b) : idiv(a, b);
}

export function treapPriority(pid: number): number {
  let h = pid >>> 0;
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

export class SchedModel {
  readonly capacity: number;
  policy = POLICY_FAIR;
  queuedCount = 0;
  procCount = 0;
  runningPid = NONE;
  clock = 0;
  quantum = 1000;
  aging = 16000;
  private bitsLow = 0; // levels 0..31
  private bitsHigh = 0; // levels 32..39
  minVruntime = 0;
  totalWeight = 0;
  keySum = 0;
  zeroVruntime = 0;
  treapRoot = NONE;
  lastPid = NONE;
  lastReason = 0;
  lastSlice = 0;
  lastValue = 0;
  pickCount = 0;
  readonly levelHead = new Uint32Array(LEVELS).fill(NONE);
  readonly levelTail = new Uint32Array(LEVELS).fill(NONE);

  readonly state: Uint8Array;
  readonly nice: Int8Array;
  readonly baseLevel: Uint8Array;
  readonly level: Uint8Array;
  readonly weight: Uint32Array;
  readonly vruntime: Float64Array;
  readonly deadline: Float64Array; // also the saved lag while blocked (EEVDF)
  readonly next: Uint32Array; // FIFO next / treap left
  readonly prev: Uint32Array; // FIFO prev / treap right
  readonly queueIndex: Uint32Array;
  readonly enqueuedAt: Float64Array;
  readonly subtreeMin: Float64Array;
  readonly heapKey: Float64Array;
  readonly heapPid: Uint32Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.state = new Uint8Array(capacity);
    this.nice = new Int8Array(capacity);
    this.baseLevel = new Uint8Array(capacity);
    this.level = new Uint8Array(capacity);
    this.weight = new Uint32Array(capacity);
    this.vruntime = new Float64Array(capacity);
    this.deadline = new Float64Array(capacity);
    this.next = new Uint32Array(capacity);
    this.prev = new Uint32Array(capacity);
    this.queueIndex = new Uint32Array(capacity);
    this.enqueuedAt = new Float64Array(capacity);
    this.subtreeMin = new Float64Array(capacity);
    this.heapKey = new Float64Array(capacity);
    this.heapPid = new Uint32Array(capacity);
  }

  setTiming(quantum: number, aging: number): number {
    if (quantum === 0) return SCHED_E_CONFIG;
    this.quantum = quantum;
    this.aging = aging;
    return SCHED_OK;
  }

  // ── level bitmap ──
  private setBit(level: number): void { if (level < 32) this.bitsLow = (this.bitsLow | (1 << level)) >>> 0; else this.bitsHigh |= 1 << (level - 32); }
  private clearBit(level: number): void { if (level < 32) this.bitsLow = (this.bitsLow & ~(1 << level)) >>> 0; else this.bitsHigh &= ~(1 << (level - 32)); }
  private lowestLevel(): number { return this.bitsLow !== 0 ? 31 - Math.clz32(this.bitsLow & -this.bitsLow) : 32 + 31 - Math.clz32(this.bitsHigh & -this.bitsHigh); }
  levelBits(): [number, number] { return [this.bitsLow, this.bitsHigh]; }

  // ── FIFO lists ──
  private listPushTail(level: number, pid: number): void {
    const tail = this.levelTail[level];
    this.next[pid] = NONE;
    this.prev[pid] = tail;
    if (tail === NONE) { this.levelHead[level] = pid; this.setBit(level); } else this.next[tail] = pid;
    this.levelTail[level] = pid;
  }
  private listRemove(level: number, pid: number): void {
    const next = this.next[pid], prev = this.prev[pid];
    if (prev === NONE) this.levelHead[level] = next; else this.next[prev] = next;
    if (next === NONE) this.levelTail[level] = prev; else this.prev[next] = prev;
    if (this.levelHead[level] === NONE) this.clearBit(level);
    this.next[pid] = NONE;
    this.prev[pid] = NONE;
  }

  // ── fair heap ──
  private place(index: number, key: number, pid: number): void {
    this.heapKey[index] = key; this.heapPid[index] = pid; this.queueIndex[pid] = index;
  }
  private siftUp(index: number, key: number, pid: number): void {
    const keys = this.heapKey, pids = this.heapPid;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const pk = keys[parent], pp = pids[parent];
      if (!(key < pk || (key === pk && pid < pp))) break;
      this.place(index, pk, pp);
      index = parent;
    }
    this.place(index, key, pid);
  }
  private siftDown(count: number, index: number, key: number, pid: number): void {
    const keys = this.heapKey, pids = this.heapPid;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= count) break;
      let child = left, ck = keys[left], cp = pids[left];
      const right = left + 1;
      if (right < count) {
        const rk = keys[right], rp = pids[right];
        if (rk < ck || (rk === ck && rp < cp)) { child = right; ck = rk; cp = rp; }
      }
      if (!(ck < key || (ck === key && cp < pid))) break;
      this.place(index, ck, cp);
      index = child;
    }
    this.place(index, key, pid);
  }
  private heapRemoveAt(count: number, index: number): void {
    const last = count - 1;
    if (index === last) return;
    const key = this.heapKey[last], pid = this.heapPid[last];
    if (index > 0) {
      const parent = (index - 1) >> 1;
      const pk = this.heapKey[parent];
      if (key < pk || (key === pk && pid < this.heapPid[parent])) { this.siftUp(index, key, pid); return; }
    }
    this.siftDown(last, index, key, pid);
  }

  // ── treap ──
  private before(a: number, b: number): boolean {
    const da = this.deadline[a], db = this.deadline[b];
    return da < db || (da === db && a < b);
  }
  private treapUpdate(t: number): void {
    let least = this.vruntime[t];
    const l = this.next[t], r = this.prev[t];
    if (l !== NONE && this.subtreeMin[l] < least) least = this.subtreeMin[l];
    if (r !== NONE && this.subtreeMin[r] < least) least = this.subtreeMin[r];
    this.subtreeMin[t] = least;
  }
  private treapInsert(t: number, x: number): number {
    if (t === NONE) { this.next[x] = NONE; this.prev[x] = NONE; this.subtreeMin[x] = this.vruntime[x]; return x; }
    if (this.before(x, t)) {
      const child = this.treapInsert(this.next[t], x);
      this.next[t] = child;
      if (treapPriority(child) > treapPriority(t)) {
        this.next[t] = this.prev[child]; this.prev[child] = t;
        this.treapUpdate(t); this.treapUpdate(child);
        return child;
      }
    } else {
      const child = this.treapInsert(this.prev[t], x);
      this.prev[t] = child;
      if (treapPriority(child) > treapPriority(t)) {
        this.prev[t] = this.next[child]; this.next[child] = t;
        this.treapUpdate(t); this.treapUpdate(child);
        return child;
      }
    }
    this.treapUpdate(t);
    return t;
  }
  private treapMerge(a: number, b: number): number {
    if (a === NONE) return b;
    if (b === NONE) return a;
    if (treapPriority(a) > treapPriority(b)) { this.prev[a] = this.treapMerge(this.prev[a], b); this.treapUpdate(a); return a; }
    this.next[b] = this.treapMerge(a, this.next[b]); this.treapUpdate(b); return b;
  }
  private treapRemove(t: number, x: number): number {
    if (t === NONE) throw new Error('treapRemove: x must be in the treap');
    if (t === x) { const m = this.treapMerge(this.next[t], this.prev[t]); this.next[t] = NONE; this.prev[t] = NONE; return m; }
    if (this.before(x, t)) this.next[t] = this.treapRemove(this.next[t], x); else this.prev[t] = this.treapRemove(this.prev[t], x);
    this.treapUpdate(t);
    return t;
  }

  // ── virtual time ──
  private vslice(weight: number): number { return idiv(this.quantum * SHIFT, weight); }
  averageVruntime(): number {
    const W = this.totalWeight;
    if (W === 0) return this.zeroVruntime;
    let sum = this.keySum;
    if (sum < 0) sum -= W - 1;
    return this.zeroVruntime + tdiv(sum, W);
  }
  private isEligible(v: number): boolean { return (v - this.zeroVruntime) * this.totalWeight <= this.keySum; }
  private rebaseZero(): void {
    const average = this.averageVruntime();
    const delta = average - this.zeroVruntime;
    if (delta === 0) return;
    this.keySum -= delta * this.totalWeight;
    this.zeroVruntime = average;
  }
  private joinLoad(pid: number): void {
    const w = this.weight[pid];
    this.totalWeight += w;
    if (this.policy === POLICY_EEVDF) this.keySum += (this.vruntime[pid] - this.zeroVruntime) * w;
  }
  private leaveLoad(pid: number): void {
    const w = this.weight[pid];
    this.totalWeight -= w;
    if (this.policy === POLICY_EEVDF) this.keySum -= (this.vruntime[pid] - this.zeroVruntime) * w;
  }
  private enqueue(pid: number): void {
    this.enqueuedAt[pid] = this.clock;
    const policy = this.policy;
    if (policy === POLICY_ROUND_ROBIN) { this.level[pid] = 0; this.listPushTail(0, pid); }
    else if (policy === POLICY_PRIORITY) this.listPushTail(this.level[pid], pid);
    else if (policy === POLICY_FAIR) this.siftUp(this.queuedCount, this.vruntime[pid], pid);
    else this.treapRoot = this.treapInsert(this.treapRoot, pid);
    this.queuedCount++;
  }
  private dequeue(pid: number): void {
    const policy = this.policy;
    if (policy === POLICY_ROUND_ROBIN || policy === POLICY_PRIORITY) this.listRemove(this.level[pid], pid);
    else if (policy === POLICY_FAIR) this.heapRemoveAt(this.queuedCount, this.queueIndex[pid]);
    else this.treapRoot = this.treapRemove(this.treapRoot, pid);
    this.queuedCount--;
  }
  private updateMinVruntime(): void {
    if (this.policy !== POLICY_FAIR) return;
    let candidate = Infinity;
    if (this.runningPid !== NONE) candidate = this.vruntime[this.runningPid];
    if (this.queuedCount > 0 && this.heapKey[0] < candidate) candidate = this.heapKey[0];
    if (candidate !== Infinity && candidate > this.minVruntime) this.minVruntime = candidate;
  }
  private placeOnJoin(pid: number, fresh: boolean): void {
    if (this.policy === POLICY_FAIR) {
      const floor = this.minVruntime;
      if (fresh) this.vruntime[pid] = floor;
      else {
        const credit = this.quantum * 512;
        const least = floor > credit ? floor - credit : 0;
        if (this.vruntime[pid] < least) this.vruntime[pid] = least;
      }
    } else if (this.policy === POLICY_EEVDF) {
      const average = this.averageVruntime();
      const lag = fresh ? 0 : this.deadline[pid];
      const placed = average - lag;
      this.vruntime[pid] = placed < 0 ? 0 : placed;
      this.deadline[pid] = this.vruntime[pid] + this.vslice(this.weight[pid]);
    } else if (this.policy === POLICY_PRIORITY) {
      this.level[pid] = this.baseLevel[pid];
    }
  }

  // ── operations ──
  add(pid: number, nice: number): number {
    if (pid >= this.capacity) return SCHED_E_PID_RANGE;
    if (nice < -20 || nice > 19) return SCHED_E_NICE;
    if (this.state[pid] !== STATE_FREE) return SCHED_E_EXISTS;
    const level = nice + 20;
    this.nice[pid] = nice; this.baseLevel[pid] = level; this.level[pid] = level; this.weight[pid] = WEIGHTS[level];
    this.vruntime[pid] = 0; this.deadline[pid] = 0;
    this.state[pid] = STATE_RUNNABLE;
    this.placeOnJoin(pid, true);
    this.joinLoad(pid);
    this.enqueue(pid);
    this.procCount++;
    return SCHED_OK;
  }

  remove(pid: number): number {
    if (pid >= this.capacity) return SCHED_E_PID_RANGE;
    const state = this.state[pid];
    if (state === STATE_FREE) return SCHED_E_NO_PROCESS;
    if (state === STATE_RUNNABLE) this.dequeue(pid);
    else if (state === STATE_RUNNING) this.runningPid = NONE;
    if (state !== STATE_BLOCKED) this.leaveLoad(pid);
    this.state[pid] = 0; this.nice[pid] = 0; this.baseLevel[pid] = 0; this.level[pid] = 0; this.weight[pid] = 0;
    this.vruntime[pid] = 0; this.deadline[pid] = 0; this.next[pid] = 0; this.prev[pid] = 0; this.queueIndex[pid] = 0;
    this.enqueuedAt[pid] = 0; this.subtreeMin[pid] = 0;
    this.procCount--;
    this.updateMinVruntime();
    return SCHED_OK;
  }

  block(pid: number): number {
    if (pid >= this.capacity) return SCHED_E_PID_RANGE;
    const state = this.state[pid];
    if (state === STATE_FREE) return SCHED_E_NO_PROCESS;
    if (state === STATE_BLOCKED) return SCHED_E_STATE;
    if (state === STATE_RUNNABLE) this.dequeue(pid); else this.runningPid = NONE;
    if (this.policy === POLICY_EEVDF) {
      const limit = EEVDF_LAG_LIMIT_SLICES * this.vslice(this.weight[pid]);
      let lag = this.averageVruntime() - this.vruntime[pid];
      if (lag > limit) lag = limit;
      if (lag < -limit) lag = -limit;
      this.deadline[pid] = lag;
    }
    this.leaveLoad(pid);
    this.state[pid] = STATE_BLOCKED;
    this.updateMinVruntime();
    return SCHED_OK;
  }

  wake(pid: number): number {
    if (pid >= this.capacity) return SCHED_E_PID_RANGE;
    const state = this.state[pid];
    if (state === STATE_FREE) return SCHED_E_NO_PROCESS;
    if (state !== STATE_BLOCKED) return SCHED_E_STATE;
    this.placeOnJoin(pid, false);
    this.joinLoad(pid);
    this.state[pid] = STATE_RUNNABLE;
    this.enqueue(pid);
    return SCHED_OK;
  }

  requeue(pid: number): number {
    if (pid >= this.capacity) return SCHED_E_PID_RANGE;
    const state = this.state[pid];
    if (state === STATE_FREE) return SCHED_E_NO_PROCESS;
    if (state !== STATE_RUNNING) return SCHED_E_STATE;
    this.runningPid = NONE;
    this.state[pid] = STATE_RUNNABLE;
    if (this.policy === POLICY_PRIORITY) this.level[pid] = this.baseLevel[pid];
    this.enqueue(pid);
    return SCHED_OK;
  }

  charge(pid: number, ticks: number): number {
    if (pid >= this.capacity) return SCHED_E_PID_RANGE;
    const state = this.state[pid];
    if (state === STATE_FREE) return SCHED_E_NO_PROCESS;
    if (state !== STATE_RUNNING) return SCHED_E_STATE;
    this.clock += ticks;
    if (this.policy === POLICY_FAIR) {
      this.vruntime[pid] += idiv(ticks * SHIFT, this.weight[pid]);
      this.updateMinVruntime();
    } else if (this.policy === POLICY_EEVDF) {
      const w = this.weight[pid];
      const delta = idiv(ticks * SHIFT, w);
      const v = this.vruntime[pid] + delta;
      this.vruntime[pid] = v;
      this.keySum += delta * w;
      if (v >= this.deadline[pid]) this.deadline[pid] = v + this.vslice(w);
      this.rebaseZero();
    }
    return SCHED_OK;
  }

  private ageLevels(): void {
    const aging = this.aging;
    if (aging === 0) return;
    let low = this.bitsLow, high = this.bitsHigh;
    // drop the top level
    if (low !== 0) low = (low & (low - 1)) >>> 0; else high &= high - 1;
    const now = this.clock;
    for (let guard = 0; (low !== 0 || high !== 0) && guard < LEVELS; guard++) {
      let level: number;
      if (low !== 0) { level = 31 - Math.clz32(low & -low); low = (low & (low - 1)) >>> 0; }
      else { level = 32 + 31 - Math.clz32(high & -high); high &= high - 1; }
      const head = this.levelHead[level];
      if (now - this.enqueuedAt[head] >= aging) {
        this.listRemove(level, head);
        this.level[head] = level - 1;
        this.listPushTail(level - 1, head);
      }
    }
  }

  private recordPick(pid: number, reason: number, slice: number, value: number): void {
    this.lastPid = pid; this.lastReason = reason; this.lastSlice = slice; this.lastValue = value; this.pickCount++;
  }

  pick(): number {
    if (this.runningPid !== NONE) this.requeue(this.runningPid);
    if (this.queuedCount === 0) { this.recordPick(NONE, REASON_IDLE, 0, 0); return SCHED_IDLE; }
    const policy = this.policy, quantum = this.quantum, now = this.clock;
    let pid = NONE, reason = 0, slice = quantum, value = 0;
    if (policy === POLICY_ROUND_ROBIN) {
      pid = this.levelHead[0];
      reason = REASON_NEXT_IN_RING;
      value = now - this.enqueuedAt[pid];
    } else if (policy === POLICY_PRIORITY) {
      this.ageLevels();
      const level = this.lowestLevel();
      pid = this.levelHead[level];
      if (level < this.baseLevel[pid]) { reason = REASON_AGED; value = now - this.enqueuedAt[pid]; }
      else { reason = REASON_HIGHEST_LEVEL; value = level; }
    } else if (policy === POLICY_FAIR) {
      pid = this.heapPid[0];
      reason = REASON_LOWEST_VRUNTIME;
      value = idiv(this.heapKey[0], 1024);
      const period = quantum * this.queuedCount;
      const s = idiv(period * this.weight[pid], this.totalWeight);
      const least = Math.max(idiv(quantum, FAIR_SLICE_MIN_DIVISOR), 1);
      const most = quantum * FAIR_SLICE_MAX_QUANTA;
      slice = Math.min(Math.max(s, least), most);
    } else {
      pid = this.pickEligible();
      reason = REASON_EARLIEST_ELIGIBLE_DEADLINE;
      value = idiv(this.deadline[pid], 1024);
    }
    if (pid === NONE) throw new Error('a non-empty run queue always has a pick');
    this.dequeue(pid);
    this.state[pid] = STATE_RUNNING;
    if (policy === POLICY_PRIORITY) this.level[pid] = this.baseLevel[pid];
    this.runningPid = pid;
    this.recordPick(pid, reason, slice, value);
    return pid;
  }

  private pickEligible(): number {
    let t = this.treapRoot;
    for (let guard = 0; t !== NONE && guard < this.capacity; guard++) {
      const left = this.next[t];
      if (left !== NONE && this.isEligible(this.subtreeMin[left])) { t = left; continue; }
      if (this.isEligible(this.vruntime[t])) return t;
      t = this.prev[t];
    }
    return NONE;
  }

  setNice(pid: number, nice: number): number {
    if (pid >= this.capacity) return SCHED_E_PID_RANGE;
    if (nice < -20 || nice > 19) return SCHED_E_NICE;
    const state = this.state[pid];
    if (state === STATE_FREE) return SCHED_E_NO_PROCESS;
    const onQueue = state !== STATE_BLOCKED;
    if (state === STATE_RUNNABLE) this.dequeue(pid);
    if (onQueue) this.leaveLoad(pid);
    const level = nice + 20;
    this.nice[pid] = nice; this.baseLevel[pid] = level; this.level[pid] = level; this.weight[pid] = WEIGHTS[level];
    if (onQueue) {
      if (this.policy === POLICY_EEVDF) this.deadline[pid] = this.vruntime[pid] + this.vslice(this.weight[pid]);
      this.joinLoad(pid);
    }
    if (state === STATE_RUNNABLE) this.enqueue(pid);
    return SCHED_OK;
  }

  setPolicy(policy: number): number {
    if (policy < 0 || policy >= 4) return SCHED_E_POLICY;
    this.policy = policy;
    this.queuedCount = 0;
    this.bitsLow = 0; this.bitsHigh = 0;
    this.levelHead.fill(NONE); this.levelTail.fill(NONE);
    this.treapRoot = NONE;
    this.minVruntime = 0; this.totalWeight = 0; this.keySum = 0; this.zeroVruntime = 0;
    for (let pid = 0; pid < this.capacity; pid++) {
      const state = this.state[pid];
      if (state === STATE_FREE) continue;
      this.vruntime[pid] = 0;
      this.level[pid] = this.baseLevel[pid];
      this.next[pid] = NONE; this.prev[pid] = NONE;
      if (state === STATE_BLOCKED) { this.deadline[pid] = 0; continue; }
      this.deadline[pid] = this.vslice(this.weight[pid]);
      this.joinLoad(pid);
      if (state === STATE_RUNNABLE) this.enqueue(pid);
    }
    return SCHED_OK;
  }
}
