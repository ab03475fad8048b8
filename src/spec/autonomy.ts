// The `autonomy:` key: which detectors watch the run, whether healing and tuning act, and their
// thresholds. Read here (parse.ts calls readAutonomy) so the parser's main file stays small; the
// keys are in keys.ts, their defaults and meanings in reference.ts (section 'autonomy'). The
// kernel side is src/kernel/autonomy/.
import type { Field, SpecReader } from './reader';
import { DURATION_TICKS_MAX } from './limits';

export const DETECTORS = ['leak', 'hog', 'starvation', 'congestion', 'crash-loop', 'deadlock'] as const;
export type Detector = (typeof DETECTORS)[number];
export const SWITCH_VALUES = ['on', 'off'] as const;

/** Healing may raise a channel's capacity to at most this many times its spec capacity. */
export const AUTONOMY_CAPACITY_FACTOR_MAX = 16;
/** Healing may raise an agent's memory limit to at most this many times its spec limit. */
export const AUTONOMY_MEMORY_FACTOR_MAX = 16;
/** Healing may add at most this many replicas to one agent. */
export const AUTONOMY_REPLICAS_MAX = 64;

export interface AutonomySpec {
  /** Detectors on, in DETECTORS order (default: all). */
  readonly detect: readonly Detector[];
  /** Heal actions follow anomalies (default on); off: detect and predict only. */
  readonly heal: boolean;
  /** The workload classifier may switch policy and quantum (default off). */
  readonly tune: boolean;
  /** The detectors' and the classifier's window (default 10ms). */
  readonly windowTicks: number;
  /** A limit predicted to be reached within this is an anomaly/predicted (default 20ms). */
  readonly horizonTicks: number;
  /** CPU share of a node over a window that makes a hog, in ppm (default 90%). */
  readonly hogPpm: number;
  /** Runnable but not run for longer than this is starvation (default 50ms). */
  readonly starvationTicks: number;
  /** Queue occupancy (queued + in flight over capacity) held for a window that is congestion, in ppm (default 90%). */
  readonly congestionPpm: number;
  /** Restarts of one process within `crashWindowTicks` that make a crash loop (default 3). */
  readonly crashLoopRestarts: number;
  readonly crashWindowTicks: number;
  /** Healing raises a channel's capacity to at most this many times its spec capacity (default 4). */
  readonly capacityFactor: number;
  /** Healing adds at most this many replicas to an agent (default 2). */
  readonly replicasMax: number;
  /** Healing raises an agent's memory limit to at most this many times its spec limit, never past the node's heap (default 4). */
  readonly memoryFactor: number;
  /** Healing may move a hog to a clearly less loaded node instead of lowering its priority (default off). */
  readonly migrate?: boolean;
}

export const AUTONOMY_DEFAULTS: AutonomySpec = {
  detect: DETECTORS,
  heal: true,
  tune: false,
  windowTicks: 10_000,
  horizonTicks: 20_000,
  hogPpm: 900_000,
  starvationTicks: 50_000,
  congestionPpm: 900_000,
  crashLoopRestarts: 3,
  crashWindowTicks: 100_000,
  capacityFactor: 4,
  replicasMax: 2,
  memoryFactor: 4,
};

