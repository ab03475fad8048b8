// Every limit an experiment plan is held to, in one place: a plan that passes one gets an error
// naming it, at its line:column. Nothing a plan asks for can grow without bound.
import { JOURNAL_EVENTS_DEFAULT } from '../kernel/journal/journal';

/** Plan text, in UTF-16 code units. */
export const PLAN_TEXT_CHARS_MAX = 256 * 1024;
/** `seeds: N`, or the length of a seed list. */
export const SEEDS_MAX = 10_000;
/** Entries of `variants`. */
export const VARIANTS_MAX = 64;
/** Overrides in one variant's `set`. */
export const OVERRIDES_MAX = 64;
/** Keys of `grid`. */
export const GRID_KEYS_MAX = 8;
/** Values of one grid key. */
export const GRID_VALUES_MAX = 64;
/** Configurations (variants × grid points): each is a spec checked before any trial runs. */
export const CONFIGURATIONS_MAX = 1024;
/** Characters of all configurations' spec texts together (each keeps its own text for its links). */
export const CONFIGURATION_TEXT_CHARS_MAX = 64 * 1024 * 1024;
/** Trials (configurations × seeds). */
export const TRIALS_MAX = 100_000;
/** Entries of `metrics`. */
export const METRICS_MAX = 32;
/** Objectives (`maximize` / `minimize` metrics): one ranks, two draw a Pareto front. */
export const OBJECTIVES_MAX = 2;
/** `stop.events`: a trial's run can go no further than a kernel's journal. */
export const STOP_EVENTS_MAX = JOURNAL_EVENTS_DEFAULT;
/** `stop.ticks`: 1 hour of virtual time (a run's events are bounded by STOP_EVENTS_MAX anyway). */
export const STOP_TICKS_MAX = 3_600_000_000;
/** Characters of a variant, metric or plan name. */
export const LAB_NAME_CHARS_MAX = 32;
/** Characters of the plan's name. */
export const PLAN_NAME_CHARS_MAX = 256;
/** Characters of a dotted override path. */
export const OVERRIDE_PATH_CHARS_MAX = 256;
/** Errors reported at most (one more says the rest were left out), like the spec parser. */
export const PLAN_ERRORS_MAX = 100;
