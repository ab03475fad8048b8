// Two tabs of one browser edit the same spec draft at once (src/collab over BroadcastChannel):
// both end with the same text, a tab closed loses nothing, a tab opened later catches up, and a
// load in one tab replaces the draft in the others.
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady } from './fixtures';
import type { BrowserContext, Page } from '@playwright/test';
import config from '../../playwright.config';

// Both tabs stay awake (a tab in the background gets no frames, and input to it would wait for one).
const launchOptions = config.use?.launchOptions ?? {};
test.use({
  launchOptions: {
    ...launchOptions,
    args: [...(launchOptions.args ?? []), '--disable-renderer-backgrounding', '--disable-background-timer-throttling', '--disable-backgrounding-occluded-windows'],
  },
  // the trace's screencast waits for frames of the tab in the background
  trace: 'off',
});
// several tabs, each with its kernel, on a shared machine
test.describe.configure({ timeout: 180_000 });

const editor = (page: Page) => page.getByLabel('Spec (YAML)');
/** Puts the tab in front and its editor's cursor at the start or end (a background tab gets no frames, so clicks wait). */
async function focusEditor(page: Page, where: 'Home' | 'End'): Promise<void> {
  await page.bringToFront();
  await editor(page).focus();
  await page.keyboard.press(`ControlOrMeta+${where}`);
}
/** The editor's text (the short specs here are drawn whole: every line is in the DOM). */
const editorText = (page: Page) => page.evaluate(() => [...document.querySelectorAll('.cm-content .cm-line')].map((line) => line.textContent).join('\n'));

async function openTab(context: BrowserContext): Promise<Page> {
  // the draft does not wait for the tab's kernel (on a loaded machine a second kernel may start late)
  const page = await context.newPage();
  await page.goto('/');
  await expect(editor(page)).toBeEditable({ timeout: 20_000 });
  return page;
}

/** Types `marker` at the end of `from` and waits until `to` shows it: both tabs are linked. */
async function linked(from: Page, to: Page, marker: string): Promise<void> {
  await focusEditor(from, 'End');
  await from.keyboard.type(marker);
  await expect.poll(() => editorText(to), { timeout: 10_000 }).toContain(marker);
}

test('two tabs type at once into the shared draft and end equal', async ({ guardedPage: first, context }) => {
  await first.goto('/');
  await waitForReady(first);
  await editor(first).fill('agentos: 1\nname: shared\n');
  const second = await openTab(context);
  await expect.poll(() => editorText(second)).toBe('agentos: 1\nname: shared\n');
  await linked(first, second, '# a\n');
  await linked(second, first, '# b\n');

  // both at once: one at the start, one at the end, then both in the same line
  // (typing reaches a tab in the background too: keys go to its focused editor)
  await focusEditor(first, 'Home');
  await focusEditor(second, 'End');
  await Promise.all([
    first.keyboard.type('# typed in the first tab\n', { delay: 15 }),
    second.keyboard.type('# typed in the second tab\n', { delay: 15 }),
  ]);
  await Promise.all([first.keyboard.press('ControlOrMeta+End'), second.keyboard.press('ControlOrMeta+End')]);
  await Promise.all([
    first.keyboard.type('one one one', { delay: 10 }),
    second.keyboard.type('two two two', { delay: 10 }),
  ]);
  await expect.poll(async () => (await editorText(first)) === (await editorText(second)), { timeout: 10_000 }).toBe(true);
  const end = await editorText(first);
  expect(end.startsWith('# typed in the first tab\nagentos: 1\nname: shared\n# a\n# b\n# typed in the second tab\n')).toBe(true);
  // the concurrent runs at one place do not interleave character by character
  expect(end).toContain('one one one');
  expect(end).toContain('two two two');
  expect(end.length).toBe('# typed in the first tab\nagentos: 1\nname: shared\n# a\n# b\n# typed in the second tab\n'.length + 22);
  await first.screenshot({ path: 'test-results/screenshots/collab-first-tab.png' });

  // each tab's undo takes back its own typing only
  await second.bringToFront();
  await editor(second).press('ControlOrMeta+z');
  await expect.poll(() => editorText(first), { timeout: 10_000 }).not.toContain('two two two');
  expect(await editorText(first)).toContain('one one one');
  expect(await editorText(second)).toBe(await editorText(first));
  await second.close();
});

test('closing a tab loses nothing; a tab opened later catches up; a load replaces the draft in every tab', async ({ guardedPage: first, context }) => {
  await first.goto('/');
  await waitForReady(first);
  await editor(first).fill('agentos: 1\nname: kept\n');
  const second = await openTab(context);
  await linked(first, second, '# from the first tab\n');
  await linked(second, first, '# from the second tab\n');
  const before = await editorText(second);
  await second.close();
  expect(await editorText(first)).toBe(before);
  await focusEditor(first, 'End');
  await first.keyboard.type('# after the close\n');

  // a third tab restores the (unsaved: empty) draft and catches up from the first
  const third = await openTab(context);
  await expect.poll(() => editorText(third), { timeout: 10_000 }).toBe(`${before}# after the close\n`);
  await linked(third, first, '# from the third tab\n');

  // the first saves; a fourth tab restores the saved doc and merges with edits made after the save
  await first.bringToFront();
  await editor(first).press('ControlOrMeta+s');
  await expect(first.getByText('Draft saved in this browser.')).toBeVisible();
  await linked(third, first, '# after the save\n');
  const fourth = await openTab(context);
  await expect.poll(() => editorText(fourth), { timeout: 10_000 }).toBe(await editorText(first));
  await fourth.close();

  // an example chosen in one tab replaces the draft in the others (the chooser was asked first)
  const deadlock = readFileSync(new URL('../../public/examples/deadlock.yaml', import.meta.url), 'utf8');
  await third.bringToFront();
  await third.getByRole('button', { name: 'Examples' }).click();
  await third.getByRole('list', { name: 'Example specs' }).getByRole('button', { name: /^Deadlock/ }).click();
  await third.getByRole('alertdialog').getByRole('button', { name: 'Replace', exact: true }).click();
  await expect.poll(() => editorText(third)).toBe(deadlock);
  await expect.poll(() => editorText(first), { timeout: 10_000 }).toBe(deadlock);
  await linked(first, third, '# edited after the load\n');
  await third.close();
});
