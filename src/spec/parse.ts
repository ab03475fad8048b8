// parseSpec: spec text (YAML or JSON) -> a validated, typed Spec, or every error found, each with
// a path, a 1-based line:column and what was expected. Never throws on any input.
//
// Order of reading: top-level keys, kernel, cluster, shared, resources (what programs refer
// to), then agents (programs, behaviours), then channels (which must join ports the programs
// use), then the checks that need everything: unconnected ports, process and step totals.

import { isMap, isScalar, type Node } from 'yaml';
import { BEHAVIOUR_NAMES, expandBehaviour, findBehaviour } from './behaviours';
import {
  AGENTS_MAX, BUDGET_MAX, CAPABILITIES_MAX, CHANNEL_CAPACITY_MAX, CHANNELS_CAPACITY_TOTAL_MAX, CHANNELS_MAX, CLUSTER_HEAP_BYTES_MAX,
  DESCRIPTION_CHARS_MAX, DURATION_TICKS_MAX, FAULTS_MAX, LATENCY_TICKS_MAX, NAME_CHARS_MAX, NESTING_DEPTH_MAX,
  NODE_HEAP_BYTES_MAX, NODE_HEAP_BYTES_MIN, NODES_MAX, PROCESSES_MAX, PROGRAM_STEPS_MAX,
  QUANTUM_TICKS_MAX, QUANTUM_TICKS_MIN, RATE_COUNT_MAX, REPLICAS_MAX, RESOURCE_UNITS_MAX,
  RESOURCES_MAX, RESTARTS_MAX, SHARED_OBJECTS_MAX, SIZE_BYTES_MAX, SPEC_STEPS_MAX,
  SPEC_TEXT_CHARS_MAX, TEXT_CHARS_MAX, WORKFLOW_STATES_MAX,
} from './limits';
import {
  bindPorts, countSteps, nestingDepth, ProgramContext, type ResourceEntry, readSteps, type SharedEntry,
} from './program';
import { readAutonomy, readSwitch } from './autonomy';
import { checkExpressionSyntax, checkSpecExpressions, readInvariants, readRules, readWatches } from './expressions';
import { didYouMean, type Field, quoteList, SpecReader } from './reader';
import { keysOf, requiredKeysOf } from './keys';
import { readYamlDocument } from './document';
import { formatSize, parseSize } from './units';
import { readBackoff, readRestartPolicy, readSupervisors } from './supervisors';
import {
  ALLOCATOR_KINDS, type AllocatorKind, type AgentSpec, AUCTION_KINDS, type ChannelSpec, type ClusterSpec, type Endpoint,
  type BreakerSpec, type FaultSpec, HEAP_GRANULE_DEFAULT, type HeapGranuleBytes, type KernelSpec, type ParseSpecResult, type PortSpec, type ResourceSpec,
  type RestartSpec, SCHEDULER_POLICIES, SHARED_TYPES, type SharedSpec, type SharedType, type Spec,
  type ReadinessSpec, type SpecError, type Step, TOPOLOGIES,
} from './types';

// Every key list comes from the names table (keys.ts), which the in-app Reference's words
// (reference.ts) are built from, so the parser and the Reference cannot disagree.
export const TOP_LEVEL_KEYS = keysOf('top');
const AGENT_KEYS = keysOf('agent');

export const KERNEL_DEFAULTS: KernelSpec = { scheduler: 'fair', quantumTicks: 1000, heapBytes: 64 * 1024 * 1024, allocator: 'tlsf' };
export const CLUSTER_DEFAULTS: ClusterSpec = { nodeCount: 1, topology: 'mesh', latency: { minTicks: 1000, maxTicks: 1000 }, lossPpm: 0, faults: [] };
export const RESTART_DEFAULTS: RestartSpec = { policy: 'never', countMax: 10, backoffTicks: 1000 };
export const CHANNEL_CAPACITY_DEFAULT = 64;
export const SPEC_NAME_DEFAULT = 'untitled';
export const SEED_DEFAULT = 1;

/** `agents.mapper.memory: expected a size like 4KiB at 12:13` */
export function formatSpecError(error: SpecError): string {
  return `${error.path === '' ? '' : `${error.path}: `}${error.message} at ${error.line}:${error.column}`;
}

export function parseSpec(text: string): ParseSpecResult {
  const read = readYamlDocument(text, 'spec', SPEC_TEXT_CHARS_MAX);
  if (!read.ok) return failure(read.errors);
  const spec = readSpec(read.reader, read.root);
  return spec !== null && read.reader.errors.length === 0 ? { ok: true, spec } : failure(read.reader.sortedErrors());
}

function failure(errors: readonly SpecError[]): ParseSpecResult {
  return { ok: false, errors };
}

