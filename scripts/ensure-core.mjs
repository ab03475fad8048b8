// Builds the wasm core if it is missing (so `npm run agentos` works right after `npm install`).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

if (!existsSync(new URL('../build/core/release.wasm', import.meta.url))) {
  const result = spawnSync(process.execPath, [new URL('./build-core.mjs', import.meta.url).pathname], { stdio: ['ignore', 'inherit', 'inherit'] });
  process.exit(result.status ?? 1);
}
