// What one worker of the experiment pool does, apart from being a worker (trial.worker.ts exposes
// it; tests call it over a MessageChannel with a Node core): read the plan with the spec files it
// is given, then run trials by number with the same code as `agentos sweep`.
import type { Core } from '../../core/core';
import { loadExperiment, type Experiment } from '../../lab/experiment';
import { formatPlanError } from '../../lab/plan';
import { formatTrialLine, TrialRunner } from '../../lab/trial';

import type { Plan } from '../../lab/plan';

export type Prepared = { ok: true; trials: number; plan: Plan } | { ok: false; errors: string[] };

export interface TrialApi {
  /**
   * Reads the plan with the spec files the page already read (a worker reads no file of its own,
   * so every worker runs exactly the same configurations). Returns the trial count, or errors.
   */
  prepare(planText: string, specFiles: Record<string, string>, linkBase: string, unreadable?: Record<string, string>): Promise<Prepared>;
  /** Runs trial k (0-based) and returns its line (JSON text, as `agentos sweep` writes it). */
  run(k: number): Promise<string>;
}

/** `loadCore` is called once, on the first trial (never before: the API answers while the wasm loads). */
export function createTrialApi(loadCore: () => Promise<Core>): TrialApi {
  let core: Promise<Core> | undefined;
  let experiment: Experiment | undefined;
  let runner: TrialRunner | undefined;
  let base = '';
  return {
    async prepare(planText, specFiles, linkBase, unreadable = {}) {
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
    },
    async run(k) {
      if (!experiment) throw new Error('the worker has no experiment: call prepare first');
      core ??= loadCore().catch((error) => {
        core = undefined;
        throw error;
      });
      runner ??= new TrialRunner(experiment, await core, { base });
      return formatTrialLine(await runner.run(k));
    },
  };
}
