// readEvolvePlan: evolve plan text (YAML, through the same document reader as specs and
// experiment plans) -> a typed EvolvePlan, or every error with its path and line:column. Reads
// the plan's own shape; what needs the spec (gene paths, values, the score) is checked by
// loadEvolution (load.ts). Never throws on any input.
import { isMap, isScalar, isSeq, type LineCounter, Scalar } from 'yaml';
import { type Field, SpecReader } from '../../spec/reader';
import { readYamlDocument } from '../../spec/document';
import { DURATION_TICKS_MAX } from '../../spec/limits';
import { parseDuration } from '../../spec/units';
import { overlaps, place, planValue, readPath, readSeeds, readSpecSource, readStop, type PlanError, type PlanPlace, type PlanValue, type SpecSource, type Stop } from '../plan';
import { PLAN_NAME_CHARS_MAX } from '../limits';
import {
  BUDGET_MAX, EVOLVE_SEEDS_MAX, EVOLVE_TEXT_CHARS_MAX, FORGE_MAX, GENE_CHOICES_MAX, GENERATIONS_MAX, GENES_MAX, LOAD_KEYS_MAX, POOL_MAX, SUITE_MAX,
} from './limits';

export const EVOLVE_FORMAT = 1;
export const EVOLVE_KEYS = ['agentos-evolve', 'name', 'description', 'spec', 'seeds', 'stop', 'seed', 'generations', 'score', 'pass', 'blue', 'red'] as const;
const EVOLVE_REQUIRED = ['agentos-evolve', 'spec', 'stop', 'score', 'pass', 'blue', 'red'] as const;
export const BLUE_KEYS = ['pool', 'genes'] as const;
export const RED_KEYS = ['suite', 'forge', 'add', 'suite-max', 'budget', 'faults', 'nodes', 'at', 'lasting', 'loss', 'load'] as const;
/** The fault kinds a red test may schedule (the spec's `cluster.faults`: a crash is followed by its recover, a partition by heal). */
export const RED_FAULT_KINDS = ['crash', 'partition'] as const;
export type RedFaultKind = (typeof RED_FAULT_KINDS)[number];

/** A value a gene may take: a list of choices, or a whole range of integers or durations. */
export type GeneDomain =
  | { readonly kind: 'choices'; readonly values: readonly { readonly value: PlanValue; readonly place: PlanPlace }[] }
  | { readonly kind: 'range'; readonly unit: 'integer' | 'duration'; readonly from: number; readonly to: number; readonly step: number; readonly fromPlace: PlanPlace; readonly toPlace: PlanPlace };

/** One gene: a dotted path into the spec (as an experiment's override) and the values it may take. */
export interface Gene {
  readonly path: string;
  readonly segments: readonly string[];
  readonly domain: GeneDomain;
  readonly keyPlace: PlanPlace;
}

/** A span of virtual time to draw from: ticks from..to, in steps (1ms when both ends are whole ms). */
export interface TickSpan {
  readonly from: number;
  readonly to: number;
  readonly step: number;
}

export interface BluePlan {
  readonly pool: number;
  readonly genes: readonly Gene[];
}

export interface RedPlan {
  /** Random tests the suite starts with (beside the calm test, r0, which has no fault). */
  readonly suite: number;
  /** Candidates forged against each champion. */
  readonly forge: number;
  /** Effective candidates added to the suite per generation, at most. */
  readonly add: number;
  readonly suiteMax: number;
  /** Faults per test, at most (a crash or partition, each with its recovery). */
  readonly budget: number;
  readonly faults: readonly RedFaultKind[];
  /** Nodes red may crash or cut off; null: every node of the spec. */
  readonly nodes: readonly string[] | null;
  readonly nodesPlace: PlanPlace | null;
  /** When a fault starts. */
  readonly at: TickSpan;
  /** How long it lasts before its recover / heal; null: to the end of the run. */
  readonly lasting: TickSpan | null;
  /** cluster.loss choices (a probability as written); empty: the spec's own. */
  readonly loss: readonly { readonly value: PlanValue; readonly place: PlanPlace }[];
  /** Load spikes: genes (choices) red may set, like agents.source.args.every: [100us, 20us]. */
  readonly load: readonly Gene[];
}

