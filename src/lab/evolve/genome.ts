// The two genomes and what the loop does to them, all drawn from one seeded PRNG (never
// Math.random), so the same plan and seed breed the same genomes in the same order.
// - Blue: one value per gene (a choice, or a whole number / duration of a range): random,
//   uniform crossover of two parents, mutation of genes (a neighbouring choice or a small step,
//   sometimes a fresh draw). As overrides: the gene paths, like an experiment's `set`.
// - Red: a fault schedule within the budget (each fault a crash or a partition of one node at
//   a time, lasting a while before its recover / heal), a cluster.loss choice and load choices.
//   Mutation shifts, retargets, re-kinds, adds or removes a fault, or changes the loss or load.
//   As overrides: cluster.faults (the spec's own faults first, then red's, by time), cluster.loss
//   and the load paths.
import { formatDuration } from '../../spec/units';
import type { PlanValue } from '../plan';
import type { Gene, GeneDomain, RedFaultKind, RedPlan, TickSpan } from './plan';

export type Random = () => number;

/** A gene's value by path, in the plan's gene order. */
export type Genes = Record<string, PlanValue>;

export interface BlueGenome {
  /** b0, b1, ... in the order they were bred. */
  readonly id: string;
  readonly genes: Genes;
  /** The genomes it was bred from (none for a random one). */
  readonly parents: readonly string[];
}

export interface RedFault {
  readonly kind: RedFaultKind;
  readonly node: string;
  readonly atTicks: number;
  /** Ticks until its recover / heal; null: it lasts to the end of the run. */
  readonly lastingTicks: number | null;
}

export interface RedTest {
  /** r0 (the calm test: no fault), r1, ... in the order they were forged. */
  readonly id: string;
  readonly faults: readonly RedFault[];
  /** cluster.loss as written in the plan's choices; null: the spec's own. */
  readonly loss: PlanValue | null;
  readonly load: Genes;
  /** The test it was forged from (null: drawn at random, or the calm test). */
  readonly parent: string | null;
}

export const blueKey = (genome: Pick<BlueGenome, 'genes'>): string => JSON.stringify(genome.genes);
export const redKey = (test: Pick<RedTest, 'faults' | 'loss' | 'load'>): string => JSON.stringify([test.faults, test.loss, test.load]);

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.min(list.length - 1, Math.floor(random() * list.length))];
const integerIn = (random: Random, from: number, to: number): number => from + Math.min(to - from, Math.floor(random() * (to - from + 1)));

/** A value of the domain drawn uniformly. */
export function randomValue(random: Random, domain: GeneDomain): PlanValue {
  if (domain.kind === 'choices') return pick(random, domain.values).value;
  const steps = Math.floor((domain.to - domain.from) / domain.step);
  return rangeValue(domain, domain.from + integerIn(random, 0, steps) * domain.step);
}

const rangeValue = (domain: Extract<GeneDomain, { kind: 'range' }>, n: number): PlanValue => (domain.unit === 'integer' ? n : formatDuration(n));

/** Where a value sits in its domain (a choice's index, or the range's number), -1 if it is not in it. */
function positionOf(domain: GeneDomain, value: PlanValue): number {
  if (domain.kind === 'choices') return domain.values.findIndex((choice) => JSON.stringify(choice.value) === JSON.stringify(value));
  if (domain.unit === 'integer') return typeof value === 'number' ? value : -1;
  const match = typeof value === 'string' ? /^(\d+)(us|ms|s)$/.exec(value) : null;
  return match ? Number(match[1]) * (match[2] === 's' ? 1_000_000 : match[2] === 'ms' ? 1000 : 1) : -1;
}

