// The worker's entry: the only file that knows about postMessage. It exposes the API first and
// loads the wasm core lazily on the first call, so a message sent while the wasm is still
// loading is never lost (a handler registered after a top-level await would miss it).
import * as Comlink from 'comlink';
import type { Core } from '../core/core';
import { loadCoreInBrowser } from '../core/browser';
import { Kernel } from '../kernel/kernel';
import { parseSpec } from '../spec/index';
import { engineVersion } from '../kernel/version';
import type { CoreInfo, KernelApi, KernelStatus, LoadResult, RunRequest } from './api';

const PROBE_SEED = 1;
const PROBE_DRAWS = 3;
/** Wall time one slice of a run may take before the worker answers other calls. */
const SLICE_MS = 16;

let corePromise: Promise<Core> | undefined;
function core(): Promise<Core> {
  // A failed load is not cached: the next call tries again (e.g. after coming back online).
  corePromise ??= loadCoreInBrowser().catch((error) => {
    corePromise = undefined;
    throw error;
  });
  return corePromise;
}

let kernel: Kernel | undefined;
let stopped: KernelStatus['stopped'] = 'idle';
let cancelRequested = false;

const yieldToMessages = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function status(): KernelStatus {
  if (!kernel) return { loaded: false, name: '', cursor: 0, events: 0, tick: 0, stateHash: '', stopped, journalEventsMax: 0 };
  return {
    loaded: true,
    name: kernel.spec.name,
    cursor: kernel.cursor,
    events: kernel.machine.journal.length,
    tick: kernel.tick,
    stateHash: kernel.stateHash(),
    stopped,
    journalEventsMax: kernel.machine.journal.eventsMax,
  };
}

const api: KernelApi = {
  async boot(): Promise<CoreInfo> {
    const loaded = await core();
    loaded.prng.seed(PROBE_SEED);
    const probe = Array.from(loaded.prng.fill(PROBE_DRAWS));
    return {
      coreVersion: loaded.version,
      engine: engineVersion(loaded.version),
      assertionsEnabled: loaded.assertionsEnabled,
      prngProbe: probe,
    };
  },
  ping: (nonce) => nonce,
  async load(specText: string): Promise<LoadResult> {
    const result = parseSpec(specText);
    if (!result.ok) return { ok: false, errors: result.errors.map((e) => ({ path: e.path, line: e.line, column: e.column, message: e.message })) };
    kernel = new Kernel(result.spec, await core(), { specText });
    stopped = 'idle';
    return { ok: true, name: result.spec.name, processes: result.spec.processCount, nodes: result.spec.cluster.nodeCount };
  },
  async run(request: RunRequest): Promise<KernelStatus> {
    if (!kernel) throw new Error('load a spec before running it');
    cancelRequested = false;
    stopped = 'running';
    const target = Math.min(request.events ?? Infinity, kernel.machine.journal.eventsMax);
    for (;;) {
      const sliceEnd = performance.now() + SLICE_MS;
      const outcome = kernel.machine.run({ events: target, ticks: request.ticks, deadline: () => performance.now() > sliceEnd });
      if (outcome !== 'events' || kernel.cursor >= target) {
        stopped = outcome;
        break;
      }
      await yieldToMessages();
      if (cancelRequested) {
        stopped = 'cancelled';
        break;
      }
    }
    return status();
  },
  cancel() {
    cancelRequested = true;
  },
  async seek(seq: number): Promise<KernelStatus> {
    if (!kernel) throw new Error('load a spec before seeking');
    kernel.seek(seq);
    return status();
  },
  status,
};

Comlink.expose(api);
