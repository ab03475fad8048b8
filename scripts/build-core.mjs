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
// Benchmark peer (tests/bench/heap.bench.ts): AssemblyScript's own TLSF, --runtime minimal.
const benchOut = join(root, 'build', 'bench');
mkdirSync(benchOut, { recursive: true });
const peer = spawnSync(process.execPath, [asc, 'tests/bench/assembly/as-tlsf-peer.ts', '--runtime', 'minimal', '-O3', '--noAssert',
  '--outFile', join(benchOut, 'as-tlsf-peer.wasm')], { cwd: root, stdio: 'inherit' });
if (peer.status !== 0) {
  console.error(`build-core: the AssemblyScript TLSF bench peer failed (asc exit ${peer.status})`);
  process.exit(1);
}
console.log(`build-core: build/core/release.wasm, build/core/debug.wasm, build/bench/as-tlsf-peer.wasm`);
