// Issue 12's done-when walk in the browser, as a user clicks it: from the example plans, run the
// starvation experiment (fair vs eevdf vs round-robin, and priority; 5 seeds here to keep it
// short), see which wins with confidence intervals and the Mann–Whitney test in words, filter
// the trials with the parallel coordinates, open the worst trial in the workbench, download the
// report, and compare two trials A/B (synced cursor, key events, per-agent outcomes; each side
// opens in the workbench). Screenshots at 1280×720 and 1920×1080, light and dark.
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady } from './fixtures';
import type { Locator, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

test.describe.configure({ retries: Number(process.env.E2E_RETRIES ?? 1) });

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');
const PLAN = 'Starvation: fair vs eevdf vs round-robin (and priority), 10 seeds';
const SEEDS = 5;
const TRIALS = 4 * SEEDS;

const progress = (page: Page) => page.getByTestId('sweep-progress');
const trialRows = (page: Page) => page.getByRole('table', { name: 'Trials' }).locator('tbody tr');

async function dragAlong(page: Page, target: Locator, fromFraction: number, toFraction: number) {
  await target.scrollIntoViewIfNeeded();
  const box = (await target.boundingBox())!;
  const x = box.x + box.width / 2;
  await page.mouse.move(x, box.y + box.height * fromFraction);
  await page.mouse.down();
  await page.mouse.move(x, box.y + box.height * ((fromFraction + toFraction) / 2), { steps: 4 });
  await page.mouse.move(x, box.y + box.height * toFraction, { steps: 4 });
  await page.mouse.up();
}

test('the starvation experiment: winner with CIs and Mann–Whitney, parallel coordinates filter, worst trial opens, report downloads, A/B side by side', async ({ guardedPage: page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(example('priority-starvation.yaml'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await page.getByRole('tab', { name: 'Experiments' }).click();
  await page.getByLabel('Example plan').selectOption({ label: PLAN });
  const planBox = page.getByLabel('Experiment plan');
  await expect(planBox).toHaveValue(/seeds: 10\n/);
  await planBox.fill((await planBox.inputValue()).replace('seeds: 10\n', `seeds: ${SEEDS}\n`));
  await page.getByLabel('Workers').fill('2');
  await page.getByRole('button', { name: 'Run experiment' }).click();
  await expect(progress(page)).toHaveText(`${TRIALS} of ${TRIALS} trials · done`, { timeout: 120_000 });

  // Which wins, with confidence intervals, and the rank test in words under each comparison.
  const verdict = page.getByRole('region', { name: 'Comparison' });
  // Both objectives have their verdict (3 comparisons each), and the Pareto front is said in words.
  await expect(verdict).toContainText(/is best by auditor_share \(in ‰, higher is better\)/);
  await expect(verdict).toContainText(/is best by jobs \(in messages, higher is better\)/);
  await expect(verdict).toContainText(/together \(the Pareto front\)/);
  await expect(verdict.getByRole('listitem')).toHaveCount(6);
  await expect(verdict).toContainText(/than \w[\w-]* \(95% CI .*, 5 seeds each\)/);
  await expect(verdict.getByRole('listitem').first()).toContainText(/(beats|no clear difference between) .* on auditor_share: U=\d+(\.5)?, p[=<][\d.]+ \(Mann–Whitney, /);
  // Round-robin gives the auditor 1 of 5 processes' turns: every seed beats priority's starved auditor.
  await expect(verdict).toContainText(/round-robin beats priority on auditor_share: U=0, p=0\.0\d+ \(Mann–Whitney, .*100% of pairs of trials\)/);
  const share = page.getByRole('table', { name: 'Metric auditor_share' });
  await expect(share.getByRole('row', { name: /^fair/ }).getByRole('cell').nth(2)).toHaveText(/^(-?[\d.]+‰ to [\d.]+‰|no spread: every seed gave [\d.]+‰)$/);

  // Parallel coordinates: drag on the variant axis over its top value (priority) keeps its 5 trials.
  const coords = page.getByRole('region', { name: 'Parallel coordinates' });
  await expect(coords.getByRole('slider')).toHaveCount(4); // variant, jobs, auditor_share, backlog
  const variantAxis = coords.getByRole('slider', { name: 'Filter by variant' });
  await dragAlong(page, variantAxis, 0.02, 0.12);
  await expect(coords).toContainText(`${SEEDS} of ${TRIALS} trials · variant priority`);
  await expect(trialRows(page)).toHaveCount(SEEDS);
  for (const row of await trialRows(page).all()) await expect(row.getByRole('cell').nth(1)).toHaveText('priority');
  await expect(page.getByRole('table', { name: 'Trials' }).locator('caption')).toContainText('kept by variant priority');
  // A second brush, on a metric, narrows it further; Escape on an axis clears its brush.
  const backlogAxis = coords.getByRole('slider', { name: 'Filter by auditor_share' });
  await backlogAxis.focus();
  await page.keyboard.press('Escape');
  await variantAxis.focus();
  await page.keyboard.press('Escape');
  await expect(coords).toContainText(`${TRIALS} of ${TRIALS} trials`);
  await expect(trialRows(page)).toHaveCount(TRIALS);

  // The worst trial opens in the workbench at its stop point, with its line's stateHash.
  const worst = trialRows(page).first();
  const title = await worst.getByRole('button', { name: 'Open' }).getAttribute('title');
  const worstHash = /stateHash ([0-9a-f]{16})/.exec(title ?? '')![1];
  await expect(worst.getByRole('cell').nth(1)).toHaveText('priority'); // the starved auditor is the worst
  await worst.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('state-hash')).toHaveText(worstHash, { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Experiments' }).click();

  // Download report: the self-contained HTML, with the rank test beside the bootstrap.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report' }).click()]);
  const report = readFileSync((await download.path())!, 'utf8');
  expect(report).toMatch(/^<!doctype html>/);
  expect(report).toContain('Mann–Whitney');
  expect(report).toContain('<svg class="strip"');
  expect(report).not.toContain('<script');

  // A/B: the worst against the best, side by side on one time axis with a synced cursor.
  await page.getByRole('button', { name: 'Compare two trials A/B' }).click();
  const ab = page.getByRole('region', { name: 'A/B side by side' });
  const sideA = ab.getByRole('figure', { name: 'Trial A' }), sideB = ab.getByRole('figure', { name: 'Trial B' });
  await expect(sideA).toBeVisible({ timeout: 60_000 });
  await expect(sideB).toBeVisible();
  await expect(sideA).toContainText(/#\d+ priority seed \d/);
  await expect(sideB).toContainText(/#\d+ round-robin seed \d/);
  await expect(sideA).toContainText(worstHash);
  await expect(ab.getByRole('table', { name: 'Per-agent outcomes A and B' }).getByRole('row', { name: /^auditor/ })).toBeVisible();
  // Its caption gives the metric at each stop in the metric's unit, as the charts above do.
  await expect(ab.getByRole('table', { name: 'Per-agent outcomes A and B' }).locator('caption')).toHaveText(/^Per agent at the stop: auditor_share A \d+‰, B \d+‰$/);
  // Each channel: messages received and the latency from send to receive, side by side.
  const channelRow = ab.getByRole('table', { name: 'Per-channel outcomes A and B' }).getByRole('row', { name: /^dispatcher\.jobs → pool\.jobs/ });
  await expect(channelRow).toBeVisible();
  await expect(channelRow.getByRole('cell').nth(3)).toHaveText(/^\d+(\.\d+)? (µs|ms)$/);
  // Hover A's chart at two thirds of its width: both readouts name the same moment.
  const chartA = sideA.locator('.u-over');
  await chartA.scrollIntoViewIfNeeded();
  const box = (await chartA.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.66, box.y + box.height / 2);
  const readA = page.getByTestId('ab-readout-a'), readB = page.getByTestId('ab-readout-b');
  await expect(readA).toHaveText(/^at [\d.]+ ms: auditor_share = [\d.]+‰$/);
  const momentA = /^at ([\d.]+ ms):/.exec(await readA.innerText())![1];
  await expect(readB).toContainText(`at ${momentA}: auditor_share = `);

  // The same seed under another variant, picked in one click; B opens in the workbench.
  const seedA = /seed (\d+)/.exec(await sideA.locator('figcaption').innerText())![1];
  await ab.getByRole('button', { name: `B: seed ${seedA} under fair` }).click();
  await expect(sideB).toContainText(`fair seed ${seedA}`, { timeout: 60_000 });
  const hashB = (await sideB.locator('code').innerText()).trim();
  await ab.getByRole('button', { name: 'Open B in the workbench' }).click();
  await expect(page.getByTestId('state-hash')).toHaveText(hashB, { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Experiments' }).click();
  await expect(sideB).toBeVisible();

  // The new views have no serious accessibility violation (light and dark).
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).include('[aria-label="Parallel coordinates"]').include('[aria-label="A/B"]').include('[aria-label="Comparison"]').analyze();
    const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`), scheme).toEqual([]);
  }

  // Screenshots for a person to look at (test-results/screenshots/).
  for (const [width, height] of [[1280, 720], [1920, 1080]] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height });
      const name = (view: string) => `test-results/screenshots/${width}x${height}-${scheme}-experiments-${view}.png`;
      await verdict.scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      await page.screenshot({ path: name('results') });
      await coords.scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      await page.screenshot({ path: name('parallel') });
      await ab.scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      await page.screenshot({ path: name('ab') });
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${width}×${height} scrolls sideways`).toBe(true);
    }
  }
});
