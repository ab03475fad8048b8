// A select that intervenes (the scheduler policy, the allocator, the autonomy) makes one branch per
// choice, never one per option passed on the way: the arrow keys browse it, Enter (or leaving it)
// applies, Escape keeps the current value; a choice with the mouse applies at once. The branch
// tree, a few rows tall, always shows the current branch.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, waitForReady, loadSpec } from './fixtures';

const spec = readFileSync(new URL('../../public/examples/map-reduce.yaml', import.meta.url), 'utf8');

async function load(page: Page) {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await waitForReady(page);
  await loadSpec(page, spec);
  await page.getByTestId('step').click();
  await expect(page.getByTestId('cursor')).toHaveText('event 1');
  await expect(page.getByLabel('Scheduler policy')).toBeEnabled();
}

test('arrow keys on the Scheduler select browse without intervening; Enter applies once; Escape keeps the policy', async ({ guardedPage: page }) => {
  await load(page);
  const select = page.getByLabel('Scheduler policy');
  const tree = page.getByRole('group', { name: 'Branches' });
  const before = await select.inputValue();
  await select.focus();
  await expect(select).toBeFocused();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowUp');
  await page.waitForTimeout(500);
  // Nothing applied: no branch, no notice; the select shows the browsed value, pending.
  await expect(page.getByText(/policy applied at event/)).toHaveCount(0);
  await expect(tree).toHaveCount(0);
  expect(await select.inputValue()).not.toBe(before);
  await expect(page.getByText(`Enter applies, Esc keeps ${before}`)).toBeVisible();
  // Escape puts it back, still without a branch.
  await page.keyboard.press('Escape');
  await expect(select).toHaveValue(before);
  await expect(page.getByText(/Enter applies/)).toHaveCount(0);
  // Browse again and apply with Enter: one intervention, one branch.
  await page.keyboard.press('ArrowDown');
  const chosen = await select.inputValue();
  expect(chosen).not.toBe(before);
  await page.keyboard.press('Enter');
  await expect(page.getByText(/policy applied at event/)).toBeVisible();
  await expect(tree.getByRole('button')).toHaveCount(2);
  await expect(tree.getByRole('button', { name: new RegExp(`^branch 1 policy n0 → ${chosen}`) })).toHaveAttribute('aria-current', 'true');
  await expect(select).toHaveValue(chosen);
  // Leaving the select after browsing applies it too (one more branch, not one per key).
  await expect(select).toBeEnabled();
  await select.focus();
  await expect(select).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(page.getByText(/Enter applies/)).toBeVisible();
  await expect(tree.getByRole('button')).toHaveCount(2);
  await page.keyboard.press('Tab');
  await expect(tree.getByRole('button')).toHaveCount(3);
  // With the mouse (a choice in the opened list): at once.
  await expect(select).toBeEnabled();
  const other = (await select.inputValue()) === 'fair' ? 'eevdf' : 'fair';
  await select.selectOption(other);
  await expect(tree.getByRole('button')).toHaveCount(4);
});

test('the branch tree keeps the current branch in sight', async ({ guardedPage: page }) => {
  await load(page);
  const select = page.getByLabel('Scheduler policy');
  const tree = page.getByRole('group', { name: 'Branches' });
  const policies = ['round-robin', 'priority', 'fair', 'eevdf', 'round-robin', 'priority'];
  for (const [index, policy] of policies.entries()) {
    await select.selectOption(policy);
    await expect(tree.getByRole('button')).toHaveCount(index + 2);
  }
  const inSight = async (name: RegExp) => {
    const row = tree.getByRole('button', { name });
    await expect(row).toHaveAttribute('aria-current', 'true');
    const box = (await tree.boundingBox())!;
    const item = (await row.boundingBox())!;
    return item.y >= box.y - 1 && item.y + item.height <= box.y + box.height + 1;
  };
  // The newest, deepest branch is current and shown.
  await expect.poll(() => inSight(/^branch 6 /)).toBe(true);
  // Switching to main (the top row) shows it; back to branch 6 shows that again (clicked from a
  // script: Playwright's own click would scroll the row into view first).
  await tree.getByRole('button', { name: /^main/ }).evaluate((button: HTMLElement) => button.click());
  await expect.poll(() => inSight(/^main/)).toBe(true);
  await tree.getByRole('button', { name: /^branch 6 / }).evaluate((button: HTMLElement) => button.click());
  await expect.poll(() => inSight(/^branch 6 /)).toBe(true);
  await page.screenshot({ path: 'test-results/screenshots/branch-tree-current.png' });
});
