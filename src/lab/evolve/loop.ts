// The loop (seed 003's GASI: generate, evaluate, adversarial, hardening), seeded and
// deterministic: one PRNG (mulberry32, seeded by the plan's `seed`) draws every choice, pools and
// suites are arrays walked in order, and scores come from trial lines, which depend only on the
// plan. So the same plan, seed and generations give the same hall of fame, byte for byte,
// whoever ran the trials (this process, --jobs children, the browser's workers).
//
// A generation:
//  1. evaluate every blue genome of the pool against every red test of the suite (each pair on
//     every seed; a pair seen before is not run again), score = the mean of the plan's score;
//  2. crown the champion: the best mean score over the suite (a tie keeps the earlier genome,
//     so the last champion, first in the pool, keeps its crown unless beaten);
//  3. forge red candidates against it: mostly mutations of the suite tests it does worst on
//     (tournament selection), some fresh; run the champion against them; those it fails (score
//     below `pass`) join the suite, the most damaging first, at most `add`; past `suite-max` the
//     suite drops its easiest old tests (never the calm one);
//  4. harden: the next pool is the champion (elitism), children of tournament-selected parents
//     (uniform crossover and mutation) and one random immigrant, none twice.
import { seededRandom } from '../stats';
import type { TrialLine } from '../trial';
import { batchPlanText, SCORE_METRIC, type Evaluator, type Pair } from './batch';
import {
  blueKey, breedBlue, CALM_TEST, describeRed, mutateRed, randomBlue, randomRed, redKey,
  type BlueGenome, type Genes, type Random, type RedTest,
} from './genome';
import { formatDuration } from '../../spec/units';
import type { PlanValue } from '../plan';
import { BATCH_PAIRS_MAX, BREED_ATTEMPTS_MAX, EVOLVE_TRIALS_MAX, GENERATIONS_MAX } from './limits';
import { worstCaseTrials, type Evolution } from './load';

export const HALL_FORMAT = 'agentos-hall-of-fame';
export const HALL_VERSION = 1;

/** A red test as the hall writes it. */
export interface HallTest {
  readonly id: string;
  readonly words: string;
  readonly faults: readonly { readonly kind: string; readonly node: string; readonly at: string; readonly lasting: string | null }[];
  readonly loss: PlanValue | null;
  readonly load: Genes;
  readonly parent: string | null;
  /** The generation's champion's score against it (the mean over the seeds). */
  readonly score: number;
  /** True for a test forged against this champion in this generation (it joins the suite). */
  readonly forged: boolean;
  /** Replays the champion against this test (the first seed), at its stop point. */
  readonly link: string;
}

export interface HallEntry {
  readonly generation: number;
  readonly champion: {
    readonly id: string;
    readonly genes: Genes;
    readonly parents: readonly string[];
    /** Its mean score over the suite of this generation. */
    readonly score: number;
    /** Suite tests it passed, of how many. */
    readonly passed: number;
    readonly tests: number;
    /** Replays it against the calm test (the first seed). */
    readonly link: string;
  };
  /** Every genome of the pool with its mean score over the suite, in pool order. */
  readonly pool: readonly { readonly id: string; readonly score: number }[];
  /** The suite the pool met: its size and difficulty (per mille of the pool's genomes its tests defeat, on average). */
  readonly suite: { readonly size: number; readonly difficulty: number };
  /** Suite tests the champion passed. */
  readonly defeated: readonly HallTest[];
  /** Suite tests it failed, then the tests forged against it that it failed (forged: true). */
  readonly defeatedBy: readonly HallTest[];
  /** Candidates forged this generation, and how many made the champion fail. */
  readonly forge: { readonly candidates: number; readonly effective: number };
}

