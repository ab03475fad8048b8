// Running one trial headless: its configuration's spec with its seed on a kernel, to the plan's
// stop; the metrics evaluated at the stop point; one line of JSON with a stable key order and a
// link that replays to the same stateHash. The same in the browser's workers and the CLI.
import type { Core } from '../core/core';
import { compileExpression, type Compiled } from '../expr/index';
import { Kernel } from '../kernel/kernel';
import { exprContext } from '../kernel/spec-checks';
import { encodeSessionLink } from '../share/link';
import { trialAt, type Experiment } from './experiment';
import { STOP_EVENTS_MAX } from './limits';
import type { PlanValue } from './plan';
import { economyOf, type TrialEconomy } from './economy';

/** One finished trial, as one JSON line (design.md, Experiments). Keys in this order. */
export interface TrialLine {
  trial: number;
  variant: string;
  params: Record<string, PlanValue>;
  seed: number;
  events: number;
  ticks: number;
  stateHash: string;
  /** Each metric's value at the stop point, in the plan's order (a condition counts as 1 or 0). */
  metrics: Record<string, number>;
  /** Bids, grants, credits paid and RESOURCE_DENIED denials (src/lab/economy.ts); only when the spec has resources. */
  economy?: TrialEconomy;
  /** Opens the trial at its stop point; replays to `stateHash`. */
  link: string;
}

export const LINK_BASE_DEFAULT = 'http://localhost:4173/';

export interface RunOptions {
  /** The app's address the links start with (default http://localhost:4173/, what `npm start` serves). */
  base?: string;
}

/**
 * A trial run in slices: `every` events at a time, each run then hashed into the link's Merkle
 * root, `pause` awaited between two (so a process that runs trials itself can answer its
 * children's messages while one runs). The line is the same as run in one go: a stop on the
 * event count leaves the kernel exactly where it was, and the root is a function of the events.
 */
export interface Slices {
  every: number;
  pause: () => Promise<void>;
}

/**
 * Runs trials of one experiment on one core, one after another (a kernel at a time: the core is
 * reused). Metrics are compiled once per configuration.
 */
export class TrialRunner {
  readonly #compiled = new Map<number, Compiled[]>();

  constructor(readonly experiment: Experiment, readonly core: Core, readonly options: RunOptions = {}) {}

  /** Runs trial `k` (0-based) to the plan's stop and returns its line; in `slices` when given. */
  async run(k: number, slices?: Slices): Promise<TrialLine> {
    const trial = trialAt(this.experiment, k);
    const configuration = this.experiment.configurations[trial.configuration];
    const kernel = Kernel.fromText(configuration.specText, this.core, { seed: trial.seed });
    const { stop } = this.experiment.plan;
    const events = stop.events ?? (stop.ticks === undefined ? STOP_EVENTS_MAX : undefined);
    if (!slices) kernel.run({ events, ticks: stop.ticks });
    else {
      const every = Math.max(1, Math.floor(slices.every));
      const target = events ?? Infinity;
      for (;;) {
        const stopped = kernel.run({ events: Math.min(target, kernel.cursor + every), ticks: stop.ticks });
        // The link's Merkle root hashes every event (as long as the run itself): a slice at a time too.
        kernel.audit.catchUp(kernel.machine.journal, kernel.cursor, () => false);
        if (stopped !== 'events' || kernel.cursor >= target) break;
        await slices.pause();
      }
    }
    const view = kernel.exprView;
    const metrics: Record<string, number> = {};
    this.metricsOf(trial.configuration).forEach((compiled, index) => {
      const value = compiled.evaluate(view);
      metrics[this.experiment.plan.metrics[index].name] = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
    });
    const economy = economyOf(kernel);
    const link = await encodeSessionLink(kernel.toSession(), this.options.base ?? LINK_BASE_DEFAULT);
    return {
      trial: trial.trial,
      variant: trial.variant,
      params: { ...trial.params },
      seed: trial.seed,
      events: kernel.cursor,
      ticks: kernel.tick,
      stateHash: kernel.stateHash(),
      metrics,
      ...(economy ? { economy } : {}),
      link,
    };
  }

  private metricsOf(configuration: number): Compiled[] {
    let compiled = this.#compiled.get(configuration);
    if (!compiled) {
      const spec = this.experiment.configurations[configuration].spec;
      compiled = this.experiment.plan.metrics.map((metric) => compileExpression(metric.expr, exprContext(spec), 'value'));
      this.#compiled.set(configuration, compiled);
    }
    return compiled;
  }
}

/** The line as text (no newline): keys always in the TrialLine order, whatever object it was built from. */
export function formatTrialLine(line: TrialLine): string {
  return JSON.stringify({
    trial: line.trial, variant: line.variant, params: line.params, seed: line.seed, events: line.events,
    ticks: line.ticks, stateHash: line.stateHash, metrics: line.metrics, ...(line.economy ? { economy: line.economy } : {}), link: line.link,
  });
}
