// An evolve run in the browser: the loop (src/lab/evolve) in the evolve worker (evolve.worker.ts),
// its trials on a pool of trial workers (pool.ts), the hall of fame saved in IndexedDB after every
// generation (store.ts) and shown as it grows. The page reads only the plan's own YAML (to fetch
// the spec file it names) and files what arrives. One run per page: it goes on while another tab
// is shown. Cancel terminates the workers at once; the generations done stay in the hall. The
// trial workers outlive a run (their core loaded, their code warm): the next run of as many
// workers takes them, and a cancel readies fresh ones at once, as the Experiments pool does.
import * as Comlink from 'comlink';
import { readEvolvePlan } from '../../../lab/evolve/plan';
import { formatPlanError } from '../../../lab/plan';
import type { Hall } from '../../../lab/evolve/loop';
import { textHash } from '../../../kernel/hash';
import type { HallStore, StoredHall } from './store';
import { WorkerPoolEvaluator, type Spawn } from './pool';
import { poolWorkers } from '../sweep.svelte';
import type { EvolveCallbacks, EvolveOutcome, EvolveRequest } from './evolve-api';

export type EvolvePhase = 'idle' | 'preparing' | 'running' | 'stopped' | 'done' | 'failed';

export interface EvolveInput {
  readonly planText: string;
  /** Generations to run (default: the plan's). */
  readonly generations?: number;
  readonly workers: number;
  readonly readSpecFile: (path: string) => Promise<string>;
  readonly linkBase: string;
}

type EvolveWorkerApi = { run(request: EvolveRequest, callbacks: EvolveCallbacks): Promise<EvolveOutcome> };
const spawnEvolveWorker = () => new Worker(new URL('./evolve.worker.ts', import.meta.url), { type: 'module', name: 'agentos-evolve' });
export type SpawnLoop = () => Worker;

export class EvolveRun {
  phase = $state<EvolvePhase>('idle');
  errors = $state<string[]>([]);
  hall = $state.raw<Hall | undefined>(undefined);
  /** The hall as the CLI writes it (what Export JSON saves). */
  hallText = $state('');
  generations = $state(0);
  /** Trials run by this page's pool so far (pairs seen before are not run again). */
  trials = $state(0);
  workers = $state(0);
  /** What the loop is doing: "generation 2 of 4: evaluating the pool against the suite". */
  activity = $state('');

  #store: HallStore | undefined;
  #spawn: Spawn | undefined;
  #spawnLoop: SpawnLoop;
  #pool: WorkerPoolEvaluator | undefined;
  /** Trial workers between runs, ready for the next one. */
  #warm: WorkerPoolEvaluator | undefined;
  #loop: Worker | undefined;
  #run = 0;
  #onCancel: (() => void) | undefined;

  constructor(options: { store?: HallStore; spawn?: Spawn; spawnLoop?: SpawnLoop } = {}) {
    this.#store = options.store;
    this.#spawn = options.spawn;
    this.#spawnLoop = options.spawnLoop ?? spawnEvolveWorker;
  }

  /** The warm pool if it has `size` workers, else a new one (the warm one, of another size, stopped). */
  #takePool(size: number, linkBase: string, onTrial: () => void): WorkerPoolEvaluator {
    const warm = this.#warm;
    this.#warm = undefined;
    if (warm && !warm.stopped && warm.size === size && warm.linkBase === linkBase) return warm.adopt(onTrial);
    warm?.stop();
    return new WorkerPoolEvaluator(size, linkBase, onTrial, this.#spawn);
  }

