// A sweep in the browser: a pool of Web Workers (hardware concurrency minus one, at least one)
// running an experiment's trials, each line kept in IndexedDB as it arrives (so a reload resumes
// where the sweep stopped), progress with trials done and time left, and cancel. The page's
// thread only hands out trial numbers and files lines: every trial runs in a worker.
import * as Comlink from 'comlink';
import { formatPlanError, readPlan, type Plan } from '../../lab/plan';
import type { TrialLine } from '../../lab/trial';
import { textHash } from '../../kernel/hash';
import type { LabStore, StoredRun } from './store';
import type { Prepared, TrialApi } from './trial-api';

/** Workers at most, whatever the machine says (each holds a wasm core and a kernel). */
export const POOL_WORKERS_MAX = 16;
/**
 * How often arrived lines are merged into `lines`: one update of the results a second while a
 * sweep runs, not one per trial (the page's thread stays free; progress still counts each trial).
 */
export const FLUSH_MS = 1000;

export type SweepPhase = 'idle' | 'preparing' | 'running' | 'stopped' | 'done' | 'failed';

/** Workers for this machine: hardware concurrency minus one (the page keeps a core), at least one. */
export function defaultWorkers(concurrency = globalThis.navigator?.hardwareConcurrency ?? 2): number {
  return Math.max(1, Math.min(POOL_WORKERS_MAX, (concurrency | 0) - 1));
}

export interface SweepInput {
  readonly planText: string;
  /**
   * Reads a spec file the plan names (`spec: auction.yaml`); the page fetches examples. Whatever
   * it returns is kept with the run, so a resumed run reads exactly the same files.
   */
  readonly readSpecFile: (path: string) => Promise<string>;
}

type Spawn = (index: number) => Worker;
interface PoolWorker { readonly thread: Worker; readonly api: Comlink.Remote<TrialApi>; prepared: boolean }
const spawnWorker: Spawn = (index) => new Worker(new URL('./trial.worker.ts', import.meta.url), { type: 'module', name: `agentos-lab-${index}` });

export class Sweep {
  phase = $state<SweepPhase>('idle');
  /** Plan errors (line:column), or what failed. */
  errors = $state<string[]>([]);
  plan = $state.raw<Plan | undefined>(undefined);
  runId = $state<string | undefined>(undefined);
  total = $state(0);
  /** Lines so far, sorted by trial. */
  lines = $state.raw<TrialLine[]>([]);
  /** Trials finished (published with the lines, every FLUSH_MS while a sweep runs). */
  done = $state(0);
  workers = $state(0);
  /** Estimated time left (ms) from this session's pace: from the first finished trial on (undefined before). */
  etaMs = $state<number | undefined>(undefined);

  #store: LabStore | undefined;
  #spawn: Spawn;
  #pool: PoolWorker[] = [];
  #generation = 0;
  #pending: TrialLine[] = [];
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #onCancel: (() => void) | undefined;
  #eta: number | undefined;

  constructor(options: { store?: LabStore; spawn?: Spawn } = {}) {
    this.#store = options.store;
    this.#spawn = options.spawn ?? spawnWorker;
  }

