// The process tree in the Processes panel: boss → managers → workers by spawn, collapsed and
// expanded; "Kill subtree" on a manager kills it and its workers as one intervention (a branch),
// and the rest runs on.
import { test, expect, waitForReady } from './fixtures';

const specText = `agentos: 1
name: tree
agents:
  boss: { program: [{ spawn: manager }, { spawn: manager }, { sleep: 50ms }] }
  manager: { replicas: 0, program: [{ spawn: worker }, { spawn: worker }, { sleep: 50ms }] }
  worker: { replicas: 0, program: [{ repeat: 100, do: [{ compute: 100us }, { sleep: 300us }] }] }
`;

test('the process tree collapses and expands, and Kill subtree kills a manager with its workers', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(specText);
  await page.getByRole('button', { name: 'Load and run' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('quiescent', { timeout: 60_000 });
  await page.getByRole('slider', { name: 'Timeline' }).fill('100');
  await expect(page.getByTestId('cursor')).toHaveText('event 100');
  const tree = page.getByRole('list', { name: 'Process tree' });
  await expect(tree).toBeVisible();
  const rows = tree.getByRole('listitem');
  // boss[0], manager[0], 2 workers, manager[1], 2 workers: 7 rows, in preorder.
  await expect(rows).toHaveCount(7);
  await expect(rows.nth(0)).toContainText('boss[0]');
  await expect(rows.nth(1)).toContainText('manager[0]');
  await expect(rows.nth(2)).toContainText('worker[');
  const collapse = tree.getByRole('button', { name: 'Collapse manager[0]' });
  await expect(collapse).toHaveAttribute('aria-expanded', 'true');
  await collapse.click();
  await expect(rows).toHaveCount(5);
  await tree.getByRole('button', { name: 'Expand manager[0]' }).click();
  await expect(rows).toHaveCount(7);

  await tree.getByRole('button', { name: 'Kill subtree of manager[0]' }).click();
  await expect(page.getByText(/kill subtree applied at event #100/)).toBeVisible();
  // manager[0] and its two workers were killed (a kill is a kill, not "failed"); boss and the other manager's branch were not.
  await expect(rows.nth(1)).toContainText(/killed #\d+/);
  await expect(rows.nth(2)).toContainText(/killed #\d+/);
  await expect(rows.nth(3)).toContainText(/killed #\d+/);
  await expect(rows.nth(0)).not.toContainText(/failed|killed/);
  await expect(rows.nth(4)).not.toContainText(/failed|killed/);
  await expect(tree.getByRole('button', { name: 'Kill subtree of manager[0]' })).toBeDisabled();
  const branches = page.getByRole('group', { name: 'Branches' });
  await expect(branches.getByRole('button', { name: /kill the subtree of manager\[0\]/ })).toBeVisible();
});
