// `npm run bench [-- --json] [-- --only text]`: runs every suite in tests/bench/*.bench.ts and prints
// each result beside its peer with the ratio. With --json, one JSON array on stdout.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { formatNumber, type BenchResult, type BenchSuite } from './harness';

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;

const dir = fileURLToPath(new URL('.', import.meta.url));
const files = readdirSync(dir).filter((file) => file.endsWith('.bench.ts')).sort();
const results: BenchResult[] = [];
const log = (line: string) => (json ? process.stderr : process.stdout).write(line + '\n');

for (const file of files) {
  const module = (await import(pathToFileURL(join(dir, file)).href)) as { benches: BenchSuite[] };
  for (const suite of module.benches) {
    if (only && !suite.name.includes(only) && !file.includes(only)) continue;
    log(`\n${suite.name}`);
    for (const result of await suite.run()) {
      results.push(result);
      const peer = result.peer ? `  vs ${result.peer}: ${formatNumber(result.peerValue!, result.unit)} ${result.unit}` : '';
      const ratio = result.ratio !== undefined ? `  ratio ${result.ratio.toFixed(2)}x` : '';
      const goal = result.goal ? `  (goal: ${result.goal})` : '';
      const note = result.note ? `  [${result.note}]` : '';
      log(`  ${result.name}: ${formatNumber(result.value, result.unit)} ${result.unit}${peer}${ratio}${goal}${note}`);
    }
  }
}
if (json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
