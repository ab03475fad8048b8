// Prints what the browser downloads (JS, CSS, wasm; gzipped) after `vite build`, and fails the
// build when it passes the budget, so growth is noticed the day it happens.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUNDLE_GZIP_BYTES_MAX = 400 * 1024;
const SHIPPED = new Set(['.js', '.css', '.wasm']);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const byKind = {};
let total = 0;
for (const path of files('dist')) {
  const ext = extname(path);
  if (!SHIPPED.has(ext) || path.endsWith('.map')) continue;
  const size = gzipSync(readFileSync(path), { level: 9 }).length;
  byKind[ext] = (byKind[ext] ?? 0) + size;
  total += size;
}
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const parts = Object.entries(byKind).map(([ext, size]) => `${ext.slice(1)} ${kib(size)}`).join(', ');
console.log(`bundle: ${kib(total)} gzipped (${parts}); budget ${kib(BUNDLE_GZIP_BYTES_MAX)}`);
if (total > BUNDLE_GZIP_BYTES_MAX) {
  console.error(`bundle: over budget by ${kib(total - BUNDLE_GZIP_BYTES_MAX)}`);
  process.exit(1);
}
