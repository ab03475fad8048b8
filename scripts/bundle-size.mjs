// Prints what the browser downloads (JS, CSS, wasm; gzipped) after `vite build`, and fails the
// build when the first load passes the budget, so growth is noticed the day it happens. Files
// fetched only on demand (KernelQL: the Query panel, its worker and SQLite's wasm, cached once
// used) are listed apart and not in the first load; `--json` prints the split as one object.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, extname, basename } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUNDLE_GZIP_BYTES_MAX = 400 * 1024;
const SHIPPED = new Set(['.js', '.css', '.wasm']);
/** Chunks the first load never fetches (see vite.config.ts globIgnores and SystemTabs.svelte). */
const ON_DEMAND = [/^QueryPanel-/, /^query\.worker-/, /^sqlite3-/];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const byKind = {};
const onDemand = {};
let total = 0;
let onDemandTotal = 0;
for (const path of files('dist')) {
  const ext = extname(path);
  if (!SHIPPED.has(ext) || path.endsWith('.map')) continue;
  const size = gzipSync(readFileSync(path), { level: 9 }).length;
  if (ON_DEMAND.some((pattern) => pattern.test(basename(path)))) {
    onDemand[basename(path).replace(/-[\w-]{8}(?=\.\w+$)/, '')] = size;
    onDemandTotal += size;
    continue;
  }
  byKind[ext] = (byKind[ext] ?? 0) + size;
  total += size;
}
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ firstLoadBytes: total, firstLoadByKind: byKind, onDemandBytes: onDemandTotal, onDemand }));
} else {
  const parts = Object.entries(byKind).map(([ext, size]) => `${ext.slice(1)} ${kib(size)}`).join(', ');
  console.log(`bundle: first load ${kib(total)} gzipped (${parts}); budget ${kib(BUNDLE_GZIP_BYTES_MAX)}`);
  const lazy = Object.entries(onDemand).map(([name, size]) => `${name} ${kib(size)}`).join(', ');
  console.log(`bundle: on demand ${kib(onDemandTotal)} gzipped (${lazy})`);
}
if (total > BUNDLE_GZIP_BYTES_MAX) {
  console.error(`bundle: over budget by ${kib(total - BUNDLE_GZIP_BYTES_MAX)}`);
  process.exit(1);
}