function readSpec(reader: SpecReader, root: Field): Spec | null {
  if (reader.isEmpty(root)) return reader.fail(root, 'expected a spec: a mapping that starts with agentos: 1');
  const top = reader.fields(root, TOP_LEVEL_KEYS, requiredKeysOf('top'), 'a spec: a mapping that starts with agentos: 1');
  if (top === null) return null;
  if (top.agentos) {
    const version = reader.scalarValue(top.agentos);
    if (version !== 1) reader.fail(top.agentos, typeof version === 'number' && Number.isInteger(version) ? `unsupported format version ${version}: this engine reads agentos: 1` : 'expected the format version 1 (agentos: 1)');
  }
  const name = top.name ? reader.string(top.name, TEXT_CHARS_MAX, 'a name') : SPEC_NAME_DEFAULT;
  const description = top.description ? reader.string(top.description, DESCRIPTION_CHARS_MAX, 'a description') : '';
  const seed = top.seed ? reader.integer(top.seed, 0, 0xffff_ffff, 'a seed: an integer from 0 to 4294967295') : SEED_DEFAULT;
  const kernel = top.kernel ? readKernel(reader, top.kernel) : KERNEL_DEFAULTS;
  const cluster = top.cluster ? readCluster(reader, top.cluster) : CLUSTER_DEFAULTS;
  if (kernel?.nodeAllocators && cluster !== null && kernel.nodeAllocators.length !== cluster.nodeCount) {
    reader.fail(top.kernel ?? root, `allocator lists ${kernel.nodeAllocators.length} allocator${kernel.nodeAllocators.length === 1 ? '' : 's'} for ${cluster.nodeCount} node${cluster.nodeCount === 1 ? '' : 's'}: one per node, n0 first`);
  }
  if (kernel !== null && cluster !== null && kernel.heapBytes * cluster.nodeCount > CLUSTER_HEAP_BYTES_MAX) {
    // Point at what the author wrote: kernel.memory if given, else cluster.nodes (the default heap times their count).
    const memory = childField(reader, top.kernel, 'memory');
    const at = memory ?? childField(reader, top.cluster, 'nodes') ?? top.kernel ?? top.cluster ?? root;
    const heap = top.kernel && memory ? `${kernel.heapBytes} bytes` : `${kernel.heapBytes} bytes (the default kernel.memory)`;
    reader.fail(at, `${cluster.nodeCount} nodes of ${heap} exceed the ${CLUSTER_HEAP_BYTES_MAX} bytes all nodes may have together`);
  }
  const { objects: shared, broken: sharedBroken } = top.shared ? readShared(reader, top.shared) : { objects: [], broken: new Map<string, SharedEntry>() };
  const resources = top.resources ? readResources(reader, top.resources) : [];
  const agents = top.agents ? readAgents(reader, top.agents, {
    nodeCount: cluster?.nodeCount ?? null,
    nodeCapabilities: cluster === null ? null : cluster.nodeCapabilities,
    heapBytes: kernel?.heapBytes ?? KERNEL_DEFAULTS.heapBytes,
    shared: new Map(shared.map((object) => [object.name, { index: object.index, type: object.type, states: object.states }])),
    sharedBroken,
    resources: new Map(resources.map((resource) => [resource.name, { index: resource.index, units: resource.units }])),
  }) : null;
  const channels = agents !== null && top.channels ? readChannels(reader, top.channels, agents) : [];
  // Watches and invariants are read whatever else is wrong, so one pass reports every error it can.
  const { watches, fields: watchFields } = top.watch ? readWatches(reader, top.watch) : { watches: [], fields: [] };
  const { invariants, fields: invariantFields } = top.invariants ? readInvariants(reader, top.invariants) : { invariants: [], fields: [] };
  const { rules, fields: ruleFields } = top.rules ? readRules(reader, top.rules) : { rules: [], fields: [] };
  const autonomy = top.autonomy ? readAutonomy(reader, top.autonomy, keysOf('autonomy')) : undefined;
  const agentsRead = agents === null || name === null || description === null || seed === null || kernel === null || cluster === null || channels === null
    ? null
    : finishAgents(reader, agents, channels);
  const supervision = agentsRead !== null && top.supervisors ? readSupervisors(reader, top.supervisors, agentsRead, top.agents) : null;
  const finished = supervision?.agents ?? agentsRead;
  if (finished !== null && top.agents && finished.every((agent) => agent.replicas === 0)) {
    reader.fail(top.agents, 'no agent starts a process (every agent has replicas: 0), so nothing would run; give one agent replicas: 1 or more');
  }
  if (finished === null || name === null || description === null || seed === null || kernel === null || cluster === null || channels === null
    || reader.errors.some((error) => EXPRESSION_NAME_SOURCES.some((key) => error.path === key || error.path.startsWith(`${key}.`) || error.path.startsWith(`${key}[`)))) {
    // The names an expression may use are not all known: check what can be (its syntax).
    checkExpressionSyntax(reader, [...watchFields, ...invariantFields, ...ruleFields]);
    return null;
  }
  const spec: Spec = {
    format: 1,
    name,
    description,
    seed,
    kernel,
    cluster,
    agents: finished,
    channels,
    shared,
    resources,
    watches,
    invariants,
    rules,
    ...(autonomy ? { autonomy } : {}),
    supervisors: supervision?.supervisors ?? [],
    processCount: finished.reduce((sum, agent) => sum + agent.replicas, 0),
  };
  checkSpecExpressions(reader, spec, watchFields, invariantFields, ruleFields);
  return reader.errors.length > 0 ? null : spec;
}

/** The parts of a spec whose names expressions refer to: with an error in one, only syntax is checked. */
const EXPRESSION_NAME_SOURCES = ['agents', 'channels', 'cluster', 'shared', 'kernel'] as const;

/** The value under `key` of a mapping field, without reporting anything (undefined when absent). */
function childField(reader: SpecReader, field: Field | undefined, key: string): Field | undefined {
  if (!field || !isMap(field.node)) return undefined;
  const pair = field.node.items.find((item) => isScalar(item.key) && item.key.value === key);
  return pair && pair.value ? reader.field(pair.value as Node, `${field.path}.${key}`, field.offset) : undefined;
}

