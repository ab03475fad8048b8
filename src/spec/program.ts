// Step programs: a YAML list of steps -> Step[] (types.ts), with the references a program makes
// (ports, allocation names, shared objects, resources, agents) checked or collected for the
// checks that need the whole spec (ports against channels). Also the helpers that walk a
// program: counting steps, binding ports to channels.

import { isScalar } from 'yaml';
import {
  CHOOSE_BRANCHES_MAX, CHOOSE_WEIGHT_MAX, DURATION_TICKS_MAX, FILE_PATH_CHARS_MAX, NAME_CHARS_MAX,
  NESTING_DEPTH_MAX, PPM_ONE, PRICE_MAX, PROGRAM_STEPS_MAX, REPEAT_COUNT_MAX, RESOURCE_UNITS_MAX,
  SIZE_BYTES_MAX, TEXT_CHARS_MAX,
} from './limits';
import { didYouMean, type Field, quoteList, type SpecReader } from './reader';
import { crdtArgKeys, crdtOpsOf, STEP_KINDS, stepArgKeys, stepRequiredKeys } from './keys';
import { SHARED_TYPES, type CrdtOp, type SharedType, type Step, type StepKind, type TickRange } from './types';

/** The steps, in the names table's order (keys.ts). */
export { STEP_KINDS };

/** Message size of a `send` that gives none. */
export const SEND_SIZE_DEFAULT_BYTES = 64;
/** Placeholders a CRDT string or file path may hold; the kernel substitutes them. */
export const PLACEHOLDERS: readonly string[] = ['agent', 'replica', 'node', 'pid'];

/** Which ops each shared type supports, spelled as in the spec, and the typed op they become. */
export const CRDT_OPS: Readonly<Record<SharedType, readonly string[]>> = Object.fromEntries(
  SHARED_TYPES.map((type) => [type, crdtOpsOf(type)]),
) as Record<SharedType, readonly string[]>;

export interface PortUse {
  readonly direction: 'in' | 'out';
  /** Where the port was first used (for "not connected" errors). */
  readonly field: Field;
}

export interface SharedEntry { readonly index: number; readonly type: SharedType | null; readonly states: readonly string[] }
export interface ResourceEntry { readonly index: number; readonly units: number }

/** What a program may refer to, and what it collects while being read. One per agent. */
export class ProgramContext {
  readonly ports = new Map<string, PortUse>();
  readonly allocNames = new Set<string>();
  readonly frees: { name: string; field: Field }[] = [];
  stepCount = 0;
  private stepLimitReported = false;

  constructor(
    readonly reader: SpecReader,
    readonly agentNames: readonly string[],
    readonly shared: ReadonlyMap<string, SharedEntry>,
    readonly resources: ReadonlyMap<string, ResourceEntry>,
  ) {}

  /** Counts one step; false (with one error per program) once PROGRAM_STEPS_MAX is exceeded. */
  countStep(field: Field): boolean {
    this.stepCount++;
    if (this.stepCount <= PROGRAM_STEPS_MAX) return true;
    if (!this.stepLimitReported) {
      this.stepLimitReported = true;
      this.reader.fail(field, `too many steps: a program may have at most ${PROGRAM_STEPS_MAX}, repeat bodies included`);
    }
    return false;
  }

  /** Records a use of a port; false (with an error) if the program already uses it the other way. */
  usePort(name: string, direction: 'in' | 'out', field: Field): boolean {
    const previous = this.ports.get(name);
    if (previous === undefined) {
      this.ports.set(name, { direction, field });
    } else if (previous.direction !== direction) {
      const verb = previous.direction === 'in' ? 'recv' : 'send';
      this.reader.fail(field, `port "${name}" is already used by ${verb} at ${formatAt(this.reader, previous.field)}; a port either sends or receives`);
      return false;
    }
    return true;
  }

