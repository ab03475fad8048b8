// Kill and Restart in the Inspector: a killed worker with restart: on-failure stays killed; the
// Restart button brings it back from its first step, as its own intervention (a branch).
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady } from './fixtures';

const specText = readFileSync(new URL('../../public/examples/crash-restart.yaml', import.meta.url), 'utf8');

test('Kill is a kill; Restart is its own intervention', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(specText);
  await page.getByRole('button', { name: 'Load and run' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('quiescent', { timeout: 30_000 });
  await page.getByRole('slider', { name: 'Timeline' }).fill('200');
  await expect(page.getByTestId('cursor')).toHaveText('event 200');
  // pid 2 is the flaky worker (restart: on-failure).
  await page.getByRole('button', { name: '2', exact: true }).click();
  await expect(page.getByRole('heading', { name: /Process 2/ })).toBeVisible();
  await page.getByRole('button', { name: 'Kill' }).click();
  await expect(page.getByText(/kill applied at event/)).toBeVisible();
  // A kill is a kill: its state says so (and when), not "failed", in the Inspector and the table.
  await expect(page.getByTestId('inspector-status')).toHaveText('killed by the user at event #200');
  await expect(page.getByText('This process was killed by the user at event #200: Restart starts it over here, or scrub back to before the kill.')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'killed #200' })).toBeVisible();
  await page.getByRole('button', { name: 'Restart', exact: true }).click();
  await expect(page.getByText(/restart applied at event/)).toBeVisible();
  await expect(page.locator('dd.status-failed')).toHaveCount(0);
  const tree = page.getByRole('group', { name: 'Branches' });
  await expect(tree.getByRole('button', { name: /restart flaky/ })).toBeVisible();
});
