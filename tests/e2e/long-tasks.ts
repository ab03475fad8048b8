// Main-thread tasks over 50 ms (the Long Tasks API), recorded in the page from a given moment.
import { writeFileSync } from 'node:fs';
import { test, type Page } from '@playwright/test';
import { analyzeTrace, TRACE_CATEGORIES } from './trace-long-tasks';

// TRACE_LONG_TASKS=dir: also record a performance trace from watchLongTasks to longTasks, save it
// in dir and print where each long task's time went (see trace-long-tasks.ts).
const traceDir = process.env.TRACE_LONG_TASKS;
let tracing: Page | undefined;

/** Starts recording long tasks (their durations in ms); a second call starts over. */
export async function watchLongTasks(page: Page): Promise<void> {
  if (traceDir && !tracing) {
    await page.context().browser()!.startTracing(page, { categories: TRACE_CATEGORIES });
    tracing = page;
  }
  await page.evaluate(() => {
    const found: number[] = [];
    (globalThis as unknown as { longTasks: number[] }).longTasks = found;
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => found.push(entry.duration))).observe({ type: 'longtask', buffered: false });
  });
}

/** The long tasks recorded since watchLongTasks. */
export async function longTasks(page: Page): Promise<number[]> {
  const tasks = await page.evaluate(() => (globalThis as unknown as { longTasks: number[] }).longTasks);
  if (process.env.PRINT_LONG_TASKS) console.log(`long tasks ${JSON.stringify(tasks.map(Math.round))} in "${test.info().title}"`);
  if (traceDir && tracing === page) {
    tracing = undefined;
    const trace = (await page.context().browser()!.stopTracing()).toString('utf8');
    const name = test.info().title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    writeFileSync(`${traceDir}/${name}-${Date.now()}.json`, trace);
    console.log(`trace of "${test.info().title}" in ${traceDir}\n${analyzeTrace(trace)}`);
  }
  return tasks;
}
