// Loads the release core in the browser (the worker). Vite fingerprints the .wasm and the
// service worker precaches it, so this works offline.
import wasmUrl from '../../build/core/release.wasm?url';
import { instantiateCore, type Core } from './core';

export function loadCoreInBrowser(): Promise<Core> {
  return instantiateCore(fetch(wasmUrl));
}
