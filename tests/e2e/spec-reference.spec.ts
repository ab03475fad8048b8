// The spec Reference, autocomplete and checking as you type, in the production build with its CSP.
import { test, expect, waitForReady } from './fixtures';
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

const editor = (page: Page) => page.getByLabel('Spec (YAML)');
const editorLines = async (page: Page) =>
  (await page.locator('.cm-content .cm-line').allInnerTexts()).map((line) => line.replace(/\n$/, ''));

/**
 * Replaces the editor's text. Cleared with the keyboard first: Playwright's fill over text with
 * lint underlines makes Chrome's editing copy their look into a style attribute, which the CSP
 * refuses (and reports) before CodeMirror redraws the line.
 */
async function replaceText(page: Page, text: string) {
  await editor(page).press('ControlOrMeta+a');
  await page.keyboard.press('Backspace');
  await editor(page).fill(text);
}

test.setTimeout(150_000);

test('the Reference opens from the editor and the palette, searches, and inserts an example', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await editor(page).fill('agentos: 1\nkernel:\n  \nagents:\n  a: { program: idle }\n');
  // The cursor on the empty line under kernel: Insert puts the example there, at its indentation.
  await page.locator('.cm-content .cm-line').nth(2).click();
  await page.getByRole('button', { name: 'Reference' }).click();
  const dialog = page.getByRole('dialog', { name: 'Spec reference' });
  await expect(dialog).toBeVisible();
  const search = dialog.getByRole('searchbox', { name: 'Search the spec reference' });
  await expect(search).toBeFocused();
  // Every step, behaviour and key is there before searching.
  for (const name of ['scheduler', 'send', 'router', 'router.policy', 'pn-counter inc', 'faults']) {
    await expect(dialog.getByRole('heading', { name, exact: true, level: 4 })).toHaveCount(1);
  }
  // Two sections have a key named capacity: a channel's and the autonomy's (how far healing may raise one).
  await expect(dialog.locator('article[data-entry="channel.capacity"]')).toHaveCount(1);
  await expect(dialog.locator('article[data-entry="autonomy.capacity"]')).toHaveCount(1);
  await search.fill('scheduler');
  const entry = dialog.locator('article[data-entry="kernel.scheduler"]');
  await expect(entry).toBeVisible();
  await expect(entry).toContainText('round-robin');
  await expect(entry).toContainText('default fair');
  await expect(dialog.locator('article[data-entry="step.send"]')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/spec-reference.png' });
  await search.fill('no such thing at all');
  await expect(dialog).toContainText('Nothing in the reference matches');
  await search.fill('scheduler');
  // Keyboard: Tab reaches the entry's Insert button; Enter inserts and closes the dialog.
  await entry.getByRole('button', { name: 'Insert the example of scheduler' }).focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect.poll(() => editorLines(page)).toEqual(['agentos: 1', 'kernel:', '  scheduler: eevdf', 'agents:', '  a: { program: idle }', '']);
  await expect(editor(page)).toBeFocused();

  // From the command palette; Escape closes it and the focus goes back.
  await page.keyboard.press('ControlOrMeta+k');
  await page.getByRole('combobox', { name: 'Filter commands' }).fill('reference');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await expect(search).toHaveValue('');
  const results = await new AxeBuilder({ page }).include('dialog').analyze();
  expect(results.violations.map((violation) => `${violation.id}: ${violation.help} ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('an empty editor offers a starter template that loads', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await editor(page).fill('');
  await expect(page.getByText('The spec is empty.')).toBeVisible();
  await page.getByRole('button', { name: 'Start from a template' }).click();
  await expect(page.locator('.cm-content')).toContainText('agentos: 1');
  await expect(page.getByText('The spec is empty.')).toHaveCount(0);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await expect(page.getByRole('list', { name: 'Spec errors' })).toHaveCount(0);
});

test('autocomplete offers the keys valid at the cursor and the values of a key', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await editor(page).fill('agentos: 1\nkernel:\n');
  await editor(page).press('ControlOrMeta+End');
  await page.keyboard.type('  sch');
  const list = page.getByRole('listbox');
  await expect(list.getByRole('option', { name: /^scheduler/ })).toBeVisible();
  // CodeMirror ignores Enter for interactionDelay (75 ms) after the list opens, so a click is not taken as a pick.
  await page.waitForTimeout(150);
  await page.waitForTimeout(150); // past CodeMirror's interactionDelay
  await page.keyboard.press('Enter');
  await expect.poll(() => editorLines(page)).toEqual(['agentos: 1', 'kernel:', '  scheduler: ']);
  // The values of scheduler, from the same table the parser checks.
  await page.keyboard.press('Control+Space');
  for (const policy of ['round-robin', 'priority', 'fair', 'eevdf']) await expect(list.getByRole('option', { name: new RegExp(`^${policy}`) })).toBeVisible();
  await page.keyboard.type('ee');
  await page.waitForTimeout(150); // past CodeMirror's interactionDelay
  await page.keyboard.press('Enter');
  await expect.poll(() => editorLines(page)).toEqual(['agentos: 1', 'kernel:', '  scheduler: eevdf']);
  // Ports the programs use, for a channel's ends (from the worker's outline of the spec).
  await replaceText(page, 'agentos: 1\nagents:\n  src: { program: producer }\n  sink: { program: consumer }\nchannels:\n  - { from: ');
  await editor(page).press('ControlOrMeta+End');
  await page.keyboard.press('Control+Space');
  await expect(list.getByRole('option', { name: /^src\.out/ })).toBeVisible();
  await page.waitForTimeout(150); // past CodeMirror's interactionDelay
  await page.keyboard.press('Enter');
  await page.keyboard.type(', to: s');
  await expect(list.getByRole('option', { name: /^sink\.in/ })).toBeVisible();
  await page.waitForTimeout(150); // past CodeMirror's interactionDelay
  await page.keyboard.press('Enter');
  await page.keyboard.type(' }');
  await expect.poll(async () => (await editorLines(page)).at(-1)).toBe('  - { from: src.out, to: sink.in }');
  await page.screenshot({ path: 'test-results/screenshots/spec-autocomplete.png' });
  // What was written by completion alone loads.
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
});

test('the spec is checked as it is typed: every error at once, YAML errors in plain words', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await editor(page).fill('agentos: 1\nkernel:\n  scheduler: fastest\n  quantm: 1ms\nagents:\n  w:\n    program: worker\n    memory: lots\n');
  // No Load: the checker finds all three, underlined where they are, with the gutter marks.
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(3);
  await expect(page.locator('.cm-lintRange-error')).toHaveText(['fastest', 'quantm:', 'lots']);
  await expect(page.locator('.cm-gutter-lint .cm-lint-marker-error')).toHaveCount(3);
  await page.locator('.cm-lintRange-error').first().hover();
  await expect(page.locator('.cm-tooltip .cm-diagnostic-error')).toContainText('3:14 kernel.scheduler: expected one of round-robin, priority, fair, eevdf');
  // Fixing them clears them, still without Load.
  await replaceText(page, 'agentos: 1\nkernel:\n  scheduler: fair\nagents:\n  w:\n    program: worker\n    memory: 1MiB\n');
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(0);
  // YAML syntax errors, said in plain words at their lines, both at once. (A typed tab is left to
  // the unit tests: Chrome's own editing wraps it in a styled span, which the CSP refuses.)
  await replaceText(page, 'agentos: 1\nname: a: b\nagents:\n  w: { program: idle }\n    x: 1\n');
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(2);
  await page.locator('.cm-lintRange-error').first().hover();
  await expect(page.locator('.cm-tooltip .cm-diagnostic-error')).toContainText('2:7 invalid YAML: this value holds ": " (a colon and a space), which YAML reads as a new key: put the value in quotes, like "a: b"');
  await page.screenshot({ path: 'test-results/screenshots/spec-check-as-you-type.png' });
});