  agentIndex(name: string, field: Field): number | null {
    const index = this.agentNames.indexOf(name);
    if (index < 0) return this.reader.fail(field, `unknown agent "${name}"${didYouMean(name, this.agentNames)}; agents: ${quoteList(this.agentNames)}`);
    return index;
  }

  resource(name: string, field: Field): ResourceEntry | null {
    const entry = this.resources.get(name);
    if (entry === undefined) {
      const names = [...this.resources.keys()];
      return this.reader.fail(field, `unknown resource "${name}"${didYouMean(name, names)}; ${names.length ? `resources: ${quoteList(names)}` : 'the spec declares no resources'}`);
    }
    return entry;
  }

  sharedObject(name: string, field: Field): SharedEntry | null {
    const entry = this.shared.get(name);
    if (entry === undefined) {
      const names = [...this.shared.keys()];
      return this.reader.fail(field, `unknown shared object "${name}"${didYouMean(name, names)}; ${names.length ? `shared: ${quoteList(names)}` : 'the spec declares no shared objects'}`);
    }
    return entry;
  }
}

export function formatAt(reader: SpecReader, field: Field): string {
  const { line, column } = reader.position(field.offset);
  return `${line}:${column}`;
}

function lineOf(reader: SpecReader, field: Field): number {
  return reader.position(field.offset).line;
}

/** A string with only known {placeholders}. */
export function readTemplate(context: ProgramContext, field: Field, charsMax: number, expected: string, allowInteger: boolean): string | null {
  const reader = context.reader;
  const value = allowInteger ? reader.text(field, charsMax, expected) : reader.string(field, charsMax, expected);
  if (value === null) return null;
  for (const match of value.matchAll(/\{([^{}]*)\}/g)) {
    if (!PLACEHOLDERS.includes(match[1])) return reader.fail(field, `unknown placeholder {${match[1]}}${didYouMean(match[1], PLACEHOLDERS)}; placeholders: ${PLACEHOLDERS.map((name) => `{${name}}`).join(', ')}`);
  }
  return value;
}

export function readPath(context: ProgramContext, field: Field): string | null {
  const path = readTemplate(context, field, FILE_PATH_CHARS_MAX, 'a file path like /logs/out', false);
  if (path === null) return null;
  if (!/^\/[A-Za-z0-9_.\-/{}]*$/.test(path) || path.includes('//')) return context.reader.fail(field, 'expected a file path like /logs/out (starts with /; letters, digits, _ . - and /)');
  return path;
}

/** `forever` -> null, or an integer 0..REPEAT_COUNT_MAX. */
export function readCount(reader: SpecReader, field: Field): number | null | undefined {
  const value = reader.scalarValue(field);
  if (value === 'forever') return null;
  const count = reader.integer(field, 0, REPEAT_COUNT_MAX, `forever or an integer from 0 to ${REPEAT_COUNT_MAX}`);
  return count === null ? undefined : count;
}

function readDurationRange(reader: SpecReader, field: Field): TickRange | null {
  return reader.tickRange(field, DURATION_TICKS_MAX);
}

/**
 * Reads a list of steps. `depth` is the nesting depth of repeat/choose around it (0 at the top).
 * Returns null if anything in it was wrong (the errors are recorded).
 */
export function readSteps(context: ProgramContext, field: Field, depth: number): Step[] | null {
  const reader = context.reader;
  if (depth > NESTING_DEPTH_MAX) return reader.fail(field, `too deeply nested: repeat and choose nest at most ${NESTING_DEPTH_MAX} levels`);
  const items = reader.items(field, 'a list of steps');
  if (items === null) return null;
  const steps: Step[] = [];
  let ok = true;
  for (const item of items) {
    if (!context.countStep(item)) return null;
    const step = readStep(context, item, depth);
    if (step === null) ok = false;
    else steps.push(step);
  }
  return ok ? steps : null;
}

