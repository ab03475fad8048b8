import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady } from './fixtures';

const EXAMPLE = 'map-reduce.yaml';
const specText = readFileSync(new URL(`../../public/examples/${EXAMPLE}`, import.meta.url), 'utf8');

function cliHash(): { stateHash: string; events: number } {
  const result = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'run', `public/examples/${EXAMPLE}`, '--json'], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
}

test('an example run in the browser reaches the same stateHash as the CLI', async ({ guardedPage: page }) => {
  const cli = cliHash();
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(specText);
  await page.getByRole('button', { name: 'Load and run' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('quiescent', { timeout: 30_000 });
  await expect(page.getByTestId('cursor')).toHaveText(`event ${cli.events.toLocaleString('en')}`);
  await expect(page.getByTestId('state-hash')).toHaveText(cli.stateHash);
  await page.screenshot({ path: 'test-results/screenshots/kernel-run.png', fullPage: true });
});

test('a spec with errors lists each with its line and column, and runs nothing', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill('agentos: 1\nname: broken\nagents:\n  w:\n    program: worker\n    memory: lots\n');
  await page.getByRole('button', { name: 'Load and run' }).click();
  const problems = page.getByRole('list', { name: 'Spec errors' });
  await expect(problems).toContainText('6:13');
  await expect(problems).toContainText('agents.w.memory');
  await expect(page.getByTestId('state-hash')).toHaveCount(0);
});

test('previous and next failure walk the failures of the branch; a click on the strip goes to one', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(readFileSync(new URL('../../public/examples/crash-restart.yaml', import.meta.url), 'utf8'));
  await page.getByRole('button', { name: 'Load and run' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('quiescent', { timeout: 30_000 });
  const failures = page.getByRole('group', { name: 'Failures on this branch' });
  await expect(failures).toContainText(/\d+ failures?/);
  const cursor = async () => Number((await page.getByTestId('cursor').innerText()).replace(/[^0-9]/g, ''));
  const latestEvent = page.getByRole('list', { name: 'Events before the cursor' }).getByRole('listitem').first();
  await page.getByRole('slider', { name: 'Timeline' }).fill('0');
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await failures.getByRole('button', { name: 'Next failure' }).click();
  await expect(page.getByTestId('cursor')).not.toHaveText('event 0');
  const first = await cursor();
  // The cursor stops just after the failure: it is the newest event before the cursor.
  await expect(latestEvent).toContainText(/process\/failed|heap\/exhausted|ipc\/dropped|limit\/reached/);
  await failures.getByRole('button', { name: 'Next failure' }).click();
  await expect.poll(cursor).toBeGreaterThan(first);
  await failures.getByRole('button', { name: 'Previous failure' }).click();
  await expect.poll(cursor).toBe(first);
  // At the first failure the count says so, and there is no previous one to go to.
  await expect(failures.getByTestId('failure-count')).toHaveText(/^failure 1 of \d+$/);
  await expect(failures.getByRole('button', { name: 'Previous failure' })).toBeDisabled();
  // The strip: a click at its very start goes to the start (or a failure in that first slice).
  await page.getByRole('slider', { name: 'Timeline' }).fill(String(first + 100));
  await page.getByRole('img', { name: /Event density over the timeline/ }).click({ position: { x: 1, y: 11 } });
  await expect.poll(cursor).toBeLessThanOrEqual(first);
});
