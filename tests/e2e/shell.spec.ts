// The Shell tab and the command palette, in a real browser: commands drive the same client as
// the buttons (the status bar's cursor moves, interventions make branches), history and
// completion work from the keyboard, and the palette is a proper modal dialog.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, waitForReady, loadAndRun } from './fixtures';
import type { Page } from '@playwright/test';

const leak = readFileSync(new URL('../../public/examples/memory-leak.yaml', import.meta.url), 'utf8');
async function expectNoSeriousAxeViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`), what).toEqual([]);
}

const cursorText = (n: number) => `event ${n.toLocaleString('en')}`;

async function shell(page: Page, line: string) {
  const input = page.getByLabel('Shell command');
  const entries = page.getByTestId('shell-output').locator('pre');
  const before = await entries.count();
  await input.fill(line);
  await input.press('Enter');
  // The echo and at least one line of answer.
  await expect.poll(() => entries.count()).toBeGreaterThan(before + 1);
  await expect(input).toBeEnabled();
  return (await entries.allInnerTexts()).slice(before).join('\n');
}

test('the shell runs commands, keeps a history and completes names', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(leak);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await page.getByRole('tab', { name: 'Shell' }).click();

  const help = await shell(page, 'help');
  for (const name of ['ps', 'top', 'kill [--tree] <pid>', 'nice <pid> <n>', 'bisect <condition>', 'restore <name-or-index>', 'share']) expect(help).toContain(name);

  expect(await shell(page, 'pss')).toContain("unknown command 'pss' — did you mean ps?");

  await shell(page, 'step 5');
  await expect(page.getByTestId('cursor')).toHaveText(cursorText(5));
  await shell(page, 'back 2');
  await expect(page.getByTestId('cursor')).toHaveText(cursorText(3));

  // Run on far enough for the cache to fail, then look at the processes.
  await shell(page, 'step 20000');
  await expect(page.getByTestId('cursor')).not.toHaveText(cursorText(3));
  const ps = await shell(page, 'ps');
  const cacheRow = ps.split('\n').find((line) => line.includes('cache[0]'));
  expect(cacheRow, ps).toBeDefined();
  expect(cacheRow).toContain('failed');
  const cachePid = Number(cacheRow!.trim().split(/\s+/)[0]);
  const serviceRow = ps.split('\n').find((line) => line.includes('service[0]'))!;
  const servicePid = Number(serviceRow.trim().split(/\s+/)[0]);

  // events and trace print as the events panel does: time in ms, who, the event in words.
  const eventLines = (output: string) => output.split('\n').filter((line) => line.startsWith('#'));
  const trace = eventLines(await shell(page, `trace ${cachePid} 3`));
  expect(trace).toHaveLength(3);
  for (const line of trace) expect(line).toMatch(new RegExp(`^#\\d+ \\d+\\.\\d{3}ms [a-z]+/[A-Za-z]+ cache · pid ${cachePid} n0: \\S`));
  const allocated = eventLines(await shell(page, 'events heap/allocated 2'));
  expect(allocated).toHaveLength(2);
  for (const line of allocated) expect(line).toMatch(/^#\d+ \d+\.\d{3}ms heap\/allocated (cache|service) · pid \d n0: allocated \d+ (B|KiB) \(block \d+\)/);
  expect([...trace, ...allocated].join('\n')).not.toMatch(/ t=\d|\w=-?\d/);

  expect(await shell(page, 'kill 99')).toContain('kill: no process 99');
  expect(await shell(page, `nice ${servicePid} 40`)).toContain('nice: expected -20..19, got 40');

  // Kill at event 100 makes a branch; undo comes back to the first one.
  await shell(page, 'seek 100');
  await expect(page.getByTestId('cursor')).toHaveText(cursorText(100));
  const hashBefore = await page.getByTestId('state-hash').innerText();
  expect(await shell(page, `kill ${servicePid}`)).toMatch(/kill applied at event #100 /);
  await expect(page.getByRole('group', { name: 'Branches' })).toBeVisible();
  expect(await shell(page, 'undo')).toContain('Undone');
  await expect(page.getByTestId('state-hash')).toHaveText(hashBefore);

  // Bisect: the first event at which the cache has failed; the cursor goes there.
  const bisect = await shell(page, `bisect failed ${cachePid}`);
  const match = /holds from event #(\d+) on/.exec(bisect);
  expect(match, bisect).not.toBeNull();
  const first = Number(match![1]) + 1; // the cursor is just after the event
  await expect(page.getByTestId('cursor')).toHaveText(cursorText(first));
  expect((await shell(page, 'ps')).split('\n').find((line) => line.includes('cache[0]'))).toContain('failed');
  await shell(page, 'back');
  expect((await shell(page, 'ps')).split('\n').find((line) => line.includes('cache[0]'))).not.toContain('failed');
  expect(await shell(page, 'bisect heap 0 > 1GiB')).toContain('does not hold at the end of this branch');
  await page.screenshot({ path: 'test-results/screenshots/shell.png', fullPage: true });
  await expectNoSeriousAxeViolations(page, 'the Shell tab');

  // History: Up walks back through the lines typed, Down forward to the line being typed.
  const input = page.getByLabel('Shell command');
  await input.fill('');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('bisect heap 0 > 1GiB');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('ps');
  await input.press('ArrowDown');
  await expect(input).toHaveValue('bisect heap 0 > 1GiB');
  await input.press('ArrowDown');
  await expect(input).toHaveValue('');

  // Tab completes a unique prefix, and lists an ambiguous one's candidates.
  await input.fill('bis');
  await input.press('Tab');
  await expect(input).toHaveValue('bisect ');
  await expect(input).toBeFocused();
  await input.fill('re');
  await input.press('Tab');
  await expect(page.getByTestId('shell-hint')).toHaveText('restart  rewind  redo  restore');
});

