// KernelState: everything the kernel knows besides the wasm core's memory, as plain typed arrays
// indexed by id (pid, node, channel, ...) plus a few integer scalars. No objects per entity, no
// Maps: a snapshot is a copy of these arrays and the canonical encoding (for stateHash) is their
// bytes in a fixed order.
import { CHANNELS_CAPACITY_TOTAL_MAX } from '../spec/limits';
import type { ChannelSpec, Spec } from '../spec/types';
import type { CompiledSpec } from './program/compile';
import { ALLOC_SLOTS_MAX, LOOP_DEPTH_MAX } from './program/opcodes';
import { AUTONOMY_ARRAYS, autonomyArrays, ringChannels, scaleHeadroom } from './autonomy/state';

/** Process status. */
export const Status = { free: 0, runnable: 1, running: 2, blocked: 3, exited: 4, failed: 5, restarting: 6, paused: 7 } as const;
export const STATUS_NAMES = ['free', 'runnable', 'running', 'blocked', 'exited', 'failed', 'restarting', 'paused'] as const;

/** Spawned processes the table can hold beyond the spec's boot processes. */
export const SPAWN_HEADROOM = 4096;
export const PROCESS_TABLE_MAX = 16384;
/** Timers pending at once (wakes, timeouts, deliveries, faults, restarts). */
export const TIMERS_PER_PROCESS = 2;
/** Messages in the kernel at once (queued + in flight) across all channels: the spec's limit on their total capacity. */
export const MESSAGES_MAX = CHANNELS_CAPACITY_TOTAL_MAX;
/** Files per node's file system, and the largest file. */
export const FILE_BYTES_MAX = 2 ** 40;

export const NONE = -1;

export interface Layout {
  readonly procsMax: number;
  readonly nodeCount: number;
  readonly channelCount: number;
  readonly messagesMax: number;
  readonly timersMax: number;
  readonly fileCount: number;
  readonly resourceCount: number;
  readonly agentCount: number;
  readonly sharedCount: number;
  /** The spec's invariants (checked after every event). */
  readonly invariantCount: number;
  /** True when an agent has a `budget`: processes then count the credits they spent (procSpent). */
  readonly budgeted?: boolean;
  /** procsMax when the spec has supervisors or a CrashLoopBackOff, else 0 (autonomy/supervise.ts). */
  readonly supervisedProcs: number;
  /** The spec's supervisors. */
  readonly supervisorCount: number;
  /** Restart times the supervisors remember: the sum of their intensities (at least 1 each). */
  readonly supervisorRingSlots: number;
  /** The spec has `autonomy:` (kernel/autonomy/state.ts sizes its arrays by it). */
  readonly autonomy: boolean;
  /** The spec has `autonomy.migrate: on`. */
  readonly autonomyMigrate?: boolean;
  /** procsMax when an agent has a liveness probe, else 0 (autonomy/probes.ts). */
  readonly probedProcs: number;
  /** channelCount when a channel has a breaker, else 0 (autonomy/breakers.ts). */
  readonly breakerChannels: number;
  /** procsMax when an agent has a readiness probe, else 0 (autonomy/readiness.ts). */
  readonly readyProcs?: number;
  /** procsMax when the cluster has failover: on, else 0 (autonomy/failover.ts). */
  readonly failoverProcs?: number;
}

/**
 * Where each channel's ring starts in chanRing, and the ring array's length: the one computation
 * both the state's sizes and the boot's layout use (a ring laid past its array loses messages).
 * Every message lives in one ring slot, so the message pool is this size too.
 */
export function channelRings(channels: readonly Pick<ChannelSpec, 'capacity'>[]): { bases: number[]; slots: number } {
  const bases: number[] = [];
  let slots = 0;
  for (const channel of channels) {
    bases.push(slots);
    slots += channel.capacity;
  }
  if (slots > MESSAGES_MAX) {
    throw new RangeError(`the channels hold ${slots} messages together, more than the kernel's ${MESSAGES_MAX} (the spec parser refuses such a spec)`);
  }
  return { bases, slots: Math.max(1, slots) };
}

