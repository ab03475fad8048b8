// How a sweep starts its child processes: sweep-worker.ts bundled into one JavaScript file by
// esbuild (the bundler tsx itself runs on), so a child starts in node alone instead of compiling
// TypeScript through tsx module by module: about a quarter of the CPU time, which is what a
// second job had to earn back before it helped (measured: tsx start and imports 1.5 s CPU, the
// bundle 0.4 s, under load). The file goes to build/cli/ (two levels below the repository, like
// src/cli/, so the bundle finds build/core/*.wasm where src/core/node.ts looks) under a name of
// its own, and is removed when the sweep ends. Bundled fresh for every sweep: it can never be
// older than the sources. Without esbuild (or a writable build/) the child runs through tsx.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface WorkerEntry {
  /** The file to fork and node's arguments for it. */
  readonly path: string;
  readonly execArgv: readonly string[];
  /** Removes the bundle (idempotent). */
  dispose(): void;
}

let bundles = 0;

export async function sweepWorkerEntry(): Promise<WorkerEntry> {
  const source = fileURLToPath(new URL('./sweep-worker.ts', import.meta.url));
  const viaTsx: WorkerEntry = { path: source, execArgv: ['--import', import.meta.resolve('tsx')], dispose() {} };
  try {
    return await bundled(source);
  } catch {
    return viaTsx; // no esbuild, or build/ not writable: the child compiles through tsx
  }
}

async function bundled(source: string): Promise<WorkerEntry> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [source], bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'silent',
    // Bundled CommonJS dependencies call require(): give the ES module one.
    banner: { js: "import { createRequire as agentosCreateRequire } from 'node:module'; const require = agentosCreateRequire(import.meta.url);" },
  });
  const directory = fileURLToPath(new URL('../../build/cli/', import.meta.url));
  const path = `${directory}sweep-worker.${process.pid}.${++bundles}.mjs`;
  mkdirSync(directory, { recursive: true });
  writeFileSync(path, result.outputFiles[0].contents);
  return { path, execArgv: [], dispose: () => rmSync(path, { force: true }) };
}
