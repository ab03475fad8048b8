// Marks on the timeline strip: every event S of the branch at which an expression "holds" (false
// after S-1, true after S: the events `find` goes to one by one), and the spans where it stays true.
// The scan re-executes the branch with Kernel.findBecomes, the method `find` uses, alternating
// between "becomes true" and "becomes false", so the marks are exactly find's successive answers.
// It is long work in slices (long-work.ts: progress, cancel) and incremental: a scan is kept per
// journal and expression, and asking again after the branch grew goes on from where it stopped (a
// journal only grows; another branch has another journal). Bounded: at most MARKS_MAX marks.
import type { Kernel } from '../kernel/kernel';
import { conditionExpression, type BisectCondition, type KernelApi, type KernelStatus, type Outcome } from './api';
import { longWork } from './long-work';
import { predicateOf } from './shell-api';

/** Marks one scan records at most; past it the scan stops and says so (`truncated`). */
export const MARKS_MAX = 1000;
/** Scans kept (per journal and expression), the least recently asked dropped first. */
const SCANS_KEPT_MAX = 4;

/** Where an expression holds on the current branch, as far as it was scanned. */
export interface HoldMarks {
  expr: string;
  /** Each event S at which it becomes true, in order (at most MARKS_MAX). */
  seqs: number[];
  /** [S, E]: true after S up to E-1, false again after E (E = `scanned` when still true there). */
  spans: [number, number][];
  /** Events of the branch scanned (the cursor the scan reached). */
  scanned: number;
  /** Events on the branch. */
  events: number;
  /** The scan stopped at MARKS_MAX marks before the branch's end. */
  truncated: boolean;
}

interface Scan {
  journal: object;
  expr: string;
  scanned: number;
  holding: boolean;
  seqs: number[];
  spans: [number, number][];
  openFrom: number;
  truncated: boolean;
}

/** The marks of a scan, with a still-open span closed at the scanned end. */
function marksOf(scan: Scan, events: number): HoldMarks {
  const spans = scan.holding ? [...scan.spans, [scan.openFrom, scan.scanned] as [number, number]] : scan.spans.slice();
  return { expr: scan.expr, seqs: scan.seqs.slice(), spans, scanned: scan.scanned, events, truncated: scan.truncated };
}

/**
 * Goes on with `scan` up to `end`, in one slice (until `deadline`): true when it reached the end or
 * MARKS_MAX. Leaves the cursor where the scan is.
 */
function scanSlice(kernel: Kernel, scan: Scan, holds: (kernel: Kernel) => boolean, end: number, deadline: () => boolean): boolean {
  if (kernel.cursor !== scan.scanned) kernel.seek(scan.scanned);
  const stops = (kernel: Kernel) => !holds(kernel);
  while (kernel.cursor < end) {
    // Looking for the next change: "becomes true" while false, "becomes false" while true.
    const found = kernel.findBecomes(scan.holding ? stops : holds, { previous: false }, end, deadline);
    scan.scanned = kernel.cursor;
    if (found === 'paused') return false;
    if (found === 'end') return true;
    const seq = kernel.cursor - 1;
    if (scan.holding) {
      scan.spans.push([scan.openFrom, seq]);
      scan.holding = false;
    } else {
      if (scan.seqs.length >= MARKS_MAX) {
        // One more rise than the limit: stop before it (it is not recorded).
        scan.truncated = true;
        scan.scanned = seq;
        return true;
      }
      scan.seqs.push(seq);
      scan.openFrom = seq;
      scan.holding = true;
    }
  }
  return true;
}

export function createMarkApi(kernelOf: () => Kernel | undefined, status: () => KernelStatus): Pick<KernelApi, 'markHolds'> {
  let scans: Scan[] = [];
  return {
    async markHolds(condition) {
      const kernel = kernelOf();
      if (!kernel) return { ok: false, error: 'load a spec first' };
      const predicate = predicateOf(kernel, condition);
      if (typeof predicate === 'string') return { ok: false, error: predicate };
      const journal = kernel.machine.journal;
      const expr = conditionExpression(condition);
      let scan = scans.find((entry) => entry.journal === journal && entry.expr === expr);
      if (!scan) scan = { journal, expr, scanned: 0, holding: false, seqs: [], spans: [], openFrom: 0, truncated: false };
      scans = [scan, ...scans.filter((entry) => entry !== scan && entry.journal === journal)].slice(0, SCANS_KEPT_MAX);
      const end = journal.length;
      if (scan.truncated || scan.scanned >= end) return { ok: true, value: { marks: marksOf(scan, end), status: status() } };

      const start = kernel.cursor;
      const progress = { kind: 'finding' as const, done: 0, total: end - scan.scanned };
      const from = scan.scanned;
      const current = scan;
      longWork.start(progress);
      try {
        const completed = await longWork.sliced((deadline) => {
          const done = scanSlice(kernel, current, predicate, end, deadline);
          progress.done = current.scanned - from;
          return done;
        });
        kernel.seek(start);
        // Cancelled: what was scanned is kept (asking again goes on from there).
        if (!completed) return { ok: false, cancelled: true, error: `cancelled at event ${current.scanned} (of ${end}); the marks so far are kept` };
      } catch (error) {
        scans = scans.filter((entry) => entry !== current);
        if (kernel.cursor !== start) kernel.seek(start);
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      } finally {
        longWork.finish();
      }
      return { ok: true, value: { marks: marksOf(current, end), status: status() } };
    },
  };
}
