// The Shared tab in real Chromium: during the partition of the partition-crdt example the
// replicas differ (marked, with the event since which), a click goes there; after the heal they
// agree; the Inspector shows the inspected process's node's replicas; the shell's `shared` agrees.
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady } from './fixtures';

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');

test('Shared: replicas differ during a partition (since an event a click goes to) and agree after the heal', async ({ guardedPage: page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(example('partition-crdt.yaml'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  const goTo = page.getByLabel('Go to event (past the end: runs on to it)');
  await goTo.fill('700');
  await goTo.press('Enter');
  await expect(page.getByTestId('cursor')).toHaveText('event 700');

  await page.getByRole('tab', { name: 'Shared' }).click();
  const visits = page.getByRole('region', { name: 'visits, a pn-counter' });
  await expect(visits).toContainText('replicas differ since');
  // n0 is cut off from n1 and n2 (whose own syncs may still be in flight): some replica differs.
  await expect(visits.locator('tr.differs')).not.toHaveCount(0);
  const seen = page.getByRole('region', { name: 'seen, a or-set' });
  await expect(seen).toContainText('replicas agree');
  await expect(seen.locator('.item')).toHaveText(['n0', 'n1', 'n2', 'n0', 'n1', 'n2', 'n0', 'n1', 'n2']);

  await page.screenshot({ path: 'test-results/screenshots/shared-partition-1440.png' });
  // "since #S" goes to the state just after event S.
  const since = visits.getByRole('button', { name: /^#\d+$/ });
  const seq = Number((await since.innerText()).slice(1));
  await since.click();
  await expect(page.getByTestId('cursor')).toHaveText(`event ${seq + 1}`);

  // The shell says the same.
  await page.getByRole('tab', { name: 'Shell' }).click();
  const input = page.getByLabel('Shell command');
  await input.fill('shared visits');
  await input.press('Enter');
  await expect(page.getByRole('log')).toContainText(`visits (pn-counter): replicas differ since #${seq}`);

  // Run to the end: after the heal every replica agrees.
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-state')).not.toHaveText('running', { timeout: 20_000 }); // paused, or over (then Run is disabled, saying why)
  await page.getByRole('tab', { name: 'Shared' }).click();
  await expect(visits).toContainText('replicas agree');
  await expect(visits.locator('td.summary')).toHaveText(['150', '150', '150']);
  await expect(page.getByRole('region', { name: 'notes, a text' }).locator('pre').first()).toHaveText(/^[LMR]{150}$/);
  // The strip marks the partition, the heal and convergence.
  await expect(page.getByRole('img', { name: /Event density/ })).toHaveAttribute('aria-label', /2 partitions, heals or crashes, 1 point where shared objects converged after a heal/);
});
