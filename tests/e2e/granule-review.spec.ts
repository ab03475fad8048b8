// A first-time user's walk through the heap granule (session 11 review): the small-objects
// example's out-of-memory in the Memory panel, and its experiment's parallel coordinates.
import { test, expect, waitForReady } from './fixtures';

test('small-objects at its failure: the Memory panel says both what the parser asked (217 KiB) and what its blocks take (256 KiB)', async ({ guardedPage: page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Examples' }).click();
  await page.getByRole('list', { name: 'Example specs' }).getByRole('button', { name: /Small objects and the heap/ }).click();
  await expect(page.getByLabel('Spec (YAML)')).toContainText('small-objects', { timeout: 20_000 });
  await page.getByLabel('Run speed').selectOption('max');
  await expect(page.getByTestId('run-state')).not.toHaveText(/running/, { timeout: 90_000 });
  await page.getByRole('button', { name: 'Previous failure' }).click();
  await expect(page.getByTestId('failure-count')).toHaveText('failure 1 of 1');
  // The Processes table's heap B is what was asked (222,560), not the blocks' 256 KiB: its header says so.
  await expect(page.getByRole('button', { name: 'heap B', exact: true })).toHaveAttribute('title', /asked for.*rounded up to whole granules/);
  await page.getByRole('tab', { name: 'Memory' }).click();
  // USED says 256 KiB (100.0%) and the legend gives the parser 256 KiB: the sentence must not say only 217 KiB.
  await expect(page.getByTestId('last-failed-alloc')).toContainText('asked 72 B and the heap had no room; it holds 217 KiB now (its blocks take 256 KiB: each is rounded up).');
  await expect(page.getByRole('list', { name: 'Owners' })).toContainText('parser[0] · pid 0 256 KiB');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`parallel coordinates (${scheme}): tick labels have a halo of the panel's colour, so the lines that meet each axis at its ends do not run through them`, async ({ guardedPage: page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/');
    await waitForReady(page);
    await page.getByRole('tab', { name: 'Experiments' }).click();
    await page.getByLabel('Example plan').selectOption({ label: 'Small objects: 16- vs 8-byte heap granules, 10 seeds' });
    await page.getByRole('button', { name: 'Run experiment' }).click();
    await expect(page.getByTestId('sweep-progress')).toContainText('20 of 20 trials', { timeout: 90_000 });
    const tick = page.locator('[aria-label="Parallel coordinates"] svg text.tick').first();
    await expect(tick).toBeVisible();
    const style = await tick.evaluate((el) => {
      const css = getComputedStyle(el);
      const probe = document.createElement('div');
      probe.style.color = 'var(--bg-panel)';
      document.body.append(probe);
      const panel = getComputedStyle(probe).color;
      probe.remove();
      return { paintOrder: css.paintOrder, stroke: css.stroke, width: parseFloat(css.strokeWidth), panel };
    });
    expect(style.paintOrder).toMatch(/^stroke/);
    expect(style.stroke).toBe(style.panel);
    expect(style.width).toBeGreaterThanOrEqual(2);
  });
}

test('typing a bad granule on the bottom line: the problem list that appears under the editor does not push the line being typed out of sight', async ({ guardedPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Examples' }).click();
  await page.getByRole('list', { name: 'Example specs' }).getByRole('button', { name: /Small objects and the heap/ }).click();
  await expect(page.getByLabel('Spec (YAML)')).toContainText('small-objects', { timeout: 20_000 });
  await page.getByTestId('pause').click({ timeout: 20_000 }).catch(() => {}); // the run may be over already
  // Scroll so that `allocator: tlsf` is the editor's last line in sight: a line typed under it is the bottom one.
  await page.evaluate(() => {
    const scroller = document.querySelector('.cm-scroller')!;
    const line = [...document.querySelectorAll('.cm-line')].find((el) => el.textContent?.includes('allocator: tlsf'))!;
    scroller.scrollTop += line.getBoundingClientRect().bottom - scroller.getBoundingClientRect().bottom + 2;
  });
  await page.waitForTimeout(100);
  await page.locator('.cm-line', { hasText: 'allocator: tlsf' }).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('granule: 4B');
  await expect(page.getByRole('list', { name: 'Spec errors' })).toContainText('kernel.granule: expected 8B or 16B', { timeout: 10_000 });
  await page.waitForTimeout(300); // the layout after the list appeared
  const [line, scroller] = await Promise.all([
    page.locator('.cm-activeLine').boundingBox(),
    page.locator('.cm-scroller').boundingBox(),
  ]);
  expect(line, "the line being typed").not.toBeNull();
  expect(await page.locator('.cm-activeLine').innerText()).toContain('granule: 4B');
  expect(line!.y + line!.height, 'the typed line ends inside the editor').toBeLessThanOrEqual(scroller!.y + scroller!.height + 1);
  expect(line!.y).toBeGreaterThanOrEqual(scroller!.y - 1);
});
