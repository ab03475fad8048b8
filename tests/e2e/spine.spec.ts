import { readFileSync } from 'node:fs';
import { test, expect, statusBar, waitForReady } from './fixtures';
import { CONTENT_SECURITY_POLICY } from '../../vite.config';

const CORE_VERSION = (() => {
  const constants = readFileSync(new URL('../../assembly/constants.ts', import.meta.url), 'utf8');
  const part = (name: string) => /export const CORE_VERSION_(\w+): u32 = (\d+);/g;
  const found = Object.fromEntries([...constants.matchAll(part(''))].map((m) => [m[1], m[2]]));
  return `${found.MAJOR}.${found.MINOR}.${found.PATCH}`;
})();

test('the status bar reaches "ready" with the version the wasm core reports through the worker', async ({ guardedPage: page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'AgentOS', level: 1 })).toBeVisible();
  expect(await waitForReady(page)).toBe(CORE_VERSION);
  // The worker really executed wasm: the worker is a separate script and the wasm was fetched.
  const resources = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
  expect(resources.some((url) => /kernel\.worker-.*\.js$/.test(url))).toBe(true);
  await page.screenshot({ path: 'test-results/screenshots/shell-ready.png', fullPage: true });
});

test('works offline: after the first visit, a reload without network still reaches "ready"', async ({ guardedPage: page, context }) => {
  await page.goto('/');
  await waitForReady(page);
  // Wait until the service worker has installed and controls the page (precache complete).
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
    return registration.active?.state;
  });
  await context.setOffline(true);
  await page.reload();
  expect(await waitForReady(page)).toBe(CORE_VERSION);
  const controlled = await page.evaluate(() => navigator.serviceWorker.controller !== null);
  expect(controlled).toBe(true);
  await context.setOffline(false);
});

test('a spec draft is written to IndexedDB, survives a reload, and is read back', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  const editor = page.getByLabel('Spec (YAML)');
  const spec = 'agentos: 1\nname: persisted-draft\nagents:\n  w:\n    program: worker\n';
  await editor.fill(spec);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByText('Draft saved in this browser.')).toBeVisible();
  // It really is in IndexedDB, in the sessions store, as a checksummed record.
  const stored = await page.evaluate(
    () =>
      new Promise<{ kind: string; format: number; byteLength: number }>((resolve, reject) => {
        const open = indexedDB.open('agentos');
        open.onsuccess = () => {
          const request = open.result.transaction('sessions').objectStore('sessions').get('draft');
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        };
      }),
  );
  expect(stored).toMatchObject({ kind: 'draft', format: 2 });
  await page.reload();
  // The editor (CodeMirror) renders one element per line.
  await expect
    .poll(async () => (await page.locator('.cm-content .cm-line').allInnerTexts()).map((line) => line.replace(/\n$/, '')))
    .toEqual([...spec.split('\n').slice(0, -1), '']);
  await expect(page.getByText('Draft restored from this browser.')).toBeVisible();
});

test('the production build ships the strict CSP, and an injected inline script is blocked', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toBe(CONTENT_SECURITY_POLICY);
  (page as unknown as { allowCspViolation: boolean }).allowCspViolation = true; // this test provokes one
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const outcome = await page.evaluate(async () => {
    const seen = new Promise<string>((resolve) =>
      document.addEventListener('securitypolicyviolation', (event) => resolve(event.violatedDirective), { once: true }),
    );
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true;';
    document.body.appendChild(script);
    const directive = await seen;
    return { directive, ran: (window as unknown as { __injected?: boolean }).__injected === true };
  });
  expect(outcome.ran).toBe(false);
  expect(outcome.directive).toMatch(/^script-src/);
  expect(violations.length).toBeGreaterThan(0);
});

test.describe('without the service worker', () => {
  // Playwright's routing does not see requests a service worker answers from its cache.
  test.use({ serviceWorkers: 'block' });

  test('a kernel that cannot start says so in the status bar', async ({ guardedPage: page }) => {
    // Break the wasm download: the worker's boot must fail visibly, not hang on "Starting".
    await page.route(/\.wasm$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto('/');
    await expect(statusBar(page)).toContainText('The kernel did not start', { timeout: 20_000 });
    await expect(statusBar(page)).toContainText('HTTP 404');
  });
});
