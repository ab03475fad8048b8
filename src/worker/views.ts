// Read-only views of a Kernel for the Memory, Metrics and Profile panels: each takes the kernel
// at its cursor and returns small plain data (bounded by the *_MAX limits below, whatever the size
// of the heap or the journal). Nothing here changes the kernel, its state or its core.
import type { Kernel } from '../kernel/kernel';
import { EventCode as E, InterventionKind } from '../kernel/events';
import { NONE, Scalar, Status, STATUS_NAMES } from '../kernel/state';
import { cpuTicksAt } from '../kernel/reducers/cpu';
import type { Core } from '../core/core';
import { heapHistory } from './heap-history';
import { agentsStoppedBy } from '../kernel/autonomy/supervise';
import { heapFailures, type FailedAlloc } from './heap-failures';
import { memoryLimitAt } from '../kernel/autonomy/limits';

/** Ranges one memory map may hold; smaller blocks are merged until the map fits. */
export const MEMORY_RANGES_MAX = 4096;
/** Calls into the core's map export (about 1,300 ranges each) one view may make. */
const MAP_CALLS_MAX = 16_384;
/** Points of one metrics series. */
export const METRICS_POINTS_MAX = 512;
/** 1 tick = 1 µs of virtual time (src/spec/limits.ts). */
export const TICKS_PER_MS = 1000;

/** A range owned by no process. */
export const FREE_PID = -1;
/** A block whose owner slot maps to no process (should not happen; shown rather than hidden). */
export const UNKNOWN_PID = -2;

export interface MemoryOwner {
  pid: number;
  agent: string;
  agentIndex: number;
  replica: number;
  /** Bytes of the blocks this process owns in the map (exact: counted before merging). */
  bytes: number;
}

export interface MemoryView {
  node: number;
  nodeCount: number;
  heapBytes: number;
  usedBytes: number;
  freeBytes: number;
  peakUsedBytes: number;
  largestFreeBytes: number;
  fragmentationPermille: number;
  usedBlocks: number;
  freeBlocks: number;
  /** Every block is a whole number of these bytes (kernel.granule: 16 or 8). */
  granuleBytes: number;
  /** Failed allocations on this node so far (heap/exhausted events: over a limit, or the heap could not). */
  failedAllocs: number;
  /** The latest failed allocation, its process and what that process holds now (0: its blocks were freed when it failed). */
  lastFailedAlloc?: FailedAlloc & { agent: string; replica: number; limitBytes: number; heldBytes: number; status: string };
  /** The map in address order, as columns: range i is [address[i], address[i] + size[i]). */
  address: Float64Array;
  size: Float64Array;
  /** FREE_PID, UNKNOWN_PID or the owning pid (of a merged range: the owner of most of its bytes). */
  pid: Int32Array;
  /** Ranges of the core's map merged into this one (1: an exact block run). */
  parts: Int32Array;
  /** Smallest range kept unmerged, in bytes. */
  mergeBelowBytes: number;
  /** Every process owning heap on this node, by bytes (largest first). */
  owners: MemoryOwner[];
}

/**
 * The heap map of one node. The core merges adjacent blocks of one owner; ranges smaller than
 * mergeBelowBytes are merged further with their neighbours until the run reaches that size, so
 * the map has at most MEMORY_RANGES_MAX ranges (each kept range and each full run is at least
 * mergeBelowBytes = 2·heap/MAX bytes: at most MAX/2 of them, plus at most one short run before each).
 */
