// Expressions in the browser: an invariant on the partition example is a red mark on the strip,
// reachable with ›; find and bisect take expressions and answer with event numbers as the Events
// list has them; why explains the violation; watches show live in Metrics with a cursor line and
// export as CSV.
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady } from './fixtures';
import type { Page } from '@playwright/test';

const partition = readFileSync(new URL('../../public/examples/partition-crdt.yaml', import.meta.url), 'utf8').trimEnd()
  + '\ninvariants:\n  - { name: agreed, always: shared.visits.n0 == shared.visits.n1 }\nwatch:\n  drift: shared.visits.n0 - shared.visits.n1\n';

async function shell(page: Page, line: string) {
  const input = page.getByLabel('Shell command');
  const entries = page.getByTestId('shell-output').locator('pre');
  const before = await entries.count();
  await input.fill(line);
  await input.press('Enter');
  await expect.poll(() => entries.count(), { timeout: 30_000 }).toBeGreaterThan(before + 1);
  await expect(input).toBeEnabled();
  return (await entries.allInnerTexts()).slice(before).join('\n');
}

test('invariants, find, why and watches', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(partition);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0');
  await page.getByRole('tab', { name: 'Shell' }).click();
  await shell(page, 'run');

  const found = await shell(page, 'find --from-start shared.visits.n0 != shared.visits.n1');
  const match = /holds at event #(\d+), from #0/.exec(found);
  expect(match, found).not.toBeNull();
  const seq = Number(match![1]);
  await expect(page.getByTestId('cursor')).toHaveText(`event ${(seq + 1).toLocaleString('en')}`);
  // The invariant's violation is the next event, caused by #seq.
  const why = await shell(page, `why ${seq + 1}`);
  expect(why).toContain(`#${seq + 1}`);
  expect(why).toContain('invariant agreed broken: shared.visits.n0 == shared.visits.n1');
  expect(why).toContain(`← because #${seq} `);
  // A repeated find moves on to the next time it becomes true.
  const again = await shell(page, 'find shared.visits.n0 != shared.visits.n1');
  expect(Number(/holds at event #(\d+)/.exec(again)![1])).toBeGreaterThan(seq);
  expect(await shell(page, 'find agents.lft.sent > 0')).toContain('did you mean "left"');

  // The strip's failure walk reaches the violation.
  await shell(page, 'seek 0');
  await page.getByRole('button', { name: /next failure/i }).click();
  await expect(page.getByTestId('cursor')).toHaveText(`event ${(seq + 2).toLocaleString('en')}`);

  // Watches in Metrics: the spec's, one added, a value each, CSV.
  expect(await shell(page, 'watch left agents.left.cpuTicks')).toMatch(/^left = \d+/m);
  await page.getByRole('tab', { name: 'Metrics' }).click();
  const watches = page.getByRole('region', { name: 'Watches' });
  await expect(watches.getByText('drift', { exact: true })).toBeVisible();
  await expect(watches.getByTestId('watch-value')).toHaveCount(2);
  const download = page.waitForEvent('download');
  await watches.getByRole('button', { name: 'Export CSV' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  expect(csv.split('\n')[0]).toBe('seq,tick,drift,left');
  await page.screenshot({ path: 'test-results/screenshots/watches.png', fullPage: true });
});
