// `agentos evolve <plan.yaml> [--generations N] [--jobs N] [--out hall.json] [--base URL]`: runs an
// evolve plan (src/lab/evolve) and writes its hall of fame (JSON). Each evaluation batch is an
// experiment plan; with --jobs N this process and N − 1 child processes (evolve-worker.ts) run its
// trials, each taking the next from one queue. The hall depends only on the plan, the seed and
// the generations: --jobs never changes a byte of it. Progress goes to stderr.
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { Core } from '../core/core';
import { formatPlanError } from '../lab/plan';
import { formatTrialLine, LINK_BASE_DEFAULT, type TrialLine } from '../lab/trial';
import { formatHall, loadEvolution, localEvaluator, runEvolution, GENERATIONS_MAX, type Evaluator, type Evolution } from '../lab/evolve/index';
import { loadExperiment } from '../lab/experiment';
import { TrialRunner } from '../lab/trial';
import { loadPlanFileWith, SweepError } from './sweep';
import { workerEntry, type WorkerEntry } from './worker-bundle';

export interface EvolveCliOptions {
  planPath: string;
  generations?: number;
  jobs: number;
  out?: string;
  base?: string;
  quiet?: boolean;
}

/** Messages between `evolve` and its children. */
export type ToEvolveChild = { prepare: string; batch: number } | { run: number; batch: number } | { stop: true };
export type FromEvolveChild = { ready: true } | { prepared: number } | { trial: number; batch: number; line: string } | { error: string };

export function parseGenerations(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1 || value > GENERATIONS_MAX) throw new SweepError(`--generations expects a whole number from 1 to ${GENERATIONS_MAX}, got "${text}"`);
  return value;
}

export async function loadEvolvePlanFile(planPath: string): Promise<Evolution> {
  return (await loadPlanFileWith(planPath, 'evolve plan', loadEvolution)).evolution;
}

/** Runs the evolution; resolves with the hall's text (also written to --out, or stdout). */
export async function evolve(options: EvolveCliOptions, loadCore: () => Promise<Core>): Promise<string> {
  const evolution = await loadEvolvePlanFile(options.planPath);
  const base = options.base ?? LINK_BASE_DEFAULT;
  const core = await loadCore();
  const pool = options.jobs > 1 ? new ChildPool(await workerEntry('evolve-worker'), options.jobs - 1, core, base) : undefined;
  const generations = options.generations ?? evolution.plan.generations;
  const started = performance.now();
  const say = (text: string) => { if (!options.quiet) process.stderr.write(`evolve: ${text}\n`); };
  say(`${evolution.plan.name}: ${generations} generation${generations === 1 ? '' : 's'} on ${options.jobs} job${options.jobs === 1 ? '' : 's'}`);
  try {
    const hall = await runEvolution(evolution, {
      generations,
      evaluator: pool ?? localEvaluator(core, base),
      onGeneration: (entry) => say(`generation ${entry.generation + 1}/${generations}: champion ${entry.champion.id} scores ${entry.champion.score} (passes ${entry.champion.passed} of ${entry.champion.tests} tests); suite difficulty ${entry.suite.difficulty}‰; ${entry.forge.effective} of ${entry.forge.candidates} forged tests defeat it · ${((performance.now() - started) / 1000).toFixed(1)} s`),
    });
    const text = formatHall(hall);
    if (options.out) writeFileSync(options.out, text);
    else process.stdout.write(text);
    return text;
  } finally {
    await pool?.close();
  }
}

/**
 * Runs a batch's trials on this process and `count` children: every child prepares the batch's
 * plan, then all take trial numbers from one queue; lines come back in trial order.
 */
class ChildPool implements Evaluator {
  readonly #children: { process: ChildProcess; exited: Promise<void> }[] = [];
  #batch = 0;
  #failure: ((error: Error) => void) | undefined;
  #listeners = new Map<ChildProcess, (message: FromEvolveChild) => void>();

  constructor(entry: WorkerEntry, count: number, readonly core: Core, readonly base: string) {
    for (let index = 0; index < count; index++) {
      const child = fork(entry.path, [base], { execArgv: [...entry.execArgv], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.on('message', (message: FromEvolveChild) => {
        if ('error' in message) this.#failure?.(new SweepError(`job ${index + 2}: ${message.error}`));
        else this.#listeners.get(child)?.(message);
      });
      child.on('exit', (code, signal) => { if (this.#listeners.has(child)) this.#failure?.(new SweepError(`job ${index + 2} stopped (${signal ?? `exit code ${code}`})`)); });
      this.#children.push({ process: child, exited });
    }
  }

  async run(planText: string, trialCount: number): Promise<TrialLine[]> {
    const batch = ++this.#batch;
    const loaded = await loadExperiment(planText);
    if (!loaded.ok) throw new Error(`an evaluation could not be built: ${loaded.errors.slice(0, 3).map(formatPlanError).join('; ')}`);
    const runner = new TrialRunner(loaded.experiment, this.core, { base: this.base });
    const lines: (string | undefined)[] = new Array(trialCount);
    let next = 0, remaining = trialCount;
    return new Promise<TrialLine[]>((resolveAll, reject) => {
      let over = false;
      const finish = (error?: Error) => {
        if (over) return;
        over = true;
        this.#failure = undefined;
        this.#listeners.clear();
        if (error) reject(error);
        else resolveAll(lines.map((line) => JSON.parse(line!) as TrialLine));
      };
      this.#failure = finish;
      const done = (k: number, line: string) => {
        lines[k] = line;
        if (--remaining === 0) finish();
      };
      for (const { process: child } of this.#children) {
        this.#listeners.set(child, (message) => {
          if (over) return;
          if ('trial' in message && message.batch === batch) done(message.trial, message.line);
          if (('prepared' in message && message.prepared === batch) || ('trial' in message && message.batch === batch)) {
            if (next < trialCount) child.send({ run: next++, batch } satisfies ToEvolveChild);
          }
        });
        child.send({ prepare: planText, batch } satisfies ToEvolveChild);
      }
      // This process's own share, a trial at a time, letting the children's messages in between.
      void (async () => {
        try {
          while (next < trialCount && !over) {
            const k = next++;
            done(k, formatTrialLine(await runner.run(k)));
            await new Promise((step) => setImmediate(step));
          }
        } catch (error) {
          finish(error instanceof Error ? error : new Error(String(error)));
        }
      })();
    });
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    for (const { process: child } of this.#children) if (child.connected) child.send({ stop: true } satisfies ToEvolveChild);
    await Promise.all(this.#children.map((child) => child.exited));
  }
}
