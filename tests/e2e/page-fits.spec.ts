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

// Everything open at once (issue 10): an example run, three branches in the tree, an event's cause
// chain. At 1280×720 the workbench showed 3 process rows, 1 event row and 1 line of the chain.
const mapReduce = (page: Page) => page.getByRole('list', { name: 'Example specs' }).getByRole('button', { name: /^Map-reduce/ });

/** Rows of `rows` wholly inside `box`'s visible area. */
async function rowsInSight(page: Page, box: string, rows: string): Promise<number> {
  return page.evaluate(([boxSelector, rowSelector]) => {
    const container = document.querySelector(boxSelector);
    if (!container) return -1;
    const area = container.getBoundingClientRect();
    return [...container.querySelectorAll(rowSelector)].filter((row) => {
      const r = row.getBoundingClientRect();
      return r.height > 0 && r.top >= area.top - 1 && r.bottom <= area.bottom + 1;
    }).length;
  }, [box, rows] as const);
}

/** Controls whose text does not fit in them, or that stick out of their panel; tab labels on more than one line. */
async function clipped(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const name = (element: Element) => `${element.tagName.toLowerCase()} "${(element.getAttribute('aria-label') ?? (element as HTMLElement).innerText ?? '').trim().slice(0, 40)}"`;
    for (const panel of document.querySelectorAll('.area-timeline, .area-panels, .area-inspector')) {
      const edge = panel.getBoundingClientRect();
      for (const control of panel.querySelectorAll('button, select, input:not([type=file])')) {
        // The branch rows and event rows end in … by design (their title says it all).
        if (control.closest('[aria-label="Branches"], [aria-label="Events before the cursor"], [aria-label="Cause chain"], .scroll')) continue;
        const box = control.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        if (control.scrollWidth > control.clientWidth + 1 && control.tagName !== 'SELECT') found.push(`${name(control)}: text ${control.scrollWidth} px in ${control.clientWidth} px`);
        if (box.right > edge.right + 1 || box.left < edge.left - 1) found.push(`${name(control)}: out of its panel`);
      }
    }
    const tabs = [...document.querySelectorAll('[role=tablist][aria-label="System views"] [role=tab]')];
    const line = Math.min(...tabs.map((tab) => tab.getBoundingClientRect().height));
    for (const tab of tabs) if (tab.getBoundingClientRect().height > line + 2) found.push(`tab ${name(tab)} wraps`);
    return found;
  });
}

for (const [width, height] of [[1280, 720], [1920, 1080]] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`at ${width}×${height} (${scheme}) an example run with three branches and a cause chain open fits, rows in sight`, async ({ guardedPage: page }) => {
      test.setTimeout(120_000);
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height });
      await page.goto('/');
      await waitForReady(page);
      await page.getByRole('button', { name: 'Examples' }).click();
      await mapReduce(page).click();
      await expect(page.getByTestId('run-state')).toHaveText('quiescent', { timeout: 60_000 });
      // Three branches: a kill a few events back, three times.
      for (const pid of ['1', '2', '3']) {
        for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step back' }).click();
        await page.getByRole('button', { name: pid, exact: true }).click();
        await page.getByRole('button', { name: 'Kill', exact: true }).click();
        await expect(page.getByText(/kill applied at event/)).toBeVisible();
      }
      await expect(page.getByRole('group', { name: 'Branches' }).getByRole('button')).toHaveCount(4);
      // Why an event on the reducer's side happened: a long chain (it goes back to the source).
      await page.getByRole('list', { name: 'Events before the cursor' }).getByRole('button').filter({ hasText: /heap\/freed|ipc\/received/ }).first().click();
      await expect(page.getByRole('heading', { name: /^Why #\d+ happened/ })).toBeVisible();
      expect(await page.getByRole('region', { name: 'Cause chain' }).getByRole('listitem').count()).toBeGreaterThan(10);
      await documentFits(page, 'branches and a cause chain, the notice shown');
      expect(await clipped(page), 'clipped controls or wrapped tab labels').toEqual([]);

      // The notice goes by itself after a while: what stays is measured.
      await page.getByRole('button', { name: 'Dismiss' }).click();
      await page.waitForTimeout(300);
      await documentFits(page, 'branches and a cause chain');
      expect(await clipped(page), 'clipped controls or wrapped tab labels').toEqual([]);
      const processes = await rowsInSight(page, 'section[aria-label="Processes"] .scroll', 'tbody tr:not(.spacer)');
      const events = await rowsInSight(page, 'section[aria-label="Events"] .scroll', 'li');
      const chain = await rowsInSight(page, 'section[aria-label="Cause chain"]', 'li');
      await page.screenshot({ path: `test-results/screenshots/page-fits-${width}x${height}-${scheme}-branches-why.png` });
      const least = width === 1280 ? { processes: 4, events: 4, chain: 3 } : { processes: 6, events: 10, chain: 10 };
      expect({ processes, events, chain }, 'rows wholly in sight').toEqual({
        processes: Math.max(processes, least.processes), events: Math.max(events, least.events), chain: Math.max(chain, least.chain),
      });
    });
  }
}

test('at 1280×720 a long channel name leaves Inject message on the row of the controls it belongs to', async ({ guardedPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Examples' }).click();
  await page.getByRole('list', { name: 'Example specs' }).getByRole('button', { name: /^Deadlock/ }).click();
  await expect(page.getByTestId('run-state')).toHaveText('deadlocked', { timeout: 60_000 });
  const channel = page.getByLabel('Channel');
  await expect(channel).toHaveAttribute('title', 'alice.to_bob → bob.from_alice');
  const select = (await channel.boundingBox())!;
  const button = (await page.getByRole('button', { name: 'Inject message' }).boundingBox())!;
  expect(Math.abs(button.y + button.height / 2 - (select.y + select.height / 2)), 'Inject message beside the channel, not wrapped under it').toBeLessThan(6);
});