  set store(store: HallStore | undefined) { this.#store = store; }

  /** The hall saved most recently in this browser, shown again after a reload. */
  async restore(): Promise<StoredHall | undefined> {
    const latest = await this.#store?.latest().catch(() => undefined);
    if (!latest || this.phase === 'running' || this.phase === 'preparing') return latest;
    try {
      this.hall = JSON.parse(latest.hallText) as Hall;
      this.hallText = latest.hallText;
      this.generations = latest.generations;
      this.phase = latest.done === latest.generations ? 'done' : 'stopped';
    } catch {
      this.hall = undefined;
    }
    return latest;
  }

  /** Runs the plan on `workers` trial workers. Resolves when done, cancelled or failed. */
  async run(input: EvolveInput): Promise<void> {
    if (this.phase === 'running' || this.phase === 'preparing') return;
    const run = ++this.#run;
    this.phase = 'preparing';
    this.errors = [];
    this.activity = 'reading the plan';
    const read = readEvolvePlan(input.planText);
    if (!read.ok) return this.#fail(read.errors.map(formatPlanError));
    const specFiles: Record<string, string> = {};
    const unreadable: Record<string, string> = {};
    if (read.plan.spec.kind === 'path') {
      try {
        specFiles[read.plan.spec.path] = await input.readSpecFile(read.plan.spec.path);
      } catch (error) {
        unreadable[read.plan.spec.path] = error instanceof Error ? error.message : String(error);
      }
    }
    if (run !== this.#run) return;
    this.hall = undefined;
    this.hallText = '';
    this.trials = 0;
    this.generations = input.generations ?? read.plan.generations;
    const pool = this.#takePool(poolWorkers(input.workers), input.linkBase, () => { if (run === this.#run) this.trials = pool.trialsDone; });
    const loop = this.#spawnLoop();
    this.#pool = pool;
    this.#loop = loop;
    this.workers = pool.size;
    this.phase = 'running';
    let id = '';
    let name = '';
    const callbacks: EvolveCallbacks = {
      evaluate: (planText, trialCount) => pool.runText(planText, trialCount),
      started: (planName, generations) => {
        name = planName;
        this.generations = generations;
        id = textHash(`${input.planText}\u0000${generations}`);
      },
      progress: (progress) => {
        if (run !== this.#run) return;
        const what = progress.phase === 'evaluate' ? 'evaluating the pool against the suite' : progress.phase === 'forge' ? 'forging red tests against the champion' : 'every champion against the final suite';
        this.activity = `generation ${progress.generation + 1} of ${progress.generations}: ${what}`;
      },
      generation: async (hallText, done) => {
        if (run !== this.#run) return;
        this.hall = JSON.parse(hallText) as Hall;
        this.hallText = hallText;
        await this.#store?.save({ id, name, planText: input.planText, generations: this.generations, hallText, done, savedAtMs: Date.now() }).catch(() => undefined);
      },
    };
    const cancelled = new Promise<undefined>((resolve) => (this.#onCancel = () => resolve(undefined)));
    try {
      const api = Comlink.wrap<EvolveWorkerApi>(loop);
      const outcome = await Promise.race([api.run({ planText: input.planText, specFiles, unreadable, generations: input.generations }, Comlink.proxy(callbacks)), cancelled]);
      if (run !== this.#run || outcome === undefined) return;
      if (!outcome.ok) return this.#fail(outcome.errors);
      this.hallText = outcome.hallText;
      this.hall = JSON.parse(outcome.hallText) as Hall;
      this.phase = 'done';
      this.activity = '';
      // Every trial came back: the workers are idle and stay for the next run.
      if (!pool.stopped) { this.#warm?.stop(); this.#warm = pool.adopt(() => {}); }
    } catch (error) {
      if (run !== this.#run) return;
      this.#fail([`The evolution failed: ${error instanceof Error ? error.message : String(error)}`]);
    } finally {
      if (this.#warm !== pool) pool.stop();
      loop.terminate();
      if (run === this.#run) { this.#pool = undefined; this.#loop = undefined; this.workers = 0; }
    }
  }

  cancel(): void {
    if (this.phase !== 'running' && this.phase !== 'preparing') return;
    this.#run++;
    this.#onCancel?.();
    const cancelled = this.#pool;
    cancelled?.stop(); // a worker in the middle of a trial can only be terminated
    // Fresh workers of the same size, ready for the next run before it is asked for.
    if (cancelled) { this.#warm?.stop(); this.#warm = new WorkerPoolEvaluator(cancelled.size, cancelled.linkBase, () => {}, this.#spawn); }
    this.#loop?.terminate();
    this.#pool = undefined;
    this.#loop = undefined;
    this.workers = 0;
    this.phase = 'stopped';
    this.activity = '';
  }

  #fail(errors: string[]): void {
    this.errors = errors;
    this.phase = 'failed';
    this.activity = '';
  }
}
