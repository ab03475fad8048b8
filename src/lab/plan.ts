// readPlan: experiment plan text (YAML) -> a typed Plan, or every error found, each with a path
// and a 1-based line:column, like specs (the same reader, the same plain-word YAML errors). Reads
// the plan's own shape only; what needs the spec (override paths, metric expressions) is checked
// by loadExperiment (experiment.ts). Never throws on any input.
import { isMap, isScalar, isSeq, type LineCounter, Scalar } from 'yaml';
import { didYouMean, type Field, quoteList, SpecReader } from '../spec/reader';
import { readYamlDocument } from '../spec/document';
import type { SpecError } from '../spec/types';
import {
  GRID_KEYS_MAX, GRID_VALUES_MAX, LAB_NAME_CHARS_MAX, METRICS_MAX, OBJECTIVES_MAX, OVERRIDE_PATH_CHARS_MAX, OVERRIDES_MAX,
  PLAN_NAME_CHARS_MAX, PLAN_TEXT_CHARS_MAX, SEEDS_MAX, STOP_EVENTS_MAX, STOP_TICKS_MAX, VARIANTS_MAX,
} from './limits';

export const PLAN_FORMAT = 1;
export const PLAN_KEYS = ['agentos-experiment', 'name', 'description', 'spec', 'seeds', 'stop', 'variants', 'grid', 'metrics', 'objective'] as const;
const PLAN_REQUIRED = ['agentos-experiment', 'spec', 'stop', 'metrics'] as const;

/** An error in a plan: where (path, line:column of the plan, or of the spec file it names) and what. */
export interface PlanError extends SpecError {
  /** Set when the error is in another file than the plan (the spec file `spec:` names). */
  readonly file?: string;
}

/** `variants[1].set.kernel.schedular: unknown path ... at 9:22` (with `file: ` first when the error is in the spec file). */
export function formatPlanError(error: PlanError): string {
  return `${error.file ? `${error.file}: ` : ''}${error.path === '' ? '' : `${error.path}: `}${error.message} at ${error.line}:${error.column}`;
}

/** A place in the plan text. */
export interface PlanPlace {
  readonly path: string;
  readonly offset: number;
}

/** Where the spec comes from. `text` keeps where its first line sits in the plan, so its errors point into the plan. */
export type SpecSource =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'link'; readonly link: string }
  | { readonly kind: 'text'; readonly text: string; readonly lineOffset: number; readonly indent: number } ;

/** A value written in the plan (a scalar, or a list / mapping for keys that take one), as plain JSON. */
export type PlanValue = string | number | boolean | null | PlanValue[] | { [key: string]: PlanValue };

/** One `set` entry (or one grid value): a dotted path into the spec and the value to put there. */
export interface Override {
  readonly path: string;
  readonly segments: readonly string[];
  readonly value: PlanValue;
  /** The path's place (for unknown paths) and the value's (for values the spec refuses). */
  readonly keyPlace: PlanPlace;
  readonly valuePlace: PlanPlace;
}

export interface Variant {
  readonly name: string;
  readonly set: readonly Override[];
  readonly place: PlanPlace;
}

export interface GridAxis {
  readonly path: string;
  readonly segments: readonly string[];
  readonly values: readonly { readonly value: PlanValue; readonly place: PlanPlace }[];
  readonly keyPlace: PlanPlace;
}

export interface MetricDef {
  readonly name: string;
  readonly expr: string;
  /** Offset in the plan of the expression's first character (an expression error's column adds to it). */
  readonly exprOffset: number;
  readonly place: PlanPlace;
}

export interface Objective {
  readonly direction: 'maximize' | 'minimize';
  readonly metric: string;
}

export interface Stop {
  readonly events?: number;
  readonly ticks?: number;
}

export interface Plan {
  readonly format: typeof PLAN_FORMAT;
  readonly name: string;
  readonly description: string;
  readonly spec: SpecSource;
  readonly specPlace: PlanPlace;
  readonly seeds: readonly number[];
  readonly stop: Stop;
  /** At least one: a plan without `variants` has one, `base`, that changes nothing. */
  readonly variants: readonly Variant[];
  readonly grid: readonly GridAxis[];
  readonly metrics: readonly MetricDef[];
  readonly objectives: readonly Objective[];
}