function readStep(context: ProgramContext, field: Field, depth: number): Step | null {
  const reader = context.reader;
  const line = lineOf(reader, field);
  // A bare `- exit` is the one step without arguments.
  if (isScalar(field.node) && field.node.value === 'exit') return { kind: 'exit', code: 0, line };
  const entries = reader.entries(field, `a step (a mapping with one of ${quoteList(STEP_KINDS)})`);
  if (entries === null) return null;
  let kindEntry: { key: StepKind; value: Field; keyField: Field } | null = null;
  let bodyField: Field | null = null;
  let ok = true;
  for (const entry of entries) {
    if (entry.key === 'do') {
      bodyField = entry.value;
    } else if ((STEP_KINDS as readonly string[]).includes(entry.key)) {
      if (kindEntry !== null) {
        reader.fail(entry.keyField, `one step per list item: "${kindEntry.key}" and "${entry.key}" are in the same item (start a new item with -)`);
        ok = false;
      } else {
        kindEntry = { key: entry.key as StepKind, value: entry.value, keyField: entry.keyField };
      }
    } else {
      reader.fail(entry.keyField, `unknown step "${entry.key}"${didYouMean(entry.key, [...STEP_KINDS, 'do'])}; steps: ${quoteList(STEP_KINDS)}`);
      ok = false;
    }
  }
  if (!ok) return null;
  if (kindEntry === null) return reader.fail(field, `expected a step: one of ${quoteList(STEP_KINDS)}`);
  if (bodyField !== null && kindEntry.key !== 'repeat') return reader.fail(bodyField, `"do" belongs to a repeat step, not to ${kindEntry.key}`);
  const value = kindEntry.value;
  switch (kindEntry.key) {
    case 'compute':
    case 'io':
    case 'sleep': {
      const range = readDurationRange(reader, value);
      return range === null ? null : { kind: kindEntry.key, minTicks: range.minTicks, maxTicks: range.maxTicks, line };
    }
    case 'alloc': {
      const fields = reader.fields(value, stepArgKeys('alloc'), stepRequiredKeys('alloc'), 'a mapping like { size: 4KiB, as: buf }');
      if (fields === null) return null;
      const sizeBytes = fields.size ? reader.size(fields.size, 1, SIZE_BYTES_MAX) : null;
      const name = fields.as ? reader.name(fields.as, NAME_CHARS_MAX, 'an allocation name') : null;
      if (sizeBytes === null || name === null) return null;
      context.allocNames.add(name);
      return { kind: 'alloc', sizeBytes, name, line };
    }
    case 'free': {
      const name = reader.name(value, NAME_CHARS_MAX, 'the name of an allocation (its alloc\'s "as")');
      if (name === null) return null;
      context.frees.push({ name, field: value });
      return { kind: 'free', name, line };
    }
    case 'send': {
      let port: string | null;
      let sizeBytes: number | null = SEND_SIZE_DEFAULT_BYTES;
      let timeoutTicks: number | null = null;
      let portField = value;
      if (isScalar(value.node)) {
        port = reader.name(value, NAME_CHARS_MAX, 'a port name');
      } else {
        const fields = reader.fields(value, stepArgKeys('send'), stepRequiredKeys('send'), 'a port name or { port, size, timeout }');
        if (fields === null) return null;
        portField = fields.port ?? value;
        port = fields.port ? reader.name(fields.port, NAME_CHARS_MAX, 'a port name') : null;
        if (fields.size) sizeBytes = reader.size(fields.size, 0, SIZE_BYTES_MAX);
        if (fields.timeout) timeoutTicks = reader.duration(fields.timeout, 1, DURATION_TICKS_MAX);
        if (fields.size && sizeBytes === null) return null;
        if (fields.timeout && timeoutTicks === null) return null;
      }
      if (port === null || sizeBytes === null || !context.usePort(port, 'out', portField)) return null;
      return { kind: 'send', port, channelIndex: -1, sizeBytes, timeoutTicks, line };
    }
    case 'recv': {
      let port: string | null;
      let timeoutTicks: number | null = null;
      let portField = value;
      if (isScalar(value.node)) {
        port = reader.name(value, NAME_CHARS_MAX, 'a port name');
      } else {
        const fields = reader.fields(value, stepArgKeys('recv'), stepRequiredKeys('recv'), 'a port name or { port, timeout }');
        if (fields === null) return null;
        portField = fields.port ?? value;
        port = fields.port ? reader.name(fields.port, NAME_CHARS_MAX, 'a port name') : null;
        if (fields.timeout) {
          timeoutTicks = reader.duration(fields.timeout, 1, DURATION_TICKS_MAX);
          if (timeoutTicks === null) return null;
        }
      }
      if (port === null || !context.usePort(port, 'in', portField)) return null;
      return { kind: 'recv', port, channelIndex: -1, timeoutTicks, line };
    }
    case 'spawn': {
      let agentField = value;
      if (!isScalar(value.node)) {
        const fields = reader.fields(value, stepArgKeys('spawn'), stepRequiredKeys('spawn'), 'an agent name or { agent }');
        if (fields === null || !fields.agent) return null;
        agentField = fields.agent;
      }
      const agent = reader.name(agentField, NAME_CHARS_MAX, 'an agent name');
      if (agent === null) return null;
      const agentIndex = context.agentIndex(agent, agentField);
      return agentIndex === null ? null : { kind: 'spawn', agent, agentIndex, line };
    }
    case 'exit': {
      let codeField = value;
      if (reader.isEmpty(value)) return { kind: 'exit', code: 0, line };
      if (!isScalar(value.node)) {
        const fields = reader.fields(value, stepArgKeys('exit'), stepRequiredKeys('exit'), 'an exit code or { code }');
        if (fields === null) return null;
        if (!fields.code) return { kind: 'exit', code: 0, line };
        codeField = fields.code;
      }
      const code = reader.integer(codeField, 0, 255, 'an exit code from 0 to 255');
      return code === null ? null : { kind: 'exit', code, line };
    }
    case 'write': {
      const fields = reader.fields(value, stepArgKeys('write'), stepRequiredKeys('write'), 'a mapping like { path: /log, size: 1KiB }');
      if (fields === null) return null;
      const path = fields.path ? readPath(context, fields.path) : null;
      const sizeBytes = fields.size ? reader.size(fields.size, 0, SIZE_BYTES_MAX) : null;
      return path === null || sizeBytes === null ? null : { kind: 'write', path, sizeBytes, line };
    }
    case 'read': {
      if (isScalar(value.node)) {
        const path = readPath(context, value);
        return path === null ? null : { kind: 'read', path, sizeBytes: null, line };
      }
      const fields = reader.fields(value, stepArgKeys('read'), stepRequiredKeys('read'), 'a path or { path, size }');
      if (fields === null) return null;
      const path = fields.path ? readPath(context, fields.path) : null;
      const sizeBytes = fields.size ? reader.size(fields.size, 0, SIZE_BYTES_MAX) : null;
      if (path === null || (fields.size && sizeBytes === null)) return null;
      return { kind: 'read', path, sizeBytes, line };
    }
    case 'crdt':
      return readCrdtStep(context, value, line);
    case 'bid': {
      const fields = reader.fields(value, stepArgKeys('bid'), stepRequiredKeys('bid'), 'a mapping like { resource: gpu, units: 1, price: 10 }');
      if (fields === null || !fields.resource) return null;
      const resource = reader.name(fields.resource, NAME_CHARS_MAX, 'a resource name');
      const entry = resource === null ? null : context.resource(resource, fields.resource);
      const units = fields.units ? reader.integer(fields.units, 1, RESOURCE_UNITS_MAX) : 1;
      const price = fields.price ? reader.integer(fields.price, 0, PRICE_MAX, `a price from 0 to ${PRICE_MAX} credits`) : 1;
      const timeoutTicks = fields.timeout ? reader.duration(fields.timeout, 1, DURATION_TICKS_MAX) : null;
      if (resource === null || entry === null || units === null || price === null || (fields.timeout && timeoutTicks === null)) return null;
      if (units > entry.units) return reader.fail(fields.units ?? value, `a bid for ${units} units of "${resource}" can never win: the pool has ${entry.units}`);
      return { kind: 'bid', resource, resourceIndex: entry.index, units, price, timeoutTicks, line };
    }
    case 'release': {
      let resourceField = value;
      if (!isScalar(value.node)) {
        const fields = reader.fields(value, stepArgKeys('release'), stepRequiredKeys('release'), 'a resource name or { resource }');
        if (fields === null || !fields.resource) return null;
        resourceField = fields.resource;
      }
      const resource = reader.name(resourceField, NAME_CHARS_MAX, 'a resource name');
      const entry = resource === null ? null : context.resource(resource, resourceField);
      return resource === null || entry === null ? null : { kind: 'release', resource, resourceIndex: entry.index, line };
    }
    case 'repeat': {
      const count = readCount(reader, value);
      if (bodyField === null) return reader.fail(field, 'a repeat needs a "do" list of steps');
      const body = readSteps(context, bodyField, depth + 1);
      if (count === undefined || body === null) return null;
      return { kind: 'repeat', count, body, line };
    }
    case 'choose':
      return readChoose(context, value, depth, line);
    case 'fail': {
      let probabilityField = value;
      let code = 1;
      if (!isScalar(value.node)) {
        const fields = reader.fields(value, stepArgKeys('fail'), stepRequiredKeys('fail'), 'a probability or { probability, code }');
        if (fields === null || !fields.probability) return null;
        probabilityField = fields.probability;
        if (fields.code) {
          const read = reader.integer(fields.code, 1, 255, 'an exit code from 1 to 255');
          if (read === null) return null;
          code = read;
        }
      }
      const probabilityPpm = reader.probability(probabilityField);
      return probabilityPpm === null ? null : { kind: 'fail', probabilityPpm, code, line };
    }
  }
}

