// Shared e2e helpers: every test fails on an uncaught page error or a request to another origin.
import { readFileSync } from 'node:fs';
import { test as base, expect, type Page } from '@playwright/test';

export const test = base.extend<{ guardedPage: Page; foreignRequests: string[] }>({
  foreignRequests: async ({}, use) => {
    await use([]);
  },
  guardedPage: async ({ page, baseURL, foreignRequests }, use) => {
    const origin = new URL(baseURL!).origin;
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Where a blocked inline style came from: its element and first 40 characters ('report-sample').
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        const target = event.target as Element | null;
        const where = target && 'outerHTML' in target ? target.outerHTML.slice(0, 200) : String(target);
        console.warn(`csp-detail: ${event.effectiveDirective} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} sample=${JSON.stringify(event.sample)} element=${where}`);
      });
    });
    // A CSP violation is a bug in the app (it means something was blocked), not noise.
    page.on('console', (message) => {
      if (message.text().startsWith('csp-detail: ')) {
        // Where the report below (which fails the test) came from: the element, the first 40
        // characters of a blocked style ('report-sample'), the script position when there is one.
        console.error(`[${test.info().title}] ${message.text()}`);
        test.info().annotations.push({ type: 'CSP violation detail', description: message.text() });
        return;
      }
      if (!/Content Security Policy/i.test(message.text()) || (page as unknown as { allowCspViolation?: boolean }).allowCspViolation) return;
      pageErrors.push(message.text());
    });
    page.context().on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
    });
    await use(page);
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
    expect(foreignRequests, 'requests to another origin').toEqual([]);
  },
});

export { expect };

// The status bar (other live regions, like notices and progress, have role=status too).
export const statusBar = (page: Page) => page.getByTestId('status-bar');

/** Waits for the status bar to say the core is ready and returns its version. */
export async function waitForReady(page: Page): Promise<string> {
  await expect(statusBar(page)).toContainText('ready', { timeout: 20_000 });
  const text = await statusBar(page).innerText();
  const match = /core (\d+\.\d+\.\d+)/.exec(text);
  expect(match, `status bar names the core version: "${text}"`).not.toBeNull();
  return match![1];
}

/**
 * The Starvation example with its dispatcher sending forever: a run that lasts until it is paused
 * (or the journal is full), for tests that need one. The example itself ends at about 107,000 events.
 */
export function endlessStarvation(text: string): string {
  const endless = text.replace('args: { count: 10000, size: 64B', 'args: { size: 64B');
  if (endless === text) throw new Error('priority-starvation.yaml changed: update endlessStarvation');
  return endless;
}

/** Puts `text` in the editor and loads it: the session is at event 0. */
export async function loadSpec(page: Page, text: string): Promise<void> {
  await page.getByLabel('Spec (YAML)').fill(text);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
}

/** Loads `text` from the editor, runs it and waits until the run has ended (`ended`: the run state then). */
export async function loadAndRun(page: Page, text: string, ended: string | RegExp = /^(quiescent|deadlocked)$/): Promise<void> {
  await loadSpec(page, text);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveText(ended, { timeout: 30_000 });
}

/** An example spec's (or plan's) text, from public/examples. */
export const example = (name: string): string => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');

/** Replaces the Query panel's SQL as a user would and runs it (fill() makes Chrome copy the highlighted span's colour into a style attribute, which the CSP blocks). */
export async function runQuery(page: Page, sql: string): Promise<void> {
  await page.getByLabel('KernelQL query (SQL)').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(sql);
  await page.getByRole('button', { name: 'Run query' }).click();
}
