// The Evolve view's evaluator: the Experiments tab's trial workers (../trial.worker.ts, the same
// code as `agentos sweep`), each prepared with a batch's experiment plan, taking trial numbers
// from one queue; the lines come back in trial order. The loop itself (src/lab/evolve) runs in
// the evolve worker (evolve.worker.ts), which hands each batch to the page.
import * as Comlink from 'comlink';
import type { Evaluator } from '../../../lab/evolve/batch';
import type { TrialLine } from '../../../lab/trial';
import type { TrialApi } from '../trial-api';
import { takeTrials } from '../hold-next';

export type Spawn = (index: number) => Worker;
const spawnWorker: Spawn = (index) => new Worker(new URL('../trial.worker.ts', import.meta.url), { type: 'module', name: `agentos-evolve-${index}` });

export class WorkerPoolEvaluator implements Evaluator {
  readonly #workers: { thread: Worker; api: Comlink.Remote<TrialApi> }[] = [];
  #stopped = false;
  /** Trials finished since the pool started, or since adopt (progress). */
  trialsDone = 0;

  constructor(readonly size: number, readonly linkBase: string, public onTrial: () => void = () => {}, spawn: Spawn = spawnWorker) {
    for (let index = 0; index < size; index++) {
      const thread = spawn(index);
      this.#workers.push({ thread, api: Comlink.wrap<TrialApi>(thread) });
    }
  }

  async run(planText: string, trialCount: number): Promise<TrialLine[]> {
    return (await this.runText(planText, trialCount)).map((line) => JSON.parse(line) as TrialLine);
  }

  /** The lines as the workers wrote them (JSON text), in trial order. */
  async runText(planText: string, trialCount: number): Promise<string[]> {
    if (this.#stopped) throw new Error('the worker pool was stopped');
    const lines: string[] = new Array(trialCount);
    const workers = this.#workers.length;
    let next = 0;
    await Promise.all(this.#workers.map(async ({ api }) => {
      const prepared = await api.prepare(planText, {}, this.linkBase);
      if (!prepared.ok) throw new Error(`an evaluation could not be built: ${prepared.errors.slice(0, 3).join('; ')}`);
      const ask = (): Promise<void> | undefined => {
        if (next >= trialCount || this.#stopped) return undefined;
        const k = next++;
        return api.run(k).then((line) => {
          lines[k] = line;
          this.trialsDone++;
          this.onTrial();
        });
      };
      // As the Experiments pool: each worker holds its next trial while it runs one (../hold-next.ts).
      await takeTrials(ask, () => trialCount - next, workers);
    }));
    if (this.#stopped) throw new Error('the worker pool was stopped');
    return lines;
  }

  /** Whether stop was called (a stopped pool runs nothing). */
  get stopped(): boolean { return this.#stopped; }

  /** A warm pool taken by the next run: its progress counts from zero, reported to `onTrial`. */
  adopt(onTrial: () => void): this {
    this.onTrial = onTrial;
    this.trialsDone = 0;
    return this;
  }

  /** Terminates every worker at once (a trial in progress is dropped). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const worker of this.#workers) worker.thread.terminate();
  }
}
