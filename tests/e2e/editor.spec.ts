// The spec editor (CodeMirror 6) and the examples gallery, in the production build with its CSP.
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady } from './fixtures';
import type { Page } from '@playwright/test';

interface Example {
  file: string;
  title: string;
  description: string;
}
const examples: Example[] = JSON.parse(readFileSync(new URL('../../public/examples/index.json', import.meta.url), 'utf8'));
const exampleText = (file: string) => readFileSync(new URL(`../../public/examples/${file}`, import.meta.url), 'utf8');
const deadlock = examples.find((entry) => entry.file === 'deadlock.yaml')!;

const BROKEN_SPEC = 'agentos: 1\nname: broken\nagents:\n  w:\n    program: worker\n    memory: lots\n';

/** Records every CSP violation the page reports, from before its first script runs. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) fromConsole.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  return async () => [...fromConsole, ...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations))];
}

const editor = (page: Page) => page.getByLabel('Spec (YAML)');
/** The text of the rendered lines (all of them, for the short specs used here). */
const editorLines = async (page: Page) =>
  (await page.locator('.cm-content .cm-line').allInnerTexts()).map((line) => line.replace(/\n$/, ''));

async function chooseExample(page: Page, title: string) {
  await page.getByRole('button', { name: 'Examples' }).click();
  await page.getByRole('list', { name: 'Example specs' }).getByRole('button', { name: new RegExp(`^${title}`) }).click();
}

test('the gallery lists every example; choosing one fills the editor and loads it into the kernel', async ({ guardedPage: page }) => {
  const violations = await watchCsp(page);
  await page.goto('/');
  await waitForReady(page);
  await editor(page).fill('agentos: 1\nname: mine\n');
  await page.getByRole('button', { name: 'Examples' }).click();
  const list = page.getByRole('list', { name: 'Example specs' });
  await expect(list.getByRole('button')).toHaveCount(examples.length);
  for (const entry of examples) {
    await expect(list).toContainText(entry.title);
    await expect(list).toContainText(entry.description);
  }
  await page.screenshot({ path: 'test-results/screenshots/editor-gallery.png', fullPage: true });
  await list.getByRole('button', { name: new RegExp(`^${deadlock.title}`) }).click();
  await expect(list).toHaveCount(0);
  // The user's unsaved text is not replaced without asking; "Keep editing" keeps it.
  const ask = page.getByRole('alertdialog', { name: `Replace your unsaved spec with “${deadlock.title}”?` });
  await expect(ask).toBeVisible();
  await expect(ask.getByRole('button', { name: 'Save draft, then replace' })).toBeFocused();
  await page.screenshot({ path: 'test-results/screenshots/editor-replace.png' });
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(ask).toHaveCount(0);
  expect(await editorLines(page)).toEqual(['agentos: 1', 'name: mine', '']);
  await chooseExample(page, deadlock.title);
  await ask.getByRole('button', { name: 'Replace', exact: true }).click();

  const expected = exampleText(deadlock.file).split('\n');
  await expect.poll(async () => (await editorLines(page)).slice(0, 8)).toEqual(expected.slice(0, 8));
  // Loaded and run, like the cards, at the pace the example is best watched at (index.json).
  await expect(page.getByText(`${deadlock.title} loaded and running at 10 events/s.`)).toBeVisible();
  await expect(page.getByTestId('cursor')).not.toHaveText('event 0', { timeout: 30_000 });
  // Choosing an example is one undoable change: the user's own text is one Ctrl/Cmd+Z away.
  await editor(page).press('ControlOrMeta+z');
  await expect.poll(() => editorLines(page)).toEqual(['agentos: 1', 'name: mine', '']);
  expect(await violations()).toEqual([]);
});

test('choosing an example over unsaved edits can save them first; an untouched example is replaced without asking', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await editor(page).fill('agentos: 1\nname: keep-me\n');
  await chooseExample(page, deadlock.title);
  await page.getByRole('alertdialog').getByRole('button', { name: 'Save draft, then replace' }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  // An example left as it was is not "unsaved work": the next example replaces it at once.
  const swarm = examples.find((entry) => entry.file === 'swarm.yaml')!;
  await chooseExample(page, swarm.title);
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect.poll(async () => (await editorLines(page)).join('\n')).toContain('name: swarm');
  // The saved draft is what a reload brings back.
  await page.reload();
  await waitForReady(page);
  await expect.poll(() => editorLines(page)).toEqual(['agentos: 1', 'name: keep-me', '']);
});

