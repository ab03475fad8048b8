// What the evolve worker does (evolve.worker.ts exposes it; tests may call it directly): read an
// evolve plan with the spec files the page read, run the loop (src/lab/evolve), and hand each
// batch's experiment plan back to the page, whose worker pool runs its trials. The loop and what
// it needs (the spec parser, the expression language) live in this worker, never on the page.
import { formatPlanError } from '../../../lab/plan';
import { loadEvolution } from '../../../lab/evolve/load';
import { formatHall, runEvolution, type EvolveProgress } from '../../../lab/evolve/loop';
import { GENERATIONS_MAX } from '../../../lab/evolve/limits';
import type { TrialLine } from '../../../lab/trial';

export interface EvolveRequest {
  readonly planText: string;
  readonly specFiles: Readonly<Record<string, string>>;
  /** Why a named spec file could not be read, by name. */
  readonly unreadable: Readonly<Record<string, string>>;
  /** Generations to run (undefined: the plan's). */
  readonly generations: number | undefined;
}

export interface EvolveCallbacks {
  /** Runs a batch's trials (an experiment plan's text) and resolves with their lines (JSON text) in trial order. */
  evaluate(planText: string, trialCount: number): Promise<string[]>;
  /** Called once the plan is read: its name and the generations the run will have. */
  started(name: string, generations: number): void;
  progress(progress: EvolveProgress): void;
  /** After every generation: the hall so far, as the CLI writes it. */
  generation(hallText: string, done: number): Promise<void> | void;
}

export type EvolveOutcome = { ok: true; hallText: string } | { ok: false; errors: string[] };

export async function runEvolveRequest(request: EvolveRequest, callbacks: EvolveCallbacks): Promise<EvolveOutcome> {
  const loaded = await loadEvolution(request.planText, {
    readSpecFile: (path) => {
      const text = request.specFiles[path];
      if (text === undefined) throw new Error(request.unreadable[path] ?? `no spec file "${path}" was read`);
      return text;
    },
  });
  if (!loaded.ok) return { ok: false, errors: loaded.errors.map(formatPlanError) };
  const generations = request.generations ?? loaded.evolution.plan.generations;
  if (!Number.isSafeInteger(generations) || generations < 1 || generations > GENERATIONS_MAX) return { ok: false, errors: [`Generations: expected a whole number from 1 to ${GENERATIONS_MAX}`] };
  callbacks.started(loaded.evolution.plan.name, generations);
  const hall = await runEvolution(loaded.evolution, {
    generations,
    evaluator: { run: async (planText, trialCount) => (await callbacks.evaluate(planText, trialCount)).map((line) => JSON.parse(line) as TrialLine) },
    onProgress: (progress) => callbacks.progress(progress),
    onGeneration: async (_entry, hallSoFar) => callbacks.generation(formatHall(hallSoFar), hallSoFar.entries.length),
  });
  return { ok: true, hallText: formatHall(hall) };
}
