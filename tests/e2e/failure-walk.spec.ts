// The timeline's failure count and its ‹ › walk come from one index: at a failure the count says
// which one it is, and a direction with nothing left is disabled instead of saying "no failure".
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady } from './fixtures';

test('the failure count and the walk agree, down to the only failure', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(readFileSync(new URL('../../public/examples/memory-leak.yaml', import.meta.url), 'utf8'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-state')).not.toHaveText('running', { timeout: 30_000 });
  const failures = page.getByRole('group', { name: 'Failures on this branch' });
  const count = failures.getByTestId('failure-count');
  await expect(count).toHaveText(/^\d+ failures?$/);
  const total = Number((await count.innerText()).replace(/[^0-9]/g, ''));
  expect(total).toBeGreaterThan(0);
  const previous = failures.getByRole('button', { name: 'Previous failure' });
  const next = failures.getByRole('button', { name: 'Next failure' });
  // From the end back to the first failure: each stop names itself, k of total.
  for (let k = total; k >= 1; k--) {
    await previous.click();
    await expect(count).toHaveText(`failure ${k} of ${total}`);
    await expect(next).toBeEnabled({ enabled: k < total });
    await expect(previous).toBeEnabled({ enabled: k > 1 });
  }
  await expect(page.getByText(/No failure/)).toHaveCount(0);
  // Before the first: the count says how many lie ahead, and only "next" walks.
  await page.getByRole('slider', { name: 'Timeline' }).fill('0');
  await expect(count).toHaveText(`${total} failure${total === 1 ? '' : 's'}`);
  await expect(previous).toBeDisabled();
  await next.click();
  await expect(count).toHaveText(`failure 1 of ${total}`);
});
