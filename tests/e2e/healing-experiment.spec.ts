// Healing off vs on in the Experiments tab: the memory-leak plan (20 trials) runs in the browser
// and its comparison says failures drop with healing on.
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady } from './fixtures';

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');

test('the memory-leak healing plan runs in the Experiments tab: failures 100% lower with healing on', async ({ guardedPage: page }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(example('memory-leak.yaml'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await page.getByRole('tab', { name: 'Experiments' }).click();
  await page.getByLabel('Example plan').selectOption({ label: 'Memory leak: healing off vs on, 10 seeds' });
  await expect(page.getByLabel('Experiment plan')).toHaveValue(/autonomy\.heal: off/);
  await page.getByRole('button', { name: 'Run experiment' }).click();
  await expect(page.getByTestId('sweep-progress')).toHaveText('20 of 20 trials · done', { timeout: 200_000 });
  await expect(page.getByRole('region', { name: 'Comparison' })).toContainText(/heal-on: failures 100% lower than heal-off/);
});
