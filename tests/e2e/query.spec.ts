// KernelQL in a real browser, under the production CSP: the SQL engine is fetched only by the first
// query; a GROUP BY fills the grid; a row with a seq goes to its event; an error names its place;
// and loading and querying a 1,000,000-event session never blocks the page for over 50 ms.
import { test, expect, waitForReady, loadAndRun, example, runQuery } from './fixtures';
import { loadCoreFromDisk } from '../../src/core/node';
import { Kernel } from '../../src/kernel/kernel';
import { encodeSessionLink } from '../../src/share/link';
import { longTasks, watchLongTasks } from './long-tasks';

// Long-task bounds are wall-clock: on a loaded machine a test may retry (as in long-work.spec.ts).
test.describe.configure({ retries: 2 });
// Playwright's trace recorder snapshots the DOM in the page, on its main thread, around every
// action and assertion; those snapshots are long tasks of their own (60-170 ms each on this
// page, measured with TRACE_LONG_TASKS: long-tasks.ts) and are not the app's. The main-thread
// budgets here are measured without it.
test.use({ trace: 'off' });

const isEngine = (url: string) => /\/assets\/(query\.worker-[^/]*\.js|sqlite3-[^/]*\.wasm)$/.test(new URL(url).pathname);

test('the Query panel: the engine loads with the first query; grid, go to event, errors with their place', async ({ guardedPage: page }) => {
  test.setTimeout(120_000);
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(example('partition-crdt.yaml'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-state')).toHaveText('quiescent', { timeout: 30_000 });

  await page.getByRole('tab', { name: 'Query' }).click();
  await expect(page.getByRole('button', { name: 'Run query' })).toBeEnabled();
  expect(requests.filter(isEngine), 'the engine is not fetched before the first query').toEqual([]);

  await page.getByRole('button', { name: 'Run query' }).click();
  await expect(page.getByTestId('query-status')).toContainText(/\d+ rows in/, { timeout: 30_000 });
  await expect(page.getByRole('table', { name: 'Query result' })).toContainText('crdt/applied');
  expect(requests.filter(isEngine).length, 'the first query fetched the worker and the wasm').toBe(2);

  await runQuery(page, "SELECT seq, type, tick FROM events WHERE type = 'net/healed'");
  await expect(page.getByTestId('query-status')).toContainText('1 row in', { timeout: 30_000 });
  const go = page.getByRole('button', { name: /^Go to event \d+$/ });
  const seq = Number((await go.getAttribute('aria-label'))!.replace('Go to event ', ''));
  await go.click();
  await expect(page.getByTestId('cursor')).toHaveText(`event ${(seq + 1).toLocaleString('en')}`);

  await runQuery(page, "SELECT node, value FROM shared WHERE object = 'visits'");
  await expect(page.getByTestId('query-status')).toContainText(`3 rows in`, { timeout: 30_000 });
  await expect(page.getByTestId('query-status')).toContainText(`state at event ${(seq + 1).toLocaleString('en')}`);

  await page.getByLabel('Name to save the query under').fill('visits');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByLabel('Saved queries')).toContainText('visits');

  await runQuery(page, 'SELECT type,\n  nope FROM events');
  await expect(page.getByTestId('query-error')).toHaveText('Line 2, column 3: no such column: nope');

  // Run closes the completion list (the typing above opened it), and so do Ctrl/Cmd+Enter.
  await expect(page.locator('.cm-tooltip-autocomplete')).toHaveCount(0);
  await page.getByLabel('KernelQL query (SQL)').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.type('SELECT count(*) FROM ev');
  await expect(page.locator('.cm-tooltip-autocomplete')).toBeVisible();
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('query-error')).toHaveText(/no such table: ev/);
  await expect(page.locator('.cm-tooltip-autocomplete')).toHaveCount(0);
});

