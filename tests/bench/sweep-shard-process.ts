// One shard of a sweep in a process of its own, started on a signal, for the sweep bench's
// "this machine's ceiling" row (sweep.bench.ts):
//   node --import tsx tests/bench/sweep-shard-process.ts <plan.yaml> <index> <count> <out.jsonl>
// Loads everything, prints "ready", waits for a line on stdin, sweeps its shard with --jobs 1,
// then prints one JSON line { start, end } (ms on the shared wall clock, performance.timeOrigin
// based): start-up is left out, so two of these side by side measure only how the cores share work.
import { createInterface } from 'node:readline';
import { loadCoreFromDisk } from '../../src/core/node';
import { sweep } from '../../src/cli/sweep';

const [planPath, index, count, out] = process.argv.slice(2);
const core = await loadCoreFromDisk('release');
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
await new Promise<void>((go) => lines.once('line', () => go()));
lines.close();
const now = () => performance.timeOrigin + performance.now();
const start = now();
await sweep({ planPath, jobs: 1, shard: { index: Number(index), count: Number(count) }, out, quiet: true }, async () => core);
process.stdout.write(`${JSON.stringify({ start, end: now() })}\n`);
