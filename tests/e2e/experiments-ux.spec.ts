// The Experiments tab as a first user meets it: it is there before any spec is loaded (a plan
// names its own spec), and opening a trial in the workbench never loses the spec the user was
// writing: it is set aside, the notice names the trial and offers it back, and so does the Spec
// panel (even after a reload).
import { test, expect, waitForReady } from './fixtures';
import { runSmallPlan } from './small-plan';
import type { Page } from '@playwright/test';


test('the Experiments tab is there before a spec is loaded; opening a trial keeps the draft and names the trial', async ({ guardedPage: page }) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await waitForReady(page);
  // Nothing loaded: the welcome and the Experiments tab are offered at once.
  const tabs = page.getByRole('tablist', { name: 'System views' });
  await expect(tabs.getByRole('tab', { name: 'Experiments' })).toBeVisible();

  // The user's own spec, never loaded nor saved.
  const mine = 'name: my own work\n# half-written, not saved\n';
  await page.getByLabel('Spec (YAML)').fill(mine);

  await runSmallPlan(page);
  const row = page.getByRole('table', { name: 'Trials' }).getByRole('row').nth(1);
  const trial = (await row.getByRole('cell').nth(0).innerText()).trim();
  const variant = /^heal-o(n|ff)/.exec((await row.getByRole('cell').nth(1).innerText()).trim())![0];
  const seed = (await row.getByRole('cell').nth(2).innerText()).trim();
  await row.getByRole('button', { name: 'Open' }).click();

  // The notice names the trial and says the draft is kept, with the way back.
  const notice = page.getByRole('status').filter({ hasText: 'Opened trial' });
  await expect(notice).toContainText(`Opened trial ${trial} (variant ${variant}, seed ${seed}) at event`);
  await expect(notice).toContainText('Your spec draft was set aside, not lost');
  await expect(page.getByLabel('Spec (YAML)')).toContainText('deadlock');
  await expect(page.getByLabel('Spec (YAML)')).not.toContainText('my own work');
  // The Spec panel says so too, and it survives a reload.
  await expect(page.getByRole('note', { name: 'Kept draft' })).toContainText(`trial ${trial} (variant ${variant}, seed ${seed})`);
  await page.reload();
  await waitForReady(page);
  await expect(page.getByRole('note', { name: 'Kept draft' })).toBeVisible();
  await page.getByRole('note', { name: 'Kept draft' }).getByRole('button', { name: 'Restore draft' }).click();
  await expect(page.getByLabel('Spec (YAML)')).toContainText('my own work');
  await expect(page.getByRole('note', { name: 'Kept draft' })).toHaveCount(0);
});

test("an opened trial's spec in the editor says the seed the trial ran with, so Load on it runs the same", async ({ guardedPage: page }) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await waitForReady(page);
  await runSmallPlan(page);
  // a trial whose seed is not the deadlock example's own (seed: 1)
  const rows = page.getByRole('table', { name: 'Trials' }).getByRole('row');
  let row = rows.nth(1);
  for (let i = 1; i <= 4; i++) {
    if ((await rows.nth(i).getByRole('cell').nth(2).innerText()).trim() !== '1') { row = rows.nth(i); break; }
  }
  const seed = (await row.getByRole('cell').nth(2).innerText()).trim();
  expect(seed).not.toBe('1');
  await row.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Opened trial' })).toContainText(`seed ${seed}`);
  await expect(page.locator('.cm-content')).toContainText(`seed: ${seed}`);
});

test('Restore draft in the notice puts the draft back at once', async ({ guardedPage: page }) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill('name: another draft\n');
  await runSmallPlan(page);
  await page.getByRole('table', { name: 'Trials' }).getByRole('row').nth(1).getByRole('button', { name: 'Open' }).click();
  await page.getByRole('status').filter({ hasText: 'Opened trial' }).getByRole('button', { name: 'Restore draft' }).click();
  await expect(page.getByLabel('Spec (YAML)')).toContainText('another draft');
});

test('the Workers field says beside it when the pool will not use the number written (64, 0), in its accessible description', async ({ guardedPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await waitForReady(page);
  await page.getByRole('tab', { name: 'Experiments' }).click();
  const field = page.getByLabel('Workers');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await field.fill('64');
  const note = page.getByRole('status').filter({ hasText: 'workers' }).first();
  await expect(note).toHaveText(`at most 16 workers: the pool uses 16 (this browser reports ${cores} core${cores === 1 ? '' : 's'})`);
  await expect(field).toHaveAccessibleDescription(/at most 16 workers: the pool uses 16/);
  await expect(field).toHaveValue('64'); // the user's number stays; the note says what is used
  // Beside the field, on the same row, in view.
  const [fieldBox, noteBox] = [await field.boundingBox(), await note.boundingBox()];
  expect(noteBox!.x).toBeGreaterThan(fieldBox!.x + fieldBox!.width - 1);
  expect(Math.abs(noteBox!.y + noteBox!.height / 2 - (fieldBox!.y + fieldBox!.height / 2))).toBeLessThan(12);
  expect(noteBox!.x + noteBox!.width).toBeLessThanOrEqual(1280);
  await field.fill('0');
  await expect(field).toHaveAccessibleDescription('at least 1 worker: the pool uses 1');
  await field.fill('1');
  await expect(field).toHaveAccessibleDescription('');
});
