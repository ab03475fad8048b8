// A plan small enough to finish in seconds, and running it from the Experiments tab: shared by the
// experiments and layout specs (not a spec file itself, so importing it registers no tests).
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** The deadlock example, two variants, `seeds` seeds (2 unless told). */
export const smallPlan = (seeds = 2) => `agentos-experiment: 1
name: small deadlock
spec: deadlock.yaml
seeds: ${seeds}
stop: { ticks: 5ms }
variants:
  - { name: heal-off, set: { autonomy.heal: off } }
  - { name: heal-on,  set: { autonomy.heal: on } }
metrics:
  exchanged: agents.alice.received + agents.bob.received
  stuck: agents.alice.blocked + agents.bob.blocked
objective: { maximize: exchanged }
`;
export const SMALL_PLAN = smallPlan();

/** Runs `plan` on one worker from the Experiments tab and waits until its `trials` are done. */
export async function runSmallPlan(page: Page, plan = SMALL_PLAN, trials = 4) {
  await page.getByRole('tab', { name: 'Experiments' }).click();
  await page.getByLabel('Experiment plan').fill(plan);
  await page.getByLabel('Workers').fill('1');
  await page.getByRole('button', { name: 'Run experiment' }).click();
  await expect(page.getByTestId('sweep-progress')).toHaveText(`${trials} of ${trials} trials · done`, { timeout: 120_000 });
}
