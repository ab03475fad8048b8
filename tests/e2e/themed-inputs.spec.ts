// Every form field follows the theme (issue 10, first-time user review): the Compare form's fork
// selects and event fields used the browser's own unstyled inputs (light grey, white text in dark).
import { readFileSync } from 'node:fs';
import type { Locator } from '@playwright/test';
import { test, expect, waitForReady, loadSpec } from './fixtures';

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');
const look = (field: Locator) => field.evaluate((element) => {
  const style = getComputedStyle(element);
  return { background: style.backgroundColor, color: style.color, border: style.borderTopColor };
});

for (const scheme of ['dark', 'light'] as const) {
  test(`the Compare form's fields look like every other field (${scheme})`, async ({ guardedPage: page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/');
    await waitForReady(page);
    await loadSpec(page, example('crash-restart.yaml'));
    // Themed by their own panels: the run speed select and the timeline's event field.
    const speed = await look(page.getByLabel('Run speed'));
    expect(await look(page.getByLabel('Go to event (past the end: runs on to it)'))).toEqual(speed);
    for (const label of ['Fork of point A', 'Event of point A', 'Fork of point B', 'Event of point B']) {
      await expect(page.getByLabel(label)).toBeVisible();
      expect(await look(page.getByLabel(label)), label).toEqual(speed);
    }
  });
}