  set store(store: LabStore | undefined) { this.#store = store; }

  /**
   * Reads and checks the plan; on success the run is known (its id, its trials) and any lines
   * this browser kept for it are loaded, so Run goes on from there. Returns false on errors.
   * The page reads only the plan's own YAML and the spec file it names: building and checking
   * every configuration happens in the pool's first worker, never on the page's thread.
   */
  async prepare(input: SweepInput, linkBase: string): Promise<boolean> {
    if (this.#run && this.#run.planText === input.planText && this.phase !== 'failed' && this.#pool.length > 0) return true;
    this.cancel();
    this.phase = 'preparing';
    this.errors = [];
    const read = readPlan(input.planText);
    if (!read.ok) return this.#fail(read.errors.map(formatPlanError));
    const specFiles: Record<string, string> = {};
    const unreadable: Record<string, string> = {};
    if (read.plan.spec.kind === 'path') {
      const path = read.plan.spec.path;
      try {
        specFiles[path] = await input.readSpecFile(path);
      } catch (error) {
        unreadable[path] = error instanceof Error ? error.message : String(error);
      }
    }
    const generation = this.#generation;
    const first = this.#worker(0);
    let prepared: Prepared;
    try {
      prepared = await first.api.prepare(input.planText, specFiles, linkBase, unreadable);
    } catch (error) {
      this.#stopPool();
      return this.#fail([`The experiment worker failed: ${error instanceof Error ? error.message : String(error)}`]);
    }
    if (generation !== this.#generation) return false;
    if (!prepared.ok) {
      this.#stopPool();
      return this.#fail(prepared.errors);
    }
    first.prepared = true;
    const names = Object.keys(specFiles).sort();
    const id = textHash(`${input.planText}\u0000${names.map((name) => `${name}\u0000${specFiles[name]}`).join('\u0000')}`);
    this.plan = prepared.plan;
    this.runId = id;
    this.total = prepared.trials;
    this.#run = { id, name: prepared.plan.name || 'experiment', planText: input.planText, specFiles, trialCount: prepared.trials, usedAtMs: Date.now() };
    this.#base = linkBase;
    let kept: TrialLine[] = [];
    if (this.#store) {
      const stored = await this.#store.lines(id);
      kept = stored.map((line) => JSON.parse(line.text) as TrialLine).filter((line) => line.trial >= 0 && line.trial < prepared.trials);
    }
    this.lines = kept.sort((a, b) => a.trial - b.trial);
    this.done = this.lines.length;
    this.etaMs = this.#eta = undefined;
    this.phase = this.lines.length === this.total ? 'done' : this.lines.length > 0 ? 'stopped' : 'idle';
    return true;
  }
  #run: StoredRun | undefined;
  #base = '';

  /** The run kept most recently in this browser (to offer its plan again after a reload). */
  async latestRun(): Promise<StoredRun | undefined> {
    return this.#store?.latest();
  }

  /** Runs every trial not yet done on `workers` workers. Resolves when they are all done, or on cancel. */
  async start(workers: number): Promise<void> {
    const run = this.#run;
    if (!run || this.phase === 'running' || this.phase === 'preparing' || this.phase === 'failed') return;
    const generation = ++this.#generation;
    const have = new Set(this.lines.map((line) => line.trial));
    const queue: number[] = [];
    for (let k = 0; k < run.trialCount; k++) if (!have.has(k)) queue.push(k);
    if (queue.length === 0) {
      this.phase = 'done';
      return;
    }
    run.usedAtMs = Date.now();
    await this.#store?.saveRun({ ...run });
    const count = Math.max(1, Math.min(POOL_WORKERS_MAX, workers, queue.length));
    this.workers = count;
    this.phase = 'running';
    this.errors = [];
    const started = performance.now();
    this.etaMs = this.#eta = undefined;
    const toRun = queue.length;
    let finished = 0;
    let next = 0;

    const work = async (index: number) => {
      const { api, prepared } = this.#worker(index);
      if (!prepared) {
        const answer = await api.prepare(run.planText, { ...run.specFiles }, this.#base);
        if (!answer.ok) throw new Error(answer.errors.join('\n'));
        this.#pool[index].prepared = true;
      }
      while (generation === this.#generation && next < queue.length) {
        const k = queue[next++];
        const text = await api.run(k);
        if (generation !== this.#generation) return;
        const line = JSON.parse(text) as TrialLine;
        await this.#store?.putLine(run.id, k, text);
        finished++;
        this.#eta = ((performance.now() - started) / finished) * (toRun - finished);
        // The first estimate shows as soon as the first trial is done (one number on the page);
        // later ones come with each flush of the lines.
        if (this.etaMs === undefined) this.etaMs = this.#eta;
        this.#arrive(line);
        // Cancelled while the line was being stored: it is kept, so it is shown too.
        if (generation !== this.#generation) return this.#flush();
      }
    };

    // A terminated worker never answers: cancel settles the wait instead.
    const cancelled = new Promise<void>((resolve) => (this.#onCancel = resolve));
    try {
      await Promise.race([Promise.all(Array.from({ length: count }, (_, index) => work(index))), cancelled]);
      if (generation !== this.#generation) return;
      this.#flush();
      this.phase = 'done';
      this.etaMs = 0;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#flush();
      this.#stopPool();
      this.#fail([`A trial could not run: ${error instanceof Error ? error.message : String(error)}`]);
    }
  }

  /** The pool's worker `index`, started if it is not yet (the first one prepared the plan). */
  #worker(index: number): PoolWorker {
    let worker = this.#pool[index];
    if (!worker) {
      const thread = this.#spawn(index);
      worker = { thread, api: Comlink.wrap<TrialApi>(thread), prepared: false };
      this.#pool[index] = worker;
    }
    return worker;
  }

  /** Stops every worker at once (a trial in progress is dropped; finished ones are kept). */
  cancel(): void {
    const wasRunning = this.phase === 'running';
    this.#generation++;
    this.#onCancel?.();
    this.#onCancel = undefined;
    this.#stopPool();
    this.#flush();
    if (wasRunning) {
      this.phase = 'stopped';
      this.etaMs = undefined;
    }
  }

  /** Forgets the kept lines of this run (Run then starts from trial 0). */
  async clear(): Promise<void> {
    this.cancel();
    if (this.runId) await this.#store?.remove(this.runId);
    this.lines = [];
    this.done = 0;
    if (this.phase !== 'failed') this.phase = 'idle';
  }

  #arrive(line: TrialLine): void {
    this.#pending.push(line);
    this.#flushTimer ??= setTimeout(() => this.#flush(), FLUSH_MS);
  }

  #flush(): void {
    if (this.#flushTimer !== undefined) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    if (this.#pending.length === 0) return;
    const arrived = this.#pending.sort((a, b) => a.trial - b.trial);
    this.#pending = [];
    // Merge two sorted lists (arrived is small; lines may be long).
    const merged: TrialLine[] = [];
    let i = 0, j = 0;
    const lines = this.lines;
    while (i < lines.length || j < arrived.length) {
      if (j >= arrived.length || (i < lines.length && lines[i].trial < arrived[j].trial)) merged.push(lines[i++]);
      else if (i < lines.length && lines[i].trial === arrived[j].trial) { merged.push(arrived[j++]); i++; }
      else merged.push(arrived[j++]);
    }
    this.lines = merged;
    this.done = merged.length;
    if (this.#eta !== undefined) this.etaMs = this.#eta;
  }

  #stopPool(): void {
    for (const worker of this.#pool) worker?.thread.terminate();
    this.#pool = [];
    this.workers = 0;
  }

  #fail(errors: string[]): false {
    this.errors = errors;
    this.phase = 'failed';
    return false;
  }
}

/** "3 min 20 s", "12 s", "under a second". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 1000) return 'under a second';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
