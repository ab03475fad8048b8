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
