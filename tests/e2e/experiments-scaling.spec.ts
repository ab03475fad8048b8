// The browser pool's scaling, measured: the starvation experiment (40 trials) swept with 1 worker
// and with 2, alternated (1, 2, 1, 2; the faster of each), in trials per second and their ratio.
// Issue 12's goal is the CLI's "sweep: 2 jobs vs 1" (at least 1.7x on two free cores); this is its
// browser twin. On a shared, loaded machine the second core is not free, so the ratio is printed
// and annotated, and asserted only when AGENTOS_SCALING_MIN is set (e.g. 1.7 on an idle 2-core
// machine). What always holds: both pools give the same results (the Markdown report, byte for byte).
// Where the time went is printed under the row, per sweep, from the pool's timeline (the page's and
// each worker's timestamps, tests/e2e/pool-timeline.ts): each worker's start-up, trial time, gaps
// between trials and tail, against the ideal; on a loaded machine the idle times and (SCALING_CPU=1)
// the page's main-thread CPU per trial are the measures to trust, not the ratio.
//   npm run build && E2E_PORT=4313 npx playwright test tests/e2e/experiments-scaling.spec.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { test, expect, waitForReady } from './fixtures';
import type { Page } from '@playwright/test';

import type { PoolTimeline } from '../../src/ui/lab/sweep.svelte';
import { TRACE_CATEGORIES } from './trace-long-tasks';
import { analyzeSweep, describeSweep, type SweepAnalysis } from './pool-timeline';

// Playwright's trace recorder snapshots the whole page at every action and expect: CPU that the
// two cores' workers need (and no help for a timing test).
test.use({ trace: 'off' });

const example = (name: string) => readFileSync(new URL(`../../public/examples/${name}`, import.meta.url), 'utf8');
const PLAN = 'Starvation: fair vs eevdf vs round-robin (and priority), 10 seeds';
const TRIALS = 40;

// SCALING_CPU=1: also a light performance trace of each sweep (the main thread's and the workers' CPU).
// SCALING_TRACE=dir: the trace with JS samples (TRACE_CATEGORIES), saved in dir (slower; for finding where the page's time goes).
const traceDir = process.env.SCALING_TRACE;
const traceCpu = !!process.env.SCALING_CPU || !!traceDir;

async function timedSweep(page: Page, workers: number): Promise<{ seconds: number; report: string; analysis: SweepAnalysis }> {
  await page.getByLabel('Workers').fill(String(workers));
  const published = await page.evaluate(() => (globalThis as unknown as { __agentosSweepTimelines: unknown[] }).__agentosSweepTimelines.length);
  if (traceCpu) await page.context().browser()!.startTracing(page, { categories: traceDir ? TRACE_CATEGORIES : ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'] });
  const started = Date.now();
  await page.getByRole('button', { name: 'Run experiment' }).click();
  // The pool's own timeline, handed over when the last line is in: waited for without polling the
  // page (Playwright's polling and its trace's DOM snapshots took a quarter of the page's CPU, on
  // two cores that the workers need).
  const timeline = await page.evaluate((n) => (globalThis as unknown as { __agentosSweepTimeline: (n: number) => Promise<PoolTimeline> }).__agentosSweepTimeline(n), published);
  await expect(page.getByTestId('sweep-progress')).toHaveText(`${TRIALS} of ${TRIALS} trials · done`);
  const trace = traceCpu ? (await page.context().browser()!.stopTracing()).toString('utf8') : undefined;
  if (traceDir && trace) writeFileSync(`${traceDir}/sweep-${workers}-${started}.json`, trace);
  const analysis = analyzeSweep(timeline, started, trace);
  const seconds = analysis.wallMs / 1000;
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Markdown' }).click()]);
  const report = readFileSync((await download.path())!, 'utf8');
  await page.getByRole('button', { name: 'Clear results' }).click();
  await expect(page.getByTestId('sweep-progress')).toHaveText(`0 of ${TRIALS} trials`);
  return { seconds, report, analysis };
}

test('browser sweep: 2 workers vs 1 (trials/s and the ratio; the same results)', async ({ guardedPage: page }) => {
  test.setTimeout(900_000);
  await page.addInitScript(() => {
    // The pool pushes each sweep's timeline here; __agentosSweepTimeline(n) waits for the nth.
    const sink: unknown[] = [], waiting: (() => void)[] = [];
    sink.push = (...items: unknown[]) => { const length = Array.prototype.push.apply(sink, items); waiting.splice(0).forEach((wake) => wake()); return length; };
    const at = async (n: number) => { while (sink.length <= n) await new Promise<void>((wake) => waiting.push(wake)); return sink[n]; };
    Object.assign(globalThis, { __agentosSweepTimelines: sink, __agentosSweepTimeline: at });
  });
  await page.goto('/');
  await waitForReady(page);
  await page.getByLabel('Spec (YAML)').fill(example('priority-starvation.yaml'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await page.getByRole('tab', { name: 'Experiments' }).click();
  await page.getByLabel('Example plan').selectOption({ label: PLAN });
  await expect(page.getByLabel('Experiment plan')).toHaveValue(/seeds: 10\n/);

  const loadBefore = loadavg()[0];
  const runs = [await timedSweep(page, 1), await timedSweep(page, 2), await timedSweep(page, 1), await timedSweep(page, 2)];
  const loadAfter = loadavg()[0];
  for (const run of runs) expect(run.report, 'every sweep gives the same report').toBe(runs[0].report);
  const one = Math.min(runs[0].seconds, runs[2].seconds), two = Math.min(runs[1].seconds, runs[3].seconds);
  const ratio = one / two;
  // The ideal: every trial's own time (the faster 1-worker sweep's) over the workers; each worker's
  // idle time is the sweep's wall less its trials (start-up, gaps between trials, the tail).
  const trialMs = Math.min(runs[0].analysis.trialMs, runs[2].analysis.trialMs);
  const best = runs[1].seconds <= runs[3].seconds ? runs[1].analysis : runs[3].analysis;
  const poolOne = Math.min(runs[0].analysis.poolMs, runs[2].analysis.poolMs), poolTwo = Math.min(runs[1].analysis.poolMs, runs[3].analysis.poolMs);
  const idle = best.perWorker.map((worker) => (best.wallMs - worker.busyMs).toFixed(0)).join(', ');
  const row = `browser sweep: 2 workers vs 1: ${(TRIALS / two).toFixed(2)} trials/s vs ${(TRIALS / one).toFixed(2)} trials/s, ratio ${ratio.toFixed(2)}x (goal: >= 1.7x on two free cores) [${two.toFixed(1)} s vs ${one.toFixed(1)} s wall from the click to the last line stored, the faster of two runs each, alternated; the workers are readied when the plan is chosen and the Workers field set, so a worker's start-up shows only where it was not done before the click; the 2-worker sweep reached ${((trialMs / 2 / best.wallMs) * 100).toFixed(0)}% of the ideal (trial time / 2), each worker idle ${idle} ms; from Run handled to the last line (no click): ratio ${(poolOne / poolTwo).toFixed(2)}x; ${availableParallelism()} cores, load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after]`;
  console.log(row);
  for (const run of runs) console.log(`  ${describeSweep(run.analysis, trialMs / run.analysis.workers)}`);
  test.info().annotations.push({ type: 'browser sweep scaling', description: row });
  if (process.env.AGENTOS_SCALING_MIN) expect(ratio).toBeGreaterThanOrEqual(Number(process.env.AGENTOS_SCALING_MIN));
});