function readChoose(context: ProgramContext, field: Field, depth: number, line: number): Step | null {
  const reader = context.reader;
  const items = reader.items(field, 'a list of branches like - { weight: 1, do: [...] }');
  if (items === null) return null;
  if (items.length === 0 || items.length > CHOOSE_BRANCHES_MAX) return reader.fail(field, `expected 1 to ${CHOOSE_BRANCHES_MAX} branches`);
  const branches: { weight: number; body: Step[] }[] = [];
  let weightTotal = 0;
  let ok = true;
  for (const item of items) {
    const fields = reader.fields(item, stepArgKeys('choose'), stepRequiredKeys('choose'), 'a branch like { weight: 1, do: [...] }');
    if (fields === null || !fields.weight || !fields.do) { ok = false; continue; }
    const weight = reader.integer(fields.weight, 0, CHOOSE_WEIGHT_MAX, `a weight from 0 to ${CHOOSE_WEIGHT_MAX}`);
    const body = readSteps(context, fields.do, depth + 1);
    if (weight === null || body === null) { ok = false; continue; }
    branches.push({ weight, body });
    weightTotal += weight;
  }
  if (!ok) return null;
  if (weightTotal === 0) return reader.fail(field, 'expected at least one branch with a weight above 0');
  return { kind: 'choose', branches, weightTotal, line };
}

