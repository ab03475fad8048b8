// The sweep's time left, from how long trials take on a worker (not how many arrived per second
// since Run): with N workers the first trials arrive together, so "elapsed / done" counted one
// trial's time for each of them and said N times too long at first; and a worker's first trial
// (its JIT still cold: 2-4x slower in Chromium) stands for the rest only until a later one is in.
// Pure (no clock): durations in ms from the caller.

export class TrialPace {
  #firstSum = 0;
  #firstCount = 0;
  #laterSum = 0;
  #laterCount = 0;

  /** A trial took `ms` on its worker; `first`: the worker's first trial of this sweep. */
  add(ms: number, first: boolean): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    if (first) { this.#firstSum += ms; this.#firstCount++; }
    else { this.#laterSum += ms; this.#laterCount++; }
  }

  /** The time a trial takes on a worker: the mean of later trials once there is one, else of the first ones. */
  get trialMs(): number | undefined {
    if (this.#laterCount > 0) return this.#laterSum / this.#laterCount;
    return this.#firstCount > 0 ? this.#firstSum / this.#firstCount : undefined;
  }

  /** Time left for `remaining` trials shared by `workers` workers (undefined before any trial). */
  left(remaining: number, workers: number): number | undefined {
    const trialMs = this.trialMs;
    if (trialMs === undefined) return undefined;
    const left = Math.max(0, remaining);
    // fewer trials left than workers: they run at once
    return (left * trialMs) / Math.max(1, Math.min(workers, left));
  }
}
