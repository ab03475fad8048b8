// Main-thread tasks over 50 ms (the Long Tasks API), recorded in the page from a given moment.
import { writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { analyzeTrace, mainThreadCpu, TRACE_CATEGORIES } from './trace-long-tasks';

// TRACE_LONG_TASKS=dir: also record a performance trace from watchLongTasks to longTasks, save it
// in dir and print where each long task's time went (see trace-long-tasks.ts).
const traceDir = process.env.TRACE_LONG_TASKS;
let tracing: Page | undefined;

/**
 * Starts recording long tasks (their durations in ms); a second call starts over. With `cpu`,
 * also a light performance trace (the timeline alone, no JS sampling), from which
 * longTasksWithCpu gives each main-thread task's own CPU time.
 */
export async function watchLongTasks(page: Page, options: { cpu?: boolean } = {}): Promise<void> {
  if ((traceDir || options.cpu) && !tracing) {
    // TRACE_LONG_TASKS_SAMPLES=0: no JS sampling (the profiler slows JS down; CPU times are truer without it).
    const categories = !traceDir ? ['devtools.timeline', 'disabled-by-default-devtools.timeline'] : process.env.TRACE_LONG_TASKS_SAMPLES === '0' ? TRACE_CATEGORIES.filter((name) => !name.includes('cpu_profiler')) : TRACE_CATEGORIES;
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
  return (await longTasksWithCpu(page)).wall;
}

/**
 * The long tasks recorded since watchLongTasks (`wall`, what the Long Tasks API reports), and,
 * when it was called with `cpu`, the main-thread CPU time (ms) of every task of the page that
 * used over 50 ms of it (`cpu`, from the trace). On a machine whose cores are all busy (a 2-core
 * machine running two sweep workers, or a loaded one) a task of a few ms waits to be scheduled
 * and the Long Tasks API reports it at 50-650 ms: its CPU time says what the page itself did.
 * Playwright's own tasks in the page (scripts it evaluates over the DevTools protocol: its
 * selector engine, expect's polling, its trace recorder's DOM snapshots of the whole page, 40-70
 * ms each on a large page) are not the page's: they are left out of `cpu` and `cpuMax`, and
 * listed apart in `toolCpu` (those over 50 ms).
 */
export async function longTasksWithCpu(page: Page): Promise<{ wall: number[]; cpu: number[] | undefined; cpuMax?: number; toolCpu?: number[] }> {
  const wall = await page.evaluate(() => (globalThis as unknown as { longTasks: number[] }).longTasks);
  if (process.env.PRINT_LONG_TASKS) console.log(`long tasks ${JSON.stringify(wall.map(Math.round))} in "${test.info().title}"`);
  let cpu: number[] | undefined, cpuMax: number | undefined, toolCpu: number[] | undefined;
  if (tracing === page) {
    tracing = undefined;
    const trace = (await page.context().browser()!.stopTracing()).toString('utf8');
    const tasks = mainThreadCpu(trace);
    const all = tasks.filter((task) => !task.tool).map((task) => task.ms);
    if (all.length === 0) throw new Error('the trace holds no task of the page\'s main thread: cannot judge its CPU time');
    cpu = all.filter((ms) => ms > 50).map(Math.round);
    cpuMax = Math.round(Math.max(...all));
    toolCpu = tasks.filter((task) => task.tool && task.ms > 50).map((task) => Math.round(task.ms));
    // A task of the page over 50 ms of CPU: say where its time went (trace events, self time), so a
    // failure in CI can be diagnosed from its log; the trace itself goes with the test's results.
    if (cpu.length > 0 && !traceDir) {
      console.log(`where the page's long task(s) went in "${test.info().title}":\n${analyzeTrace(trace, 50, 'cpu')}`);
      await test.info().attach('long-task-trace.json', { body: trace, contentType: 'application/json' });
    }
    if (traceDir) {
      const name = test.info().title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      writeFileSync(`${traceDir}/${name}-${Date.now()}.json`, trace);
      console.log(`trace of "${test.info().title}" in ${traceDir}\n${analyzeTrace(trace)}`);
    }
  }
  return { wall, cpu, cpuMax, toolCpu };
}

/** No task of the page over 50 ms of CPU time since watchLongTasks(page, { cpu: true }), none over 500 ms of wall time. */
export async function expectNoLongTasks(page: Page, what: string): Promise<void> {
  const tasks = await longTasksWithCpu(page);
  console.log(`${what}: long tasks ${JSON.stringify(tasks)}`);
  expect(tasks.cpu, `no main-thread task of the page over 50 ms of CPU time ${what}`).toEqual([]);
  expect(tasks.wall.filter((ms) => ms > 500), `no main-thread task over 500 ms ${what}`).toEqual([]);
}