export interface ScoreDef {
  readonly expr: string;
  readonly exprOffset: number;
  readonly place: PlanPlace;
}

export interface EvolvePlan {
  readonly format: typeof EVOLVE_FORMAT;
  readonly name: string;
  readonly description: string;
  readonly spec: SpecSource;
  readonly specPlace: PlanPlace;
  readonly seeds: readonly number[];
  readonly stop: Stop;
  /** Seeds the loop's PRNG (selection, mutation, forging); the trials' seeds are `seeds`. */
  readonly seed: number;
  readonly generations: number;
  readonly generationsPlace: PlanPlace | null;
  readonly score: ScoreDef;
  /** A blue genome fails a red test when its score against it (the mean over the seeds) is below this. */
  readonly pass: number;
  readonly blue: BluePlan;
  readonly bluePlace: PlanPlace;
  readonly red: RedPlan;
  readonly redPlace: PlanPlace;
}

export type ReadEvolveResult = { ok: true; plan: EvolvePlan; lines: LineCounter } | { ok: false; errors: PlanError[] };

export const GENERATIONS_DEFAULT = 5;

/** Reads an evolve plan's text. Never throws. */
export function readEvolvePlan(text: string): ReadEvolveResult {
  const read = readYamlDocument(text, 'evolve plan', EVOLVE_TEXT_CHARS_MAX);
  if (!read.ok) return { ok: false, errors: read.errors };
  const { reader, lines } = read;
  const plan = readRoot(reader, read.root, read.text, lines);
  return plan !== null && reader.errors.length === 0 ? { ok: true, plan, lines } : { ok: false, errors: reader.sortedErrors() };
}

function readRoot(reader: SpecReader, root: Field, text: string, lines: LineCounter): EvolvePlan | null {
  const expected = 'an evolve plan: a mapping that starts with agentos-evolve: 1';
  if (reader.isEmpty(root)) return reader.fail(root, `expected ${expected}`);
  const top = reader.fields(root, EVOLVE_KEYS, EVOLVE_REQUIRED, expected);
  if (top === null) return null;
  if (top['agentos-evolve']) {
    const version = reader.scalarValue(top['agentos-evolve']);
    if (version !== EVOLVE_FORMAT) reader.fail(top['agentos-evolve'], typeof version === 'number' && Number.isInteger(version) ? `unsupported evolve plan format ${version}: this engine reads agentos-evolve: 1` : 'expected the evolve plan format version 1 (agentos-evolve: 1)');
  }
  const name = top.name ? reader.string(top.name, PLAN_NAME_CHARS_MAX, 'a name') : 'evolution';
  const description = top.description ? reader.string(top.description, 4096, 'a description') : '';
  const spec = top.spec ? readSpecSource(reader, top.spec, text, lines) : null;
  let seeds = top.seeds ? readSeeds(reader, top.seeds) : [1];
  if (seeds && seeds.length > EVOLVE_SEEDS_MAX) seeds = reader.fail(top.seeds!, `expected at most ${EVOLVE_SEEDS_MAX} seeds: every evaluation runs each of them, got ${seeds.length}`);
  const stop = top.stop ? readStop(reader, top.stop) : null;
  const seed = top.seed ? reader.integer(top.seed, 0, 0xffff_ffff, 'the loop\'s seed: an integer from 0 to 4294967295') : 1;
  const generations = top.generations ? reader.integer(top.generations, 1, GENERATIONS_MAX, `a number of generations from 1 to ${GENERATIONS_MAX}`) : GENERATIONS_DEFAULT;
  const score = top.score ? readScore(reader, top.score) : null;
  const pass = top.pass ? readNumber(reader, top.pass, 'the passing score: a number (a blue genome fails a red test when its score is below it)') : null;
  const blue = top.blue ? readBlue(reader, top.blue) : null;
  const red = top.red ? readRed(reader, top.red) : null;
  if (blue && red) {
    for (const load of red.load) {
      const clash = blue.genes.find((gene) => overlaps(gene.segments, load.segments));
      if (clash) reader.error(load.keyPlace.path, load.keyPlace.offset, `red.load ${load.path} overlaps the blue gene ${clash.path}: a path belongs to blue or to red, not both`);
    }
    for (const gene of blue.genes) {
      if (overlaps(gene.segments, ['cluster', 'faults']) || (red.loss.length > 0 && overlaps(gene.segments, ['cluster', 'loss']))) {
        reader.error(gene.keyPlace.path, gene.keyPlace.offset, `blue gene ${gene.path} overlaps what red sets (cluster.faults${red.loss.length > 0 ? ', cluster.loss' : ''}): a path belongs to blue or to red, not both`);
      }
    }
  }
  if (name === null || description === null || spec === null || seeds === null || stop === null || seed === null || generations === null
    || score === null || pass === null || blue === null || red === null || !top.spec || !top.blue || !top.red) return null;
  return {
    format: EVOLVE_FORMAT, name, description, spec, specPlace: place(top.spec), seeds, stop, seed, generations,
    generationsPlace: top.generations ? place(top.generations) : null, score, pass, blue, bluePlace: place(top.blue), red, redPlace: place(top.red),
  };
}