export function memoryView(kernel: Kernel, node: number): MemoryView {
  const nodeCount = kernel.spec.cluster.nodeCount;
  if (!Number.isInteger(node) || node < 0 || node >= nodeCount) throw new RangeError(`no node ${node}: the cluster has nodes 0..${nodeCount - 1}`);
  const heap = kernel.core.heap;
  const stats = heap.stats(node);
  const { state } = kernel.machine;
  const procsMax = state.layout.procsMax;
  const mergeBelowBytes = Math.max(1, Math.ceil((2 * stats.heapBytes) / (MEMORY_RANGES_MAX - 2)));

  const address: number[] = [], size: number[] = [], pid: number[] = [], parts: number[] = [];
  const ownerBytes = new Map<number, number>();
  // The run of small ranges being merged: its start, bytes, free bytes, and its biggest used range.
  let runStart = 0, runBytes = 0, runFree = 0, runParts = 0, runTopPid = FREE_PID, runTopBytes = -1;
  const flushRun = () => {
    if (runParts === 0) return;
    address.push(runStart); size.push(runBytes); parts.push(runParts);
    pid.push(runFree * 2 >= runBytes || runTopPid === FREE_PID ? FREE_PID : runTopPid);
    runBytes = 0; runFree = 0; runParts = 0; runTopPid = FREE_PID; runTopBytes = -1;
  };

  let from = 0;
  for (let calls = 0; from < stats.heapBytes && calls < MAP_CALLS_MAX; calls++) {
    const ranges = heap.map(node, undefined, from);
    if (ranges.length === 0) break;
    for (const range of ranges) {
      let owner = FREE_PID;
      if (range.owner !== null) {
        owner = range.owner < procsMax ? state.slotPid[node * procsMax + range.owner] : NONE;
        if (owner === NONE) owner = UNKNOWN_PID;
        ownerBytes.set(owner, (ownerBytes.get(owner) ?? 0) + range.size);
      }
      if (range.size >= mergeBelowBytes) {
        flushRun();
        address.push(range.address); size.push(range.size); pid.push(owner); parts.push(1);
        continue;
      }
      if (runParts === 0) runStart = range.address;
      runBytes += range.size;
      runParts++;
      if (owner === FREE_PID) runFree += range.size;
      else if (range.size > runTopBytes) { runTopBytes = range.size; runTopPid = owner; }
      if (runBytes >= mergeBelowBytes) flushRun();
    }
    const last = ranges[ranges.length - 1];
    from = last.address + last.size;
  }
  flushRun();
  if (address.length > MEMORY_RANGES_MAX) throw new Error(`memory view: ${address.length} ranges, more than the ${MEMORY_RANGES_MAX} one view shows`);

  const owners: MemoryOwner[] = [...ownerBytes].map(([owner, bytes]) => ({
    pid: owner,
    agent: owner >= 0 ? kernel.spec.agents[state.procAgent[owner]].name : '?',
    agentIndex: owner >= 0 ? state.procAgent[owner] : -1,
    replica: owner >= 0 ? state.procReplica[owner] : 0,
    bytes,
  })).sort((x, y) => y.bytes - x.bytes || x.pid - y.pid);

  const failures = heapFailures(kernel, node);
  const last = failures.last;
  return {
    node, nodeCount, ...stats,
    failedAllocs: failures.count,
    ...(last ? { lastFailedAlloc: {
      ...last,
      agent: kernel.spec.agents[state.procAgent[last.pid]].name,
      limitBytes: memoryLimitAt(kernel.machine.journal, kernel.spec, state.procAgent[last.pid], last.seq),
      replica: state.procReplica[last.pid],
      heldBytes: state.procHeapBytes[last.pid],
      status: STATUS_NAMES[state.procStatus[last.pid]] ?? 'unknown',
    } } : {}),
    address: Float64Array.from(address), size: Float64Array.from(size), pid: Int32Array.from(pid), parts: Int32Array.from(parts),
    mergeBelowBytes, owners,
  };
}

