// The tick loop: a discrete-event simulation over virtual time. Each action emits exactly one
// event (a process step, a CPU decision, a timer, a fault, an intervention), so "the state after
// N events" is well defined and a re-execution can stop at any event exactly.
//
// Order of work at one tick: interventions due at the cursor, boot spawns, auctions, then timers,
// then the CPUs of the nodes in index order. A CPU runs its process's steps until its next step
// would be later than the next timer or another node's next step.
import type { KernelContext } from '../context';
import { EVENT_SCHEMA, EventCode as E, LimitKind } from '../events';
import { Journal } from '../journal/journal';
import { SnapshotStore, type CoreMemory } from '../journal/snapshots';
import { reduce } from '../reducers/index';
import { initMessagePool } from '../reducers/ipc';
import { channelRings, createState, NONE, Scalar, Status, type KernelState } from '../state';
import type { CorePorts } from '../syscalls/ports';
import type { SharedObjects } from '../syscalls/shared-port';
import { executeStep } from '../syscalls/steps';
import { anyDeadlock, deadlockOf, type Deadlock } from '../syscalls/deadlock';
import { InvariantChecks, isViolationReport, KernelExprView } from '../spec-checks';
import type { KernelPrng, Sys } from '../syscalls/sys';
import { decideNext } from '../autonomy/supervise';
import { transitionNext } from '../autonomy/breakers';
import { failoverNext } from '../autonomy/failover';
import { applyIntervention, bootNext, clearAuction, fireTimer, pick, preempt, type Intervention } from '../syscalls/world';
import { AutonomyWatch } from '../autonomy/watch';
import { emitQueued } from '../autonomy/emit';
import { AuScalar, ringChannels } from '../autonomy/state';
import { subtreeVictims } from '../autonomy/tree';
import { newPoppedTimer, peekTimerTick, popTimer, pushTimer, TimerKind } from './timers';

/** Eventless moves one action may make (stale timers, compute segments, idle CPUs) before it must emit. */
const EVENTLESS_MOVES_MAX = 1_000_000;
/**
 * Events at one virtual instant before the run is a runaway (a zero-time loop: `sleep: 0us` or
 * sends and receives that never compute). Each time the count at one tick reaches a multiple of
 * it, a limit/reached event (runaway) names the process that acted last, which then fails.
 */
export const ZERO_TIME_EVENTS_MAX = 1_000_000;
export const SNAPSHOT_INTERVAL_EVENTS = 4096;
export const SNAPSHOT_BUDGET_BYTES = 256 * 1024 * 1024;

export interface ScheduledIntervention {
  /** Applied when the cursor reaches this seq (before the action that would emit it). */
  readonly atSeq: number;
  readonly intervention: Intervention;
  /**
   * A killTree's processes and its event's arg, computed when it is due at atSeq (from the journal
   * before it and the state there, so every re-execution computes the same); its events are
   * atSeq .. atSeq + victims.length - 1.
   */
  killTree?: { victims: readonly number[]; arg: number };
}

export type StopReason = 'events' | 'ticks' | 'quiescent' | 'journal-full';

export class DivergenceError extends Error {
  constructor(readonly seq: number, readonly expected: string, readonly actual: string) {
    super(`re-execution diverged at event ${seq}: the journal has ${expected}, re-execution produced ${actual}`);
    this.name = 'DivergenceError';
  }
}

export interface MachineCore {
  ports: CorePorts;
  prng: KernelPrng & { seed(seed: number): void };
  memory: CoreMemory;
  /** Byte ranges of core memory that are state (hashed into stateHash). */
  stateChunks(): Array<Iterable<Uint8Array>>;
  /** Configures the core's regions for this spec (a fresh boot of the core). */
  configure(ctx: KernelContext): void;
  /** After the core's memory was restored from a snapshot. */
  restored(): void;
  /** The spec's shared objects, if it has any. */
  shared(): SharedObjects | undefined;
}

