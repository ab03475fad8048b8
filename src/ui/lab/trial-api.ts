// What one worker of the experiment pool does, apart from being a worker (trial.worker.ts exposes
// it; tests call it over a MessageChannel with a Node core): read the plan with the spec files it
// is given, then run trials by number with the same code as `agentos sweep`.
import type { Core } from '../../core/core';
import { loadExperiment, type Experiment } from '../../lab/experiment';
import { formatPlanError } from '../../lab/plan';
import { formatTrialLine, TrialRunner } from '../../lab/trial';

import type { Plan } from '../../lab/plan';

export type Prepared = { ok: true; trials: number; plan: Plan } | { ok: false; errors: string[] };

/**
 * When this worker did what (wall clock, ms since the epoch: `performance.timeOrigin + now()`,
 * comparable across the page and its workers): loading its core, and each trial it ran. Only
 * for measuring the pool (tests/e2e/experiments-scaling.spec.ts); never in a line.
 */
export interface WorkerTimings {
  core?: readonly [start: number, end: number];
  trials: (readonly [trial: number, start: number, end: number])[];
}

/** Trials a worker keeps in its `WorkerTimings` (the latest; a sweep's test needs only its own). */
export const TIMINGS_KEPT_MAX = 4096;

/** Wall clock in ms since the epoch, the same in the page and in its workers. */
export const epochMs = (): number => performance.timeOrigin + performance.now();

export interface TrialApi {
  /**
   * Reads the plan with the spec files the page already read (a worker reads no file of its own,
   * so every worker runs exactly the same configurations). Returns the trial count, or errors.
   */
  prepare(planText: string, specFiles: Record<string, string>, linkBase: string, unreadable?: Record<string, string>): Promise<Prepared>;
  /**
   * Loads the core and readies the runner for the prepared plan, so the first trial starts at
   * once (the pool warms its workers before Run is pressed).
   */
  warm(): Promise<void>;
  /**
   * Runs trial k (0-based) and returns its line (JSON text, as `agentos sweep` writes it). Calls
   * are taken one at a time in the order made: the pool asks for a worker's next trial while its
   * current one runs, so the worker never waits for a round trip between two trials.
   */
  run(k: number): Promise<string>;
  /** What this worker did when (measuring only). */
  timings(): Promise<WorkerTimings>;
}

/** `loadCore` is called once, on warm or the first trial (never before: the API answers while the wasm loads). */
export function createTrialApi(loadCore: () => Promise<Core>): TrialApi {
  let core: Promise<Core> | undefined;
  let experiment: Experiment | undefined;
  let runner: TrialRunner | undefined;
  let base = '';
  const timings: WorkerTimings = { trials: [] };
  // One call at a time, in order (prepare, warm and run all await: without this, a run asked for
  // ahead would start in the middle of the one before it, on the same runner).
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(job: () => Promise<T>): Promise<T> => {
    const result = turn.then(job);
    turn = result.catch(() => undefined);
    return result;
  };
  const ready = async (): Promise<TrialRunner> => {
    if (!experiment) throw new Error('the worker has no experiment: call prepare first');
    if (!core) {
      const start = epochMs();
      core = loadCore().then((loaded) => { timings.core = [start, epochMs()]; return loaded; }, (error) => {
        core = undefined;
        throw error;
      });
    }
    runner ??= new TrialRunner(experiment, await core, { base });
    return runner;
  };
  return {
    prepare: (planText, specFiles, linkBase, unreadable = {}) => inTurn(async () => {
      const loaded = await loadExperiment(planText, {
        readSpecFile: (path) => {
          const text = specFiles[path];
          if (text === undefined) throw new Error(unreadable[path] ?? `no spec file "${path}" was given to the worker`);
          return text;
        },
      });
      if (!loaded.ok) return { ok: false, errors: loaded.errors.map(formatPlanError) };
      experiment = loaded.experiment;
      runner = undefined;
      base = linkBase;
      return { ok: true, trials: experiment.trialCount, plan: experiment.plan };
    }),
    warm: () => inTurn(async () => { await ready(); }),
    run: (k) => inTurn(async () => {
      const trials = await ready();
      const start = epochMs();
      const line = formatTrialLine(await trials.run(k));
      // The latest trials only (a long-lived worker keeps at most TIMINGS_KEPT_MAX).
      if (timings.trials.length >= TIMINGS_KEPT_MAX) timings.trials.splice(0, TIMINGS_KEPT_MAX / 2);
      timings.trials.push([k, start, epochMs()]);
      return line;
    }),
    async timings() {
      return timings;
    },
  };
}