function readKernel(reader: SpecReader, field: Field): KernelSpec | null {
  if (reader.isEmpty(field)) return KERNEL_DEFAULTS;
  const fields = reader.fields(field, keysOf('kernel'));
  if (fields === null) return null;
  const scheduler = fields.scheduler ? reader.oneOf(fields.scheduler, SCHEDULER_POLICIES) : KERNEL_DEFAULTS.scheduler;
  const quantumTicks = fields.quantum ? reader.duration(fields.quantum, QUANTUM_TICKS_MIN, QUANTUM_TICKS_MAX) : KERNEL_DEFAULTS.quantumTicks;
  const heapBytes = fields.memory ? reader.size(fields.memory, NODE_HEAP_BYTES_MIN, NODE_HEAP_BYTES_MAX) : KERNEL_DEFAULTS.heapBytes;
  const allocators = fields.allocator ? readAllocators(reader, fields.allocator) : [KERNEL_DEFAULTS.allocator];
  const granule = fields.granule ? readGranule(reader, fields.granule) : HEAP_GRANULE_DEFAULT;
  if (scheduler === null || quantumTicks === null || heapBytes === null || allocators === null || granule === null) return null;
  if (heapBytes % granule !== 0) {
    const like = heapBytes - (heapBytes % 1024); // >= NODE_HEAP_BYTES_MIN, a whole number of KiB
    return reader.fail(fields.memory ?? field, `expected a whole number of ${granule}-byte granules (kernel.granule): ${formatSize(heapBytes)} is not; write a multiple of ${granule}B like ${formatSize(like)}`);
  }
  const kernel: KernelSpec = { scheduler, quantumTicks, heapBytes, allocator: allocators[0], ...(granule !== HEAP_GRANULE_DEFAULT ? { granuleBytes: granule } : {}) };
  return fields.allocator && reader.scalarValue(fields.allocator) === undefined ? { ...kernel, nodeAllocators: allocators } : kernel;
}

/** `granule: 8B` or `16B` (the default): every heap block is a whole number of granules. */
function readGranule(reader: SpecReader, field: Field): HeapGranuleBytes | null {
  const value = reader.scalarValue(field);
  const bytes = typeof value === 'string' ? parseSize(value) : null;
  if (bytes === 8 || bytes === 16) return bytes;
  // The sentence ends on the granule, not on a dangling "of" (which read as cut off); a bare 8 or
  // 16 is told its own unit, not always 8B.
  const hint = value === 8 || value === 16 ? `; write ${value}B (a unit is required)` : '';
  return reader.fail(field, `expected 8B or 16B: every heap block is a whole number of granules of this size${hint}`);
}

/** `allocator: best-fit` (every node) or `allocator: [tlsf, first-fit]` (one per node, n0 first). */
function readAllocators(reader: SpecReader, field: Field): AllocatorKind[] | null {
  if (reader.scalarValue(field) !== undefined) {
    const one = reader.oneOf(field, ALLOCATOR_KINDS);
    return one === null ? null : [one];
  }
  const items = reader.items(field, `an allocator (${ALLOCATOR_KINDS.join(', ')}) or a list of them, one per node`);
  if (items === null) return null;
  if (items.length === 0 || items.length > NODES_MAX) return reader.fail(field, `expected one allocator per node: 1 to ${NODES_MAX}`);
  const kinds = items.map((item) => reader.oneOf(item, ALLOCATOR_KINDS));
  return kinds.every((kind) => kind !== null) ? kinds as AllocatorKind[] : null;
}

/** A node name n0 .. n{count-1} -> its index. */
function readNode(reader: SpecReader, field: Field, nodeCount: number): number | null {
  const value = reader.scalarValue(field);
  const match = typeof value === 'string' ? /^n(0|[1-9]\d{0,5})$/.exec(value) : null;
  const index = match ? Number(match[1]) : -1;
  if (index < 0 || index >= nodeCount) {
    const known = nodeCount === 1 ? 'n0 (the cluster has one node)' : `n0..n${nodeCount - 1} (the cluster has ${nodeCount} nodes)`;
    return reader.fail(field, `expected a node ${known}`);
  }
  return index;
}

function readCluster(reader: SpecReader, field: Field): ClusterSpec | null {
  if (reader.isEmpty(field)) return CLUSTER_DEFAULTS;
  const fields = reader.fields(field, keysOf('cluster'));
  if (fields === null) return null;
  const nodeCount = fields.nodes ? reader.integer(fields.nodes, 1, NODES_MAX, `a node count from 1 to ${NODES_MAX}`) : CLUSTER_DEFAULTS.nodeCount;
  const topology = fields.topology ? reader.oneOf(fields.topology, TOPOLOGIES) : CLUSTER_DEFAULTS.topology;
  const latency = fields.latency ? reader.tickRange(fields.latency, LATENCY_TICKS_MAX) : CLUSTER_DEFAULTS.latency;
  const lossPpm = fields.loss ? reader.probability(fields.loss) : CLUSTER_DEFAULTS.lossPpm;
  const faults = nodeCount !== null && fields.faults ? readFaults(reader, fields.faults, nodeCount) : [];
  const nodeCapabilities = nodeCount !== null && fields.capabilities ? readNodeCapabilities(reader, fields.capabilities, nodeCount) : undefined;
  const failover = fields.failover ? readSwitch(reader, fields.failover) : false;
  if (nodeCount === null || topology === null || latency === null || lossPpm === null || faults === null || nodeCapabilities === null || failover === null) return null;
  return { nodeCount, topology, latency, lossPpm, faults, ...(nodeCapabilities === undefined ? {} : { nodeCapabilities }), ...(failover ? { failover } : {}) };
}

/** `capabilities: { n1: [gpu], n2: [gpu, fast] }` -> one list per node (unnamed nodes: none). */
function readNodeCapabilities(reader: SpecReader, field: Field, nodeCount: number): string[][] | null {
  const entries = reader.entries(field, 'a mapping of nodes to capabilities like { n1: [gpu] }');
  if (entries === null) return null;
  const result: string[][] = Array.from({ length: nodeCount }, () => []);
  let ok = true;
  for (const entry of entries) {
    const node = readNode(reader, entry.keyField, nodeCount);
    const names = readCapabilities(reader, entry.value);
    if (node === null || names === null) { ok = false; continue; }
    result[node] = names;
  }
  return ok ? result : null;
}