function readScore(reader: SpecReader, field: Field): ScoreDef | null {
  const expr = reader.text(field, 2000, 'the score: an expression like agents.sink.received (higher is better)');
  if (expr === null) return null;
  const node = field.node;
  const quoted = isScalar(node) && (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE);
  return { expr, exprOffset: field.offset + (quoted ? 1 : 0), place: place(field) };
}

function readNumber(reader: SpecReader, field: Field, expected: string): number | null {
  const value = reader.scalarValue(field);
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > 1e15) return reader.fail(field, `expected ${expected}`);
  return value;
}

function readBlue(reader: SpecReader, field: Field): BluePlan | null {
  const fields = reader.fields(field, BLUE_KEYS, ['genes'], 'the blue genome: { pool: 6, genes: { agents.worker.replicas: [1, 2, 3] } }');
  if (fields === null) return null;
  const pool = fields.pool ? reader.integer(fields.pool, 2, POOL_MAX, `a pool size from 2 to ${POOL_MAX}`) : 6;
  const genes = fields.genes ? readGenes(reader, fields.genes, true, GENES_MAX) : null;
  if (pool === null || genes === null) return null;
  if (genes.length === 0) return reader.fail(fields.genes!, 'expected at least one gene');
  return { pool, genes };
}

/** Genes: dotted paths, each with a list of choices or (when `ranges`) a range { from, to }. */
function readGenes(reader: SpecReader, field: Field, ranges: boolean, max: number): Gene[] | null {
  const expected = ranges
    ? 'genes: dotted paths into the spec, each with a list of choices or a range, like { agents.worker.replicas: [1, 2, 3], supervisors.pipeline.intensity: { from: 1, to: 10 } }'
    : 'dotted paths into the spec, each with a list of values, like { agents.source.args.every: [100us, 20us] }';
  const entries = reader.entries(field, expected);
  if (entries === null) return null;
  if (entries.length > max) return reader.fail(field, `expected at most ${max} keys, got ${entries.length}`);
  const genes: Gene[] = [];
  let ok = true;
  for (const entry of entries) {
    const segments = readPath(reader, entry.keyField, entry.key);
    const domain = readDomain(reader, entry.value, entry.key, ranges);
    if (segments === null || domain === null) { ok = false; continue; }
    const clash = genes.find((other) => overlaps(other.segments, segments));
    if (clash) { reader.fail(entry.keyField, `${entry.key} overlaps ${clash.path}: give each path once`); ok = false; continue; }
    genes.push({ path: entry.key, segments, domain, keyPlace: place(entry.keyField) });
  }
  return ok ? genes : null;
}

