// The one interface shared by both sides of the worker boundary: kernel.worker.ts implements it,
// ui/kernel-client.svelte.ts calls it through Comlink. Arguments and results are structured-
// cloneable plain data.

export interface CoreInfo {
  /** The core's engine version, read from the wasm export (not from package.json). */
  coreVersion: string;
  /** Kernel + core version a recorded session promises to replay identically on. */
  engine: string;
  assertionsEnabled: boolean;
  /** A few PRNG draws from a fixed seed: proof the wasm executed, not just loaded. */
  prngProbe: number[];
}

export interface SpecProblem {
  path: string;
  line: number;
  column: number;
  message: string;
}

export type LoadResult =
  | { ok: true; name: string; processes: number; nodes: number }
  | { ok: false; errors: SpecProblem[] };

/** Where the session is: what the status bar shows. */
export interface KernelStatus {
  loaded: boolean;
  name: string;
  cursor: number;
  /** Events recorded on the current branch (the timeline's length). */
  events: number;
  /** The current branch's id (absent before a spec is loaded). */
  branch?: number;
  tick: number;
  stateHash: string;
  /** Why the last run stopped, or 'running'. */
  stopped: 'idle' | 'running' | 'events' | 'ticks' | 'quiescent' | 'journal-full' | 'cancelled';
  /** When the run rests quiescent in a waits-for cycle: who waits on whom ("alice and bob wait on each other"). */
  deadlock?: string;
  journalEventsMax: number;
  /** Whether Undo and Redo have somewhere to go (absent before a spec is loaded). */
  canUndo?: boolean;
  canRedo?: boolean;
  /** The RFC 6962 Merkle root (hex) of the events before the cursor (src/audit); '' while it is being computed. */
  root?: string;
  /** A large restored checkpoint whose journal, checked after it was shown, does not reach a Merkle root it carries. */
  rootProblem?: string;
  /** Long work in progress (a restore, a find), for the progress display; absent when there is none. */
  work?: WorkProgress;
}

/** How far a long piece of worker work has got (worker/long-work.ts). */
export interface WorkProgress {
  /**
   * decoding: checking a checkpoint's checksum (bytes); restoring: re-executing its journal;
   * hashing: building its Merkle trees to check the roots it carries (events); finding: a `find` scan.
   */
  kind: 'decoding' | 'restoring' | 'hashing' | 'finding';
  /** Units done and in all: events (bytes while decoding). */
  done: number;
  total: number;
}

export interface RunRequest {
  /** Stop when the cursor reaches this many events (default: the journal's limit). */
  events?: number;
  /** At most this many events per second of wall time (default: as fast as it goes). */
  eventsPerSecond?: number;
  /** Stop when virtual time would pass this tick. */
  ticks?: number;
}

/** One journal event as the UI shows it. */
export interface EventRow {
  seq: number;
  tick: number;
  type: string;
  node: number;
  pid: number;
  cause: number;
  /** The type's named fields (a, b, c of the journal). */
  fields: Record<string, number>;
  /** The process as agent and replica: `pool[2]`, `source` (one replica), '' for no process. */
  agent?: string;
  /** The event in words ("sent 256 B on source.out → mapper.in (arrives in 12 µs)"). */
  text?: string;
}

export type { SupervisorRow } from './supervisor-view';
import type { SupervisorRow } from './supervisor-view';

export interface ProcessRow {
  pid: number;
  agent: string;
  replica: number;
  node: number;
  status: string;
  nice: number;
  cpuTicks: number;
  heapBytes: number;
  sent: number;
  received: number;
  restarts: number;
  /** The process whose spawn started it; -1 for a boot (or healing's) process. */
  parent: number;
  /** The event of the user's kill that ended it (its status is 'failed', but a kill is a kill). */
  killedAt?: number;
}

/** Most seqs one runKeys call answers (checkpoint markers on the timeline). */
export const RUN_KEYS_MAX = 1024;

export interface BranchRow {
  id: number;
  parent: number | null;
  forkSeq: number;
  events: number;
  current: boolean;
  /** The intervention that started the branch, in words; none for main. */
  cause?: string;
}

