// The recovery point: the session (spec, seed, interventions, cursor, as a share link) kept in
// IndexedDB, so a crashed worker, or a crashed, closed or reloaded tab, comes back to where the
// user was. It lives beside the draft and never touches saved checkpoints.
//
// When it is written: at once each time the run comes to rest (one write at a time: while one is
// under way, only the newest point waits for it, so dragging the timeline costs little), every few
// seconds during a run (the client asks the worker for a link
// at the run's cursor), and at every progress report of a run that goes on from the end of its
// journal (`runTo`: the link, then a run to that event, is the same session, since nothing can be
// done to a running session but run it). No quiet time first: a reload a moment after a run ended
// (or a write left for pagehide, which a reload does not wait for) would offer an older point. A
// record is a few KB: spec text, seed, interventions, two numbers.
import { lazyPersistence } from './persistence';

const RECOVERY_ID = 'recovery';
/**
 * A point not yet in IndexedDB when the page goes away (pagehide): written here, synchronously,
 * since a reload does not wait for an IndexedDB write; the next start moves it to IndexedDB.
 */
const LEFT_BEHIND_KEY = 'agentos.recovery.left-behind';
/**
 * A run's progress is written at most this often (a slow run reports ten times a second; each
 * write stringifies and checksums the link on the page). A reload loses at most this much of a
 * run, and Resume runs it again.
 */
const RUN_TO_INTERVAL_MS = 400;

export interface RecoveryPoint {
  link: string;
  name: string;
  /** The link's cursor. */
  cursor: number;
  /**
   * The run went on from the link's cursor to this event (no intervention can come in between:
   * the link was made at the end of its journal and the session only ran since). Resume replays
   * the link, then runs to here.
   */
  runTo?: number;
}

/** Where the point puts the user back: the event the run had got to. */
export function recoveryEvent(point: RecoveryPoint): number {
  return point.runTo ?? point.cursor;
}

export class RecoveryStore {
  /** The point found at start-up, offered to the user once. */
  offered = $state.raw<RecoveryPoint | undefined>(undefined);

  readonly #open = lazyPersistence();
  /** The point of the write under way, until it is done. */
  #inFlight: RecoveryPoint | undefined;

  constructor() {
    if (typeof window === 'undefined') return;
    window.addEventListener('pagehide', () => this.#leaveBehind());
  }

  /** The page goes: the newest point not yet written (or still being written) goes to localStorage at once. */
  #leaveBehind(): void {
    const point = this.#unsaved ?? this.#pending ?? this.#inFlight;
    if (!point) return;
    try {
      localStorage.setItem(LEFT_BEHIND_KEY, JSON.stringify(point));
    } catch {
      // Storage full or unavailable: the point IndexedDB holds is offered instead.
    }
  }

  /** When a run's progress was last kept (performance.now()). */
  #runToAt = -Infinity;
  /** A write is under way: the next point waits for it (only the newest one). */
  #writing = false;
  /** The last point written (or found at start), so the same one is not written again. */
  #written: RecoveryPoint | undefined;
  /** The newest point, not yet written. */
  #pending: RecoveryPoint | undefined;
  /** A run's progress newer than any point written or pending, held back by the write interval: left behind at pagehide. */
  #unsaved: RecoveryPoint | undefined;
  /** The newest point remembered, and whether a run from its cursor only appends (its link was made at the journal's end). */
  #latest: { point: RecoveryPoint; live: boolean } | undefined;

  /**
   * Remembers `point` (written at once, or as soon as the write under way is done). `live`:
   * its link was made at the end of its journal, so a run on from it can be kept as `runTo`.
   */
  remember(point: RecoveryPoint, live = false): void {
    this.#latest = { point, live };
    this.#unsaved = undefined;
    this.#want(point);
  }

  /** A run has got to event `cursor`: kept as the latest point's `runTo`, when that point allows it. */
  ranTo(cursor: number): void {
    const latest = this.#latest;
    if (!latest?.live || !Number.isInteger(cursor) || cursor <= latest.point.cursor) return;
    const current = this.#pending ?? this.#written;
    if (current?.link === latest.point.link && (current.runTo ?? current.cursor) >= cursor) return;
    const point = { ...latest.point, runTo: cursor };
    const now = performance.now();
    if (now - this.#runToAt < RUN_TO_INTERVAL_MS) {
      this.#unsaved = point; // not written yet, but not forgotten: a reload now leaves it behind
      return;
    }
    this.#runToAt = now;
    this.#unsaved = undefined;
    this.#want(point);
  }

  #want(point: RecoveryPoint): void {
    const last = this.#written;
    if (last && last.link === point.link && last.runTo === point.runTo) {
      this.#pending = undefined;
      return;
    }
    this.#pending = point;
    if (!this.#writing) void this.#drain();
  }

  /** Writes the newest pending point, and again while newer ones came during the write. */
  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      for (let point = this.#pending; point; point = this.#pending) {
        this.#pending = undefined;
        this.#inFlight = point;
        try {
          await (await this.#open()).save('sessions', RECOVERY_ID, 'recovery', point);
          this.#written = point;
        } catch {
          // Storage full or unavailable: recovery within this page still works from memory.
        } finally {
          this.#inFlight = undefined;
        }
      }
    } finally {
      this.#writing = false;
    }
  }

  /**
   * The stored point, if it is readable: one the last page left behind as it went (newer than
   * IndexedDB's; moved there now), else IndexedDB's. A damaged one is not offered (and not deleted).
   */
  async load(): Promise<RecoveryPoint | undefined> {
    const left = this.#takeLeftBehind();
    if (left) {
      this.remember(left);
      return left;
    }
    try {
      const point = validPoint(await (await this.#open()).load<unknown>('sessions', RECOVERY_ID));
      if (point) this.#written ??= point;
      return point;
    } catch {
      // Unreadable: nothing to offer; the user's saved checkpoints are elsewhere and unaffected.
    }
    return undefined;
  }

  #takeLeftBehind(): RecoveryPoint | undefined {
    try {
      const text = localStorage.getItem(LEFT_BEHIND_KEY);
      if (text === null) return undefined;
      localStorage.removeItem(LEFT_BEHIND_KEY);
      return validPoint(JSON.parse(text));
    } catch {
      return undefined; // unreadable: IndexedDB's point is offered
    }
  }
}

/** A stored point, checked field by field (it comes from storage: anything may be there). */
function validPoint(value: unknown): RecoveryPoint | undefined {
  const point = value as Partial<RecoveryPoint> | undefined;
  if (!point || typeof point.link !== 'string' || typeof point.name !== 'string' || !Number.isInteger(point.cursor)) return undefined;
  const runTo = Number.isInteger(point.runTo) && point.runTo! > point.cursor! ? point.runTo : undefined;
  return { link: point.link, name: point.name, cursor: point.cursor!, ...(runTo === undefined ? {} : { runTo }) };
}
