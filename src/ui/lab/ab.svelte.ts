// The A/B view's state: the two trials picked (from the trials table's A and B buttons, or the
// view's own choices), the metric shown, and the two timelines, computed in a worker of their own
// (timeline.worker.ts, started on the first comparison) and kept for the last few pairs.
import * as Comlink from 'comlink';
import type { TrialLine } from '../../lab/trial';
import type { TrialTimeline } from '../../lab/timeline';
import type { TimelineApi } from './timeline-api';

/** Samples per timeline (each side's chart has this many points). */
export const AB_SAMPLES = 160;
/** Timelines kept (a pair is two). */
export const AB_CACHE_MAX = 8;

export class ABState {
  /** Trial numbers picked for A and B. */
  a = $state<number | undefined>(undefined);
  b = $state<number | undefined>(undefined);
  metric = $state('');
  /** Whether the A/B view is shown (its component is loaded on first show). */
  shown = $state(false);
  timelines = $state.raw<{ a: TrialTimeline; b: TrialTimeline; lineA: TrialLine; lineB: TrialLine } | undefined>(undefined);
  loading = $state(false);
  error = $state('');

  #worker: Worker | undefined;
  #api: Comlink.Remote<TimelineApi> | undefined;
  #cache = new Map<string, Promise<TrialTimeline>>();
  #request = 0;

  pick(side: 'a' | 'b', trial: number): void {
    this[side] = trial;
    this.shown = true;
  }

  /** Computes (or takes from the cache) both timelines; a newer request wins over an older one. */
  async compare(lineA: TrialLine, lineB: TrialLine, metrics: readonly { name: string; expr: string }[]): Promise<void> {
    const request = ++this.#request;
    this.loading = true;
    this.error = '';
    try {
      const [a, b] = await Promise.all([this.#timeline(lineA, metrics), this.#timeline(lineB, metrics)]);
      if (request !== this.#request) return;
      this.timelines = { a, b, lineA, lineB };
    } catch (error) {
      if (request !== this.#request) return;
      this.error = `Could not replay the trials: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  #timeline(line: TrialLine, metrics: readonly { name: string; expr: string }[]): Promise<TrialTimeline> {
    const key = `${line.stateHash}\u0000${line.link}\u0000${metrics.map((metric) => `${metric.name}=${metric.expr}`).join('\u0000')}`;
    let found = this.#cache.get(key);
    if (!found) {
      if (!this.#api) {
        this.#worker = new Worker(new URL('./timeline.worker.ts', import.meta.url), { type: 'module', name: 'agentos-lab-ab' });
        this.#api = Comlink.wrap<TimelineApi>(this.#worker);
      }
      found = this.#api.timeline(line.link, metrics.map(({ name, expr }) => ({ name, expr })), AB_SAMPLES, line.stateHash);
      found.catch(() => this.#cache.delete(key));
      this.#cache.set(key, found);
      while (this.#cache.size > AB_CACHE_MAX) this.#cache.delete(this.#cache.keys().next().value!);
    }
    return found;
  }

  /** Forgets the picks and timelines (a new plan, or Clear results), and stops the worker. */
  reset(): void {
    this.#request++;
    this.a = this.b = undefined;
    this.timelines = undefined;
    this.loading = false;
    this.error = '';
    this.#cache.clear();
    this.#worker?.terminate();
    this.#worker = this.#api = undefined;
  }
}