export class Machine implements Sys {
  readonly state: KernelState;
  readonly core: CorePorts;
  readonly prng: KernelPrng;
  journal: Journal;
  snapshots: SnapshotStore;
  /** Events applied: the state is the state after events 0 .. cursor-1. */
  cursor = 0;
  interventions: ScheduledIntervention[] = [];
  snapshotInterval = SNAPSHOT_INTERVAL_EVENTS;

  #emitted = false;
  #timer = newPoppedTimer();
  /** The spec's invariants, checked after every event; undefined when it has none. */
  readonly invariants: InvariantChecks | undefined;
  /** The spec's autonomy (detectors, healing, tuning); undefined when it has none. */
  readonly autonomy: AutonomyWatch | undefined;

  constructor(readonly ctx: KernelContext, readonly machineCore: MachineCore, journal = new Journal()) {
    this.core = machineCore.ports;
    this.prng = machineCore.prng;
    this.journal = journal;
    this.state = createState(ctx.layout);
    this.snapshots = new SnapshotStore(machineCore.memory, SNAPSHOT_BUDGET_BYTES);
    this.invariants = ctx.spec.invariants.length + ctx.spec.rules.length > 0 ? new InvariantChecks(new KernelExprView(this), ctx.spec) : undefined;
    this.autonomy = ctx.spec.autonomy ? new AutonomyWatch(ctx, this.state, this.core, ctx.spec.autonomy) : undefined;
    this.#boot();
  }

