// The detectors and the classifier: after every event, read what changed (the event's process,
// channel and node) and a few others in turn (a rotating scan), and queue what they found.
// Incremental: the work per event is bounded (SCAN_PROCESSES_PER_EVENT processes and one channel
// besides the event's own), whatever the number of processes. Everything here reads the state and
// writes only the autonomy's arrays; the machine emits the queued events (emit.ts), one per action.
import type { AutonomySpec } from '../../spec/autonomy';
import type { KernelContext } from '../context';
import { BlockReason, EventCode as E, FailReason, InterventionKind } from '../events';
import { deadlockOf } from '../syscalls/deadlock';
import type { CorePorts } from '../syscalls/ports';
import { POLICY_CODES } from '../syscalls/world';
import { NONE, Scalar, Status, type KernelState } from '../state';
import { capacityOf } from '../reducers/ipc';
import { cpuTicksAt } from '../reducers/cpu';
import { AnomalyKind, anomalyCode, kindOf, LeakLimit, subjectOf, WorkloadClass } from './codes';
import { orderedCycle } from './cycle';
import { hogTarget, migratable } from './migrate';
import { AUTONOMY_QUEUE_MAX, AuScalar, AutonomyMode, CAUSE_PREVIOUS, ChanFlag, memoryLimitOf, ProcFlag, QUEUE_FIELDS } from './state';

/** Processes the rotating scan looks at after each event (starvation, hog, closing leak windows). */
export const SCAN_PROCESSES_PER_EVENT = 4;
/** Leaking windows in a row before a leak is reported (one window of growth may be a burst). */
export const LEAK_WINDOWS = 2;
/** A deadlock names at most this many members of its cycle (one event each; the rest are counted). */
export const DEADLOCK_NAMED_MAX = 16;
/** Healing a hog raises its nice by this much (up to 19); a starving process under fair gets this much less. */
export const NICE_STEP = 5;
/** Starving: under 1/STARVED_SHARE_DIVISOR of an equal share of its node's CPU while it wanted it. */
export const STARVED_SHARE_DIVISOR = 4;
/** The classifier switches only after the same new class held this many windows in a row ... */
export const TUNE_HOLD_WINDOWS = 3;
/** ... and this many windows after its last switch: together they keep it from oscillating. */
export const TUNE_COOLDOWN_WINDOWS = 5;
const INT32_MAX = 0x7fffffff;
const PPM = 1_000_000;

const EVENT_CHANNEL = new Set<number>([E['ipc/sent'], E['ipc/delivered'], E['ipc/received'], E['ipc/dropped']]);

export class AutonomyWatch {
  readonly #detect: Uint8Array;

  constructor(readonly ctx: KernelContext, readonly state: KernelState, readonly core: CorePorts, readonly spec: AutonomySpec) {
    this.#detect = new Uint8Array(6);
    for (const name of spec.detect) this.#detect[['leak', 'hog', 'starvation', 'congestion', 'crash-loop', 'deadlock'].indexOf(name)] = 1;
  }

  /** The state at boot: the mode the spec asks for, each channel's spec capacity, each node's policy. */
  boot(): void {
    const { state, ctx } = this;
    state.auScalars[AuScalar.mode] = this.spec.heal ? AutonomyMode.heal : AutonomyMode.detect;
    state.auScalars[AuScalar.lastSeq] = NONE;
    ctx.spec.channels.forEach((channel, index) => (state.auChanCapacity[index] = channel.capacity));
    state.auNodePolicy.fill(POLICY_CODES.indexOf(ctx.spec.kernel.scheduler));
    state.auNodeQuantum.fill(ctx.spec.kernel.quantumTicks);
    ctx.spec.agents.forEach((agent, index) => (state.auAgentMemory[index] = agent.memoryBytes));
  }

