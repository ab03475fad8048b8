// What a first-time user tripped over (issue 10), each as they would meet it.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, waitForReady } from './fixtures';

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');
const cursorOf = async (page: Page) => Number((await page.getByTestId('cursor').innerText()).replace(/[^0-9]/g, ''));

test('the examples menu and the cards both run an example at its own pace, to its own stop', async ({ guardedPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await waitForReady(page);
  // A card: the flood, at 10k events/s, pausing at event 50,000; the focus goes to the System tabs.
  await page.getByRole('button', { name: /Flooding a rate-limited channel/ }).click();
  await expect(page.getByLabel('Run speed')).toHaveValue('10000', { timeout: 20_000 });
  await expect(page.getByText(/Flooding a rate-limited channel loaded and running at 10k events\/s, pausing at event 50,000/)).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Processes & Events' })).toBeFocused();
  await expect(page.getByTestId('cursor')).toHaveText('event 50,000', { timeout: 45_000 });
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  // The menu: the deadlock, one event at a time (10 per second), run too, not only loaded.
  await page.getByRole('button', { name: 'Examples' }).click();
  const list = page.getByRole('list', { name: 'Example specs' });
  const box = (await list.boundingBox())!;
  expect(box.x, 'the Examples list starts inside the window').toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(1280);
  await list.getByRole('button', { name: /Deadlock on bounded channels/ }).click();
  await expect(page.getByLabel('Run speed')).toHaveValue('10', { timeout: 20_000 });
  // It runs (its 18 events take about 2 s at 10 events/s), and says so while it does.
  await expect(page.getByText(/Deadlock on bounded channels loaded and running/)).toBeVisible();
  await expect.poll(() => cursorOf(page), { timeout: 20_000 }).toBeGreaterThan(3);
  // "X loaded and running" is news while it is true, not a fixture of the page.
  await expect(page.getByText(/Deadlock on bounded channels loaded and running/)).toHaveCount(0, { timeout: 15_000 });
  // Nothing moves in a deadlock: the IPC graph says so instead of showing a rate.
  await expect(page.getByTestId('run-state')).toHaveText('deadlocked', { timeout: 20_000 });
  await page.getByRole('tab', { name: 'IPC' }).click();
  await expect(page.getByTestId('ipc-still')).toContainText('the run is deadlocked (alice (pid 0) and bob (pid 1) wait on each other forever)');
  const rates = await page.getByRole('group', { name: /Agents and channels/ }).locator('text.rate').evaluateAll((labels) => labels.map((label) => label.textContent));
  expect(rates.length).toBeGreaterThan(0);
  expect(rates.every((rate) => /^0\/ms/.test(rate ?? '')), rates.join(', ')).toBe(true);
});

test('a speed chosen while a run goes on applies at once, slower and faster', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  // The map-reduce card runs at 10k events/s.
  await page.getByRole('button', { name: /Map-reduce/ }).first().click();
  await expect(page.getByLabel('Run speed')).toHaveValue('10000', { timeout: 20_000 });
  await expect.poll(() => cursorOf(page), { timeout: 20_000 }).toBeGreaterThan(100);
  await page.getByLabel('Run speed').selectOption('10');
  await expect(page.getByTestId('run-state')).toHaveText('running');
  // The cursor on screen lags the worker by up to one progress report (~3,000 events at 10k/s):
  // measure from once it has caught up.
  await page.waitForTimeout(1_000);
  // Over two seconds at 10 events/s: about 20 events (the old pace would have run ~20,000).
  let from = await cursorOf(page);
  await page.waitForTimeout(2_000);
  let ran = (await cursorOf(page)) - from;
  expect(ran, `events run in 2 s at 10 events/s`).toBeLessThan(200);
  expect(ran).toBeGreaterThan(0);
  await page.getByLabel('Run speed').selectOption('1000');
  await page.waitForTimeout(1_000);
  from = await cursorOf(page);
  await page.waitForTimeout(2_000);
  ran = (await cursorOf(page)) - from;
  expect(ran, `events run in 2 s at 1,000 events/s`).toBeGreaterThan(300);
  await expect(page.getByTestId('run-state')).toHaveText('running');
});

