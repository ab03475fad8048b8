// The IPC tab and the Inspector's details in real Chromium: map-reduce's two channels are drawn as
// labelled, focusable edges whose details match the figures; a selected process shows its program
// with the current step highlighted and why the scheduler picked it; two points compare.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, waitForReady } from './fixtures';
import type { Page } from '@playwright/test';

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');

async function loadAndRun(page: Page, events: number) {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(example('map-reduce.yaml'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveText('quiescent', { timeout: 30_000 });
  await page.getByRole('slider', { name: 'Timeline' }).fill(String(events));
  await expect(page.getByTestId('cursor')).toHaveText(`event ${events.toLocaleString('en')}`);
}

test('IPC: agents and channels as a graph with rates, queue fill and details', async ({ guardedPage: page }) => {
  await loadAndRun(page, 6000);
  await page.getByRole('tab', { name: 'IPC' }).click();
  const panel = page.getByRole('tabpanel', { name: 'IPC' });
  await expect(panel.getByRole('heading', { name: /IPC 3 agents · 2 channels · at event 6,000/ })).toBeVisible();
  for (const name of ['source', 'mapper', 'reducer']) await expect(panel.getByRole('button', { name: new RegExp(`^agent ${name}:`) })).toBeVisible();
  const edge = panel.getByRole('button', { name: /^channel source\.out -> mapper\.in: [\d.]+ messages per ms, queue \d+ of 256, 0 dropped$/ });
  await expect(edge).toBeVisible();
  await expect(panel.getByRole('button', { name: /^channel mapper\.out -> reducer\.in: .* of 64/ })).toBeVisible();
  // Labels are painted above every line, in their own layer.
  await expect(panel.locator('g.edge-label[data-channel="source.out -> mapper.in"] text.rate')).toHaveText(/^[\d.]+\/ms$/);
  const label = await edge.getAttribute('aria-label');
  const rate = Number(/: ([\d.]+) messages per ms/.exec(label!)![1]);
  expect(rate).toBeGreaterThan(0);

  // Keyboard: focus the edge and press Enter for its details.
  await edge.focus();
  await page.keyboard.press('Enter');
  await expect(panel.getByRole('heading', { name: 'Channel source.out -> mapper.in' })).toBeVisible();
  await expect(panel.locator('.detail')).toContainText(/sent in the last 10 ms/);
  await expect(panel.locator('.detail')).toContainText(/queued \+ \d+ in flight of 256/);
  await page.screenshot({ path: 'test-results/screenshots/ipc.png' });

  // A wider window changes what the rate is measured over.
  await panel.getByLabel('rate window').selectOption('100');
  await expect(panel.locator('.detail')).toContainText(/sent in the last 100 ms/);

  const results = await new AxeBuilder({ page }).include('#system-panel-ipc').analyze();
  const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/screenshots/ipc-dark.png' });
});

test('Inspector: program with the current step, state in words, why it was picked; compare two points', async ({ guardedPage: page }) => {
  await loadAndRun(page, 6000);
  // A built-in behaviour (source: program: producer): each step says what it does, not the one
  // `program:` line they all share; the heading counts steps, never a raw pc.
  await page.getByRole('button', { name: '0', exact: true }).click();
  const producer = page.getByRole('list', { name: 'Program of source' });
  await expect(producer.getByRole('listitem')).toHaveText([/repeat 2000 times$/, /send out 256 B$/, /sleep 20us$/]);
  await expect(page.getByTestId('inspector-step')).toHaveText(/^(step [1-3] of 3|ended · 3 steps)$/);

  await page.getByRole('button', { name: '1', exact: true }).click();
  await expect(page.getByRole('heading', { name: /Process 1/ })).toBeVisible();
  const program = page.getByRole('list', { name: 'Program of mapper' });
  await expect(program.getByRole('listitem')).toHaveCount(6);
  await expect(program.getByRole('listitem').nth(1)).toContainText('- recv: in');
  await expect(page.getByTestId('inspector-step')).toHaveText(/^step [1-6] of 6$/);
  const current = program.locator('li[aria-current="step"]');
  await expect(current).toHaveCount(1);
  await expect(current).toContainText(/recv|compute|alloc|send|free/);
  await expect(page.getByTestId('inspector-why')).toContainText(/picked: lowest vruntime -?\d+ at event \d+/);
  await expect(page.getByTestId('inspector-state')).toHaveText(/^(running|runnable|blocked: recv on channel source\.out -> mapper\.in|blocked: send on channel .*)$/);

  // Stepping moves the highlighted step or the state with the cursor.
  const before = `${await current.innerText()} ${await page.getByTestId('inspector-why').innerText()}`;
  await page.getByRole('slider', { name: 'Timeline' }).fill('6300');
  await expect(page.getByTestId('cursor')).toHaveText('event 6,300');
  await expect.poll(async () => `${await program.locator('li[aria-current="step"]').innerText()} ${await page.getByTestId('inspector-why').innerText()}`).not.toBe(before);

  await expect(page.getByTestId('inspector-why')).toContainText(/picked: lowest vruntime/);
  await page.screenshot({ path: 'test-results/screenshots/inspector.png' });

  // Compare: a branch from a kill, then the cursor here against the cursor on the first branch.
  await page.getByRole('button', { name: 'Kill' }).click();
  await expect(page.getByText(/kill applied at event/)).toBeVisible();
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  const result = page.getByTestId('compare-result');
  await expect(result).toContainText(/main @ 6301 → branch 1 @ 6301/);
  await expect(page.getByLabel('Fork of point A').locator('option')).toHaveText(['main', 'branch 1 (current)']);
  // Named as the events panel names processes, with the intervention that separates the points.
  await expect(result).toContainText(/\w+(\[\d+\])? · pid 1 .*status: \w+ → killed #\d+/); // the words of the table
  await expect(result).not.toContainText(/process \d|channel \d/);
  await expect(result.getByRole('listitem').filter({ hasText: /^only B kill .*\(pid 1\) at event #6300$/ })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/inspector-compare.png' });

  // A point off the branch is explained, not thrown.
  await page.getByLabel('Event of point A').fill('99999999');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: /^event 99999999 is not on main \(0\.\.\d+\)$/ })).toBeVisible();
});