  /** After event `seq` was applied. */
  afterEvent(seq: number, tick: number, type: number, node: number, pid: number, a: number, b: number, c: number): void {
    const { state } = this;
    const mode = state.auScalars[AuScalar.mode];
    if (mode === AutonomyMode.off) return;
    switch (type) {
      case E['heap/allocated']:
        if (this.#detect[AnomalyKind.leak]) this.#leakAllocated(pid, tick, b);
        break;
      case E['heap/freed']:
        if (this.#detect[AnomalyKind.leak]) this.#leakWindow(pid, tick);
        break;
      case E['process/spawned']: case E['heal/scaled']:
        this.#resetProcess(pid);
        this.#wantsCpu(pid, tick);
        break;
      case E['process/restarted']:
        this.#resetProcess(pid);
        this.#wantsCpu(pid, tick);
        if (this.#detect[AnomalyKind.crashLoop]) this.#crashLoop(pid, tick);
        break;
      case E['heal/restarted']:
        this.#resetProcess(pid);
        this.#wantsCpu(pid, tick);
        break;
      case E['process/failed']:
        // The crash loop's healing reads whether its last failure was over the memory limit.
        if (a === FailReason.memoryLimit) state.auProcFlags[pid] |= ProcFlag.overLimit;
        else state.auProcFlags[pid] &= ~ProcFlag.overLimit;
        break;
      case E['user/intervened']:
        if (a === InterventionKind.restart && pid !== NONE) this.#resetProcess(pid);
        if (a === InterventionKind.policy) state.auNodePolicy[node] = b;
        break;
      case E['sched/blocked']:
        // Starvation is measured from when it wants the CPU until it blocks (running or not).
        state.auWaitSince[pid] = NONE;
        state.auProcFlags[pid] &= ~ProcFlag.starved;
        break;
      case E['sched/preempted']: case E['sched/woken']:
        if (state.auWaitSince[pid] < 0) this.#wantsCpu(pid, tick);
        break;
      case E['sched/deadlocked']:
        if (this.#detect[AnomalyKind.deadlock]) this.#deadlock(seq, pid);
        break;
      case E['anomaly/detected']: case E['anomaly/predicted']:
        if (mode === AutonomyMode.heal) this.#heal(seq, type, node, pid, a);
        break;
      case E['workload/classified']:
        this.#tuneSwitch(seq, node, a);
        break;
      case E['heal/migrated']:
        // The move itself, next (migrate.ts migrateNow): process/migrated or process/unplaced.
        this.#enqueue(E['process/migrated'], b, pid, seq, node, b, 0);
        break;
      case E['process/migrated']:
        // A live process moved (not a failover, which restarts it): its hog window starts over there.
        if (migratable(state.procStatus[pid])) {
          state.auCpuStart[pid] = NONE;
          state.auProcFlags[pid] &= ~ProcFlag.hog;
        }
        break;
    }
    if (EVENT_CHANNEL.has(type) && this.#detect[AnomalyKind.congestion]) this.#congestion(a, tick);
    if (this.spec.tune && node >= 0 && node < state.layout.nodeCount) this.#tuneCount(node, tick, type, a);
    this.#scan(tick);
  }

  // Queue ---------------------------------------------------------------------------------------

  #enqueue(type: number, node: number, pid: number, cause: number, a: number, b: number, c: number): void {
    const { state } = this;
    const count = state.auScalars[AuScalar.count];
    if (count >= AUTONOMY_QUEUE_MAX) {
      state.auScalars[AuScalar.dropped]++;
      return;
    }
    const at = ((state.auScalars[AuScalar.head] + count) % AUTONOMY_QUEUE_MAX) * QUEUE_FIELDS;
    const queue = state.auQueue;
    queue[at] = type; queue[at + 1] = node; queue[at + 2] = pid; queue[at + 3] = cause;
    queue[at + 4] = a; queue[at + 5] = b; queue[at + 6] = c;
    state.auScalars[AuScalar.count] = count + 1;
  }

  #detected(kind: number, subject: number, node: number, pid: number, cause: number, value: number, threshold: number): void {
    this.#enqueue(E['anomaly/detected'], node, pid, cause, anomalyCode(kind, subject), clamp(value), clamp(threshold));
  }

  // Detectors -----------------------------------------------------------------------------------

  #resetProcess(pid: number): void {
    const { state } = this;
    state.auProcFlags[pid] &= ProcFlag.crashLoop | ProcFlag.overLimit; // a crash loop spans restarts; the rest starts over
    state.auLeakStart[pid] = NONE;
    state.auLeakStreak[pid] = 0;
    state.auLeakGrowth[pid] = 0;
    state.auCpuStart[pid] = NONE;
  }

  /** Leak: the window of `pid`'s heap, and its prediction, at each of its allocations. */
  #leakAllocated(pid: number, tick: number, size: number): void {
    const { state } = this;
    if (state.auLeakStart[pid] < 0) {
      state.auLeakStart[pid] = tick;
      state.auLeakHeap[pid] = state.procHeapBytes[pid] - size;
      state.auLeakAlloc[pid] = 0;
    }
    state.auLeakAlloc[pid] += size;
    this.#leakWindow(pid, tick);
    this.#leakPredict(pid, tick);
  }

  /** Closes `pid`'s leak window once it is `window` long: did its heap grow with frees matching less than half its allocations? */
  #leakWindow(pid: number, tick: number): void {
    const { state } = this;
    const start = state.auLeakStart[pid];
    if (start < 0 || tick - start < this.spec.windowTicks) return;
    const heap = state.procHeapBytes[pid];
    const growth = heap - state.auLeakHeap[pid], allocated = state.auLeakAlloc[pid];
    if (growth > 0 && growth * 2 > allocated) {
      state.auLeakStreak[pid]++;
      state.auLeakGrowth[pid] = growth;
      state.auLeakWindow[pid] = tick - start;
      if (state.auLeakStreak[pid] >= LEAK_WINDOWS && !(state.auProcFlags[pid] & ProcFlag.leak)) {
        state.auProcFlags[pid] |= ProcFlag.leak;
        this.#detected(AnomalyKind.leak, 0, state.procNode[pid], pid, state.procLastSeq[pid], growth, allocated);
      }
    } else {
      state.auLeakStreak[pid] = 0;
      state.auLeakGrowth[pid] = 0;
      state.auProcFlags[pid] &= ~(ProcFlag.leak | ProcFlag.leakPredicted);
    }
    state.auLeakStart[pid] = tick;
    state.auLeakHeap[pid] = heap;
    state.auLeakAlloc[pid] = 0;
  }