function readFaults(reader: SpecReader, field: Field, nodeCount: number): FaultSpec[] | null {
  if (reader.isEmpty(field)) return [];
  const items = reader.items(field, 'a list of faults like - { at: 200ms, crash: n1 }');
  if (items === null) return null;
  if (items.length > FAULTS_MAX) return reader.fail(field, `too many faults: ${items.length}, at most ${FAULTS_MAX}`);
  const faults: FaultSpec[] = [];
  let ok = true;
  for (const item of items) {
    const fault = readFault(reader, item, nodeCount);
    if (fault === null) ok = false;
    else faults.push(fault);
  }
  if (!ok) return null;
  // Stable sort: faults at the same tick keep their spec order.
  return faults.map((fault, index) => ({ fault, index }))
    .sort((a, b) => a.fault.atTicks - b.fault.atTicks || a.index - b.index)
    .map(({ fault }) => fault);
}

function readFault(reader: SpecReader, field: Field, nodeCount: number): FaultSpec | null {
  const kinds = keysOf('fault').filter((key) => key !== 'at') as readonly ('partition' | 'heal' | 'crash' | 'recover')[];
  const fields = reader.fields(field, keysOf('fault'), requiredKeysOf('fault'), 'a fault like { at: 200ms, crash: n1 }');
  if (fields === null) return null;
  const present = kinds.filter((kind) => fields[kind] !== undefined);
  if (present.length !== 1) {
    return reader.fail(field, present.length === 0 ? `a fault needs one of ${quoteList(kinds)}` : `one fault per item: ${quoteList(present)} are in the same item`);
  }
  const atTicks = fields.at ? reader.duration(fields.at, 0, DURATION_TICKS_MAX) : null;
  const line = reader.position(field.offset).line;
  const kind = present[0];
  const value = fields[kind] as Field;
  if (kind === 'heal') {
    if (reader.scalarValue(value) !== 'all') return reader.fail(value, 'expected heal: all');
    return atTicks === null ? null : { kind, atTicks, line };
  }
  if (kind === 'crash' || kind === 'recover') {
    const node = readNode(reader, value, nodeCount);
    return atTicks === null || node === null ? null : { kind, atTicks, node, line };
  }
  const groupFields = reader.items(value, 'a list of node groups like [[n0], [n1, n2]]');
  if (groupFields === null) return null;
  const seen = new Set<number>();
  const groups: number[][] = [];
  let ok = true;
  for (const groupField of groupFields) {
    const nodeFields = reader.items(groupField, 'a group: a list of node names like [n1, n2]');
    if (nodeFields === null) { ok = false; continue; }
    if (nodeFields.length === 0) { reader.fail(groupField, 'expected a group with at least one node'); ok = false; continue; }
    const group: number[] = [];
    for (const nodeField of nodeFields) {
      const node = readNode(reader, nodeField, nodeCount);
      if (node === null) { ok = false; continue; }
      if (seen.has(node)) { reader.fail(nodeField, `node n${node} is in two groups`); ok = false; continue; }
      seen.add(node);
      group.push(node);
    }
    groups.push(group);
  }
  if (!ok || atTicks === null) return null;
  // Nodes the spec does not name form one last group, so the partition covers every node.
  const rest: number[] = [];
  for (let node = 0; node < nodeCount; node++) if (!seen.has(node)) rest.push(node);
  if (rest.length > 0) groups.push(rest);
  if (groups.length < 2) return reader.fail(value, 'a partition needs at least two groups');
  return { kind: 'partition', atTicks, groups, line };
}

/** The shared objects, and the names of those whose declaration was wrong (steps naming them say nothing more). */
function readShared(reader: SpecReader, field: Field): { objects: SharedSpec[]; broken: Map<string, SharedEntry> } {
  const sharedBrokenNames = new Map<string, SharedEntry>();
  const result: SharedSpec[] = [];
  const done = { objects: result, broken: sharedBrokenNames };
  if (reader.isEmpty(field)) return done;
  const entries = reader.entries(field, 'a mapping of shared objects like seen: { type: or-set }');
  if (entries === null) return done;
  if (entries.length > SHARED_OBJECTS_MAX) reader.fail(field, `too many shared objects: ${entries.length}, at most ${SHARED_OBJECTS_MAX}`);
  for (const entry of entries.slice(0, SHARED_OBJECTS_MAX)) {
    const name = reader.name(entry.keyField, NAME_CHARS_MAX, 'a shared object name');
    if (name === null) continue;
    let typeField = entry.value;
    let statesField: Field | undefined;
    if (!isScalarish(reader, entry.value)) {
      const fields = reader.fields(entry.value, keysOf('shared'), requiredKeysOf('shared'), 'a mapping like { type: pn-counter }');
      if (fields === null || !fields.type) { sharedBrokenNames.set(name, { index: -1, type: null, states: [] }); continue; }
      typeField = fields.type;
      statesField = fields.states;
    }
    const type = reader.oneOf(typeField, SHARED_TYPES);
    if (type === null) { sharedBrokenNames.set(name, { index: -1, type: null, states: [] }); continue; }
    const states = readWorkflowStates(reader, type, statesField, entry.value);
    if (states === null) { sharedBrokenNames.set(name, { index: -1, type: null, states: [] }); continue; }
    result.push({ index: result.length, name, type, states });
  }
  return done;
}

