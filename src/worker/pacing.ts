// How a run at a set speed (events per second of wall time) spreads its events: the run's k-th
// event (from 0) is due k / rate seconds after it starts, so 10 events/s takes about 1.7 s for 18
// events whatever the slice length. A slice runs the events due by now, at most `maxBurst` of
// them: after a stall (a busy machine, a long slice) the run goes on at its pace from there
// instead of catching up in a burst.
export class Pacer {
  #start: number;
  #done = 0;

  constructor(readonly rate: number, now: number, readonly maxBurst: number) {
    if (!(rate > 0) || !(maxBurst >= 1)) throw new Error(`a pace needs a positive rate and burst (got ${rate}, ${maxBurst})`);
    this.#start = now;
  }

  /** How many events may run at `now`; 0 with the milliseconds to wait for the next one. */
  next(now: number): { events: number; waitMs: number } {
    const due = Math.floor(((now - this.#start) * this.rate) / 1000) + 1;
    const behind = due - this.#done;
    if (behind <= 0) return { events: 0, waitMs: Math.max(1, this.#start + (this.#done * 1000) / this.rate - now) };
    if (behind > this.maxBurst) this.#start = now - ((this.#done + this.maxBurst - 1) * 1000) / this.rate; // no catching up
    return { events: Math.min(behind, this.maxBurst), waitMs: 0 };
  }

  /** Counts the events a slice ran (fewer than allowed when its deadline or the run's end came first). */
  ran(events: number): void {
    this.#done += events;
  }
}
