// How the Experiments tab and its report write numbers (review of session 12): thousands grouped
// everywhere a person reads them (1,448 and 5,814 here, as the events column always wrote them),
// text columns left and numbers right with each head over its cells (the ranked configurations'
// "configuration" head was right-aligned over left-aligned names), an objective the same in
// every trial said once with no p = 1 test, and the downloaded report: grouped numbers, round
// axis labels, `ticks (µs)`. Screenshots of the tab and of the report at 1280×720 and 1920×1080,
// light and dark (test-results/screenshots/, not committed).
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, waitForReady } from './fixtures';
import { runSmallPlan } from './small-plan';

const SIZES = [[1280, 720], [1920, 1080]] as const;
const SCHEMES = ['light', 'dark'] as const;

/** The deadlock example healed or not, on a grid of two quanta: heal-on exchanges 1,448 messages in 40 ms, heal-off none; both always have 2 agents' processes. */
const PLAN = `agentos-experiment: 1
name: small deadlock grid
spec: deadlock.yaml
seeds: 2
stop: { ticks: 40ms }
variants:
  - { name: heal-off, set: { autonomy.heal: off } }
  - { name: heal-on,  set: { autonomy.heal: on } }
grid:
  kernel.quantum: [1ms, 2ms]
metrics:
  exchanged: agents.alice.received + agents.bob.received
  agents: agents.alice.processes + agents.bob.processes
objective: { maximize: [exchanged, agents] }
`;

/** Each table's column heads and first row's cells: their text and alignment. */
type Column = { head: string; headAlign: string; cellAlign: string };
function columns(page: Page): Promise<Record<string, Column[]>> {
  return page.locator('.lab').evaluate((box) => Object.fromEntries([...box.querySelectorAll('table')]
    .filter((table) => !table.querySelector('[colspan], [rowspan]'))
    .map((table) => {
      const heads = [...table.querySelectorAll('thead tr:last-child th')];
      const cells = [...(table.querySelector('tbody tr')?.children ?? [])];
      return [table.getAttribute('aria-label'), heads.map((head, i) => ({
        head: head.textContent!.trim(), headAlign: getComputedStyle(head).textAlign, cellAlign: cells[i] ? getComputedStyle(cells[i]).textAlign : '',
      }))];
    })));
}

test('numbers grouped, text left and numbers right, a metric the same everywhere said once; the report the same way', async ({ guardedPage: page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await waitForReady(page);
  await runSmallPlan(page, PLAN, 8);

  const verdict = page.getByRole('region', { name: 'Comparison' });
  await expect(verdict).toContainText('heal-on is best by exchanged');
  await expect(verdict).toContainText('agents: every trial of every variant gave 2 processes, so there is nothing to compare.');
  await expect(verdict).not.toContainText('on agents: U=');
  await expect(verdict).not.toContainText('is best by agents');

  // Grouped: the metric tables, the trials' metric and events columns.
  const exchanged = page.getByRole('table', { name: 'Metric exchanged' });
  await expect(exchanged.getByRole('row', { name: /^heal-on/ }).getByRole('cell').nth(1)).toHaveText('1,448');
  const healed = page.getByRole('table', { name: 'Trials' }).getByRole('row', { name: /heal-on/ }).first();
  await expect(healed.getByRole('cell').nth(1)).toHaveText(/^heal-on kernel\.quantum=\dms$/); // a space between the variant and its grid point
  await expect(healed.getByRole('cell').nth(3)).toHaveText('5,814');
  await expect(healed.getByRole('cell').nth(4)).toHaveText('1,448');
  await expect(page.getByRole('table', { name: 'Configurations ranked' }).getByRole('row').nth(1)).toContainText('1,448');

  // Text columns left, numbers right, each head aligned as its cells.
  const tables = await columns(page);
  for (const [table, cols] of Object.entries(tables)) {
    for (const col of cols) if (col.cellAlign && col.head) expect(col.headAlign, `${table}: "${col.head}" over its cells`).toBe(col.cellAlign);
  }
  const align = (table: string, head: string) => tables[table].find((col) => col.head === head)?.cellAlign;
  expect([align('Configurations ranked', '#'), align('Configurations ranked', 'configuration'), align('Configurations ranked', 'mean')]).toEqual(['right', 'left', 'right']);
  expect([align('Trials', 'trial'), align('Trials', 'variant'), align('Trials', 'events')]).toEqual(['right', 'left', 'right']);
  expect([align('Metric exchanged', 'variant'), align('Metric exchanged', 'mean')]).toEqual(['left', 'right']);

  for (const [width, height] of SIZES) {
    for (const scheme of SCHEMES) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(300);
      for (const [part, table] of [['tables', 'Metric exchanged'], ['ranked', 'Configurations ranked'], ['trials', 'Trials']]) {
        await page.getByRole('table', { name: table }).evaluate((element) => element.scrollIntoView({ block: 'start' }));
        await page.screenshot({ path: `test-results/screenshots/numbers-${width}x${height}-${scheme}-tab-${part}.png` });
      }
    }
  }

  // The report: grouped numbers, round axis labels, the constant metric said once, ticks with their unit.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report' }).click()]);
  const report = readFileSync((await download.path())!, 'utf8');
  expect(report).toContain('heal-on: agents the same as heal-off in every trial: every seed gave 2 processes (4 seeds each), so there is nothing to compare</li>');
  expect(report).not.toContain('on agents: U=');
  expect(report).toContain('ticks (µs)</th>');
  expect(report).toContain('<td>5,814</td><td>39,985</td>');
  expect(report).not.toMatch(/>-?\d{4,}(\.\d+)?</); // no ungrouped number in a cell or a label
  const reportPage = await page.context().newPage();
  await reportPage.setContent(report);
  // The agents strip's axis: the one value, 2 (not -0.08 ... 2.08).
  const agentsAxis = reportPage.locator('h3:text-is("agents (processes)") + svg text[text-anchor="middle"]');
  await expect(agentsAxis).toHaveText(['2']);
  // exchanged: 0 (heal-off) to 1,448 (heal-on), labelled at round values, grouped.
  await expect(reportPage.locator('h3:text-is("exchanged (messages)") + svg text[text-anchor="middle"]')).toHaveText(['0', '500', '1,000', '1,500']);
  const variantCell = reportPage.locator('table').last().locator('tbody tr').first().locator('td').nth(1);
  expect(await variantCell.evaluate((cell) => getComputedStyle(cell).textAlign)).toBe('left');
  for (const [width, height] of SIZES) {
    for (const scheme of SCHEMES) {
      await reportPage.setViewportSize({ width, height });
      await reportPage.emulateMedia({ colorScheme: scheme });
      await reportPage.screenshot({ path: `test-results/screenshots/numbers-${width}x${height}-${scheme}-report.png`, fullPage: true });
    }
  }
  await reportPage.close();
});
