// The timeline strip's data: the branch cut into slices of equal event counts, with each slice's
// event rate in virtual time, its failures and interventions, and where a click on it should go
// (just after its first failure or intervention: the cursor at which it has happened).
import type { Kernel } from '../kernel/kernel';
import { EVENT_SCHEMA, EventCode } from '../kernel/events';
import { DENSITY_BUCKETS_MAX, type FailureWalk, type TimelineStrip } from './api';
import { convergenceWalk } from './shared-views';
import { SeqList } from './seq-list';

const FAILURES = ['process/failed', 'heap/exhausted', 'ipc/dropped', 'limit/reached', 'sched/deadlocked', 'invariant/violated', 'rule/violated'] as const;
const FAILURE = 1, INTERVENTION = 2, NETWORK = 3;
/** What each event type is to the strip: a failure, an intervention, or nothing (0). */
const NOTEWORTHY = new Uint8Array(EVENT_SCHEMA.length);
for (const type of FAILURES) NOTEWORTHY[EventCode[type]] = FAILURE;
NOTEWORTHY[EventCode['user/intervened']] = INTERVENTION;
for (const type of ['net/partitioned', 'net/healed', 'node/crashed', 'node/recovered'] as const) NOTEWORTHY[EventCode[type]] = NETWORK;

/**
 * What the strip and the walk make of event `seq`. A failure caused by a failure is that same
 * failure told once more (an allocation over the limit, `heap/exhausted`, then the process it
 * failed, `process/failed`, caused by it): counted once, at its first event, so one out-of-memory
 * reads "1 failure", not 2.
 */
function noteworthy(journal: { type(seq: number): number; cause(seq: number): number }, seq: number): number {
  const found = NOTEWORTHY[journal.type(seq)];
  if (found !== FAILURE) return found;
  const cause = journal.cause(seq);
  return cause >= 0 && cause < seq && NOTEWORTHY[journal.type(cause)] === FAILURE ? 0 : FAILURE;
}

export function densityStrip(kernel: Kernel | undefined, buckets: number): TimelineStrip {
  const count = Math.max(1, Math.min(DENSITY_BUCKETS_MAX, Math.floor(buckets) || 1));
  const strip: TimelineStrip = {
    rate: new Float32Array(count), errors: new Uint32Array(count), interventions: new Uint32Array(count), target: new Float64Array(count),
    network: new Uint32Array(count), converged: new Uint32Array(count),
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
    const found = noteworthy(journal, seq);
    if (found === 0) continue;
    const bucket = Math.min(count - 1, Math.floor((seq * count) / length));
    if (found === FAILURE) {
      if (strip.errors[bucket]++ === 0) strip.target[bucket] = seq + 1;
    } else if (found === NETWORK) strip.network[bucket]++;
    else if (strip.interventions[bucket]++ === 0) firstIntervention[bucket] = seq + 1;
  }
  if (kernel!.spec.shared.length > 0) {
    for (const cursor of convergenceWalk(kernel!, length).converged) strip.converged[Math.min(count - 1, Math.floor(((cursor - 1) * count) / length))]++;
  }
  for (let bucket = 0; bucket < count; bucket++) {
    if (strip.target[bucket] >= 0) continue;
    strip.target[bucket] = firstIntervention[bucket] >= 0 ? firstIntervention[bucket] : Math.floor((bucket * length) / count);
  }
  return strip;
}

/**
 * The seqs of each journal's failures, found by one scan and extended as the journal grows (a
 * journal only grows: a branch that rewinds forks a new one). Bounded by the journal's own limit.
 */
const failureIndex = new WeakMap<object, { scanned: number; list: SeqList }>();

function failureSeqs(kernel: Kernel): SeqList {
  const journal = kernel.machine.journal;
  let index = failureIndex.get(journal);
  if (!index || index.scanned > journal.length) index = { scanned: 0, list: new SeqList(64) };
  for (let seq = index.scanned; seq < journal.length; seq++) {
    if (noteworthy(journal, seq) === FAILURE) index.list.push(seq);
  }
  index.scanned = journal.length;
  failureIndex.set(journal, index);
  return index.list;
}

/** The failures around `cursor`: one index answers the count and both directions of the walk. */
export function failureWalk(kernel: Kernel, cursor: number): FailureWalk {
  const list = failureSeqs(kernel);
  const { count, seqs } = list;
  // Event seq has happened when the cursor is past it (cursor >= seq + 1).
  const passed = list.below(cursor);
  const atFailure = passed > 0 && seqs[passed - 1] === cursor - 1;
  const previousIndex = atFailure ? passed - 2 : passed - 1;
  return {
    count, passed, atFailure,
    previous: previousIndex >= 0 ? seqs[previousIndex] + 1 : null,
    next: passed < count ? seqs[passed] + 1 : null,
  };
}

/** The cursor just after the nearest failure after (or before) `cursor`; undefined: none. */
export function nearestFailure(kernel: Kernel, cursor: number, direction: 1 | -1): number | undefined {
  const walk = failureWalk(kernel, cursor);
  return (direction === 1 ? walk.next : walk.previous) ?? undefined;
}
