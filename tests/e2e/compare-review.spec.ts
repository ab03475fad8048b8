// A fresh-eyes review of the Inspector and the editor (issue 10, "What a first-time user tripped
// over"): what a panel shows must agree with itself and with the form it answers.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, waitForReady, loadAndRun } from './fixtures';

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');


test('after Undo removes a compared branch, the Compare result goes and says why', async ({ guardedPage: page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await waitForReady(page);
  await loadAndRun(page, example('crash-restart.yaml'), 'quiescent');
  await page.getByRole('slider', { name: 'Timeline' }).fill('200');
  await expect(page.getByTestId('cursor')).toHaveText('event 200');
  await page.getByRole('button', { name: '2', exact: true }).click(); // flaky
  await page.getByRole('button', { name: 'Kill' }).click();
  await expect(page.getByText(/kill applied at event/)).toBeVisible();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveText('quiescent', { timeout: 30_000 });

  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  const result = page.getByTestId('compare-result');
  await expect(result).toContainText(/main @ \d+ → branch 1 @ \d+/);
  await expect(result).toContainText(/only B kill flaky/);
  // Its changes group numbers as the rest of the page does (cpu 12,345, not 12345).
  const changes = await result.locator('li.updated, li.added, li.removed').allInnerTexts();
  expect(changes.join('\n')).toMatch(/\d,\d{3}/);
  expect(changes.filter((line) => /(?<![#\d,.])\d{4,}/.test(line))).toEqual([]);
  await expect(page.getByLabel('Fork of point B')).toHaveValue('1');

  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 200');
  // Branch 1 still exists (Redo can return to it): the form keeps the compared points, and the
  // result still describes them (it used to follow the cursor to "main (current)" under a branch 1 result).
  await expect(page.getByLabel('Fork of point B').locator('option')).toHaveText(['main (current)', 'branch 1']);
  await expect(page.getByLabel('Fork of point B')).toHaveValue('1');
  await expect(result).toContainText(/main @ \d+ → branch 1 @ \d+/);
  const text = await result.innerText();
  const [, seqA, seqB] = /main @ (\d+) → branch 1 @ (\d+)/.exec(text)!;
  await expect(page.getByLabel('Event of point A')).toHaveValue(seqA);
  await expect(page.getByLabel('Event of point B')).toHaveValue(seqB);

  // A changed point clears the result, and says why.
  await page.getByLabel('Event of point A').fill('100');
  await expect(result).toHaveCount(0);
  await expect(page.getByTestId('compare-stale')).toHaveText(/the points changed since the last comparison/);
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(result).toContainText(/main @ 100 → branch 1 @ \d+/);
  await expect(page.getByTestId('compare-stale')).toHaveCount(0);
});

test('Metrics: the runnable chart reaches the peak its caption names (a dashed line at it)', async ({ guardedPage: page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await waitForReady(page);
  await loadAndRun(page, example('crash-restart.yaml'), 'quiescent');
  await page.getByRole('tab', { name: 'Metrics' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Metrics' });
  for (const title of ['Runnable processes', 'Heap in use', 'Messages per ms']) {
    const chart = panel.getByRole('img', { name: new RegExp(`^${title} over virtual time: now`) });
    await expect(chart).toHaveAttribute('data-y-top', /\d/);
    const label = (await chart.getAttribute('aria-label'))!;
    const peak = /peak ([\d.]+)( KiB| MiB)?/.exec(label)!;
    const scale = peak[2] === ' KiB' ? 1024 : peak[2] === ' MiB' ? 1024 * 1024 : 1;
    // The axis tops out at or above the peak the caption names (it used to stop at the mean's top).
    expect(Number(await chart.getAttribute('data-y-top')), `${title}: ${label}`).toBeGreaterThanOrEqual(Number(peak[1]) * scale * 0.999);
  }
  const runnable = panel.getByRole('img', { name: /^Runnable processes/ });
  const peak = Number(/peak (\d+)/.exec((await runnable.getAttribute('aria-label'))!)![1]);
  expect(peak).toBeGreaterThanOrEqual(2);
  await expect(runnable).toHaveAttribute('data-peak', String(peak));
  await expect(panel.getByText('dashed: the most at once')).toBeVisible();
});

test('typing completes keys and values without Ctrl+Space; Enter after "kernel:" indents under it', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  const editor = page.getByLabel('Spec (YAML)');
  const lines = async () => (await page.locator('.cm-content .cm-line').allInnerTexts()).map((line) => line.replace(/\u200b/g, ''));
  await editor.fill('agentos: 1\nagents:\n  a: { program: idle }\nkernel:');
  await editor.press('ControlOrMeta+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('sch');
  await expect.poll(lines).toEqual(['agentos: 1', 'agents:', '  a: { program: idle }', 'kernel:', '  sch']);
  const list = page.getByRole('listbox');
  await expect(list.getByRole('option', { name: /^scheduler/ })).toBeVisible();
  await page.waitForTimeout(150); // past CodeMirror's interactionDelay
  await page.keyboard.press('Enter');
  await page.keyboard.type('e');
  await expect(list.getByRole('option', { name: /^eevdf/ })).toBeVisible();
  // A value line: Enter keeps the mapping's indentation (a sibling key), not one deeper.
  await page.keyboard.press('Escape');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('qu');
  await expect(list.getByRole('option', { name: /^quantum/ })).toBeVisible();
  await expect.poll(async () => (await lines()).at(-1)).toBe('  qu');
});

test('at 1920 the Events list shows whole agent names ("forager[…]", not "forage…")', async ({ guardedPage: page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(example('swarm.yaml'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await page.getByRole('slider', { name: 'Timeline' }).fill('3000').catch(() => undefined);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForTimeout(1500);
  await page.getByRole('button', { name: 'Pause' }).click().catch(() => undefined);
  const names = page.getByRole('list', { name: 'Events before the cursor' }).locator('.agent-name');
  await expect(names.filter({ hasText: /^forager\[\d+\]$/ }).first()).toBeVisible();
  const cut = await names.evaluateAll((spans) => spans.filter((span) => span.scrollWidth > span.clientWidth + 1).map((span) => span.textContent));
  expect(cut, 'agent names cut in the Events list').toEqual([]);
});

test('problems are listed under the editor as you type, before any Load, and go when fixed', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  const editor = page.getByLabel('Spec (YAML)');
  await editor.fill('agentos: 1\nagents:\n  a: { program: nope }\n  b: { program: idle, replicas: -1 }\n');
  const list = page.getByRole('list', { name: 'Spec errors' });
  // Both errors at once, with line:column, without pressing Load.
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(list.getByRole('listitem').first()).toContainText(/^3:\d+ .*nope/);
  await expect(list.getByRole('listitem').nth(1)).toContainText(/^4:\d+ /);
  const typed = await list.getByRole('listitem').allInnerTexts();
  // Load reports the same list.
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect.poll(() => list.getByRole('listitem').allInnerTexts()).toEqual(typed);
  await editor.fill('agentos: 1\nagents:\n  a: { program: idle }\n');
  await expect(list).toHaveCount(0);
});
