// loadExperiment: a plan's text -> an Experiment ready to run: the spec found (a file beside the
// plan, an inline text or a link), every configuration (variant × grid point) built by putting
// the overrides into the spec's YAML and checked by the spec parser, every metric expression
// checked against every configuration's spec. Nothing runs until all of that holds; every
// problem is reported with the plan's line:column (or the spec file's, naming it).
//
// Trials are numbered in plan order: variant-major, then grid point (the grid's first key
// varies slowest), then seed. Trial k = (configuration k div seeds, seed index k mod seeds).
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { compileExpression, ExprError } from '../expr/index';
import { exprContext } from '../kernel/spec-checks';
import { readSessionLink } from '../share/link';
import { findBehaviour } from '../spec/behaviours';
import { parseSpec } from '../spec/parse';
import { didYouMean, editDistance } from '../spec/reader';
import { keysOf } from '../spec/keys';
import type { Spec, SpecError } from '../spec/types';
import { CONFIGURATION_TEXT_CHARS_MAX, CONFIGURATIONS_MAX, PLAN_ERRORS_MAX, TRIALS_MAX } from './limits';
import { readPlan, type Override, type Plan, type PlanError, type PlanParts, type PlanPlace, type PlanValue } from './plan';

/** One variant at one grid point: the spec a trial runs (before its seed is set). */
export interface Configuration {
  readonly index: number;
  readonly variant: string;
  /** The grid point: each grid key's value, in the grid's key order ({} without a grid). */
  readonly params: Readonly<Record<string, PlanValue>>;
  /** The spec text with the overrides in (the plan's spec text itself when there are none). */
  readonly specText: string;
  readonly spec: Spec;
}

export interface Experiment {
  readonly plan: Plan;
  /** The spec as the plan names it, before any override. */
  readonly specText: string;
  readonly configurations: readonly Configuration[];
  readonly trialCount: number;
}

/** One numbered trial: which configuration, which seed. */
export interface Trial {
  readonly trial: number;
  readonly configuration: number;
  readonly variant: string;
  readonly params: Readonly<Record<string, PlanValue>>;
  readonly seed: number;
}

export type LoadExperimentResult = { ok: true; experiment: Experiment } | { ok: false; errors: PlanError[] };

export interface LoadOptions {
  /**
   * Reads the spec file a plan names (`spec: map-reduce.yaml`, a path beside the plan). The CLI
   * reads the disk; the browser looks the name up in the examples. Throw an Error to refuse it
   * (its message is reported at the plan's `spec:`).
   */
  readSpecFile?: (path: string) => string | Promise<string>;
}

/** Reads, resolves and checks a plan; never throws. */
export async function loadExperiment(text: string, options: LoadOptions = {}): Promise<LoadExperimentResult> {
  const read = readPlan(text);
  if (!read.ok) return read.parts && read.lines ? { ok: false, errors: await checkParts(read.errors, read.parts, PlanErrors.inText(text, read.lines), options) } : read;
  const { plan, lines } = read;
  const errors = PlanErrors.inText(text, lines);
  const specText = await resolveSpecText(plan, options, errors);
  if (specText === null) return { ok: false, errors: errors.list };
  const experiment = buildExperiment(plan, specText, errors);
  return experiment !== null && errors.list.length === 0 ? { ok: true, experiment } : { ok: false, errors: errors.list };
}

/**
 * A plan whose own shape has errors: the checks that do not depend on the parts in error still
 * run, so every error is said at once, each at its line:column (the plan's, or the spec file's),
 * sorted as the spec parser sorts them. The spec (when \`spec:\` read), the override paths of the
 * variants and the grid (when they read), and the metric expressions against the spec as it is
 * (the configurations are not built: a bad seeds value says nothing about them, but a variant's
 * value is only checked once the plan holds). A part that depends on one in error is skipped.
 */
async function checkParts(planErrors: readonly PlanError[], parts: PlanParts, errors: PlanErrors, options: LoadOptions): Promise<PlanError[]> {
  for (const error of planErrors) errors.add(error);
  if (parts.spec !== null && parts.specPlace !== null) {
    const specText = await resolveSpecText({ spec: parts.spec, specPlace: parts.specPlace }, options, errors);
    if (specText !== null) {
      const base = parseDocument(specText, { keepSourceTokens: false, uniqueKeys: true, version: '1.2' });
      for (const variant of parts.variants ?? []) for (const override of variant.set) checkPath(base, override.segments, override.path, override.keyPlace, errors);
      for (const axis of parts.grid ?? []) checkPath(base, axis.segments, axis.path, axis.keyPlace, errors);
      const parsed = parseSpec(specText);
      if (parts.metrics !== null && parsed.ok) checkMetrics(parts.metrics, [{ index: 0, variant: '', params: {}, specText, spec: parsed.spec }], errors);
    }
  }
  // The plan's own errors first were sorted; with the others, in order of place (the plan's, then the spec file's).
  return errors.list.some((error) => error.message.startsWith('too many errors')) ? errors.list
    : [...errors.list].sort((a, b) => Number(a.file !== undefined) - Number(b.file !== undefined) || a.line - b.line || a.column - b.column);
}