/**
 * The parts of a plan with errors that read well (null: that part has errors, or is missing).
 * The checks that need only these (the spec, override paths, metric expressions: loadExperiment)
 * still run, so a plan's errors are all said at once, not one stage at a time. Undefined when
 * nothing of the plan can be trusted (not a mapping, or another plan format).
 */
export interface PlanParts {
  readonly spec: SpecSource | null;
  readonly specPlace: PlanPlace | null;
  readonly variants: readonly Variant[] | null;
  readonly grid: readonly GridAxis[] | null;
  readonly metrics: readonly MetricDef[] | null;
}

export type ReadPlanResult = { ok: true; plan: Plan; lines: LineCounter } | { ok: false; errors: PlanError[]; parts?: PlanParts; lines?: LineCounter };

export const BASE_VARIANT = 'base';
const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Reads an experiment plan's text. Never throws. */
export function readPlan(text: string): ReadPlanResult {
  const read = readYamlDocument(text, 'plan', PLAN_TEXT_CHARS_MAX);
  if (!read.ok) return { ok: false, errors: read.errors };
  const { reader, lines } = read;
  const { plan, parts } = readRoot(reader, read.root, read.text, lines);
  if (plan !== null && reader.errors.length === 0) return { ok: true, plan, lines };
  const errors = reader.sortedErrors();
  // Too many errors already (the last says so): nothing more is worth checking.
  const full = errors.at(-1)?.message.startsWith('too many errors') ?? false;
  return { ok: false, errors, ...(parts && !full ? { parts, lines } : {}) };
}

function readRoot(reader: SpecReader, root: Field, text: string, lines: LineCounter): { plan: Plan | null; parts?: PlanParts } {
  const expected = 'an experiment plan: a mapping that starts with agentos-experiment: 1';
  if (reader.isEmpty(root)) return { plan: reader.fail(root, `expected ${expected}`) };
  const top = reader.fields(root, PLAN_KEYS, PLAN_REQUIRED, expected);
  if (top === null) return { plan: null };
  const version = top['agentos-experiment'] ? reader.scalarValue(top['agentos-experiment']) : PLAN_FORMAT;
  const otherFormat = version !== PLAN_FORMAT && top['agentos-experiment'] !== undefined;
  if (otherFormat) {
    reader.fail(top['agentos-experiment']!, typeof version === 'number' && Number.isInteger(version) ? `unsupported plan format ${version}: this engine reads agentos-experiment: 1` : 'expected the plan format version 1 (agentos-experiment: 1)');
  }
  const name = top.name ? reader.string(top.name, PLAN_NAME_CHARS_MAX, 'a name') : 'experiment';
  const description = top.description ? reader.string(top.description, 4096, 'a description') : '';
  const spec = top.spec ? readSpecSource(reader, top.spec, text, lines) : null;
  const seeds = top.seeds ? readSeeds(reader, top.seeds) : [1];
  const stop = top.stop ? readStop(reader, top.stop) : null;
  const variants = top.variants ? readVariants(reader, top.variants) : [{ name: BASE_VARIANT, set: [], place: place(root) }];
  const grid = top.grid ? readGrid(reader, top.grid) : [];
  const metrics = top.metrics ? readMetrics(reader, top.metrics) : null;
  const objectives = top.objective && metrics ? readObjectives(reader, top.objective, metrics) : [];
  if (variants && grid) {
    for (const axis of grid) {
      for (const variant of variants) {
        const clash = variant.set.find((override) => overlaps(override.segments, axis.segments));
        if (clash) reader.error(axis.keyPlace.path, axis.keyPlace.offset, `grid key ${axis.path} overlaps ${clash.path}, which variant "${variant.name}" sets: a path is set by the variant or by the grid, not both`);
      }
    }
  }
  const parts: PlanParts | undefined = otherFormat ? undefined : { spec, specPlace: top.spec ? place(top.spec) : null, variants, grid, metrics };
  if (name === null || description === null || spec === null || seeds === null || stop === null || variants === null || grid === null || metrics === null || objectives === null || top.spec === undefined) return { plan: null, parts };
  return { plan: { format: PLAN_FORMAT, name, description, spec, specPlace: place(top.spec), seeds, stop, variants, grid, metrics, objectives }, parts };
}

