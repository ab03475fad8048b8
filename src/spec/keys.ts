// The spec format's names: every section's keys, in the order the parser lists them in errors,
// and those it requires; every step and the keys of its mapping form; every CRDT op and its
// arguments. The parser validates with these (parse.ts, supervisors.ts, program.ts) and
// experiments check override paths with them (lab/experiment.ts), so they are in the kernel
// worker the page starts at once: names only, no words. What each key means (type, default,
// values, doc, example) is in reference.ts, which the Reference panel and the editor's completion
// fetch on demand; it is built from these tables by key, and a key here without its words there
// (or there and not here) fails `npm run typecheck` and tests/unit/spec-reference-names.test.ts.
//
// To add a key: add its name here (and to `required` if the parser must have it), its words to
// the same section in reference.ts, and read it in parse.ts.

import type { SharedType, StepKind } from './types';

export type SectionId = 'top' | 'kernel' | 'cluster' | 'fault' | 'agent' | 'restart' | 'channel' | 'shared' | 'resource' | 'autonomy' | 'supervisor' | 'backoff' | 'breaker' | 'readiness';

/** A mapping's keys, in the order the parser lists them, and those it requires (a subset). */
export interface KeyNames {
  readonly keys: readonly string[];
  readonly required?: readonly string[];
}

export const SECTION_KEYS = {
  top: { keys: ['agentos', 'name', 'description', 'seed', 'kernel', 'cluster', 'agents', 'channels', 'shared', 'resources', 'watch', 'invariants', 'rules', 'autonomy', 'supervisors'], required: ['agentos', 'agents'] },
  kernel: { keys: ['scheduler', 'quantum', 'memory', 'allocator', 'granule'] },
  cluster: { keys: ['nodes', 'topology', 'latency', 'loss', 'faults', 'capabilities', 'failover'] },
  fault: { keys: ['at', 'partition', 'heal', 'crash', 'recover'], required: ['at'] },
  agent: { keys: ['program', 'args', 'replicas', 'node', 'priority', 'memory', 'restart', 'capabilities', 'budget', 'requires', 'liveness', 'readiness'], required: ['program'] },
  restart: { keys: ['policy', 'max', 'backoff'], required: ['policy'] },
  supervisor: { keys: ['children', 'strategy', 'intensity', 'period', 'backoff', 'restart'], required: ['children'] },
  backoff: { keys: ['initial', 'max', 'reset'] },
  channel: { keys: ['from', 'to', 'capacity', 'rate', 'breaker'], required: ['from', 'to'] },
  readiness: { keys: ['delay', 'period', 'heap'] },
  breaker: { keys: ['threshold', 'window', 'min', 'cooldown'] },
  shared: { keys: ['type', 'states'], required: ['type'] },
  resource: { keys: ['units', 'auction'], required: ['units'] },
  autonomy: { keys: ['detect', 'heal', 'tune', 'window', 'horizon', 'hog', 'starvation', 'congestion', 'crash-loop', 'crash-window', 'capacity', 'replicas', 'memory', 'migrate'] },
} as const satisfies { readonly [S in SectionId]: KeyNames };

/** A step and the keys of its mapping form (none when it only takes a scalar). */
export interface StepNames {
  readonly kind: StepKind;
  readonly args: readonly string[];
  readonly required?: readonly string[];
}

/** Every step, in the order the parser lists them in errors. */
export const STEP_KEYS = [
  { kind: 'compute', args: [] },
  { kind: 'io', args: [] },
  { kind: 'sleep', args: [] },
  { kind: 'alloc', args: ['size', 'as'], required: ['size', 'as'] },
  { kind: 'free', args: [] },
  { kind: 'send', args: ['port', 'size', 'timeout'], required: ['port'] },
  { kind: 'recv', args: ['port', 'timeout'], required: ['port'] },
  { kind: 'spawn', args: ['agent'], required: ['agent'] },
  { kind: 'exit', args: ['code'] },
  { kind: 'write', args: ['path', 'size'], required: ['path', 'size'] },
  { kind: 'read', args: ['path', 'size'], required: ['path'] },
  { kind: 'crdt', args: ['object', 'op'], required: ['object', 'op'] },
  { kind: 'bid', args: ['resource', 'units', 'price', 'timeout'], required: ['resource'] },
  { kind: 'release', args: ['resource'], required: ['resource'] },
  { kind: 'repeat', args: ['do'], required: ['do'] },
  { kind: 'choose', args: ['weight', 'do'], required: ['weight', 'do'] },
  { kind: 'fail', args: ['probability', 'code'], required: ['probability'] },
] as const satisfies readonly StepNames[];