function readDomain(reader: SpecReader, field: Field, key: string, ranges: boolean): GeneDomain | null {
  if (isSeq(field.node)) {
    const values = readChoices(reader, field, key);
    return values === null ? null : { kind: 'choices', values };
  }
  if (ranges && isMap(field.node)) {
    const fields = reader.fields(field, ['from', 'to'], ['from', 'to'], `a range like { from: 1, to: 8 } or { from: 1ms, to: 16ms }`);
    if (fields === null || !fields.from || !fields.to) return null;
    const from = rangeEnd(reader, fields.from), to = rangeEnd(reader, fields.to);
    if (from === null || to === null) return null;
    if (from.unit !== to.unit) return reader.fail(fields.to, `expected ${from.unit === 'integer' ? 'an integer' : 'a duration'}, like from`);
    if (to.value < from.value) return reader.fail(fields.to, `expected to >= from (${from.text})`);
    const step = from.unit === 'duration' && from.value % 1000 === 0 && to.value % 1000 === 0 ? 1000 : 1;
    return { kind: 'range', unit: from.unit, from: from.value, to: to.value, step, fromPlace: place(fields.from), toPlace: place(fields.to) };
  }
  return reader.fail(field, ranges ? `expected the values of ${key}: a list of choices like [1, 2, 4] or a range like { from: 1, to: 8 }` : `expected the values of ${key}: a list of choices like [100us, 20us]`);
}

function readChoices(reader: SpecReader, field: Field, key: string): { value: PlanValue; place: PlanPlace }[] | null {
  const items = reader.items(field, `a list of values for ${key}`);
  if (items === null) return null;
  if (items.length === 0 || items.length > GENE_CHOICES_MAX) return reader.fail(field, `expected 1 to ${GENE_CHOICES_MAX} choices, got ${items.length}`);
  const values: { value: PlanValue; place: PlanPlace }[] = [];
  const seen = new Set<string>();
  let ok = true;
  for (const item of items) {
    const value = planValue(reader, item);
    if (value === undefined) { ok = false; continue; }
    const text = JSON.stringify(value);
    if (seen.has(text)) { reader.fail(item, `${text} is listed twice for ${key}`); ok = false; continue; }
    seen.add(text);
    values.push({ value, place: place(item) });
  }
  return ok ? values : null;
}

function rangeEnd(reader: SpecReader, field: Field): { unit: 'integer' | 'duration'; value: number; text: string } | null {
  const value = reader.scalarValue(field);
  if (typeof value === 'number') {
    const integer = reader.integer(field, -1_000_000_000, 1_000_000_000, 'an integer or a duration like 1ms');
    return integer === null ? null : { unit: 'integer', value: integer, text: String(integer) };
  }
  const ticks = typeof value === 'string' ? parseDuration(value) : null;
  if (ticks === null || ticks > DURATION_TICKS_MAX) return reader.fail(field, `expected an integer or a duration like 1ms (at most ${DURATION_TICKS_MAX}us)`);
  return { unit: 'duration', value: ticks, text: String(value) };
}

function readSpan(reader: SpecReader, field: Field): TickSpan | null {
  const range = reader.tickRange(field, DURATION_TICKS_MAX);
  if (range === null) return null;
  const step = range.minTicks % 1000 === 0 && range.maxTicks % 1000 === 0 ? 1000 : 1;
  return { from: range.minTicks, to: range.maxTicks, step };
}

