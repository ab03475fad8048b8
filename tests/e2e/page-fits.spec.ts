// The app is one screen: the header, the workbench and the status bar always fill the window and
// the document itself never scrolls, whatever a panel shows. Only the panels scroll. A panel's
// content (a long table, a visually-hidden label deep in a scrolled box) must never make the
// document taller or wider than the window: at 1280×720 a wheel over the header once moved the
// whole app up by 488 px after an experiment's results were shown.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, waitForReady, loadSpec } from './fixtures';
import { runSmallPlan, smallPlan } from './small-plan';

/** 2 variants × 3 seeds. */
const runPlan = (page: Page) => runSmallPlan(page, smallPlan(3), 6);

const spec = readFileSync(new URL('../../public/examples/map-reduce.yaml', import.meta.url), 'utf8');


async function documentFits(page: Page, where: string) {
  const size = await page.evaluate(() => {
    const root = document.scrollingElement!;
    return { height: root.scrollHeight, width: root.scrollWidth, innerHeight, innerWidth, top: root.scrollTop };
  });
  expect(size.height, `${where}: the document is ${size.height} px tall in a ${size.innerHeight} px window`).toBeLessThanOrEqual(size.innerHeight);
  expect(size.width, `${where}: the document is ${size.width} px wide in a ${size.innerWidth} px window`).toBeLessThanOrEqual(size.innerWidth);
  expect(size.top, `${where}: the document is scrolled`).toBe(0);
}

for (const [width, height] of [[1280, 720], [1920, 1080]] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`at ${width}×${height} (${scheme}) the document never scrolls: experiment results, then every System tab`, async ({ guardedPage: page }) => {
      test.setTimeout(240_000);
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height });
      await page.goto('/');
      await waitForReady(page);
      await loadSpec(page, spec);
      // Some history, so that the event and process views have rows.
      await page.getByTestId('run').click();
      await expect(page.getByTestId('pause')).toHaveCount(0, { timeout: 30_000 });
      await expect(page.getByTestId('cursor')).not.toHaveText('event 0');

      await runPlan(page);
      await expect(page.getByRole('table', { name: 'Trials' }).getByRole('row')).toHaveCount(7);
      await documentFits(page, 'experiment results shown');
      // The wheel over the header moves nothing.
      const header = page.getByRole('banner');
      const before = (await header.boundingBox())!;
      await page.mouse.move(before.x + before.width / 2, before.y + before.height / 2);
      await page.mouse.wheel(0, 600);
      await page.waitForTimeout(300);
      expect((await header.boundingBox())!.y, 'the header stays at the top').toBe(before.y);
      await documentFits(page, 'after a wheel over the header');
      await page.screenshot({ path: `test-results/screenshots/page-fits-${width}x${height}-${scheme}-experiments.png` });

      // Every System tab, opened and its content scrolled to the end.
      const tabs = page.getByRole('tablist', { name: 'System views' }).getByRole('tab');
      for (const name of await tabs.allInnerTexts()) {
        const tab = page.getByRole('tablist', { name: 'System views' }).getByRole('tab', { name, exact: true });
        await tab.click();
        const panel = page.getByRole('tabpanel', { name, exact: true });
        await expect(panel).toBeVisible();
        await expect(panel.getByText(/^Loading the .* panel…$/)).toHaveCount(0, { timeout: 10_000 });
        await panel.evaluate((element) => {
          for (const box of [element, ...element.querySelectorAll('*')]) if (box.scrollHeight > box.clientHeight) box.scrollTop = box.scrollHeight;
        });
        const box = (await panel.boundingBox())!;
        await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 40));
        await page.mouse.wheel(0, 2000);
        await page.waitForTimeout(100);
        await documentFits(page, `the ${name} tab`);
      }
    });
  }
}