/** The trial numbered `k` (0-based) of an experiment. */
export function trialAt(experiment: Experiment, k: number): Trial {
  if (!Number.isSafeInteger(k) || k < 0 || k >= experiment.trialCount) throw new RangeError(`no trial ${k}: the experiment has trials 0..${experiment.trialCount - 1}`);
  const seeds = experiment.plan.seeds;
  const configuration = experiment.configurations[Math.floor(k / seeds.length)];
  return { trial: k, configuration: configuration.index, variant: configuration.variant, params: configuration.params, seed: seeds[k % seeds.length] };
}

/** A shard `i/n`: the trials k with k mod n = i, in order. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** `"1/4"` -> {index: 1, count: 4}; throws on anything else (0 <= i < n <= 100000). */
export function parseShard(text: string): Shard {
  const match = /^(\d{1,6})\/(\d{1,6})$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN, count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || count > TRIALS_MAX || index >= count) throw new RangeError(`expected a shard i/n with 0 <= i < n (like 0/4), got "${text}"`);
  return { index, count };
}

/** The trial numbers of a shard (all of them without one), in order. */
export function shardTrials(trialCount: number, shard: Shard = { index: 0, count: 1 }): number[] {
  const trials: number[] = [];
  for (let k = shard.index; k < trialCount; k += shard.count) trials.push(k);
  return trials;
}

// ---------------------------------------------------------------------------------------------

/** Collects plan errors at their line:column (deduplicated, at most PLAN_ERRORS_MAX). */
export class PlanErrors {
  readonly list: PlanError[] = [];
  readonly #seen = new Set<string>();
  constructor(private readonly position: (offset: number) => { line: number; column: number }) {}

  /** Errors placed at line:column of a plan's text (an offset past either end is clamped to it). */
  static inText(text: string, lines: { linePos(offset: number): { line: number; col: number } }): PlanErrors {
    return new PlanErrors((offset) => {
      const { line, col } = lines.linePos(Math.max(0, Math.min(offset, text.length)));
      return { line: Math.max(1, line), column: Math.max(1, col) };
    });
  }

  at(where: PlanPlace, message: string, path = where.path): void {
    this.add({ path, ...this.position(where.offset), message });
  }

