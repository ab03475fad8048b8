// The kernel's front door: a spec and a core in, a machine to run, seek and hash out. Used by the
// worker, the CLI and the tests alike.
import type { Core } from '../core/core';
import { parseSpec, formatSpecError } from '../spec/index';
import type { Spec } from '../spec/types';
import { createContext, type KernelContext } from './context';
import { stateHash, textHash } from './hash';
import { Journal, JOURNAL_EVENTS_DEFAULT } from './journal/journal';
import { Machine, type StopReason } from './sim/machine';
import { NONE, Scalar, Status, STATUS_NAMES } from './state';
import { createMachineCore } from './syscalls/core-ports';
import { Timeline } from './journal/timeline';
import { interventionProblem, type Intervention } from './syscalls/world';
import { SESSION_FORMAT, type SavedQuery, type Session } from './session';
import { engineVersion } from './version';
import { diffViews, viewOf, type StateDiff, type StateView } from './diff';

export class InterventionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterventionError';
  }
}

export class SpecInvalidError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(`the spec has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${errors.join('\n')}`);
    this.name = 'SpecInvalidError';
  }
}

export function parseSpecOrThrow(text: string): Spec {
  const result = parseSpec(text);
  if (!result.ok) throw new SpecInvalidError(result.errors.map(formatSpecError));
  return result.spec;
}

export interface AgentSummary {
  agent: string;
  processes: number;
  running: number;
  blocked: number;
  exited: number;
  failed: number;
  restarts: number;
  cpuTicks: number;
  sent: number;
  received: number;
  heapBytes: number;
}

export interface RunSummary {
  events: number;
  ticks: number;
  stateHash: string;
  stopped: StopReason;
  agents: AgentSummary[];
}

/** Events findForward scans between two looks at its deadline. */
export const FIND_DEADLINE_EVENTS = 256;

export class Kernel {
  readonly ctx: KernelContext;
  readonly machine: Machine;
  readonly timeline: Timeline;

  constructor(readonly spec: Spec, readonly core: Core, options: { eventsMax?: number; specText?: string } = {}) {
    this.ctx = createContext(spec);
    this.machine = new Machine(this.ctx, createMachineCore(core), new Journal(options.eventsMax ?? JOURNAL_EVENTS_DEFAULT));
    this.timeline = new Timeline(this.machine);
    this.specText = options.specText ?? '';
  }

  readonly specText: string;
  /** The Query panel's saved queries, carried in the session (toSession) and so in links and checkpoints. */
  savedQueries: SavedQuery[] = [];

  static fromText(text: string, core: Core, options?: { eventsMax?: number; seed?: number }): Kernel {
    const spec = parseSpecOrThrow(text);
    const seeded = options?.seed === undefined ? spec : { ...spec, seed: options.seed };
    return new Kernel(seeded, core, { ...options, specText: text });
  }

  /** Replays a session: the same spec, seed and interventions, up to its cursor. */
  static fromSession(session: Session, core: Core, options?: { eventsMax?: number }): Kernel {
    const kernel = Kernel.fromText(session.spec, core, { ...options, seed: session.seed });
    for (const entry of session.interventions) {
      kernel.run({ events: entry.atSeq });
      if (kernel.cursor !== entry.atSeq) {
        throw new InterventionError(`the session's intervention at event ${entry.atSeq} cannot apply: the run stopped at event ${kernel.cursor}`);
      }
      kernel.intervene(entry.command);
    }
    kernel.run({ events: session.cursor });
    kernel.savedQueries = session.queries ?? [];
    return kernel;
  }

  get engine(): string {
    return engineVersion(this.core.version);
  }

  /** The session that reproduces the current branch up to the cursor. */
  toSession(): Session {
    return {
      format: SESSION_FORMAT,
      engine: this.engine,
      spec: this.specText,
      seed: this.spec.seed,
      interventions: this.machine.interventions
        .filter((entry) => entry.atSeq < this.cursor)
        .map((entry) => ({ atSeq: entry.atSeq, tick: this.machine.journal.tick(entry.atSeq), command: entry.intervention })),
      cursor: this.cursor,
      ...(this.savedQueries.length > 0 ? { queries: this.savedQueries.map((query) => ({ ...query })) } : {}),
    };
  }

  /**
   * What identifies the state at `seq` of the current branch without running it: the spec text,
   * the seed and the interventions before `seq`. Equal keys, equal states (the determinism
   * contract); a checkpoint saved at `seq` is marked on every branch that shares its key there.
   */
  runKey(seq: number): string {
    const before = this.machine.interventions.filter((entry) => entry.atSeq < seq).map((entry) => [entry.atSeq, entry.intervention]);
    return textHash(JSON.stringify([this.specText, this.spec.seed, before]));
  }