  /** A reported leak: at its trend, when would the process reach its memory limit (or the node's heap run out)? */
  #leakPredict(pid: number, tick: number): void {
    const { state, ctx } = this;
    const flags = state.auProcFlags[pid];
    if (!(flags & ProcFlag.leak) || (flags & ProcFlag.leakPredicted) || state.auLeakGrowth[pid] <= 0) return;
    const node = state.procNode[pid];
    const heap = state.procHeapBytes[pid];
    const ownLeft = memoryLimitOf(state, ctx.spec, pid) - heap;
    const nodeLeft = this.core.heap.freeBytes(node);
    const limit = ownLeft <= nodeLeft ? LeakLimit.process : LeakLimit.node;
    const left = Math.max(0, Math.min(ownLeft, nodeLeft));
    const growth = state.auLeakGrowth[pid], window = state.auLeakWindow[pid];
    const eta = Math.ceil((left * window) / growth);
    if (eta > this.spec.horizonTicks) return;
    state.auProcFlags[pid] |= ProcFlag.leakPredicted;
    const rate = Math.floor((growth * 1000) / window); // bytes per ms
    this.#enqueue(E['anomaly/predicted'], node, pid, state.procLastSeq[pid], anomalyCode(AnomalyKind.leak, limit), clamp(rate), clamp(tick + eta));
  }

  /** Crash loop: restarts of `pid` within crash-window. */
  #crashLoop(pid: number, tick: number): void {
    const { state, spec } = this;
    if (state.auCrashStart[pid] < 0 || tick - state.auCrashStart[pid] > spec.crashWindowTicks) {
      state.auCrashStart[pid] = tick;
      state.auCrashCount[pid] = 1;
      state.auProcFlags[pid] &= ~ProcFlag.crashLoop;
    } else {
      state.auCrashCount[pid]++;
    }
    if (state.auCrashCount[pid] >= spec.crashLoopRestarts && !(state.auProcFlags[pid] & ProcFlag.crashLoop)) {
      state.auProcFlags[pid] |= ProcFlag.crashLoop;
      this.#detected(AnomalyKind.crashLoop, 0, state.procNode[pid], pid, state.procLastSeq[pid], state.auCrashCount[pid], tick - state.auCrashStart[pid]);
    }
  }

  /** Congestion: a channel nearly full for a whole window; its trend predicts when it fills. */
  #congestion(channel: number, tick: number): void {
    const { state, spec } = this;
    if (!(channel >= 0 && channel < state.auChanCapacity.length)) return;
    const occupancy = state.chanQueued[channel] + state.chanInFlight[channel];
    const capacity = state.auChanCapacity[channel];
    const high = occupancy * PPM >= spec.congestionPpm * capacity;
    const home = this.ctx.channelHome[channel];
    if (high) {
      if (state.auChanHighSince[channel] < 0) state.auChanHighSince[channel] = tick;
      else if (tick - state.auChanHighSince[channel] >= spec.windowTicks && !(state.auChanFlags[channel] & ChanFlag.congested)) {
        state.auChanFlags[channel] |= ChanFlag.congested;
        this.#detected(AnomalyKind.congestion, channel, home, NONE, NONE, occupancy, capacity);
      }
    } else {
      state.auChanHighSince[channel] = NONE;
      state.auChanFlags[channel] &= ~ChanFlag.congested;
    }
    const start = state.auChanStart[channel];
    if (start < 0) {
      state.auChanStart[channel] = tick;
      state.auChanOccupancy[channel] = occupancy;
      return;
    }
    const elapsed = tick - start;
    if (elapsed < spec.windowTicks) return;
    // A trend, not noise: at least half full, and grown by 2 or more in this window and the last.
    const growth = occupancy - state.auChanOccupancy[channel];
    if (growth < 2) {
      state.auChanStreak[channel] = 0;
      state.auChanFlags[channel] &= ~ChanFlag.predicted;
    } else if (++state.auChanStreak[channel] >= 2 && occupancy * 2 >= capacity && !high && !(state.auChanFlags[channel] & ChanFlag.predicted)) {
      const eta = Math.ceil(((capacity - occupancy) * elapsed) / growth);
      if (eta <= spec.horizonTicks) {
        state.auChanFlags[channel] |= ChanFlag.predicted;
        const rate = Math.floor((growth * PPM) / elapsed); // messages per second
        this.#enqueue(E['anomaly/predicted'], home, NONE, NONE, anomalyCode(AnomalyKind.congestion, channel), clamp(rate), clamp(tick + eta));
      }
    }
    state.auChanStart[channel] = tick;
    state.auChanOccupancy[channel] = occupancy;
  }

  /** Deadlock: the cycle the machine found, one event per member in cycle order (each waits on the next). */
  #deadlock(seq: number, pid: number): void {
    const { state, ctx } = this;
    const found = deadlockOf(ctx, state, pid);
    if (!found) return;
    const cycle = orderedCycle(ctx, state, found);
    const named = Math.min(cycle.length, DEADLOCK_NAMED_MAX);
    for (let i = 0; i < named; i++) {
      const member = cycle[i], next = cycle[(i + 1) % cycle.length];
      const wait = state.procBlockReason[member] + 8 * state.procBlockObject[member];
      this.#detected(AnomalyKind.deadlock, cycle.length, state.procNode[member], member, i === 0 ? seq : CAUSE_PREVIOUS, next, wait);
    }
    if (state.auScalars[AuScalar.mode] !== AutonomyMode.heal) return;
    // Healing: make room in a full channel of the cycle (within the capacity bound).
    for (const member of cycle) {
      if (state.procBlockReason[member] !== BlockReason.sendFull) continue;
      const channel = state.procBlockObject[member];
      const raised = this.#raisedCapacity(channel);
      if (raised === 0) continue;
      this.#enqueue(E['heal/capacityRaised'], ctx.channelHome[channel], NONE, CAUSE_PREVIOUS, anomalyCode(AnomalyKind.deadlock, cycle.length), channel, raised);
      return;
    }
  }

  /** The capacity healing would raise a channel to (double, within its ring), or 0 at the bound. */
  #raisedCapacity(channel: number): number {
    const now = this.state.auChanCapacity[channel];
    const bound = capacityOf(this.state, channel);
    return now >= bound ? 0 : Math.min(bound, now * 2);
  }

  /** The rotating scan: a few processes (starvation, hog, leak windows) and one channel per event. */
  #scan(tick: number): void {
    const { state } = this;
    const count = state.scalars[Scalar.nextPid];
    if (count > 0) {
      let pid = state.auScalars[AuScalar.scanPid] % count;
      const looks = Math.min(count, SCAN_PROCESSES_PER_EVENT);
      for (let i = 0; i < looks; i++) {
        this.#lookAt(pid, tick);
        pid = pid + 1 === count ? 0 : pid + 1;
      }
      state.auScalars[AuScalar.scanPid] = pid;
    }
    const channels = state.auChanCapacity.length;
    if (channels > 0 && this.#detect[AnomalyKind.congestion]) {
      const channel = state.auScalars[AuScalar.scanChannel] % channels;
      this.#congestion(channel, tick);
      state.auScalars[AuScalar.scanChannel] = channel + 1 === channels ? 0 : channel + 1;
    }
  }

  #lookAt(pid: number, tick: number): void {
    const { state, spec } = this;
    const status = state.procStatus[pid];
    const node = state.procNode[pid];
    if (this.#detect[AnomalyKind.leak]) this.#leakWindow(pid, tick);
    // Starvation: since it last blocked (wanting the CPU all along), it waited runnable longer than
    // the bound and had under a quarter of an equal share of its node: a scheduler that lets it run
    // a slice now and then (priority aging) starves it as surely as one that never does.
    if (status === Status.runnable || status === Status.running) {
      if (state.auWaitSince[pid] < 0) this.#wantsCpu(pid, tick);
      else if (status === Status.runnable && this.#detect[AnomalyKind.starvation] && !(state.auProcFlags[pid] & ProcFlag.starved)) {
        // Past the bound, and past two full rounds of the node's run queue (a long queue is load, not starvation).
        const runnable = Math.max(1, state.nodeRunnable[node]);
        const bound = Math.max(spec.starvationTicks, 2 * runnable * state.auNodeQuantum[node]);
        const elapsed = tick - state.auWaitSince[pid];
        // Waited <= elapsed: the CPU time is looked up only past the bound (the common case stops here).
        const ran = elapsed > bound ? this.#cpuNow(pid, tick) - state.auWaitCpu[pid] : elapsed;
        const waited = elapsed - ran;
        if (waited > bound && ran * STARVED_SHARE_DIVISOR * runnable < elapsed) {
          state.auProcFlags[pid] |= ProcFlag.starved;
          this.#detected(AnomalyKind.starvation, 0, node, pid, state.procLastSeq[pid], waited, bound);
        }
      }
    } else {
      state.auWaitSince[pid] = NONE;
      state.auProcFlags[pid] &= ~ProcFlag.starved;
    }
    // Hog: its CPU share of the node over a window, while others wanted the CPU.
    if (!this.#detect[AnomalyKind.hog]) return;
    if (status !== Status.running && status !== Status.runnable) {
      state.auCpuStart[pid] = NONE;
      return;
    }
    const cpu = this.#cpuNow(pid, tick);
    if (state.auCpuStart[pid] < 0) {
      state.auCpuStart[pid] = tick;
      state.auCpuAtStart[pid] = cpu;
      return;
    }
    const elapsed = tick - state.auCpuStart[pid];
    if (elapsed < spec.windowTicks) return;
    const used = cpu - state.auCpuAtStart[pid];
    if (used * PPM >= spec.hogPpm * elapsed && state.nodeRunnable[node] > 1) {
      if (!(state.auProcFlags[pid] & ProcFlag.hog)) {
        state.auProcFlags[pid] |= ProcFlag.hog;
        this.#detected(AnomalyKind.hog, 0, node, pid, state.procLastSeq[pid], used, elapsed);
      }
    } else {
      state.auProcFlags[pid] &= ~ProcFlag.hog;
    }
    state.auCpuStart[pid] = tick;
    state.auCpuAtStart[pid] = cpu;
  }

  /** `pid`'s CPU time so far, its current slice included. */
  #cpuNow(pid: number, tick: number): number {
    return cpuTicksAt(this.state, pid, tick);
  }

  /** `pid` wants the CPU from `tick` (started, woken, preempted while not already counted). */
  #wantsCpu(pid: number, tick: number): void {
    this.state.auWaitSince[pid] = tick;
    this.state.auWaitCpu[pid] = this.#cpuNow(pid, tick);
  }

  // Healing -------------------------------------------------------------------------------------

  /** An anomaly event was emitted (seq): queue the heal that answers it, if any. */
  #heal(seq: number, type: number, node: number, pid: number, anomaly: number): void {
    const { state, ctx } = this;
    const kind = kindOf(anomaly);
    switch (kind) {
      case AnomalyKind.leak:
        if (type === E['anomaly/predicted'] && live(state, pid)) this.#enqueue(E['heal/restarted'], node, pid, seq, anomaly, 0, 0);
        return;
      case AnomalyKind.hog: {
        // With migrate on: to a clearly less loaded node that fits (migrate.ts), else renice.
        const to = this.spec.migrate ? hogTarget(ctx, state, this.core, pid, state.scalars[Scalar.tick], this.spec.windowTicks) : -1;
        if (to >= 0) {
          this.#enqueue(E['heal/migrated'], node, pid, seq, anomaly, to, state.nodeRunnable[node]);
          return;
        }
        const nice = Math.min(19, state.procNice[pid] + NICE_STEP);
        if (nice !== state.procNice[pid] && live(state, pid)) this.#enqueue(E['heal/reniced'], node, pid, seq, anomaly, nice, 0);
        return;
      }
      case AnomalyKind.starvation: {
        const policy = POLICY_CODES[state.auNodePolicy[node]];
        if (policy === 'priority' || policy === 'round-robin') {
          this.#enqueue(E['heal/policySwitched'], node, NONE, seq, anomaly, POLICY_CODES.indexOf('fair'), state.auNodeQuantum[node]);
          return;
        }
        const nice = Math.max(-20, state.procNice[pid] - NICE_STEP);
        if (nice !== state.procNice[pid] && live(state, pid)) this.#enqueue(E['heal/reniced'], node, pid, seq, anomaly, nice, 0);
        return;
      }
      case AnomalyKind.congestion: {
        // A trend (predicted): room for the burst. Sustained (detected): more consumers, then
        // room, then shed. Consumers all gone: another one first, whatever the finding.
        const channel = subjectOf(anomaly);
        const agent = ctx.spec.channels[channel].to.agentIndex;
        // Back-pressure: its consumers all wait to send into a full channel further on. The
        // bottleneck is there (found and healed as its own congestion); a replica, room or a
        // shed here would only move the queue or drop what the next stage cannot take anyway.
        if (this.#allSendBlocked(agent)) return;
        const canScale = state.auAgentAdded[agent] < this.spec.replicasMax && state.scalars[Scalar.nextPid] < state.layout.procsMax;
        const raised = this.#raisedCapacity(channel);
        const scale = () => this.#enqueue(E['heal/scaled'], node, NONE, seq, anomaly, agent, 0);
        const raise = () => this.#enqueue(E['heal/capacityRaised'], node, NONE, seq, anomaly, channel, raised);
        if (canScale && !this.#anyLive(agent)) scale();
        else if (type === E['anomaly/predicted']) { if (raised > 0) raise(); }
        else if (canScale) scale();
        else if (raised > 0) raise();
        else if (state.chanQueued[channel] > 0) this.#enqueue(E['heal/loadShed'], node, NONE, seq, anomaly, channel, Math.max(1, state.chanQueued[channel] >> 1));
        return;
      }
      case AnomalyKind.crashLoop: {
        // A loop of failures over the memory limit: the limit is too small for the work (as
        // Kubernetes' Vertical Pod Autoscaler reads OOM kills), so double it within `memory`x the
        // spec's and the node's heap. Other failures: restart backoff is the supervisors'.
        if (!(state.auProcFlags[pid] & ProcFlag.overLimit)) return;
        const agent = state.procAgent[pid];
        const now = state.auAgentMemory[agent];
        const bound = Math.min(ctx.spec.agents[agent].memoryBytes * this.spec.memoryFactor, ctx.spec.kernel.heapBytes);
        const raised = Math.min(bound, now * 2);
        if (raised > now) this.#enqueue(E['heal/limitRaised'], node, pid, seq, anomaly, agent, raised);
        return;
      }
      default:
        return; // deadlocks are healed where found
    }
  }

  /** Whether `agent` has live processes and every one is blocked sending into a full channel (bounded by the process table). */
  #allSendBlocked(agent: number): boolean {
    const { state } = this;
    const count = state.scalars[Scalar.nextPid];
    let live = 0;
    for (let pid = 0; pid < count; pid++) {
      if (state.procAgent[pid] !== agent) continue;
      const status = state.procStatus[pid];
      if (status === Status.exited || status === Status.failed || status === Status.free) continue;
      if (status !== Status.blocked || state.procBlockReason[pid] !== BlockReason.sendFull) return false;
      live++;
    }
    return live > 0;
  }

  /** Whether any process of `agent` is alive (bounded by the process table). */
  #anyLive(agent: number): boolean {
    const { state } = this;
    const count = state.scalars[Scalar.nextPid];
    for (let pid = 0; pid < count; pid++) {
      const status = state.procStatus[pid];
      if (state.procAgent[pid] === agent && status !== Status.exited && status !== Status.failed && status !== Status.free) return true;
    }
    return false;
  }

  // The workload classifier -----------------------------------------------------------------------

  #tuneCount(node: number, tick: number, type: number, a: number): void {
    const { state } = this;
    if (type === E['cpu/computed']) {
      state.auTuneCpu[node] += a;
      state.auTuneComputes[node]++;
    } else if (type === E['sched/blocked']) {
      if (a === BlockReason.io) state.auTuneIo[node]++;
      else if (a === BlockReason.sleep || a === BlockReason.recv) state.auTuneWaits[node]++;
    }
    const start = state.auTuneStart[node];
    if (start < 0) {
      state.auTuneStart[node] = tick;
      return;
    }
    const elapsed = tick - start;
    if (elapsed < this.spec.windowTicks) return;
    const busyPercent = Math.min(100, Math.floor((state.auTuneCpu[node] * 100) / elapsed));
    const computes = state.auTuneComputes[node], io = state.auTuneIo[node], waits = state.auTuneWaits[node];
    const ioPercent = Math.floor((io * 100) / Math.max(1, computes + io + waits));
    const found = classify(busyPercent, computes, io, waits, state.auTuneCpu[node], state.auNodeQuantum[node]);
    state.auTuneStart[node] = tick;
    state.auTuneCpu[node] = 0;
    state.auTuneComputes[node] = 0;
    state.auTuneIo[node] = 0;
    state.auTuneWaits[node] = 0;
    const next = hysteresis({ current: state.auTuneClass[node], candidate: state.auTuneCandidate[node], streak: state.auTuneStreak[node], quiet: state.auTuneQuiet[node] }, found);
    state.auTuneClass[node] = next.current;
    state.auTuneCandidate[node] = next.candidate;
    state.auTuneStreak[node] = next.streak;
    state.auTuneQuiet[node] = next.quiet;
    if (!next.switched) return;
    this.#enqueue(E['workload/classified'], node, NONE, NONE, found, busyPercent, ioPercent);
  }

  /** A class was reported (seq): the policy and quantum that fit it. */
  #tuneSwitch(seq: number, node: number, workload: number): void {
    const { policy, quantumTicks } = tuningFor(workload, this.ctx.spec.kernel.quantumTicks);
    this.#enqueue(E['tune/switched'], node, NONE, seq, workload, POLICY_CODES.indexOf(policy), quantumTicks);
  }
}