export const place = (field: Field): PlanPlace => ({ path: field.path, offset: field.offset });

/** One path is the other or lies inside it. */
export function overlaps(a: readonly string[], b: readonly string[]): boolean {
  const shorter = Math.min(a.length, b.length);
  for (let index = 0; index < shorter; index++) if (a[index] !== b[index]) return false;
  return true;
}

export function readSpecSource(reader: SpecReader, field: Field, text: string, lines: LineCounter): SpecSource | null {
  const expected = 'the spec: a file name beside the plan (map-reduce.yaml), an inline text (spec: |), or a share link';
  const node = field.node;
  if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') return reader.fail(field, `expected ${expected}`);
  const value = node.value;
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED || value.includes('\n')) {
    // A block scalar's text starts on the line after its `|`; its lines are indented in the plan.
    const header = lines.linePos(field.offset).line;
    const firstLine = text.slice(text.indexOf('\n', field.offset) + 1).split('\n').find((line) => line.trim() !== '') ?? '';
    const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
    return { kind: 'text', text: value, lineOffset: block ? header : header - 1, indent: block ? firstLine.length - firstLine.trimStart().length : 0 };
  }
  const trimmed = value.trim();
  if (/^https?:\/\//i.test(trimmed) || /^#?s\d{0,6}=/.test(trimmed)) return { kind: 'link', link: trimmed };
  if (trimmed.length > 1024) return reader.fail(field, `expected ${expected} (a file name of at most 1024 characters)`);
  return { kind: 'path', path: trimmed };
}

export function readSeeds(reader: SpecReader, field: Field): number[] | null {
  const expected = `a seed count from 1 to ${SEEDS_MAX} (seeds 1..N) or a list of seeds like [1, 7, 42]`;
  const value = reader.scalarValue(field);
  if (value !== undefined) {
    const count = reader.integer(field, 1, SEEDS_MAX, expected);
    return count === null ? null : Array.from({ length: count }, (_, index) => index + 1);
  }
  const items = reader.items(field, expected);
  if (items === null) return null;
  if (items.length === 0 || items.length > SEEDS_MAX) return reader.fail(field, `expected 1 to ${SEEDS_MAX} seeds, got ${items.length}`);
  const seen = new Set<number>();
  const seeds: number[] = [];
  for (const item of items) {
    const seed = reader.integer(item, 0, 0xffff_ffff, 'a seed: an integer from 0 to 4294967295');
    if (seed === null) continue;
    if (seen.has(seed)) reader.fail(item, `seed ${seed} is listed twice (each seed is one trial per configuration)`);
    seen.add(seed);
    seeds.push(seed);
  }
  return seeds.length === items.length ? seeds : null;
}

export function readStop(reader: SpecReader, field: Field): Stop | null {
  const fields = reader.fields(field, ['events', 'ticks'], [], 'where each trial stops: { events: 200000 } or { ticks: 1s } (or both: whichever comes first)');
  if (fields === null) return null;
  if (!fields.events && !fields.ticks) return reader.fail(field, 'expected events or ticks (or both): { events: 200000 } or { ticks: 1s }');
  const events = fields.events ? reader.integer(fields.events, 1, STOP_EVENTS_MAX, `a number of events from 1 to ${STOP_EVENTS_MAX} (a kernel's journal holds no more)`) : undefined;
  let ticks: number | null | undefined;
  if (fields.ticks) {
    ticks = typeof reader.scalarValue(fields.ticks) === 'number'
      ? reader.integer(fields.ticks, 1, STOP_TICKS_MAX, `a duration like 1s, or a number of ticks (µs) from 1 to ${STOP_TICKS_MAX}`)
      : reader.duration(fields.ticks, 1, STOP_TICKS_MAX);
  }
  if (events === null || ticks === null) return null;
  return { ...(events !== undefined ? { events } : {}), ...(ticks !== undefined ? { ticks } : {}) };
}