export function layoutOf(spec: Spec, compiled: CompiledSpec): Layout {
  const spawns = compiled.programs.some((program) => program.spawns);
  const procsMax = Math.min(PROCESS_TABLE_MAX, spec.processCount + (spawns ? SPAWN_HEADROOM : 0) + scaleHeadroom(spec));
  const messagesMax = channelRings(ringChannels(spec)).slots;
  return {
    procsMax,
    nodeCount: spec.cluster.nodeCount,
    channelCount: spec.channels.length,
    messagesMax,
    // Every process can hold one timer and one timeout; every message in flight one delivery;
    // every fault one; a few spare for interventions.
    timersMax: procsMax * (TIMERS_PER_PROCESS + (spec.agents.some((agent) => agent.livenessTicks !== undefined) ? 1 : 0) + (spec.agents.some((agent) => agent.readiness !== undefined) ? 1 : 0)) + messagesMax + spec.cluster.faults.length + 64
      + spec.shared.length * spec.cluster.nodeCount * spec.cluster.nodeCount
      + (spec.channels.some((channel) => channel.breaker !== undefined) ? spec.channels.length : 0),
    fileCount: compiled.files.length,
    resourceCount: spec.resources.length,
    agentCount: spec.agents.length,
    sharedCount: spec.shared.length,
    // Invariants, then rules (checked alike: kernel/spec-checks.ts).
    invariantCount: spec.invariants.length + spec.rules.length,
    budgeted: spec.agents.some((agent) => agent.budget !== undefined),
    supervisedProcs: spec.supervisors.length > 0 || spec.agents.some((agent) => agent.restart.crashLoop) ? procsMax : 0,
    supervisorCount: spec.supervisors.length,
    supervisorRingSlots: spec.supervisors.reduce((sum, supervisor) => sum + Math.max(1, supervisor.intensity), 0),
    autonomy: spec.autonomy !== undefined,
    autonomyMigrate: spec.autonomy?.migrate === true,
    probedProcs: spec.agents.some((agent) => agent.livenessTicks !== undefined) ? procsMax : 0,
    breakerChannels: spec.channels.some((channel) => channel.breaker !== undefined) ? spec.channels.length : 0,
    readyProcs: spec.agents.some((agent) => agent.readiness !== undefined) ? procsMax : 0,
    failoverProcs: spec.cluster.failover ? procsMax : 0,
  };
}

/** The integer scalars, kept in one array so snapshots and hashes see them with the rest. */
export const Scalar = {
  tick: 0,            // virtual time of the last event
  nextPid: 1,         // pids are never reused; restarts keep theirs
  timerCount: 2,
  timerOrder: 3,      // insertion counter: ties on tick fire in insertion order
  messageFreeHead: 4, // free list through msgNext
  messagesLive: 5,
  liveProcesses: 6,   // not exited or failed for good
  partitioned: 7,     // 1 while a partition is in force
  auctionsDue: 8,     // 1 when units were freed and bidders may be waiting
  bootNext: 9,        // boot processes spawned so far
} as const;
const SCALAR_COUNT = 10;