/** A workflow's `states` (required, distinct names in order); any other type takes none. */
function readWorkflowStates(reader: SpecReader, type: SharedType, field: Field | undefined, declaration: Field): string[] | null {
  if (type !== 'workflow') {
    if (field === undefined) return [];
    reader.fail(field, `states apply to a workflow only; a ${type} takes just { type: ${type} }`);
    return null;
  }
  if (field === undefined) {
    reader.fail(declaration, 'a workflow needs its states in order, like { type: workflow, states: [pending, running, done] }');
    return null;
  }
  const items = reader.items(field, 'a list of state names like [pending, running, done]');
  if (items === null) return null;
  if (items.length === 0 || items.length > WORKFLOW_STATES_MAX) {
    reader.fail(field, `a workflow has 1 to ${WORKFLOW_STATES_MAX} states, got ${items.length}`);
    return null;
  }
  const states: string[] = [];
  for (const item of items) {
    const state = reader.name(item, NAME_CHARS_MAX, 'a state name');
    if (state === null) return null;
    if (states.includes(state)) { reader.fail(item, `state "${state}" is listed twice`); return null; }
    states.push(state);
  }
  return states;
}

function isScalarish(reader: SpecReader, field: Field): boolean {
  const value = reader.scalarValue(field);
  return value !== undefined && value !== null;
}

function readResources(reader: SpecReader, field: Field): ResourceSpec[] {
  if (reader.isEmpty(field)) return [];
  const entries = reader.entries(field, 'a mapping of resources like gpu: { units: 4 }');
  if (entries === null) return [];
  if (entries.length > RESOURCES_MAX) reader.fail(field, `too many resources: ${entries.length}, at most ${RESOURCES_MAX}`);
  const result: ResourceSpec[] = [];
  for (const entry of entries.slice(0, RESOURCES_MAX)) {
    const name = reader.name(entry.keyField, NAME_CHARS_MAX, 'a resource name');
    if (name === null) continue;
    let unitsField = entry.value;
    let auction: ResourceSpec['auction'] | null = 'second-price';
    if (!isScalarish(reader, entry.value)) {
      const fields = reader.fields(entry.value, keysOf('resource'), requiredKeysOf('resource'), 'a mapping like { units: 4, auction: second-price }');
      if (fields === null || !fields.units) continue;
      unitsField = fields.units;
      if (fields.auction) auction = reader.oneOf(fields.auction, AUCTION_KINDS);
    }
    const units = reader.integer(unitsField, 1, RESOURCE_UNITS_MAX, `units: an integer from 1 to ${RESOURCE_UNITS_MAX}`);
    if (units === null || auction === null) continue;
    result.push({ index: result.length, name, units, auction });
  }
  return result;
}

interface AgentEnvironment {
  /** null when the cluster section was wrong (placements are then not checked). */
  readonly nodeCount: number | null;
  /** Each node's capabilities (undefined: the spec names none; null: the cluster was wrong). */
  readonly nodeCapabilities: readonly (readonly string[])[] | undefined | null;
  readonly heapBytes: number;
  readonly shared: ReadonlyMap<string, SharedEntry>;
  readonly sharedBroken: ReadonlyMap<string, SharedEntry>;
  readonly resources: ReadonlyMap<string, ResourceEntry>;
}

/** An agent read so far: null fields where it had errors; its context holds its port uses. */
interface AgentDraft {
  readonly spec: Omit<AgentSpec, 'ports'> | null;
  readonly context: ProgramContext;
  readonly name: string;
}

function readAgents(reader: SpecReader, field: Field, environment: AgentEnvironment): AgentDraft[] | null {
  const entries = reader.entries(field, 'a mapping of agents like source: { program: producer }');
  if (entries === null) return null;
  if (entries.length === 0) return reader.fail(field, 'expected at least one agent');
  if (entries.length > AGENTS_MAX) reader.fail(field, `too many agents: ${entries.length}, at most ${AGENTS_MAX}`);
  const kept = entries.slice(0, AGENTS_MAX);
  const names = kept.map((entry) => entry.key);
  for (const entry of kept) reader.name(entry.keyField, NAME_CHARS_MAX, 'an agent name');
  // Shared objects with a broken declaration resolve to type null: crdt steps on them say nothing more.
  const shared = new Map<string, SharedEntry>([...environment.sharedBroken, ...environment.shared]);
  const drafts: AgentDraft[] = [];
  let processCount = 0;
  let stepCount = 0;
  let processLimitReported = false;
  let stepLimitReported = false;
  for (const [index, entry] of kept.entries()) {
    const context = new ProgramContext(reader, names, shared, environment.resources);
    const spec = readAgent(reader, entry.value, index, entry.key, context, environment, reader.position(entry.keyField.offset).line);
    if (spec !== null) {
      processCount += spec.replicas;
      if (processCount > PROCESSES_MAX && !processLimitReported) {
        processLimitReported = true;
        reader.fail(entry.value, `too many processes: the agents up to ${entry.key} start ${processCount}, at most ${PROCESSES_MAX}`);
      }
      stepCount += countSteps(spec.program);
      if (stepCount > SPEC_STEPS_MAX && !stepLimitReported) {
        stepLimitReported = true;
        reader.fail(entry.value, `too many steps: the programs up to ${entry.key} have ${stepCount}, at most ${SPEC_STEPS_MAX}`);
      }
    }
    drafts.push({ spec, context, name: entry.key });
  }
  return drafts;
}

