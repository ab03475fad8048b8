// Reading a plan file for `sweep` and `evolve` (and their child processes): the file, a spec file
// it names read beside it, every problem in one SweepError. Its own module, so the bundled sweep
// worker (worker-bundle.ts) holds the plan's code and not the parent's (the pool, esbuild).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatPlanError, loadExperiment, type Experiment, type PlanError } from '../lab/index';
import type { LoadOptions } from '../lab/experiment';

export class SweepError extends Error {}

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