export interface MetricsView {
  /** Virtual time at the end of each bucket (ticks, 1 tick = 1 µs). */
  tick: Float64Array;
  /**
   * Runnable or running processes, averaged over each bucket's time (an average, not a sample:
   * sampling a process that runs 300 µs of every 500 at 491 µs buckets would draw a false beat).
   */
  runnable: Float64Array;
  /** Heap bytes in use (all nodes), the highest within each bucket. */
  heapBytes: Float64Array;
  /** Messages sent per millisecond of virtual time within each bucket. */
  messagesPerMs: Float64Array;
  bucketTicks: number;
  /** At the cursor: runnable or running processes, and heap bytes in use. */
  runnableNow: number;
  /** The most processes runnable or running at once, up to the cursor (an instant, like runnableNow; the series is a mean). */
  runnablePeak: number;
  heapBytesNow: number;
  /** Events read (the cursor). */
  events: number;
  /**
   * Per node: external fragmentation of its heap (‰: 1 - largest free / free) at the end of each
   * bucket (heap-history.ts; NaN where the replay stopped); empty without a scratch core.
   */
  fragmentationPermille: Float64Array[];
  /** Virtual time of the cursor's event, and of the branch's last recorded event (the charts' cursor line and their end). */
  cursorTick: number;
  branchEndTick: number;
}

/** What the metrics do with each event type (a table: the loop runs once per event). */
const Act = {
  none: 0, spawned: 1, restarted: 2, woken: 3, switched: 4, blocked: 5, exited: 6, failed: 7,
  allocated: 8, freed: 9, sent: 10, intervened: 11, crashed: 12, recovered: 13, healRestarted: 14, supervisor: 15, migrated: 16,
} as const;
const METRIC_ACTIONS = new Uint8Array(256);
for (const [type, action] of [
  ['process/spawned', Act.spawned], ['process/restarted', Act.restarted], ['sched/woken', Act.woken],
  ['ipc/timedOut', Act.woken], ['sched/switched', Act.switched], ['sched/blocked', Act.blocked],
  ['process/exited', Act.exited], ['process/failed', Act.failed], ['heap/allocated', Act.allocated],
  ['heap/freed', Act.freed], ['ipc/sent', Act.sent], ['user/intervened', Act.intervened],
  ['node/crashed', Act.crashed], ['node/recovered', Act.recovered],
  ['heal/restarted', Act.healRestarted], ['heal/scaled', Act.spawned],
  ['supervisor/restarting', Act.supervisor], ['supervisor/gaveUp', Act.supervisor], ['probe/failed', Act.failed],
  ['process/migrated', Act.migrated],
] as const) METRIC_ACTIONS[E[type]] = action;

/**
 * Time series over the branch up to the cursor, from the journal alone (the view never seeks):
 * runnable processes and heap in use follow the reducers' rules (cpu.ts, sched.ts, process.ts,
 * heap.ts, world.ts) on small per-process arrays, integrated over virtual time as the events go by.
 * A receiver or sender woken by a channel (the reducer's wait lists, with no event of its own) is
 * seen at its next `sched/switched`, whose cause is the waking event, and counted back from then;
 * one still waiting for the CPU at the cursor is seen in the state.
 */
