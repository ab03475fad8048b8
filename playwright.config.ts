import { defineConfig } from '@playwright/test';
import { findChrome } from './scripts/find-chrome.mjs';

const chrome = findChrome();
if (chrome.error) {
  console.error(chrome.error);
  process.exit(1);
}

// The e2e tests run against the production build (`vite preview`), where the CSP and the service
// worker are real. Port 4174 so a running `npm start` (4173) does not collide.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 4174);

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: chrome.path,
      // Needed by Debian's Chromium in a container, and to keep it from calling home.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `npx vite preview --port ${E2E_PORT} --strictPort`,
    url: `http://localhost:${E2E_PORT}`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