export interface TuneState { current: number; candidate: number; streak: number; quiet: number }

/**
 * One window's class (-1: mixed) through the hysteresis: a switch needs the same new class
 * TUNE_HOLD_WINDOWS windows in a row and TUNE_COOLDOWN_WINDOWS windows since the last switch, so
 * a workload that flips between classes never makes the tuner flip with it.
 */
export function hysteresis(state: TuneState, found: number): TuneState & { switched: boolean } {
  const quiet = Math.min(state.quiet + 1, 1 << 30);
  if (found < 0 || found === state.current) return { current: state.current, candidate: -1, streak: 0, quiet, switched: false };
  const streak = found === state.candidate ? state.streak + 1 : 1;
  if (streak < TUNE_HOLD_WINDOWS || quiet < TUNE_COOLDOWN_WINDOWS) return { current: state.current, candidate: found, streak, quiet, switched: false };
  return { current: found, candidate: -1, streak: 0, quiet: 0, switched: true };
}

/**
 * A node's window of events as a workload class, or -1 (mixed: no evidence either way).
 * cpu-bound: busy at least 80% and at most one block per 4 computes; io-bound: at least 40% of
 * step endings are io; interactive: at least one wait (sleep, recv) per 2 computes, in bursts
 * under half a quantum.
 */
