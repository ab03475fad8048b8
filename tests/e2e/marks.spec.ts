// Issue 11's "the timeline can mark where an expression holds", the shell's mark and query, in a
// real browser: "Mark where" draws the marks (the strip names how many), the shell's mark lists the
// same events, and those are the events find goes to one after another; query prints a table of the
// watches (the spec's, in KernelQL) and an error with a caret at its place.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, waitForReady } from './fixtures';
import type { Page } from '@playwright/test';

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');

async function shell(page: Page, line: string) {
  const input = page.getByLabel('Shell command');
  const entries = page.getByTestId('shell-output').locator('pre');
  const before = await entries.count();
  await input.fill(line);
  await input.press('Enter');
  await expect.poll(() => entries.count(), { timeout: 60_000 }).toBeGreaterThan(before + 1);
  await expect(input).toBeEnabled({ timeout: 60_000 });
  return (await entries.allInnerTexts()).slice(before).join('\n');
}

test('marks where an expression becomes true: on the strip, in the shell, the same as find one by one; query from the shell', async ({ guardedPage: page }) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(example('partition-invariant.yaml'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('cursor')).toHaveText('event 0', { timeout: 30_000 });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run-state')).toHaveText('quiescent', { timeout: 60_000 });
  const cursor = await page.getByTestId('cursor').innerText();

  // The box under the timeline.
  const expr = 'shared.visits.converged';
  await page.getByLabel('Mark on the timeline where this expression becomes true').fill(expr);
  await page.getByRole('button', { name: 'Mark', exact: true }).click();
  await expect(page.getByTestId('mark-summary')).toHaveText(/^\d+ marks?$/, { timeout: 60_000 });
  const count = Number((await page.getByTestId('mark-summary').innerText()).replace(/\D/g, ''));
  expect(count).toBeGreaterThan(1);
  await expect(page.getByRole('img', { name: /^Event density over the timeline/ })).toHaveAttribute('aria-label', new RegExp(`, ${count} marks where ${expr.replace('.', '\\.')} becomes true$`));
  await expect(page.getByTestId('cursor')).toHaveText(cursor); // the cursor stays
  const results = await new AxeBuilder({ page }).include('.mark').analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // The shell: the same marks, listed; find goes to each in turn.
  await page.getByRole('tab', { name: 'Shell' }).click();
  const marked = await shell(page, `mark ${expr}`);
  expect(marked).toContain(`marked ${count} events where '${expr}' becomes true`);
  const seqs = [...marked.split('\n').find((line) => line.startsWith('marked'))!.matchAll(/#(\d+)/g)].map((match) => Number(match[1])).slice(0, Math.min(count, 4));
  expect(seqs.length).toBeGreaterThan(1);
  const found: number[] = [];
  for (let i = 0; i < seqs.length; i++) {
    const answer = await shell(page, i === 0 ? `find --from-start ${expr}` : `find ${expr}`);
    found.push(Number(/holds at event #(\d+)/.exec(answer)![1]));
  }
  expect(found).toEqual(seqs);

  const table = await shell(page, "query SELECT name, count(*) AS points FROM watches GROUP BY name ORDER BY name");
  expect(table).toMatch(/agree\s+\d+/);
  expect(table).toMatch(/drift\s+\d+/);
  expect(table).toContain('2 rows in');
  const error = await shell(page, 'query SELECT type, nope FROM events');
  expect(error).toMatch(/query: line 1, column \d+: no such column: nope/);
  expect(error).toContain('^');

  expect(await shell(page, 'mark off')).toContain('marks cleared');
  await expect(page.getByTestId('mark-summary')).toHaveCount(0);
});
