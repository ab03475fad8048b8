// Typed wrapper over the wasm scheduler (assembly/sched/). One scheduler per node; pids are slots
// 0 .. procsPerNode-1 of the node's process table. Operations return 0 or a negative SchedCode
// (never throw for a simulated failure); misuse of the wrapper itself (bad batch size) throws.
import type { CoreExports } from './exports';

export const SCHED_POLICIES = ['round-robin', 'priority', 'fair', 'eevdf'] as const;
export type SchedPolicy = (typeof SCHED_POLICIES)[number];

export const SCHED_REASONS = [
  'none', 'idle', 'next-in-ring', 'highest-level', 'aged', 'lowest-vruntime', 'earliest-eligible-deadline',
] as const;
export type SchedReason = (typeof SCHED_REASONS)[number];

export const SchedCode = {
  ok: 0,
  badNode: -1,
  tableFull: -2, // pid beyond the node's process-table capacity
  exists: -3,
  noProcess: -4,
  wrongState: -5,
  badNice: -6,
  badPolicy: -7,
  notConfigured: -8,
  badConfig: -9,
  badOp: -10,
  idle: -11,
  batchTooLong: -12,
} as const;

const CODE_NAMES = new Map<number, string>(Object.entries(SchedCode).map(([name, code]) => [code, name]));
export function schedCodeName(code: number): string { return CODE_NAMES.get(code) ?? `code ${code}`; }

export const SchedState = { free: 0, runnable: 1, running: 2, blocked: 3 } as const;

/** Batch pid meaning "the node's running process", and charge ticks meaning "the last pick's slice". */
export const BATCH_RUNNING = 0xffffffff;
export const BATCH_LAST_SLICE = 0xffffffff;

export const SchedOp = {
  add: 1, remove: 2, block: 3, wake: 4, pick: 5, charge: 6, requeue: 7, setNice: 8, setPolicy: 9,
  /** arg = ticks the running process ran (or BATCH_LAST_SLICE): charge, requeue, pick next. */
  switch: 10,
} as const;

const INVARIANT_NAMES: Record<number, string> = {
  1: 'procCount / queuedCount disagree with the process table',
  2: 'runningPid is not the one RUNNING process',
  3: 'a FIFO list is broken (links, level or bitmap)',
  4: 'a runnable pid is not in exactly one queue slot',
  5: 'the fair heap is out of order or holds a stale key',
  6: 'the EEVDF treap order, priority or augment is wrong',
  7: 'totalWeight / keySum disagree with the run queue',
  8: 'a priority level is above its base level or out of range',
};

export interface SchedPick {
  /** null when the node is idle. */
  pid: number | null;
  sliceTicks: number;
  reason: SchedReason;
  /** The deciding value: ticks waited, level, vruntime or deadline (in nice-0 ticks). */
  value: number;
}

/** "lowest vruntime 1234", "earliest eligible deadline 5678", ... for the UI. */
export function explainPick(pick: SchedPick): string {
  switch (pick.reason) {
    case 'idle': return 'idle: nothing runnable';
    case 'next-in-ring': return `next in ring (waited ${pick.value} ticks)`;
    case 'highest-level': return `highest level ${pick.value}`;
    case 'aged': return `aged: waited ${pick.value} ticks`;
    case 'lowest-vruntime': return `lowest vruntime ${pick.value}`;
    case 'earliest-eligible-deadline': return `earliest eligible deadline ${pick.value}`;
    default: return 'no decision yet';
  }
}

/** Commands queued for one boundary crossing; results come back in the same order. */
export interface SchedBatch {
  readonly length: number;
  push(op: number, node: number, pid: number, arg?: number): void;
  /** Runs the queued commands; returns a view of 4 words per command: result, slice, reason, value. */
  run(): Int32Array;
}

export interface Sched {
  configure(nodeCount: number, procsPerNode: number): void;
  setTiming(node: number, quantumTicks: number, agingTicks: number): number;
  add(node: number, pid: number, nice: number): number;
  remove(node: number, pid: number): number;
  block(node: number, pid: number): number;
  wake(node: number, pid: number): number;
  requeue(node: number, pid: number): number;
  charge(node: number, pid: number, ticks: number): number;
  /** Picks the next process (the running one is requeued first). */
  pick(node: number): SchedPick;
  /** One context switch: charges the running process `ticks` (default: its slice), then picks. */
  switchTo(node: number, ticks?: number): SchedPick;
  lastPick(node: number): SchedPick;
  setNice(node: number, pid: number, nice: number): number;
  setPolicy(node: number, policy: SchedPolicy): number;
  policy(node: number): SchedPolicy;
  queuedCount(node: number): number;
  procCount(node: number): number;
  runningPid(node: number): number | null;
  state(node: number, pid: number): number;
  vruntime(node: number, pid: number): bigint;
  deadline(node: number, pid: number): bigint;
  averageVruntime(node: number): bigint;
  clockTicks(node: number): bigint;
  batch(): SchedBatch;
  /** Throws naming the broken invariant. */
  checkInvariants(node: number): void;
  /** The scheduler region as bytes (a copy). */
  exportState(): Uint8Array;
  /** Writes bytes from exportState of a core configured the same way. */
  importState(bytes: Uint8Array): void;
}

