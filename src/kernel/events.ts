// The KernelEvent union: past-tense facts, versioned. Each event is stored in the journal as
// columns (seq is its index): tick, type, node, pid, cause, and three integer fields a, b, c whose
// meaning each type names below. Every nondeterministic outcome (a PRNG draw, an address the
// allocator chose, a message's delay) is one of those fields, so the journal alone explains the run.
//
// Changing a type's code or fields changes recorded journals: bump EVENT_FORMAT and the engine
// version (src/kernel/version.ts) together.
import { ALLOCATOR_KINDS, type AllocatorKind, type SchedulerPolicy } from '../spec/types';

export const EVENT_FORMAT = 1;

/** [type, names of fields a, b, c] in code order; '' marks an unused field. */
export const EVENT_SCHEMA = [
  ['kernel/booted', 'nodes', 'processes', 'seed'],
  ['process/spawned', 'agent', 'replica', 'parent'],
  ['process/exited', 'code', '', ''],
  ['process/failed', 'reason', 'detail', 'code'],
  ['process/restarted', 'restart', '', ''],
  ['sched/switched', 'reason', 'value', 'slice'],
  ['sched/preempted', 'ran', '', ''],
  ['sched/blocked', 'reason', 'object', 'ticks'],
  ['sched/woken', 'reason', 'object', ''],
  ['cpu/computed', 'ticks', '', ''],
  ['heap/allocated', 'block', 'size', 'slot'],
  ['heap/freed', 'block', 'size', 'slot'],
  ['heap/exhausted', 'size', 'why', 'slot'],
  ['heap/freeSkipped', 'slot', '', ''],
  ['ipc/sent', 'channel', 'size', 'delay'],
  ['ipc/delivered', 'channel', 'message', 'entry'],
  ['ipc/received', 'channel', 'message', 'size'],
  ['ipc/dropped', 'channel', 'entry', 'why'],
  ['ipc/timedOut', 'channel', 'op', ''],
  ['fs/written', 'file', 'size', 'length'],
  ['fs/read', 'file', 'size', 'found'],
  ['crdt/applied', 'object', 'op', 'value'],
  ['crdt/merged', 'object', 'from', 'to'],
  ['resource/bid', 'resource', 'units', 'price'],
  ['resource/granted', 'resource', 'units', 'price'],
  ['resource/released', 'resource', 'units', ''],
  ['step/chose', 'branch', 'draw', 'total'],
  ['net/partitioned', 'fault', 'groups', ''],
  ['net/healed', 'fault', '', ''],
  ['node/crashed', 'fault', '', ''],
  ['node/recovered', 'fault', '', ''],
  ['user/intervened', 'kind', 'arg', 'arg2'],
  ['limit/reached', 'limit', 'value', ''],
  // A waits-for cycle closed: pid and the others wait on each other forever (syscalls/deadlock.ts).
  ['sched/deadlocked', 'processes', 'waitsOn', ''],
  // A spec invariant became false (kernel/spec-checks.ts). `invariant` is its index plus
  // INVARIANT_PART_STRIDE times the preorder number of the part of its expression that decided
  // it; left and right are that part's two sides (a condition alone: its value and 1).
  ['invariant/violated', 'invariant', 'left', 'right'],
  // A spec rule became false (src/audit): like invariant/violated, `rule` is its index in `rules:`
  // plus INVARIANT_PART_STRIDE times the part that decided it.
  ['rule/violated', 'rule', 'left', 'right'],
  // A budgeted process (agents.<name>.budget) lost a bid: its budget could not cover the price, or
  // it was still outbid when the bid's timeout ended (why: DeniedWhy). The process fails with
  // FailReason.resourceDenied (RESOURCE_DENIED); its restart policy applies.
  ['resource/denied', 'resource', 'price', 'why'],
  // A supervisor (kernel/autonomy/supervise.ts) restarts by its strategy what `pid` ending (or,
  // pid -1, its child supervisor `child` giving up) asks for; `restarts` within its period, this
  // one included. Each process it restarts is a process/restarted event caused by this one.
  ['supervisor/restarting', 'supervisor', 'restarts', 'child'],
  // More restarts within the period than its intensity: its processes fail (reason supervisor)
  // and its parent decides; a root leaves them failed.
  ['supervisor/gaveUp', 'supervisor', 'restarts', 'child'],
  // The autonomy (kernel/autonomy/, codes and words there). `anomaly` is the detector's
  // AnomalyKind plus ANOMALY_SUBJECT_STRIDE times its subject (a channel, a cycle's length, ...);
  // value and threshold are the evidence, in the units the kind names.
  ['anomaly/detected', 'anomaly', 'value', 'threshold'],
  // A limit reached soon, by trend: rate (bytes/ms or messages/s) and the tick it would be reached at.
  ['anomaly/predicted', 'anomaly', 'rate', 'at'],
  // Healing: each caused by the anomaly event it answers.
  ['heal/restarted', 'anomaly', '', ''],
  ['heal/reniced', 'anomaly', 'nice', ''],
  ['heal/policySwitched', 'anomaly', 'policy', 'quantum'],
  ['heal/capacityRaised', 'anomaly', 'channel', 'capacity'],
  ['heal/loadShed', 'anomaly', 'channel', 'dropped'],
  ['heal/scaled', 'anomaly', 'agent', 'replica'],
  // The workload classifier (tune: on): a node's class held long enough, then the switch it chose.
  ['workload/classified', 'class', 'busy', 'io'],
  ['tune/switched', 'class', 'policy', 'quantum'],
  // A liveness probe found the process idle: no step completed for `idle` ticks (its `period`);
  // it fails with reason liveness, and its restart or supervisor decides.
  ['probe/failed', 'period', 'idle', ''],
  // A channel's circuit breaker (kernel/autonomy/breakers.ts): opened after `failures` of `calls`
  // sends in its window failed; half-open after its cooldown; closed by a delivered trial; a send
  // rejected while open (the step goes on, nothing sent).
  ['breaker/opened', 'channel', 'failures', 'calls'],
  ['breaker/halfOpened', 'channel', '', ''],
  ['breaker/closed', 'channel', '', ''],
  ['breaker/rejected', 'channel', 'size', ''],
  // A readiness probe (kernel/autonomy/readiness.ts): the process is ready (reason: ReadyReason,
  // warmed up after its delay, or its heap fell below the mark) or not ready (its heap reached the
  // mark `threshold`). Not ready, it gets no messages from its input queues.
  ['probe/ready', 'reason', 'heap', 'threshold'],
  ['probe/unready', 'reason', 'heap', 'threshold'],
  // Failover (cluster.failover, kernel/autonomy/failover.ts): a process of a crashed node moved to
  // node `to`, the least loaded live node that fits (`runnable` there when chosen); it restarts
  // there as its policy or supervisor decides. Unplaced: none fits (why: UnplacedWhy); it waits for its node.
  // A live move (kernel/autonomy/migrate.ts: the user's migrate, healing) is the same event, the
  // process going on at `to`; one that cannot happen is process/unplaced with the target in `to`.
  ['process/migrated', 'from', 'to', 'runnable'],
  ['process/unplaced', 'from', 'why', 'to'],
  // Healing a CPU hog by moving it (autonomy.migrate: on, kernel/autonomy/migrate.ts): to node `to`,
  // which had `runnable` processes when chosen (the hog's node had `busy` runnable ones); the
  // move itself is the process/migrated (or process/unplaced) this one causes.
  ['heal/migrated', 'anomaly', 'to', 'busy'],
  // Healing a crash loop of failures over the memory limit (kernel/autonomy/watch.ts): the
  // process's agent may now hold `limit` bytes (each of its processes), caused by the crash loop.
  ['heal/limitRaised', 'anomaly', 'agent', 'limit'],
] as const;

