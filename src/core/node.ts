// Loads the compiled core from build/core/ in Node (tests, benchmarks, the CLI). The browser
// uses browser.ts instead, so no fs import reaches the bundle.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { instantiateCore, type Core } from './core';
import { CoreLoadError } from './errors';

export type CoreBuild = 'release' | 'debug';

export function coreWasmPath(build: CoreBuild): string {
  return fileURLToPath(new URL(`../../build/core/${build}.wasm`, import.meta.url));
}

export async function loadCoreFromDisk(build: CoreBuild = 'release'): Promise<Core> {
  const path = coreWasmPath(build);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CoreLoadError(`the wasm core is not built (${path}); run: npm run build:core`, { cause: error });
  }
  return instantiateCore(new Uint8Array(bytes));
}
