// spec/: spec text (YAML or JSON) -> a validated, typed Spec with line:column errors.
// The Spec types (types.ts) are the contract with the kernel. Imports only `yaml`.
export { parseSpec, formatSpecError, KERNEL_DEFAULTS, CLUSTER_DEFAULTS, RESTART_DEFAULTS, CHANNEL_CAPACITY_DEFAULT, TOP_LEVEL_KEYS } from './parse';
export { BEHAVIOURS, BEHAVIOUR_NAMES, findBehaviour, type Behaviour, type ArgSpec, type ArgType } from './behaviours';
export { STEP_KINDS, CRDT_OPS, PLACEHOLDERS, SEND_SIZE_DEFAULT_BYTES, countSteps, nestingDepth } from './program';
export { parseSize, parseDuration, parseTickRange, parseRate, parseProbabilityPpm, formatSize, formatDuration, formatRate, formatProbabilityPpm } from './units';
export * from './limits';
export * from './types';
// The names the parser validates with; the words about them (reference.ts) are for the UI, which
// imports them from there on demand: re-exported here, they would be in the kernel worker.
export { keysOf, requiredKeysOf, type SectionId } from './keys';
export { STARTER_SPEC } from './starter';
