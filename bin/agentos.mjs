#!/usr/bin/env node
// `npx agentos <command> ...` from a clone (package.json "bin"): builds the wasm core if it is
// missing (scripts/ensure-core.mjs), then runs the TypeScript CLI (src/cli/main.ts) through tsx,
// as `npm run agentos` does. Arguments, stdio and the exit code pass through.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const ensured = spawnSync(process.execPath, [here('../scripts/ensure-core.mjs')], { stdio: ['ignore', 'inherit', 'inherit'] });
if (ensured.status !== 0) process.exit(ensured.status ?? 1);
const cli = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), here('../src/cli/main.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
if (cli.signal) process.kill(process.pid, cli.signal);
process.exit(cli.status ?? 1);
