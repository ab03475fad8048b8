// Evolution in the browser (issue 15's done-when): the example evolve plan, a few generations on
// the Experiments tab's worker pool, gives the same hall of fame as `agentos evolve` headless,
// byte for byte, links included (each link opens the same session); the hall is kept in IndexedDB
// (a reload shows it again); a champion opens in the
// workbench.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { decodeSessionLink } from '../../src/share/link';
import { Kernel } from '../../src/kernel/kernel';
import { loadCoreFromDisk } from '../../src/core/node';
import { test, expect, waitForReady } from './fixtures';

// It failed once in CI at stop 19 with no detail kept (the same run saw the intermittent CSP
// inline-style report of examples-open.spec.ts, a known open defect); it passes alone. Retried,
// as the other long two-worker tests are, while that is found.
test.describe.configure({ retries: 2 });

const GENERATIONS = 2;
// The example, smaller (one seed, a pool of 4, 4 forged per generation), so a loaded machine runs it in minutes.
const PLAN = readFileSync('public/examples/pipeline-hardening.evolve.yaml', 'utf8')
  .replace('seeds: [1, 2]', 'seeds: [1]').replace('  pool: 6', '  pool: 4').replace(/  forge: 6 /, '  forge: 4 ');

/** `agentos evolve` headless, started at once so it runs while the browser does. */
function cliHall(base: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'agentos-evolve-e2e-'));
  const out = join(dir, 'hall.json');
  writeFileSync(join(dir, 'plan.evolve.yaml'), PLAN);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'evolve', join(dir, 'plan.evolve.yaml'), '--generations', String(GENERATIONS), '--jobs', '1', '--base', base, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(readFileSync(out, 'utf8')) : reject(new Error(`agentos evolve failed (${code}): ${stderr}`)))));
}

const LINK = /"link": "[^"]+"/g;

/** The hall with each link replaced by the session it opens. */
async function withSessions(text: string): Promise<string> {
  const links = [...new Set(text.match(LINK) ?? [])];
  let result = text;
  for (const field of links) {
    const session = await decodeSessionLink(field.slice('"link": "'.length, -1));
    result = result.split(field).join(`"link": ${JSON.stringify(JSON.stringify(session))}`);
  }
  expect(links.length).toBeGreaterThan(0);
  return result;
}

async function openEvolve(page: Page) {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(readFileSync('public/examples/supervision.yaml', 'utf8'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await page.getByRole('tab', { name: 'Experiments' }).click();
  await page.getByRole('button', { name: 'Evolve', exact: true }).click();
}

test('a few generations in the browser give the same hall of fame as the CLI; it is kept across a reload; a champion opens', async ({ guardedPage: page, baseURL }) => {
  test.setTimeout(1_200_000);
  const base = `${new URL(baseURL!).origin}/`;
  const headless = cliHall(base);
  await openEvolve(page);
  await page.getByLabel('Example evolve plan').selectOption({ label: 'Harden a supervised pipeline against partitions and crashes' });
  await expect(page.getByLabel('Evolve plan', { exact: true })).toHaveValue(/agentos-evolve: 1/);
  await page.getByLabel('Evolve plan', { exact: true }).fill(PLAN);
  await page.getByLabel('Generations', { exact: true }).fill(String(GENERATIONS));
  await page.getByLabel('Workers', { exact: true }).fill('2');
  await page.getByRole('button', { name: 'Run evolution' }).click();
  await expect(page.getByTestId('evolve-progress')).toContainText('2 workers');
  await expect(page.getByTestId('evolve-progress')).toHaveText(`${GENERATIONS} of ${GENERATIONS} generations · done`, { timeout: 1_000_000 });
  await expect(page.getByRole('table', { name: 'Hall of fame' }).getByRole('row')).toHaveCount(GENERATIONS + 1);
  await expect(page.getByRole('img', { name: /Champion score and red suite difficulty over generations: generation 2/ })).toBeVisible();

  // The view passes axe (serious and critical rules) with the hall and the chart on it.
  const results = await new AxeBuilder({ page }).include('.evolve').analyze();
  const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export hall of fame' }).click();
  const file = await (await download).path();
  const browserHall = readFileSync(file, 'utf8');
  const cliText = await headless;
  // Byte for byte, links included (links deflate with fflate in the page and in Node alike), and
  // each link opens the same session (spec, seed, cursor, Merkle root).
  expect(browserHall).toBe(cliText);
  expect(await withSessions(browserHall)).toBe(await withSessions(cliText));

  // Kept in this browser: a reload shows the same hall.
  await page.reload();
  await openEvolve(page);
  await expect(page.getByTestId('evolve-progress')).toHaveText(`${GENERATIONS} of ${GENERATIONS} generations · done`);
  const hall = JSON.parse(browserHall) as { entries: { champion: { id: string; link: string; genes: Record<string, unknown> } }[] };
  const last = hall.entries[GENERATIONS - 1].champion;
  const row = page.getByRole('table', { name: 'Hall of fame' }).getByRole('row').nth(GENERATIONS);
  await expect(row.getByRole('rowheader')).toHaveText(last.id);

  // The champion opens in the workbench at its stop point: the session its link carries, replayed
  // here in Node, has the same cursor and stateHash.
  const session = await decodeSessionLink(last.link);
  expect(session.spec).toContain(`replicas: ${String(last.genes['agents.worker.replicas'])}`);
  const kernel = Kernel.fromSession(session, await loadCoreFromDisk('release'));
  await row.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('state-hash')).toHaveText(kernel.stateHash(), { timeout: 60_000 });
  await expect(page.getByTestId('cursor')).toHaveText(`event ${session.cursor.toLocaleString('en')}`);
});
