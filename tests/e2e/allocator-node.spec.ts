// The Allocator choice under the timeline says which node it is for: the node chosen beside
// "Scheduler on" (the one node select both use), and that node's allocator is what changes.
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady, loadSpec } from './fixtures';

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');

test('the allocator intervention names its node and switches that node', async ({ guardedPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await waitForReady(page);
  await loadSpec(page, example('partition-crdt.yaml').replace('seed: 9\n', 'seed: 9\nkernel: { allocator: [tlsf, first-fit, best-fit] }\n'));
  await page.getByRole('button', { name: 'Step', exact: true }).click(); // an intervention needs a booted kernel
  await expect(page.getByTestId('cursor')).toHaveText('event 1');
  const controls = page.getByRole('group', { name: 'Intervene on the system' });
  await expect(controls).toContainText('Allocator on n0');
  await expect(controls.getByLabel('Heap allocator of n0')).toHaveValue('tlsf');
  await controls.getByLabel('Node').selectOption('1');
  await expect(controls).toContainText('Allocator on n1');
  const n1 = controls.getByLabel('Heap allocator of n1');
  await expect(n1).toHaveValue('first-fit');
  await n1.selectOption('buddy');
  await n1.press('Enter');
  await expect(page.getByText('allocator n1 → buddy')).toBeVisible();
});

test('an intervention refused at event 0 leaves its select showing what is in force', async ({ guardedPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await waitForReady(page);
  await loadSpec(page, example('memory-leak.yaml'));
  // One node: the label needs no node (the row keeps Inject message beside it at 1280: page-fits.spec).
  await expect(page.getByRole('group', { name: 'Intervene on the system' })).toContainText(/Allocator\s*tlsf/);
  const allocator = page.getByLabel('Heap allocator of n0'), policy = page.getByLabel('Scheduler policy');
  await expect(allocator).toHaveValue('tlsf');
  await allocator.selectOption('buddy');
  await expect(page.getByRole('alert').filter({ hasText: 'cannot intervene before the kernel has booted' })).toBeVisible();
  await expect(allocator).toHaveValue('tlsf');
  await expect(policy).toHaveValue('fair');
  await policy.selectOption('eevdf');
  await expect(policy).toHaveValue('fair');
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
});
