// Read-only views for the IPC panel and the Inspector: the agent/channel graph with message rates
// and queue fill, one process in detail (program and current step, state, memory, channels, why
// the scheduler picked it), and the difference between two points. Each takes the kernel at its
// cursor and returns small plain data, bounded by the *_MAX limits below whatever the size of the
// journal. Only compareView moves the cursor (kernel.diff seeks to both points) and it puts the
// cursor back where it was; nothing here changes the state of the session.
import { capacityNow } from '../kernel/autonomy/state';
import type { Kernel } from '../kernel/kernel';
import type { Step } from '../spec/types';
import { BlockReason, EventCode as E, nameOf } from '../kernel/events';
import { NONE, Scalar, Status, STATUS_NAMES } from '../kernel/state';
import { peekTimerTick } from '../kernel/sim/timers';
import { ALLOC_SLOTS_MAX } from '../kernel/program/opcodes';
import { explainPick, SCHED_REASONS } from '../core/sched';
import type { EntityView } from '../kernel/diff';
import { TICKS_PER_MS } from './views';
import { deadlockWords } from './deadlock-words';
import { stepText } from './step-text';
import { failedText } from './event-text';
import { branchName, describeIntervention } from './branch-rows';
import { IPC_AGENTS_MAX, IPC_CHANNELS_MAX } from './api';
import { entityName, fieldName, separatingInterventions, statusWords, type SeparatingIntervention } from './compare-names';

/**
 * Each agent's breadth-first distance from a source (an agent with no incoming channel from
 * another agent), in index order. Agents in a cycle no source reaches start a column of their own
 * after the deepest one reached so far (the lowest index first). O(agents + channels).
 */
export function agentColumns(agentCount: number, edges: readonly (readonly [from: number, to: number])[]): Int32Array {
  const column = new Int32Array(agentCount).fill(-1);
  const outStart = new Int32Array(agentCount + 1);
  for (const [from, to] of edges) if (from !== to) outStart[from + 1]++;
  for (let a = 0; a < agentCount; a++) outStart[a + 1] += outStart[a];
  const outTo = new Int32Array(outStart[agentCount]);
  const fill = outStart.slice(0, agentCount);
  const hasInput = new Uint8Array(agentCount);
  for (const [from, to] of edges) {
    if (from === to) continue;
    outTo[fill[from]++] = to;
    hasInput[to] = 1;
  }
  let frontier: number[] = [];
  for (let a = 0; a < agentCount; a++) if (!hasInput[a]) { column[a] = 0; frontier.push(a); }
  let nextUnplaced = 0;
  for (let depth = 1; ; depth++) {
    // frontier: the agents in column depth - 1. None: start one for the first agent not placed yet.
    if (frontier.length === 0) {
      while (nextUnplaced < agentCount && column[nextUnplaced] >= 0) nextUnplaced++;
      if (nextUnplaced >= agentCount) break;
      column[nextUnplaced] = depth - 1;
      frontier = [nextUnplaced];
    }
    const next: number[] = [];
    for (const from of frontier) {
      for (let e = outStart[from]; e < outStart[from + 1]; e++) {
        const to = outTo[e];
        if (column[to] < 0) { column[to] = depth; next.push(to); }
      }
    }
    frontier = next;
  }
  return column;
}

/** The indices 0..count-1 of the first `max` in `order`, deterministic for a total order. */
function topIndices(count: number, max: number, order: (x: number, y: number) => number): number[] {
  const all = Array.from({ length: count }, (_, index) => index);
  return count <= max ? all : all.sort(order).slice(0, max);
}

/** Journal events one rate window may scan back (a denser window is measured over what was read). */
export const IPC_SCAN_MAX = 200_000;
/** Events the inspector scans back for a process's last switch or block. */
export const WHY_SCAN_MAX = 1_000_000;
/** Steps of one program the inspector lists (a window around the current step). */
export const PROGRAM_STEPS_MAX = 200;
/** Entities one comparison lists in each of added, updated and removed. */
export const DIFF_ENTRIES_MAX = 200;
/** Default width of the rate window, in ms of virtual time. */
export const IPC_WINDOW_MS = 10;

export interface IpcAgent {
  index: number;
  name: string;
  /** Processes of the agent that are alive (not exited or failed) at the cursor. */
  live: number;
  processes: number;
  /** Replicas the spec starts at boot. */
  replicas: number;
  /** Distance from a source (an agent with no incoming channel): the layout's column. */
  column: number;
  /** ipc/sent events in the window on the agent's channels, in and out (a self-loop counts once). */
  windowTraffic: number;
}