  #boot(): void {
    const { ctx, state } = this;
    this.machineCore.configure(ctx);
    this.machineCore.prng.seed(ctx.spec.seed);
    initMessagePool(state);
    state.chanRingBase.set(channelRings(ringChannels(ctx.spec)).bases);
    ctx.spec.resources.forEach((resource, index) => (state.resourceFree[index] = resource.units));
    ctx.spec.cluster.faults.forEach((fault, index) => pushTimer(state, fault.atTicks, TimerKind.fault, index, 0, NONE));
    this.autonomy?.boot();
    this.snapshots.take(0, state);
  }

  emit(tick: number, type: number, node: number, pid: number, cause: number, a: number, b: number, c: number): void {
    const seq = this.cursor;
    // The journal keeps a, b and c as int32: a value that does not fit would be recorded as
    // another and re-execution would diverge later, far from the cause. Say it here instead.
    if ((a | 0) !== a || (b | 0) !== b || (c | 0) !== c) {
      throw new RangeError(`kernel: ${EVENT_SCHEMA[type][0]} at event ${seq} has a field outside int32 (${a}, ${b}, ${c}): a limit the spec parser should enforce is missing`);
    }
    if (seq < this.journal.length) {
      if (!this.journal.matches(seq, tick, type, node, pid, cause, a, b, c)) {
        throw new DivergenceError(seq, describe(this.journal.event(seq)), describe({ tick, type: EVENT_SCHEMA[type][0], node, pid, cause, a, b, c }));
      }
    } else {
      this.journal.append(tick, type, node, pid, cause, a, b, c);
    }
    reduce(this.ctx, this.state, seq, tick, type, node, pid, a, b, c);
    this.cursor = seq + 1;
    this.#emitted = true;
    if (this.invariants !== undefined) this.invariants.afterEvent(this.state, seq, type, node, pid);
    // A report of a broken invariant observes the run and must not change it: the detectors' scan
    // advances per event, so a report seen here would move when they look (tests/sim/invariants).
    if (this.autonomy !== undefined && !isViolationReport(type)) this.autonomy.afterEvent(seq, tick, type, node, pid, a, b, c);
  }

  /** Runs until `events` events exist on the cursor, virtual time passes `ticks`, or nothing is left. */
  run(limits: { events?: number; ticks?: number; deadline?: () => boolean; snapshots?: boolean } = {}): StopReason {
    const eventsTarget = Math.min(limits.events ?? Infinity, this.journal.eventsMax);
    const ticksMax = limits.ticks ?? Infinity;
    if (this.cursor >= this.journal.eventsMax) return 'journal-full';
    while (this.cursor < eventsTarget) {
      // The last slot is always limit/reached, live and in re-execution alike (a seek to the end
      // of a full journal, or its restore, must emit what was recorded there).
      if (this.cursor >= this.journal.eventsMax - 1) {
        this.emit(this.state.scalars[Scalar.tick], E['limit/reached'], 0, NONE, NONE, LimitKind.journalFull, this.journal.eventsMax, 0);
        return 'journal-full';
      }
      const outcome = this.#action(ticksMax);
      if (outcome !== 'event') {
        this.#settle();
        return outcome;
      }
      if (this.cursor % this.snapshotInterval === 0 && this.cursor > this.snapshots.lastSeq && limits.snapshots !== false) this.#snapshot();
      if (limits.deadline && (this.cursor & 1023) === 0 && limits.deadline()) return 'events';
    }
    return 'events';
  }

  /**
   * Looking for the next event may have moved state without emitting one (a CPU found idle, a
   * stale timer dropped). The state at a cursor must not depend on whether anyone looked, so put
   * it back to exactly "after event cursor-1": nearest snapshot, then re-execute.
   */
  #settle(): void {
    const index = this.snapshots.nearest(this.cursor);
    this.restoreSnapshot(index);
    const target = this.cursor;
    this.cursor = this.snapshots.seqAt(index);
    while (this.cursor < target) {
      if (this.#action(Infinity) !== 'event') throw new Error(`kernel: re-execution stopped at ${this.cursor} before ${target}`);
    }
  }

  #snapshot(): void {
    this.snapshots.take(this.cursor, this.state);
    // Keep snapshot memory bounded: past half the budget, snapshot half as often.
    if (this.snapshots.bytes > this.snapshots.budgetBytes / 2 * (this.snapshotInterval / SNAPSHOT_INTERVAL_EVENTS)) this.snapshotInterval *= 2;
  }

  /** One action: returns 'event' once it emitted, or why nothing could be done. */
  #action(ticksMax: number): 'event' | 'ticks' | 'quiescent' {
    const { state, ctx } = this;
    this.#emitted = false;
    if (this.cursor === 0) {
      this.emit(0, E['kernel/booted'], 0, NONE, NONE, ctx.layout.nodeCount, ctx.spec.processCount, ctx.spec.seed | 0);
      return 'event';
    }
    const due = this.#interventionDue();
    if (due) {
      const tree = due.killTree;
      const index = this.cursor - due.atSeq;
      const step = tree ? { pid: tree.victims[index], index, arg: tree.arg } : due.intervention.kind === 'migrate' ? { pid: due.intervention.pid, index, arg: due.intervention.node } : undefined;
      applyIntervention(this, due.intervention, state.scalars[Scalar.tick], step);
      return 'event';
    }
    if (this.invariants !== undefined) {
      const broken = this.invariants.due(state);
      if (broken >= 0) {
        // Its cause: the event after which it was found false (the last one that is not a report).
        let cause = this.cursor - 1;
        while (cause > 0 && isViolationReport(this.journal.type(cause))) cause--;
        const { type, invariant, left, right } = this.invariants.fields(broken);
        this.emit(state.scalars[Scalar.tick], type, 0, NONE, cause, invariant, left, right);
        return 'event';
      }
    }
    // A crashed node's processes move first (failover), so their supervisors decide once.
    if (state.failoverDueCount.length > 0 && state.failoverDueCount[0] > 0 && failoverNext(this, state.scalars[Scalar.tick])) return 'event';
    // A supervisor's decision about a process that just ended comes before anything else runs.
    if (state.supQueueAt.length > 0 && state.supQueueAt[1] > 0 && decideNext(this, state.scalars[Scalar.tick])) return 'event';
    // A circuit breaker's transition an outcome made due.
    if (state.brDueCount.length > 0 && state.brDueCount[0] > 0 && transitionNext(this, state.scalars[Scalar.tick])) return 'event';
    if (state.scalars[Scalar.bootNext] < ctx.boot.length) {
      bootNext(this);
      return 'event';
    }
    if (this.#timeStoodStill()) {
      const pid = this.journal.pid(this.cursor - 1);
      const live = pid !== NONE && (state.procStatus[pid] === Status.running || state.procStatus[pid] === Status.runnable || state.procStatus[pid] === Status.blocked);
      this.emit(state.scalars[Scalar.tick], E['limit/reached'], live ? state.procNode[pid] : 0, live ? pid : NONE, this.cursor - 1, LimitKind.runaway, ZERO_TIME_EVENTS_MAX, 0);
      return 'event';
    }
    if (this.cursor > 0) {
      // A process just blocked for good: did that close a waits-for cycle?
      const last = this.cursor - 1, type = this.journal.type(last);
      if (type === E['sched/blocked'] || type === E['resource/bid']) {
        const found = deadlockOf(ctx, state, this.journal.pid(last));
        if (found) {
          this.#emitDeadlock(found, last);
          return 'event';
        }
      }
    }
    // What the detectors found (and the heals that answer it) after the last event.
    if (this.autonomy !== undefined && (state.auScalars[AuScalar.count] > 0 || state.auScalars[AuScalar.shed] > 0) && emitQueued(this)) return 'event';
    for (let moves = 0; moves < EVENTLESS_MOVES_MAX; moves++) {
      if (state.scalars[Scalar.auctionsDue] && clearAuction(this, state.scalars[Scalar.tick])) return 'event';
      const timerTick = peekTimerTick(state);
      let node = -1, nodeTick = Infinity;
      for (let n = 0; n < ctx.layout.nodeCount; n++) {
        if (state.nodeNext[n] < nodeTick && state.nodeUp[n]) { nodeTick = state.nodeNext[n]; node = n; }
      }
      const tick = Math.min(timerTick, nodeTick);
      if (tick === Infinity) {
        // Quiet: a cycle closed by something other than a block (a delivery) is found here, once.
        const found = anyDeadlock(ctx, state, (seq) => this.journal.type(seq) === E['sched/deadlocked']);
        if (!found) return 'quiescent';
        this.#emitDeadlock(found, state.procLastSeq[found.pid]);
        return 'event';
      }
      if (tick > ticksMax) return 'ticks';
      if (timerTick <= nodeTick) fireTimer(this, popTimer(state, this.#timer));
      else this.#runCpu(node, nodeTick);
      if (this.#emitted) return 'event';
    }
    throw new Error(`kernel: ${EVENTLESS_MOVES_MAX} moves without an event at tick ${state.scalars[Scalar.tick]}: a kernel bug`);
  }

  #emitDeadlock(found: Deadlock, cause: number): void {
    const { state } = this;
    this.emit(state.scalars[Scalar.tick], E['sched/deadlocked'], state.procNode[found.pid], found.pid, cause, found.pids.length, found.waitsOn, 0);
  }

  #runCpu(node: number, t: number): void {
    const { state } = this;
    const pid = state.nodeRunning[node];
    if (pid === NONE) {
      if (!pick(this, node, t)) state.nodeNext[node] = Infinity;
      return;
    }
    if (state.nodeSegStart[node] !== NONE) {
      // A compute segment ends: the step is done, or the slice is over.
      state.procComputeLeft[pid] -= t - state.nodeSegStart[node];
      state.nodeSegStart[node] = NONE;
      if (state.procComputeLeft[pid] === 0) this.emit(t, E['cpu/computed'], node, pid, state.procLastSeq[pid], state.procComputeTotal[pid], 0, 0);
      else preempt(this, node, pid, t);
      return;
    }
    if (t >= state.nodeSliceEnd[node]) {
      preempt(this, node, pid, t);
      return;
    }
    const outcome = executeStep(this, node, pid, t);
    // Every step but compute costs one tick of the CPU.
    if (outcome === 'event' && state.nodeRunning[node] === pid && state.nodeNext[node] === t) state.nodeNext[node] = t + 1;
  }

  /**
   * True when the events at the current tick number a positive multiple of ZERO_TIME_EVENTS_MAX.
   * A function of the journal before the cursor only (ticks never decrease along it), so a
   * re-execution decides the same; O(1) unless time has stood still that long, then a binary search.
   */
  #timeStoodStill(): boolean {
    const cursor = this.cursor, limit = ZERO_TIME_EVENTS_MAX;
    const tick = this.state.scalars[Scalar.tick];
    if (cursor < limit || this.journal.tick(cursor - limit) !== tick) return false;
    let low = 0, high = cursor - limit; // the first event at `tick` is in [low, high]
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.journal.tick(middle) < tick) low = middle + 1;
      else high = middle;
    }
    return (cursor - low) % limit === 0;
  }

  #interventionDue(): ScheduledIntervention | undefined {
    // Interventions are few and sorted by atSeq; the cursor only moves forward between seeks.
    for (const scheduled of this.interventions) {
      if (scheduled.atSeq === this.cursor) {
        if (scheduled.intervention.kind === 'killTree') {
          const found = subtreeVictims(this.ctx, this.state, this.journal, this.cursor, scheduled.intervention);
          if (typeof found === 'string') throw new Error(`kernel: the subtree kill at event ${this.cursor} cannot apply: ${found}`);
          scheduled.killTree = found;
        }
        return scheduled;
      }
      // The rest of a subtree kill (one event per process) or a migration (its move), right after its first.
      if (this.cursor > scheduled.atSeq && this.cursor < scheduled.atSeq + interventionEvents(scheduled)) return scheduled;
    }
    return undefined;
  }

  /** The subtree kill or migration whose events run through `seq` (not its first), if any. */
  chainAround(seq: number): ScheduledIntervention | undefined {
    return this.interventions.find((entry) => seq > entry.atSeq && seq < entry.atSeq + interventionEvents(entry));
  }

  /** Puts state and core memory back to snapshot `index` (the cursor is the caller's to set). */
  restoreSnapshot(index: number, full = false): void {
    this.snapshots.restore(index, this.state, full);
    this.machineCore.restored();
    this.invariants?.invalidate();
  }

  /**
   * Why nothing more happens after the cursor, or 'events' if something does: looks one event
   * ahead and keeps nothing of it (no journal entry, no snapshot; the state is put back). Inside
   * the recorded journal the next event is known to exist: nothing is run.
   */
  stopAhead(): StopReason {
    const cursor = this.cursor;
    if (cursor >= this.journal.eventsMax) return 'journal-full';
    if (cursor < this.journal.length) return 'events';
    const stop = this.run({ events: cursor + 1, snapshots: false });
    if (this.cursor === cursor) return stop;
    this.seek(cursor);
    this.journal.truncate(cursor);
    return 'events';
  }

  /** Back to the state after `seq` events: nearest snapshot, then re-execute, checking each event. */
  seek(seq: number): { restoredFrom: number; reExecuted: number } {
    if (!Number.isInteger(seq) || seq < 0 || seq > this.journal.length) {
      throw new RangeError(`cannot seek to event ${seq}: this branch has events 0..${this.journal.length}`);
    }
    let restoredFrom = this.cursor;
    const index = this.snapshots.nearest(seq);
    if (seq < this.cursor || this.snapshots.seqAt(index) > this.cursor) {
      this.restoreSnapshot(index);
      this.cursor = this.snapshots.seqAt(index);
      restoredFrom = this.cursor;
    }
    const reExecuted = seq - this.cursor;
    const stop = this.run({ events: seq });
    if (this.cursor !== seq) throw new Error(`kernel: seek to ${seq} stopped at ${this.cursor} (${stop})`);
    return { restoredFrom, reExecuted };
  }
}

/** The events a scheduled intervention is: one per process of a subtree kill, two for a migration (the request, the move), else one. */
export function interventionEvents(scheduled: ScheduledIntervention): number {
  if (scheduled.killTree !== undefined) return scheduled.killTree.victims.length;
  return scheduled.intervention.kind === 'migrate' ? 2 : 1;
}

function describe(event: { type: string; tick: number; node: number; pid: number; cause: number } & Record<string, number | string>): string {
  return JSON.stringify(event);
}
