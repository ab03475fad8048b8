// lab/: experiments — plans, trials, the trial runner, statistics (no UI, no node: imports; the
// browser's worker pool and the CLI both use it). May import spec/, kernel/, expr/, share/. See README.md.
export { readPlan, formatPlanError, PLAN_FORMAT, PLAN_KEYS, BASE_VARIANT, type Plan, type PlanError, type PlanValue, type Variant, type GridAxis, type MetricDef, type Objective, type Stop, type SpecSource, type Override } from './plan';
export { loadExperiment, trialAt, parseShard, shardTrials, type Experiment, type Configuration, type Trial, type Shard, type LoadOptions, type LoadExperimentResult } from './experiment';
export { TrialRunner, formatTrialLine, LINK_BASE_DEFAULT, type TrialLine, type RunOptions, type Slices } from './trial';
export * from './limits';
export { summarize, bootstrapDifference, describeDifference, groupByConfiguration, groupByVariant, rankByObjective, paretoFront, metricNames, valuesOf, formatNumber, type Summary, type Difference, type Group, type Ranked } from './stats';
export { parseTrialLines, mergeTrialLines, TrialLinesError } from './lines';
export { buildReport, reportMarkdown, reportHtml, type Report, type ReportOptions } from './report';
export { mannWhitney, describeRankTest, normalCdf, formatP, type RankTest } from './rank-test';