/** What a UI intervention asks for (the kernel validates it against the state). */
export type InterventionRequest =
  | { kind: 'kill' | 'restart' | 'pause' | 'resume'; pid: number }
  | { kind: 'nice'; pid: number; nice: number }
  | { kind: 'policy'; node: number; policy: 'round-robin' | 'priority' | 'fair' | 'eevdf' }
  | { kind: 'allocator'; node: number; allocator: 'tlsf' | 'buddy' | 'first-fit' | 'best-fit' }
  | { kind: 'inject'; channel: number; size: number }
  | { kind: 'autonomy'; mode: 'off' | 'detect' | 'heal' }
  /** A process and its descendants, or by name a supervisor's, an agent's or agent[replica]'s processes and theirs. */
  | { kind: 'killTree'; pid: number }
  | { kind: 'killTree'; name: string }
  /** Moves a live process to another node; it goes on there (its heap, its queued messages follow). */
  | { kind: 'migrate'; pid: number; node: number };

/** A result or the reason it could not be done (shown to the user as is). */
/** `warning`: it worked, but the user must be told something (an unchecked link). */
export type Outcome<T> = { ok: true; value: T; warning?: string } | { ok: false; error: string; cancelled?: boolean };

export type { MemoryView, MemoryOwner, MetricsView, ProfileView, ProfileAgent, ProfileStep } from './views';
import type { MemoryView, MetricsView, ProfileView } from './views';
import type { HealthView } from './health-views';
export type { HealthView, HealthSignal } from './health-views';

export const EVENT_ROWS_MAX = 500;
/** Events a backward filtered search looks at before giving up (it says how far it got). */
export const EVENT_SEARCH_MAX = 2_000_000;
export const CAUSE_CHAIN_MAX = 32;
/** Agent names an unknown-agent message lists before saying how many more there are. */
export const FILTER_AGENT_NAMES_MAX = 12;

/** The audit report at the cursor (src/audit/report.ts) as files, with what the button says about it. */
export interface AuditFiles {
  name: string;
  cursor: number;
  root: string;
  /** The spec's `rules:` the report lists. */
  rules: number;
  /** The spec's `invariants:` the report lists (with the rules). */
  invariants: number;
  violations: number;
  markdown: string;
  html: string;
}

/** What the session is made of, for the intervention controls. */
export interface SessionInfo {
  nodes: number;
  /** The scheduler policy of each node now. */
  policies: string[];
  /** The autonomy's mode at the cursor (off, detect, heal), or null when the spec has no autonomy: key. */
  autonomy: 'off' | 'detect' | 'heal' | null;
  /** The heap allocator of each node now. */
  allocators?: string[];
  channels: { index: number; name: string; capacity: number }[];
  /** The spec's agents and their boot replicas, for the events panel's agent filter. */
  agents?: { name: string; replicas: number }[];
}

/** Where the cursor stands among the branch's failures: what the timeline's count and its ‹ › walk both show. */
export interface FailureWalk {
  /** Failures, drops and limits on the branch (the strip's red marks, summed). */
  count: number;
  /** How many of them the cursor has passed (events before it). */
  passed: number;
  /** True when the cursor sits just after one (it is failure number `passed`). */
  atFailure: boolean;
  /** The cursor just after the previous / next one; null: there is none. */
  previous: number | null;
  next: number | null;
}

export interface TimelineStrip {
  /** Events per virtual millisecond in each slice of the branch (slices of equal event counts). */
  rate: Float32Array;
  /** Failures, exhaustions, drops and limits in each slice. */
  errors: Uint32Array;
  /** The user's interventions in each slice. */
  interventions: Uint32Array;
  /** Where a click on each slice goes: its first failure, else its first intervention, else its start. */
  target: Float64Array;
  /** Partitions, heals, node crashes and recoveries in each slice. */
  network: Uint32Array;
  /** Points in each slice where a shared object's live replicas came to agree again. */
  converged: Uint32Array;
}

export interface EventFilter {
  type?: string;
  pid?: number;
  node?: number;
  /** An agent's name (all its processes) or `name[k]` (replica k). */
  agent?: string;
}
export const DENSITY_BUCKETS_MAX = 2048;