/** See invariant/violated: invariant = index + INVARIANT_PART_STRIDE * part (the spec allows 64 invariants). */
export const INVARIANT_PART_STRIDE = 64;

type Schema = typeof EVENT_SCHEMA;
export type EventType = Schema[number][0];

/** Numeric codes, by type name: `EventCode['heap/allocated']`. */
export const EventCode = Object.fromEntries(EVENT_SCHEMA.map(([type], code) => [type, code])) as {
  readonly [K in EventType]: number;
};
export const EVENT_TYPES: readonly EventType[] = EVENT_SCHEMA.map(([type]) => type);

/** Field values per type, as the UI and tests see them. */
type FieldsOf<Row> = Row extends readonly [string, infer A extends string, infer B extends string, infer C extends string]
  ? { [K in A | B | C as K extends '' ? never : K]: number }
  : never;

export type KernelEvent = {
  [Row in Schema[number] as Row[0]]: { type: Row[0]; seq: number; tick: number; node: number; pid: number; cause: number } & FieldsOf<Row>;
}[EventType];

// Enumerations carried in fields, numbered for the journal, named for people.

export const BlockReason = { recv: 0, sendFull: 1, rate: 2, sleep: 3, io: 4, bid: 5, paused: 6 } as const;
export const WakeReason = { timer: 0, message: 1, space: 2, granted: 3, timeout: 4, resumed: 5, rate: 6 } as const;
export const FailReason = { memoryLimit: 0, heapExhausted: 1, injected: 2, exitCode: 3, killed: 4, nodeCrashed: 5, runaway: 6, spawnLimit: 7, resourceDenied: 8, supervisor: 9, liveness: 10 } as const;
/** Why a budgeted bid was denied (resource/denied). */
export const DeniedWhy = { budget: 0, outbid: 1 } as const;
/** shed: dropped from its queue by healing (heal/loadShed, the event's cause), oldest first. */
export const DropReason = { loss: 0, partition: 1, nodeDown: 2, receiverGone: 3, shed: 4 } as const;
export const ExhaustedWhy = { limit: 0, heap: 1, table: 2 } as const;
export const LimitKind = { journalFull: 0, runaway: 1, processTable: 2, timers: 3, messages: 4, files: 5, sharedFull: 6 } as const;
/** killTree: one event per process of a subtree (arg: its root pid, or -2 - a supervisor's index). migrate: arg is the target node; the move is the process/migrated it causes. */
export const InterventionKind = { kill: 0, nice: 1, policy: 2, inject: 3, pause: 4, resume: 5, restart: 6, allocator: 7, autonomy: 8, killTree: 9, migrate: 10 } as const;
/** Why a readiness probe made a process ready or not (probe/ready, probe/unready). */
export const ReadyReason = { warmedUp: 0, heap: 1 } as const;
/** Why a crashed node's process could not fail over, or a live move could not happen (process/unplaced; heap: the target's allocator had no room, ended: the process ended before its move). */
export const UnplacedWhy = { pinned: 0, noCapableNode: 1, noLiveNode: 2, heap: 3, ended: 4 } as const;

export const nameOf = <T extends Record<string, number>>(table: T, value: number): string =>
  (Object.keys(table) as (keyof T & string)[]).find((key) => table[key] === value) ?? `#${value}`;

/** A policy switch's code in its event (user/intervened, a = InterventionKind.policy, b). */
export const POLICY_CODES: readonly SchedulerPolicy[] = ['round-robin', 'priority', 'fair', 'eevdf'];
/** An allocator switch's code in its event (user/intervened, a = InterventionKind.allocator, b). */
export const ALLOCATOR_CODES: readonly AllocatorKind[] = ALLOCATOR_KINDS;