function readAgent(reader: SpecReader, field: Field, index: number, name: string, context: ProgramContext, environment: AgentEnvironment, line: number): Omit<AgentSpec, 'ports'> | null {
  const fields = reader.fields(field, AGENT_KEYS, requiredKeysOf('agent'), 'an agent: a mapping with a program');
  if (fields === null) return null;
  const replicas = fields.replicas ? reader.integer(fields.replicas, 0, REPLICAS_MAX, `replicas: an integer from 0 to ${REPLICAS_MAX}`) : 1;
  let node: number | 'any' | null = 'any';
  if (fields.node && reader.scalarValue(fields.node) !== 'any') {
    node = environment.nodeCount === null ? null : readNode(reader, fields.node, environment.nodeCount);
    if (node === null && environment.nodeCount !== null) {
      const last = reader.errors[reader.errors.length - 1];
      reader.errors[reader.errors.length - 1] = { ...last, message: `${last.message} or any` };
    }
  }
  const priority = fields.priority ? reader.integer(fields.priority, -20, 19, 'a priority from -20 (most favoured) to 19 (least)') : 0;
  let memoryBytes = fields.memory ? reader.size(fields.memory, 1, SIZE_BYTES_MAX) : environment.heapBytes;
  if (fields.memory && memoryBytes !== null && memoryBytes > environment.heapBytes) {
    // A limit the node's heap runs out before: the number would promise what the run cannot do.
    memoryBytes = reader.fail(fields.memory, `a process's memory limit (${memoryBytes} bytes) cannot exceed a node's heap (${environment.heapBytes} bytes, kernel.memory); write at most ${environment.heapBytes}B or raise kernel.memory`);
  }
  const restart = fields.restart ? readRestart(reader, fields.restart) : RESTART_DEFAULTS;
  const capabilities = fields.capabilities ? readCapabilities(reader, fields.capabilities) : [];
  const budget = fields.budget ? reader.integer(fields.budget, 0, BUDGET_MAX, `a budget: integer credits from 0 to ${BUDGET_MAX}`) : undefined;
  const livenessTicks = fields.liveness ? reader.duration(fields.liveness, 1, DURATION_TICKS_MAX) : undefined;
  const readiness = fields.readiness ? readReadiness(reader, fields.readiness, memoryBytes) : undefined;
  const requires = fields.requires ? readRequires(reader, fields.requires, fields.node, node, environment.nodeCapabilities) : undefined;
  const program = fields.program ? readProgram(reader, fields.program, fields.args ?? null, context) : null;
  if (replicas === null || node === null || priority === null || memoryBytes === null || restart === null || capabilities === null || budget === null || program === null || livenessTicks === null || readiness === null || requires === null) return null;
  return {
    index,
    name,
    replicas,
    node,
    priority,
    memoryBytes,
    restart,
    ...(livenessTicks === undefined ? {} : { livenessTicks }),
    ...(readiness === undefined ? {} : { readiness }),
    ...(requires === undefined ? {} : { requires }),
    capabilities,
    ...(budget === undefined ? {} : { budget }),
    behaviour: program.behaviour,
    program: program.steps,
    line,
  };
}

function readRestart(reader: SpecReader, field: Field): RestartSpec | null {
  if (isScalarish(reader, field)) {
    const policy = readRestartPolicy(reader, field);
    return policy === null ? null : { ...RESTART_DEFAULTS, policy };
  }
  const fields = reader.fields(field, keysOf('restart'), requiredKeysOf('restart'), 'a restart policy (never, on-failure, always) or { policy, max, backoff }');
  if (fields === null || !fields.policy) return null;
  const policy = readRestartPolicy(reader, fields.policy);
  const countMax = fields.max ? reader.integer(fields.max, 0, RESTARTS_MAX, `max: an integer from 0 to ${RESTARTS_MAX}`) : RESTART_DEFAULTS.countMax;
  // A duration is the constant backoff of format 1; a mapping is CrashLoopBackOff.
  const constant = !fields.backoff || reader.scalarValue(fields.backoff) !== undefined;
  const backoffTicks = !fields.backoff ? RESTART_DEFAULTS.backoffTicks : constant ? reader.duration(fields.backoff, 0, DURATION_TICKS_MAX) : 0;
  const crashLoop = fields.backoff && !constant ? readBackoff(reader, fields.backoff) : undefined;
  if (policy === null || countMax === null || backoffTicks === null || crashLoop === null) return null;
  return crashLoop ? { policy, countMax, backoffTicks: crashLoop.initialTicks, crashLoop } : { policy, countMax, backoffTicks };
}

/**
 * `requires: [gpu]`: some node must offer every name (and the agent's own `node:` if it names
 * one); otherwise the placement cannot be satisfied, an error at the name or the node.
 */
function readRequires(reader: SpecReader, field: Field, nodeField: Field | undefined, node: number | 'any' | null, offered: readonly (readonly string[])[] | undefined | null): string[] | null {
  const names = readCapabilities(reader, field);
  if (names === null || offered === null) return names;
  const has = (index: number) => names.every((name) => (offered ?? [])[index]?.includes(name));
  const items = reader.items(field) ?? [];
  for (const [index, name] of names.entries()) {
    if (!(offered ?? []).some((list) => list.includes(name))) {
      const known = [...new Set((offered ?? []).flat())];
      return reader.fail(items[index] ?? field, `no node offers capability "${name}"${didYouMean(name, known)}; cluster.capabilities ${known.length === 0 ? 'names none' : `offers ${quoteList(known)}`}, so this agent cannot be placed`);
    }
  }
  const nodes = (offered ?? []).map((_, index) => index).filter(has);
  if (nodes.length === 0) return reader.fail(field, `no node offers all of ${quoteList(names)} together, so this agent cannot be placed`);
  if (typeof node === 'number' && !has(node) && nodeField) return reader.fail(nodeField, `node n${node} does not offer ${quoteList(names.filter((name) => !(offered ?? [])[node]?.includes(name)))}, which this agent requires; ${quoteList(nodes.map((index) => `n${index}`))} ${nodes.length === 1 ? 'does' : 'do'}, or write node: any`);
  return names;
}

