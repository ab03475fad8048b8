// The Health tab and the Autonomy switch: a spec with autonomy: heals its leak before it fails;
// Health lists the prediction with its horizon and the restart with its reason; switching
// Autonomy off is an intervention (a branch).
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady } from './fixtures';

const specText = readFileSync(new URL('../../public/examples/self-healing.yaml', import.meta.url), 'utf8');

test('Health shows predictions and actions in words; Autonomy off is a branch', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(specText);
  await page.getByRole('button', { name: 'Load and run' }).click();
  await expect.poll(async () => Number((await page.getByTestId('cursor').textContent())?.replace(/\D/g, '') ?? 0), { timeout: 60_000 }).toBeGreaterThan(1200);
  await page.getByTestId('pause').click();
  await page.getByRole('tab', { name: 'Health' }).click();
  const health = page.getByRole('region', { name: 'Health' });
  await expect(health.getByText('Autonomy: heal')).toBeVisible();
  await expect(health.getByRole('button', { name: /horizon [\d.]+ ms: predicted: cache\[0\]'s heap grew 4 KiB\/ms and would reach its 256 KiB limit/ }).first()).toBeVisible();
  await expect(health.getByRole('button', { name: /healed: restarted cache\[0\] because its heap grew 4 KiB\/ms/ }).first()).toBeVisible();
  await expect(health.getByRole('img', { name: /leak signal/ })).toBeVisible();
  await page.getByRole('combobox', { name: 'Autonomy' }).selectOption('off');
  await expect(page.getByRole('group', { name: 'Branches' }).getByRole('button', { name: /autonomy → off/ })).toBeVisible();
});
