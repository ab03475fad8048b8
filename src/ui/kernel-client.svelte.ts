// The only code on the main thread that talks to the kernel worker. Components read its reactive
// fields and call its methods; they never see the worker or Comlink.
import * as Comlink from 'comlink';
import type { CoreInfo, KernelApi, KernelStatus, SpecProblem } from '../worker/api';

export type ClientPhase = 'starting' | 'ready' | 'failed';

/** How long the worker and the wasm core get to answer before the UI says they did not. */
export const BOOT_TIMEOUT_MS = 15_000;

export type WorkerFactory = () => Worker;

const createKernelWorker: WorkerFactory = () =>
  new Worker(new URL('../worker/kernel.worker.ts', import.meta.url), { type: 'module', name: 'agentos-kernel' });

export class KernelClient {
  phase = $state<ClientPhase>('starting');
  core = $state.raw<CoreInfo | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  /** The session's position, as the worker last reported it. */
  status = $state.raw<KernelStatus | undefined>(undefined);
  specProblems = $state.raw<SpecProblem[]>([]);
  busy = $state(false);

  #worker: Worker | undefined;
  #api: Comlink.Remote<KernelApi> | undefined;

  constructor(private readonly createWorker: WorkerFactory = createKernelWorker) {}

  /** Starts the worker and boots the core; resolves when the status is ready or failed. */
  async start(): Promise<void> {
    this.dispose();
    this.phase = 'starting';
    this.error = undefined;
    let worker: Worker;
    try {
      worker = this.createWorker();
    } catch (error) {
      return this.#fail(`The kernel worker could not be created: ${messageOf(error)}`);
    }
    this.#worker = worker;
    this.#api = Comlink.wrap<KernelApi>(worker);
    const workerFailed = new Promise<never>((_, reject) => {
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        reject(new Error(event.message || 'the worker script failed to load'));
      });
    });
    try {
      this.core = await withTimeout(Promise.race([this.#api.boot(), workerFailed]), BOOT_TIMEOUT_MS);
      this.phase = 'ready';
    } catch (error) {
      this.#fail(`The kernel did not start: ${messageOf(error)}`);
    }
  }

  /** Loads the spec into the kernel and runs it until it stops (or `events` events). */
  async loadAndRun(specText: string, events?: number): Promise<void> {
    const api = this.#api;
    if (!api || this.phase !== 'ready') return;
    this.busy = true;
    try {
      const loaded = await api.load(specText);
      if (!loaded.ok) {
        this.specProblems = loaded.errors;
        return;
      }
      this.specProblems = [];
      this.status = await api.status();
      this.status = await api.run({ events });
    } catch (error) {
      this.error = `The kernel failed: ${messageOf(error)}`;
    } finally {
      this.busy = false;
    }
  }

  async cancel(): Promise<void> {
    await this.#api?.cancel();
  }

  dispose(): void {
    this.#api?.[Comlink.releaseProxy]();
    this.#worker?.terminate();
    this.#api = undefined;
    this.#worker = undefined;
  }

  #fail(message: string): void {
    this.phase = 'failed';
    this.error = message;
    this.core = undefined;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error) => { clearTimeout(timer); reject(error); },
    );
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