/** A dotted path as written (`kernel.scheduler`, `agents.mapper.args.work`, `channels.0.capacity`). */
export function readPath(reader: SpecReader, keyField: Field, key: string): string[] | null {
  if (key.length > OVERRIDE_PATH_CHARS_MAX) return reader.fail(keyField, `expected a dotted path into the spec of at most ${OVERRIDE_PATH_CHARS_MAX} characters`);
  const segments = key.split('.');
  if (segments.some((segment) => !SEGMENT.test(segment))) {
    return reader.fail(keyField, `expected a dotted path into the spec like kernel.scheduler or agents.mapper.replicas, got "${key}"`);
  }
  return segments;
}

/** A value as plain JSON; aliases are refused (as in specs). */
export function planValue(reader: SpecReader, field: Field, depth = 0): PlanValue | undefined {
  const node = field.node;
  if (depth > 8) { reader.fail(field, 'expected a value nested at most 8 levels deep'); return undefined; }
  if (node === null) return null;
  if (isScalar(node)) {
    const value = node.value;
    if (typeof value === 'number' && !Number.isFinite(value)) { reader.fail(field, 'expected a finite number'); return undefined; }
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    reader.fail(field, 'expected a plain value');
    return undefined;
  }
  if (isSeq(node)) {
    const items = reader.items(field);
    if (items === null) return undefined;
    const values = items.map((item) => planValue(reader, item, depth + 1));
    return values.includes(undefined) ? undefined : values as PlanValue[];
  }
  if (isMap(node)) {
    const entries = reader.entries(field);
    if (entries === null) return undefined;
    const result: { [key: string]: PlanValue } = {};
    for (const entry of entries) {
      const value = planValue(reader, entry.value, depth + 1);
      if (value === undefined) return undefined;
      result[entry.key] = value;
    }
    return result;
  }
  reader.fail(field, 'aliases (*name) are not supported in plans; write the value out');
  return undefined;
}

function readOverrides(reader: SpecReader, field: Field): Override[] | null {
  const entries = reader.entries(field, 'overrides: a mapping of dotted paths into the spec to values, like { kernel.scheduler: eevdf }');
  if (entries === null) return null;
  if (entries.length > OVERRIDES_MAX) return reader.fail(field, `expected at most ${OVERRIDES_MAX} overrides, got ${entries.length}`);
  const overrides: Override[] = [];
  let ok = true;
  for (const entry of entries) {
    const segments = readPath(reader, entry.keyField, entry.key);
    const value = planValue(reader, entry.value);
    if (segments === null || value === undefined) { ok = false; continue; }
    const clash = overrides.find((other) => overlaps(other.segments, segments));
    if (clash) { reader.fail(entry.keyField, `${entry.key} overlaps ${clash.path}, set just before: set each path once`); ok = false; continue; }
    overrides.push({ path: entry.key, segments, value, keyPlace: place(entry.keyField), valuePlace: place(entry.value) });
  }
  return ok ? overrides : null;
}

function readVariants(reader: SpecReader, field: Field): Variant[] | null {
  const items = reader.items(field, 'a list of variants like - { name: fair, set: { kernel.scheduler: fair } }');
  if (items === null) return null;
  if (items.length === 0 || items.length > VARIANTS_MAX) return reader.fail(field, `expected 1 to ${VARIANTS_MAX} variants, got ${items.length}`);
  const variants: Variant[] = [];
  let ok = true;
  for (const item of items) {
    const fields = reader.fields(item, ['name', 'set'], ['name'], 'a variant: { name, set }');
    if (fields === null) { ok = false; continue; }
    const name = fields.name ? reader.name(fields.name, LAB_NAME_CHARS_MAX, 'a variant name') : null;
    const set = fields.set ? readOverrides(reader, fields.set) : [];
    if (name !== null && variants.some((variant) => variant.name === name)) { reader.fail(fields.name!, `variant "${name}" is named twice`); ok = false; continue; }
    if (name === null || set === null) { ok = false; continue; }
    variants.push({ name, set, place: place(item) });
  }
  return ok ? variants : null;
}