export function createState(layout: Layout) {
  const { procsMax: P, nodeCount: N, channelCount: C, messagesMax: M, timersMax: T, fileCount: F, resourceCount: R } = layout;
  return {
    layout,
    scalars: new Float64Array(SCALAR_COUNT),

    // Processes, by pid.
    procStatus: new Uint8Array(P),
    procNode: new Uint8Array(P),
    procSlot: new Int32Array(P).fill(NONE),  // index in the node's core tables
    procAgent: new Int32Array(P),
    procReplica: new Int32Array(P),
    procNice: new Int8Array(P),
    procPc: new Int32Array(P),
    procLoop: new Int32Array(P * LOOP_DEPTH_MAX),           // iterations left (-1: forever)
    procSlotBlock: new Int32Array(P * ALLOC_SLOTS_MAX).fill(NONE), // the core heap's block id
    procSlotSize: new Int32Array(P * ALLOC_SLOTS_MAX),
    procComputeLeft: new Float64Array(P),     // ticks left of the compute step in progress (0: none)
    procComputeTotal: new Float64Array(P),    // the drawn duration of that step
    procBlockReason: new Int8Array(P).fill(NONE),
    procBlockObject: new Int32Array(P).fill(NONE),
    procWaitNext: new Int32Array(P).fill(NONE),
    procToken: new Int32Array(P),             // bumps when a block ends: stale timers are ignored
    procLastSeq: new Int32Array(P).fill(NONE),// the event that led here (cause of the next one)
    procCpuTicks: new Float64Array(P),
    procHeapBytes: new Float64Array(P),
    procHeapPeak: new Float64Array(P),
    procHeapBlocks: new Int32Array(P),
    procSent: new Float64Array(P),
    procReceived: new Float64Array(P),
    procRestarts: new Int32Array(P),
    procExitCode: new Int32Array(P),
    procFailReason: new Int8Array(P).fill(NONE),
    procHeld: new Int32Array(P * Math.max(1, R)), // resource units held, by pid * R + resource
    procBidUnits: new Int32Array(P),           // while blocked on a bid
    procBidPrice: new Float64Array(P),
    procSpent: new Float64Array(layout.budgeted ? P : 0), // credits paid for granted bids (only when a spec has budgets)

    // Nodes.
    nodeRunning: new Int32Array(N).fill(NONE),   // pid on the CPU
    nodeNext: new Float64Array(N).fill(Infinity),// tick of the CPU's next action (Infinity: idle)
    nodeRunSince: new Float64Array(N),           // when the running process got the CPU
    nodeSliceEnd: new Float64Array(N),
    nodeSegStart: new Float64Array(N).fill(NONE), // start of the compute segment in progress
    nodeRunnable: new Int32Array(N),             // runnable + running processes on the node
    nodeUp: new Uint8Array(N).fill(1),
    nodeGroup: new Int32Array(N),                // partition group (equal: can talk)
    nodeSlotsUsed: new Int32Array(N),            // high-water mark of slots handed out
    nodeFreeSlots: new Int32Array(N * P).fill(NONE), // per node: a stack of freed slots
    slotPid: new Int32Array(N * P).fill(NONE),       // node * P + slot -> pid
    nodeFreeSlotCount: new Int32Array(N),
    nodeHeapBytes: new Float64Array(N),

    // Agents.
    agentProcesses: new Int32Array(layout.agentCount), // processes ever started, for replica numbers

    // Channels: a ring of message ids each, plus wait lists of blocked receivers and senders.
    chanQueued: new Int32Array(C),
    chanInFlight: new Int32Array(C),
    chanHead: new Int32Array(C),
    chanRingBase: new Int32Array(C),     // offset of the channel's ring in chanRing
    chanRing: new Int32Array(M),
    chanRecvHead: new Int32Array(C).fill(NONE),
    chanRecvTail: new Int32Array(C).fill(NONE),
    chanSendHead: new Int32Array(C).fill(NONE),
    chanSendTail: new Int32Array(C).fill(NONE),
    chanWindowStart: new Float64Array(C),
    chanWindowCount: new Int32Array(C),
    chanSent: new Float64Array(C),
    chanDelivered: new Float64Array(C),
    chanDropped: new Float64Array(C),

    // Messages, by id (a pool with a free list).
    msgSentSeq: new Int32Array(M),
    msgSize: new Float64Array(M),
    msgChannel: new Int32Array(M),
    msgSender: new Int32Array(M),
    msgNext: new Int32Array(M),

    // Timers: a binary min-heap on (tick, order).
    timerTick: new Float64Array(T),
    timerOrder: new Float64Array(T),
    timerKind: new Uint8Array(T),
    timerTarget: new Int32Array(T),
    timerToken: new Int32Array(T),
    timerCause: new Int32Array(T),

    // Files: length of each file on each node (node * F + file).
    fileLength: new Float64Array(Math.max(1, N * F)),

    // Shared objects: a replica-to-replica sync in flight, by (object * N + from) * N + to.
    syncPending: new Uint8Array(Math.max(1, layout.sharedCount * N * N)),

    // Resources: free units, and the pids waiting for a grant in bid order.
    resourceFree: new Int32Array(Math.max(1, R)),

    // The spec's invariants (kernel/spec-checks.ts): false after the last event checked, a
    // violation event due, violations so far, the seq of the first (NONE: none yet).
    invariantBroken: new Uint8Array(layout.invariantCount),
    invariantPending: new Uint8Array(layout.invariantCount),
    invariantViolations: new Float64Array(layout.invariantCount),
    invariantFirstSeq: new Float64Array(layout.invariantCount).fill(NONE),

    // Supervisors and CrashLoopBackOff (kernel/autonomy/supervise.ts); empty unless the spec has them.
    procBackoffLevel: new Int32Array(layout.supervisedProcs),   // restarts in a row (the next delay doubles)
    procStartTick: new Float64Array(layout.supervisedProcs),    // when it last started or restarted
    procSupDue: new Uint8Array(layout.supervisedProcs),         // ended, waiting for its supervisor's decision
    supQueue: new Int32Array(layout.supervisorCount > 0 ? layout.supervisedProcs + layout.supervisorCount : 0), // decisions due: pid, or -2 - supervisor
    supQueueAt: new Int32Array(layout.supervisorCount > 0 ? 2 : 0), // [head, length]
    supRing: new Float64Array(layout.supervisorRingSlots),      // each supervisor's last restart ticks
    supRingCount: new Int32Array(layout.supervisorCount),
    supRingNext: new Int32Array(layout.supervisorCount),
    supDown: new Uint8Array(layout.supervisorCount),            // gave up, not restarted since
    supDue: new Uint8Array(layout.supervisorCount),             // gave up, its parent's decision due
    supCauseSeq: new Int32Array(layout.supervisorCount).fill(NONE),
    supRestarts: new Int32Array(layout.supervisorCount),        // restarts it decided, in all
    supGaveUp: new Int32Array(layout.supervisorCount),
    // The autonomy (kernel/autonomy/): empty unless the spec has autonomy:.
    ...autonomyArrays(layout),

    // Liveness probes (kernel/autonomy/probes.ts); empty unless an agent has one.
    procLastStep: new Float64Array(layout.probedProcs),  // tick of its last completed step (or start)
    procProbeArm: new Int32Array(layout.probedProcs),    // bumps at each start: older probe timers are stale

    // Circuit breakers (kernel/autonomy/breakers.ts); empty unless a channel has one.
    brState: new Uint8Array(layout.breakerChannels),     // closed, open, half-open
    brWindow: new Float64Array(layout.breakerChannels),  // start of the window counted
    brCalls: new Int32Array(layout.breakerChannels),     // sends that ended in it
    brFailures: new Int32Array(layout.breakerChannels),
    brTrial: new Uint8Array(layout.breakerChannels),     // half-open: the trial send went out
    brDue: new Uint8Array(layout.breakerChannels),       // a transition to emit: 1 open, 2 close
    brCause: new Int32Array(layout.breakerChannels),     // the outcome that made it due
    brDueCount: new Int32Array(layout.breakerChannels > 0 ? 1 : 0),

    // Readiness probes (kernel/autonomy/readiness.ts); empty unless an agent has one.
    procReady: new Uint8Array(layout.readyProcs ?? 0),        // 1: ready (gets messages)
    procReadyAt: new Float64Array(layout.readyProcs ?? 0),    // when its warm-up delay ends
    procReadyArm: new Int32Array(layout.readyProcs ?? 0),     // bumps at each start: older checks are stale

    // Failover (kernel/autonomy/failover.ts); empty unless cluster.failover is on.
    procFailoverDue: new Uint8Array(layout.failoverProcs ?? 0), // ended by a crash, its move is due
    failoverDueCount: new Int32Array((layout.failoverProcs ?? 0) > 0 ? 1 : 0),
  };
}

