// A plan naming a spec file that is not among the examples says so, in the browser as served
// (the server answers an unknown path with the app's own page, 200 text/html: that is not a spec).
import { test, expect, waitForReady } from './fixtures';

test('a plan naming a missing example spec says it was not found, not YAML errors in the app page', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByRole('tab', { name: 'Experiments' }).click();
  await page.getByLabel('Experiment plan').fill(`agentos-experiment: 1
spec: no-such-example.yaml
seeds: 2
stop: { events: 1000 }
metrics:
  jobs: agents.pool.received
`);
  await page.getByRole('button', { name: 'Run experiment' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('"no-such-example.yaml" was not found among the examples');
  await expect(alert).not.toContainText('invalid YAML');
});

test('a plan with errors in its own shape and in what it asks of the spec shows them all at once, each at its line:column', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByRole('tab', { name: 'Experiments' }).click();
  await page.getByLabel('Experiment plan').fill(`agentos-experiment: 1
spec: deadlock.yaml
seeds: 0
stop: { ticks: 5ms }
variants:
  - { name: heal-off, set: { autonomy.heal: off } }
  - { name: heal-on,  set: { autonomy.hael: on } }
metrics:
  exchanged: agents.alice.received + agents.bob.recieved
`);
  await page.getByRole('button', { name: 'Run experiment' }).click();
  const items = page.getByRole('alert').getByRole('listitem');
  await expect(items).toHaveCount(3);
  await expect(items.nth(0)).toHaveText(/^seeds: expected a seed count .* at 3:8$/);
  await expect(items.nth(1)).toHaveText(/^variants\[1\]\.set\.autonomy\.hael: unknown path "autonomy\.hael".* at 7:30$/);
  await expect(items.nth(2)).toHaveText(/^metrics\.exchanged: unknown field 'recieved' .* at 9:49$/);
  await expect(page.getByTestId('sweep-progress')).toHaveCount(0); // nothing ran
});