export function metricsView(kernel: Kernel, pointsMax = METRICS_POINTS_MAX, scratch?: Core): MetricsView {
  const journal = kernel.machine.journal;
  const { state } = kernel.machine;
  const spec = kernel.spec;
  const events = kernel.cursor;
  const lastTick = events > 0 ? journal.tick(events - 1) : 0;
  const endTick = lastTick + 1;
  const points = Math.max(1, Math.min(METRICS_POINTS_MAX, Math.floor(pointsMax)));
  const bucketTicks = Math.max(1, Math.ceil(endTick / points));
  const count = Math.max(1, Math.ceil(endTick / bucketTicks));
  const tick = new Float64Array(count), runnable = new Float64Array(count), heapBytes = new Float64Array(count), messagesPerMs = new Float64Array(count);
  const bucketOf = (at: number) => Math.min(count - 1, Math.floor(at / bucketTicks));

  // Integration: `runnable` holds the integral (process-ticks) per bucket until the end.
  let now = 0, current = 0, runnableNow = 0, runnablePeak = 0, heapNow = 0;
  const advance = (to: number) => {
    for (let guard = 0; now < to && guard <= count; guard++) {
      const bucketEnd = (current + 1) * bucketTicks;
      const until = Math.min(to, bucketEnd);
      runnable[current] += runnableNow * (until - now);
      now = until;
      if (now < bucketEnd || current === count - 1) continue;
      current++;
      heapBytes[current] = heapNow;
    }
  };
  /** One more runnable process since `since` (<= now): counted back to then. */
  const addRunnableSince = (since: number) => {
    for (let bucket = bucketOf(since); bucket <= current; bucket++) {
      const overlap = Math.min(now, (bucket + 1) * bucketTicks) - Math.max(since, bucket * bucketTicks);
      if (overlap > 0) runnable[bucket] += overlap;
    }
    runnableNow++;
    if (runnableNow > runnablePeak) runnablePeak = runnableNow;
  };

  const P = state.layout.procsMax;
  const queued = new Uint8Array(P);       // runnable or running
  const node = new Int32Array(P);
  const crashed = new Uint8Array(P);      // ended by a node crash, to restart on recovery
  const live = new Uint8Array(P);         // spawned and not ended for good (restarting counts)
  const restarts = new Int32Array(P);
  const procHeap = new Float64Array(P);
  const setQueued = (pid: number, value: number) => {
    runnableNow += value - queued[pid];
    queued[pid] = value;
    if (runnableNow > runnablePeak) runnablePeak = runnableNow;
  };
  const addHeap = (pid: number, bytes: number) => {
    procHeap[pid] += bytes;
    heapNow += bytes;
    if (heapNow > heapBytes[current]) heapBytes[current] = heapNow;
  };
  /** process.ended(): off the queue, heap returned; live on only if a restart is due. */
  const end = (pid: number, failedRun: boolean, byCrash: boolean, killed = false) => {
    setQueued(pid, 0);
    addHeap(pid, -procHeap[pid]);
    const restart = spec.agents[state.procAgent[pid]].restart;
    const wantsRestart = !killed && (restart.policy === 'always' || (restart.policy === 'on-failure' && failedRun));
    live[pid] = wantsRestart && restarts[pid] < restart.countMax && !byCrash ? 1 : 0;
    crashed[pid] = byCrash && wantsRestart ? 1 : 0;
  };

  for (let seq = 0; seq < events; seq++) {
    const action = METRIC_ACTIONS[journal.type(seq)];
    if (action === Act.none) continue;
    const pid = journal.pid(seq);
    advance(journal.tick(seq));
    switch (action) {
      case Act.spawned: node[pid] = journal.node(seq); live[pid] = 1; setQueued(pid, 1); break;
      case Act.restarted: restarts[pid]++; live[pid] = 1; crashed[pid] = 0; setQueued(pid, 1); break;
      case Act.woken: setQueued(pid, 1); break;
      case Act.switched: {
        if (queued[pid]) break;
        const cause = journal.cause(seq);
        queued[pid] = 1;
        addRunnableSince(cause >= 0 && cause < seq ? journal.tick(cause) : now);
        break;
      }
      case Act.blocked: setQueued(pid, 0); break;
      case Act.exited: end(pid, journal.a(seq) !== 0, false); break;
      case Act.failed: end(pid, true, false); break;
      case Act.allocated: addHeap(pid, journal.b(seq)); break;
      case Act.freed: addHeap(pid, -journal.b(seq)); break;
      case Act.sent: messagesPerMs[current]++; break;
      case Act.intervened: {
        const kind = journal.a(seq);
        if (kind === InterventionKind.kill || kind === InterventionKind.killTree) end(pid, true, false, true);
        else if (kind === InterventionKind.restart) { if (live[pid]) end(pid, false, false, true); restarts[pid]++; live[pid] = 1; crashed[pid] = 0; setQueued(pid, 1); }
        else if (kind === InterventionKind.pause) setQueued(pid, 0);
        else if (kind === InterventionKind.resume) setQueued(pid, 1);
        break;
      }
      case Act.healRestarted: { if (live[pid]) end(pid, false, false, true); restarts[pid]++; live[pid] = 1; crashed[pid] = 0; setQueued(pid, 1); break; }
      case Act.crashed: {
        const down = journal.node(seq);
        for (let p = 0; p < P; p++) if (node[p] === down && live[p]) end(p, true, true);
        break;
      }
      case Act.supervisor: {
        // A supervisor stopped running processes (kernel/autonomy/supervise.ts): their heap returns.
        const gaveUp = journal.type(seq) === E['supervisor/gaveUp'];
        const stopped = agentsStoppedBy(kernel.ctx, gaveUp, journal.a(seq), pid >= 0 ? state.procAgent[pid] : -1, journal.c(seq));
        for (let p = 0; p < P && stopped.length > 0; p++) {
          if (!live[p] || !stopped.includes(state.procAgent[p])) continue;
          setQueued(p, 0);
          addHeap(p, -procHeap[p]);
          if (gaveUp || spec.agents[state.procAgent[p]].restart.policy === 'never') live[p] = 0;
        }
        break;
      }
      case Act.migrated: node[pid] = journal.b(seq); crashed[pid] = 0; live[pid] = 1; break; // restarts there (process/restarted)
      case Act.recovered: {
        const up = journal.node(seq);
        for (let p = 0; p < P; p++) if (node[p] === up && crashed[p]) { crashed[p] = 0; setQueued(p, 1); }
        break;
      }
    }
  }
  // Woken by a channel and not yet on the CPU at the cursor: the state knows, and since when.
  const pidCount = Math.min(state.scalars[Scalar.nextPid], P);
  for (let pid = 0; pid < pidCount; pid++) {
    const status = state.procStatus[pid];
    if (queued[pid] || (status !== Status.runnable && status !== Status.running)) continue;
    const cause = state.procLastSeq[pid];
    queued[pid] = 1;
    addRunnableSince(cause >= 0 && cause < events ? journal.tick(cause) : lastTick);
  }
  advance(endTick);
  for (let bucket = 0; bucket < count; bucket++) {
    const start = bucket * bucketTicks, stop = Math.min(endTick, start + bucketTicks);
    tick[bucket] = stop - 1;
    runnable[bucket] /= stop - start;
    messagesPerMs[bucket] = (messagesPerMs[bucket] * TICKS_PER_MS) / (stop - start);
  }
  const fragmentationPermille = scratch ? heapHistory(kernel, scratch, bucketTicks, count).fragmentationPermille : [];
  const branchEndTick = journal.length > 0 ? journal.tick(journal.length - 1) : 0;
  return { tick, runnable, heapBytes, messagesPerMs, bucketTicks, runnableNow, runnablePeak, heapBytesNow: heapNow, events, fragmentationPermille, cursorTick: lastTick, branchEndTick };
}

