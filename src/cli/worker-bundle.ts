// How `sweep --jobs N` and `evolve --jobs N` start their child processes: the child's module
// (sweep-worker.ts, evolve-worker.ts) bundled into one JavaScript file by esbuild (the bundler tsx
// itself runs on), so a child starts in node alone instead of compiling TypeScript through tsx
// module by module (measured: tsx start and imports 1.5 s CPU, the bundle 0.3 s).
//
// The bundle is kept in build/cli/ (two levels below the repository, like src/cli/, so it finds
// build/core/*.wasm where src/core/node.ts looks) beside a manifest of every file that went into it
// (path, size, modification time, from esbuild's metafile). The next sweep reuses it when every one
// of those files is unchanged, and bundles afresh otherwise, so it is never older than the sources;
// bundling costs about 0.3 s of CPU and a second of wall time on a busy machine, which a short
// sweep's second job had to earn back. A new bundle is written under a temporary name and renamed
// into place, so concurrent sweeps never read half a file. Without esbuild (or a writable build/)
// the child runs through tsx.
//
// Packages stay outside the bundle (esbuild's `packages: 'external'`): the child imports them from
// node_modules as the modules they are. Bundled, each package's top-level `const` became a `var`
// of the bundle, and V8 folds only the former into optimized code: SHA-256's round constants and
// message schedule (the journal's Merkle hashing, the hottest code of a trial) were loaded and
// bounds-checked at every use, 3.0 s of a child's CPU where the same trials through tsx spent 1.95 s.
// Fifteen trials of the sweep bench's plan, the child's CPU, four runs each, alternated:
// 6.33-6.72 s bundled whole, 5.23-5.35 s with packages outside (and 5.9-6.1 s through tsx,
// 1 s of it start-up).
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface WorkerEntry {
  /** The file to fork and node's arguments for it. */
  readonly path: string;
  readonly execArgv: readonly string[];
  /** True when an earlier bundle was reused. */
  readonly cached: boolean;
}

export type WorkerName = 'sweep-worker' | 'evolve-worker';

/** What a manifest records of each input: its path relative to the working directory esbuild used, size and mtime. */
interface Manifest {
  /** 2: packages outside the bundle (a version-1 bundle holds them, and is made again). */
  readonly version: 2;
  readonly cwd: string;
  readonly inputs: readonly (readonly [path: string, size: number, mtimeMs: number])[];
}

let written = 0;

/** The entry to fork for `name`'s child processes: a fresh or reused bundle, or the TypeScript through tsx. */
export async function workerEntry(name: WorkerName): Promise<WorkerEntry> {
  const source = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  try {
    return await bundled(name, source);
  } catch {
    // no esbuild, or build/ not writable: the child compiles through tsx
    return { path: source, execArgv: ['--import', import.meta.resolve('tsx')], cached: false };
  }
}

async function bundled(name: WorkerName, source: string): Promise<WorkerEntry> {
  const directory = fileURLToPath(new URL('../../build/cli/', import.meta.url));
  const path = `${directory}${name}.mjs`;
  const manifestPath = `${directory}${name}.inputs.json`;
  if (unchanged(manifestPath, path)) return { path, execArgv: [], cached: true };

  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [source], bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'silent', metafile: true,
  });
  const cwd = process.cwd();
  const manifest: Manifest = {
    version: 2,
    cwd,
    inputs: Object.keys(result.metafile.inputs).sort().map((input) => {
      const stat = statSync(resolveInput(cwd, input));
      return [input, stat.size, stat.mtimeMs] as const;
    }),
  };
  mkdirSync(directory, { recursive: true });
  const suffix = `.${process.pid}.${++written}.tmp`;
  writeFileSync(path + suffix, result.outputFiles[0].contents);
  renameSync(path + suffix, path);
  writeFileSync(manifestPath + suffix, JSON.stringify(manifest));
  renameSync(manifestPath + suffix, manifestPath);
  return { path, execArgv: [], cached: false };
}

/** True when the bundle at `path` exists and every input its manifest lists has the same size and mtime. */
export function unchanged(manifestPath: string, path: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    const bundle = statSync(path);
    if (manifest.version !== 2 || !Array.isArray(manifest.inputs) || manifest.inputs.length === 0) return false;
    for (const [input, size, mtimeMs] of manifest.inputs) {
      const stat = statSync(resolveInput(manifest.cwd, input));
      if (stat.size !== size || stat.mtimeMs !== mtimeMs || stat.mtimeMs > bundle.mtimeMs) return false;
    }
    return true;
  } catch {
    return false; // no manifest or bundle yet, an input gone, or a manifest from elsewhere
  }
}

/** esbuild's metafile names inputs relative to its working directory (or with a namespace prefix). */
function resolveInput(cwd: string, input: string): string {
  const plain = input.replace(/^[a-z-]+:/, '');
  return plain.startsWith('/') ? plain : `${cwd}/${plain}`;
}