function readCapabilities(reader: SpecReader, field: Field): string[] | null {
  const items = reader.items(field, 'a list of capability names like [fast, gpu]');
  if (items === null) return null;
  if (items.length > CAPABILITIES_MAX) return reader.fail(field, `too many capabilities: ${items.length}, at most ${CAPABILITIES_MAX}`);
  const result: string[] = [];
  for (const item of items) {
    const name = reader.name(item, NAME_CHARS_MAX, 'a capability name');
    if (name === null) return null;
    if (result.includes(name)) return reader.fail(item, `capability "${name}" is listed twice`);
    result.push(name);
  }
  return result;
}

function readProgram(reader: SpecReader, field: Field, argsField: Field | null, context: ProgramContext): { behaviour: AgentSpec['behaviour']; steps: Step[] } | null {
  const value = reader.scalarValue(field);
  if (typeof value === 'string') {
    const behaviour = findBehaviour(value);
    if (behaviour === undefined) return reader.fail(field, `unknown behaviour "${value}"${didYouMean(value, BEHAVIOUR_NAMES)}; built-in behaviours: ${quoteList(BEHAVIOUR_NAMES)}, or write a list of steps`);
    const steps = expandBehaviour(context, behaviour, argsField, field);
    if (steps === null) return null;
    if (countSteps(steps) > PROGRAM_STEPS_MAX || nestingDepth(steps) > NESTING_DEPTH_MAX) return reader.fail(argsField ?? field, `${behaviour.name} with these arguments expands past ${PROGRAM_STEPS_MAX} steps or ${NESTING_DEPTH_MAX} levels of nesting`);
    return { behaviour: behaviour.name, steps };
  }
  if (argsField !== null) reader.fail(argsField, 'args go with a built-in behaviour (program: producer); a list of steps takes none');
  if (value !== undefined) return reader.fail(field, `expected a program: a built-in behaviour (${quoteList(BEHAVIOUR_NAMES)}) or a list of steps`);
  const steps = readSteps(context, field, 0);
  let ok = steps !== null;
  for (const free of context.frees) {
    if (!context.allocNames.has(free.name)) {
      reader.fail(free.field, `no alloc in this program binds "${free.name}"${didYouMean(free.name, context.allocNames)}; free names the "as" of an alloc`);
      ok = false;
    }
  }
  return ok && steps !== null && argsField === null ? { behaviour: null, steps } : null;
}

function readChannels(reader: SpecReader, field: Field, agents: readonly AgentDraft[]): ChannelSpec[] | null {
  if (reader.isEmpty(field)) return [];
  const items = reader.items(field, 'a list of channels like - { from: source.out, to: sink.in }');
  if (items === null) return null;
  if (items.length > CHANNELS_MAX) return reader.fail(field, `too many channels: ${items.length}, at most ${CHANNELS_MAX}`);
  const ends = new Map<string, number>(); // "agent.port" -> channel index
  const channels: ChannelSpec[] = [];
  let ok = true;
  let capacityTotal = 0, totalReported = false;
  for (const [index, item] of items.entries()) {
    const fields = reader.fields(item, keysOf('channel'), requiredKeysOf('channel'), 'a channel like { from: source.out, to: sink.in }');
    if (fields === null || !fields.from || !fields.to) { ok = false; continue; }
    const from = readEndpoint(reader, fields.from, agents, 'out', ends, index);
    const to = readEndpoint(reader, fields.to, agents, 'in', ends, index);
    const capacity = fields.capacity ? reader.integer(fields.capacity, 1, CHANNEL_CAPACITY_MAX, `a capacity from 1 to ${CHANNEL_CAPACITY_MAX} messages`) : CHANNEL_CAPACITY_DEFAULT;
    const rate = fields.rate ? reader.rate(fields.rate, RATE_COUNT_MAX, DURATION_TICKS_MAX) : null;
    const breaker = fields.breaker ? readBreaker(reader, fields.breaker) : undefined;
    if (from === null || to === null || capacity === null || (fields.rate && rate === null) || breaker === null) { ok = false; continue; }
    channels.push({ index, from, to, capacity, rate, ...(breaker ? { breaker } : {}), line: reader.position(item.offset).line });
    capacityTotal += capacity;
    if (capacityTotal > CHANNELS_CAPACITY_TOTAL_MAX && !totalReported) {
      totalReported = true;
      ok = false;
      reader.fail(fields.capacity ?? item, `the channels up to this one hold ${capacityTotal} messages, more than the ${CHANNELS_CAPACITY_TOTAL_MAX} all channels may hold together`);
    }
  }
  return ok ? channels : null;
}

export const READINESS_PERIOD_DEFAULT_TICKS = 10_000;