export interface IpcChannel {
  index: number;
  /** "source.out -> mapper.in" */
  name: string;
  from: number;
  fromPort: string;
  to: number;
  toPort: string;
  capacity: number;
  queued: number;
  inFlight: number;
  /** (queued + in flight) / capacity, 0..1. */
  fill: number;
  sent: number;
  delivered: number;
  dropped: number;
  /** ipc/sent events of this channel in the window. */
  windowSent: number;
  /** windowSent per ms of the window. */
  ratePerMs: number;
  /** "3 per 1 ms" or '' */
  rateLimit: string;
  /** Processes blocked receiving from / sending to it. */
  waitingReceivers: number;
  waitingSenders: number;
}

export interface IpcView {
  /** At most IPC_AGENTS_MAX agents (the busiest, then in spec order), in spec order. */
  agents: IpcAgent[];
  /** At most IPC_CHANNELS_MAX channels between the listed agents (the busiest first chosen), in spec order. */
  channels: IpcChannel[];
  /** The spec's agents and channels, listed or not. */
  agentsTotal: number;
  channelsTotal: number;
  /** The window the rates were measured over: [windowStartTick, tick]. */
  windowStartTick: number;
  tick: number;
  /** Journal events read; true when IPC_SCAN_MAX cut the window short. */
  scanned: number;
  truncated: boolean;
  events: number;
  /** Nothing moves at the cursor (the run is quiescent there): every rate is 0, whatever came before. */
  still: boolean;
  /** When it is still because processes wait on each other: who waits on whom (deadlock-words.ts). */
  deadlock?: string;
}

/**
 * The agents and channels at the cursor. Rates count `ipc/sent` events of each channel in the last
 * `windowMs` of virtual time before the cursor (at most IPC_SCAN_MAX events back; if the window
 * holds more, the rate is over the part read).
 */
/**
 * Nothing can happen after the cursor by itself: no process can run on an up node, no timer is
 * pending (sleeps, deliveries in flight, restarts, faults), no auction or boot is due. A deadlock
 * is still from the block that closed its cycle on, however the session got here (a run, a link,
 * a checkpoint) and whether or not the kernel has reported it yet.
 */
export function isStill(kernel: Kernel): boolean {
  const { state, ctx } = kernel.machine;
  if (kernel.cursor === 0 || peekTimerTick(state) !== Infinity || state.scalars[Scalar.auctionsDue]) return false;
  if (state.scalars[Scalar.bootNext] < ctx.boot.length) return false;
  for (let node = 0; node < ctx.layout.nodeCount; node++) if (state.nodeUp[node] && state.nodeNext[node] !== Infinity) return false;
  return true;
}

function deadlockField(kernel: Kernel): { deadlock?: string } {
  const words = deadlockWords(kernel);
  return words === undefined ? {} : { deadlock: words };
}

