// Replacing a session asks first when it has branches no checkpoint holds (issue 10: bad input
// loses nothing): a Restore, an opened trial, a Load. Cancel leaves the session, its branches and Undo
// as they were; Replace goes ahead.
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady, endlessStarvation, loadSpec } from './fixtures';
import type { Page } from '@playwright/test';
import { runSmallPlan } from './small-plan';

const specText = endlessStarvation(readFileSync(new URL('../../public/examples/priority-starvation.yaml', import.meta.url), 'utf8'));

/** Loads the Starvation example, runs it a little, and checkpoints main (one branch, no interventions). */
async function checkpointedMain(page: Page) {
  await page.goto('/');
  await waitForReady(page);
  await loadSpec(page, specText);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForTimeout(300);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Checkpoint', exact: true }).click();
  await expect(page.getByText(/Saved checkpoint/)).toBeVisible();
}

/** Makes branch 1: a kill at event 3,000, before the end of main. */
async function makeBranch(page: Page) {
  await page.getByRole('slider', { name: 'Timeline' }).fill('3000');
  await expect(page.getByTestId('cursor')).toHaveText('event 3,000');
  await page.getByRole('button', { name: '1', exact: true }).click();
  await page.getByRole('button', { name: 'Kill' }).click();
  await expect(page.getByText(/kill applied at event/)).toBeVisible();
  await expect(page.getByRole('group', { name: 'Branches' }).getByRole('button')).toHaveCount(2);
}

test('Restore over a session with a branch no checkpoint holds asks; Cancel keeps the branch and Undo, Replace restores', async ({ guardedPage: page }) => {
  await checkpointedMain(page);
  const tree = page.getByRole('group', { name: 'Branches' });
  await expect(tree.getByRole('button')).toHaveCount(0); // one branch: no tree drawn
  const restore = page.getByRole('list', { name: 'Saved checkpoints' }).getByRole('listitem').first().getByRole('button', { name: /^Restore/ });

  // Nothing unsaved yet: the restore goes ahead without a question.
  await restore.click();
  await expect(page.getByText(/^Restored checkpoint/)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('alertdialog')).toHaveCount(0);

  await makeBranch(page);
  const hash = await page.getByTestId('state-hash').innerText();
  await restore.click();
  const question = page.getByRole('alertdialog');
  await expect(question).toContainText('Replace this session with checkpoint');
  await expect(question).toContainText('Its 2 branches are in no saved checkpoint.');
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(question).toHaveCount(0);
  await expect(tree.getByRole('button')).toHaveCount(2);
  await expect(tree.getByRole('button', { name: /^branch 1 kill/ })).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('state-hash')).toHaveText(hash);
  await expect(page.getByRole('button', { name: 'Undo' })).toBeEnabled();

  await restore.click();
  await question.getByRole('button', { name: 'Replace' }).click();
  await expect(page.getByText(/^Restored checkpoint/)).toBeVisible({ timeout: 20_000 });
  await expect(tree.getByRole('button')).toHaveCount(0); // one branch: no tree drawn
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
});

test('Save a checkpoint first keeps the branches in a checkpoint, then restores', async ({ guardedPage: page }) => {
  await checkpointedMain(page);
  await makeBranch(page);
  const rows = page.getByRole('list', { name: 'Saved checkpoints' }).getByRole('listitem');
  await expect(rows).toHaveCount(1);
  await rows.first().getByRole('button', { name: /^Restore/ }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Save a checkpoint first' }).click();
  await expect(page.getByText(/^Restored checkpoint/)).toBeVisible({ timeout: 20_000 });
  await expect(rows).toHaveCount(2);
  // The new checkpoint holds both branches: restoring it (nothing unsaved now) asks nothing.
  await expect(page.getByRole('group', { name: 'Branches' }).getByRole('button')).toHaveCount(0);
  await rows.first().getByRole('button', { name: /^Restore/ }).click();
  await expect(page.getByRole('group', { name: 'Branches' }).getByRole('button')).toHaveCount(2, { timeout: 20_000 });
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
});

test('opening a trial over a session with a branch no checkpoint holds asks first', async ({ guardedPage: page }) => {
  test.setTimeout(180_000);
  await checkpointedMain(page);
  await makeBranch(page);
  await runSmallPlan(page);
  const open = page.getByRole('table', { name: 'Trials' }).getByRole('row').nth(1).getByRole('button', { name: 'Open' });
  await open.click();
  const question = page.getByRole('alertdialog');
  await expect(question).toContainText(/Replace this session with trial \d+/);
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(question).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Branches' }).getByRole('button')).toHaveCount(2);

  await open.click();
  await question.getByRole('button', { name: 'Replace' }).click();
  await expect(page.getByText(/^Opened trial/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('group', { name: 'Branches' }).getByRole('button')).toHaveCount(0);
});

test('Load and Load and run over a session with a branch no checkpoint holds ask; Cancel keeps it, Replace loads', async ({ guardedPage: page }) => {
  await checkpointedMain(page);
  await makeBranch(page);
  const tree = page.getByRole('group', { name: 'Branches' });
  const hash = await page.getByTestId('state-hash').innerText();
  const question = page.getByRole('alertdialog');
  for (const name of ['Load', 'Load and run']) {
    await page.getByRole('button', { name, exact: true }).click();
    await expect(question).toContainText('Replace this session with the spec in the editor? Its 2 branches are in no saved checkpoint.');
    await question.getByRole('button', { name: 'Cancel' }).click();
    await expect(question).toHaveCount(0);
    await expect(tree.getByRole('button')).toHaveCount(2);
    await expect(page.getByTestId('state-hash')).toHaveText(hash);
    await expect(page.getByRole('button', { name: 'Undo' })).toBeEnabled();
  }
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await question.getByRole('button', { name: 'Replace' }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await expect(tree.getByRole('button')).toHaveCount(0);
  // A fresh session with nothing unsaved loads again without a question.
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await expect(question).toHaveCount(0);
});