test('palette, shell, go-to and buttons speak plainly', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  // A disabled primary button does not wear the accent colour of one that can be pressed.
  const share = page.getByRole('button', { name: 'Share', exact: true });
  await expect(share).toBeDisabled();
  const [disabledBackground, accent] = await share.evaluate((button) => [getComputedStyle(button).backgroundColor, getComputedStyle(document.documentElement).getPropertyValue('--accent')]);
  const probe = await page.evaluate((color) => { const el = document.createElement('div'); el.style.color = color; document.body.append(el); const value = getComputedStyle(el).color; el.remove(); return value; }, accent.trim());
  expect(disabledBackground).not.toBe(probe);

  await page.getByLabel('Spec (YAML)').fill(example('memory-leak.yaml'));
  await page.getByRole('button', { name: 'Load and run' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('quiescent', { timeout: 30_000 });

  // The palette: "dark" finds the theme, and the commands that take an argument are there.
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog');
  const filter = palette.getByRole('combobox').or(palette.getByRole('textbox')).first();
  await filter.fill('dark');
  await expect(palette.getByRole('option', { name: /Theme: dark/ })).toBeVisible();
  for (const word of ['bisect', 'find', 'seek', 'kill', 'compare']) {
    await filter.fill(word);
    await expect(palette.getByRole('option').first(), word).toContainText(new RegExp(word, 'i'));
  }
  await filter.fill('find');
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Shell command')).toHaveValue(/^find /);
  await expect(page.getByLabel('Shell command')).toBeFocused();
  // `mem` writes sizes as the Memory panel does.
  await page.getByLabel('Shell command').fill('mem');
  await page.getByLabel('Shell command').press('Enter');
  const output = page.getByRole('log').or(page.locator('.output')).first();
  await expect(output).toContainText(/heap 1\.00 MiB \(16 B granules\), used [\d.]+ (B|KiB)/);
  await expect(output).not.toContainText(/\d{5,} B/);

  // "Go to event" with a number that is not an event says why.
  const goto = page.getByLabel('Go to event (past the end: runs on to it)');
  await goto.fill('-5');
  await goto.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: /“-5” is not an event: the timeline goes from event 0 \(before #0\) to event [\d,]+ \(after #[\d,]+\) on this branch; a larger number runs on to it\. Events are numbered from #0 \(#0 is the kernel booting\)/ })).toBeVisible();

  // The Memory line of a leaking process: its named block is one block, not a total.
  await page.getByRole('tab', { name: 'Processes & Events' }).click();
  await page.getByRole('slider', { name: 'Timeline' }).fill('1000');
  await page.getByRole('button', { name: '0', exact: true }).click();
  await expect(page.getByTestId('process-memory')).toContainText(/held in all, in \d+ blocks/);
  await expect(page.getByText(/named now: “\w+” is one 4\.00 KiB block/)).toBeVisible();
});

test('Metrics draws a cursor line that moves with the cursor', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(example('memory-leak.yaml'));
  await page.getByRole('button', { name: 'Load and run' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('quiescent', { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Metrics' }).click();
  const chart = page.getByRole('img', { name: /Runnable processes over virtual time/ });
  // The panel is its own chunk and draws once its data came: wait for the cursor's place.
  await expect.poll(async () => Number(await chart.getAttribute('data-cursor-x'))).toBeGreaterThan(0);
  const atEnd = Number(await chart.getAttribute('data-cursor-x'));
  const end = await page.getByRole('slider', { name: 'Timeline' }).getAttribute('max');
  await page.getByRole('slider', { name: 'Timeline' }).fill(String(Math.floor(Number(end) / 3)));
  await expect.poll(async () => Number(await chart.getAttribute('data-cursor-x'))).toBeLessThan(atEnd - 20);
  await expect(page.getByText(/the recorded run goes on to/)).toBeVisible();
  // The line is drawn: the canvas holds the accent colour at the cursor's x.
  const x = Number(await chart.getAttribute('data-cursor-x'));
  const drawn = await chart.evaluate((host, at) => {
    const canvas = host.querySelector('canvas')!;
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    const over = host.querySelector<HTMLElement>('.u-over')!;
    const left = (over.getBoundingClientRect().left - canvas.getBoundingClientRect().left) * ratio;
    const pixel = canvas.getContext('2d')!.getImageData(Math.round(left + at * ratio), Math.round(canvas.height / 3), 1, 1).data;
    return [...pixel];
  }, x);
  const accent = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim());
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(accent.slice(i, i + 2), 16));
  expect(Math.abs(drawn[0] - r) + Math.abs(drawn[1] - g) + Math.abs(drawn[2] - b), `pixel ${drawn} vs ${accent}`).toBeLessThan(60);
});

test('"Draft restored" goes by itself', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(example('deadlock.yaml'));
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByText('Draft saved in this browser.')).toBeVisible();
  await page.reload();
  await waitForReady(page);
  await expect(page.getByText('Draft restored from this browser.')).toBeVisible();
  await expect(page.getByText('Draft restored from this browser.')).toHaveCount(0, { timeout: 15_000 });
});
