// What the A/B view's worker does (timeline.worker.ts exposes it; tests call it with a Node
// core): replay a trial from its line's link and sample it over time (src/lab/timeline.ts). Apart
// from the sweep's pool, so comparing two trials never waits for a sweep, nor slows one down.
import type { Core } from '../../core/core';
import { trialTimeline, type TrialTimeline } from '../../lab/timeline';

export interface TimelineApi {
  /** The trial a line's link holds, replayed and sampled; refused unless it reaches `expectedHash`. */
  timeline(link: string, metrics: { name: string; expr: string }[], samples: number, expectedHash: string): Promise<TrialTimeline>;
}

/** `loadCore` is called on the first request (never before: the API answers while the wasm loads). */
export function createTimelineApi(loadCore: () => Promise<Core>): TimelineApi {
  let core: Promise<Core> | undefined;
  return {
    async timeline(link, metrics, samples, expectedHash) {
      core ??= loadCore().catch((error) => {
        core = undefined;
        throw error;
      });
      return trialTimeline(link, metrics, await core, { samples, expectedHash });
    },
  };
}
