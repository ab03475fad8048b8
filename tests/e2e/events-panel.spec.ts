// The events list at 1280 px past a million events, by keyboard only: 7-digit seqs and long
// times each fit their column (the text column truncates instead); the list is one Tab stop,
// arrows / Home / End move between rows without the workbench's own arrow shortcuts stepping
// the cursor, Enter and Space go to the event like a click; the cause chain's markers show whole.
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady, endlessStarvation } from './fixtures';
import type { Page } from '@playwright/test';

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');
const cursor = async (page: Page) => Number((await page.getByTestId('cursor').innerText()).replace(/[^0-9]/g, ''));
/** data-index of the focused element when it is a row of the events list, else null. */
const focusedRow = (page: Page) => page.evaluate(() => {
  const active = document.activeElement as HTMLElement | null;
  return active?.closest('ol.events') ? Number(active.dataset.index) : null;
});

test('events list: columns hold 7-digit seqs; one Tab stop, arrows, Home/End, Enter and Space seek; the cause chain is not clipped', async ({ guardedPage: page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(endlessStarvation(example('priority-starvation.yaml')));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await page.getByRole('tab', { name: 'Shell' }).click();
  const input = page.getByLabel('Shell command');
  for (const cursorAfter of ['550,000', '1,100,000']) { // `run` takes at most 1,000,000 events
    await input.fill('run 550000');
    await input.press('Enter');
    await expect(page.getByTestId('cursor')).toHaveText(`event ${cursorAfter}`, { timeout: 60_000 });
  }
  await page.getByRole('tab', { name: 'Processes & Events' }).click();
  const events = page.getByRole('list', { name: 'Events before the cursor' });
  await expect(events.locator('.seq').first()).toHaveText('#1099999');

  // Every rendered row: seq and time inside their own columns, apart; the text truncates.
  const cells = await events.locator('button.event').evaluateAll((buttons) => buttons.map((button) => {
    const cell = (name: string) => button.querySelector<HTMLElement>(`.${name}`)!;
    const [seq, tick, fields] = [cell('seq'), cell('tick'), cell('fields')];
    return {
      seq: seq.textContent, seqFits: seq.scrollWidth <= seq.clientWidth, tickFits: tick.scrollWidth <= tick.clientWidth,
      apart: seq.getBoundingClientRect().right <= tick.getBoundingClientRect().left, fieldsInside: fields.getBoundingClientRect().right <= button.getBoundingClientRect().right + 0.5,
    };
  }));
  expect(cells.length).toBeGreaterThan(10);
  for (const row of cells) expect(row, `row ${row.seq}`).toEqual({ seq: row.seq, seqFits: true, tickFits: true, apart: true, fieldsInside: true });

  // One Tab stop: from the last filter into the newest row, and Tab again leaves the list.
  const rows = events.getByRole('button');
  expect(await rows.evaluateAll((buttons) => buttons.filter((b) => b.tabIndex === 0).length)).toBe(1);
  await page.getByLabel('Node index').focus();
  await page.keyboard.press('Tab');
  expect(await focusedRow(page)).toBe(0);
  await page.keyboard.press('Tab');
  expect(await focusedRow(page)).toBeNull();
  await page.keyboard.press('Shift+Tab');
  expect(await focusedRow(page)).toBe(0);

  // Arrows move within the list; the workbench's arrow shortcuts (step / step back) stay quiet.
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  expect(await focusedRow(page)).toBe(3);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  expect(await focusedRow(page)).toBe(2);
  expect(await cursor(page)).toBe(1_100_000);
  await page.keyboard.press('End');
  expect(await focusedRow(page)).toBe(99);
  await expect(page.locator('ol.events button:focus .seq')).toHaveText('#1099900');
  await page.keyboard.press('Home');
  expect(await focusedRow(page)).toBe(0);
  // Focus follows into rows rendered only once scrolled to (the list is virtual).
  for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowDown');
  expect(await focusedRow(page)).toBe(40);
  await expect(page.locator('ol.events button:focus .seq')).toHaveText('#1099959');
  await expect(page.locator('ol.events button:focus')).toBeInViewport();

  // Enter goes there as a click does: the cursor after that event, its cause chain shown.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cursor')).toHaveText('event 1,099,960');
  await expect(page.getByRole('heading', { name: /^Why #1099959 happened/ })).toBeVisible();
  expect(await focusedRow(page)).not.toBeNull();
  // Space too, and it does not start a run (the workbench's Space shortcut).
  await page.keyboard.press('ArrowDown');
  const target = Number((await page.locator('ol.events button:focus .seq').innerText()).slice(1));
  await page.keyboard.press(' ');
  await expect(page.getByTestId('cursor')).toHaveText(`event ${(target + 1).toLocaleString('en')}`);
  await expect(page.getByTestId('run')).toBeEnabled();
  expect(await cursor(page)).toBe(target + 1);

  // The cause chain's numbers ("1." .. "32.") fit in the list's left padding.
  const chain = page.getByRole('region', { name: 'Cause chain' }).locator('ol');
  await expect(chain.locator('li').first()).toBeVisible();
  const room = await chain.evaluate((ol) => {
    const style = getComputedStyle(ol);
    const context = document.createElement('canvas').getContext('2d')!;
    context.font = `${style.fontSize} ${style.fontFamily}`;
    return { padding: parseFloat(style.paddingLeft), marker: context.measureText(`${ol.children.length}. `).width, items: ol.children.length };
  });
  expect(room.items).toBeGreaterThan(1);
  expect(room.padding).toBeGreaterThanOrEqual(room.marker);
  // This chain is longer than the 32 links the worker sends: the panel says where it goes on, and
  // that link shows the rest.
  expect(room.items).toBe(32);
  const more = page.getByRole('button', { name: /^… 32 links shown; the chain goes on at #\d+$/ });
  const next = Number((await more.innerText()).replace(/.*#/, ''));
  await more.click();
  await expect(page.getByRole('heading', { name: new RegExp(`^Why #${next} happened`) })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/events-keyboard.png' });
});