/** A computed colour (`rgb(r, g, b)` or `color(srgb r g b)`) as 0..255 integers. */
function rgbOf(color: string): number[] {
  const srgb = /^color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)\)$/.exec(color);
  if (srgb) return srgb.slice(1, 4).map((value) => Math.round(Number(value) * 255));
  const rgb = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(color);
  if (!rgb) throw new Error(`not a colour: ${color}`);
  return rgb.slice(1, 4).map(Number);
}
/** CSS color-mix(in srgb, a share, b), rounded to 0..255. */
const mix = (a: number[], b: number[], share: number) => a.map((value, i) => Math.round(value * share + b[i] * (1 - share)));

test('the editor is styled under the production CSP, with no violation and no <style> element', async ({ guardedPage: page }) => {
  const violations = await watchCsp(page);
  await page.goto('/');
  await waitForReady(page);
  await chooseExample(page, deadlock.title);
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  expect(await violations(), 'CSP violations').toEqual([]);
  // The YAML is highlighted by CodeMirror's parser once it has run (it works in slices).
  await expect(page.locator('.cm-content .cm-line span').first()).toBeVisible();
  const styles = await page.evaluate(() => {
    const css = (selector: string) => getComputedStyle(document.querySelector(selector)!);
    const root = getComputedStyle(document.documentElement);
    const key = document.querySelector('.cm-content .cm-line span');
    return {
      adoptedSheets: document.adoptedStyleSheets.length,
      styleElements: document.querySelectorAll('style').length,
      gutterBackground: css('.cm-gutters').backgroundColor,
      gutterBorder: css('.cm-gutters').borderRightStyle,
      editorDisplay: css('.cm-editor').display,
      scrollerFont: css('.cm-scroller').fontFamily,
      bodyFont: getComputedStyle(document.body).fontFamily,
      keyColor: key ? getComputedStyle(key).color : '',
      accent: root.getPropertyValue('--accent').trim(),
      lineNumbers: document.querySelectorAll('.cm-lineNumbers .cm-gutterElement').length,
    };
  });
  expect(styles.adoptedSheets).toBeGreaterThan(0);
  expect(styles.styleElements).toBe(0);
  expect(styles.editorDisplay).toBe('flex'); // CodeMirror's base theme applied
  expect(styles.gutterBorder).toBe('solid');
  expect(styles.gutterBackground).not.toBe('rgba(0, 0, 0, 0)');
  expect(styles.scrollerFont).toMatch(/mono/i);
  expect(styles.scrollerFont).not.toBe(styles.bodyFont);
  expect(styles.lineNumbers).toBeGreaterThan(5);
  // YAML highlighting: the first key ("agentos") has the accent colour (#2f63d6 in light mode)
  // moved 15% toward the text colour (#1b1f29), for AA contrast on the active line (editor-contrast.spec).
  expect(styles.accent).toBe('#2f63d6');
  expect(rgbOf(styles.keyColor)).toEqual(mix([47, 99, 214], [27, 31, 41], 0.85));
  await page.screenshot({ path: 'test-results/screenshots/editor.png', fullPage: true });

  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await page.evaluate(() => ({
    gutterBackground: getComputedStyle(document.querySelector('.cm-gutters')!).backgroundColor,
    keyColor: getComputedStyle(document.querySelector('.cm-content .cm-line span')!).color,
  }));
  expect(dark.gutterBackground).not.toBe(styles.gutterBackground);
  expect(rgbOf(dark.keyColor)).toEqual(mix([109, 155, 255], [230, 232, 238], 0.85)); // --accent #6d9bff toward --text #e6e8ee in dark mode
  await page.screenshot({ path: 'test-results/screenshots/editor-dark.png', fullPage: true });
  expect(await violations()).toEqual([]);
});

