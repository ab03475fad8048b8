// `agentos sweep <plan.yaml> [--jobs N] [--shard i/n] [--out runs.jsonl] [--base URL]`: runs an
// experiment's trials (src/lab) and writes one JSON line per trial, in trial order, whatever
// --jobs and --shard are. --jobs N is this process and N − 1 child processes (sweep-worker.ts),
// forked before the plan is read, each handed the next trial when it is free; a reorder buffer
// writes lines in order as they become contiguous. Progress goes to stderr.
import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Core } from '../core/core';
import { parseShard, shardTrials, TrialRunner, type Experiment, type Shard } from '../lab/index';
import { formatTrialLine, LINK_BASE_DEFAULT, type Slices } from '../lab/trial';
import { formatNumber } from '../lab/stats';
import { loadPlanFile, loadPlanFileWith, SweepError } from './plan-file';
import { workerEntry, type WorkerEntry } from './worker-bundle';

/** Child processes a sweep may fork. */
export const SWEEP_JOBS_MAX = 64;

export { SweepError, loadPlanFile, loadPlanFileWith };

export interface SweepOptions {
  planPath: string;
  jobs: number;
  shard?: Shard;
  out?: string;
  base?: string;
  /** No progress on stderr (benchmarks). */
  quiet?: boolean;
  /** Told what the pool does as it happens (tests, the bench's timeline). */
  onPool?: (event: PoolEvent) => void;
}

export function parseJobs(text: string | undefined): number {
  if (text === undefined) return 1;
  const jobs = text === 'auto' ? availableParallelism() : Number(text); // this process is one of the jobs
  if (!Number.isSafeInteger(jobs) || jobs < 1 || jobs > SWEEP_JOBS_MAX) throw new SweepError(`--jobs expects a whole number from 1 to ${SWEEP_JOBS_MAX} (or auto), got "${text}"`);
  return jobs;
}

export { parseShard };

/** Runs the sweep; resolves with the number of lines written. */
export async function sweep(options: SweepOptions, loadCore: () => Promise<Core>): Promise<number> {
  // What takes time starts before the plan is read, so it overlaps this process's reading of it:
  // the children (node, the bundled worker, each its own core and its own reading of the plan)
  // and this process's core (compiled off the main thread).
  const pool = new Pool(options, options.jobs > 1 ? await workerEntry('sweep-worker') : undefined);
  const core = loadCore();
  core.catch(() => undefined); // awaited by the pool; a plan error is said first
  let experiment: Experiment;
  try {
    experiment = await loadPlanFile(options.planPath);
  } catch (error) {
    await pool.close();
    throw error;
  }
  const trials = shardTrials(experiment.trialCount, options.shard);
  const output = options.out ? createWriteStream(options.out) : process.stdout;
  const progress = new Progress(trials.length, options);
  const write = ordered(trials, (text) => output.write(text + '\n'));
  try {
    await pool.run(trials, async () => new TrialRunner(experiment, await core, { base: options.base ?? LINK_BASE_DEFAULT }), (k, text) => {
      write(k, text);
      progress.done();
    });
  } finally {
    if (output !== process.stdout) await new Promise<void>((done) => (output as WriteStream).end(done));
    progress.finish();
  }
  return trials.length;
}

/** Writes lines in the order of `trials`, holding back those that arrive early. */
function ordered(trials: readonly number[], emit: (text: string) => void): (k: number, text: string) => void {
  const waiting = new Map<number, string>();
  let next = 0;
  return (k, text) => {
    waiting.set(k, text);
    while (next < trials.length && waiting.has(trials[next])) {
      emit(waiting.get(trials[next])!);
      waiting.delete(trials[next]);
      next++;
    }
  };
}

/** Messages between a sweep and its children. */
export type ToChild = { run: number } | { drop: number } | { stop: true };
export type FromChild = { ready: true } | { trial: number; line: string } | { error: string };

/** What a sweep's pool did, as it happened (job 0 is this process): for tests and the bench's timeline. */
export type PoolEvent = { job: number; at: number } & PoolStep;
type PoolStep = { ready: true } | { given: number } | { taken: number } | { done: number };

/**
 * Trials a child holds at once: one running, one waiting, so it never idles between two. At the
 * end a job with nothing left takes the waiting one back (`#steal`): no job idles while another
 * holds a trial it has not started.
 */
