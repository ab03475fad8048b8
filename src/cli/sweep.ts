// `agentos sweep <plan.yaml> [--jobs N] [--shard i/n] [--out runs.jsonl] [--base URL]`: runs an
// experiment's trials (src/lab) and writes one JSON line per trial, in trial order, whatever
// --jobs and --shard are. --jobs N forks N child processes (sweep-worker.ts) and hands each the
// next trial when it is free; a reorder buffer writes lines in order as they become contiguous.
// Progress goes to stderr.
import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Core } from '../core/core';
import { formatPlanError, loadExperiment, parseShard, shardTrials, TrialRunner, type Experiment, type PlanError, type Shard } from '../lab/index';
import type { LoadOptions } from '../lab/experiment';
import { formatTrialLine, LINK_BASE_DEFAULT } from '../lab/trial';
import { workerEntry, type WorkerEntry } from './worker-bundle';

/** Child processes a sweep may fork. */
export const SWEEP_JOBS_MAX = 64;

export class SweepError extends Error {}

export interface SweepOptions {
  planPath: string;
  jobs: number;
  shard?: Shard;
  out?: string;
  base?: string;
  /** No progress on stderr (benchmarks). */
  quiet?: boolean;
}

/** The experiment of a plan file; a spec file it names is read beside it. Throws SweepError with every problem. */
export async function loadPlanFile(planPath: string): Promise<Experiment> {
  return (await loadPlanFileWith(planPath, 'plan', loadExperiment)).experiment;
}

/**
 * Reads a plan file (an experiment or an evolve plan, `what` in errors) and loads it with `load`;
 * a spec file it names is read beside it. Throws SweepError with every problem.
 */
export async function loadPlanFileWith<R extends { ok: true } | { ok: false; errors: PlanError[] }>(
  planPath: string, what: string, load: (text: string, options: LoadOptions) => Promise<R>,
): Promise<Extract<R, { ok: true }>> {
  let text: string;
  try {
    text = readFileSync(planPath, 'utf8');
  } catch (error) {
    throw new SweepError(`cannot read ${planPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const directory = dirname(resolve(planPath));
  const loaded = await load(text, {
    readSpecFile: (path) => {
      try {
        return readFileSync(resolve(directory, path), 'utf8');
      } catch (error) {
        throw new Error((error as NodeJS.ErrnoException).code === 'ENOENT' ? `no file ${resolve(directory, path)}` : (error as Error).message);
      }
    },
  });
  if (!loaded.ok) {
    const { errors } = loaded as Extract<R, { ok: false }>;
    throw new SweepError(`${planPath}: the ${what} has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${errors.map(formatPlanError).join('\n')}`);
  }
  return loaded as Extract<R, { ok: true }>;
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
  const experiment = await loadPlanFile(options.planPath);
  const trials = shardTrials(experiment.trialCount, options.shard);
  const output = options.out ? createWriteStream(options.out) : process.stdout;
  const progress = new Progress(trials.length, options);
  const write = ordered(trials, (text) => output.write(text + '\n'));
  try {
    const jobs = Math.min(options.jobs, trials.length);
    // The children start first, so they boot while this process loads its core.
    const worker = jobs > 1 ? await workerEntry('sweep-worker') : undefined;
    await runPool(options, () => loadCore().then((core) => new TrialRunner(experiment, core, { base: options.base ?? LINK_BASE_DEFAULT })), trials, jobs, worker, (k, text) => {
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
export type ToChild = { run: number } | { stop: true };
export type FromChild = { ready: true } | { trial: number; line: string } | { error: string };

/** Trials a child holds at once: one running, one waiting, so it never idles while the parent is busy with a trial of its own. */
const CHILD_PREFETCH = 2;

/**
 * Runs `trials` on `jobs` jobs: this process (which starts at once, while the children boot)
 * and jobs − 1 child processes (sweep-worker.ts), all taking the next trial from one queue.
 */
function runPool(options: SweepOptions, makeRunner: () => Promise<TrialRunner>, trials: readonly number[], jobs: number, worker: WorkerEntry | undefined, finished: (k: number, text: string) => void): Promise<void> {
  const queue = [...trials];
  let remaining = trials.length;
  const children: ChildProcess[] = [];
  const exited: Promise<void>[] = [];
  return new Promise<void>((resolveAll, reject) => {
    let over = false;
    // Resolves (or rejects) once every child has exited: nothing of the sweep outlives it.
    const end = (error?: SweepError) => {
      if (over) return;
      over = true;
      for (const child of children) {
        if (error) child.kill();
        else if (child.connected) child.send({ stop: true } satisfies ToChild);
      }
      void Promise.all(exited).then(() => (error ? reject(error) : resolveAll()));
    };
    const done = (k: number, text: string) => {
      finished(k, text);
      if (--remaining === 0) end();
    };
    for (let index = 1; index < jobs; index++) {
      const child = fork(worker!.path, [options.planPath, options.base ?? LINK_BASE_DEFAULT], { execArgv: [...worker!.execArgv], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      children.push(child);
      exited.push(new Promise((resolveExit) => {
        child.once('exit', () => resolveExit());
        child.once('error', (error) => {
          resolveExit();
          end(new SweepError(`job ${index + 1} could not start: ${error.message}`));
        });
      }));
      const feed = (count: number) => {
        for (let i = 0; i < count && queue.length > 0 && !over; i++) child.send({ run: queue.shift()! } satisfies ToChild);
      };
      let held = 0;
      child.on('message', (message: FromChild) => {
        if (over) return;
        if ('error' in message) return end(new SweepError(`job ${index + 1}: ${message.error}`));
        if ('trial' in message) {
          held--;
          done(message.trial, message.line);
        }
        // Near the end, hold one at a time, so no job waits on another's queued trial.
        const before = queue.length;
        feed((queue.length > jobs ? CHILD_PREFETCH : 1) - held);
        held += before - queue.length;
      });
      child.on('exit', (code, signal) => {
        if (!over && held > 0) end(new SweepError(`job ${index + 1} stopped (${signal ?? `exit code ${code}`}) with trials unfinished`));
      });
    }
    // This process's own share: a trial at a time, letting the children's messages in between.
    void (async () => {
      try {
        const runner = await makeRunner();
        while (queue.length > 0 && !over) {
          const k = queue.shift()!;
          done(k, formatTrialLine(await runner.run(k)));
          await new Promise((next) => setImmediate(next));
        }
      } catch (error) {
        end(new SweepError(error instanceof Error ? error.message : String(error)));
      }
    })();
  });
}

/** "sweep: 12/40 trials, 3.2 s, about 7 s left" on stderr: at most once a second, and at the end. */
class Progress {
  readonly #start = performance.now();
  #done = 0;
  #shown = 0;
  constructor(readonly total: number, readonly options: SweepOptions) {
    if (options.quiet) return;
    const shard = options.shard ? ` (shard ${options.shard.index}/${options.shard.count})` : '';
    process.stderr.write(`sweep: ${total} trial${total === 1 ? '' : 's'}${shard} on ${options.jobs} job${options.jobs === 1 ? '' : 's'}\n`);
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
    const left = this.#done > 0 && this.#done < this.total ? `, about ${Math.ceil(seconds / this.#done * (this.total - this.#done))} s left` : '';
    process.stderr.write(`sweep: ${this.#done}/${this.total} trials, ${seconds.toFixed(1)} s${left}\n`);
  }
}
