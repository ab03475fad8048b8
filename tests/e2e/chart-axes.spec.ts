// The time axes of the uPlot charts read at 1280x720: no two tick labels drawn on top of each
// other. uPlot draws its labels on the canvas, so the page records each fillText (text, place,
// measured width) per canvas since its last full clear, and the test checks the bottom axis' labels.
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady } from './fixtures';
import type { Locator, Page } from '@playwright/test';

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');

interface Label { text: string; left: number; right: number; y: number }

async function recordCanvasText(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const drawn = new WeakMap<HTMLCanvasElement, { text: string; left: number; right: number; y: number }[]>();
    (window as unknown as { canvasLabels: typeof drawn }).canvasLabels = drawn;
    const proto = CanvasRenderingContext2D.prototype;
    const { fillText, clearRect } = proto;
    proto.clearRect = function (x: number, y: number, w: number, h: number) {
      if (x <= 0 && y <= 0 && w >= this.canvas.width && h >= this.canvas.height) drawn.set(this.canvas, []);
      return clearRect.call(this, x, y, w, h);
    };
    proto.fillText = function (text: string, x: number, y: number, maxWidth?: number) {
      const width = this.measureText(text).width;
      const left = this.textAlign === 'center' ? x - width / 2 : this.textAlign === 'right' || this.textAlign === 'end' ? x - width : x;
      const list = drawn.get(this.canvas) ?? [];
      list.push({ text, left, right: left + width, y });
      drawn.set(this.canvas, list);
      return maxWidth === undefined ? fillText.call(this, text, x, y) : fillText.call(this, text, x, y, maxWidth);
    };
  });
}

/** The labels of the chart's lowest row of text (its time axis), left to right. */
async function timeAxisLabels(chart: Locator): Promise<Label[]> {
  const labels = await chart.locator('canvas').first().evaluate((canvas) =>
    ((window as unknown as { canvasLabels: WeakMap<HTMLCanvasElement, Label[]> }).canvasLabels.get(canvas as HTMLCanvasElement) ?? []));
  const bottom = Math.max(...labels.map((label) => label.y));
  return labels.filter((label) => label.y === bottom).sort((a, b) => a.left - b.left);
}

function overlaps(labels: readonly Label[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < labels.length; i++) if (labels[i].left < labels[i - 1].right) out.push(`"${labels[i - 1].text}" and "${labels[i].text}"`);
  return out;
}

test('Memory: the fragmentation chart time axis labels do not overlap at 1280x720', async ({ guardedPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await recordCanvasText(page);
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(example('memory-leak.yaml'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveText(/^(quiescent|deadlocked)$/, { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Memory' }).click();
  const chart = page.getByRole('tabpanel', { name: 'Memory' }).getByRole('img', { name: /Heap fragmentation of node 0/ });
  await chart.scrollIntoViewIfNeeded();
  await expect.poll(async () => (await timeAxisLabels(chart)).length).toBeGreaterThanOrEqual(3);
  const labels = await timeAxisLabels(chart);
  expect(overlaps(labels), `labels: ${labels.map((label) => label.text).join(', ')}`).toEqual([]);
});