const CHILD_PREFETCH = 2;

/**
 * With children, this process runs its own trials in slices of this many events (some 30 ms),
 * answering them between two: a child that becomes ready or runs out gets its next trial then,
 * not when this process's trial ends. Measured: 25,000-event slices cost about 9% more CPU per
 * trial than none, 100,000 about 5% (and a child holds two trials, so it rarely waits at all).
 */
export const SWEEP_SLICE_EVENTS = 100_000;
const nextTurn = () => new Promise<void>((next) => setImmediate(next));
/** Thrown from a pause when the sweep is over while this process runs a trial (another job finished it first, or one failed). */
const OVER = Symbol('over');

interface Child {
  readonly job: number;
  readonly process: ChildProcess;
  ready: boolean;
  /** Trials sent and not yet back (or taken back), in the order sent: the child runs the first. */
  held: number[];
  /** A trial was taken back: it may run it anyway, so it is stopped at the end, not asked to. */
  taken: boolean;
  stopped: boolean;
}

/**
 * `--jobs N`: this process and N − 1 child processes (sweep-worker.ts), all taking the next trial
 * from one queue. The children are forked when the pool is made, before the plan is read (they
 * read it themselves); `run` gives out the trials once it is.
 */
class Pool {
  readonly #children: Child[] = [];
  readonly #exited: Promise<void>[] = [];
  #queue: number[] | undefined;
  #jobs = 1;
  #remaining = 0;
  /** Trials whose line is written: a trial taken back may come back from two jobs (the same line). */
  readonly #lines = new Set<number>();
  #over = false;
  /** A child that could not start before `run`: said by `run`. */
  #failure: SweepError | undefined;
  #settle: { resolve: () => void; reject: (error: SweepError) => void } | undefined;
  #finished: (k: number, text: string) => void = () => undefined;
  readonly #start = performance.now();

  constructor(readonly options: SweepOptions, worker: WorkerEntry | undefined) {
    for (let job = 1; job < options.jobs; job++) this.#fork(job, worker!);
  }

