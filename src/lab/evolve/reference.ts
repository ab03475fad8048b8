// The evolve plan's keys in words, for the Evolve view's reference and the README. Pure data; the
// reader's key lists (plan.ts) are the ones checked here by tests/unit/evolve-plan.test.ts.
export interface EvolveKeyRef {
  readonly key: string;
  readonly doc: string;
}

export const EVOLVE_REFERENCE: readonly EvolveKeyRef[] = [
  { key: 'agentos-evolve', doc: 'The format version, 1 (required).' },
  { key: 'name', doc: 'A title for the run and its hall of fame.' },
  { key: 'description', doc: 'Free text.' },
  { key: 'spec', doc: 'The base spec: a file beside the plan (in the browser: an example), an inline `spec: |` text, or a share link (required).' },
  { key: 'seeds', doc: 'The seeds every evaluation runs (a count N: 1..N, or a list); a genome\'s score against a test is the mean over them (default 1; at most 16).' },
  { key: 'stop', doc: 'Where each trial stops: { events: N } or { ticks: 300ms } (required).' },
  { key: 'seed', doc: 'Seeds the loop\'s PRNG: selection, crossover, mutation, forging (default 1). The same plan and seed give the same hall of fame.' },
  { key: 'generations', doc: 'Generations to run (default 5, at most 200); the CLI\'s --generations overrides it.' },
  { key: 'score', doc: 'An expression (the expression language) evaluated at each trial\'s stop; higher is better (required).' },
  { key: 'pass', doc: 'A genome fails a red test when its score against it is below this number (required).' },
  { key: 'blue.pool', doc: 'Blue genomes per generation, 2..32 (default 6). The champion is kept (elitism); the rest are children of tournament-selected parents.' },
  { key: 'blue.genes', doc: 'Dotted paths into the spec (as an experiment\'s overrides: agents.<name>.replicas, agents.<name>.restart, agents.<name>.priority, kernel.scheduler, supervisors.<name>.intensity, ...), each with a list of choices [1, 2, 4] or a range { from: 1, to: 8 } (integers or durations). Every value is checked in the spec before anything runs (required, at most 32).' },
  { key: 'red.suite', doc: 'Random tests the suite starts with, beside the calm test r0 that has no fault (default 2).' },
  { key: 'red.forge', doc: 'Candidates forged against each champion: mostly mutations of the tests it does worst on, some fresh (default 6, at most 64).' },
  { key: 'red.add', doc: 'Of the candidates that make the champion fail, the most damaging join the suite, at most this many per generation (default 2).' },
  { key: 'red.suite-max', doc: 'Tests in the suite at most (default 16, at most 64); past it the easiest old tests go (never the calm one).' },
  { key: 'red.budget', doc: 'Faults per test at most, each a crash or a partition with its recover / heal (default 2, at most 16).' },
  { key: 'red.faults', doc: 'The fault kinds red may use: [crash, partition] (the spec\'s cluster.faults; default both).' },
  { key: 'red.nodes', doc: 'The nodes red may crash or cut off (default every node of the spec).' },
  { key: 'red.at', doc: 'When a fault starts: a duration or a range like 20ms..200ms (default 0ms..100ms).' },
  { key: 'red.lasting', doc: 'How long it lasts before its recover / heal: a range like 10ms..100ms (default: to the end of the run).' },
  { key: 'red.loss', doc: 'cluster.loss choices red may set: [0, 1%, 5%] (default: the spec\'s own).' },
  { key: 'red.load', doc: 'Load spikes: dotted paths with choices red may set, like { agents.source.args.every: [100us, 20us] } (at most 8).' },
];