  add(error: PlanError): void {
    const key = `${error.file ?? ''}|${error.line}:${error.column}|${error.message}`;
    if (this.#seen.has(key) || this.list.length > PLAN_ERRORS_MAX) return;
    this.#seen.add(key);
    if (this.list.length === PLAN_ERRORS_MAX) this.list.push({ path: '', line: error.line, column: error.column, message: `too many errors: only the first ${PLAN_ERRORS_MAX} are shown` });
    else this.list.push(error);
  }
}

export async function resolveSpecText(plan: Pick<Plan, 'spec' | 'specPlace'>, options: LoadOptions, errors: PlanErrors): Promise<string | null> {
  const source = plan.spec;
  let text: string;
  if (source.kind === 'text') text = source.text;
  else if (source.kind === 'link') {
    try {
      text = (await readSessionLink(source.link)).session.spec;
    } catch (error) {
      errors.at(plan.specPlace, `the spec link cannot be opened: ${(error as Error).message}`);
      return null;
    }
  } else {
    if (!options.readSpecFile) {
      errors.at(plan.specPlace, `the spec names a file (${source.path}), and files cannot be read here: paste the spec inline (spec: |) or give a link`);
      return null;
    }
    try {
      text = await options.readSpecFile(source.path);
    } catch (error) {
      errors.at(plan.specPlace, `cannot read the spec ${source.path}: ${(error as Error).message}`);
      return null;
    }
  }
  const parsed = parseSpec(text);
  if (parsed.ok) return text;
  for (const error of parsed.errors) {
    if (source.kind === 'link') errors.at(plan.specPlace, `the link's spec is invalid: ${error.path === '' ? '' : `${error.path}: `}${error.message} (at ${error.line}:${error.column} of its text)`);
    else errors.add(specErrorInPlan(source, error));
  }
  return null;
}

/** A spec error, placed in the spec file (naming it) or, for an inline spec, in the plan. */
function specErrorInPlan(source: Exclude<Plan['spec'], { kind: 'link' }>, error: SpecError): PlanError {
  if (source.kind === 'path') return { ...error, file: source.path };
  return { ...error, path: error.path === '' ? 'spec' : `spec: ${error.path}`, line: error.line + source.lineOffset, column: error.column + source.indent };
}

function buildExperiment(plan: Plan, specText: string, errors: PlanErrors): Experiment | null {
  const points = gridPoints(plan);
  const configurationCount = plan.variants.length * points.length;
  if (configurationCount > CONFIGURATIONS_MAX) {
    errors.at(plan.variants.length > 1 ? plan.variants[0].place : plan.specPlace, `${plan.variants.length} variants × ${points.length} grid points are ${configurationCount} configurations; at most ${CONFIGURATIONS_MAX}`, 'variants');
    return null;
  }
  const trialCount = configurationCount * plan.seeds.length;
  if (trialCount > TRIALS_MAX) {
    errors.at(plan.specPlace, `${configurationCount} configurations × ${plan.seeds.length} seeds are ${trialCount} trials; at most ${TRIALS_MAX}`, 'seeds');
    return null;
  }
  if (configurationCount * specText.length > CONFIGURATION_TEXT_CHARS_MAX) {
    errors.at(plan.specPlace, `${configurationCount} configurations of a ${specText.length}-character spec pass the ${CONFIGURATION_TEXT_CHARS_MAX} characters an experiment keeps`);
    return null;
  }
  const base = parseDocument(specText, { keepSourceTokens: false, uniqueKeys: true, version: '1.2' });
  // Every override path must name something in the spec (or a key the spec may have).
  let pathsOk = true;
  for (const variant of plan.variants) for (const override of variant.set) pathsOk = checkPath(base, override.segments, override.path, override.keyPlace, errors) && pathsOk;
  for (const axis of plan.grid) pathsOk = checkPath(base, axis.segments, axis.path, axis.keyPlace, errors) && pathsOk;
  if (!pathsOk) {
    // Still say what is wrong with the metrics, against the spec as it is.
    const parsed = parseSpec(specText);
    if (parsed.ok) checkMetrics(plan.metrics, [{ index: 0, variant: plan.variants[0].name, params: {}, specText, spec: parsed.spec }], errors);
    return null;
  }

  const configurations: Configuration[] = [];
  for (const variant of plan.variants) {
    for (const point of points) {
      const overrides: Override[] = [...variant.set, ...point.overrides];
      const params: Record<string, PlanValue> = {};
      for (const override of point.overrides) params[override.path] = override.value;
      const configText = overrides.length === 0 ? specText : withOverrides(base, overrides);
      const parsed = parseSpec(configText);
      const index = configurations.length;
      if (!parsed.ok) {
        const pointText = point.overrides.map((o) => `${o.path}=${JSON.stringify(o.value)}`).join(', ');
        for (const error of parsed.errors) {
          const culprit = overrides.find((override) => error.path === override.path || error.path.startsWith(`${override.path}.`) || error.path.startsWith(`${override.path}[`) || override.path.startsWith(`${error.path}.`));
          // A variant's own value is wrong at every grid point: say it once, without the point.
          // A grid value that is wrong in itself: say it once, whatever the variant.
          const ownValue = culprit !== undefined && variant.set.includes(culprit);
          const what = culprit && !ownValue && error.path.startsWith(culprit.path) ? `${culprit.path}=${JSON.stringify(culprit.value)}`
            : `variant "${variant.name}"${!ownValue && pointText ? ` at ${pointText}` : ''}`;
          errors.at(culprit ? culprit.valuePlace : variant.place, `${what} makes the spec invalid: ${error.path === '' ? '' : `${error.path}: `}${error.message}`);
        }
        continue;
      }
      configurations.push({ index, variant: variant.name, params, specText: configText, spec: parsed.spec });
    }
  }
  // The metrics against the configurations that hold (a variant whose value is wrong says so
  // above; what the metrics read is still checked on the others, so both come at once).
  checkMetrics(plan.metrics, configurations, errors);
  if (errors.list.length > 0) return null;
  return { plan, specText, configurations, trialCount };
}

/** Metrics: checked against every configuration's spec (an override may change what they read). */
function checkMetrics(metrics: Plan['metrics'], configurations: readonly Configuration[], errors: PlanErrors): void {
  for (const metric of metrics) {
    for (const configuration of configurations) {
      try {
        compileExpression(metric.expr, exprContext(configuration.spec), 'value');
      } catch (error) {
        if (!(error instanceof ExprError)) throw error;
        const inVariant = configurations.length > 1 && configuration.index > 0 ? ` (in variant "${configuration.variant}")` : '';
        errors.at({ path: `metrics.${metric.name}`, offset: metric.exprOffset + error.offset }, `${error.description}${inVariant}`);
        break;
      }
    }
  }
}

interface GridPoint {
  readonly overrides: Override[];
}

/** The grid's points in order: the first key varies slowest. One empty point without a grid. */
function gridPoints(plan: Plan): GridPoint[] {
  let points: GridPoint[] = [{ overrides: [] }];
  for (const axis of plan.grid) {
    const next: GridPoint[] = [];
    for (const point of points) {
      for (const { value, place } of axis.values) {
        next.push({ overrides: [...point.overrides, { path: axis.path, segments: axis.segments, value, keyPlace: axis.keyPlace, valuePlace: place }] });
      }
    }
    points = next;
  }
  return points;
}

/** The spec's YAML with the overrides in, as text. */
export function withOverrides(base: Document, overrides: readonly Override[]): string {
  const document = base.clone();
  for (const override of overrides) {
    document.setIn(keyPath(document, override.segments), document.createNode(override.value));
  }
  return document.toString({ lineWidth: 0 });
}

/** Segments as yaml's setIn wants them: numbers where the node there is a list. */
function keyPath(document: Document, segments: readonly string[]): (string | number)[] {
  const path: (string | number)[] = [];
  let node: unknown = document.contents;
  for (const segment of segments) {
    const key = isSeq(node) ? Number(segment) : segment;
    path.push(key);
    node = isSeq(node) || isMap(node) ? node.get(key, true) : undefined;
  }
  return path;
}

/**
 * The keys a spec may have under `path` (from the spec's names table, so they are the parser's own
 * lists), beside those it already has. Null: only what is there.
 */
function knownKeys(document: Document, segments: readonly string[]): readonly string[] | null {
  const [first, , third] = segments;
  if (segments.length === 0) return keysOf('top');
  if (segments.length === 1 && (first === 'kernel' || first === 'cluster')) return keysOf(first);
  if (segments.length === 1 && first === 'autonomy') return keysOf('autonomy'); // heal off vs on, on a spec without autonomy:
  if (segments.length === 2 && first === 'agents') return keysOf('agent');
  if (segments.length === 3 && first === 'agents' && third === 'restart') return keysOf('restart');
  if (segments.length === 3 && first === 'agents' && third === 'args') {
    const program = document.getIn(['agents', segments[1], 'program']);
    const behaviour = typeof program === 'string' ? findBehaviour(program) : undefined;
    return behaviour ? behaviour.args.map((arg) => arg.name) : null;
  }
  if (segments.length === 2 && first === 'channels') return keysOf('channel');
  if (segments.length === 2 && first === 'resources') return keysOf('resource');
  if (segments.length === 2 && first === 'shared') return keysOf('shared');
  if (segments.length === 2 && first === 'supervisors') return keysOf('supervisor');
  return null;
}

/** Walks an override path through the spec; an unknown part is an error with the whole path and a "did you mean". */
export function checkPath(document: Document, segments: readonly string[], path: string, place: PlanPlace, errors: PlanErrors): boolean {
  let node: unknown = document.contents;
  for (let depth = 0; depth < segments.length; depth++) {
    const segment = segments[depth];
    const here = segments.slice(0, depth);
    const hereText = here.length === 0 ? 'the spec' : here.join('.');
    if (isSeq(node)) {
      const index = /^\d+$/.test(segment) ? Number(segment) : -1;
      if (index < 0 || index >= node.items.length) {
        errors.at(place, `unknown path "${path}": ${hereText} is a list of ${node.items.length}, so the next part is an index 0..${node.items.length - 1}, not "${segment}"`);
        return false;
      }
      node = node.items[index];
      continue;
    }
    if (node !== null && node !== undefined && !isMap(node)) {
      const value = isScalar(node) ? ` (${JSON.stringify(node.value)})` : '';
      errors.at(place, `unknown path "${path}": ${hereText} is a value${value}, not a mapping; set ${hereText} itself`);
      return false;
    }
    const existing = isMap(node) ? node.items.map((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key)) : [];
    if (existing.includes(segment)) {
      node = (node as { get(key: string, keepScalar: true): unknown }).get(segment, true);
      continue;
    }
    const known = knownKeys(document, here);
    if (known !== null && known.includes(segment)) {
      node = undefined; // not written: the override adds it (and anything under it)
      continue;
    }
    const candidates = [...new Set([...existing, ...(known ?? [])])];
    const hint = didYouMean(segment, candidates);
    const suggestion = hint === '' ? '' : ` (did you mean "${[...here, closest(segment, candidates)].join('.')}"?)`;
    const list = candidates.length > 0 ? `; ${hereText} has ${candidates.slice(0, 16).join(', ')}${candidates.length > 16 ? ', …' : ''}` : '';
    errors.at(place, `unknown path "${path}": ${hereText} has no "${segment}"${suggestion}${list}`);
    return false;
  }
  return true;
}

function closest(word: string, candidates: readonly string[]): string {
  let best = candidates[0];
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) { best = candidate; bestDistance = distance; }
  }
  return best;
}

