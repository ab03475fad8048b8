// Text cut short to fit (an ellipsis) can still be read whole: hovering it shows all of it.
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady, loadAndRun } from './fixtures';

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');

test('events list at 1280x720: a row whose words are cut short shows them whole on hover', async ({ guardedPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await waitForReady(page);
  await loadAndRun(page, example('memory-leak.yaml'));
  const events = page.getByRole('list', { name: 'Events before the cursor' });
  await expect(events.locator('.fields').first()).toBeVisible();
  const cells = await events.locator('.fields').evaluateAll((spans) => spans.map((span) => ({
    text: span.textContent ?? '', title: span.getAttribute('title') ?? '', cut: span.scrollWidth > span.clientWidth,
  })));
  const cut = cells.filter((cell) => cell.cut);
  expect(cut.length, 'rows cut short at 1280x720').toBeGreaterThan(0);
  for (const cell of cut) expect(cell.title, `the title of "${cell.text}"`).toContain(cell.text);
});