/** A CRDT op of a shared type and its arguments besides object and op. */
export interface CrdtOpNames {
  readonly type: SharedType;
  readonly op: string;
  readonly args: readonly string[];
  readonly required?: readonly string[];
}

/** Every op of every shared type; a type's ops in the order the parser lists them. */
export const CRDT_OP_KEYS = [
  { type: 'pn-counter', op: 'inc', args: ['by'] },
  { type: 'pn-counter', op: 'dec', args: ['by'] },
  { type: 'or-set', op: 'add', args: ['element'], required: ['element'] },
  { type: 'or-set', op: 'remove', args: ['element'], required: ['element'] },
  { type: 'lww-map', op: 'set', args: ['key', 'value'], required: ['key', 'value'] },
  { type: 'lww-map', op: 'delete', args: ['key'], required: ['key'] },
  { type: 'text', op: 'insert', args: ['at', 'text'], required: ['text'] },
  { type: 'text', op: 'delete', args: ['at', 'count'] },
  { type: 'g-counter', op: 'inc', args: ['by'] },
  { type: 'lww-register', op: 'set', args: ['value'], required: ['value'] },
  { type: 'time-series', op: 'append', args: ['value'], required: ['value'] },
  { type: 'graph', op: 'add-vertex', args: ['vertex'], required: ['vertex'] },
  { type: 'graph', op: 'remove-vertex', args: ['vertex'], required: ['vertex'] },
  { type: 'graph', op: 'add-edge', args: ['from', 'to'], required: ['from', 'to'] },
  { type: 'graph', op: 'remove-edge', args: ['from', 'to'], required: ['from', 'to'] },
  { type: 'workflow', op: 'transition', args: ['task', 'state'], required: ['task', 'state'] },
] as const satisfies readonly CrdtOpNames[];

// The tables seen through their interfaces (the literal types above are for reference.ts's checks).
const SECTIONS: { readonly [S in SectionId]: KeyNames } = SECTION_KEYS;
const STEPS: readonly StepNames[] = STEP_KEYS;
const CRDT_OPS: readonly CrdtOpNames[] = CRDT_OP_KEYS;

/** The keys of a section, in the order the parser lists them in errors. */
export function keysOf(id: SectionId): readonly string[] {
  return SECTIONS[id].keys;
}

export function requiredKeysOf(id: SectionId): readonly string[] {
  return SECTIONS[id].required ?? [];
}

/** Every step kind, in the order the parser lists them. */
export const STEP_KINDS: readonly StepKind[] = STEPS.map((step) => step.kind);

function stepNames(kind: StepKind): StepNames {
  const found = STEPS.find((candidate) => candidate.kind === kind);
  if (found === undefined) throw new Error(`no names for step "${kind}"`);
  return found;
}

/** The keys of a step's mapping form (`alloc: { size, as }`). */
export function stepArgKeys(kind: StepKind): readonly string[] {
  return stepNames(kind).args;
}

export function stepRequiredKeys(kind: StepKind): readonly string[] {
  return stepNames(kind).required ?? [];
}

/** The ops each shared type supports, in table order. */
export function crdtOpsOf(type: SharedType): readonly string[] {
  return CRDT_OPS.filter((names) => names.type === type).map((names) => names.op);
}

/** The argument keys an op takes besides object and op. */
export function crdtArgKeys(type: SharedType, op: string): readonly string[] {
  return CRDT_OPS.find((names) => names.type === type && names.op === op)?.args ?? [];
}