export interface ProfileStep {
  kind: string;
  /** CPU ticks attributed to this kind of step (see profileView on how). */
  ticks: number;
  /** Steps of this kind completed. */
  count: number;
}

export interface ProfileAgent {
  agent: string;
  /** The agent's index in the spec (its colour in the panels). */
  agentIndex: number;
  processes: number;
  cpuTicks: number;
  /** Children whose ticks sum to cpuTicks, largest first. */
  steps: ProfileStep[];
}

export interface ProfileView {
  cpuTicks: number;
  agents: ProfileAgent[];
  events: number;
}

/** Step kinds by the event that completes them; `other` takes what no step event explains. */
const STEP_KINDS: ReadonlyArray<readonly [code: number, kind: string]> = [
  [E['cpu/computed'], 'compute'],
  [E['heap/allocated'], 'alloc'],
  [E['heap/freed'], 'free'],
  [E['heap/freeSkipped'], 'free'],
  [E['ipc/sent'], 'send'],
  [E['ipc/received'], 'recv'],
  [E['sched/blocked'], 'block'],
  [E['fs/written'], 'write'],
  [E['fs/read'], 'read'],
  [E['crdt/applied'], 'shared'],
  [E['resource/bid'], 'bid'],
  [E['resource/released'], 'release'],
  [E['step/chose'], 'choose'],
];
export const OTHER_STEP = 'other';

