// A sweep in the browser: a pool of Web Workers (hardware concurrency minus one, at least one)
// running an experiment's trials, each line kept in IndexedDB as it arrives (so a reload resumes
// where the sweep stopped), progress with trials done and time left, and cancel. The page's
// thread only hands out trial numbers and files lines: every trial runs in a worker.
import * as Comlink from 'comlink';
import { formatPlanError, readPlan, type Plan } from '../../lab/plan';
import type { TrialLine } from '../../lab/trial';
import { textHash } from '../../kernel/hash';
import type { LabStore, StoredRun } from './store';
import { epochMs, type Prepared, type TrialApi, type WorkerTimings } from './trial-api';
import { takeTrials } from './hold-next';
import { TrialPace } from './pace';

/** Workers at most, whatever the machine says (each holds a wasm core and a kernel). */
export const POOL_WORKERS_MAX = 16;
/**
 * How often arrived lines are merged into `lines`: one update of the results a second while a
 * sweep runs, not one per trial (the page's thread stays free). `done` (the progress bar and
 * count) still moves with each trial's line as it arrives: one number, not the results.
 */
export const FLUSH_MS = 1000;
/**
 * How long an arrived line may wait to be stored, so that the lines arriving meanwhile go in the
 * same IndexedDB transaction (one write per trial was a third of the page's script time during
 * a sweep). A reload loses at most this much of the sweep (Resume runs those trials again, to
 * the same lines); cancel and the sweep's end store what came in at once.
 */
export const STORE_MS = 250;

export type SweepPhase = 'idle' | 'preparing' | 'running' | 'stopped' | 'done' | 'failed';

/** Workers for this machine: hardware concurrency minus one (the page keeps a core), at least one. */
export function defaultWorkers(concurrency = globalThis.navigator?.hardwareConcurrency ?? 2): number {
  return Math.max(1, Math.min(POOL_WORKERS_MAX, (concurrency | 0) - 1));
}

/** The workers a pool really starts for what the Workers field holds: a whole number from 1 to POOL_WORKERS_MAX (an empty field: 1). */
export function poolWorkers(asked: number | null | undefined): number {
  const whole = typeof asked === 'number' && Number.isFinite(asked) ? Math.trunc(asked) : 1;
  return Math.max(1, Math.min(POOL_WORKERS_MAX, whole));
}

/**
 * What the Workers field says beside it when the pool will not use the number written there (or
 * when it is more than the cores this browser reports, which it will use, but they take turns):
 * '' when the number is used as written. Never a silent change of the user's number.
 */