test('replacing or deleting a highlighted selection made outside CodeMirror (select-all by script, then typing) writes no inline style the CSP refuses', async ({ guardedPage: page }) => {
  // Chromium keeps a removed selection's colour as a `style` attribute ("typing style") when it
  // edits by itself; the editor takes such input first. The selection here is set on the DOM and
  // the input follows in the same task, before CodeMirror has read the selection back.
  const violations = await watchCsp(page);
  await page.goto('/');
  await waitForReady(page);
  await chooseExample(page, deadlock.title);
  await expect(page.locator('.cm-content .cm-line span').first()).toBeVisible();
  const selectAllByScript = () => page.evaluate(() => {
    const content = document.querySelector('.cm-content') as HTMLElement;
    content.focus();
    const range = document.createRange();
    range.selectNodeContents(content);
    const selection = document.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
  });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await selectAllByScript();
    await page.keyboard.insertText(BROKEN_SPEC);
    await expect.poll(() => editorLines(page)).toEqual(BROKEN_SPEC.split('\n'));
    // A deletion of the whole (highlighted) text, then typing at the empty line.
    await expect(page.locator('.cm-content .cm-line span').first()).toBeVisible();
    await selectAllByScript();
    await page.evaluate(() => document.execCommand('delete'));
    await expect(page.locator('.cm-placeholder'), 'the empty editor shows its placeholder').toBeVisible();
    await page.keyboard.insertText(exampleText(deadlock.file));
    await expect.poll(async () => (await editorLines(page)).join('\n')).toBe(exampleText(deadlock.file));
    // What a test tool's fill does after a reload (the way the report was first seen): the
    // restored draft, highlighted, replaced at once.
    await page.goto('/');
    await waitForReady(page);
    await expect(page.locator('.cm-content .cm-line span').first()).toBeVisible();
    await editor(page).fill(exampleText('map-reduce.yaml'));
    await expect.poll(async () => (await editorLines(page)).join('\n')).toBe(exampleText('map-reduce.yaml'));
  }
  expect(await violations(), 'CSP violations').toEqual([]);
  expect(await page.locator('.cm-content [style]').count(), 'inline styles in the editor').toBe(0);
});

test('a spec error shows inline at its line and column, in the gutter and as a tooltip', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await editor(page).fill(BROKEN_SPEC);
  await editor(page).press('ControlOrMeta+Enter');
  await expect(page.getByRole('list', { name: 'Spec errors' })).toContainText('6:13');
  // 6:13 is "lots" on line 6: the underline covers exactly that word, on that line.
  const range = page.locator('.cm-lintRange-error');
  await expect(range).toHaveText('lots');
  await expect(page.locator('.cm-content .cm-line').nth(5).locator('.cm-lintRange-error')).toHaveCount(1);
  await expect(page.locator('.cm-gutter-lint .cm-gutterElement .cm-lint-marker-error')).toHaveCount(1);
  await range.hover();
  await expect(page.locator('.cm-tooltip .cm-diagnostic-error')).toContainText('agents.w.memory');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/screenshots/editor-error-dark.png', fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });

  // The problem list moves the cursor there; fixing the value and loading clears the error.
  await page.getByRole('button', { name: /6:13/ }).click();
  await expect(editor(page)).toBeFocused();
  await page.keyboard.press('Shift+End');
  await page.keyboard.type('64KiB');
  await expect(page.locator('.cm-content .cm-line').nth(5)).toHaveText('    memory: 64KiB');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Spec errors' })).toHaveCount(0);
});

test('keyboard: Ctrl/Cmd+S saves the draft, Ctrl/Cmd+Z undoes in the editor only', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await editor(page).fill('agentos: 1\nname: keys\n');
  await expect(editor(page)).toHaveAccessibleDescription(/Tab leaves the editor/);
  // Tab moves focus on (it does not indent, so a keyboard user is never trapped and the spec never changes).
  await editor(page).press('Tab');
  await expect(editor(page)).not.toBeFocused();
  await expect.poll(() => editorLines(page)).toEqual(['agentos: 1', 'name: keys', '']);
  await editor(page).focus();
  await editor(page).press('ControlOrMeta+s');
  await expect(page.getByText('Draft saved in this browser.')).toBeVisible();
  // Space and arrows type into the editor; they are not the workbench's run/step shortcuts.
  await editor(page).press('ControlOrMeta+End');
  await page.keyboard.type('# a comment with spaces');
  await expect(page.locator('.cm-content')).toContainText('# a comment with spaces');
  await expect(page.getByText('unsaved changes')).toBeVisible();
  await page.keyboard.press('ControlOrMeta+z');
  await expect(page.locator('.cm-content')).not.toContainText('# a comment');
  await page.reload();
  await waitForReady(page);
  await expect.poll(() => editorLines(page)).toEqual(['agentos: 1', 'name: keys', '']);
});

