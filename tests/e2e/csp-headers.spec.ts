// The CSP as a response header: the worker script gets the same policy as the page (a <meta>
// policy does not reach a worker), frame-ancestors is set, and the app still runs under it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test, expect, waitForReady } from './fixtures';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER } from '../../vite.config';

test('the page and the worker script are served with the CSP header, frame-ancestors included; the wasm core runs under it', async ({ guardedPage: page }) => {
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  const response = await page.goto('/');
  const policy = response!.headers()['content-security-policy'];
  expect(policy).toBe(CONTENT_SECURITY_POLICY_HEADER);
  expect(policy).toBe(`${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  // The core is compiled and booted in the worker, under the worker's own policy.
  await waitForReady(page);

  const kernelWorker = workers.find((url) => /worker/i.test(url));
  expect(kernelWorker, `worker scripts: ${workers.join(', ')}`).toBeDefined();
  const script = await page.request.get(kernelWorker!);
  expect(script.ok()).toBe(true);
  expect(script.headers()['content-type']).toMatch(/javascript/);
  expect(script.headers()['content-security-policy']).toBe(policy);

  // The policy is in force inside the worker: connect-src 'self' refuses a data: URL there (it
  // was fetched before the header). (eval cannot tell: DevTools' evaluate is exempt from CSP.)
  (page as unknown as { allowCspViolation: boolean }).allowCspViolation = true; // this test provokes one
  const worker = page.workers().find((candidate) => candidate.url() === kernelWorker)!;
  const fetched = await worker.evaluate(async () => {
    const violated = new Promise<string>((resolve) => self.addEventListener('securitypolicyviolation', (event) => resolve((event as SecurityPolicyViolationEvent).violatedDirective), { once: true }));
    try {
      return `fetched ${await (await fetch('data:text/plain,outside')).text()}`;
    } catch (error) {
      return `${(error as Error).name}; violated ${await violated}`;
    }
  });
  expect(fetched).toBe('TypeError; violated connect-src');

  // The wasm is served under the same header, and static hosts get the same headers from _headers.
  const wasmFile = readdirSync('dist/assets').find((name) => name.endsWith('.wasm'));
  expect(wasmFile).toBeDefined();
  const wasm = await page.request.get(`/assets/${wasmFile}`, { failOnStatusCode: true });
  expect(wasm.headers()['content-security-policy']).toBe(policy);
  const headersFile = 'dist/_headers';
  expect(existsSync(headersFile)).toBe(true);
  expect(readFileSync(headersFile, 'utf8')).toContain(`Content-Security-Policy: ${policy}`);
});