export interface KernelApi {
  /** The audit report at the cursor: the Merkle root, the rules, every violation with its cause chain and proof. */
  auditReport(): Outcome<AuditFiles>;
  /** Loads the wasm core (once) and reports what was loaded. Rejects with the load error. */
  boot(): Promise<CoreInfo>;
  /** Answers immediately: the UI's heartbeat for noticing a hung worker. */
  ping(nonce: number): number;
  /** Parses and boots a spec (in the worker: big specs never block the page). */
  load(specText: string): Promise<LoadResult>;
  /** Runs in slices, answering other calls in between; resolves with the status when it stops. */
  run(request: RunRequest): Promise<KernelStatus>;
  /** Stops a run at its next slice. */
  cancel(): void;
  /** The run going on (if any) goes on at this speed from its next slice (events per second; undefined: as fast as it goes). */
  setSpeed(eventsPerSecond: number | undefined): void;
  seek(seq: number): Promise<KernelStatus>;
  status(): KernelStatus;
  /** `count` (<= EVENT_ROWS_MAX) events from `from`, optionally only those of one type. */
  events(from: number, count: number, type?: string): EventRow[];
  processes(): ProcessRow[];
  /** The supervisor trees at the cursor (worker/supervisor-view.ts); [] without supervisors. */
  supervisors(): SupervisorRow[];
  /** The timeline's strip: per slice of the branch's events, how dense they are in virtual time, and its failures and interventions. */
  density(buckets: number): TimelineStrip;
  /** The cursor just after the next (1) or previous (-1) failure, drop or limit from `cursor`; null: none. */
  nearestFailure(cursor: number, direction: 1 | -1): number | null;
  /** The branch's failures as seen from `cursor`: their count and the walk's neighbours (one index). */
  failureWalk(cursor: number): FailureWalk;
  /** Intervention at the cursor: a new branch; the old future stays on its branch. */
  intervene(request: InterventionRequest): Outcome<KernelStatus>;
  undo(): Outcome<KernelStatus>;
  redo(): Outcome<KernelStatus>;
  branches(): BranchRow[];
  switchBranch(id: number): Outcome<KernelStatus>;
  /** The share link of the current branch at the cursor. */
  /**
   * The session as a link. With the Merkle root (the default), the journal's tree is built first;
   * the page's own recovery point asks without it (`root: false`) so it is kept at once.
   */
  shareLink(base: string, options?: { root?: boolean }): Promise<string>;
  /**
   * The page's recovery point: the session as a link without the root, made at once (between two
   * slices of a run too), with its cursor and whether that is the end of the journal (a run on from
   * there only appends, so the link and a later cursor are the same session).
   */
  recoveryLink(base: string): Promise<{ link: string; name: string; cursor: number; atEnd: boolean } | null>;
  /** Loads a share link and replays it to its cursor (in slices, cancellable). */
  openLink(link: string): Promise<Outcome<KernelStatus>>;
  /** The current branch as a checkpoint file's bytes (session + journal, checksummed). */
  checkpoint(): Promise<Outcome<{ bytes: Uint8Array; name: string; cursor: number; events: number; runKey: string }>>;
  /** Keys identifying the state at each seq of the current branch (see Kernel.runKey); at most RUN_KEYS_MAX. */
  runKeys(seqs: number[]): string[];
  /**
   * Restores a checkpoint: re-executes its journal, checking every event, in slices (progress in
   * status().work, cancel()). The current session is replaced only when the restore completed;
   * a cancelled one comes back `cancelled` and leaves it as it was. `source` names it in errors.
   */
  restoreCheckpoint(body: Uint8Array | Blob, source: string): Promise<Outcome<KernelStatus>>;
  /**
   * After restoring a file (a Blob): a copy of its bytes as a Blob, with their crc32, for the page
   * to keep in IndexedDB without touching the bytes itself; undefined if there is none (asked once).
   */
  restoredFileCopy(): Promise<{ blob: Blob; checksum: number } | undefined>;
  /** The spec text of the loaded session (to put back in the editor after a restore or an opened link), with the seed it ran with written in (src/spec/seeded-text.ts). */
  specText(): string;
  sessionInfo(): SessionInfo | undefined;
  /** Up to `count` events before `before` that pass the filter, newest first, and how far back it looked. */
  eventsBefore(before: number, count: number, filter: EventFilter): { rows: EventRow[]; searchedFrom: number; error?: string };
  /** An event and the events that led to it (its cause, their cause, ...), newest first. */
  causeChain(seq: number): EventRow[];
  /** Test hook: the worker stops answering, as if it had crashed (used by the recovery e2e test). */
  debugCrash(): void;

