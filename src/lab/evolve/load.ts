// loadEvolution: an evolve plan's text -> an Evolution ready to run, or every error at its
// line:column (or the spec file's, naming it). The spec is found as an experiment's is; every
// gene and load path is walked through the spec (unknown parts get a "did you mean" over whole
// paths, as in sweeps); every value a gene or red may set is put into the spec and checked by the
// spec parser; red's nodes must be the spec's; the score must compile against the spec. Nothing
// runs until all of that holds.
import { parseDocument } from 'yaml';
import { compileExpression, ExprError } from '../../expr/index';
import { exprContext } from '../../kernel/spec-checks';
import { FAULTS_MAX } from '../../spec/limits';
import { parseSpec } from '../../spec/parse';
import { didYouMean } from '../../spec/reader';
import type { Spec } from '../../spec/types';
import { checkPath, PlanErrors, resolveSpecText, withOverrides, type LoadOptions } from '../experiment';
import type { Override, PlanError, PlanPlace, PlanValue } from '../plan';
import { CALM_TEST, redOverrides, type RedFault } from './genome';
import { EVOLVE_TRIALS_MAX } from './limits';
import { readEvolvePlan, type EvolvePlan, type Gene } from './plan';

export interface Evolution {
  readonly plan: EvolvePlan;
  /** The spec as the plan names it. */
  readonly specText: string;
  readonly spec: Spec;
  /** The spec's own cluster.faults (red's come after them). */
  readonly baseFaults: readonly PlanValue[];
  /** The nodes red may crash or cut off. */
  readonly redNodes: readonly string[];
}

export type LoadEvolutionResult = { ok: true; evolution: Evolution } | { ok: false; errors: PlanError[] };

export async function loadEvolution(text: string, options: LoadOptions = {}): Promise<LoadEvolutionResult> {
  const read = readEvolvePlan(text);
  if (!read.ok) return read;
  const { plan, lines } = read;
  const errors = PlanErrors.inText(text, lines);
  const specText = await resolveSpecText(plan, options, errors);
  if (specText === null) return { ok: false, errors: errors.list };
  const parsed = parseSpec(specText);
  if (!parsed.ok) return { ok: false, errors: errors.list };
  const spec = parsed.spec;
  const document = parseDocument(specText, { keepSourceTokens: false, uniqueKeys: true, version: '1.2' });

  let pathsOk = true;
  for (const gene of [...plan.blue.genes, ...plan.red.load]) pathsOk = checkPath(document, gene.segments, gene.path, gene.keyPlace, errors) && pathsOk;
  if (pathsOk) {
    for (const gene of plan.blue.genes) checkGeneValues(document, gene, errors);
    for (const gene of plan.red.load) checkGeneValues(document, gene, errors);
    for (const choice of plan.red.loss) checkValue(document, { path: 'cluster.loss', segments: ['cluster', 'loss'], value: choice.value, keyPlace: choice.place, valuePlace: choice.place }, errors);
  }

  const nodeNames = Array.from({ length: spec.cluster.nodeCount }, (_, index) => `n${index}`);
  const redNodes = plan.red.nodes ?? nodeNames;
  for (const node of plan.red.nodes ?? []) {
    if (!nodeNames.includes(node)) errors.at(plan.red.nodesPlace!, `red.nodes names "${node}", which the spec does not have${didYouMean(node, nodeNames)}; its nodes are ${nodeNames.join(', ')}`, 'red.nodes');
  }
  if (plan.red.faults.includes('partition') && spec.cluster.nodeCount < 2) errors.at(plan.redPlace, `red may partition, but the spec has one node: give it cluster.nodes of 2 or more, or red.faults: [crash]`, 'red.faults');
  const baseFaults = (document.getIn(['cluster', 'faults']) as { toJSON?: () => unknown } | undefined)?.toJSON?.() as PlanValue[] | undefined ?? [];
  if (baseFaults.length + 2 * plan.red.budget > FAULTS_MAX) errors.at(plan.redPlace, `the spec's ${baseFaults.length} faults and red's budget of ${plan.red.budget} (each with its recovery) pass the ${FAULTS_MAX} faults a spec may have`, 'red.budget');

  // One test with every kind of fault red may use, at both ends of its spans, must be a spec.
  if (errors.list.length === 0) {
    const faults: RedFault[] = [];
    for (const kind of plan.red.faults) {
      faults.push({ kind, node: redNodes[0], atTicks: plan.red.at.from, lastingTicks: plan.red.lasting?.from ?? null });
      faults.push({ kind, node: redNodes[redNodes.length - 1], atTicks: plan.red.at.to, lastingTicks: plan.red.lasting?.to ?? null });
    }
    const overrides = redOverrides({ ...CALM_TEST, faults: faults.slice(0, Math.max(1, plan.red.budget)) }, baseFaults);
    const sample = parseSpec(withOverrides(document, Object.entries(overrides).map(([path, value]) => override(path, value, plan.redPlace))));
    if (!sample.ok) for (const error of sample.errors) errors.at(plan.redPlace, `a red test makes the spec invalid: ${error.path === '' ? '' : `${error.path}: `}${error.message}`, 'red');
  }

  try {
    compileExpression(plan.score.expr, exprContext(spec), 'value');
  } catch (error) {
    if (!(error instanceof ExprError)) throw error;
    errors.at({ path: 'score', offset: plan.score.exprOffset + error.offset }, error.description);
  }
  if (errors.list.length === 0) {
    const trials = worstCaseTrials(plan, plan.generations);
    if (trials > EVOLVE_TRIALS_MAX) errors.at(plan.generationsPlace ?? plan.bluePlace, `${plan.generations} generations may need ${trials} trials, more than ${EVOLVE_TRIALS_MAX}: fewer generations, a smaller pool or suite, or fewer seeds`, 'generations');
  }
  return errors.list.length === 0 ? { ok: true, evolution: { plan, specText, spec, baseFaults, redNodes } } : { ok: false, errors: errors.list };
}

