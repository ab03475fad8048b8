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
  tick: number;
  stateHash: string;
  /** Why the last run stopped, or 'running'. */
  stopped: 'idle' | 'running' | 'events' | 'ticks' | 'quiescent' | 'journal-full' | 'cancelled';
  journalEventsMax: number;
}

export interface RunRequest {
  /** Stop when the cursor reaches this many events (default: the journal's limit). */
  events?: number;
  /** Stop when virtual time would pass this tick. */
  ticks?: number;
}

export interface KernelApi {
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
  seek(seq: number): Promise<KernelStatus>;
  status(): KernelStatus;
}
