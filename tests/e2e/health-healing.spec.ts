// A healing example from the gallery (crash-loop.yaml): run with healing on, the Health panel
// lists the action (the resizer's memory limit raised) and, clicked, shows why under the row;
// the signal chart has its axes. Screenshots of the Health panel at 1280×720 and 1920×1080, light
// and dark (test-results/screenshots/, for a person to look at); the Processes panel's tree
// shows the resizer as the upload service's child, its last row whole.
import { test, expect, waitForReady } from './fixtures';
import type { Page } from '@playwright/test';

async function openCrashLoop(page: Page) {
  await page.goto('/');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Examples' }).click();
  await page.getByRole('list', { name: 'Example specs' }).getByRole('button', { name: /^A crash loop healed/ }).click();
  const ask = page.getByRole('alertdialog');
  if (await ask.isVisible().catch(() => false)) await ask.getByRole('button', { name: 'Replace', exact: true }).click();
  await expect(page.getByText('A crash loop healed loaded and running at 1,000 events/s, pausing at event 3,000.')).toBeVisible({ timeout: 30_000 });
  // The crash loop is found after the resizer's third restart (~event 170): let it run past.
  await expect.poll(async () => Number((await page.getByTestId('cursor').textContent())?.replace(/\D/g, '') ?? 0), { timeout: 60_000 }).toBeGreaterThan(400);
  await page.getByTestId('pause').click();
}

test('crash-loop example: Health lists the limit raised, and the row shows its cause chain', async ({ guardedPage: page }) => {
  await openCrashLoop(page);
  await page.getByRole('tab', { name: 'Health' }).click();
  const health = page.getByRole('region', { name: 'Health' });
  await expect(health.getByText('Autonomy: heal')).toBeVisible();
  // The row ("#n at t ms: healed: ..."), not the chain's link to the same event ("#n heal/limitRaised ...").
  const action = health.getByRole('button', { name: /^#\d+ at [\d.]+ ms: healed: raised resizer's memory limit to 128 KiB \(its last failure was over the limit\) because resizer\[0\] restarted 3 times/ });
  await expect(action).toBeVisible();
  const seq = Number((await action.textContent())!.match(/^#(\d+)/)![1]);
  await action.click();
  await expect(action).toHaveAttribute('aria-current', 'true');
  const chain = health.getByRole('region', { name: 'Cause chain' });
  await expect(chain.getByRole('heading', { name: new RegExp(`Why #${seq} happened`) })).toBeVisible();
  // The chain walks back: the heal, the crash loop it answers, the restart and failure before it.
  await expect(chain.getByRole('button', { name: /anomaly\/detected.*restarted 3 times/ })).toBeVisible();
  await expect(chain.getByRole('button', { name: /process\/failed/ }).first()).toBeVisible();
  // The chart's axes: values in % of the limit, time in ms.
  const plot = health.locator('.plot').first();
  await expect(plot).toContainText('heap, % of its limit');
  await expect(health.locator('.plot').nth(1)).toContainText('queue, % of its capacity');
  await expect(plot).toContainText('100%');
  await expect(plot).toContainText('0 ms');
});

for (const [width, height] of [[1280, 720], [1920, 1080]] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`Health panel and process tree at ${width}×${height}, ${scheme}`, async ({ guardedPage: page }) => {
      test.setTimeout(120_000);
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height });
      await openCrashLoop(page);
      // The process tree: uploads[0] → resizer[0], every row whole inside its box.
      const tree = page.getByRole('list', { name: 'Process tree' });
      await expect(tree.getByRole('listitem')).toHaveCount(3);
      await expect(tree.getByRole('listitem').nth(1)).toContainText('resizer[0]');
      const box = (await page.locator('details.tree').boundingBox())!;
      const last = (await tree.getByRole('listitem').last().boundingBox())!;
      expect(last.y + last.height, 'the last tree row is not clipped').toBeLessThanOrEqual(box.y + box.height + 0.5);
      await page.screenshot({ path: `test-results/screenshots/${width}x${height}-${scheme}-process-tree-crash-loop.png` });
      await page.getByRole('tab', { name: 'Health' }).click();
      const health = page.getByRole('region', { name: 'Health' });
      const row = health.getByRole('button', { name: /^#\d+ at [\d.]+ ms: healed: raised resizer's memory limit/ });
      await row.click();
      // The chain opens under the row and is scrolled into view, even on a short panel.
      await expect(health.getByRole('region', { name: 'Cause chain' }).getByRole('heading', { name: /Why #\d+ happened/ })).toBeInViewport();
      await expect(row).toBeInViewport();
      await page.waitForTimeout(300);
      await page.screenshot({ path: `test-results/screenshots/${width}x${height}-${scheme}-health.png` });
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'Health scrolls sideways').toBe(true);
    });
  }
}