export function ipcView(kernel: Kernel, windowMs = IPC_WINDOW_MS, still = isStill(kernel)): IpcView {
  const { state } = kernel.machine;
  const journal = kernel.machine.journal;
  const spec = kernel.spec;
  const events = kernel.cursor;
  const tick = state.scalars[Scalar.tick];
  const windowTicks = Math.max(1, Math.round(windowMs * TICKS_PER_MS));
  let windowStartTick = Math.max(0, tick - windowTicks);
  const C = spec.channels.length;
  const windowSent = new Float64Array(C);
  let scanned = 0, truncated = false;
  // A quiescent system sends nothing from here on: a window of the past would show a rate for a
  // system where nothing moves (a deadlock). Its rates are 0, measured over an empty window.
  if (still) windowStartTick = tick;
  for (let seq = events - 1; seq >= 0 && !still; seq--) {
    if (journal.tick(seq) < windowStartTick) break;
    if (scanned >= IPC_SCAN_MAX) { truncated = true; windowStartTick = journal.tick(seq + 1); break; }
    scanned++;
    if (journal.type(seq) === E['ipc/sent']) windowSent[journal.a(seq)]++;
  }
  const spanMs = Math.max(1, tick - windowStartTick) / TICKS_PER_MS;

  // Columns: breadth-first distance from the sources, in index order (deterministic), O(A + C).
  const A = spec.agents.length;
  const column = agentColumns(A, spec.channels.map((channel) => [channel.from.agentIndex, channel.to.agentIndex]));

  const live = new Int32Array(A), processes = new Int32Array(A);
  const waitRecv = new Int32Array(C), waitSend = new Int32Array(C);
  const pidCount = Math.min(state.scalars[Scalar.nextPid], state.layout.procsMax);
  for (let pid = 0; pid < pidCount; pid++) {
    const agent = state.procAgent[pid];
    processes[agent]++;
    const status = state.procStatus[pid];
    if (status !== Status.exited && status !== Status.failed && status !== Status.free) live[agent]++;
    if (status === Status.blocked) {
      const object = state.procBlockObject[pid];
      if (state.procBlockReason[pid] === BlockReason.recv && object >= 0 && object < C) waitRecv[object]++;
      if ((state.procBlockReason[pid] === BlockReason.sendFull || state.procBlockReason[pid] === BlockReason.rate) && object >= 0 && object < C) waitSend[object]++;
    }
  }

  const traffic = new Float64Array(A);
  for (const channel of spec.channels) {
    traffic[channel.from.agentIndex] += windowSent[channel.index];
    if (channel.to.agentIndex !== channel.from.agentIndex) traffic[channel.to.agentIndex] += windowSent[channel.index];
  }
  // Bounded whatever the spec: the busiest agents, then the busiest channels between them.
  const agentKept = new Uint8Array(A);
  for (const index of topIndices(A, IPC_AGENTS_MAX, (x, y) => traffic[y] - traffic[x] || live[y] - live[x] || x - y)) agentKept[index] = 1;
  const between = spec.channels.filter((channel) => agentKept[channel.from.agentIndex] && agentKept[channel.to.agentIndex]).map((channel) => channel.index);
  const sent = state.chanSent;
  const channelsKept = between.length <= IPC_CHANNELS_MAX ? between
    : between.slice().sort((x, y) => windowSent[y] - windowSent[x] || sent[y] - sent[x] || x - y).slice(0, IPC_CHANNELS_MAX).sort((x, y) => x - y);

  return {
    agentsTotal: A,
    channelsTotal: C,
    agents: spec.agents.filter((agent) => agentKept[agent.index]).map((agent) => {
      const index = agent.index;
      return { index, name: agent.name, live: live[index], processes: processes[index], replicas: agent.replicas, column: column[index], windowTraffic: traffic[index] };
    }),
    channels: channelsKept.map((index) => {
      const channel = spec.channels[index];
      const queued = state.chanQueued[index], inFlight = state.chanInFlight[index];
      const capacity = capacityNow(state, spec, index); // healing may have raised it
      return {
        index,
        name: `${channel.from.agent}.${channel.from.port} -> ${channel.to.agent}.${channel.to.port}`,
        from: channel.from.agentIndex, fromPort: channel.from.port, to: channel.to.agentIndex, toPort: channel.to.port,
        capacity, queued, inFlight,
        fill: capacity > 0 ? Math.min(1, (queued + inFlight) / capacity) : 0,
        sent: state.chanSent[index], delivered: state.chanDelivered[index], dropped: state.chanDropped[index],
        windowSent: windowSent[index], ratePerMs: windowSent[index] / spanMs,
        rateLimit: channel.rate ? `${channel.rate.count} per ${channel.rate.windowTicks / TICKS_PER_MS} ms` : '',
        waitingReceivers: waitRecv[index], waitingSenders: waitSend[index],
      };
    }),
    windowStartTick, tick, scanned, truncated, events, still, ...(still ? deadlockField(kernel) : {}),
  };
}

export interface ProgramStepRow {
  pc: number;
  kind: string;
  /** Spec line of the step (1-based). */
  line: number;
  /**
   * The spec line's text, trimmed, when the line is this step's own; otherwise (a built-in
   * behaviour's steps all carry its `program:` line, a flow list puts several on one line) what
   * the step does in words (worker/step-text.ts): "recv in", "compute 1ms", "send out 64 B".
   */
  source: string;
  /** Whether `source` is the spec line's text (false: the step in words). */
  sourceIsLine: boolean;
  /** Loop / branch nesting, for indentation. */
  depth: number;
  current: boolean;
}