export function classify(busyPercent: number, computes: number, io: number, waits: number, cpuTicks: number, quantumTicks: number): number {
  const endings = computes + io + waits;
  if (endings === 0) return -1;
  if (io * 100 >= 40 * endings) return WorkloadClass.ioBound;
  if (busyPercent >= 80 && (io + waits) * 4 <= computes) return WorkloadClass.cpuBound;
  if (computes > 0 && waits * 2 >= computes && cpuTicks * 2 < quantumTicks * computes) return WorkloadClass.interactive;
  return -1;
}

/** cpu-bound: fair with a 4x quantum (fewer switches); io-bound: fair, the spec's quantum; interactive: eevdf with a quarter quantum (at least 100us). */
export function tuningFor(workload: number, specQuantumTicks: number): { policy: 'fair' | 'eevdf'; quantumTicks: number } {
  if (workload === WorkloadClass.cpuBound) return { policy: 'fair', quantumTicks: Math.min(1_000_000, specQuantumTicks * 4) };
  if (workload === WorkloadClass.interactive) return { policy: 'eevdf', quantumTicks: Math.max(100, Math.floor(specQuantumTicks / 4)) };
  return { policy: 'fair', quantumTicks: specQuantumTicks };
}

const live = (state: KernelState, pid: number) => {
  const status = state.procStatus[pid];
  return pid >= 0 && status !== Status.exited && status !== Status.failed && status !== Status.free && status !== Status.restarting;
};

const clamp = (value: number) => Math.max(-0x80000000, Math.min(INT32_MAX, Math.round(value)));

export { live };