  // Read-side views for the Memory, Metrics and Profile panels (worker/views.ts), at the cursor.
  /** The heap map of one node (at most MEMORY_RANGES_MAX ranges) and its figures. */
  memory(node: number): Outcome<MemoryView>;
  /** Runnable processes, heap in use and messages per ms, at most METRICS_POINTS_MAX points. */
  metrics(points: number): Promise<MetricsView | undefined> | MetricsView | undefined;
  /** CPU ticks per agent and per step kind. */
  profile(): ProfileView | undefined;
  /** The autonomy's detectors, signals, predictions and actions (worker/health-views.ts); undefined without autonomy:. */
  health(): HealthView | undefined;
}

// ---- Shell (ui/shell): bisect over a described condition, recent events, channels. ----

/**
 * A condition over the state at the cursor, as plain data: the worker builds the predicate from
 * it (worker/bisect.ts); nothing is evaluated as code. `bisect` assumes that once it holds it
 * keeps holding.
 */
/**
 * What bisect and find look for: an expression (src/expr, design.md "Expressions"), or one of
 * the shell's short forms, each of which is an expression too (conditionExpression).
 */
export type BisectCondition =
  | { kind: 'expr'; expr: string }
  | { kind: 'failed'; pid: number }
  | { kind: 'status'; pid: number; status: string }
  | { kind: 'heap'; pid: number; op: '>' | '>='; bytes: number }
  | { kind: 'exited'; agent: string }
  | { kind: 'tick'; atLeast: number }
  /** The event just executed is of this type, and of this pid if given. */
  | { kind: 'event'; type: string; pid?: number }
  /** A spec invariant is broken (its condition is false): `!(<always>)`, which the worker knows. */
  | { kind: 'invariant'; name: string };

/** The expression a condition stands for (the short forms are sugar for these). */
export function conditionExpression(condition: BisectCondition): string {
  const agent = (name: string) => `agents[${JSON.stringify(name)}]`;
  switch (condition.kind) {
    case 'expr': return condition.expr;
    case 'failed': return `procs[${condition.pid}].status == "failed"`;
    case 'status': return `procs[${condition.pid}].status == ${JSON.stringify(condition.status)}`;
    case 'heap': return `procs[${condition.pid}].heapBytes ${condition.op} ${condition.bytes}`;
    case 'exited': {
      const a = agent(condition.agent);
      return `${a}.processes > 0 && ${a}.exited + ${a}.failed == ${a}.processes`;
    }
    case 'tick': return `tick >= ${condition.atLeast}`;
    case 'event': return `event.type == ${JSON.stringify(condition.type)}${condition.pid === undefined ? '' : ` && event.pid == ${condition.pid}`}`;
    case 'invariant': return `!(invariant ${condition.name})`;
  }
}

/** A watch (worker/watch-views.ts): the spec's or one added in the UI or shell, and its value at the cursor. */
export interface WatchRow {
  name: string;
  expr: string;
  source: 'spec' | 'session';
  value: number;
}

/** Every watch at the cursor, and their series over the branch (a condition is 1 or 0). */
export interface WatchesView {
  rows: WatchRow[];
  /** The event after which each point was read, its tick, and one column per row. */
  seq: Float64Array;
  tick: Float64Array;
  series: Float64Array[];
  events: number;
  cursor: number;
  cursorTick: number;
}

export interface ChannelRow {
  index: number;
  from: string;
  to: string;
  queued: number;
  inFlight: number;
  capacity: number;
}

/** Events a recent-events query returns at most. */
export const RECENT_EVENTS_MAX = 200;

