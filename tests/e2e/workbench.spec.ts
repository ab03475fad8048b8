import { readFileSync } from 'node:fs';
import { test, expect, waitForReady, endlessStarvation } from './fixtures';
import type { Page } from '@playwright/test';

const specText = endlessStarvation(readFileSync(new URL('../../public/examples/priority-starvation.yaml', import.meta.url), 'utf8'));

const hash = (page: Page) => page.getByTestId('state-hash').innerText();
const cursor = async (page: Page) => Number((await page.getByTestId('cursor').innerText()).replace(/[^0-9]/g, ''));

async function loadExample(page: Page) {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(specText);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
}

test('run, pause, scrub, step back, intervene, undo and switch branch', async ({ guardedPage: page }) => {
  await loadExample(page);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.waitForTimeout(300);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-state')).not.toHaveText('running'); // paused, or over (then Run is disabled, saying why)
  const end = await cursor(page);
  expect(end).toBeGreaterThan(1000);

  // Scrub back to the middle, then one step back and forth.
  const timeline = page.getByRole('slider', { name: 'Timeline' });
  await timeline.fill(String(Math.floor(end / 2)));
  await expect(page.getByTestId('cursor')).toHaveText(`event ${Math.floor(end / 2).toLocaleString('en')}`);
  const middleHash = await hash(page);
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(page.getByTestId('cursor')).toHaveText(`event ${(Math.floor(end / 2) - 1).toLocaleString('en')}`);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('state-hash')).toHaveText(middleHash);

  // Nothing to undo or redo yet: the buttons say so by being disabled.
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Redo' })).toBeDisabled();
  // Intervene: kill a pool worker here; a branch starts, and undo returns to the old one.
  await page.getByRole('button', { name: '1', exact: true }).click();
  await expect(page.getByRole('heading', { name: /Process 1/ })).toBeVisible();
  await page.getByRole('button', { name: 'Kill' }).click();
  await expect(page.getByText(/kill applied at event/)).toBeVisible();
  // The branch tree: main, and branch 1 (current) started by the kill.
  const tree = page.getByRole('group', { name: 'Branches' });
  await expect(tree.getByRole('button')).toHaveCount(2);
  await expect(tree.getByRole('button', { name: /^branch 1 kill pool\[0\] \(pid 1\)/ })).toHaveAttribute('aria-current', 'true');
  await expect(page.getByRole('heading', { name: /Process 1/ })).toBeVisible();
  await expect(page.locator('dd.status-failed')).toHaveText(/^killed by the user at event #\d+$/);
  await page.screenshot({ path: 'test-results/screenshots/workbench-branch.png', fullPage: true });
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('state-hash')).toHaveText(middleHash);
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled(); // back on main
  await expect(page.getByRole('button', { name: 'Redo' })).toBeEnabled();
  // Branch 1 at the same cursor: just before its intervention; one step applies it.
  await expect(tree.getByRole('button', { name: /^main/ })).toHaveAttribute('aria-current', 'true');
  await tree.getByRole('button', { name: /^branch 1/ }).click();
  await expect(tree.getByRole('button', { name: /^branch 1/ })).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('state-hash')).toHaveText(middleHash);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.locator('dd.status-failed')).toHaveText(/^killed by the user at event #\d+$/);
});

