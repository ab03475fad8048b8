// A fresh first-user review in Chromium (issue 10, second pass): each defect as a user meets it.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, waitForReady, loadAndRun } from './fixtures';

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');


async function pickExample(page: Page, title: RegExp) {
  await page.getByRole('button', { name: 'Examples' }).click();
  await page.getByRole('list', { name: 'Example specs' }).getByRole('button', { name: title }).click();
}

test('loading another example clears the Query result and the Shell transcript; the Shell tab takes the keyboard', async ({ guardedPage: page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await waitForReady(page);
  await loadAndRun(page, example('deadlock.yaml'));
  const cursor = await page.getByTestId('cursor').innerText();

  // Clicking the Shell tab puts the caret in its prompt: typing goes there, not to the workbench's keys.
  await page.getByRole('tab', { name: 'Shell' }).click();
  await expect(page.getByLabel('Shell command')).toBeFocused();
  await page.keyboard.type('ps ');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('shell-output')).toContainText('$ ps');
  await expect(page.getByTestId('cursor')).toHaveText(cursor); // the space did not start a run
  // A key typed on the transcript goes to the prompt too.
  await page.getByTestId('shell-output').focus();
  await page.keyboard.type('help');
  await expect(page.getByLabel('Shell command')).toHaveValue('help');
  await page.getByLabel('Shell command').fill('');

  await page.getByRole('tab', { name: 'Query' }).click();
  await page.getByRole('button', { name: 'Run query' }).click();
  await expect(page.getByRole('table', { name: 'Query result' })).toContainText('ipc/sent', { timeout: 30_000 });

  // Another example: nothing of the deadlock's session stays in either tab.
  await pickExample(page, /Map-reduce pipeline/);
  await page.getByRole('button', { name: 'Replace', exact: true }).click(); // the pasted deadlock is an unsaved edit
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('tab', { name: 'Query' }).click();
  await expect(page.getByRole('button', { name: 'Run query' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Query result' })).toHaveCount(0);
  await expect(page.getByTestId('query-status')).toContainText('Tables:');
  await page.getByRole('tab', { name: 'Shell' }).click();
  await expect(page.getByTestId('shell-output')).not.toContainText('$ ps');
  await expect(page.getByTestId('shell-output')).toContainText('Type help for the commands');
});

test('a query error replaces the rows of the query before it', async ({ guardedPage: page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await waitForReady(page);
  await loadAndRun(page, example('deadlock.yaml'));
  await page.getByRole('tab', { name: 'Query' }).click();
  await page.getByRole('button', { name: 'Run query' }).click();
  await expect(page.getByRole('table', { name: 'Query result' })).toBeVisible({ timeout: 30_000 });
  // One pressed state: the Table button looks pressed, the Chart button does not.
  const table = page.getByRole('button', { name: 'Table' }), chart = page.getByRole('button', { name: 'Chart' });
  await expect(table).toHaveAttribute('aria-pressed', 'true');
  await expect(chart).toHaveAttribute('aria-pressed', 'false');
  const background = (button: typeof table) => button.evaluate((element) => getComputedStyle(element).backgroundColor);
  const unpressed = await page.getByRole('button', { name: 'Step back' }).evaluate((element) => getComputedStyle(element).backgroundColor);
  expect(await background(chart), 'Chart looks like a button that is not pressed').toBe(unpressed);
  expect(await background(table)).not.toBe(unpressed);
  await chart.click();
  await expect(chart).toHaveAttribute('aria-pressed', 'true');
  expect(await background(table)).toBe(unpressed);
  await table.click();

  // Completion: the table's columns come before SQL's keywords.
  await page.getByLabel('KernelQL query (SQL)').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText('SELECT * FROM processes WHERE st');
  await page.keyboard.press('Control+Space');
  const first = page.getByRole('listbox').getByRole('option').first();
  await expect(first).toContainText('status');
  await page.keyboard.press('Escape');

  await page.getByLabel('KernelQL query (SQL)').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText('SELECT nope FROM events');
  await page.getByRole('button', { name: 'Run query' }).click();
  await expect(page.getByTestId('query-error')).toContainText('nope', { timeout: 30_000 });
  await expect(page.getByRole('table', { name: 'Query result' })).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Result view' })).toHaveCount(0);
});

test('"X loaded and running" goes once the run has stopped', async ({ guardedPage: page }) => {
  test.setTimeout(90_000);
  await page.goto('/');
  await waitForReady(page);
  // The flood pauses at event 50,000 (in about 5 s at 10k events/s), before the notice's own 8 s.
  await page.getByRole('button', { name: /Flooding a rate-limited channel/ }).click();
  const said = page.getByText(/Flooding a rate-limited channel loaded and running/);
  await expect(said).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('cursor')).toHaveText('event 50,000', { timeout: 45_000 });
  await expect(said).toHaveCount(0, { timeout: 1000 });
});

test('Escape in the Reference\'s search closes the dialog, also with text in the search', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  const reference = page.getByRole('button', { name: 'Reference' });
  await reference.click();
  const dialog = page.getByRole('dialog', { name: 'Spec reference' });
  await expect(dialog).toBeVisible();
  await page.getByLabel('Search the spec reference').fill('send');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(reference).toBeFocused();
});

test('an empty editor shows no error mark, only the note that it is empty', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  const editor = page.getByLabel('Spec (YAML)');
  await editor.press('ControlOrMeta+a');
  await editor.press('Delete');
  await expect(page.getByText('The spec is empty.')).toBeVisible();
  await page.waitForTimeout(1500); // past the check's quiet time
  await expect(page.locator('.cm-lint-marker-error')).toHaveCount(0);
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(0);
});

for (const [width, height] of [[1920, 1080], [1280, 720]] as const) {
  test(`the Examples menu at ${width}x${height}: every entry fits, or the menu says how many more are below`, async ({ guardedPage: page }) => {
    await page.setViewportSize({ width, height });
    await page.goto('/');
    await waitForReady(page);
    await page.getByRole('button', { name: 'Examples' }).click();
    const list = page.getByRole('list', { name: 'Example specs' });
    await expect(list.getByRole('button').first()).toBeFocused();
    const { total, visible } = await list.evaluate((element) => {
      const more = element.querySelector<HTMLElement>('.more');
      const bottom = element.getBoundingClientRect().bottom - (more?.offsetHeight ?? 0);
      const items = [...element.querySelectorAll('li.entry')];
      return { total: items.length, visible: items.filter((item) => item.getBoundingClientRect().bottom <= bottom + 1).length };
    });
    expect(total).toBeGreaterThanOrEqual(10);
    if (visible < total) await expect(page.getByTestId('examples-more')).toHaveText(`${total - visible} more below: scroll or press ↓`);
    else await expect(page.getByTestId('examples-more')).toHaveCount(0);
    await page.screenshot({ path: `test-results/screenshots/examples-menu-${width}.png` });
    // Scrolled to the end, nothing is left below.
    await list.evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await expect(page.getByTestId('examples-more')).toHaveCount(0);
  });
}

test('at 1280x720 the Events list shows every type name whole (invariant/violated, the longest)', async ({ guardedPage: page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await waitForReady(page);
  await loadAndRun(page, example('partition-invariant.yaml'));
  await page.getByLabel('Event type').selectOption('invariant/violated');
  const events = page.getByRole('list', { name: 'Events before the cursor' });
  await expect(events.locator('.type').first()).toHaveText('invariant/violated');
  await page.getByLabel('Event type').selectOption('');
  await expect(events.locator('.type').first()).toBeVisible();
  const cut = await events.locator('.type').evaluateAll((cells) => cells.filter((cell) => cell.scrollWidth > cell.clientWidth).map((cell) => cell.textContent));
  expect(cut, 'type names cut short').toEqual([]);
  await page.getByLabel('Event type').selectOption('invariant/violated');
  const violated = await events.locator('.type').evaluateAll((cells) => cells.map((cell) => cell.scrollWidth <= cell.clientWidth));
  expect(violated.length).toBeGreaterThan(0);
  expect(violated.every(Boolean)).toBe(true);
});

test('typing over a selection of highlighted spec text leaves no inline style for the CSP to block', async ({ guardedPage: page }) => {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspSeen: string[] }).cspSeen = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.sample}`));
  });
  await page.goto('/');
  await waitForReady(page);
  const editor = page.getByLabel('Spec (YAML)');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(example('deadlock.yaml'));
  // Select across keys, values and comments (differently coloured spans), then type over it, many ways.
  for (const keys of [['Shift+ArrowUp', 'Shift+ArrowUp', 'Shift+ArrowUp'], ['ControlOrMeta+a'], ['Shift+Home'], ['Shift+ArrowLeft', 'Shift+ArrowLeft']]) {
    await page.keyboard.press('ControlOrMeta+End');
    for (const key of keys) await page.keyboard.press(key);
    await page.keyboard.type('agents: x');
    await page.keyboard.press('Enter');
  }
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { cspSeen: string[] }).cspSeen)).toEqual([]);
  await expect(page.locator('.cm-content [style]')).toHaveCount(0);
});
