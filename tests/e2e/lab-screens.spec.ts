// The Experiments tab's results (a finished sweep with two objectives: the verdicts, the tables,
// the parallel coordinates, A/B side by side) and the Evolve view, at 1280×720 and 1920×1080,
// light and dark: screenshots for a person to look at (test-results/screenshots/, not committed),
// and checks that nothing is clipped: no table or chart wider than the tab, the A/B sides and
// the arms race chart inside their frames, the chart's legend naming its series (no "--").
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, waitForReady } from './fixtures';

const SIZES = [[1280, 720], [1920, 1080]] as const;
const SCHEMES = ['light', 'dark'] as const;
const PLAN = readFileSync('public/examples/starvation-policies.experiment.yaml', 'utf8').replace(/^seeds: \d+$/m, 'seeds: 3');
const EVOLVE = readFileSync('public/examples/pipeline-hardening.evolve.yaml', 'utf8')
  .replace('seeds: [1, 2]', 'seeds: [1]').replace('  pool: 6', '  pool: 4').replace(/  forge: 6 /, '  forge: 4 ');

/** Nothing in the scrolling column `selector` is wider than it (a clipped table or chart would be). */
async function nothingWider(page: Page, selector: string, what: string) {
  const over = await page.locator(selector).evaluate((box) => {
    const limit = box.getBoundingClientRect().right + 1;
    return [...box.querySelectorAll('table, canvas, svg, figure, section, p, ul')]
      .filter((element) => element.getBoundingClientRect().width > 0 && element.getBoundingClientRect().right > limit && !element.closest('.wide'))
      .map((element) => `${element.tagName.toLowerCase()}${element.getAttribute('aria-label') ? `[${element.getAttribute('aria-label')}]` : ''} ends at ${Math.round(element.getBoundingClientRect().right)} > ${Math.round(limit)}`);
  });
  expect(over, `${what}: nothing sticks out of the tab`).toEqual([]);
}

/** Each column's head is aligned as its cells are (a right-aligned head over left-aligned names reads as misplaced). */
async function headersAligned(page: Page, selector: string, what: string) {
  const wrong = await page.locator(selector).evaluate((box) => [...box.querySelectorAll('table')]
    .filter((table) => !table.querySelector('[colspan], [rowspan]'))
    .flatMap((table) => {
      const heads = [...table.querySelectorAll('thead tr:last-child th')];
      const cells = [...(table.querySelector('tbody tr')?.children ?? [])];
      return heads.flatMap((head, i) => {
        const cell = cells[i];
        if (!cell || head.textContent!.trim() === '') return [];
        const [a, b] = [getComputedStyle(head).textAlign, getComputedStyle(cell).textAlign];
        return a === b ? [] : [`${table.getAttribute('aria-label')}: "${head.textContent!.trim()}" is ${a}, its cells ${b}`];
      });
    }));
  expect(wrong, `${what}: headers over their cells`).toEqual([]);
}

test('Experiments results and Evolve at 1280×720 and 1920×1080, light and dark: nothing clipped', async ({ guardedPage: page }) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await waitForReady(page);
  await page.getByRole('tab', { name: 'Experiments' }).click();
  await page.getByLabel('Experiment plan').fill(PLAN);
  await page.getByLabel('Workers').fill('1');
  await page.getByRole('button', { name: 'Run experiment' }).click();
  await expect(page.getByTestId('sweep-progress')).toHaveText('12 of 12 trials · done', { timeout: 300_000 });
  await page.getByRole('button', { name: 'Compare two trials A/B' }).click();
  await expect(page.getByRole('figure', { name: 'Trial B' })).toBeVisible({ timeout: 60_000 });

  // The synced crosshair: the cursor over A's chart shows the same moment on B's.
  const chartA = page.getByRole('figure', { name: 'Trial A' }).locator('.u-over');
  await chartA.scrollIntoViewIfNeeded();
  const box = (await chartA.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
  await expect(page.getByTestId('ab-readout-a')).toHaveText(/^at /);
  await expect(page.getByTestId('ab-readout-b')).toHaveText(/^at /);
  expect((await page.getByTestId('ab-readout-b').innerText()).split(':')[0]).toBe((await page.getByTestId('ab-readout-a').innerText()).split(':')[0]);
  await page.mouse.move(0, 0);

  // Parallel coordinates: the first brush moves nothing of the page, whatever the scroll.
  const plot = page.getByRole('region', { name: 'Parallel coordinates' }).locator('.plot');
  await page.locator('.lab').evaluate((lab) => { lab.scrollTop = lab.scrollHeight; });
  await plot.scrollIntoViewIfNeeded();
  const before = (await plot.boundingBox())!;
  const axis = page.getByRole('slider', { name: 'Filter by jobs' });
  const axisBox = (await axis.boundingBox())!;
  await page.mouse.move(axisBox.x + axisBox.width / 2, axisBox.y + axisBox.height * 0.1);
  await page.mouse.down();
  await page.mouse.move(axisBox.x + axisBox.width / 2, axisBox.y + axisBox.height * 0.45, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId('parallel-status')).toContainText('jobs ');
  expect(await plot.boundingBox(), 'the plot stays where it was on the first brush').toEqual(before);
  // Keys move the brush and keep its size.
  const brushHeight = () => page.getByRole('region', { name: 'Parallel coordinates' }).locator('rect.brush').first().evaluate((rect) => Number(rect.getAttribute('height')));
  const height = await brushHeight();
  await axis.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  expect(await brushHeight()).toBeCloseTo(height, 2);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('parallel-status')).not.toContainText('jobs ');

  const shot = async (view: string) => {
    for (const [width, height] of SIZES) {
      for (const scheme of SCHEMES) {
        await page.setViewportSize({ width, height });
        await page.emulateMedia({ colorScheme: scheme });
        await page.waitForTimeout(300);
        await page.screenshot({ path: `test-results/screenshots/lab-${width}x${height}-${scheme}-${view}.png` });
        if (view === 'results') {
          await nothingWider(page, '.lab', `results at ${width}×${height}`);
          await headersAligned(page, '.lab', `results at ${width}×${height}`);
          for (const part of ['Comparison', 'Parallel coordinates', 'A/B side by side']) {
            const region = page.getByRole('region', { name: part, exact: true });
            await region.scrollIntoViewIfNeeded();
            await page.screenshot({ path: `test-results/screenshots/lab-${width}x${height}-${scheme}-${part.replace(/[^a-zA-Z]+/g, '-').toLowerCase()}.png` });
          }
        } else {
          await nothingWider(page, '.evolve', `evolve at ${width}×${height}`);
          await headersAligned(page, '.evolve', `evolve at ${width}×${height}`);
          const legend = await page.locator('.arms-race').innerText();
          expect(legend, 'the arms race legend names its series, no "--"').not.toContain('--');
        }
      }
    }
  };
  await shot('results');

  await page.getByRole('button', { name: 'Evolve', exact: true }).click();
  await page.getByLabel('Evolve plan', { exact: true }).fill(EVOLVE);
  await page.getByLabel('Generations').fill('2');
  await page.getByRole('button', { name: 'Run evolution' }).click();
  await expect(page.getByTestId('evolve-progress')).toContainText('2 of 2 generations · done', { timeout: 400_000 });
  await shot('evolve');
});
