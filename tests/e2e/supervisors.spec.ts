// The supervisor tree in the Processes panel: the supervision example's supervisors with their
// restart counts; a restart in Events says why; a process in the tree selects it.
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady } from './fixtures';

const specText = readFileSync(new URL('../../public/examples/supervision.yaml', import.meta.url), 'utf8');

test('the Processes panel shows the supervisor tree with restart counts', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(specText);
  await page.getByRole('button', { name: 'Load and run' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('quiescent', { timeout: 60_000 });
  const tree = page.getByRole('list', { name: 'Supervisor tree' });
  await expect(tree).toBeVisible();
  // At the end the root has given up: app and pipeline are down, their processes failed.
  await expect(tree.getByRole('listitem').first()).toContainText(/app one_for_one .* gave up 1× · down/);
  await expect(tree.getByRole('listitem').nth(1)).toContainText(/pipeline one_for_all .* restarts · gave up \d+×/);
  await tree.getByRole('button', { name: 'reducer[0]' }).click();
  await expect(page.getByRole('heading', { name: /Process 3/ })).toBeVisible();
});