/** Trials a run of `generations` may need at worst: every generation evaluates the pool against a full suite and the champion against every forged test; at the end every champion meets the final suite. */
export function worstCaseTrials(plan: EvolvePlan, generations: number): number {
  return generations * (plan.blue.pool * plan.red.suiteMax + plan.red.forge + plan.red.suiteMax) * plan.seeds.length;
}

function override(path: string, value: PlanValue, at: PlanPlace): Override {
  return { path, segments: path.split('.'), value, keyPlace: at, valuePlace: at };
}

function checkGeneValues(document: ReturnType<typeof parseDocument>, gene: Gene, errors: PlanErrors): void {
  const domain = gene.domain;
  if (domain.kind === 'choices') {
    for (const choice of domain.values) checkValue(document, { path: gene.path, segments: gene.segments, value: choice.value, keyPlace: gene.keyPlace, valuePlace: choice.place }, errors);
    return;
  }
  const format = (n: number): PlanValue => (domain.unit === 'integer' ? n : `${n}us`);
  checkValue(document, { path: gene.path, segments: gene.segments, value: format(domain.from), keyPlace: gene.keyPlace, valuePlace: domain.fromPlace }, errors);
  if (domain.to !== domain.from) checkValue(document, { path: gene.path, segments: gene.segments, value: format(domain.to), keyPlace: gene.keyPlace, valuePlace: domain.toPlace }, errors);
}

/** One value put into the spec on its own: the spec parser must take it. */
function checkValue(document: ReturnType<typeof parseDocument>, one: Override, errors: PlanErrors): boolean {
  const parsed = parseSpec(withOverrides(document, [one]));
  if (parsed.ok) return true;
  for (const error of parsed.errors) errors.at(one.valuePlace, `${one.path}=${JSON.stringify(one.value)} makes the spec invalid: ${error.path === '' ? '' : `${error.path}: `}${error.message}`);
  return false;
}