export interface ProcessDetail {
  pid: number;
  agent: string;
  replica: number;
  node: number;
  status: string;
  nice: number;
  pc: number;
  /** A window of at most PROGRAM_STEPS_MAX steps around the current one. */
  steps: ProgramStepRow[];
  stepCount: number;
  /** The step at procPc (or the last step before it), or -1 when the program has ended. */
  currentPc: number;
  /** The current step's index among all stepCount steps (0-based), or -1 when the program has ended. */
  currentIndex: number;
  /** "blocked: recv on channel source.out -> mapper.in", "sleeping until 12.300 ms", "running", ... */
  stateText: string;
  /** `allocations`: the block each `alloc … as: name` holds now; `atEnd`: for a process that ended
   *  (exit, failure, kill; or waiting to restart) and holds nothing, what its names held when it ended. */
  memory: { heapBytes: number; peakBytes: number; blocks: number; allocations: { name: string; bytes: number }[]; atEnd: { name: string; bytes: number }[] };
  channels: { port: string; direction: 'in' | 'out'; channel: number; name: string; queued: number; inFlight: number; capacity: number; fill: number }[];
  /** Why the scheduler last picked it (its last sched/switched), or what it waits for. */
  whyText: string;
  lastSwitchSeq: number;
}

const msText = (ticks: number) => `${(ticks / TICKS_PER_MS).toFixed(3)} ms`;

/** Words for a sched/switched event's reason code and value (SCHED_REASONS order). */
export function explainSwitch(reason: number, value: number, seq: number): string {
  const name = SCHED_REASONS[reason] ?? 'none';
  return `picked: ${explainPick({ pid: 0, sliceTicks: 0, reason: name, value })} at event ${seq}`;
}