test('Set nice with the field cleared sets nothing (it used to set 0); a typed value applies', async ({ guardedPage: page }) => {
  await loadExample(page);
  // a few events in, so the processes exist
  for (let i = 0; i < 10; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 10');
  await page.getByRole('button', { name: '1', exact: true }).click();
  await expect(page.getByRole('heading', { name: /Process 1/ })).toBeVisible();
  const field = page.getByLabel('New nice value');
  const set = page.getByRole('button', { name: 'Set nice' });
  await field.fill('');
  await expect(set).toBeDisabled();
  await expect(page.getByText('type a value from -20 to 19')).toBeVisible();
  await field.press('Enter');
  await expect(page.getByRole('group', { name: 'Branches' }).getByRole('button')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
  await field.fill('5');
  await expect(set).toBeEnabled();
  await set.click();
  await expect(page.getByText(/nice applied at event/)).toBeVisible();
  await expect(field).toHaveValue('5');
});

test('share copies a link; opening it in a fresh page reaches the same cursor and hash', async ({ guardedPage: page, browser }) => {
  await loadExample(page);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForTimeout(200);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('slider', { name: 'Timeline' }).fill('777');
  await expect(page.getByTestId('cursor')).toHaveText('event 777');
  const expected = await hash(page);
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByLabel('Share link').inputValue();
  expect(link).toMatch(/#s2=[A-Za-z0-9_-]+$/);
  expect(link.length).toBeLessThan(2000);

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByTestId('cursor')).toHaveText('event 777', { timeout: 20_000 });
  await expect(other.getByTestId('state-hash')).toHaveText(expected);
  await fresh.close();
});

test('a bad link shows an error and loads nothing', async ({ guardedPage: page }) => {
  await page.goto('/#s=this-is-not-a-session');
  await waitForReady(page);
  await expect(page.getByRole('alert')).toContainText(/The link is (truncated or )?damaged/);
  await expect(page.getByTestId('state-hash')).toHaveCount(0);
});

test('a link with one character changed is refused by its checksum and loads nothing', async ({ guardedPage: page, browser }) => {
  await loadExample(page);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForTimeout(200);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByLabel('Share link').inputValue();
  const at = link.indexOf('#s2=') + 40;
  const damaged = link.slice(0, at) + (link[at] === 'A' ? 'B' : 'A') + link.slice(at + 1);
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(damaged);
  await expect(other.getByRole('alert')).toContainText('its checksum does not match', { timeout: 20_000 });
  await expect(other.getByTestId('state-hash')).toHaveCount(0);
  await fresh.close();
});

test('checkpoint, reload and restore; export to a file and import it; a foreign file is refused', async ({ guardedPage: page }, testInfo) => {
  await loadExample(page);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForTimeout(150);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('slider', { name: 'Timeline' }).fill('5000');
  await expect(page.getByTestId('cursor')).toHaveText('event 5,000');
  const saved = await hash(page);
  await page.getByRole('button', { name: 'Checkpoint', exact: true }).click();
  await expect(page.getByText(/Saved checkpoint "priority-starvation @ event 5000/)).toBeVisible();
  // The checkpoint is marked on the timeline; the marker goes back to it.
  const marker = page.getByRole('group', { name: 'Checkpoints on this branch' }).getByRole('button', { name: /^Go to checkpoint “priority-starvation @ event 5000/ });
  await expect(marker).toBeVisible();
  await page.getByRole('slider', { name: 'Timeline' }).fill('100');
  await expect(page.getByTestId('cursor')).toHaveText('event 100');
  await marker.click();
  await expect(page.getByTestId('cursor')).toHaveText('event 5,000');
  await expect(page.getByTestId('state-hash')).toHaveText(saved);

  await page.reload();
  await waitForReady(page);
  const row = page.getByRole('list', { name: 'Saved checkpoints' }).getByRole('listitem').first();
  await expect(row).toContainText('priority-starvation @ event 5000');
  await row.getByRole('button', { name: /^Restore/ }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 5,000');
  await expect(page.getByTestId('state-hash')).toHaveText(saved);
  await expect(marker).toBeVisible();
  // The restored spec is back in the editor (a textarea or a code editor: read either).
  await expect.poll(() => page.getByLabel('Spec (YAML)').evaluate((el) => (el as HTMLTextAreaElement).value ?? el.textContent)).toContain('name: priority-starvation');

  const downloadPromise = page.waitForEvent('download');
  await row.getByRole('button', { name: /^Export/ }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/\.agentos$/);
  const file = testInfo.outputPath('saved.agentos');
  await download.saveAs(file);

  await page.getByLabel('Import checkpoint file').setInputFiles(file);
  await expect(page.getByText(/Restored the file saved\.agentos at event 5000/)).toBeVisible();
  await expect(page.getByTestId('state-hash')).toHaveText(saved);
  // Kept in the browser too, and marked: it is a state of this run.
  await expect(page.getByRole('button', { name: /^Go to checkpoint “saved\.agentos \(imported\)” \(event 5000\)/ })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Saved checkpoints' })).toContainText(/saved\.agentos\s*\(imported\) @ event 5000/);

  await page.getByLabel('Import checkpoint file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, not a checkpoint') });
  await expect(page.getByRole('alert')).toContainText(/^The file notes\.txt is not an AgentOS checkpoint/);
  await expect(page.getByTestId('state-hash')).toHaveText(saved);
});

test('a worker that dies mid-run is noticed, restarted, and the session restored', async ({ guardedPage: page }) => {
  await page.goto('/?debug');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(specText);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForTimeout(150);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('slider', { name: 'Timeline' }).fill('3000');
  await expect(page.getByTestId('cursor')).toHaveText('event 3,000');
  const before = await hash(page);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.evaluate(() => (globalThis as unknown as { agentosDebug: { crashWorker(): void } }).agentosDebug.crashWorker());
  await expect(page.getByRole('alert')).toContainText(/stopped answering .* restarted and the session restored from its recovery point, event 3000/, { timeout: 20_000 });
  await expect(page.getByTestId('cursor')).toHaveText('event 3,000');
  await expect(page.getByTestId('state-hash')).toHaveText(before);

  // The recovery point is in IndexedDB too: a closed (or crashed) tab offers to resume it.
  await page.waitForTimeout(1500); // the point is written after a quiet second
  await page.reload();
  await waitForReady(page);
  const offer = page.getByRole('status').filter({ hasText: /Your last session, .* at event 3,000, can be resumed/ });
  await expect(offer).toBeVisible();
  await offer.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 3,000', { timeout: 20_000 });
  await expect(page.getByTestId('state-hash')).toHaveText(before);
  await expect.poll(() => page.getByLabel('Spec (YAML)').evaluate((el) => el.textContent)).toContain(specText.split('\n')[1]);
  // Offered again after a reload; loading something else instead puts the offer away.
  await page.reload();
  await waitForReady(page);
  await expect(offer).toBeVisible();
  await page.getByRole('list', { name: 'Run an example' }).getByRole('button').first().click();
  // The spec typed above is kept as an unsaved draft across reloads: the card asks first.
  const ask = page.getByRole('alertdialog', { name: /^Replace your unsaved spec with/ });
  await ask.waitFor({ state: 'visible', timeout: 5000 }).then(() => ask.getByRole('button', { name: 'Replace', exact: true }).click(), () => undefined);
  await expect(offer).toHaveCount(0);
});

test('light and dark themes follow the system and the toggle', async ({ guardedPage: page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await waitForReady(page);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const dark = await background();
  const toggle = page.getByRole('button', { name: /^Theme:/ });
  await toggle.click(); // system -> light
  expect(await background()).not.toBe(dark);
  await toggle.click(); // light -> dark
  expect(await background()).toBe(dark);
  await page.reload();
  await waitForReady(page);
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await background()).toBe(dark); // the explicit choice wins over the system's
});

test('events filter and cause chain; policy switch and message injection from the timeline; run speed', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(readFileSync(new URL('../../public/examples/map-reduce.yaml', import.meta.url), 'utf8'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await page.getByLabel('Run speed').selectOption('1000');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForTimeout(1000);
  await page.getByRole('button', { name: 'Pause' }).click();
  const slow = await cursor(page);
  expect(slow).toBeGreaterThan(100);
  expect(slow).toBeLessThan(5000); // about 1,000 events a second
  await page.getByLabel('Run speed').selectOption('max');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveText('quiescent', { timeout: 30_000 });
  await expect(page.getByRole('img', { name: /Event density over the timeline/ })).toBeVisible();

  // Only ipc/received events, then the chain of causes of one of them.
  await page.getByLabel('Event type').selectOption('ipc/received');
  const events = page.getByRole('list', { name: 'Events before the cursor' });
  await expect(events.getByRole('button').first()).toContainText('ipc/received');
  expect(await events.getByRole('button').filter({ hasNotText: 'ipc/received' }).count()).toBe(0);
  await events.getByRole('button').first().click();
  const chain = page.getByRole('region', { name: 'Cause chain' });
  await expect(chain.getByRole('listitem')).not.toHaveCount(0);
  await expect(chain.getByRole('listitem').first()).toContainText('ipc/received');
  expect(await chain.getByRole('listitem').count()).toBeGreaterThan(1); // it goes back through its causes
  await page.getByLabel('Event type').selectOption('');

  // Switch the scheduler policy, then inject a message: each is a branch.
  await page.getByLabel('Scheduler policy').selectOption('round-robin');
  await expect(page.getByText(/policy applied at event/)).toBeVisible();
  await page.getByLabel('Message size in bytes').fill('99');
  await page.getByRole('button', { name: 'Inject message' }).click();
  await expect(page.getByText(/inject applied at event/)).toBeVisible();
  // Each intervention is a branch off the one before: a chain of three under main.
  const tree = page.getByRole('group', { name: 'Branches' });
  await expect(tree.getByRole('button')).toHaveCount(3);
  await expect(tree.getByRole('button', { name: /^branch 2 inject 99 B into/ })).toHaveAttribute('aria-current', 'true');
  await expect(tree.getByRole('button', { name: /^branch 1 policy n0 → round-robin/ })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/timeline-interventions.png', fullPage: true });
});

test('the spec column resizes from the keyboard, folds away and stays so after a reload', async ({ guardedPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await loadExample(page);
  const spec = page.locator('#spec-panel');
  const width = async () => (await spec.boundingBox())!.width;
  const before = await width();
  const splitter = page.getByRole('separator', { name: 'Resize the spec column' });
  await splitter.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect.poll(width).toBeCloseTo(before - 48, 0);
  // It never squeezes the timeline and System column below 560 px.
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
  expect((await page.getByRole('region', { name: 'Timeline' }).boundingBox())!.width).toBeGreaterThanOrEqual(558);
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const chosen = await width();
  // The arrows resized the column; they did not step the run.
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await page.getByRole('button', { name: 'Fold' }).click();
  await expect(spec).toHaveCount(0);
  const unfold = page.getByRole('button', { name: /^Spec/ });
  await expect(unfold).toHaveAttribute('aria-expanded', 'false');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForTimeout(300);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.screenshot({ path: 'test-results/screenshots/workbench-1280x720-folded.png' });
  await page.reload();
  await waitForReady(page);
  await expect(spec).toHaveCount(0);
  await unfold.click();
  await expect.poll(width).toBeCloseTo(chosen, 0);
});

test('Go to event seeks within the recording and runs on past its end', async ({ guardedPage: page }) => {
  await loadExample(page);
  const goTo = page.getByRole('spinbutton', { name: /^Go to event/ });
  await goTo.fill('5000');
  await goTo.press('Enter');
  await expect(page.getByTestId('cursor')).toHaveText('event 5,000', { timeout: 20_000 });
  const at5000 = await hash(page);
  await goTo.fill('1234');
  await goTo.press('Enter');
  await expect(page.getByTestId('cursor')).toHaveText('event 1,234');
  await goTo.fill('5000');
  await goTo.press('Enter');
  await expect(page.getByTestId('state-hash')).toHaveText(at5000);
  // Arrow keys in the field change its number; they do not step the run.
  await goTo.press('ArrowUp');
  await expect(page.getByTestId('cursor')).toHaveText('event 5,000');
});