/** Reads `autonomy:`; an empty `autonomy:` turns it on with every default. */
export function readAutonomy(reader: SpecReader, field: Field, keys: readonly string[]): AutonomySpec | null {
  if (reader.isEmpty(field)) return AUTONOMY_DEFAULTS;
  const fields = reader.fields(field, keys);
  if (fields === null) return null;
  const d = AUTONOMY_DEFAULTS;
  const detect = fields.detect ? readDetectors(reader, fields.detect) : d.detect;
  const heal = fields.heal ? readSwitch(reader, fields.heal) : d.heal;
  const tune = fields.tune ? readSwitch(reader, fields.tune) : d.tune;
  const windowTicks = fields.window ? reader.duration(fields.window, 100, 10_000_000) : d.windowTicks;
  const horizonTicks = fields.horizon ? reader.duration(fields.horizon, 1, DURATION_TICKS_MAX) : d.horizonTicks;
  const hogPpm = fields.hog ? percent(reader, fields.hog) : d.hogPpm;
  const starvationTicks = fields.starvation ? reader.duration(fields.starvation, 1, DURATION_TICKS_MAX) : d.starvationTicks;
  const congestionPpm = fields.congestion ? percent(reader, fields.congestion) : d.congestionPpm;
  const crashLoopRestarts = fields['crash-loop'] ? reader.integer(fields['crash-loop'], 1, 1000) : d.crashLoopRestarts;
  const crashWindowTicks = fields['crash-window'] ? reader.duration(fields['crash-window'], 1, DURATION_TICKS_MAX) : d.crashWindowTicks;
  const capacityFactor = fields.capacity ? reader.integer(fields.capacity, 1, AUTONOMY_CAPACITY_FACTOR_MAX, `a factor from 1 to ${AUTONOMY_CAPACITY_FACTOR_MAX}`) : d.capacityFactor;
  const replicasMax = fields.replicas ? reader.integer(fields.replicas, 0, AUTONOMY_REPLICAS_MAX, `an integer from 0 to ${AUTONOMY_REPLICAS_MAX}`) : d.replicasMax;
  const memoryFactor = fields.memory ? reader.integer(fields.memory, 1, AUTONOMY_MEMORY_FACTOR_MAX, `a factor from 1 to ${AUTONOMY_MEMORY_FACTOR_MAX}`) : d.memoryFactor;
  const migrate = fields.migrate ? readSwitch(reader, fields.migrate) : false;
  const values = [detect, heal, tune, windowTicks, horizonTicks, hogPpm, starvationTicks, congestionPpm, crashLoopRestarts, crashWindowTicks, capacityFactor, replicasMax, memoryFactor, migrate];
  if (values.some((value) => value === null)) return null;
  return {
    detect: detect!, heal: heal!, tune: tune!, windowTicks: windowTicks!, horizonTicks: horizonTicks!, hogPpm: hogPpm!,
    starvationTicks: starvationTicks!, congestionPpm: congestionPpm!, crashLoopRestarts: crashLoopRestarts!,
    crashWindowTicks: crashWindowTicks!, capacityFactor: capacityFactor!, replicasMax: replicasMax!, memoryFactor: memoryFactor!,
    // Only when on, so a spec without the key parses to what it did before (specs are compared).
    ...(migrate ? { migrate: true } : {}),
  };
}

export function readSwitch(reader: SpecReader, field: Field): boolean | null {
  const value = reader.scalarValue(field);
  if (value === true || value === 'on') return true;
  if (value === false || value === 'off') return false;
  return reader.fail(field, 'expected on or off');
}

/** A share above 0 and at most 100%, in ppm. */
function percent(reader: SpecReader, field: Field): number | null {
  const ppm = reader.probability(field);
  if (ppm === null) return null;
  if (ppm <= 0) return reader.fail(field, 'expected a share above 0, like 90%');
  return ppm;
}

/** `[leak, deadlock]`, or `all`, or `none`; in DETECTORS order, each once. */
function readDetectors(reader: SpecReader, field: Field): readonly Detector[] | null {
  const scalar = reader.scalarValue(field);
  if (scalar === 'all') return DETECTORS;
  if (scalar === 'none') return [];
  const items = reader.items(field, `a list of detectors (${DETECTORS.join(', ')}), all or none`);
  if (items === null) return null;
  const chosen = new Set<Detector>();
  for (const item of items) {
    const detector = reader.oneOf(item, DETECTORS);
    if (detector === null) return null;
    if (chosen.has(detector)) return reader.fail(item, `detector ${detector} is listed twice`);
    chosen.add(detector);
  }
  return DETECTORS.filter((detector) => chosen.has(detector));
}
