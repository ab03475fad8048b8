// "quiescent" is a fact about the end of a run, not about every cursor of it: rewound, the status
// bar says how much recorded future lies ahead instead (issue 10).
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady } from './fixtures';

test('the status bar says quiescent only where nothing is left to run', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(readFileSync(new URL('../../public/examples/crash-restart.yaml', import.meta.url), 'utf8'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const state = page.getByTestId('run-state');
  await expect(state).toHaveText('quiescent', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(state).toHaveText('rewound · 1 recorded event ahead');
  await page.getByRole('slider', { name: 'Timeline' }).fill('100');
  await expect(page.getByTestId('cursor')).toHaveText('event 100');
  await expect(state).not.toContainText('quiescent');
  await expect(state).toContainText('recorded events ahead');
  // Back at the end of the same run: quiescent again.
  const end = await page.getByRole('slider', { name: 'Timeline' }).getAttribute('max');
  await page.getByRole('slider', { name: 'Timeline' }).fill(end!);
  await expect(state).toHaveText(/quiescent|paused/);
  await expect(state).not.toContainText('ahead');
});