function readCrdtStep(context: ProgramContext, field: Field, line: number): Step | null {
  const reader = context.reader;
  const entries = reader.entries(field, 'a mapping like { object: visits, op: inc }');
  if (entries === null) return null;
  const byKey = new Map(entries.map((entry) => [entry.key, entry]));
  const objectEntry = byKey.get('object');
  const opEntry = byKey.get('op');
  if (!objectEntry || !opEntry) {
    return reader.fail(field, `missing required key "${objectEntry ? 'op' : 'object'}"`);
  }
  const object = reader.name(objectEntry.value, NAME_CHARS_MAX, 'a shared object name');
  const shared = object === null ? null : context.sharedObject(object, objectEntry.value);
  if (object === null || shared === null) return null;
  if (shared.type === null) return null; // its declaration has an error already
  const ops = CRDT_OPS[shared.type];
  const opValue = reader.scalarValue(opEntry.value);
  if (typeof opValue !== 'string' || !ops.includes(opValue)) {
    const hint = typeof opValue === 'string' ? didYouMean(opValue, ops) : '';
    return reader.fail(opEntry.value, `"${object}" is a ${shared.type}: expected op ${quoteList(ops)}${hint}`);
  }
  const opName = opValue;
  const argsAllowed = crdtArgs(shared.type, opName);
  let ok = true;
  for (const entry of entries) {
    if (entry.key === 'object' || entry.key === 'op' || argsAllowed.includes(entry.key)) continue;
    reader.fail(entry.keyField, `unknown key "${entry.key}" for ${opName} on a ${shared.type}${didYouMean(entry.key, argsAllowed)}; expected ${quoteList(['object', 'op', ...argsAllowed])}`);
    ok = false;
  }
  const arg = (name: string): Field | null => byKey.get(name)?.value ?? null;
  const required = (name: string): Field | null => {
    const value = arg(name);
    if (value === null) { reader.fail(field, `missing required key "${name}" for ${opName} on a ${shared.type}`); ok = false; }
    return value;
  };
  let op: CrdtOp | null = null;
  const template = (value: Field | null, expected: string): string | null => (value === null ? null : readTemplate(context, value, TEXT_CHARS_MAX, expected, true));
  switch (`${shared.type}:${opName}`) {
    case 'g-counter:inc':
    case 'pn-counter:inc':
    case 'pn-counter:dec': {
      const by = arg('by');
      const amount = by === null ? 1 : reader.integer(by, 1, 1_000_000_000);
      if (amount !== null) op = { name: opName === 'inc' ? 'counter/inc' : 'counter/dec', amount };
      break;
    }
    case 'or-set:add':
    case 'or-set:remove': {
      const element = template(required('element'), 'an element (a string or an integer)');
      if (element !== null) op = { name: opName === 'add' ? 'set/add' : 'set/remove', element };
      break;
    }
    case 'lww-map:set': {
      const key = template(required('key'), 'a key (a string or an integer)');
      const value = template(required('value'), 'a value (a string or an integer)');
      if (key !== null && value !== null) op = { name: 'map/set', key, value };
      break;
    }
    case 'lww-map:delete': {
      const key = template(required('key'), 'a key (a string or an integer)');
      if (key !== null) op = { name: 'map/delete', key };
      break;
    }
    case 'text:insert': {
      const atField = arg('at');
      let at: number | 'end' | null = 'end';
      if (atField !== null && reader.scalarValue(atField) !== 'end') at = reader.integer(atField, 0, 1_000_000_000, 'end or a character index from 0');
      const textField = required('text');
      const text = template(textField, 'the text to insert');
      if (at !== null && text !== null) op = { name: 'text/insert', at, text };
      break;
    }
    case 'text:delete': {
      const atField = arg('at');
      const countField = arg('count');
      const at = atField === null ? 0 : reader.integer(atField, 0, 1_000_000_000, 'a character index from 0');
      const count = countField === null ? 1 : reader.integer(countField, 1, 1_000_000_000, 'a count of characters from 1');
      if (at !== null && count !== null) op = { name: 'text/delete', at, count };
      break;
    }
    case 'lww-register:set': {
      const value = template(required('value'), 'a value (a string or an integer)');
      if (value !== null) op = { name: 'register/set', value };
      break;
    }
    case 'time-series:append': {
      const value = required('value');
      const amount = value === null ? null : reader.integer(value, -1_000_000_000, 1_000_000_000);
      if (amount !== null) op = { name: 'series/append', value: amount };
      break;
    }
    case 'graph:add-vertex':
    case 'graph:remove-vertex': {
      const vertex = template(required('vertex'), 'a vertex name (a string or an integer)');
      if (vertex !== null) op = { name: opName === 'add-vertex' ? 'graph/addVertex' : 'graph/removeVertex', vertex };
      break;
    }
    case 'graph:add-edge':
    case 'graph:remove-edge': {
      const from = template(required('from'), 'a vertex name (a string or an integer)');
      const to = template(required('to'), 'a vertex name (a string or an integer)');
      if (from !== null && to !== null) op = { name: opName === 'add-edge' ? 'graph/addEdge' : 'graph/removeEdge', from, to };
      break;
    }
    case 'workflow:transition': {
      const task = template(required('task'), 'a task name (a string or an integer)');
      const stateField = required('state');
      let state: number | null = null;
      if (stateField !== null) {
        const stateName = reader.scalarValue(stateField);
        const index = typeof stateName === 'string' ? shared.states.indexOf(stateName) : -1;
        if (index < 0) {
          const hint = typeof stateName === 'string' ? didYouMean(stateName, shared.states) : '';
          reader.fail(stateField, `"${object}" is a workflow with states ${quoteList(shared.states)}${hint}`);
          ok = false;
        } else state = index;
      }
      if (task !== null && state !== null) op = { name: 'workflow/transition', task, state };
      break;
    }
  }
  if (!ok || op === null) return null;
  return { kind: 'crdt', object, objectIndex: shared.index, op, line };
}

