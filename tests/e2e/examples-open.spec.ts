// Opening examples from the menu and the cards (issue 10, a fresh-eyes review): the menu is free
// while a run goes on, each example runs at its own declared pace (and only it), and the focus
// stays somewhere a keyboard user can go on from.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, waitForReady } from './fixtures';

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');
const cursorOf = async (page: Page) => Number((await page.getByTestId('cursor').innerText()).replace(/[^0-9]/g, ''));
const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement;
  return !el || el === document.body ? 'body' : `${el.tagName.toLowerCase()} ${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? ''}`;
});

async function pick(page: Page, title: RegExp) {
  await page.getByRole('button', { name: 'Examples' }).click();
  await page.getByRole('list', { name: 'Example specs' }).getByRole('button', { name: title }).click();
}

test('the Examples menu: "Fetching" goes once the example runs, the menu stays usable during the run, the focus stays on it', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await pick(page, /A thousand-agent swarm/);
  // Running (paused only at event 300,000): the fetch is over, the menu can be opened again.
  await expect(page.getByTestId('pause')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/Fetching swarm\.yaml/)).toHaveCount(0, { timeout: 5_000 });
  await expect(page.getByTestId('pause'), 'still running').toBeVisible();
  const toggle = page.getByRole('button', { name: 'Examples' });
  await expect(toggle).toBeEnabled();
  expect(await focused(page), 'the focus after choosing from the menu').toBe('button Examples');
  // Another example replaces the run going on.
  await pick(page, /Deadlock on bounded channels/);
  await expect(page.getByText(/Deadlock on bounded channels loaded and running at 10 events\/s/)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByLabel('Spec (YAML)')).toContainText('alice');
  expect(await focused(page)).toBe('button Examples');
});

test('the Deadlock example runs at its declared 10 events/s: its events arrive over about 2 s, not at once', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  // When each cursor value first shows, measured in the page.
  await page.evaluate(() => {
    const seen: Record<number, number> = {};
    (window as unknown as { seen: typeof seen }).seen = seen;
    const look = () => {
      const text = document.querySelector('[data-testid="cursor"]')?.textContent ?? '';
      const value = Number(text.replace(/[^0-9]/g, ''));
      if (value && !(value in seen)) seen[value] = performance.now();
      requestAnimationFrame(look);
    };
    look();
  });
  await pick(page, /Deadlock on bounded channels/);
  await expect(page.getByTestId('run-state')).toHaveText('deadlocked', { timeout: 30_000 });
  const seen = await page.evaluate(() => (window as unknown as { seen: Record<number, number> }).seen);
  expect(await cursorOf(page)).toBe(18);
  // The events show a few at a time at most (not all 18 at once), and event 10 shows about 0.9 s
  // after event 1 (event k is due (k - 1) / 10 s after the first; the cursor shows with some lag, never early).
  const values = Object.keys(seen).map(Number).sort((a, b) => a - b);
  expect(values[0], JSON.stringify(seen)).toBeLessThanOrEqual(4);
  const at = (value: number) => Math.min(...values.filter((v) => v >= value).map((v) => seen[v]));
  expect(at(10) - at(values[0]), JSON.stringify(seen)).toBeGreaterThan((10 - values[0] - 2) * 100); // the cursor refreshes every 100 ms: one refresh of slack
  expect(at(18) - at(values[0]), JSON.stringify(seen)).toBeGreaterThan((18 - values[0] - 3) * 100);
});

test("each example's declared speed applies to it only: one without, and the user's own spec, run at the speed the user chose", async ({ guardedPage: page }) => {
  test.setTimeout(150_000);
  await page.goto('/');
  await waitForReady(page);
  const speed = page.getByLabel('Run speed');
  await pick(page, /Deadlock on bounded channels/);
  await expect(speed).toHaveValue('10', { timeout: 20_000 });
  await expect(page.getByTestId('run-state')).toHaveText('deadlocked', { timeout: 30_000 });
  // The invariant example declares no speed: the default (fastest), and the notice says so.
  await pick(page, /An invariant broken by a partition/);
  await expect(page.getByText(/An invariant broken by a partition loaded and running at fastest/)).toBeVisible({ timeout: 20_000 });
  await expect(speed).toHaveValue('max');
  await expect(page.getByTestId('run-state')).not.toHaveText('running', { timeout: 30_000 });
  // The user's choice holds for what declares none: the invariant example, the user's own spec.
  await pick(page, /Deadlock on bounded channels/);
  await expect(speed).toHaveValue('10', { timeout: 20_000 });
  await expect(page.getByTestId('run-state')).toHaveText('deadlocked', { timeout: 30_000 });
  await speed.selectOption('1000');
  await pick(page, /Map-reduce pipeline/);
  await expect(speed).toHaveValue('10000', { timeout: 20_000 });
  await pick(page, /An invariant broken by a partition/);
  await expect(page.getByText(/An invariant broken by a partition loaded and running at 1,000 events\/s/)).toBeVisible({ timeout: 20_000 });
  await expect(speed).toHaveValue('1000');
  await pick(page, /Deadlock on bounded channels/);
  await expect(speed).toHaveValue('10', { timeout: 20_000 });
  await expect(page.getByTestId('run-state')).toHaveText('deadlocked', { timeout: 30_000 });
  await page.getByLabel('Spec (YAML)').fill(example('memory-leak.yaml'));
  await page.getByRole('button', { name: 'Load and run' }).click();
  await expect(speed).toHaveValue('1000');
});

test('choosing a card leaves the focus on the System tabs, not the page', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByRole('button', { name: /Deadlock on bounded channels/ }).click();
  await expect(page.getByText(/Deadlock on bounded channels loaded and running/)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('run-state')).toHaveText('deadlocked', { timeout: 30_000 });
  expect(await focused(page)).toMatch(/^button Processes & Events|^button .*Processes/);
});
