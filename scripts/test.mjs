// `npm test`: the unit, property, simulation and golden tests (Vitest), then the end-to-end tests
// (Playwright in real Chromium), then one closing line with the totals. Fails, never skips, when
// no Chromium is found. Expects `npm run build` to have run (npm test does that first).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { findChrome } from './find-chrome.mjs';

const chrome = findChrome();
if (chrome.error) {
  console.error(chrome.error);
  process.exit(1);
}

const UNIT_JSON = 'test-results/unit.json';
const E2E_JSON = 'test-results/e2e.json';
rmSync(UNIT_JSON, { force: true });
rmSync(E2E_JSON, { force: true });

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, CHROME_PATH: chrome.path } }).status;

const unitStatus = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${UNIT_JSON}`]);
const e2eStatus = run('npx', ['playwright', 'test']);

const read = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined);
const unit = read(UNIT_JSON);
const e2e = read(E2E_JSON);
const unitPassed = unit?.numPassedTests ?? 0;
const unitFailed = unit ? unit.numFailedTests : 1;
const e2ePassed = e2e ? e2e.stats.expected + e2e.stats.flaky : 0;
const e2eFailed = e2e ? e2e.stats.unexpected : 1;

console.log(`\nunit, property, sim, golden (vitest): ${unitPassed} passed, ${unitFailed} failed`);
console.log(`end-to-end in Chromium (playwright): ${e2ePassed} passed, ${e2eFailed} failed`);
console.log(`tests: ${unitPassed + e2ePassed} passed, ${unitFailed + e2eFailed} failed`);
process.exit(unitStatus === 0 && e2eStatus === 0 && unitFailed + e2eFailed === 0 ? 0 : 1);