export interface Hall {
  readonly format: typeof HALL_FORMAT;
  readonly version: typeof HALL_VERSION;
  readonly name: string;
  readonly seed: number;
  readonly generations: number;
  readonly score: string;
  readonly pass: number;
  readonly seeds: readonly number[];
  readonly entries: HallEntry[];
  /**
   * Every generation's champion against the final suite (every test that joined it, as the last
   * generation left it): the hall-of-fame measure of progress (Rosin & Belew), one score per
   * generation, comparable across generations because the tests are the same.
   */
  final: { readonly suite: readonly string[]; readonly scores: readonly { readonly generation: number; readonly champion: string; readonly score: number; readonly passed: number }[] } | null;
}

export interface EvolveProgress {
  readonly generation: number;
  readonly generations: number;
  readonly phase: 'evaluate' | 'forge' | 'final';
  /** Trials run so far in this run (pairs seen before are not run again). */
  readonly trials: number;
}

export interface EvolveOptions {
  readonly generations?: number;
  readonly evaluator: Evaluator;
  /** After each generation, with the hall so far (after the last one, with its `final` scores too). */
  readonly onGeneration?: (entry: HallEntry, hall: Hall) => void | Promise<void>;
  readonly onProgress?: (progress: EvolveProgress) => void;
  /** Checked between batches: set `aborted` to stop (the run rejects with EvolveCancelled). */
  readonly signal?: { readonly aborted: boolean };
}

export class EvolveCancelled extends Error {
  constructor() {
    super('the evolution was cancelled');
    this.name = 'EvolveCancelled';
  }
}

