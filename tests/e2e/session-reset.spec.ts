// Loading another spec starts a new session: nothing of the old one may stay on screen (issue 10:
// its banner, cause chain, Compare result and selected process all used to survive a load).
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, waitForReady, endlessStarvation } from './fixtures';

const starvation = endlessStarvation(readFileSync(new URL('../../public/examples/priority-starvation.yaml', import.meta.url), 'utf8'));
const deadlock = readFileSync(new URL('../../public/examples/deadlock.yaml', import.meta.url), 'utf8');

/** Replaces the editor's text (emptied first: Chrome's own editing would style the replaced spans inline, which the CSP refuses). */
async function replaceSpec(page: Page, text: string) {
  const editor = page.getByLabel('Spec (YAML)');
  await editor.press('Control+a');
  await editor.press('Delete');
  await editor.fill(text);
}

test('loading spec B leaves nothing of spec A on screen', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  const editor = page.getByLabel('Spec (YAML)');
  await editor.fill(starvation);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await page.getByRole('slider', { name: 'Timeline' }).waitFor();
  await page.getByLabel('Go to event (past the end: runs on to it)').fill('3000');
  await page.getByLabel('Go to event (past the end: runs on to it)').press('Enter');
  await expect(page.getByTestId('cursor')).toHaveText('event 3,000');

  // A's views: a selected process, a cause chain, a Compare result, a banner, an event filter.
  await page.getByRole('button', { name: '1', exact: true }).click();
  await expect(page.getByRole('heading', { name: /Process 1/ })).toBeVisible();
  await page.getByRole('list', { name: 'Events before the cursor' }).getByRole('button').first().click();
  await expect(page.getByRole('heading', { name: /Why #\d+ happened/ })).toBeVisible();
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page.getByTestId('compare-result')).toBeVisible();
  await page.getByLabel('Event type').selectOption('sched/switched');
  await page.getByLabel('Scheduler policy').selectOption('fair');
  await expect(page.getByText(/policy applied at event #\d+/)).toBeVisible();

  // B: a different spec, loaded the ordinary way (A has an intervention no checkpoint holds: the
  // load asks first, keep-branches.spec.ts).
  await replaceSpec(page, deadlock);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Replace' }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await expect(page.getByText(/policy applied at event/)).toHaveCount(0);
  await expect(page.getByRole('heading', { name: /Why #\d+ happened/ })).toHaveCount(0);
  await expect(page.getByTestId('compare-result')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: /Process 1/ })).toHaveCount(0);
  await expect(page.getByText('Select a process (in the table or an event) to inspect it and intervene.')).toBeVisible();
  await expect(page.getByLabel('Event type')).toHaveValue('');
  // The Compare points start from B's cursor, not A's event numbers.
  await expect(page.getByLabel('Event of point B')).toHaveValue('0');
  await expect(page.getByRole('group', { name: 'Branches' })).toHaveCount(0);
});

test('a journal-full banner goes when another spec is loaded', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  const editor = page.getByLabel('Spec (YAML)');
  await editor.fill(starvation);
  await page.getByRole('button', { name: 'Load and run' }).click();
  await expect(page.getByText(/The journal is full/)).toBeVisible({ timeout: 45_000 });
  await replaceSpec(page, deadlock);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await expect(page.getByText(/The journal is full/)).toHaveCount(0);
});