function readGrid(reader: SpecReader, field: Field): GridAxis[] | null {
  const entries = reader.entries(field, 'a grid: dotted paths into the spec, each with a list of values, like { kernel.quantum: [500us, 1ms] }');
  if (entries === null) return null;
  if (entries.length > GRID_KEYS_MAX) return reader.fail(field, `expected at most ${GRID_KEYS_MAX} grid keys, got ${entries.length}`);
  const axes: GridAxis[] = [];
  let ok = true;
  for (const entry of entries) {
    const segments = readPath(reader, entry.keyField, entry.key);
    const items = reader.items(entry.value, `a list of values for ${entry.key}, like [500us, 1ms, 2ms]`);
    if (segments === null || items === null) { ok = false; continue; }
    if (items.length === 0 || items.length > GRID_VALUES_MAX) { reader.fail(entry.value, `expected 1 to ${GRID_VALUES_MAX} values, got ${items.length}`); ok = false; continue; }
    const clash = axes.find((other) => overlaps(other.segments, segments));
    if (clash) { reader.fail(entry.keyField, `${entry.key} overlaps the grid key ${clash.path}: give each path once`); ok = false; continue; }
    const values: { value: PlanValue; place: PlanPlace }[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      const value = planValue(reader, item);
      if (value === undefined) { ok = false; continue; }
      const key = JSON.stringify(value);
      if (seen.has(key)) { reader.fail(item, `${key} is listed twice for ${entry.key}`); ok = false; continue; }
      seen.add(key);
      values.push({ value, place: place(item) });
    }
    axes.push({ path: entry.key, segments, values, keyPlace: place(entry.keyField) });
  }
  return ok ? axes : null;
}

function readMetrics(reader: SpecReader, field: Field): MetricDef[] | null {
  const entries = reader.entries(field, 'metrics: a mapping of names to expressions, like { throughput: agents.reducer.received }');
  if (entries === null) return null;
  if (entries.length === 0 || entries.length > METRICS_MAX) return reader.fail(field, `expected 1 to ${METRICS_MAX} metrics, got ${entries.length}`);
  const metrics: MetricDef[] = [];
  let ok = true;
  for (const entry of entries) {
    const name = reader.name(entry.keyField, LAB_NAME_CHARS_MAX, 'a metric name');
    const expr = reader.text(entry.value, 2000, 'an expression, like agents.reducer.received');
    if (name === null || expr === null) { ok = false; continue; }
    const node = entry.value.node;
    const quoted = isScalar(node) && (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE);
    metrics.push({ name, expr, exprOffset: entry.value.offset + (quoted ? 1 : 0), place: place(entry.value) });
  }
  return ok ? metrics : null;
}

function readObjectives(reader: SpecReader, field: Field, metrics: readonly MetricDef[]): Objective[] | null {
  const fields = reader.fields(field, ['maximize', 'minimize'], [], 'an objective: { maximize: <metric> } or { minimize: <metric> } (two metrics: a Pareto front)');
  if (fields === null) return null;
  const objectives: Objective[] = [];
  const names = metrics.map((metric) => metric.name);
  let ok = true;
  for (const direction of ['maximize', 'minimize'] as const) {
    const at = fields[direction];
    if (!at) continue;
    const list = reader.scalarValue(at) === undefined ? reader.items(at, 'a metric name or a list of them') : [at];
    if (list === null) { ok = false; continue; }
    for (const item of list) {
      const metric = reader.string(item, LAB_NAME_CHARS_MAX, 'a metric name');
      if (metric === null) { ok = false; continue; }
      if (!names.includes(metric)) { reader.fail(item, `no metric "${metric}"${didYouMean(metric, names)}; the metrics are ${quoteList(names)}`); ok = false; continue; }
      if (objectives.some((objective) => objective.metric === metric)) { reader.fail(item, `metric "${metric}" is an objective twice`); ok = false; continue; }
      objectives.push({ direction, metric });
    }
  }
  if (!ok) return null;
  if (objectives.length === 0 || objectives.length > OBJECTIVES_MAX) return reader.fail(field, `expected 1 or ${OBJECTIVES_MAX} objectives (one ranks the configurations, two draw their Pareto front), got ${objectives.length}`);
  return objectives;
}