/** A mutated value: usually a neighbour (the next choice, a step or a few), sometimes a fresh draw; differs from `value` when the domain allows. */
export function mutateValue(random: Random, domain: GeneDomain, value: PlanValue): PlanValue {
  const size = domain.kind === 'choices' ? domain.values.length : Math.floor((domain.to - domain.from) / domain.step) + 1;
  if (size <= 1) return value;
  const here = positionOf(domain, value);
  if (random() < 0.3 || here < 0) {
    for (let attempt = 0; attempt < 8; attempt++) {
      const drawn = randomValue(random, domain);
      if (JSON.stringify(drawn) !== JSON.stringify(value)) return drawn;
    }
  }
  if (domain.kind === 'choices') {
    const next = here + (random() < 0.5 ? -1 : 1);
    return domain.values[next < 0 ? 1 : next >= size ? size - 2 : next].value;
  }
  const reach = Math.max(1, Math.floor(size / 8));
  const delta = integerIn(random, 1, reach) * domain.step * (random() < 0.5 ? -1 : 1);
  let n = here + delta;
  if (n < domain.from || n > domain.to) n = here - delta;
  return rangeValue(domain, Math.max(domain.from, Math.min(domain.to, n)));
}

// --- Blue ---------------------------------------------------------------------------------------

export function randomBlue(random: Random, genes: readonly Gene[], id: string): BlueGenome {
  const values: Genes = {};
  for (const gene of genes) values[gene.path] = randomValue(random, gene.domain);
  return { id, genes: values, parents: [] };
}

/** Uniform crossover of two parents, then each gene mutated with probability 1/genes (at least one gene changes from the first parent). */
export function breedBlue(random: Random, genes: readonly Gene[], a: BlueGenome, b: BlueGenome, id: string): BlueGenome {
  const values: Genes = {};
  for (const gene of genes) values[gene.path] = random() < 0.5 ? a.genes[gene.path] : b.genes[gene.path];
  let changed = false;
  for (const gene of genes) {
    if (random() < 1 / genes.length) {
      values[gene.path] = mutateValue(random, gene.domain, values[gene.path]);
      changed = true;
    }
  }
  if (!changed || blueKey({ genes: values }) === blueKey(a)) {
    const gene = pick(random, genes);
    values[gene.path] = mutateValue(random, gene.domain, values[gene.path]);
  }
  return { id, genes: values, parents: a.id === b.id ? [a.id] : [a.id, b.id] };
}

export function blueOverrides(genome: BlueGenome): Record<string, PlanValue> {
  return { ...genome.genes };
}

// --- Red ----------------------------------------------------------------------------------------

export const CALM_TEST: RedTest = { id: 'r0', faults: [], loss: null, load: {}, parent: null };

const spanValue = (random: Random, span: TickSpan): number => span.from + integerIn(random, 0, Math.floor((span.to - span.from) / span.step)) * span.step;