export function workersNote(asked: number | null | undefined, cores = globalThis.navigator?.hardwareConcurrency ?? 0): string {
  const used = poolWorkers(asked);
  const coresText = cores > 0 ? `this browser reports ${cores} core${cores === 1 ? '' : 's'}` : '';
  if (typeof asked !== 'number' || !Number.isFinite(asked)) return `a number of workers from 1 to ${POOL_WORKERS_MAX}: the pool uses ${used}`;
  if (asked < 1) return `at least 1 worker: the pool uses ${used}`;
  if (asked > POOL_WORKERS_MAX) return `at most ${POOL_WORKERS_MAX} workers: the pool uses ${used}${coresText ? ` (${coresText})` : ''}`;
  if (!Number.isInteger(asked)) return `a whole number of workers: the pool uses ${used}`;
  if (cores > 0 && used > cores) return `the pool uses ${used}, and ${coresText}: workers beyond that take turns on them`;
  return '';
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
interface PoolWorker {
  readonly thread: Worker;
  readonly api: Comlink.Remote<TrialApi>;
  prepared: boolean;
  /** Prepared with the run's plan and its core loaded (asked for once; start awaits it). */
  ready?: Promise<void>;
  readonly spawnedAt: number;
}

/**
 * One sweep's timeline, for measuring the pool (wall clock, ms since the epoch, as the workers'
 * `WorkerTimings`): when Run was pressed and the last line was in; per worker when it was
 * started, and per trial when the page asked for it (its next trial is asked for while one runs) and
 * when its line arrived. A test reads it through `globalThis.__agentosSweepTimelines` (an array it sets up).
 */
export interface PoolTimeline {
  start: number;
  end: number;
  workers: { spawnedAt: number; trials: [trial: number, asked: number, arrived: number][]; own?: WorkerTimings }[];
}
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
  /**
   * Trials finished: counted as each trial's line arrives (the lines themselves are published
   * every FLUSH_MS while a sweep runs, so `lines.length` may lag behind it by up to a flush).
   */
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
  /** Workers to keep warm (the panel's Workers field): started and readied as soon as a plan is prepared. */
  #wanted = 1;
  /** The lines not yet stored, and the write in progress (one transaction for all that came in meanwhile). */
  #unstored: { run: string; trial: number; text: string }[] = [];
  #writing: Promise<void> | undefined;
  #writeTimer: ReturnType<typeof setTimeout> | undefined;
  #writeError: unknown;
  #storeMs: number;

  constructor(options: { store?: LabStore; spawn?: Spawn; storeMs?: number } = {}) {
    this.#store = options.store;
    this.#spawn = options.spawn ?? spawnWorker;
    this.#storeMs = options.storeMs ?? STORE_MS;
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
    this.#halt();
    this.phase = 'preparing';
    this.errors = [];
    const read = readPlan(input.planText);
    // A plan whose own shape has errors still goes to the worker when its spec: read: the worker
    // says the rest of what is wrong (override paths, metrics: loadExperiment), all at once.
    const source = read.ok ? read.plan.spec : read.parts?.spec;
    if (!read.ok && !source) return this.#fail(read.errors.map(formatPlanError));
    const specFiles: Record<string, string> = {};
    const unreadable: Record<string, string> = {};
    if (source?.kind === 'path') {
      const path = source.path;
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
    this.warm(this.#wanted);
    return true;
  }

  /**
   * Readies `workers` workers for the prepared plan (started, plan read, core loaded) before Run
   * is pressed, so a sweep spends none of its time starting them. Workers readied before stay
   * (a sweep on fewer leaves them idle) until the plan changes. While a sweep runs, or before a
   * plan is prepared, the count is remembered for later.
   */
  warm(workers: number): void {
    this.#wanted = poolWorkers(workers);
    if (!this.#run || this.phase === 'running' || this.phase === 'preparing' || this.phase === 'failed') return;
    for (let index = 0; index < this.#wanted; index++) this.#ready(index).catch(() => undefined); // a failure shows when a sweep needs the worker
  }

  /** Worker `index` prepared with the run's plan and its core loaded (once per worker). */
  #ready(index: number): Promise<void> {
    const worker = this.#worker(index);
    const run = this.#run!;
    worker.ready ??= (async () => {
      if (!worker.prepared) {
        const answer = await worker.api.prepare(run.planText, { ...run.specFiles }, this.#base);
        if (!answer.ok) throw new Error(answer.errors.join('\n'));
        worker.prepared = true;
      }
      await worker.api.warm();
    })();
    return worker.ready;
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
    const timelineStart = epochMs();
    run.usedAtMs = Date.now();
    // Saved while the first trials run (not before them); a failure shows when the sweep ends.
    const saved = (this.#store?.saveRun({ ...run }) ?? Promise.resolve()).then(() => undefined, (error: unknown) => ({ error }));
    const count = Math.min(poolWorkers(workers), queue.length);
    this.workers = count;
    this.phase = 'running';
    this.errors = [];
    this.etaMs = this.#eta = undefined;
    const toRun = queue.length;
    let finished = 0;
    let next = 0;
    const pace = new TrialPace();
    const timeline: PoolTimeline = { start: timelineStart, end: 0, workers: [] };

    const arrive = (k: number, text: string, asked: number, trials: PoolTimeline['workers'][number]['trials']) => {
      if (generation !== this.#generation) return;
      const arrived = epochMs();
      const line = JSON.parse(text) as TrialLine;
      // a worker runs its trials in order: this one began when it was asked or when the one
      // before it came back, whichever was later
      const previous = trials.at(-1);
      pace.add(arrived - (previous ? Math.max(asked, previous[2]) : asked), previous === undefined);
      trials.push([k, asked, arrived]);
      finished++;
      this.#eta = pace.left(toRun - finished, count);
      // The first estimate shows as soon as the first trial is done (one number on the page);
      // later ones come with each flush of the lines.
      if (this.etaMs === undefined) this.etaMs = this.#eta;
      this.#arrive(line);
      // Stored in the background: the worker has its next trial already; a line that came in is
      // kept (and shown) even if the sweep is cancelled while it is being written.
      this.#storeLine(run.id, k, text);
    };
    const work = async (index: number) => {
      const { api, spawnedAt } = this.#worker(index);
      const trials: PoolTimeline['workers'][number]['trials'] = [];
      timeline.workers[index] = { spawnedAt, trials };
      await this.#ready(index);
      const ask = (): Promise<void> | undefined => {
        if (generation !== this.#generation || next >= queue.length) return undefined;
        const k = queue[next++], asked = epochMs();
        return api.run(k).then((text) => arrive(k, text, asked, trials));
      };
      // Each worker holds its next trial while it runs one (hold-next.ts).
      await takeTrials(ask, () => queue.length - next, count);
    };

    // A terminated worker never answers: cancel settles the wait instead.
    const cancelled = new Promise<void>((resolve) => (this.#onCancel = resolve));
    try {
      await Promise.race([Promise.all(Array.from({ length: count }, (_, index) => work(index))), cancelled]);
      // The lines that came in are stored before the sweep is done (or stopped): a reload finds them.
      await this.#stored();
      const saving = await saved;
      if (saving) throw saving.error;
      if (generation !== this.#generation) return;
      timeline.end = epochMs();
      this.#flush();
      this.phase = 'done';
      this.etaMs = 0;
      void this.#publish(timeline);
    } catch (error) {
      await this.#stored().catch(() => undefined);
      if (generation !== this.#generation) return;
      this.#flush();
      this.#stopPool();
      this.#fail([`A trial could not run: ${error instanceof Error ? error.message : String(error)}`]);
    }
  }

  /**
   * Stores a line, in the background: it waits STORE_MS (or for the write in progress), and the
   * lines that arrive meanwhile go in the same write (one IndexedDB transaction, not one per line).
   */
  #storeLine(run: string, trial: number, text: string): void {
    if (!this.#store) return;
    this.#unstored.push({ run, trial, text });
    if (!this.#writing) this.#writeTimer ??= setTimeout(() => this.#writeNow(), this.#storeMs);
  }

  /** Starts writing the lines not yet stored (unless a write is in progress: they go in the next). */
  #writeNow(): void {
    clearTimeout(this.#writeTimer);
    this.#writeTimer = undefined;
    const store = this.#store;
    if (this.#writing || this.#unstored.length === 0 || !store) return;
    const batch = this.#unstored;
    this.#unstored = [];
    const write = async () => {
      for (const id of new Set(batch.map((line) => line.run))) {
        await store.putLines(id, batch.filter((line) => line.run === id).map((line) => [line.trial, line.text] as const));
      }
    };
    // What came in meanwhile waits its STORE_MS too (from now), then goes in one write.
    const after = () => {
      this.#writing = undefined;
      if (this.#unstored.length > 0) this.#writeTimer ??= setTimeout(() => this.#writeNow(), this.#storeMs);
    };
    this.#writing = write().then(after, (error: unknown) => { this.#writeError ??= error; after(); });
  }

  /** Stores every line that came in, now; throws what a write failed with. */
  async #stored(): Promise<void> {
    for (;;) {
      this.#writeNow();
      if (!this.#writing) break;
      await this.#writing;
    }
    const error = this.#writeError;
    this.#writeError = undefined;
    if (error !== undefined) throw error;
  }

  /** Hands the timeline to a test that asked for it (with each worker's own timings). */
  async #publish(timeline: PoolTimeline): Promise<void> {
    const sink = (globalThis as { __agentosSweepTimelines?: PoolTimeline[] }).__agentosSweepTimelines;
    if (!Array.isArray(sink)) return;
    // Where the sweep ended in a performance trace (the test splits the page's CPU there).
    performance.mark('agentos-sweep-end', { detail: timeline.end });
    await Promise.all(timeline.workers.map(async (worker, index) => { worker.own = await this.#pool[index]?.api.timings(); }));
    sink.push(timeline);
  }

  /** The pool's worker `index`, started if it is not yet (the first one prepared the plan). */
  #worker(index: number): PoolWorker {
    let worker = this.#pool[index];
    if (!worker) {
      const thread = this.#spawn(index);
      worker = { thread, api: Comlink.wrap<TrialApi>(thread), prepared: false, spawnedAt: epochMs() };
      this.#pool[index] = worker;
    }
    return worker;
  }

  /**
   * Stops every worker at once (a trial in progress is dropped; finished ones are kept), then
   * readies fresh ones for the same plan in the background, so the next Run does not wait for
   * them to start (a worker in the middle of a trial can only be terminated).
   */
  cancel(): void {
    this.#halt();
    this.warm(this.#wanted);
  }

  /** Stops every worker at once; none is started again (the plan is about to change). */
  #halt(): void {
    const wasRunning = this.phase === 'running';
    this.#generation++;
    this.#onCancel?.();
    this.#onCancel = undefined;
    this.#stopPool();
    this.#flush();
    this.#writeNow();
    if (wasRunning) {
      this.phase = 'stopped';
      this.etaMs = undefined;
    }
  }

  /** Forgets the kept lines of this run (Run then starts from trial 0). */
  async clear(): Promise<void> {
    // An idle pool stays warm for the next Run; a running or preparing one is stopped.
    if (this.phase === 'running' || this.phase === 'preparing') this.cancel();
    else this.#flush();
    await this.#stored().catch(() => undefined);
    if (this.runId) await this.#store?.remove(this.runId);
    this.lines = [];
    this.done = 0;
    if (this.phase !== 'failed') this.phase = 'idle';
  }

  #arrive(line: TrialLine): void {
    this.#pending.push(line);
    // The progress moves per trial (a count: cheap), not per flush of the lines (a jump of
    // several trials at once with two or more workers).
    this.done = this.lines.length + this.#pending.length;
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

/** The progress line's estimate: "about 12 s left", "under a second left" (never "about under a second"). */
export function timeLeft(ms: number): string {
  const duration = formatDuration(ms);
  return duration === 'under a second' ? 'under a second left' : `about ${duration} left`;
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