test('when the run is over the palette offers Step back and Undo before Run, and says why', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await loadAndRun(page, readFileSync(new URL('../../public/examples/map-reduce.yaml', import.meta.url), 'utf8'), 'quiescent');
  await page.keyboard.press('Control+k');
  const options = page.getByRole('dialog', { name: 'Command palette' }).getByRole('option');
  await expect(options.first()).toContainText('Step back');
  await expect(options.filter({ hasText: /^Run/ })).toContainText('the run is over');
  await page.keyboard.press('Escape');
  // Back in the run, Run is first again.
  await page.getByRole('button', { name: 'Step back' }).click();
  await page.keyboard.press('Control+k');
  await expect(options.first()).toContainText(/^Run\s*Space/);
});

test('the command palette opens with Ctrl+K, filters, runs Step and closes with Escape', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(leak);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');

  // An opener that stays enabled while the step runs (Load is disabled while the kernel is busy).
  const opener = page.getByRole('button', { name: 'Examples' });
  await opener.focus();
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Command palette' });
  await expect(dialog).toBeVisible();
  const filter = dialog.getByRole('combobox', { name: 'Filter commands' });
  await expect(filter).toBeFocused();
  await filter.fill('step');
  const options = dialog.getByRole('option');
  await expect(options.first()).toContainText('Step');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await expect(dialog.getByRole('option', { name: /^Run/ })).toHaveCount(0);
  // Tab does not leave the dialog.
  await page.keyboard.press('Tab');
  await expect(filter).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('cursor')).toHaveText('event 1');
  await expect(opener).toBeFocused();

  // Arrows move the selection; Escape closes and focus returns.
  await page.keyboard.press('Control+k');
  await expect(dialog).toBeVisible();
  await filter.fill('step');
  await page.keyboard.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(options.nth(1)).toContainText('Step back');
  await page.screenshot({ path: 'test-results/screenshots/palette.png' });
  await expectNoSeriousAxeViolations(page, 'the open palette');
  await filter.fill('nothing like this');
  await expect(dialog).toContainText('No command matches');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
  await expect(page.getByTestId('cursor')).toHaveText('event 1');

  // A shell command from the palette opens the Shell tab and runs there.
  await page.keyboard.press('Control+k');
  await filter.fill('shell: ps');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Shell' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('shell-output')).toContainText('$ ps');
});

test('a long run started from the shell can be paused from the shell', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(readFileSync(new URL('../../public/examples/swarm.yaml', import.meta.url), 'utf8'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await page.getByRole('tab', { name: 'Shell' }).click();
  const input = page.getByLabel('Shell command');
  await input.fill('run');
  await input.press('Enter');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.waitForTimeout(300);
  await input.fill('pause');
  await input.press('Enter');
  await expect(page.getByTestId('shell-output')).toContainText('pausing');
  await expect(page.getByTestId('shell-output')).toContainText(/stopped at event [\d,]+ \(cancelled\)/);
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
});
