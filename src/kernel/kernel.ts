// The kernel's front door: a spec and a core in, a machine to run, seek and hash out. Used by the
// worker, the CLI and the tests alike.
import type { Core } from '../core/core';
import { parseSpec, formatSpecError } from '../spec/index';
import type { Spec } from '../spec/types';
import { createContext, type KernelContext } from './context';
import { stateHash, textHash } from './hash';
import { Journal, JOURNAL_EVENTS_DEFAULT } from './journal/journal';
import { DivergenceError, interventionEvents, Machine, type ScheduledIntervention, type StopReason } from './sim/machine';
import { NONE, Scalar, Status, STATUS_NAMES } from './state';
import { cpuTicksAt } from './reducers/cpu';
import { createMachineCore } from './syscalls/core-ports';
import { Timeline } from './journal/timeline';
import { interventionProblem, type Intervention } from './syscalls/world';
import { SESSION_FORMAT, type CheckpointContents, type SavedQuery, type Session, type SessionWatch } from './session';
import { engineVersion } from './version';
import { diffViews, viewOf, type StateDiff, type StateView } from './diff';
import { exprContext, KernelExprView, SpecExpressionError } from './spec-checks';
import { compileExpression, type Compiled } from '../expr/index';
import { AuditTrees } from '../audit/journal-tree';

export class InterventionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterventionError';
  }
}

/** A link, file or checkpoint whose replay does not reach the Merkle root it carries (src/audit). */
export class RootMismatchError extends Error {
  constructor(readonly source: string, readonly cursor: number, readonly expected: string, readonly actual: string) {
    super(`${source} does not replay to the Merkle root it carries: at event ${cursor} its journal's root is ${actual.slice(0, 16)}…, the saved root is ${expected.slice(0, 16)}…. Its run was altered (or damaged) since it was made; it was not opened.`);
    this.name = 'RootMismatchError';
  }
}

export class SpecInvalidError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(`the spec has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${errors.join('\n')}`);
    this.name = 'SpecInvalidError';
  }
}