  /** Session (every intervention of the branch, cursor included) and journal, for a checkpoint. */
  checkpointData(): { session: Session; journal: Uint8Array } {
    const session = this.toSession();
    session.interventions = this.machine.interventions.map((entry) => ({
      atSeq: entry.atSeq, tick: this.machine.journal.tick(entry.atSeq), command: entry.intervention,
    }));
    return { session, journal: this.machine.journal.encode() };
  }

  /**
   * Restores a checkpoint: re-executes its journal (checking every event, rebuilding snapshots)
   * and seeks to its cursor. A journal this engine does not reproduce throws DivergenceError.
   * The worker does the same in slices with `beginRestore` (progress, cancel).
   */
  static fromCheckpoint(data: { session: Session; journal: Uint8Array }, core: Core, options?: { eventsMax?: number }): Kernel {
    const restore = Kernel.beginRestore(data, core, options);
    restore.advance(); // without a deadline: to the journal's end, or it throws
    return restore.finish();
  }

  /**
   * A checkpoint restore done in steps: `advance()` until it returns true, then `finish()`. The
   * new kernel boots `core` (which must not be the core of a kernel still in use).
   */
  static beginRestore(data: { session: Session; journal: Uint8Array }, core: Core, options?: { eventsMax?: number }): CheckpointRestore {
    const kernel = Kernel.fromText(data.session.spec, core, { ...options, seed: data.session.seed });
    const journal = Journal.decode(data.journal, options?.eventsMax ?? JOURNAL_EVENTS_DEFAULT);
    if (data.session.cursor > journal.length) {
      throw new RangeError(`the checkpoint's cursor (${data.session.cursor}) is past its journal (${journal.length} events)`);
    }
    kernel.machine.journal = journal;
    kernel.timeline.branch.journal = journal;
    for (const entry of data.session.interventions) kernel.machine.interventions.push({ atSeq: entry.atSeq, intervention: entry.command });
    kernel.savedQueries = data.session.queries ?? [];
    return new CheckpointRestore(kernel, data.session.cursor);
  }
  /** One event back or forward (clamped to the branch). */
  stepBack(count = 1): void { this.seek(Math.max(0, this.cursor - count)); }
  stepForward(count = 1): void { this.seek(Math.min(this.machine.journal.length, this.cursor + count)); }

  /**
   * The first cursor in [from, to] at which `holds` is true of the state, assuming that once it
   * holds it keeps holding (the first moment something went wrong). Binary search with seeks:
   * about log2(to - from) of them. Returns undefined if it does not hold at `to`. Leaves the
   * cursor at the answer (or where it was).
   */
  bisect(holds: (kernel: Kernel) => boolean, from = 0, to = this.machine.journal.length): number | undefined {
    const start = this.cursor;
    this.seek(to);
    if (!holds(this)) {
      this.seek(start);
      return undefined;
    }
    let low = from, high = to; // invariant: holds at high; the answer is in [low, high]
    while (low < high) {
      const middle = (low + high) >>> 1;
      this.seek(middle);
      if (holds(this)) high = middle;
      else low = middle + 1;
    }
    this.seek(high);
    return high;
  }

  /**
   * Scans forward from the cursor one event at a time, checking `holds` after each event, and
   * stops at the first cursor where it holds: no assumption about the condition (unlike bisect).
   * Bounded by `to` (at most the branch's end). Resumable: 'paused' when `deadline()` said so
   * (checked every FIND_DEADLINE_EVENTS events); call again to go on from the cursor.
   */
  findForward(holds: (kernel: Kernel) => boolean, to = this.machine.journal.length, deadline?: () => boolean): 'found' | 'end' | 'paused' {
    const end = Math.min(to, this.machine.journal.length);
    for (let scanned = 1; this.cursor < end; scanned++) {
      const before = this.cursor;
      const stop = this.machine.run({ events: before + 1 });
      if (this.cursor === before) throw new Error(`kernel: re-executing event ${before} stopped (${stop})`);
      if (holds(this)) return 'found';
      if (deadline && scanned % FIND_DEADLINE_EVENTS === 0 && deadline()) return this.cursor < end ? 'paused' : 'end';
    }
    return 'end';
  }

  /**
   * The first cursor in [from, to] at which `holds` is true, by a forward scan (every event is
   * checked). Leaves the cursor at the answer, or where it was when there is none.
   */
  find(holds: (kernel: Kernel) => boolean, from = this.cursor, to = this.machine.journal.length): number | undefined {
    const start = this.cursor;
    this.seek(from);
    if (holds(this) || this.findForward(holds, to) === 'found') return this.cursor;
    this.seek(start);
    return undefined;
  }

