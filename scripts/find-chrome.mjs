// Finds a Chromium for the end-to-end tests: CHROME_PATH first, then the usual install paths.
// Prints the path; with no browser, exits 1 with one line saying how to get one (never skips).
import { existsSync } from 'node:fs';

export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export function findChrome() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) return { error: `CHROME_PATH is set to ${fromEnv}, but there is no file there.` };
    return { path: fromEnv };
  }
  const found = CHROMIUM_CANDIDATES.find((candidate) => existsSync(candidate));
  if (found) return { path: found };
  return {
    error:
      'No Chromium found for the end-to-end tests: install one (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROME_PATH to a Chrome or Chromium binary.',
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = findChrome();
  if (result.error) {
    console.error(result.error);
    process.exit(1);
  }
  console.log(result.path);
}
