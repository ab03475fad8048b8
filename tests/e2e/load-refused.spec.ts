// "Load and run" on a spec with errors says why nothing happened (issue 10, first-time user review):
// the click used to do nothing and say nothing.
import { test, expect, waitForReady } from './fixtures';

const BAD = 'agentos: 1\nagents:\n  w: { program: idle, replicas: 99999 }\n  v: { program: idle, replicas: -1 }\n';

test('Load and run on a spec with errors says so where the user looks and goes to the first error', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(BAD);
  await page.getByRole('button', { name: 'Load and run' }).click();
  await expect(page.getByTestId('load-refused')).toHaveText('The spec has 2 errors; fix them to run.');
  await expect(page.getByRole('list', { name: 'Spec errors' }).getByRole('button').first()).toBeFocused();
  await expect(page.getByTestId('cursor'), 'nothing was loaded').toHaveCount(0);

  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('load-refused')).toHaveText('The spec has 2 errors; fix them to load.');

  // Fixed: the message goes, and the run starts.
  await page.getByLabel('Spec (YAML)').fill('agentos: 1\nagents:\n  w: { program: idle }\n');
  await page.getByRole('button', { name: 'Load and run' }).click();
  await expect(page.getByTestId('load-refused')).toHaveCount(0);
  await expect(page.getByTestId('cursor')).not.toHaveText('event 0');
});