/** `readiness: 20ms` (a warm-up delay alone) or `{ delay, period, heap }` (neither delay nor heap: always ready). */
function readReadiness(reader: SpecReader, field: Field, memoryBytes: number | null): ReadinessSpec | null {
  if (reader.isEmpty(field)) return { delayTicks: 0, periodTicks: READINESS_PERIOD_DEFAULT_TICKS };
  if (isScalarish(reader, field)) {
    const delayTicks = reader.duration(field, 0, DURATION_TICKS_MAX);
    return delayTicks === null ? null : { delayTicks, periodTicks: READINESS_PERIOD_DEFAULT_TICKS };
  }
  const fields = reader.fields(field, keysOf('readiness'), requiredKeysOf('readiness'), 'a readiness probe: a warm-up delay (readiness: 20ms) or { delay, period, heap }');
  if (fields === null) return null;
  const delayTicks = fields.delay ? reader.duration(fields.delay, 0, DURATION_TICKS_MAX) : 0;
  const periodTicks = fields.period ? reader.duration(fields.period, 1, DURATION_TICKS_MAX) : READINESS_PERIOD_DEFAULT_TICKS;
  let heapBytes = fields.heap ? reader.size(fields.heap, 1, SIZE_BYTES_MAX) : undefined;
  if (fields.heap && heapBytes !== null && heapBytes !== undefined && memoryBytes !== null && heapBytes > memoryBytes) {
    heapBytes = reader.fail(fields.heap, `heap: ${heapBytes} bytes is more than the agent's memory limit (${memoryBytes} bytes): it would always be ready; write at most ${memoryBytes}B`);
  }
  if (delayTicks === null || periodTicks === null || heapBytes === null) return null;
  return { delayTicks, periodTicks, ...(heapBytes === undefined ? {} : { heapBytes }) };
}

export const BREAKER_DEFAULTS: BreakerSpec = { thresholdPpm: 500_000, windowTicks: 10_000, min: 5, cooldownTicks: 20_000 };

function readBreaker(reader: SpecReader, field: Field): BreakerSpec | null {
  if (reader.isEmpty(field)) return BREAKER_DEFAULTS;
  const fields = reader.fields(field, keysOf('breaker'), requiredKeysOf('breaker'), 'a breaker like { threshold: 50%, window: 10ms }');
  if (fields === null) return null;
  const thresholdPpm = fields.threshold ? reader.probability(fields.threshold) : BREAKER_DEFAULTS.thresholdPpm;
  const windowTicks = fields.window ? reader.duration(fields.window, 1, DURATION_TICKS_MAX) : BREAKER_DEFAULTS.windowTicks;
  const min = fields.min ? reader.integer(fields.min, 1, 1_000_000, 'min: an integer from 1 to 1000000') : BREAKER_DEFAULTS.min;
  const cooldownTicks = fields.cooldown ? reader.duration(fields.cooldown, 1, DURATION_TICKS_MAX) : BREAKER_DEFAULTS.cooldownTicks;
  if (thresholdPpm === null || windowTicks === null || min === null || cooldownTicks === null) return null;
  return { thresholdPpm, windowTicks, min, cooldownTicks };
}

function readEndpoint(reader: SpecReader, field: Field, agents: readonly AgentDraft[], direction: 'in' | 'out', ends: Map<string, number>, channelIndex: number): Endpoint | null {
  const value = reader.scalarValue(field);
  const match = typeof value === 'string' ? /^([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(value) : null;
  if (match === null) return reader.fail(field, 'expected an endpoint like agent.port');
  const [, agentName, port] = match;
  const agentIndex = agents.findIndex((agent) => agent.name === agentName);
  if (agentIndex < 0) return reader.fail(field, `unknown agent "${agentName}"${didYouMean(agentName, agents.map((agent) => agent.name))}`);
  const agent = agents[agentIndex];
  // An agent whose program had errors may lack ports it meant to use: do not pile on.
  if (agent.spec !== null) {
    const use = agent.context.ports.get(port);
    const wanted = direction === 'out' ? 'sends on (send)' : 'receives on (recv)';
    if (use === undefined || use.direction !== direction) {
      const candidates = [...agent.context.ports].filter(([, portUse]) => portUse.direction === direction).map(([name]) => name);
      const list = candidates.length === 0 ? `it has no ${direction} ports` : `its ${direction} ports: ${quoteList(candidates)}`;
      const other = use !== undefined ? ` ("${port}" is an ${use.direction} port)` : didYouMean(port, candidates);
      return reader.fail(field, `agent "${agentName}" has no ${direction} port "${port}"${other}: a channel's ${direction === 'out' ? 'from' : 'to'} must be a port the agent ${wanted}; ${list}`);
    }
  }
  const key = `${agentName}.${port}`;
  const previous = ends.get(key);
  if (previous !== undefined) return reader.fail(field, `port ${key} is already an end of channels[${previous}]; each port joins one channel`);
  ends.set(key, channelIndex);
  return { agentIndex, agent: agentName, port };
}

/** Checks every port is joined by a channel and binds send/recv steps to their channels. */
function finishAgents(reader: SpecReader, drafts: readonly AgentDraft[], channels: readonly ChannelSpec[]): AgentSpec[] | null {
  const agents: AgentSpec[] = [];
  for (const draft of drafts) {
    if (draft.spec === null) continue;
    const ports: PortSpec[] = [];
    for (const [name, use] of draft.context.ports) {
      const channel = channels.find((candidate) => {
        const end = use.direction === 'out' ? candidate.from : candidate.to;
        return end.agentIndex === draft.spec?.index && end.port === name;
      });
      if (channel === undefined) {
        const example = use.direction === 'out' ? `{ from: ${draft.name}.${name}, to: <agent>.<port> }` : `{ from: <agent>.<port>, to: ${draft.name}.${name} }`;
        reader.fail(use.field, `port "${name}" of agent "${draft.name}" is not joined by any channel; add one like ${example}`);
        continue;
      }
      ports.push({ name, direction: use.direction, channelIndex: channel.index });
    }
    const channelOf = (port: string): number => ports.find((candidate) => candidate.name === port)?.channelIndex ?? -1;
    agents.push({ ...draft.spec, program: bindPorts(draft.spec.program, channelOf), ports });
  }
  return agents.length === drafts.length ? agents : null;
}
