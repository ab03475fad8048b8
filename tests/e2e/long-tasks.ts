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
    // TRACE_LONG_TASKS_SAMPLES=0: no JS sampling (the profiler slows JS down; CPU times are truer without it).
    const categories = process.env.TRACE_LONG_TASKS_SAMPLES === '0' ? TRACE_CATEGORIES.filter((name) => !name.includes('cpu_profiler')) : TRACE_CATEGORIES;
    await page.context().browser()!.startTracing(page, { categories });
    tracing = page;
  }
  await page.evaluate(() => {
    const found: number[] = [];
    (globalThis as unknown as { longTasks: number[] }).longTasks = found;
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => found.push(entry.duration))).observe({ type: 'longtask', buffered: false });
  });
}

/**
 * Waits until an element matching `css` has text matching `pattern`, without Playwright polling
 * the page: its selector engine (getByText, getByRole's accessible names) walks the DOM on the
 * page's main thread, and on a large page those walks are long tasks the page would be blamed
 * for. One MutationObserver in the page checks `css` (a plain selector: cheap) as the DOM changes.
 */
export async function waitQuietly(page: Page, css: string, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  await page.evaluate(({ css, source, flags, timeoutMs }) => new Promise<void>((resolve, reject) => {
    const wanted = new RegExp(source, flags);
    const found = () => [...document.querySelectorAll(css)].some((element) => wanted.test(element.textContent ?? ''));
    if (found()) return resolve();
    const observer = new MutationObserver(() => {
      if (!found()) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`no "${css}" matched ${wanted} within ${timeoutMs} ms`));
    }, timeoutMs);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  }), { css, source: pattern.source, flags: pattern.flags, timeoutMs });
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
