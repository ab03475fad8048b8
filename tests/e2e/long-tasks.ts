// Main-thread tasks over 50 ms (the Long Tasks API), recorded in the page from a given moment.
import type { Page } from '@playwright/test';

/** Starts recording long tasks (their durations in ms); a second call starts over. */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const found: number[] = [];
    (globalThis as unknown as { longTasks: number[] }).longTasks = found;
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => found.push(entry.duration))).observe({ type: 'longtask', buffered: false });
  });
}

/** The long tasks recorded since watchLongTasks. */
export const longTasks = (page: Page): Promise<number[]> => page.evaluate(() => (globalThis as unknown as { longTasks: number[] }).longTasks);
