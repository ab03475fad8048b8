// The timeline strip's data: the branch cut into slices of equal event counts, with each slice's
// event rate in virtual time, its failures and interventions, and where a click on it should go
// (just after its first failure or intervention: the cursor at which it has happened).
import type { Kernel } from '../kernel/kernel';
import { EVENT_SCHEMA, EventCode } from '../kernel/events';
import { DENSITY_BUCKETS_MAX, type TimelineStrip } from './api';

const FAILURES = ['process/failed', 'heap/exhausted', 'ipc/dropped', 'limit/reached', 'invariant/violated'] as const;
const FAILURE = 1, INTERVENTION = 2;
/** What each event type is to the strip: a failure, an intervention, or nothing (0). */
const NOTEWORTHY = new Uint8Array(EVENT_SCHEMA.length);
for (const type of FAILURES) NOTEWORTHY[EventCode[type]] = FAILURE;
NOTEWORTHY[EventCode['user/intervened']] = INTERVENTION;

export function densityStrip(kernel: Kernel | undefined, buckets: number): TimelineStrip {
  const count = Math.max(1, Math.min(DENSITY_BUCKETS_MAX, Math.floor(buckets) || 1));
  const strip: TimelineStrip = {
    rate: new Float32Array(count), errors: new Uint32Array(count), interventions: new Uint32Array(count), target: new Float64Array(count),
  };
  const journal = kernel?.machine.journal;
  const length = journal?.length ?? 0;
  if (!journal || length === 0) return strip;
  const firstIntervention = new Float64Array(count).fill(-1);
  strip.target.fill(-1);
  for (let bucket = 0; bucket < count; bucket++) {
    const first = Math.floor((bucket * length) / count), last = Math.max(first, Math.floor(((bucket + 1) * length) / count) - 1);
    const spanMs = (journal.tick(last) - journal.tick(first)) / 1000;
    strip.rate[bucket] = (last - first + 1) / Math.max(spanMs, 0.001);
  }
  // Noteworthy events: one scan of the type column (bounded by the journal's limit).
  for (let seq = 0; seq < length; seq++) {
    const found = NOTEWORTHY[journal.type(seq)];
    if (found === 0) continue;
    const bucket = Math.min(count - 1, Math.floor((seq * count) / length));
    if (found === FAILURE) {
      if (strip.errors[bucket]++ === 0) strip.target[bucket] = seq + 1;
    } else if (strip.interventions[bucket]++ === 0) firstIntervention[bucket] = seq + 1;
  }
  for (let bucket = 0; bucket < count; bucket++) {
    if (strip.target[bucket] >= 0) continue;
    strip.target[bucket] = firstIntervention[bucket] >= 0 ? firstIntervention[bucket] : Math.floor((bucket * length) / count);
  }
  return strip;
}

/** The cursor just after the nearest failure after (or before) `cursor`; undefined: none. */
export function nearestFailure(kernel: Kernel, cursor: number, direction: 1 | -1): number | undefined {
  const journal = kernel.machine.journal;
  // Event seq is executed when the cursor is seq + 1: forward looks from the cursor's event on.
  if (direction === 1) {
    for (let seq = cursor; seq < journal.length; seq++) if (NOTEWORTHY[journal.type(seq)] === FAILURE) return seq + 1;
  } else {
    for (let seq = cursor - 2; seq >= 0; seq--) if (NOTEWORTHY[journal.type(seq)] === FAILURE) return seq + 1;
  }
  return undefined;
}