/** One process in detail, at the cursor. Throws RangeError for a pid the session has not started. */
export function processDetail(kernel: Kernel, pid: number): ProcessDetail {
  const { state } = kernel.machine;
  const journal = kernel.machine.journal;
  const spec = kernel.spec;
  const pidCount = Math.min(state.scalars[Scalar.nextPid], state.layout.procsMax);
  if (!Number.isInteger(pid) || pid < 0 || pid >= pidCount) throw new RangeError(`no process ${pid} at event ${kernel.cursor}`);
  const agentIndex = state.procAgent[pid];
  const agent = spec.agents[agentIndex];
  const program = kernel.ctx.compiled.programs[agentIndex];
  const pc = state.procPc[pid];
  const status = state.procStatus[pid];

  // Steps in pc order, with their nesting (from the Step tree).
  const depthOf = new Map<Step, number>();
  const walk = (steps: readonly Step[], depth: number) => {
    for (const step of steps) {
      depthOf.set(step, depth);
      if (step.kind === 'repeat') walk(step.body, depth + 1);
      if (step.kind === 'choose') for (const branch of step.branches) walk(branch.body, depth + 1);
    }
  };
  walk(agent.program, 0);
  const pcs = [...program.stepAt.keys()].sort((x, y) => x - y);
  const ended = status === Status.exited || status === Status.failed;
  let currentIndex = -1;
  if (!ended) for (let i = 0; i < pcs.length && pcs[i] <= pc; i++) currentIndex = i;
  const currentPc = currentIndex >= 0 ? pcs[currentIndex] : -1;
  const from = Math.max(0, Math.min(pcs.length - PROGRAM_STEPS_MAX, currentIndex - (PROGRAM_STEPS_MAX >> 1)));
  const lines = (kernel.specText ?? '').split('\n');
  // A line is a step's own when no other step of the program came from it (never, for a behaviour).
  const stepsOnLine = new Map<number, number>();
  for (const stepPc of pcs) {
    const line = program.stepAt.get(stepPc)!.line;
    stepsOnLine.set(line, (stepsOnLine.get(line) ?? 0) + 1);
  }
  const steps: ProgramStepRow[] = pcs.slice(from, from + PROGRAM_STEPS_MAX).map((stepPc) => {
    const step = program.stepAt.get(stepPc)!;
    const text = agent.behaviour === null && stepsOnLine.get(step.line) === 1 ? lines[step.line - 1]?.trim() : undefined;
    return {
      pc: stepPc, kind: step.kind, line: step.line, source: text || stepText(step), sourceIsLine: !!text,
      depth: depthOf.get(step) ?? 0, current: stepPc === currentPc,
    };
  });

  const channelName = (index: number) => {
    const channel = spec.channels[index];
    return channel ? `${channel.from.agent}.${channel.from.port} -> ${channel.to.agent}.${channel.to.port}` : `#${index}`;
  };

  // The last switch and the last block of this process, scanning back from the cursor.
  let lastSwitch = -1, lastBlock = -1;
  for (let seq = kernel.cursor - 1, read = 0; seq >= 0 && read < WHY_SCAN_MAX && (lastSwitch < 0 || lastBlock < 0); seq--, read++) {
    if (journal.pid(seq) !== pid) continue;
    const type = journal.type(seq);
    if (type === E['sched/switched'] && lastSwitch < 0) lastSwitch = seq;
    else if (type === E['sched/blocked'] && lastBlock < 0) lastBlock = seq;
  }

  let stateText: string = STATUS_NAMES[status];
  if (status === Status.blocked) {
    const reason = state.procBlockReason[pid], object = state.procBlockObject[pid];
    const until = lastBlock >= 0 ? journal.tick(lastBlock) + journal.c(lastBlock) : -1;
    switch (reason) {
      case BlockReason.recv: stateText = `blocked: recv on channel ${channelName(object)}`; break;
      case BlockReason.sendFull: stateText = `blocked: send on channel ${channelName(object)} (full)`; break;
      case BlockReason.rate: stateText = `blocked: rate limit of channel ${channelName(object)}`; break;
      case BlockReason.sleep: stateText = until >= 0 ? `sleeping until ${msText(until)}` : 'sleeping'; break;
      case BlockReason.io: stateText = until >= 0 ? `waiting for io until ${msText(until)}` : 'waiting for io'; break;
      case BlockReason.bid: stateText = `blocked: bid for ${spec.resources[object]?.name ?? `resource ${object}`}`; break;
      default: stateText = `blocked: ${nameOf(BlockReason, reason)}`;
    }
  } else if (status === Status.failed) stateText = failedText(kernel, pid);
  else if (status === Status.exited) stateText = `exited with code ${state.procExitCode[pid]}`;

  // A runnable process that is not on the CPU was skipped: who got its node instead, and why.
  const node = state.procNode[pid];
  let otherSwitch = -1;
  if (status === Status.runnable) {
    for (let seq = kernel.cursor - 1, read = 0; seq > lastSwitch && read < WHY_SCAN_MAX; seq--, read++) {
      if (journal.type(seq) === E['sched/switched'] && journal.node(seq) === node && journal.pid(seq) !== pid) {
        otherSwitch = seq;
        break;
      }
    }
  }
  const skippedText = () => {
    const winner = journal.pid(otherSwitch);
    const winnerAgent = spec.agents[state.procAgent[winner]];
    const who = winnerAgent ? `${winnerAgent.name}[${state.procReplica[winner]}] (pid ${winner})` : `pid ${winner}`;
    return `skipped at event ${otherSwitch}: n${node} ${explainSwitch(journal.a(otherSwitch), journal.b(otherSwitch), otherSwitch).replace(/^picked: /, `picked ${who}: `).replace(/ at event \d+$/, '')}`;
  };

  let whyText: string;
  if (otherSwitch >= 0) {
    whyText = `waiting for the CPU; ${skippedText()}`;
    if (lastSwitch >= 0) whyText += `; it was last ${explainSwitch(journal.a(lastSwitch), journal.b(lastSwitch), lastSwitch)}`;
  } else if (lastSwitch >= 0) {
    whyText = explainSwitch(journal.a(lastSwitch), journal.b(lastSwitch), lastSwitch);
    if (status === Status.runnable) whyText = `waiting for the CPU; last ${whyText}`;
    else if (status === Status.blocked) whyText = `${stateText}; last ${whyText}`;
    else if (status !== Status.running) whyText = `last ${whyText}`;
  } else if (status === Status.runnable) whyText = 'waiting for the CPU: not picked yet';
  else whyText = `${stateText}: no switch to it in the last ${Math.min(kernel.cursor, WHY_SCAN_MAX)} events`;

  // An ending returns all of a process's memory (letGo) but leaves its name slots as they were
  // until a restart resets them: with no block held, a named slot is what it held at its end.
  const named: { name: string; bytes: number }[] = [];
  for (let slot = 0; slot < Math.min(ALLOC_SLOTS_MAX, program.slotNames.length); slot++) {
    if (state.procSlotBlock[pid * ALLOC_SLOTS_MAX + slot] !== NONE) named.push({ name: program.slotNames[slot], bytes: state.procSlotSize[pid * ALLOC_SLOTS_MAX + slot] });
  }
  const holds = state.procHeapBlocks[pid] > 0;
  const allocations = holds ? named : [], atEnd = holds ? [] : named;

  return {
    pid, agent: agent.name, replica: state.procReplica[pid], node: state.procNode[pid], status: STATUS_NAMES[status], nice: state.procNice[pid], pc,
    steps, stepCount: pcs.length, currentPc, currentIndex, stateText,
    memory: { heapBytes: state.procHeapBytes[pid], peakBytes: state.procHeapPeak[pid], blocks: state.procHeapBlocks[pid], allocations, atEnd },
    channels: agent.ports.map((port) => {
      const index = port.channelIndex, capacity = capacityNow(state, spec, index);
      const queued = state.chanQueued[index], inFlight = state.chanInFlight[index];
      return { port: port.name, direction: port.direction, channel: index, name: channelName(index), queued, inFlight, capacity, fill: capacity > 0 ? Math.min(1, (queued + inFlight) / capacity) : 0 };
    }),
    whyText, lastSwitchSeq: lastSwitch,
  };
}