export interface KernelApi {
  /**
   * The first event S at which `condition` holds (false before it, true after it; the cursor moves
   * just after it, to S+1), or null: it does not hold at the end of the branch. A binary search:
   * right only if the condition stays true once true.
   */
  bisect(condition: BisectCondition): Outcome<{ seq: number | null; status: KernelStatus }>;
  /**
   * A forward scan that checks `condition` after every event for the next event S at which it
   * becomes true (false after S-1, true after S): from the cursor (so a repeated find goes to the
   * next time it becomes true), or with `fromStart` from event 0. The cursor moves just after S
   * (to S+1); null: it never does up to the branch's end (the cursor stays). Runs in slices with
   * progress in status().work; cancel() stops it, puts the cursor back and comes back `cancelled`.
   */
  find(condition: BisectCondition, options: { fromStart: boolean }): Promise<Outcome<{ seq: number | null; from: number; status: KernelStatus }>>;
  /** The last `count` (<= RECENT_EVENTS_MAX) events up to the cursor of one pid and/or type, oldest first. */
  recentEvents(filter: { pid?: number; type?: string }, count: number): Outcome<EventRow[]>;
  /** Every channel with its queue fill at the cursor. */
  channels(): ChannelRow[];
  /** The watches (spec and added), their values at the cursor and series over the branch (at most `points` points). */
  watches(points: number): WatchesView | undefined;
  /** Adds (or replaces) a watch; an expression error names its column. */
  addWatch(name: string, expr: string): Outcome<WatchRow[]>;
  removeWatch(name: string): Outcome<WatchRow[]>;
}

// Marks on the timeline strip (worker/mark-views.ts). Merged into KernelApi above.
export type { HoldMarks } from './mark-views';
import type { HoldMarks } from './mark-views';

export interface KernelApi {
  /**
   * Every event S of the branch at which `condition` becomes true (find's successive answers) and
   * the spans where it stays true, at most MARKS_MAX (1,000) marks; long work like find (progress,
   * cancel), incremental (asked again after a run, it goes on from where it stopped). The cursor stays.
   */
  markHolds(condition: BisectCondition): Promise<Outcome<{ marks: HoldMarks; status: KernelStatus }>>;
}

// IPC panel and Inspector views (worker/ipc-views.ts), at the cursor. Merged into KernelApi above.
/** Agents one IPC view lists at most (the busiest in the rate window first); the spec allows 256 (AGENTS_MAX). */
export const IPC_AGENTS_MAX = 256;
/** Channels one IPC view lists at most (the busiest first); the spec allows 1,024 (CHANNELS_MAX). */
export const IPC_CHANNELS_MAX = 256;
export type { IpcView, IpcAgent, IpcChannel, ProcessDetail, ProgramStepRow, CompareView, ComparePoint } from './ipc-views';
import type { CompareView, ComparePoint, IpcView, ProcessDetail } from './ipc-views';

export interface KernelApi {
  /** Agents and channels with message rates over the last `windowMs` of virtual time and queue fill. */
  ipc(windowMs: number): IpcView | undefined;
  /** One process: program and current step, state, memory, channels, why it was last picked. */
  processDetail(pid: number): Outcome<ProcessDetail>;
  /** The state difference between two points (also across branches); the cursor stays where it is. */
  compare(a: ComparePoint, b: ComparePoint): Outcome<CompareView>;
}

// The Shared panel's view (worker/shared-views.ts), at the cursor. Merged into KernelApi above.
export type { SharedView, SharedObjectView, SharedReplicaView } from './shared-views';
import type { SharedView } from './shared-views';

export interface KernelApi {
  /** Every shared object's replicas at the cursor; `offsets[i]` pages object i's elements. */
  shared(offsets: number[]): SharedView | undefined;
}

import type { SavedQuery } from '../kernel/session';

export interface KernelApi {
  /** KernelQL: serves the journal and the state on `port` to the query worker (src/query/serve.ts). */
  queryPort(port: MessagePort): void;
  /** The Query panel's saved queries, kept with the session (its link and checkpoints). */
  savedQueries(): SavedQuery[];
  setSavedQueries(queries: SavedQuery[]): Outcome<null>;
}