test('loading and querying a 1,000,000-event session never blocks the page over 50 ms', async ({ guardedPage: page, baseURL }) => {
  test.setTimeout(300_000);
  const kernel = Kernel.fromText(example('swarm.yaml'), await loadCoreFromDisk('release'));
  kernel.run({ events: 1_000_000 });
  const link = await encodeSessionLink(kernel.toSession(), `${baseURL}/`);
  await page.goto(link);
  await expect(page.getByTestId('cursor')).toHaveText('event 1,000,000', { timeout: 240_000 });
  await page.getByRole('tab', { name: 'Query' }).click();
  await expect(page.getByRole('button', { name: 'Run query' })).toBeEnabled();

  await watchLongTasks(page);
  await page.getByRole('button', { name: 'Run query' }).click();
  await expect(page.getByTestId('query-status')).toContainText('Loading events', { timeout: 60_000 });
  await expect(page.getByTestId('query-status')).toContainText(/\d+ rows in/, { timeout: 120_000 });
  await runQuery(page, 'SELECT seq, tick, pid FROM events WHERE type = \'sched/switched\' LIMIT 100000');
  await expect(page.getByTestId('query-status')).toContainText('100,000 rows in', { timeout: 60_000 });
  expect(await longTasks(page)).toEqual([]);
});

test('once used, the Query panel and its engine work offline (the service worker kept them)', async ({ guardedPage: page, context }) => {
  test.setTimeout(180_000);
  const loadAndQuery = async () => {
    await page.getByLabel('Spec (YAML)').fill(example('partition-crdt.yaml'));
    await page.getByRole('button', { name: 'Load', exact: true }).click();
    await expect(page.getByTestId('cursor')).toHaveText('event 0');
    await page.getByRole('tab', { name: 'Query' }).click();
    await page.getByRole('button', { name: 'Run query' }).click();
    await expect(page.getByTestId('query-status')).toContainText(/\d+ rows? in/, { timeout: 60_000 });
  };
  await page.goto('/');
  await waitForReady(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
  });
  await loadAndQuery();
  await context.setOffline(true);
  await page.reload();
  await waitForReady(page);
  await loadAndQuery();
  await runQuery(page, 'SELECT count(*) AS live FROM nodes');
  await expect(page.getByTestId('query-status')).toContainText('1 row in', { timeout: 30_000 });
  await expect(page.getByRole('table', { name: 'Query result' })).toContainText(/live\s*3/);
  await context.setOffline(false);
});

test('with a seq column the grid stays aligned and the whole row goes to its event', async ({ guardedPage: page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await waitForReady(page);
  await loadAndRun(page, example('partition-crdt.yaml'), 'quiescent');
  await page.getByRole('tab', { name: 'Query' }).click();
  await runQuery(page, 'SELECT seq, type, agent, pid FROM events WHERE seq >= 2 LIMIT 5');
  await expect(page.getByTestId('query-status')).toContainText('5 rows in', { timeout: 30_000 });
  const grid = page.getByRole('table', { name: 'Query result' });
  const headers = grid.getByRole('columnheader');
  const firstRow = grid.getByRole('rowgroup').getByRole('row').first();
  const cells = firstRow.getByRole('cell');
  await expect(headers).toHaveCount(4);
  await expect(cells).toHaveCount(4);
  for (let index = 0; index < 4; index++) {
    const head = (await headers.nth(index).boundingBox())!;
    const cell = (await cells.nth(index).boundingBox())!;
    expect(Math.abs(head.x - cell.x), `column ${index}: header at x=${head.x}, cell at x=${cell.x}`).toBeLessThanOrEqual(1);
    expect(Math.abs(head.width - cell.width), `column ${index}: header ${head.width} wide, cell ${cell.width}`).toBeLessThanOrEqual(1);
  }
  // A click on the row's right end (in the last column) goes to the event.
  const seq = Number(await cells.first().innerText());
  const row = (await firstRow.boundingBox())!;
  await page.mouse.click(row.x + row.width - 12, row.y + row.height / 2);
  await expect(page.getByTestId('cursor')).toHaveText(`event ${(seq + 1).toLocaleString('en')}`);
});
