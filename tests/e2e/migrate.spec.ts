// Live migration from the Processes panel: select a process, "Migrate to" n1 beside Kill; the
// process table shows it on n1 (a new branch, named in the branch tree), the event says why, and
// Undo takes it back to n0.
import { test, expect, waitForReady } from './fixtures';

const specText = `agentos: 1
name: migrate
cluster: { nodes: 2 }
agents:
  worker: { node: any, program: [{ alloc: { size: 4KiB, as: state } }, { repeat: 400, do: [{ compute: 100us }, { sleep: 200us }] }] }
  idle: { node: any, program: [{ sleep: 100ms }] }
`;

test('Migrate to… moves the selected process to the other node, and Undo takes it back', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(specText);
  await page.getByRole('button', { name: 'Load and run' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('quiescent', { timeout: 60_000 });
  await page.getByRole('slider', { name: 'Timeline' }).fill('40');
  await expect(page.getByTestId('cursor')).toHaveText('event 40');
  const processes = page.getByRole('region', { name: 'Processes' });
  const workerRow = processes.getByRole('row').filter({ has: page.getByRole('cell', { name: 'worker', exact: true }) });
  // Boot placement is round-robin: worker[0] on n0.
  await expect(workerRow.getByRole('cell').nth(2)).toHaveText('0');
  await workerRow.getByRole('button', { name: '0' }).click();
  const migrate = page.getByRole('group', { name: 'Migrate process 0' });
  await expect(migrate.getByLabel('Migrate to node')).toHaveValue('1');
  await migrate.getByRole('button', { name: 'Migrate' }).click();
  await expect(page.getByText(/migrate applied at event #40/)).toBeVisible();
  await expect(workerRow.getByRole('cell').nth(2)).toHaveText('1');
  const branches = page.getByRole('group', { name: 'Branches' });
  await expect(branches.getByRole('button', { name: /migrate worker.* → n1/ })).toBeVisible();
  // Undo: back on the branch before it, on n0.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(workerRow.getByRole('cell').nth(2)).toHaveText('0');
});
