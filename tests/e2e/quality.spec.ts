// Accessibility and responsiveness: what a demanding user notices without being told.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, waitForReady } from './fixtures';
import type { Page } from '@playwright/test';
import { expectNoLongTasks, watchLongTasks } from './long-tasks';

// The 50 ms budget is judged on each main-thread task's own CPU time (from a light performance
// trace, long-tasks.ts): on a 2-core machine the kernel worker holds one core, and a task of 20 ms
// that waits for the other is reported by the Long Tasks API at 55-190 ms (seen in CI). Wall time
// is still bounded, loosely, and a real regression fails every attempt.
test.describe.configure({ retries: 2 });
// Playwright's trace recorder snapshots the DOM in the page, on its main thread, around every
// action and assertion; those snapshots are long tasks of their own (60-170 ms each on this
// page, measured with TRACE_LONG_TASKS: long-tasks.ts) and are not the app's. The main-thread
// budgets here are measured without it.
test.use({ trace: 'off' });

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');

async function load(page: Page, spec: string) {
  await page.getByLabel('Spec (YAML)').fill(spec);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
}



test('no serious accessibility violations, before and after a run (light and dark)', async ({ guardedPage: page }) => {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/');
    await waitForReady(page);
    await load(page, example('map-reduce.yaml'));
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByTestId('run-state')).toHaveText('quiescent', { timeout: 30_000 });
    await page.getByRole('button', { name: '1', exact: true }).click();
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`), scheme).toEqual([]);
    await page.screenshot({ path: `test-results/screenshots/workbench-${scheme}.png`, fullPage: true });
  }
});

test('the main thread never blocks over 50 ms while the thousand-agent swarm runs', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await load(page, example('swarm.yaml'));
  // Counts reads of computed style: each one makes the browser bring the whole page's style up to
  // date inside the task that asks (the timeline strip reading its colours at every progress
  // report was about half of the largest task). Theme colours are read once per theme.
  await page.evaluate(() => {
    const read = window.getComputedStyle.bind(window);
    (globalThis as unknown as { styleReads: number }).styleReads = 0;
    window.getComputedStyle = (...args: Parameters<typeof window.getComputedStyle>) => {
      (globalThis as unknown as { styleReads: number }).styleReads++;
      return read(...args);
    };
  });
  await watchLongTasks(page, { cpu: true });
  // Only cheap CSS lookups while measuring: role queries are Playwright's own main-thread work.
  await page.getByTestId('run').click();
  await page.waitForTimeout(3000);
  // It may already have filled the journal (4,000,000 events) and stopped by itself.
  if (await page.getByTestId('pause').count()) await page.getByTestId('pause').click();
  await page.getByTestId('run').waitFor();
  await page.waitForTimeout(500);
  const events = Number((await page.getByTestId('cursor').innerText()).replace(/[^0-9]/g, ''));
  expect(events).toBeGreaterThan(100_000);
  await expectNoLongTasks(page, 'while the swarm ran');
  expect(await page.evaluate(() => (globalThis as unknown as { styleReads: number }).styleReads), 'computed-style reads while the swarm ran').toBe(0);
});

test('dragging the timeline across a million-event session keeps the main thread responsive', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await load(page, example('swarm.yaml'));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(async () => Number((await page.getByTestId('cursor').innerText()).replace(/[^0-9]/g, '')), { timeout: 60_000 }).toBeGreaterThan(1_000_000);
  // It may already have filled the journal (4,000,000 events) and stopped by itself.
  if (await page.getByTestId('pause').count()) await page.getByTestId('pause').click();
  await page.getByTestId('run').waitFor(); // stopped (Run is disabled if the journal is full)
  // A stop may bring a notice (the journal is full), which moves the layout: settle, then clear it.
  await page.waitForTimeout(300);
  if (await page.getByRole('button', { name: 'Dismiss' }).count()) await page.getByRole('button', { name: 'Dismiss' }).click();
  await watchLongTasks(page, { cpu: true });
  const slider = page.getByRole('slider', { name: 'Timeline' });
  const box = (await slider.boundingBox())!;
  await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 0; i <= 40; i++) {
    await page.mouse.move(box.x + box.width * (1 - i / 40), box.y + box.height / 2);
    await page.waitForTimeout(25);
  }
  await page.mouse.up();
  await expect(page.getByTestId('cursor')).toHaveText(/event \d/);
  await expectNoLongTasks(page, 'while the timeline was dragged');
});