/**
 * CPU time per agent (exact: the sum of state.procCpuTicks of its processes at the cursor) split
 * by step kind. The split is approximate: a `cpu/computed` event credits its drawn ticks to
 * `compute`; every other step event is counted as 1 tick (the cost the kernel charges a non-compute
 * step); what remains (compute still in progress, the end of a preempted slice) is `other`. If the
 * 1-tick estimates overshoot an agent's time, its non-compute kinds are scaled down to fit.
 */
export function profileView(kernel: Kernel): ProfileView {
  const journal = kernel.machine.journal;
  const { state } = kernel.machine;
  const agentCount = kernel.spec.agents.length;
  const kindNames = [...new Set(STEP_KINDS.map(([, kind]) => kind))];
  const kindOf = new Int32Array(256).fill(-1);
  for (const [code, kind] of STEP_KINDS) kindOf[code] = kindNames.indexOf(kind);
  const computeKind = kindNames.indexOf('compute');
  const ticks = new Float64Array(agentCount * kindNames.length);
  const counts = new Float64Array(agentCount * kindNames.length);
  const pidCount = Math.min(state.scalars[Scalar.nextPid], state.layout.procsMax);

  for (let seq = 0; seq < kernel.cursor; seq++) {
    const kind = kindOf[journal.type(seq)];
    const pid = journal.pid(seq);
    if (kind < 0 || pid < 0 || pid >= pidCount) continue;
    const cell = state.procAgent[pid] * kindNames.length + kind;
    ticks[cell] += kind === computeKind ? journal.a(seq) : 1;
    counts[cell]++;
  }

  const agents: ProfileAgent[] = [];
  let cpuTicks = 0;
  for (let agent = 0; agent < agentCount; agent++) {
    let agentTicks = 0, processes = 0;
    for (let pid = 0; pid < pidCount; pid++) {
      if (state.procAgent[pid] !== agent) continue;
      agentTicks += cpuTicksAt(state, pid);
      processes++;
    }
    cpuTicks += agentTicks;
    const base = agent * kindNames.length;
    const compute = Math.min(agentTicks, ticks[base + computeKind]);
    let rest = 0;
    for (let k = 0; k < kindNames.length; k++) if (k !== computeKind) rest += ticks[base + k];
    const scale = rest > agentTicks - compute ? (agentTicks - compute) / rest : 1;
    const steps: ProfileStep[] = [];
    let attributed = 0;
    for (let k = 0; k < kindNames.length; k++) {
      if (counts[base + k] === 0) continue;
      const kindTicks = k === computeKind ? compute : ticks[base + k] * scale;
      attributed += kindTicks;
      steps.push({ kind: kindNames[k], ticks: kindTicks, count: counts[base + k] });
    }
    if (agentTicks - attributed > 0) steps.push({ kind: OTHER_STEP, ticks: agentTicks - attributed, count: 0 });
    steps.sort((x, y) => y.ticks - x.ticks || (x.kind < y.kind ? -1 : 1));
    agents.push({ agent: kernel.spec.agents[agent].name, agentIndex: agent, processes, cpuTicks: agentTicks, steps });
  }
  agents.sort((x, y) => y.cpuTicks - x.cpuTicks || (x.agent < y.agent ? -1 : 1));
  return { cpuTicks, agents, events: kernel.cursor };
}