  /** The state at a point of any branch, as a view (the cursor and branch come back after). */
  viewAt(point: { branch?: number; seq: number }): StateView {
    const branch = this.timeline.current, cursor = this.cursor;
    if (point.branch !== undefined && point.branch !== branch) this.timeline.switchTo(point.branch, point.seq);
    else this.seek(point.seq);
    const view = viewOf(this.ctx, this.machine.state);
    if (this.timeline.current !== branch) this.timeline.switchTo(branch, cursor);
    else this.seek(cursor);
    return view;
  }

  /** What changed between two points, also on different branches. */
  diff(a: { branch?: number; seq: number }, b: { branch?: number; seq: number }): StateDiff {
    return diffViews(this.viewAt(a), this.viewAt(b));
  }

  /** Applies an intervention at the cursor, on a new branch; throws InterventionError if it cannot apply. */
  intervene(intervention: Intervention): void {
    const problem = interventionProblem(this.machine, intervention);
    if (problem) throw new InterventionError(`cannot ${intervention.kind} at event ${this.cursor}: ${problem}`);
    if (this.cursor === 0) throw new InterventionError('cannot intervene before the kernel has booted (event 0)');
    this.timeline.prepareIntervention();
    this.machine.interventions.push({ atSeq: this.cursor, intervention });
    this.machine.run({ events: this.cursor + 1 });
  }

  get cursor(): number { return this.machine.cursor; }
  get tick(): number { return this.machine.state.scalars[Scalar.tick]; }

  run(limits: { events?: number; ticks?: number }): StopReason {
    return this.machine.run(limits);
  }

  seek(seq: number) {
    return this.machine.seek(seq);
  }

  stateHash(): string {
    const core = this.machine.machineCore;
    return stateHash(this.machine.state, { bytes: () => core.memory.bytes(), stateRanges: () => core.stateRanges() });
  }

  agents(): AgentSummary[] {
    const { state } = this.machine;
    const rows = this.spec.agents.map((agent) => ({
      agent: agent.name, processes: 0, running: 0, blocked: 0, exited: 0, failed: 0, restarts: 0,
      cpuTicks: 0, sent: 0, received: 0, heapBytes: 0,
    }));
    const count = state.scalars[Scalar.nextPid];
    for (let pid = 0; pid < count; pid++) {
      const row = rows[state.procAgent[pid]];
      const status = state.procStatus[pid];
      row.processes++;
      if (status === Status.running || status === Status.runnable) row.running++;
      if (status === Status.blocked || status === Status.paused) row.blocked++;
      if (status === Status.exited) row.exited++;
      if (status === Status.failed) row.failed++;
      row.restarts += state.procRestarts[pid];
      row.cpuTicks += state.procCpuTicks[pid];
      row.sent += state.procSent[pid];
      row.received += state.procReceived[pid];
      row.heapBytes += state.procHeapBytes[pid];
    }
    return rows;
  }

  summary(stopped: StopReason): RunSummary {
    return { events: this.cursor, ticks: this.tick, stateHash: this.stateHash(), stopped, agents: this.agents() };
  }

  statusOf(pid: number): string {
    return pid === NONE ? 'none' : STATUS_NAMES[this.machine.state.procStatus[pid]];
  }
}

/** A checkpoint being restored (Kernel.beginRestore): re-executes its journal in steps. */
export class CheckpointRestore {
  /** Events of the checkpoint's journal (all are re-executed). */
  readonly events: number;

  constructor(readonly kernel: Kernel, readonly cursor: number) {
    this.events = kernel.machine.journal.length;
  }

  /** Events re-executed so far. */
  get done(): number {
    return this.kernel.cursor;
  }

  /** Re-executes until the journal's end (true) or until `deadline()` says stop (false). */
  advance(deadline?: () => boolean): boolean {
    const { kernel, events } = this;
    if (kernel.cursor >= events) return true;
    const stop = kernel.machine.run({ events, deadline });
    if (kernel.cursor >= events) return true;
    if (stop !== 'events') throw new RangeError(`the checkpoint's journal has ${events} events but re-execution stopped at ${kernel.cursor} (${stop})`);
    return false;
  }

  /** The restored kernel, at the checkpoint's cursor. */
  finish(): Kernel {
    const { kernel, events } = this;
    if (kernel.cursor !== events) throw new RangeError(`the checkpoint's journal has ${events} events but re-execution stopped at ${kernel.cursor}`);
    kernel.seek(this.cursor);
    return kernel;
  }
}
