// Links and checkpoints as a user meets them: a checkpoint gives back the branch tree and Undo;
// a link from before the checksum opens, saying it could not be checked.
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { test, expect, waitForReady, endlessStarvation } from './fixtures';
import type { Page } from '@playwright/test';

const specText = endlessStarvation(readFileSync(new URL('../../public/examples/priority-starvation.yaml', import.meta.url), 'utf8'));
const hash = (page: Page) => page.getByTestId('state-hash').innerText();

test('a checkpoint restores the branch tree and Undo, after a reload', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(specText);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForTimeout(300);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('slider', { name: 'Timeline' }).fill('3000');
  await expect(page.getByTestId('cursor')).toHaveText('event 3,000');
  const mainHash = await hash(page);
  await page.getByRole('button', { name: '1', exact: true }).click();
  await page.getByRole('button', { name: 'Kill' }).click();
  await expect(page.getByText(/kill applied at event/)).toBeVisible();
  const tree = page.getByRole('group', { name: 'Branches' });
  await expect(tree.getByRole('button')).toHaveCount(2);
  const branchHash = await hash(page);
  await page.getByRole('button', { name: 'Checkpoint', exact: true }).click();
  await expect(page.getByText(/Saved checkpoint/)).toBeVisible();

  await page.reload();
  await waitForReady(page);
  await page.getByRole('list', { name: 'Saved checkpoints' }).getByRole('listitem').first().getByRole('button', { name: /^Restore/ }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 3,001', { timeout: 20_000 });
  await expect(page.getByTestId('state-hash')).toHaveText(branchHash);
  await expect(tree.getByRole('button')).toHaveCount(2);
  await expect(tree.getByRole('button', { name: /^branch 1 kill pool\[0\] \(pid 1\)/ })).toHaveAttribute('aria-current', 'true');
  await expect(page.getByRole('button', { name: 'Undo' })).toBeEnabled();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 3,000');
  await expect(page.getByTestId('state-hash')).toHaveText(mainHash);
  await expect(page.getByRole('button', { name: 'Redo' })).toBeEnabled();
});

test('a link from before the checksum (#s=) opens, and says it could not be checked', async ({ guardedPage: page }) => {
  const session = { format: 1, engine: 'kernel 1.1 core 0.1.0', spec: specText, seed: 7, interventions: [], cursor: 500 };
  const payload = deflateRawSync(Buffer.from(JSON.stringify(session))).toString('base64url');
  await page.goto(`/#s=${payload}`);
  await waitForReady(page);
  await expect(page.getByTestId('cursor')).toHaveText('event 500', { timeout: 20_000 });
  await expect(page.getByText(/old format without a checksum, so damage to it cannot be detected/)).toBeVisible();
});