  /** Runs `trials`; resolves once each has its line and every child has exited. */
  run(trials: readonly number[], makeRunner: () => Promise<TrialRunner>, finished: (k: number, text: string) => void): Promise<void> {
    this.#queue = [...trials];
    this.#remaining = trials.length;
    this.#jobs = Math.min(this.options.jobs, trials.length);
    this.#finished = finished;
    const result = new Promise<void>((resolve, reject) => (this.#settle = { resolve, reject }));
    if (this.#failure || trials.length === 0) {
      this.#end(this.#failure);
      return result;
    }
    for (const child of this.#children) {
      if (child.job >= this.#jobs) this.#stop(child); // more jobs than trials
      else this.#feed(child);
    }
    // This process's own share, a trial at a time, in slices, answering the children between two.
    const slices: Slices | undefined = this.#jobs > 1 ? { every: SWEEP_SLICE_EVENTS, pause: () => (this.#over ? Promise.reject(OVER) : nextTurn()) } : undefined;
    void (async () => {
      try {
        const runner = await makeRunner();
        for (let k = this.#next(0); k !== undefined; k = this.#next(0)) {
          this.#trace(0, { given: k });
          const line = formatTrialLine(await runner.run(k, slices));
          this.#done(0, k, line);
          if (slices) await slices.pause();
        }
      } catch (error) {
        if (error !== OVER) this.#end(new SweepError(error instanceof Error ? error.message : String(error)));
      }
    })();
    return result;
  }

  /** Stops the children (the plan could not be read) and waits for them to exit. */
  async close(): Promise<void> {
    this.#end();
    await Promise.all(this.#exited);
  }

  #fork(job: number, worker: WorkerEntry): void {
    const process = fork(worker.path, [this.options.planPath, this.options.base ?? LINK_BASE_DEFAULT], { execArgv: [...worker.execArgv], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const child: Child = { job, process, ready: false, held: [], taken: false, stopped: false };
    this.#children.push(child);
    this.#exited.push(new Promise((resolveExit) => {
      process.once('exit', () => resolveExit());
      process.once('error', (error) => {
        resolveExit();
        this.#fail(new SweepError(`job ${job + 1} could not start: ${error.message}`));
      });
    }));
    process.on('message', (message: FromChild) => {
      if (this.#over) return;
      if ('error' in message) return this.#fail(new SweepError(`job ${job + 1}: ${message.error}`));
      if ('ready' in message) {
        child.ready = true;
        this.#trace(job, { ready: true });
      } else {
        const index = child.held.indexOf(message.trial);
        if (index >= 0) child.held.splice(index, 1);
        this.#done(job, message.trial, message.line);
      }
      this.#feed(child);
    });
    process.on('exit', (code, signal) => {
      if (!this.#over && child.held.length > 0) this.#fail(new SweepError(`job ${job + 1} stopped (${signal ?? `exit code ${code}`}) with trials unfinished`));
    });
  }

  /** Tops up a ready child to CHILD_PREFETCH trials from the queue; once it is empty, an idle child takes another's waiting trial. */
  #feed(child: Child): void {
    if (!this.#queue || !child.ready || child.job >= this.#jobs) return;
    while (child.held.length < CHILD_PREFETCH) {
      const k = child.held.length === 0 ? this.#next(child.job) : this.#over ? undefined : this.#queue.shift();
      if (k === undefined) return;
      child.held.push(k);
      child.process.send({ run: k } satisfies ToChild);
      this.#trace(child.job, { given: k });
    }
  }

  /** The next trial for an idle `job`: the queue's next, else one another child holds but has not started. */
  #next(job: number): number | undefined {
    if (this.#over) return undefined;
    return this.#queue!.shift() ?? this.#steal(job);
  }

  /** Takes back the last trial a child holds behind the one it is running (it runs them in order), telling it to drop it. */
  #steal(thief: number): number | undefined {
    const victim = this.#children.find((child) => child.job !== thief && child.held.length > 1);
    if (!victim) return undefined;
    const k = victim.held.pop()!;
    victim.taken = true;
    victim.process.send({ drop: k } satisfies ToChild);
    this.#trace(victim.job, { taken: k });
    return k;
  }

  #done(job: number, k: number, text: string): void {
    if (this.#lines.has(k)) return; // taken back but run anyway: the same line, already written
    this.#lines.add(k);
    this.#trace(job, { done: k });
    this.#finished(k, text);
    if (--this.#remaining === 0) this.#end();
  }

  #fail(error: SweepError): void {
    if (this.#settle) this.#end(error);
    else this.#failure ??= error;
  }

  /** Ends the sweep (or, with an error, stops it): settles `run` once every child has exited, so nothing of the sweep outlives it. */
  #end(error?: SweepError): void {
    if (this.#over) return;
    this.#over = true;
    for (const child of this.#children) {
      if (error || child.taken) child.process.kill();
      else this.#stop(child);
    }
    void Promise.all(this.#exited).then(() => (error ? this.#settle?.reject(error) : this.#settle?.resolve()));
  }

  #stop(child: Child): void {
    if (child.stopped || !child.process.connected) return;
    child.stopped = true;
    child.process.send({ stop: true } satisfies ToChild);
  }

  #trace(job: number, step: PoolStep): void {
    this.options.onPool?.({ job, at: performance.now() - this.#start, ...step });
  }
}

/** "sweep: 12/40 trials, 3.2 s, about 7 s left" on stderr: at most once a second, and at the end. */
class Progress {
  readonly #start = performance.now();
  #done = 0;
  #shown = 0;
  constructor(readonly total: number, readonly options: SweepOptions) {
    if (options.quiet) return;
    const shard = options.shard ? ` (shard ${options.shard.index}/${options.shard.count})` : '';
    process.stderr.write(`sweep: ${formatNumber(total)} trial${total === 1 ? '' : 's'}${shard} on ${options.jobs} job${options.jobs === 1 ? '' : 's'}\n`);
  }

  done(): void {
    this.#done++;
    const now = performance.now();
    if (now - this.#shown >= 1000 && this.#done < this.total) {
      this.#shown = now;
      this.print(now);
    }
  }

  finish(): void {
    this.print(performance.now());
  }

  private print(now: number): void {
    if (this.options.quiet) return;
    const seconds = (now - this.#start) / 1000;
    const left = this.#done > 0 && this.#done < this.total ? `, about ${formatNumber(Math.ceil(seconds / this.#done * (this.total - this.#done)))} s left` : '';
    process.stderr.write(`sweep: ${formatNumber(this.#done)}/${formatNumber(this.total)} trials, ${seconds.toFixed(1)} s${left}\n`);
  }
}