interface Result {
  readonly scores: readonly number[];
  readonly mean: number;
  readonly link: string;
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;
const mean = (values: readonly number[]): number => (values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length);

/** Runs the loop for `generations` (default: the plan's) and returns the hall of fame. */
export async function runEvolution(evolution: Evolution, options: EvolveOptions): Promise<Hall> {
  const { plan } = evolution;
  const generations = options.generations ?? plan.generations;
  if (!Number.isSafeInteger(generations) || generations < 1 || generations > GENERATIONS_MAX) throw new RangeError(`expected 1 to ${GENERATIONS_MAX} generations, got ${generations}`);
  const worst = worstCaseTrials(plan, generations);
  if (worst > EVOLVE_TRIALS_MAX) throw new RangeError(`${generations} generations may need ${worst} trials, more than ${EVOLVE_TRIALS_MAX}`);
  const random = seededRandom(plan.seed);
  const { genes } = plan.blue;
  const red = plan.red;
  const seeds = plan.seeds.length;
  const cache = new Map<string, Result>();
  let trials = 0;
  let blueCount = 0, redCount = 1;
  const nextBlue = () => `b${blueCount++}`;
  const hall: Hall = { format: HALL_FORMAT, version: HALL_VERSION, name: plan.name, seed: plan.seed, generations, score: plan.score.expr, pass: plan.pass, seeds: [...plan.seeds], entries: [], final: null };

  const pairKey = (pair: Pair) => `${blueKey(pair.blue)}|${redKey(pair.red)}`;
  const result = (blue: BlueGenome, test: RedTest): Result => cache.get(pairKey({ blue, red: test }))!;
  const checkCancel = () => { if (options.signal?.aborted) throw new EvolveCancelled(); };

  const evaluate = async (pairs: readonly Pair[], generation: number, phase: EvolveProgress['phase']) => {
    const missing: Pair[] = [];
    const queued = new Set<string>();
    for (const pair of pairs) {
      const key = pairKey(pair);
      if (!cache.has(key) && !queued.has(key)) { queued.add(key); missing.push(pair); }
    }
    for (let start = 0; start < missing.length; start += BATCH_PAIRS_MAX) {
      checkCancel();
      options.onProgress?.({ generation, generations, phase, trials });
      const chunk = missing.slice(start, start + BATCH_PAIRS_MAX);
      const lines = await options.evaluator.run(batchPlanText(evolution, chunk), chunk.length * seeds);
      checkCancel();
      if (lines.length !== chunk.length * seeds) throw new Error(`an evaluation returned ${lines.length} lines, expected ${chunk.length * seeds}`);
      chunk.forEach((pair, index) => {
        const own: TrialLine[] = lines.slice(index * seeds, (index + 1) * seeds);
        const scores = own.map((line) => line.metrics[SCORE_METRIC]);
        if (scores.some((score) => typeof score !== 'number' || !Number.isFinite(score))) throw new Error(`the score of ${pair.blue.id} against ${pair.red.id} is not a number`);
        cache.set(pairKey(pair), { scores, mean: round3(mean(scores)), link: own[0].link });
      });
      trials += lines.length;
    }
    options.onProgress?.({ generation, generations, phase, trials });
  };

  // The first pool: random genomes, none twice.
  let pool: BlueGenome[] = fillPool([], plan.blue.pool, (seen) => unique(seen, () => randomBlue(random, genes, '')));
  let suite: RedTest[] = [CALM_TEST];
  const suiteKeys = () => new Set(suite.map(redKey));
  for (let index = 0; index < red.suite; index++) {
    const keys = suiteKeys();
    for (let attempt = 0; attempt < BREED_ATTEMPTS_MAX; attempt++) {
      const test = randomRed(random, red, evolution.redNodes, `r${redCount}`);
      if (!keys.has(redKey(test))) { redCount++; suite.push(test); break; }
    }
  }

  const champions: BlueGenome[] = [];
  for (let generation = 0; generation < generations; generation++) {
    // 1. Evaluate.
    await evaluate(pool.flatMap((blue) => suite.map((test) => ({ blue, red: test }))), generation, 'evaluate');
    const fitness = pool.map((blue) => round3(mean(suite.map((test) => result(blue, test).mean))));
    // 2. Crown.
    let best = 0;
    for (let index = 1; index < pool.length; index++) if (fitness[index] > fitness[best]) best = index;
    const champion = pool[best];
    champions.push(champion);
    const difficulty = suite.map((test) => Math.round((1000 * pool.filter((blue) => result(blue, test).mean < plan.pass).length) / pool.length));

    // 3. Forge red candidates against the champion.
    const order = suite.map((_, index) => index);
    const harder = (a: number, b: number) => (result(champion, suite[a]).mean <= result(champion, suite[b]).mean ? a : b);
    const candidates: RedTest[] = [];
    const seen = suiteKeys();
    for (let index = 0; index < red.forge; index++) {
      for (let attempt = 0; attempt < BREED_ATTEMPTS_MAX; attempt++) {
        const fresh = random() < 0.25;
        const parent = suite[harder(order[Math.floor(random() * order.length)], order[Math.floor(random() * order.length)])];
        const test = fresh ? randomRed(random, red, evolution.redNodes, `r${redCount}`) : mutateRed(random, red, evolution.redNodes, parent, `r${redCount}`);
        const key = redKey(test);
        if (seen.has(key)) continue;
        seen.add(key);
        redCount++;
        candidates.push(test);
        break;
      }
    }
    await evaluate(candidates.map((test) => ({ blue: champion, red: test })), generation, 'forge');
    const effective = candidates
      .map((test, index) => ({ test, index, score: result(champion, test).mean }))
      .filter((candidate) => candidate.score < plan.pass)
      .sort((a, b) => a.score - b.score || a.index - b.index)
      .slice(0, red.add)
      .map((candidate) => candidate.test);

    // The hall's entry.
    const hallTest = (test: RedTest, forged: boolean): HallTest => {
      const own = result(champion, test);
      return {
        id: test.id, words: describeRed(test),
        faults: test.faults.map((fault) => ({ kind: fault.kind, node: fault.node, at: formatDuration(fault.atTicks), lasting: fault.lastingTicks === null ? null : formatDuration(fault.lastingTicks) })),
        loss: test.loss, load: { ...test.load }, parent: test.parent, score: own.mean, forged, link: own.link,
      };
    };
    const passed = suite.filter((test) => result(champion, test).mean >= plan.pass);
    const entry: HallEntry = {
      generation,
      champion: { id: champion.id, genes: { ...champion.genes }, parents: [...champion.parents], score: fitness[best], passed: passed.length, tests: suite.length, link: result(champion, suite[0]).link },
      pool: pool.map((blue, index) => ({ id: blue.id, score: fitness[index] })),
      suite: { size: suite.length, difficulty: Math.round(mean(difficulty)) },
      defeated: passed.map((test) => hallTest(test, false)),
      defeatedBy: [...suite.filter((test) => result(champion, test).mean < plan.pass).map((test) => hallTest(test, false)), ...effective.map((test) => hallTest(test, true))],
      forge: { candidates: candidates.length, effective: effective.length },
    };
    hall.entries.push(entry);
    if (generation < generations - 1) await options.onGeneration?.(entry, hall);

    // The suite grows by the effective tests; past suite-max, the easiest old tests go (never the calm one).
    const grown = [...suite.map((test, index) => ({ test, difficulty: difficulty[index], index })), ...effective.map((test, index) => ({ test, difficulty: 1001, index: suite.length + index }))];
    while (grown.length > red.suiteMax) {
      let drop = -1;
      for (let index = 1; index < grown.length; index++) if (drop < 0 || grown[index].difficulty < grown[drop].difficulty) drop = index;
      grown.splice(drop, 1);
    }
    suite = grown.map((item) => item.test);
    if (generation === generations - 1) {
      // The hall-of-fame measure: every champion against the final suite.
      await evaluate(champions.flatMap((blue) => suite.map((test) => ({ blue, red: test }))), generation, 'final');
      hall.final = {
        suite: suite.map((test) => test.id),
        scores: champions.map((blue, index) => ({ generation: index, champion: blue.id, score: round3(mean(suite.map((test) => result(blue, test).mean))), passed: suite.filter((test) => result(blue, test).mean >= plan.pass).length })),
      };
      await options.onGeneration?.(entry, hall);
      break;
    }

    // 4. Harden: the champion, then children of tournament-selected parents.
    const tournament = () => {
      const a = Math.floor(random() * pool.length), b = Math.floor(random() * pool.length);
      return pool[fitness[a] > fitness[b] || (fitness[a] === fitness[b] && a <= b) ? a : b];
    };
    // The last place goes to a random immigrant (when the pool has three or more): the suite
    // changes under the pool, and a fresh genome keeps what the champion's lineage lost in play.
    const bred = fillPool([champion], plan.blue.pool - (plan.blue.pool >= 3 ? 1 : 0), (taken) => unique(taken, () => {
      const a = tournament(), b = tournament();
      return breedBlue(random, genes, a, b, '');
    }) ?? unique(taken, () => randomBlue(random, genes, '')));
    pool = fillPool(bred, plan.blue.pool, (taken) => unique(taken, () => randomBlue(random, genes, '')));
  }
  return hall;

  function unique(taken: Set<string>, make: () => BlueGenome): BlueGenome | undefined {
    for (let attempt = 0; attempt < BREED_ATTEMPTS_MAX; attempt++) {
      const genome = make();
      if (!taken.has(blueKey(genome))) return genome;
    }
    return undefined;
  }

  function fillPool(start: BlueGenome[], size: number, make: (taken: Set<string>) => BlueGenome | undefined): BlueGenome[] {
    const result = [...start];
    const taken = new Set(result.map(blueKey));
    while (result.length < size) {
      const genome = make(taken);
      if (!genome) break; // the genes allow no more distinct genomes
      taken.add(blueKey(genome));
      result.push({ ...genome, id: nextBlue() });
    }
    return result;
  }
}

/** The hall as a file: JSON, two-space indented, keys in a fixed order, a final newline. */
export function formatHall(hall: Hall): string {
  return `${JSON.stringify(hall, null, 2)}\n`;
}
