// What the screen shows belongs to the session, branch and cursor on it (issue 10): a view made at
// one moment (a share link, a cause chain, a notice, an error about a typed input) goes once that
// moment is left, through one mechanism (src/ui/moment.svelte.ts), not a reset per view.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, waitForReady, loadAndRun, loadSpec } from './fixtures';

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');

async function goTo(page: Page, event: number) {
  const box = page.getByLabel('Go to event (past the end: runs on to it)');
  await box.fill(String(event));
  await box.press('Enter');
}

test('the share link and the cause chain go when the cursor or branch moves; Compare says "killed"', async ({ guardedPage: page }) => {
  test.setTimeout(90_000);
  await page.goto('/');
  await waitForReady(page);
  await loadAndRun(page, example('deadlock.yaml'), 'deadlocked');

  // Share, then move the cursor: the box held the link of the moment before.
  const link = page.getByLabel('Share link');
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(link).toBeVisible();
  await goTo(page, 16);
  await expect(page.getByTestId('cursor')).toHaveText('event 16');
  await expect(link).toHaveCount(0);
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(link).toBeVisible();

  // The cause chain of an event on main, then a kill (a new branch): main's chain goes.
  const events = page.getByRole('list', { name: 'Events before the cursor' });
  await events.getByRole('button').filter({ hasText: /^#15\b|#15 / }).first().click();
  const why = page.getByRole('heading', { name: /^Why #15 happened/ });
  await expect(why).toBeVisible();
  await page.getByRole('button', { name: '0', exact: true }).click(); // alice
  await page.getByRole('button', { name: 'Kill' }).click();
  await expect(page.getByText(/kill applied at event #16/)).toBeVisible();
  await expect(page.getByTestId('cursor')).toHaveText('event 17');
  await expect(link).toHaveCount(0);
  await expect(page.getByRole('heading', { name: /^Why #\d+ happened/ })).toHaveCount(0);

  // A chain asked on the branch, then Undo: it goes again (and comes back on Redo, still true there).
  await events.getByRole('button').filter({ hasText: /^#15\b|#15 / }).first().click();
  await expect(why).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByText('Undone: back on the branch before the intervention')).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Why #\d+ happened/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 17');

  // Compare main@16 with branch 1@17: alice was killed, in the table's words.
  await page.getByLabel('Fork of point A').selectOption('0');
  await page.getByLabel('Event of point A').fill('16');
  await page.getByLabel('Fork of point B').selectOption('1');
  await page.getByLabel('Event of point B').fill('17');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  const result = page.getByTestId('compare-result');
  await expect(result).toContainText(/alice · pid 0.*status: \w+ → killed #16/);
  await expect(result).not.toContainText('→ failed');
});

test('notices about one moment go when the cursor moves; a refused event number leaves the box; a saved checkpoint\'s message goes with its session', async ({ guardedPage: page }) => {
  test.setTimeout(90_000);
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(example('deadlock.yaml'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');

  const box = page.getByLabel('Go to event (past the end: runs on to it)');
  await goTo(page, 1000);
  const stopped = page.getByText(/The run stopped at event 18 .*before event 1,000/);
  await expect(stopped).toBeVisible({ timeout: 30_000 });
  await goTo(page, 5);
  await expect(page.getByTestId('cursor')).toHaveText('event 5');
  await expect(stopped).toHaveCount(0);

  // Past the journal's limit: refused, said (naming the number), and the box shows the cursor again.
  await goTo(page, 99999999999999);
  await expect(page.getByText(/Event 99,999,999,999,999 is past the journal's limit/)).toBeVisible();
  await expect(box).toHaveValue('5');

  // "Saved checkpoint …" goes when a restore (another session) replaces this one, and on a load.
  await page.getByRole('button', { name: 'Checkpoint', exact: true }).click();
  const saved = page.getByText(/Saved checkpoint/);
  await expect(saved).toBeVisible();
  await page.getByRole('list', { name: 'Saved checkpoints' }).getByRole('listitem').first().getByRole('button', { name: /^Restore/ }).click();
  await expect(page.getByText(/Restored checkpoint/)).toBeVisible({ timeout: 20_000 });
  await expect(saved).toHaveCount(0);
  await page.getByRole('button', { name: 'Checkpoint', exact: true }).click();
  await expect(saved).toBeVisible();
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await expect(saved).toHaveCount(0);
});

test('a refused mark expression replaces the marks; the watch form says why it waits, what it replaces, and drops an error once edited', async ({ guardedPage: page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await waitForReady(page);
  await loadAndRun(page, example('memory-leak.yaml'), /.+/);
  await expect(page.getByTestId('run-state')).not.toHaveText(/running/, { timeout: 60_000 });

  const markBox = page.getByLabel('Mark on the timeline where this expression becomes true');
  await markBox.fill('agents.cache.heapBytes > 100000');
  await markBox.press('Enter');
  await expect(page.getByTestId('mark-summary')).toHaveText(/^\d+ marks?$/, { timeout: 60_000 });
  await markBox.fill('agents.nosuch.failed > 0');
  await markBox.press('Enter');
  await expect(page.getByTestId('mark-problem')).toBeVisible();
  await expect(page.getByTestId('mark-summary')).toHaveCount(0);
  await markBox.fill('agents.nosuch.failed > 1');
  await expect(page.getByTestId('mark-problem')).toHaveCount(0);

  await page.getByRole('tab', { name: 'Metrics' }).click();
  const watches = page.getByRole('region', { name: 'Watches' });
  const name = watches.getByLabel('Watch name'), expr = watches.getByLabel('Watch expression');
  await expr.fill('agents.cache.heapBytes');
  await expect(watches.getByRole('button', { name: 'Watch', exact: true })).toBeDisabled();
  await expect(watches.getByTestId('watch-hint')).toHaveText('Name the watch to add it');
  await name.fill('heap');
  await expect(watches.getByTestId('watch-hint')).toHaveCount(0);
  await expr.fill('agents.cache.heapBytes +');
  await watches.getByRole('button', { name: 'Watch', exact: true }).click();
  await expect(watches.getByRole('alert')).toBeVisible();
  await expr.fill('agents.cache.heapBytes + 1');
  await expect(watches.getByRole('alert')).toHaveCount(0);
  await watches.getByRole('button', { name: 'Watch', exact: true }).click();
  await expect(watches.getByTestId('watch-value')).toHaveCount(1);
  await name.fill('heap');
  await expr.fill('agents.cache.heapBytes');
  await expect(watches.getByRole('button', { name: 'Replace', exact: true })).toBeEnabled();
  await expect(watches.getByTestId('watch-hint')).toHaveText('Replaces the watch heap = agents.cache.heapBytes + 1');
});

test('the event selected in Health is of its branch: after a branch change no row is marked selected', async ({ guardedPage: page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(example('self-healing.yaml'));
  await page.getByRole('button', { name: 'Load and run' }).click();
  await expect.poll(async () => Number((await page.getByTestId('cursor').textContent())?.replace(/\D/g, '') ?? 0), { timeout: 60_000 }).toBeGreaterThan(1200);
  await page.getByTestId('pause').click();
  await page.getByRole('tab', { name: 'Health' }).click();
  const health = page.getByRole('region', { name: 'Health' });
  await health.getByRole('button', { name: /healed: restarted cache\[0\]/ }).first().click();
  await expect(health.locator('[aria-current="true"]')).toHaveCount(1);
  await expect(health.getByRole('heading', { name: /^Why #\d+ happened/ })).toBeVisible();
  await page.getByRole('combobox', { name: 'Autonomy' }).selectOption('off');
  await expect(page.getByRole('group', { name: 'Branches' }).getByRole('button', { name: /autonomy → off/ })).toBeVisible();
  await expect(health.locator('[aria-current="true"]')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: /^Why #\d+ happened/ })).toHaveCount(0);
});

test('the Audit report goes when the cursor moves or another spec is loaded: it never shows the root of another moment', async ({ guardedPage: page }) => {
  test.setTimeout(90_000);
  await page.goto('/');
  await waitForReady(page);
  await loadAndRun(page, example('deadlock.yaml'), 'deadlocked');
  const panel = page.getByTestId('audit-panel');
  await page.getByTestId('audit-button').click();
  await expect(panel).toContainText('At event 18');
  await goTo(page, 16);
  await expect(page.getByTestId('cursor')).toHaveText('event 16');
  await expect(panel).toHaveCount(0);
  await page.getByTestId('audit-button').click();
  await expect(panel).toContainText('At event 16');
  await loadSpec(page, example('map-reduce.yaml'));
  await expect(panel).toHaveCount(0);
});
