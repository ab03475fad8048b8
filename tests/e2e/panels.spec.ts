// The System area's Memory, Metrics and Profile tabs in real Chromium, under the production CSP:
// each shows data from the worker, its canvas is drawn, the tabs work from the keyboard, and no
// CSP violation or page error happens on the way.
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady } from './fixtures';
import type { Locator, Page } from '@playwright/test';

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');

async function loadAndRun(page: Page, specText = example('memory-leak.yaml')) {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = violations;
    document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective}: ${event.blockedURI} ${event.sample}`));
  });
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(specText);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForTimeout(400);
  // Pause if it still runs. Escape pauses a run and does nothing once the run has ended by itself
  // (memory-leak's ends about half a second in): a click on Pause raced that end, found the button
  // gone (Run in its place) and waited for it until the test timed out.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('run-state')).not.toHaveText('running'); // paused, or over (then Run is disabled, saying why)
}

/** Distinct colours painted on a canvas (0 for a blank one). */
async function canvasColors(canvas: Locator): Promise<number> {
  return canvas.evaluate((element: HTMLCanvasElement) => {
    const context = element.getContext('2d')!;
    const pixels = context.getImageData(0, 0, element.width, element.height).data;
    const colors = new Set<number>();
    for (let i = 0; i < pixels.length; i += 4 * 7) if (pixels[i + 3] > 0) colors.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
    return colors.size;
  });
}

async function expectNoCspViolation(page: Page) {
  const violations = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
  expect(violations, 'CSP violations').toEqual([]);
}

test('the System area opens on Processes and Events; its tabs work from the keyboard', async ({ guardedPage: page }) => {
  await loadAndRun(page);
  const tabs = page.getByRole('tablist', { name: 'System views' });
  await expect(tabs.getByRole('tab')).toHaveText(['Processes & Events', 'Memory', 'Metrics', 'Profile', 'IPC', 'Shared', 'Health', 'Shell', 'Query', 'Experiments']);
  await expect(page.getByRole('tab', { name: 'Processes & Events' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('region', { name: 'Processes' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Events' })).toBeVisible();

  const cursorBefore = await page.getByTestId('cursor').innerText();
  await page.getByRole('tab', { name: 'Processes & Events' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Memory' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Memory' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Memory' })).toBeVisible();
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: 'Experiments' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Processes & Events' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'Experiments' })).toHaveAttribute('aria-selected', 'true');
  // Arrows moved between tabs, not through the run.
  await expect(page.getByTestId('cursor')).toHaveText(cursorBefore);
  await expectNoCspViolation(page);
});

test('Memory: the heap map is drawn, its figures shown, a block can be read by keyboard', async ({ guardedPage: page }) => {
  await loadAndRun(page);
  // The leak at its height: about 30% into the run the cache holds nearly its 256 KiB limit.
  const end = Number((await page.getByTestId('cursor').innerText()).replace(/[^0-9]/g, ''));
  const leaking = Math.floor(end * 0.3);
  await page.getByRole('slider', { name: 'Timeline' }).fill(String(leaking));
  await expect(page.getByTestId('cursor')).toHaveText(`event ${leaking.toLocaleString('en')}`);
  await page.getByRole('tab', { name: 'Memory' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Memory' });
  await expect(panel.getByRole('heading', { name: 'Heap of node 0' })).toBeVisible();
  await expect(panel.locator('dd').first()).toHaveText('1.00 MiB');
  await expect(panel.locator('dd').nth(1)).toContainText(/KiB/);
  await expect(panel.getByRole('list', { name: 'Owners' })).toContainText('cache[0] · pid 0');
  const map = panel.getByRole('slider', { name: 'Heap map of node 0' });
  await expect.poll(() => canvasColors(map.locator('canvas'))).toBeGreaterThanOrEqual(2);
  await map.focus();
  await expect(panel.locator('#memory-detail')).toContainText(/0x00000000 · .* · (\w+\[\d+\] · pid \d+|free)/);
  await page.keyboard.press('End');
  await expect(map).toHaveAttribute('aria-valuetext', /free/);
  // Fragmentation over time under the map, for this node's allocator.
  await expect(panel.getByRole('img', { name: /Heap fragmentation of node 0 over virtual time: now \d+\.\d% · peak \d+\.\d%/ })).toBeVisible();
  await expect.poll(() => canvasColors(panel.getByRole('img', { name: /Heap fragmentation/ }).locator('canvas').first())).toBeGreaterThanOrEqual(2);
  await expect(panel.locator('dd').last()).toHaveText('tlsf 16 B granules');
  await page.screenshot({ path: 'test-results/screenshots/memory.png' });
  // In a short window the map keeps its height: the caption sits below its last row, not on it.
  await page.setViewportSize({ width: 1280, height: 640 });
  await expect.poll(async () => {
    const canvas = (await map.locator('canvas').boundingBox())!, caption = (await panel.locator('#memory-detail').boundingBox())!;
    return caption.y - (canvas.y + canvas.height);
  }).toBeGreaterThanOrEqual(0);
  await page.screenshot({ path: 'test-results/screenshots/memory-1280x640.png' });
  await page.setViewportSize({ width: 1440, height: 900 });

  // Seeking back to the start: the heap is empty again.
  await page.getByRole('slider', { name: 'Timeline' }).fill('0');
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await expect(panel.locator('dd').nth(1)).toContainText('0 B');
  await expectNoCspViolation(page);
});

test('Metrics: three uPlot charts of the run, drawn under the CSP', async ({ guardedPage: page }) => {
  await loadAndRun(page);
  await page.getByRole('tab', { name: 'Metrics' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Metrics' });
  for (const title of ['Runnable processes', 'Heap in use', 'Messages per ms']) {
    const chart = panel.getByRole('img', { name: new RegExp(`^${title} over virtual time: now`) });
    await expect(chart).toBeVisible();
    await expect.poll(() => canvasColors(chart.locator('canvas'))).toBeGreaterThan(2);
  }
  await expect(panel.getByText(/\d+ points over/)).toBeVisible();
  // The heap chart's peak is the leak: more than the 64 KiB the cache has after 16 allocations.
  await expect(panel.getByRole('img', { name: /^Heap in use/ })).toHaveAttribute('aria-label', /peak (\d{3}|[1-9]\d*\.\d+ MiB|\d+\.?\d* KiB)/);
  const box = (await panel.getByRole('img', { name: /^Heap in use/ }).boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  await page.screenshot({ path: 'test-results/screenshots/metrics.png' });
  await expectNoCspViolation(page);
});

test('Metrics with a heap at zero: the chart is drawn and says so (its axis: 0 B .. 1 KiB, see axis-ticks.test.ts)', async ({ guardedPage: page }) => {
  await loadAndRun(page, example('priority-starvation.yaml'));
  await page.getByRole('tab', { name: 'Metrics' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Metrics' });
  const heap = panel.getByRole('img', { name: /^Heap in use over virtual time: now 0 B · peak 0 B$/ });
  await expect(heap).toBeVisible();
  await expect.poll(() => canvasColors(heap.locator('canvas'))).toBeGreaterThan(2);
  await page.screenshot({ path: 'test-results/screenshots/metrics-zero-heap.png' });
});

test('Profile: an icicle of CPU per agent and step kind; clicking an agent zooms in', async ({ guardedPage: page }) => {
  await loadAndRun(page);
  await page.getByRole('tab', { name: 'Profile' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Profile' });
  const icicle = panel.getByRole('img', { name: /Icicle chart of CPU time/ });
  await expect(icicle).toBeVisible();
  expect(await icicle.locator('rect').count()).toBeGreaterThan(4);
  await expect(panel.getByRole('table')).toContainText('service');
  await expect(panel.getByRole('table')).toContainText('compute');
  await page.screenshot({ path: 'test-results/screenshots/profile.png' });
  await panel.getByRole('button', { name: 'service' }).click();
  await expect(panel.getByRole('button', { name: 'service' })).toHaveAttribute('aria-pressed', 'true');
  await expect(panel.getByRole('table')).not.toContainText('cache');
  await expectNoCspViolation(page);
});

test('Memory on a cluster: a node selector; each node shows its own heap', async ({ guardedPage: page }) => {
  await loadAndRun(page, example('swarm.yaml'));
  await page.getByRole('tab', { name: 'Memory' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Memory' });
  await expect(panel.getByRole('heading', { name: 'Heap of node 0' })).toBeVisible();
  await panel.getByRole('combobox', { name: 'Node' }).selectOption('2');
  await expect(panel.getByRole('heading', { name: 'Heap of node 2' })).toBeVisible();
  const map = panel.getByRole('slider', { name: 'Heap map of node 2' });
  await expect.poll(() => canvasColors(map.locator('canvas'))).toBeGreaterThanOrEqual(1); // drawn, even if the swarm holds no heap there
  await map.hover({ position: { x: 5, y: 5 } });
  await expect(panel.locator('#memory-detail')).toContainText(/^0x00000000 · /);
  await page.screenshot({ path: 'test-results/screenshots/memory-cluster.png' });

  // A theme change redraws the map in the new theme's colours.
  const pixel = () => map.locator('canvas').evaluate((element: HTMLCanvasElement) => Array.from(element.getContext('2d')!.getImageData(2, 2, 1, 1).data).join(','));
  const light = await pixel();
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(pixel).not.toBe(light);
  await expectNoCspViolation(page);
});
