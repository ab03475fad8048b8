// At the end of a finished run Run and Step have nothing to do: they are disabled and say why, the
// keyboard says so in a notice, and a deadlocked run says "deadlocked" (naming the cycle) in the
// status bar and the go-to notice, not "quiescent" (issue 10, a fresh-eyes review).
import { readFileSync } from 'node:fs';
import { test, expect, waitForReady } from './fixtures';

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');

test('a deadlocked run says so, and Run and Step at its end say the run is over', async ({ guardedPage: page }) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(example('deadlock.yaml'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  const run = page.getByTestId('run'), step = page.getByTestId('step');
  await expect(run).toBeEnabled();
  await run.click();
  const state = page.getByTestId('run-state');
  await expect(state).toHaveText('deadlocked', { timeout: 30_000 });
  await expect(state).toHaveAttribute('title', /alice \(pid 0\) and bob \(pid 1\) wait on each other forever/);
  // One numbering: the status bar's cursor says which event it is after, as the Events list numbers it.
  const last = Number(await page.getByRole('slider', { name: 'Timeline' }).getAttribute('max'));
  await expect(page.getByTestId('cursor')).toHaveText(`event ${last}`);
  await expect(page.getByTestId('cursor-place')).toHaveText(`(after #${last - 1})`);
  await expect(page.getByRole('list', { name: 'Events before the cursor' }).locator('button.current .seq')).toHaveText(`#${last - 1}`);
  await expect(page.getByTestId('cursor-place').locator('..')).toHaveAttribute('title', /^Events are numbered from #0 \(#0 is the kernel booting\)/);
  // Run and Step: disabled, with the reason in their title.
  await expect(run).toBeDisabled();
  await expect(step).toBeDisabled();
  await expect(run).toHaveAttribute('title', /^The run is over: nothing is runnable \(alice \(pid 0\) and bob \(pid 1\) wait on each other forever\); Step back/);
  await expect(step).toHaveAttribute('title', /^The run is over/);
  // The keyboard's Run says it too, instead of nothing.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Space');
  await expect(page.getByText(/^The run is over: nothing is runnable/)).toBeVisible();
  // A go-to past the end: where it stopped, and why, in the same words.
  const goto = page.getByLabel('Go to event (past the end: runs on to it)');
  const end = Number(await page.getByRole('slider', { name: 'Timeline' }).getAttribute('max'));
  await goto.fill(String(end + 50));
  await goto.press('Enter');
  await expect(page.getByText(`The run stopped at event ${end} (deadlocked: alice (pid 0) and bob (pid 1) wait on each other), before event ${end + 50}`)).toBeVisible();
  // One step back there is a recorded future again: Step works, and the state says where it is.
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(state).toHaveText('rewound · 1 recorded event ahead');
  await expect(step).toBeEnabled();
  await expect(run).toBeEnabled();
  await step.click();
  await expect(state).toHaveText('deadlocked');
  await expect(step).toBeDisabled();
});