function randomFault(random: Random, red: RedPlan, nodes: readonly string[]): RedFault {
  return { kind: pick(random, red.faults), node: pick(random, nodes), atTicks: spanValue(random, red.at), lastingTicks: red.lasting ? spanValue(random, red.lasting) : null };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byTime = (faults: RedFault[]): RedFault[] => faults.sort((a, b) => a.atTicks - b.atTicks || compare(a.node, b.node) || compare(a.kind, b.kind));

export function randomRed(random: Random, red: RedPlan, nodes: readonly string[], id: string): RedTest {
  const count = integerIn(random, 1, red.budget);
  const faults: RedFault[] = [];
  for (let index = 0; index < count; index++) faults.push(randomFault(random, red, nodes));
  const load: Genes = {};
  for (const gene of red.load) load[gene.path] = randomValue(random, gene.domain);
  return { id, faults: byTime(faults), loss: red.loss.length > 0 ? pick(random, red.loss).value : null, load, parent: null };
}

/** One change to a test: a fault shifted, retargeted, re-kinded, lengthened, added or removed, or the loss or a load changed. */
export function mutateRed(random: Random, red: RedPlan, nodes: readonly string[], parent: RedTest, id: string): RedTest {
  const faults = [...parent.faults];
  let loss = parent.loss;
  const load: Genes = { ...parent.load };
  const operations: string[] = ['shift', 'node', 'add', 'remove'];
  if (red.faults.length > 1) operations.push('kind');
  if (red.lasting) operations.push('lasting');
  if (red.loss.length > 1) operations.push('loss');
  if (red.load.length > 0) operations.push('load');
  const operation = pick(random, operations);
  const index = faults.length > 0 ? integerIn(random, 0, faults.length - 1) : -1;
  const at = faults[index];
  if (operation === 'add' || at === undefined) {
    if (faults.length < red.budget) faults.push(randomFault(random, red, nodes));
    else faults[integerIn(random, 0, faults.length - 1)] = randomFault(random, red, nodes);
  } else if (operation === 'remove' && faults.length > 1) {
    faults.splice(index, 1);
  } else if (operation === 'shift' || operation === 'remove') {
    const reach = Math.max(red.at.step, Math.floor((red.at.to - red.at.from) / 4 / red.at.step) * red.at.step);
    const delta = integerIn(random, 1, Math.max(1, Math.floor(reach / red.at.step))) * red.at.step * (random() < 0.5 ? -1 : 1);
    faults[index] = { ...at, atTicks: Math.max(red.at.from, Math.min(red.at.to, at.atTicks + delta)) };
  } else if (operation === 'node') {
    faults[index] = { ...at, node: nodes.length > 1 ? pick(random, nodes.filter((node) => node !== at.node)) : at.node };
  } else if (operation === 'kind') {
    faults[index] = { ...at, kind: pick(random, red.faults.filter((kind) => kind !== at.kind)) };
  } else if (operation === 'lasting' && red.lasting) {
    faults[index] = { ...at, lastingTicks: spanValue(random, red.lasting) };
  } else if (operation === 'loss') {
    loss = pick(random, red.loss.filter((choice) => JSON.stringify(choice.value) !== JSON.stringify(loss))).value;
  } else if (operation === 'load') {
    const gene = pick(random, red.load);
    load[gene.path] = mutateValue(random, gene.domain, load[gene.path]);
  }
  return { id, faults: byTime(faults), loss, load, parent: parent.id };
}

/** A fault as the spec writes it, and its end (recover / heal) when it has one. */
function faultItems(fault: RedFault): PlanValue[] {
  const at = formatDuration(fault.atTicks);
  const items: PlanValue[] = fault.kind === 'crash' ? [{ at, crash: fault.node }] : [{ at, partition: [[fault.node]] }];
  if (fault.lastingTicks !== null) {
    const end = formatDuration(fault.atTicks + fault.lastingTicks);
    items.push(fault.kind === 'crash' ? { at: end, recover: fault.node } : { at: end, heal: 'all' });
  }
  return items;
}

/** The test as overrides of the spec: nothing for the calm test. `baseFaults`: the spec's own cluster.faults. */
export function redOverrides(test: RedTest, baseFaults: readonly PlanValue[]): Record<string, PlanValue> {
  const overrides: Record<string, PlanValue> = {};
  if (test.faults.length > 0) overrides['cluster.faults'] = [...baseFaults, ...test.faults.flatMap(faultItems)];
  if (test.loss !== null) overrides['cluster.loss'] = test.loss;
  Object.assign(overrides, test.load);
  return overrides;
}

/** A test in words: "crash n1 at 50ms for 20ms, partition n2 at 80ms; loss 1%; agents.source.args.every=20us". */
export function describeRed(test: RedTest): string {
  if (test.faults.length === 0 && test.loss === null && Object.keys(test.load).length === 0) return 'calm: no fault';
  const parts = [test.faults.map((fault) => `${fault.kind} ${fault.node} at ${formatDuration(fault.atTicks)}${fault.lastingTicks === null ? '' : ` for ${formatDuration(fault.lastingTicks)}`}`).join(', ')];
  if (test.loss !== null) parts.push(`loss ${String(test.loss)}`);
  for (const [path, value] of Object.entries(test.load)) parts.push(`${path}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return parts.filter(Boolean).join('; ');
}
