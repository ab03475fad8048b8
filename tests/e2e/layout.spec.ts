// The workbench at a laptop's 1280×720 and a desktop's 1920×1080: enough rows to work with, tab
// labels and controls on one line, spec lines wrapped rather than clipped, and a Spec column that
// keeps its width across a reload (issue 10).
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { test, expect, waitForReady, endlessStarvation } from './fixtures';

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');

/** Rows of `rows` whose box lies wholly inside `scroller`'s visible box. */
async function visibleRows(scroller: Locator, rows: Locator): Promise<number> {
  const frame = (await scroller.boundingBox())!;
  let count = 0;
  for (const box of await rows.evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().toJSON() as DOMRect))) {
    if (box.height > 0 && box.top >= frame.y - 1 && box.bottom <= frame.y + frame.height + 1) count++;
  }
  return count;
}

/** The texts of `elements` that wrap onto a second line (their text nodes' line boxes differ in top). */
async function wrapped(elements: Locator): Promise<string[]> {
  return elements.evaluateAll((nodes) => nodes.filter((node) => {
    const tops = new Set<number>();
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(text);
      for (const rect of range.getClientRects()) if (rect.width > 0) tops.add(Math.round(rect.top / 4));
    }
    return tops.size > 1;
  }).map((node) => node.textContent ?? ''));
}

async function loadAndRun(page: Page, file: string, events: number) {
  await page.getByLabel('Spec (YAML)').fill(example(file));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  const goto = page.getByLabel('Go to event (past the end: runs on to it)');
  await goto.fill(String(events));
  await goto.press('Enter');
  await expect(page.getByTestId('cursor')).toHaveText(`event ${events.toLocaleString('en')}`, { timeout: 30_000 });
}

for (const [width, height, processRows, eventRows] of [[1280, 720, 7, 7], [1920, 1080, 14, 16]] as const) {
  test(`at ${width}×${height}: rows to work with, nothing wrapped or clipped`, async ({ guardedPage: page }) => {
    await page.setViewportSize({ width, height });
    await page.goto('/');
    await waitForReady(page);
    await loadAndRun(page, 'swarm.yaml', 3000);
    const processes = page.getByRole('region', { name: 'Processes' });
    await expect.poll(() => visibleRows(processes.locator('.scroll'), processes.locator('tbody tr:not(.spacer)'))).toBeGreaterThanOrEqual(processRows);
    const events = page.getByRole('list', { name: 'Events before the cursor' });
    await expect.poll(() => visibleRows(page.getByRole('region', { name: 'Events' }).locator('.scroll'), events.getByRole('listitem'))).toBeGreaterThanOrEqual(eventRows);
    // One line each: the System tabs, the run controls, the column heads, the panel titles.
    expect(await wrapped(page.getByRole('tab'))).toEqual([]);
    expect(await wrapped(page.getByRole('toolbar', { name: 'Run controls' }).getByRole('button'))).toEqual([]);
    expect(await wrapped(processes.getByRole('columnheader'))).toEqual([]);
    const toolbar = (await page.getByRole('toolbar', { name: 'Run controls' }).boundingBox())!;
    expect(toolbar.height, 'the run controls fit on one row').toBeLessThan(40);
    // Spec lines wrap inside the editor instead of running under its edge.
    const clipped = await page.locator('.cm-content').evaluate((content) => content.scrollWidth > (content.parentElement as HTMLElement).clientWidth + 1);
    expect(clipped, 'spec lines are clipped').toBe(false);
    // Nothing of the page scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // The Inspector's actions for a selected process: two rows at most, no label wrapped (review #16).
    await processes.getByRole('button', { name: '0', exact: true }).click();
    const actions = page.getByRole('group', { name: 'Intervene on process 0' });
    await expect(actions.getByRole('button', { name: 'Kill' })).toBeVisible();
    const rows = await actions.locator('button, select, input').evaluateAll((controls) => new Set(controls.map((control) => Math.round(control.getBoundingClientRect().top / 8))).size);
    expect(rows, 'the Inspector\'s actions take at most two rows').toBeLessThanOrEqual(2);
    expect(await wrapped(actions.getByRole('button'))).toEqual([]);
    await expect(page.getByRole('button', { name: 'Set nice' })).toBeVisible();
    // The "mark where…" field shows its whole placeholder: the text, in the field's own font, fits inside its padding.
    const fits = await page.getByLabel('Mark on the timeline where this expression becomes true').evaluate((input: HTMLInputElement) => {
      const style = getComputedStyle(input, '::placeholder');
      const context = document.createElement('canvas').getContext('2d')!;
      context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = input.clientWidth - parseFloat(getComputedStyle(input).paddingLeft) - parseFloat(getComputedStyle(input).paddingRight);
      return { text: context.measureText(input.placeholder).width, room };
    });
    expect(fits.text, `the placeholder is ${fits.text.toFixed(1)} px wide in a ${fits.room} px field`).toBeLessThanOrEqual(fits.room);
  });
}

test('the Spec column keeps its width across a reload', async ({ guardedPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await waitForReady(page);
  const spec = page.getByRole('region', { name: 'Spec', exact: true });
  const before = (await spec.boundingBox())!.width;
  await page.reload();
  await waitForReady(page);
  expect((await spec.boundingBox())!.width).toBe(before);
  // After a resize with the keyboard, the new width is the one a reload brings back.
  await page.getByRole('separator', { name: 'Resize the spec column' }).press('ArrowRight');
  const resized = (await spec.boundingBox())!.width;
  expect(resized).toBeGreaterThan(before);
  await page.reload();
  await waitForReady(page);
  expect((await spec.boundingBox())!.width).toBe(resized);
  // A window narrower than the saved width allows: the column is kept within it.
  await page.setViewportSize({ width: 1000, height: 720 });
  await page.reload();
  await waitForReady(page);
  expect((await spec.boundingBox())!.width).toBeLessThanOrEqual(1000 * 0.6);
});

test('starting and stopping a run moves no run control: Run, Pause and Cancel share one slot', async ({ guardedPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(endlessStarvation(example('priority-starvation.yaml')));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  const toolbar = page.getByRole('toolbar', { name: 'Run controls' });
  const boxes = () => toolbar.getByRole('button').evaluateAll((buttons) => buttons.map((button) => {
    const box = button.getBoundingClientRect();
    return `${button.textContent?.trim() === 'Pause' ? 'Run' : button.textContent?.trim()} ${box.x.toFixed(1)},${box.y.toFixed(1)} ${box.width.toFixed(1)}×${box.height.toFixed(1)}`;
  }));
  const idle = await boxes();
  expect(idle[0]).toMatch(/^Run /);
  // Under the strip, "/ N events" grows as the run goes: what follows it stays put.
  const mark = page.getByRole('button', { name: 'Mark', exact: true });
  const markAt = (await mark.boundingBox())!;
  await toolbar.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(toolbar.getByTestId('pause')).toBeVisible();
  expect(await boxes(), 'Pause stands where Run stood, and nothing beside it moved').toEqual(idle);
  await expect(page.getByText(/^\/ \d{1,3},\d{3}(,\d{3})? events$/)).toBeVisible();
  await toolbar.getByTestId('pause').click();
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  expect(await boxes()).toEqual(idle);
  expect(await mark.boundingBox(), 'Mark stays where it was at event 0').toEqual(markAt);
});