export type KernelState = ReturnType<typeof createState>;

type ArrayField = { [K in keyof KernelState]: KernelState[K] extends ArrayLike<number> ? K : never }[keyof KernelState];

/** Every array of the state in canonical order (alphabetical: stable whatever the source order). */
export const STATE_ARRAYS = (Object.keys(createState({ procsMax: 1, nodeCount: 1, channelCount: 0, messagesMax: 1, timersMax: 1, fileCount: 0, resourceCount: 0, agentCount: 0, sharedCount: 0, invariantCount: 0, supervisedProcs: 0, supervisorCount: 0, supervisorRingSlots: 0, autonomy: false, probedProcs: 0, breakerChannels: 0 }))
  .filter((key) => key !== 'layout')
  .sort()) as ArrayField[];

/**
 * Arrays added after format 1 that are empty unless a spec uses their feature: stateHash leaves
 * them out while empty, so every session recorded before them keeps its hash.
 */
export const HASHED_WHEN_NOT_EMPTY: ReadonlySet<string> = new Set([
  'invariantBroken', 'invariantPending', 'invariantViolations', 'invariantFirstSeq', 'procSpent',
  'procBackoffLevel', 'procStartTick', 'procSupDue', 'supQueue', 'supQueueAt', 'supRing', 'supRingCount', 'supRingNext',
  'supDown', 'supDue', 'supCauseSeq', 'supRestarts', 'supGaveUp', 'procLastStep', 'procProbeArm',
  'brState', 'brWindow', 'brCalls', 'brFailures', 'brTrial', 'brDue', 'brCause', 'brDueCount',
  'procReady', 'procReadyAt', 'procReadyArm', 'procFailoverDue', 'failoverDueCount',
  ...AUTONOMY_ARRAYS,
]);

export function cloneState(state: KernelState): KernelState {
  const copy = { layout: state.layout } as Record<string, unknown>;
  for (const key of STATE_ARRAYS) copy[key] = (state[key] as Float64Array).slice();
  return copy as unknown as KernelState;
}

export function restoreState(target: KernelState, source: KernelState): void {
  for (const key of STATE_ARRAYS) (target[key] as Float64Array).set(source[key] as Float64Array);
}

export function stateBytes(state: KernelState): number {
  let bytes = 0;
  for (const key of STATE_ARRAYS) bytes += (state[key] as Float64Array).byteLength;
  return bytes;
}
