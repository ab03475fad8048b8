// The System tabs at a laptop's 1280×720 and a desktop's 1920×1080: every tab is in sight (none
// cut off or behind a scrollbar), one click on it shows its panel, and the keyboard reaches them
// all (WAI-ARIA tabs). They sit in the System panel's title row: at 1280 wide the ten tabs take two
// rows of it, at 1920 one.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, waitForReady } from './fixtures';

const spec = readFileSync(new URL('../../public/examples/map-reduce.yaml', import.meta.url), 'utf8');

async function load(page: Page) {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(spec);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
}

for (const [width, height, rows] of [[1280, 720, 2], [1920, 1080, 1]] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`at ${width}×${height} (${scheme}) every System tab is in sight and one click opens its panel`, async ({ guardedPage: page }) => {
      test.setTimeout(120_000);
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height });
      await load(page);
      const list = page.getByRole('tablist', { name: 'System views' });
      const tabs = list.getByRole('tab');
      const names = await tabs.allInnerTexts();
      expect(names.length).toBeGreaterThanOrEqual(10);
      // Nothing of the row scrolls or is clipped: the list is as wide as its content.
      expect(await list.evaluate((element) => element.scrollWidth <= element.clientWidth + 1), 'the tab row scrolls sideways').toBe(true);
      const frame = (await list.boundingBox())!;
      const tops = new Set<number>();
      const boxes = new Map<string, { x: number; y: number }>();
      for (const name of names) {
        const tab = list.getByRole('tab', { name, exact: true });
        const box = (await tab.boundingBox())!;
        // Wholly inside the tab list and the window, without scrolling anything into view.
        expect(box.x, `${name} starts inside the tab row`).toBeGreaterThanOrEqual(frame.x - 1);
        expect(box.x + box.width, `${name} ends inside the tab row`).toBeLessThanOrEqual(frame.x + frame.width + 1);
        expect(box.y + box.height, `${name} is inside the window`).toBeLessThanOrEqual(height);
        tops.add(Math.round(box.y));
        boxes.set(name, { x: Math.round(box.x), y: Math.round(box.y) });
      }
      expect(tops.size, 'rows of tabs').toBe(rows);
      for (const name of names) {
        const tab = list.getByRole('tab', { name, exact: true });
        await tab.click({ trial: true, timeout: 2000 });
        await tab.click();
        await expect(tab).toHaveAttribute('aria-selected', 'true');
        const panel = page.getByRole('tabpanel', { name, exact: true });
        await expect(panel).toBeVisible();
        // The panel's content, not only its frame (a loading line first for the lazy panels).
        await expect(panel.getByText(/^Loading the .* panel…$/)).toHaveCount(0, { timeout: 10_000 });
        expect((await panel.innerText()).trim().length, `${name} shows something`).toBeGreaterThan(0);
        if (name === 'Query' || name === 'Experiments' || name === 'Health' || name === 'Processes & Events') {
          await page.screenshot({ path: `test-results/screenshots/system-tabs-${width}x${height}-${scheme}-${name.toLowerCase().replace(/[^a-z]+/g, '-')}.png` });
        }
        // Where it was: nothing was scrolled to reach it, and selecting a tab (its label turns
        // bold) moves no tab.
        for (const other of names) {
          const box = (await list.getByRole('tab', { name: other, exact: true }).boundingBox())!;
          expect({ x: Math.round(box.x), y: Math.round(box.y) }, `${other} after a click on ${name}`).toEqual(boxes.get(other));
        }
      }
    });
  }
}

test('the keyboard reaches every System tab: arrows, Home and End', async ({ guardedPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await load(page);
  const list = page.getByRole('tablist', { name: 'System views' });
  const names = await list.getByRole('tab').allInnerTexts();
  const first = list.getByRole('tab', { name: names[0], exact: true });
  await first.click();
  for (const name of names.slice(1)) {
    await page.keyboard.press('ArrowRight');
    const tab = list.getByRole('tab', { name, exact: true });
    await expect(tab).toBeFocused();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tabpanel', { name, exact: true })).toBeVisible();
  }
  await page.keyboard.press('ArrowRight');
  await expect(first).toBeFocused();
  await page.keyboard.press('End');
  await expect(list.getByRole('tab', { name: names[names.length - 1], exact: true })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(first).toHaveAttribute('aria-selected', 'true');
  // One tab stop: Tab leaves the list from the selected tab.
  expect(await list.getByRole('tab').evaluateAll((tabs) => tabs.filter((tab) => (tab as HTMLElement).tabIndex === 0).length)).toBe(1);
});