/** The argument keys a CRDT op takes besides object and op. */
export function crdtArgs(type: SharedType, op: string): readonly string[] {
  return crdtArgKeys(type, op);
}

// ---------------------------------------------------------------------------------------------
// Walking programs

/** Steps in a program, repeat and choose bodies included (each repeat/choose counts itself too). */
export function countSteps(steps: readonly Step[]): number {
  let count = 0;
  for (const step of steps) {
    count++;
    if (step.kind === 'repeat') count += countSteps(step.body);
    else if (step.kind === 'choose') for (const branch of step.branches) count += countSteps(branch.body);
  }
  return count;
}

/** Nesting depth of repeat/choose (0 for a flat program). */
export function nestingDepth(steps: readonly Step[]): number {
  let depth = 0;
  for (const step of steps) {
    if (step.kind === 'repeat') depth = Math.max(depth, 1 + nestingDepth(step.body));
    else if (step.kind === 'choose') for (const branch of step.branches) depth = Math.max(depth, 1 + nestingDepth(branch.body));
  }
  return depth;
}

/** A copy of the program with every send/recv bound to its port's channel. */
export function bindPorts(steps: readonly Step[], channelOf: (port: string) => number): Step[] {
  return steps.map((step): Step => {
    switch (step.kind) {
      case 'send':
      case 'recv':
        return { ...step, channelIndex: channelOf(step.port) };
      case 'repeat':
        return { ...step, body: bindPorts(step.body, channelOf) };
      case 'choose':
        return { ...step, branches: step.branches.map((branch) => ({ weight: branch.weight, body: bindPorts(branch.body, channelOf) })) };
      default:
        return step;
    }
  });
}

/** Ports a program uses, in order of first use (send -> out, recv -> in). */
export function programPorts(steps: readonly Step[], into: Map<string, 'in' | 'out'> = new Map()): Map<string, 'in' | 'out'> {
  for (const step of steps) {
    if (step.kind === 'send' && !into.has(step.port)) into.set(step.port, 'out');
    else if (step.kind === 'recv' && !into.has(step.port)) into.set(step.port, 'in');
    else if (step.kind === 'repeat') programPorts(step.body, into);
    else if (step.kind === 'choose') for (const branch of step.branches) programPorts(branch.body, into);
  }
  return into;
}