/** A checkpoint that cannot be restored: names it (`source`) and what went wrong. */
export class RestoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RestoreError';
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
  /** Watches added in the UI or the shell, kept with the session (its link and checkpoints). */
  addedWatches: SessionWatch[] = [];

  static fromText(text: string, core: Core, options?: { eventsMax?: number; seed?: number }): Kernel {
    const spec = parseSpecOrThrow(text);
    const seeded = options?.seed === undefined ? spec : { ...spec, seed: options.seed };
    try {
      return new Kernel(seeded, core, { ...options, specText: text });
    } catch (error) {
      // A watch or invariant naming what the kernel knows and the spec parser does not (an event type).
      if (error instanceof SpecExpressionError) throw new SpecInvalidError([error.message]);
      throw error;
    }
  }

  /**
   * Replays a session: the same spec, seed and interventions, up to its cursor. A session that
   * carries a Merkle root must reach it (else RootMismatchError naming `source`).
   */
  static fromSession(session: Session, core: Core, options?: { eventsMax?: number; source?: string }): Kernel {
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
    kernel.addedWatches = session.watches ?? [];
    if (kernel.cursor === session.cursor) kernel.checkRoot(session.root, options?.source ?? 'the session');
    return kernel;
  }

  /** The Merkle trees of this kernel's branches (src/audit), built when first asked for. */
  get audit(): AuditTrees {
    return (this.#audit ??= new AuditTrees(this.timeline));
  }
  #audit: AuditTrees | undefined;

  /** The RFC 6962 Merkle root (hex) of the current branch's first `n` events (default: the cursor). */
  rootAt(n = this.cursor): string {
    return this.audit.rootAt(this.machine.journal, n);
  }

  /** Throws RootMismatchError if `expected` is given and the journal's root at the cursor is not it. */
  checkRoot(expected: string | undefined, source: string): void {
    if (expected === undefined) return;
    const actual = this.rootAt(this.cursor);
    if (actual !== expected) throw new RootMismatchError(source, this.cursor, expected, actual);
  }

  get engine(): string {
    return engineVersion(this.core.version);
  }

  /**
   * The session that reproduces the current branch up to the cursor, with the Merkle root there
   * (`root: false` leaves it out: no hashing, for a session only checked, never shared).
   */
  toSession(options: { root?: boolean } = {}): Session {
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
      ...(this.addedWatches.length > 0 ? { watches: this.addedWatches.map((watch) => ({ ...watch })) } : {}),
      ...(options.root === false ? {} : { root: this.rootAt(this.cursor) }),
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

  /**
   * What a checkpoint holds: the session of the current branch (every intervention of the
   * branch, those after the cursor too) and the whole branch tree, each branch with its own
   * events, with where Undo and Redo go.
   */
  checkpointData(): CheckpointContents {
    const tick = (journal: Journal, seq: number) => (seq < journal.length ? journal.tick(seq) : this.tick);
    const session = this.toSession();
    const interventionsOf = (branch: Timeline['branches'][number]) => branch.interventions.map((entry) => ({
      atSeq: entry.atSeq, tick: tick(branch.journal, entry.atSeq), command: entry.intervention,
    }));
    session.interventions = interventionsOf(this.timeline.branch);
    return {
      session,
      branches: this.timeline.branches.map((branch) => ({
        parent: branch.parent, forkSeq: branch.forkSeq, interventions: interventionsOf(branch), events: branch.journal.encode(branch.forkSeq),
        root: this.audit.rootAt(branch.journal, branch.journal.length),
      })),
      current: this.timeline.current,
      redo: [...this.timeline.redoStack],
    };
  }

  /**
   * Restores a checkpoint: re-executes the journal of every branch (checking every event,
   * rebuilding snapshots) and goes to the current branch at its cursor. Anything that does not
   * restore (a journal this engine does not reproduce, an intervention that cannot apply)
   * throws RestoreError naming `source`. The worker does the same in slices with `beginRestore`.
   */
  static fromCheckpoint(data: CheckpointContents, core: Core, options?: { eventsMax?: number; source?: string }): Kernel {
    const restore = Kernel.beginRestore(data, core, options);
    restore.advance(); // without a deadline: to the journal's end, or it throws
    return restore.finish();
  }

  /**
   * A checkpoint restore done in steps: `advance()` until it returns true, then `finish()`. The
   * new kernel boots `core` (which must not be the core of a kernel still in use).
   */
  static beginRestore(data: CheckpointContents, core: Core, options: { eventsMax?: number; source?: string } = {}): CheckpointRestore {
    const source = options.source ?? 'the checkpoint';
    let kernel: Kernel | undefined;
    try {
      kernel = Kernel.fromText(data.session.spec, core, { ...options, seed: data.session.seed });
      kernel.savedQueries = data.session.queries ?? [];
      kernel.addedWatches = data.session.watches ?? [];
      return new CheckpointRestore(kernel, data, source, options.eventsMax ?? JOURNAL_EVENTS_DEFAULT);
    } catch (error) {
      throw restoreError(source, error, data.session.engine, kernel?.engine);
    }
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

  /**
   * Scans forward from the cursor, one event at a time, for the next event S at which `holds`
   * becomes true: it "holds at event S" when it is false after event S-1 and true after event S
   * (design.md). `scan.previous` is whether it held where the scan starts (kept by the caller
   * across slices). On 'found' the cursor is just after S (cursor S+1). Bounded by `to`;
   * 'paused' when `deadline()` said so (checked every FIND_DEADLINE_EVENTS events).
   */
  findBecomes(holds: (kernel: Kernel) => boolean, scan: { previous: boolean }, to = this.machine.journal.length, deadline?: () => boolean): 'found' | 'end' | 'paused' {
    const end = Math.min(to, this.machine.journal.length);
    for (let scanned = 1; this.cursor < end; scanned++) {
      const before = this.cursor;
      const stop = this.machine.run({ events: before + 1 });
      if (this.cursor === before) throw new Error(`kernel: re-executing event ${before} stopped (${stop})`);
      const now = holds(this);
      const rose = now && !scan.previous;
      scan.previous = now;
      if (rose) return 'found';
      if (deadline && scanned % FIND_DEADLINE_EVENTS === 0 && deadline()) return this.cursor < end ? 'paused' : 'end';
    }
    return 'end';
  }

  /**
   * The first event S >= `from` at which `holds` holds (see findBecomes; from event 0, the booted
   * state before any event counts as false, so S is also the least seq after which it is true, as
   * `SELECT min(seq)` would say). Leaves the cursor just after S, or where it was when there is none.
   */
  firstHolds(holds: (kernel: Kernel) => boolean, from = 0, to = this.machine.journal.length): number | undefined {
    const start = this.cursor;
    this.seek(from);
    const scan = { previous: from === 0 ? false : holds(this) };
    if (this.findBecomes(holds, scan, to) === 'found') return this.cursor - 1;
    this.seek(start);
    return undefined;
  }

  /** Compiles an expression over this kernel's state (throws ExprError with its column). */
  expression(text: string, want: 'bool' | 'value' = 'bool'): Compiled {
    return compileExpression(text, exprContext(this.spec), want);
  }

  /** The view expressions read, at the cursor (one per kernel). */
  get exprView(): KernelExprView {
    return (this.#exprView ??= new KernelExprView(this.machine));
  }
  #exprView: KernelExprView | undefined;

  /** A compiled condition as a predicate over this kernel. */
  predicate(compiled: Compiled): (kernel: Kernel) => boolean {
    const view = this.exprView;
    return () => compiled.evaluate(view) === true;
  }

  /** The state at a point of any branch, as a view (the cursor and branch come back after). */
  /** The state at a point as entities; `annotate` may add to the view while the kernel stands there. */
  viewAt(point: { branch?: number; seq: number }, annotate?: (view: StateView) => void): StateView {
    const branch = this.timeline.current, cursor = this.cursor;
    if (point.branch !== undefined && point.branch !== branch) this.timeline.switchTo(point.branch, point.seq);
    else this.seek(point.seq);
    const view = viewOf(this.ctx, this.machine.state);
    annotate?.(view);
    if (this.timeline.current !== branch) this.timeline.switchTo(branch, cursor);
    else this.seek(cursor);
    return view;
  }

  /** What changed between two points, also on different branches. */
  diff(a: { branch?: number; seq: number }, b: { branch?: number; seq: number }, annotate?: (view: StateView) => void): StateDiff {
    return diffViews(this.viewAt(a, annotate), this.viewAt(b, annotate));
  }

  /** Applies an intervention at the cursor, on a new branch; throws InterventionError if it cannot apply. */
  intervene(intervention: Intervention): void {
    const problem = interventionProblem(this.machine, intervention);
    if (problem) throw new InterventionError(`cannot ${intervention.kind} at event ${this.cursor}: ${problem}`);
    if (this.cursor === 0) throw new InterventionError('cannot intervene before the kernel has booted (event 0)');
    const inside = this.machine.chainAround(this.cursor);
    if (inside) throw new InterventionError(`cannot ${intervention.kind} at event ${this.cursor}: it is in the middle of a ${inside.killTree ? 'subtree kill' : 'migration'} (events ${inside.atSeq}..${inside.atSeq + interventionEvents(inside) - 1}); go to before or after it`);
    this.timeline.prepareIntervention();
    const scheduled: ScheduledIntervention = { atSeq: this.cursor, intervention };
    this.machine.interventions.push(scheduled);
    this.machine.run({ events: this.cursor + 1 });
    // A subtree kill is one event per process, a migration the request and the move: the intervention is all of them.
    if (interventionEvents(scheduled) > 1) this.machine.run({ events: scheduled.atSeq + interventionEvents(scheduled) });
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
    return stateHash(this.machine.state, { stateChunks: () => core.stateChunks() });
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
      row.cpuTicks += cpuTicksAt(state, pid);
      row.sent += state.procSent[pid];
      row.received += state.procReceived[pid];
      row.heapBytes += state.procHeapBytes[pid];
    }
    return rows;
  }

  /**
   * Why the run rests at the cursor, whoever ran it (a live run, a replay, a seek): 'quiescent' or
   * 'journal-full' when that is true of the cursor itself, else `limit` (the limit the caller
   * gave: 'events' or 'ticks'). A question only: it looks one event ahead and keeps nothing of it
   * (the journal, the snapshots and the state are as they were; Machine.stopAhead).
   */
  stopReasonAt(limit: 'events' | 'ticks' = 'events'): StopReason {
    const stop = this.machine.stopAhead();
    return stop === 'events' || stop === 'ticks' ? limit : stop;
  }

  /** The run's summary; its stop reason is `stopReasonAt` (one answer for run and replay alike). */
  summary(stopped: StopReason): RunSummary {
    const limit = stopped === 'ticks' ? 'ticks' : 'events';
    return { events: this.cursor, ticks: this.tick, stateHash: this.stateHash(), stopped: this.stopReasonAt(limit), agents: this.agents() };
  }

  statusOf(pid: number): string {
    return pid === NONE ? 'none' : STATUS_NAMES[this.machine.state.procStatus[pid]];
  }
}

/** A checkpoint being restored (Kernel.beginRestore): re-executes the journal of each branch in steps. */
export class CheckpointRestore {
  /** Events to re-execute: every branch's own events. */
  readonly events: number;
  readonly cursor: number;
  /** The branch being re-executed (an index into data.branches), and its own events. */
  #branch = 0;
  #own: Journal[];
  #doneBefore = 0;

  constructor(readonly kernel: Kernel, private readonly data: CheckpointContents, private readonly source: string, eventsMax: number) {
    const { branches } = data;
    if (branches.length === 0 || branches[0].parent !== null || branches[0].forkSeq !== 0) throw new RangeError('its first branch is not the main branch');
    this.#own = branches.map((branch) => Journal.decode(branch.events, eventsMax));
    this.events = this.#own.reduce((sum, journal) => sum + journal.length, 0);
    this.cursor = data.session.cursor;
    // Main: its whole journal, re-executed from the boot the constructor did.
    const machine = kernel.machine;
    machine.journal = this.#own[0];
    kernel.timeline.branch.journal = machine.journal;
    for (const entry of branches[0].interventions) machine.interventions.push({ atSeq: entry.atSeq, intervention: entry.command });
  }

  /** Events re-executed so far. */
  get done(): number {
    const branch = this.data.branches[this.#branch];
    return this.#doneBefore + (branch ? Math.max(0, this.kernel.cursor - branch.forkSeq) : 0);
  }

  /** Re-executes until every branch is done (true) or until `deadline()` says stop (false). */
  advance(deadline?: () => boolean): boolean {
    try {
      return this.#advance(deadline);
    } catch (error) {
      throw restoreError(this.source, error, this.data.session.engine, this.kernel.engine);
    }
  }

  #advance(deadline?: () => boolean): boolean {
    const { kernel, data } = this;
    const machine = kernel.machine;
    while (this.#branch < data.branches.length) {
      const end = machine.journal.length;
      while (kernel.cursor < end) {
        const due = machine.interventions.find((entry) => entry.atSeq === kernel.cursor);
        if (due) {
          const problem = interventionProblem(machine, due.intervention);
          if (problem) throw new InterventionError(`its intervention at event ${due.atSeq} (${due.intervention.kind}) cannot apply: ${problem}`);
        }
        const next = machine.interventions.find((entry) => entry.atSeq > kernel.cursor)?.atSeq ?? Infinity;
        const target = Math.min(end, next);
        const stop = machine.run({ events: target, deadline });
        if (kernel.cursor < target) {
          const name = this.#branch === 0 ? 'main' : `branch ${this.#branch}`;
          if (stop !== 'events') throw new RangeError(`the journal of ${name} has ${end} events but re-execution stopped at ${kernel.cursor} (${stop})`);
          return false;
        }
      }
      this.#doneBefore += this.#own[this.#branch].length;
      this.#branch++;
      const branch = data.branches[this.#branch];
      if (!branch) break;
      const parent = branch.parent;
      if (parent === null || parent < 0 || parent >= this.#branch) throw new RangeError(`branch ${this.#branch} forks from branch ${parent}, which is not an earlier branch`);
      const parentJournal = kernel.timeline.branches[parent].journal;
      if (branch.forkSeq < 1 || branch.forkSeq > parentJournal.length) throw new RangeError(`branch ${this.#branch} forks at event ${branch.forkSeq}, outside its parent's 1..${parentJournal.length}`);
      const journal = parentJournal.fork(branch.forkSeq);
      journal.appendAll(this.#own[this.#branch]);
      const interventions = branch.interventions.map((entry) => ({ atSeq: entry.atSeq, intervention: entry.command }));
      kernel.timeline.addRestoredBranch(parent, branch.forkSeq, journal, interventions);
    }
    return true;
  }

  /** The roots the checkpoint carries, each with the journal and length it is the root of, and a check that throws RootMismatchError. */
  rootChecks(): { journal: Journal; length: number; expected: string; verify(): void }[] {
    const { kernel, data } = this;
    const checks: { journal: Journal; length: number; expected: string; verify(): void }[] = [];
    const add = (journal: Journal, length: number, expected: string | undefined, label: string) => {
      if (expected === undefined) return;
      checks.push({
        journal, length, expected, verify: () => {
          const actual = kernel.audit.rootAt(journal, length);
          if (actual !== expected) throw new RootMismatchError(label, length, expected, actual);
        },
      });
    };
    data.branches.forEach((branch, id) => {
      const journal = kernel.timeline.branches[id]?.journal;
      if (journal) add(journal, journal.length, branch.root, `${this.source} (${id === 0 ? 'main' : `branch ${id}`})`);
    });
    const current = kernel.timeline.branches[data.current]?.journal;
    if (current && this.cursor <= current.length) add(current, this.cursor, data.session.root, this.source);
    return checks;
  }

  /** Builds the Merkle tree of every restored branch (finish checks their roots); false: `deadline` said stop, call again. */
  hashJournals(deadline?: () => boolean): boolean {
    for (const branch of this.kernel.timeline.branches) {
      if (!this.kernel.audit.catchUp(branch.journal, branch.journal.length, deadline ?? (() => false))) return false;
    }
    return true;
  }

  /** The restored kernel, on the current branch at the checkpoint's cursor, with Undo and Redo as they were. */
  /**
   * `checkRoots: false` leaves the Merkle roots unchecked (a restore too large to hash before it
   * shows: the caller checks `rootChecks()` afterwards and says so if one fails).
   */
  finish(options: { checkRoots?: boolean } = {}): Kernel {
    const { kernel, data } = this;
    try {
      if (this.#branch < data.branches.length) {
        const name = this.#branch === 0 ? 'main' : `branch ${this.#branch}`;
        throw new RangeError(`the journal of ${name} has ${kernel.machine.journal.length} events but re-execution stopped at ${kernel.cursor}`);
      }
      const current = kernel.timeline.branches[data.current];
      if (!current) throw new RangeError(`its current branch ${data.current} does not exist`);
      if (this.cursor > current.journal.length) throw new RangeError(`its cursor (${this.cursor}) is past its branch's journal (${current.journal.length} events)`);
      // Each branch's journal must reach the root saved with it, and the cursor the session's.
      const checks = this.rootChecks();
      if (options.checkRoots !== false) for (const check of checks) check.verify();
      kernel.timeline.switchTo(data.current, this.cursor);
      kernel.timeline.restoreRedo(data.redo);
      return kernel;
    } catch (error) {
      throw restoreError(this.source, error, data.session.engine, kernel.engine);
    }
  }
}

/** Any failure of a restore, as a RestoreError that names the checkpoint and what went wrong. */
function restoreError(source: string, error: unknown, recorded: string, engine: string | undefined): Error {
  if (error instanceof RestoreError) return error;
  if (error instanceof RootMismatchError) return new RestoreError(error.message, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  const what = error instanceof DivergenceError
    ? `it does not replay on this engine: ${message}`
    : error instanceof SpecInvalidError ? `its spec does not parse: ${message}` : `it cannot be restored: ${message}`;
  const engines = engine !== undefined && recorded !== engine ? ` It was recorded with engine "${recorded}"; this is "${engine}".` : '';
  return new RestoreError(`${source}: ${what}.${engines} It was not restored.`, { cause: error });
}
