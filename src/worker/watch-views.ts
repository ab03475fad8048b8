// Watches in the worker: the spec's `watch:` and those added in the UI or the shell (kept in the
// kernel's session, so its link and checkpoints carry them; a new spec starts with none added; an
// added watch whose expression no longer checks against the spec is kept but not shown). Their values at the cursor, and
// their series over the branch for the Metrics panel and CSV (kernel/watches.ts), cached until
// the branch or the watch list changes (moving the cursor only moves the cursor line).
import { ExprError } from '../expr/index';
import type { Kernel } from '../kernel/kernel';
import { SESSION_WATCHES_MAX as ADDED_WATCHES_MAX, WATCH_NAME_PATTERN } from '../kernel/session';
import { specWatches, watchSeries, watchValues } from '../kernel/watches';
import type { Compiled } from '../expr/index';
import type { KernelApi, Outcome, WatchesView, WatchRow } from './api';

/** Watches added beside the spec's, at most; points of a series, at most. */
export const SESSION_WATCHES_MAX = ADDED_WATCHES_MAX;
export const WATCH_SERIES_POINTS_MAX = 1024;
const NAME_PATTERN = WATCH_NAME_PATTERN;

type Watch = { name: string; expr: string; compiled: Compiled; source: 'spec' | 'session' };

export function createWatchApi(kernelOf: () => Kernel | undefined): Pick<KernelApi, 'watches' | 'addWatch' | 'removeWatch'> {
  let owner: Kernel | undefined;
  let added: Watch[] = [];
  let specList: Watch[] = [];
  let cache: { key: string; view: Omit<WatchesView, 'rows' | 'cursorTick' | 'cursor'> } | undefined;

  /** The watches of the kernel now loaded (a new kernel: its spec's, none added). */
  function all(kernel: Kernel): Watch[] {
    if (kernel !== owner) {
      owner = kernel;
      cache = undefined;
      specList = specWatches(kernel).map(({ name, compiled }) => ({ name, expr: compiled.text, compiled, source: 'spec' as const }));
      added = [];
      for (const { name, expr } of kernel.addedWatches) {
        try {
          added.push({ name, expr, compiled: kernel.expression(expr, 'value'), source: 'session' });
        } catch (error) {
          if (!(error instanceof ExprError)) throw error;
        }
      }
    }
    return [...specList, ...added];
  }

  function rows(kernel: Kernel, list: Watch[]): WatchRow[] {
    const values = watchValues(kernel, list);
    return list.map(({ name, expr, source }) => ({ name, expr, source, value: values[name] }));
  }

  return {
    watches(points) {
      const kernel = kernelOf();
      if (!kernel) return undefined;
      const list = all(kernel);
      const journal = kernel.machine.journal;
      // 0 points: the values at the cursor only (the shell's list), no series.
      if (points <= 0) return { seq: new Float64Array(0), tick: new Float64Array(0), series: list.map(() => new Float64Array(0)), events: journal.length, rows: rows(kernel, list), cursor: kernel.cursor, cursorTick: kernel.tick };
      const count = Math.max(1, Math.min(WATCH_SERIES_POINTS_MAX, Math.floor(points)));
      const key = JSON.stringify([kernel.timeline.current, journal.length, count, list.map((w) => [w.name, w.expr])]);
      if (cache?.key !== key) {
        const series = watchSeries(kernel, list, { pointsMax: count });
        cache = { key, view: { seq: series.seq, tick: series.tick, series: series.values.map((column) => column.values), events: journal.length } };
      }
      return { ...cache.view, rows: rows(kernel, list), cursor: kernel.cursor, cursorTick: kernel.tick };
    },
    addWatch(name, expr): Outcome<WatchRow[]> {
      const kernel = kernelOf();
      if (!kernel) return { ok: false, error: 'load a spec first' };
      const list = all(kernel);
      if (!NAME_PATTERN.test(name)) return { ok: false, error: `'${name}' is not a watch name (letters, digits, _ and -, starting with a letter; at most 32)` };
      if (list.some((w) => w.name === name && w.source === 'spec')) return { ok: false, error: `'${name}' is a watch of the spec; choose another name` };
      if (!list.some((w) => w.name === name) && added.length >= SESSION_WATCHES_MAX) return { ok: false, error: `at most ${SESSION_WATCHES_MAX} watches besides the spec's` };
      let compiled: Compiled;
      try {
        compiled = kernel.expression(expr, 'value');
      } catch (error) {
        if (error instanceof ExprError) return { ok: false, error: error.message };
        throw error;
      }
      added = [...added.filter((w) => w.name !== name), { name, expr, compiled, source: 'session' }];
      kernel.addedWatches = [...kernel.addedWatches.filter((w) => w.name !== name), { name, expr }];
      return { ok: true, value: rows(kernel, all(kernel)) };
    },
    removeWatch(name): Outcome<WatchRow[]> {
      const kernel = kernelOf();
      if (!kernel) return { ok: false, error: 'load a spec first' };
      all(kernel);
      if (!added.some((w) => w.name === name)) {
        return { ok: false, error: specList.some((w) => w.name === name) ? `'${name}' is a watch of the spec (edit the spec to remove it)` : `no watch '${name}'` };
      }
      added = added.filter((w) => w.name !== name);
      kernel.addedWatches = kernel.addedWatches.filter((w) => w.name !== name);
      return { ok: true, value: rows(kernel, all(kernel)) };
    },
  };
}
