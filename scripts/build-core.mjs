// Compiles assembly/ into build/core/{release,debug}.wasm (git-ignored). Release: optimized,
// assertions compiled out. Debug: assertions on, for tests. Runs before dev, build, test, bench.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
const out = join(root, 'build', 'core');
mkdirSync(out, { recursive: true });

const common = ['assembly/index.ts', '--runtime', 'stub']; // initial memory: whatever the static data needs
const builds = {
  release: [...common, '-O3', '--noAssert', '--outFile', join(out, 'release.wasm')],
  debug: [...common, '--debug', '--outFile', join(out, 'debug.wasm'), '--textFile', join(out, 'debug.wat')],
};

for (const [name, args] of Object.entries(builds)) {
  const result = spawnSync(process.execPath, [asc, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`build-core: the ${name} build of assembly/ failed (asc exit ${result.status})`);
    process.exit(1);
  }
}
console.log(`build-core: build/core/release.wasm and build/core/debug.wasm`);