function readRed(reader: SpecReader, field: Field): RedPlan | null {
  const fields = reader.fields(field, RED_KEYS, [], 'the red genome: { budget: 2, faults: [crash, partition], at: 20ms..200ms, lasting: 10ms..100ms }');
  if (fields === null) return null;
  const count = (key: 'suite' | 'forge' | 'add' | 'suite-max' | 'budget', min: number, max: number, fallback: number, what: string) =>
    fields[key] ? reader.integer(fields[key]!, min, max, `${what}: an integer from ${min} to ${max}`) : fallback;
  const suite = count('suite', 0, SUITE_MAX - 1, 2, 'random tests to start the suite with');
  const forge = count('forge', 1, FORGE_MAX, 6, 'candidates forged per generation');
  const add = count('add', 1, FORGE_MAX, 2, 'tests added per generation at most');
  const suiteMax = count('suite-max', 1, SUITE_MAX, 16, 'tests in the suite at most');
  const budget = count('budget', 1, BUDGET_MAX, 2, 'faults per test at most');
  let faults: RedFaultKind[] | null = [...RED_FAULT_KINDS];
  if (fields.faults) {
    const items = reader.items(fields.faults, 'a list of fault kinds like [crash, partition]');
    faults = items === null ? null : [];
    for (const item of items ?? []) {
      const kind = reader.oneOf(item, RED_FAULT_KINDS);
      if (kind === null) faults = null;
      else if (faults && !faults.includes(kind)) faults.push(kind);
    }
    if (faults && faults.length === 0) faults = reader.fail(fields.faults, 'expected at least one fault kind: crash or partition');
  }
  let nodes: string[] | null = null;
  if (fields.nodes) {
    const items = reader.items(fields.nodes, 'a list of node names like [n1, n2]');
    nodes = [];
    for (const item of items ?? []) {
      const name = reader.string(item, 16, 'a node name like n1');
      if (name !== null && !nodes.includes(name)) nodes.push(name);
    }
    if (items === null || nodes.length !== items.length) nodes = null;
    else if (nodes.length === 0) nodes = reader.fail(fields.nodes, 'expected at least one node');
  }
  const at = fields.at ? readSpan(reader, fields.at) : { from: 0, to: 100_000, step: 1000 };
  const lasting = fields.lasting ? readSpan(reader, fields.lasting) : null;
  let loss: { value: PlanValue; place: PlanPlace }[] | null = [];
  if (fields.loss) {
    loss = isSeq(fields.loss.node) ? readChoices(reader, fields.loss, 'red.loss') : reader.fail(fields.loss, 'expected cluster.loss choices: a list of probabilities like [0, 1%, 5%]');
    for (const item of (loss ? reader.items(fields.loss) : null) ?? []) if (reader.probability(item) === null) loss = null;
  }
  const load = fields.load ? readGenes(reader, fields.load, false, LOAD_KEYS_MAX) : [];
  if (suite !== null && suiteMax !== null && suite + 1 > suiteMax) reader.fail(fields.suite ?? field, `the suite starts with ${suite + 1} tests (the calm one and ${suite} random), more than suite-max ${suiteMax}`);
  if (add !== null && forge !== null && add > forge) reader.fail(fields.add ?? fields.forge ?? field, `add (${add}) is more than forge (${forge}): only forged tests can be added`);
  for (const key of ['at', 'lasting'] as const) {
    const node = fields[key]?.node;
    if (node && isScalar(node) && typeof node.value === 'number') reader.fail(fields[key]!, `expected a duration or a range like 20ms..200ms (a unit is required)`);
  }
  if (suite === null || forge === null || add === null || suiteMax === null || budget === null || faults === null || (fields.nodes && nodes === null) || at === null || (fields.lasting && lasting === null) || loss === null || load === null) return null;
  return { suite, forge, add, suiteMax, budget, faults, nodes, nodesPlace: fields.nodes ? place(fields.nodes) : null, at, lasting, loss, load };
}