test('the gallery works offline from the service worker cache', async ({ guardedPage: page, context }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
  });
  await context.setOffline(true);
  await page.reload();
  await waitForReady(page);
  const swarm = examples.find((entry) => entry.file === 'swarm.yaml')!;
  await chooseExample(page, swarm.title);
  await expect(page.getByTestId('cursor')).toHaveText('event 0', { timeout: 20_000 });
  await expect(page.locator('.cm-content')).toContainText('name: swarm');
  await context.setOffline(false);
});

test.describe('without the service worker', () => {
  test.use({ serviceWorkers: 'block' });

  test('a failed fetch says so and leaves the editor alone', async ({ guardedPage: page }) => {
    await page.route(/\/examples\/deadlock\.yaml$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto('/');
    await waitForReady(page);
    await editor(page).fill('agentos: 1\nname: mine\n');
    await chooseExample(page, deadlock.title);
    await expect(page.getByRole('alert')).toHaveText('Could not fetch examples/deadlock.yaml: HTTP 404');
    await expect.poll(() => editorLines(page)).toEqual(['agentos: 1', 'name: mine', '']);
    await expect(page.getByTestId('cursor')).toHaveCount(0);
  });

  test('the editor is fetched after the page: its text shows read-only until then, and a chunk that cannot be fetched is said', async ({ guardedPage: page }) => {
    let release = () => {};
    const held = new Promise<void>((resolve) => { release = resolve; });
    await page.route(/\/assets\/setup-[\w-]+\.js$/, async (route) => { await held; await route.continue(); });
    await page.goto('/');
    await waitForReady(page);
    const mapReduce = examples.find((entry) => entry.file === 'map-reduce.yaml')!;
    await page.getByRole('list', { name: 'Run an example' }).getByRole('button').filter({ hasText: mapReduce.title }).click();
    const readOnly = page.getByLabel('The spec, read-only while the editor loads');
    await expect(readOnly).toContainText('name: map-reduce');
    await expect(page.locator('.cm-content')).toHaveCount(0);
    release();
    await expect(page.locator('.cm-content')).toContainText('name: map-reduce');
    await expect(readOnly).toHaveCount(0);
    await expect(editor(page)).toBeEditable();

    const broken = await page.context().newPage();
    await broken.route(/\/assets\/setup-[\w-]+\.js$/, (route) => route.abort('internetdisconnected'));
    await broken.goto('/');
    await expect(broken.getByRole('alert').filter({ hasText: 'The editor could not be loaded' })).toContainText('reload the page to try again');
    await expect(broken.getByLabel('The spec, read-only while the editor loads')).toBeVisible();
    await broken.close();
  });

  test('an unreachable index says so', async ({ guardedPage: page }) => {
    await page.route(/\/examples\/index\.json$/, (route) => route.abort('internetdisconnected'));
    await page.goto('/');
    await waitForReady(page);
    await page.getByRole('button', { name: 'Examples' }).click();
    await expect(page.getByRole('alert')).toContainText('Could not fetch examples/index.json');
    await expect(page.getByRole('list', { name: 'Example specs' })).toHaveCount(0);
  });
});

test('a first visit offers every example one click from running', async ({ guardedPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await waitForReady(page);
  const cards = page.getByRole('list', { name: 'Run an example' }).getByRole('button');
  await expect(cards).toHaveCount(examples.length);
  await page.screenshot({ path: 'test-results/screenshots/welcome.png' });
  const mapReduce = examples.find((entry) => entry.file === 'map-reduce.yaml')!;
  await cards.filter({ hasText: mapReduce.title }).click();
  await expect(page.getByTestId('cursor')).not.toHaveText('event 0', { timeout: 30_000 });
  await expect.poll(async () => (await editorLines(page)).join('\n')).toContain('name: map-reduce');
  await expect(page.getByRole('list', { name: 'Run an example' })).toHaveCount(0);
});
