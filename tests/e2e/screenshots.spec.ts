// Screenshots of every main view at 1280×720 and 1920×1080, light and dark, for a person to look
// at (test-results/screenshots/, not committed). Each also checks that nothing of the page
// scrolls sideways (the System tabs: tests/e2e/system-tabs.spec.ts).
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady } from './fixtures';

const spec = readFileSync(new URL('../../public/examples/map-reduce.yaml', import.meta.url), 'utf8');
const TABS = ['Processes & Events', 'Memory', 'Metrics', 'Profile', 'IPC', 'Shell'] as const;

for (const [width, height] of [[1280, 720], [1920, 1080]] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`every main view at ${width}×${height}, ${scheme}`, async ({ guardedPage: page }) => {
      test.setTimeout(240_000);
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height });
      await page.goto('/');
      await waitForReady(page);
      const name = (view: string) => `test-results/screenshots/${width}x${height}-${scheme}-${view}.png`;
      await page.screenshot({ path: name('welcome') });
      await page.getByLabel('Spec (YAML)').fill(spec);
      await page.getByRole('button', { name: 'Load', exact: true }).click();
      const goto = page.getByLabel('Go to event (past the end: runs on to it)');
      await goto.fill('12000');
      await goto.press('Enter');
      await expect(page.getByTestId('cursor')).toHaveText('event 12,000', { timeout: 30_000 });
      await page.getByRole('button', { name: '1', exact: true }).click();
      await page.getByRole('list', { name: 'Events before the cursor' }).getByRole('button').nth(3).click();
      for (const tab of TABS) {
        await page.getByRole('tab', { name: tab }).click();
        if (tab === 'Shell') {
          await page.getByLabel('Shell command').fill('mem');
          await page.getByLabel('Shell command').press('Enter');
        }
        await page.waitForTimeout(400);
        await page.screenshot({ path: name(tab.toLowerCase().replace(/[^a-z]+/g, '-')) });
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${tab} scrolls sideways`).toBe(true);
      }
      await page.keyboard.press('Control+k');
      await page.getByRole('combobox', { name: 'Filter commands' }).fill('the');
      await page.screenshot({ path: name('palette') });
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Examples' }).click();
      await page.screenshot({ path: name('examples-menu') });
    });
  }
}