export function wrapSched(exports: CoreExports): Sched {
  const opsMax = exports.schedBatchOpsMax();
  const lastPick = (node: number): SchedPick => {
    const pid = exports.schedLastPid(node);
    return {
      pid: pid >= 0 ? pid : null,
      sliceTicks: exports.schedLastSliceTicks(node) >>> 0,
      reason: SCHED_REASONS[exports.schedLastReason(node)] ?? 'none',
      value: Number(BigInt.asUintN(64, exports.schedLastValue(node))),
    };
  };
  const makeBatch = (): SchedBatch => {
    let length = 0;
    return {
      get length() { return length; },
      push(op, node, pid, arg = 0) {
        if (length >= opsMax) throw new RangeError(`sched batch holds at most ${opsMax} commands`);
        const words = new Uint32Array(exports.memory.buffer, exports.schedBatchPtr() + length * 16, 4);
        words[0] = op; words[1] = node; words[2] = pid; words[3] = arg >>> 0;
        length++;
      },
      run() {
        const count = length;
        length = 0;
        exports.schedBatch(count);
        return new Int32Array(exports.memory.buffer, exports.schedBatchPtr(), count * 4);
      },
    };
  };
  return {
    configure(nodeCount, procsPerNode) {
      const code = exports.schedConfigure(nodeCount, procsPerNode);
      if (code !== 0) throw new RangeError(`sched configure(${nodeCount}, ${procsPerNode}) failed: ${schedCodeName(code)}`);
    },
    setTiming: (node, quantumTicks, agingTicks) => exports.schedSetTiming(node, quantumTicks, agingTicks),
    add: (node, pid, nice) => exports.schedAdd(node, pid, nice),
    remove: (node, pid) => exports.schedRemove(node, pid),
    block: (node, pid) => exports.schedBlock(node, pid),
    wake: (node, pid) => exports.schedWake(node, pid),
    requeue: (node, pid) => exports.schedRequeue(node, pid),
    charge: (node, pid, ticks) => exports.schedCharge(node, pid, ticks),
    pick(node) {
      const result = exports.schedPick(node);
      if (result < 0 && result !== SchedCode.idle) throw new RangeError(`sched pick on node ${node}: ${schedCodeName(result)}`);
      return lastPick(node);
    },
    switchTo(node, ticks = BATCH_LAST_SLICE) {
      const result = exports.schedSwitch(node, ticks >>> 0);
      if (result < 0 && result !== SchedCode.idle) throw new RangeError(`sched switch on node ${node}: ${schedCodeName(result)}`);
      return lastPick(node);
    },
    lastPick,
    setNice: (node, pid, nice) => exports.schedSetNice(node, pid, nice),
    setPolicy: (node, policy) => exports.schedSetPolicy(node, SCHED_POLICIES.indexOf(policy)),
    policy: (node) => SCHED_POLICIES[exports.schedPolicy(node)],
    queuedCount: (node) => exports.schedQueuedCount(node),
    procCount: (node) => exports.schedProcCount(node),
    runningPid(node) { const pid = exports.schedRunningPid(node); return pid >= 0 ? pid : null; },
    state: (node, pid) => exports.schedProcState(node, pid),
    vruntime: (node, pid) => BigInt.asUintN(64, exports.schedProcVruntime(node, pid)),
    deadline: (node, pid) => BigInt.asUintN(64, exports.schedProcDeadline(node, pid)),
    averageVruntime: (node) => BigInt.asUintN(64, exports.schedAverageVruntime(node)),
    clockTicks: (node) => BigInt.asUintN(64, exports.schedClockTicks(node)),
    batch: makeBatch,
    checkInvariants(node) {
      const code = exports.schedCheckInvariants(node);
      if (code !== 0) throw new Error(`sched invariant broken on node ${node}: ${INVARIANT_NAMES[code] ?? schedCodeName(code)}`);
    },
    exportState: () => new Uint8Array(exports.memory.buffer, exports.schedStatePtr(), exports.schedStateBytes()).slice(),
    importState(bytes) {
      const size = exports.schedStateBytes();
      if (bytes.length !== size) throw new RangeError(`sched state is ${size} bytes, got ${bytes.length}`);
      new Uint8Array(exports.memory.buffer, exports.schedStatePtr(), size).set(bytes);
      const code = exports.schedRestored();
      if (code !== 0) throw new RangeError(`sched state does not match this configuration: ${schedCodeName(code)}`);
    },
  };
}
