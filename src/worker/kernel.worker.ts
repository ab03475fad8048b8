// The worker's entry: the only file that knows about postMessage. It exposes the API first and
// loads the wasm core lazily on the first call, so a message sent while the wasm is still
// loading is never lost (a handler registered after a top-level await would miss it).
import * as Comlink from 'comlink';
import type { Core } from '../core/core';
import { loadCoreInBrowser } from '../core/browser';
import type { CoreInfo, KernelApi } from './api';

const PROBE_SEED = 1;
const PROBE_DRAWS = 3;

let corePromise: Promise<Core> | undefined;
function core(): Promise<Core> {
  // A failed load is not cached: the next call tries again (e.g. after coming back online).
  corePromise ??= loadCoreInBrowser().catch((error) => {
    corePromise = undefined;
    throw error;
  });
  return corePromise;
}

const api: KernelApi = {
  async boot(): Promise<CoreInfo> {
    const loaded = await core();
    loaded.prng.seed(PROBE_SEED);
    return {
      coreVersion: loaded.version,
      assertionsEnabled: loaded.assertionsEnabled,
      prngProbe: Array.from(loaded.prng.fill(PROBE_DRAWS)),
    };
  },
  ping: (nonce) => nonce,
};

Comlink.expose(api);