export interface ComparePoint {
  branch?: number;
  seq: number;
}

export interface ComparedPoint { branch: number; name: string; seq: number; parent: number | null; forkSeq: number; cause?: string }

export interface CompareView {
  /** Each point with its branch's name ("main", "branch 2"), as the branch tree says it, and the
   *  branch's identity (parent, fork point, cause): after an Undo a new branch may reuse the id. */
  a: ComparedPoint;
  b: ComparedPoint;
  added: [id: string, entity: EntityView][];
  updated: [id: string, changes: { field: string; before: string | number; after: string | number }[]][];
  removed: [id: string, entity: EntityView][];
  /** Entities of each kind left out beyond DIFF_ENTRIES_MAX. */
  more: { added: number; updated: number; removed: number };
  /** The interventions in one point's past and not the other's (at most DIFF_ENTRIES_MAX). */
  separating: SeparatingIntervention[];
}

/** kernel.diff between two points (also on different branches), with only the changed fields of each update. */
export function compareView(kernel: Kernel, a: ComparePoint, b: ComparePoint): CompareView {
  const infos = kernel.timeline.info();
  const check = (point: ComparePoint) => {
    const branch = point.branch ?? kernel.timeline.current;
    const info = infos.find((row) => row.id === branch);
    if (!info) throw new RangeError(`there is no branch ${branch}`);
    if (!Number.isInteger(point.seq) || point.seq < 0 || point.seq > info.events) throw new RangeError(`event ${point.seq} is not on ${branchName(branch)} (0..${info.events})`);
    const cause = info.cause ? describeIntervention(kernel, info.cause) : undefined;
    return { branch, name: branchName(branch), seq: point.seq, parent: info.parent, forkSeq: info.forkSeq, ...(cause ? { cause } : {}) };
  };
  const pointA = check(a), pointB = check(b);
  const diff = kernel.diff({ branch: pointA.branch, seq: pointA.seq }, { branch: pointB.branch, seq: pointB.seq }, (view) => statusWords(kernel, view));
  // Named as the rest of the UI names them (compare-names.ts), not by the kernel's raw ids.
  const named = (entries: [string, EntityView][]) => entries.map(([id, entity]) => [entityName(kernel, id, entity),
    Object.fromEntries(Object.entries(entity).map(([field, value]) => [fieldName(field), value]))] as [string, EntityView]);
  const added = named(Object.entries(diff.added)), removed = named(Object.entries(diff.removed));
  const updated = Object.entries(diff.updated).map(([id, [before, after]]) => [entityName(kernel, id, after),
    Object.keys(after).filter((field) => before[field] !== after[field]).map((field) => ({ field: fieldName(field), before: before[field], after: after[field] })),
  ] as [string, { field: string; before: string | number; after: string | number }[]]);
  return {
    a: pointA, b: pointB,
    separating: separatingInterventions(kernel, pointA, pointB).slice(0, DIFF_ENTRIES_MAX),
    added: added.slice(0, DIFF_ENTRIES_MAX), updated: updated.slice(0, DIFF_ENTRIES_MAX), removed: removed.slice(0, DIFF_ENTRIES_MAX),
    more: { added: Math.max(0, added.length - DIFF_ENTRIES_MAX), updated: Math.max(0, updated.length - DIFF_ENTRIES_MAX), removed: Math.max(0, removed.length - DIFF_ENTRIES_MAX) },
  };
}
