// `supervisors:` (Erlang/OTP supervisor trees) and CrashLoopBackOff `backoff:` mappings. Read
// after the agents: children name agents or other supervisors; every agent and supervisor is
// the child of at most one supervisor, and the trees have no cycles. A supervised agent's
// `restart` says only its restart type (the supervisor's intensity and period limit its
// restarts, its backoff spaces them), and defaults to permanent as in OTP.
import { isMap, isScalar, type Node } from 'yaml';
import { DURATION_TICKS_MAX, NAME_CHARS_MAX, SUPERVISOR_INTENSITY_MAX, SUPERVISORS_MAX } from './limits';
import { didYouMean, type Field, quoteList, type SpecReader } from './reader';
import { keysOf, requiredKeysOf } from './keys';
import {
  type AgentSpec, type CrashLoopSpec, RESTART_POLICIES, RESTART_TYPES, type RestartPolicy, SUPERVISOR_STRATEGIES,
  type SupervisorChildSpec, type SupervisorSpec,
} from './types';

/** OTP's defaults: at most 1 restart in 5 s. */
export const SUPERVISOR_DEFAULTS = { strategy: 'one_for_one', intensity: 1, periodTicks: 5_000_000 } as const;
/** Kubernetes' CrashLoopBackOff (10 s doubling to 5 min, reset after 10 min) scaled 1:1000 to the simulation's milliseconds. */
export const CRASH_LOOP_DEFAULTS: CrashLoopSpec = { initialTicks: 10_000, maxTicks: 300_000, resetTicks: 600_000 };

/** `never | on-failure | always` or OTP's `temporary | transient | permanent` (the same three). */
export function readRestartPolicy(reader: SpecReader, field: Field): RestartPolicy | null {
  const value = reader.scalarValue(field);
  const index = typeof value === 'string' ? (RESTART_TYPES as readonly string[]).indexOf(value) : -1;
  if (index >= 0) return (['always', 'on-failure', 'never'] as const)[index];
  if (typeof value === 'string' && (RESTART_POLICIES as readonly string[]).includes(value)) return value as RestartPolicy;
  const all = [...RESTART_POLICIES, ...RESTART_TYPES];
  return reader.fail(field, `expected one of ${quoteList(all)}${typeof value === 'string' ? didYouMean(value, all) : ''}`);
}

/** `backoff: 5ms` (a constant delay) or `backoff: { initial, max, reset }` (CrashLoopBackOff). */
export function readBackoff(reader: SpecReader, field: Field): CrashLoopSpec | null {
  if (reader.isEmpty(field)) return CRASH_LOOP_DEFAULTS;
  const value = reader.scalarValue(field);
  if (value !== undefined) {
    const ticks = reader.duration(field, 0, DURATION_TICKS_MAX);
    return ticks === null ? null : { initialTicks: ticks, maxTicks: ticks, resetTicks: CRASH_LOOP_DEFAULTS.resetTicks };
  }
  const fields = reader.fields(field, keysOf('backoff'), requiredKeysOf('backoff'), 'a duration like 5ms or { initial, max, reset }');
  if (fields === null) return null;
  const initialTicks = fields.initial ? reader.duration(fields.initial, 0, DURATION_TICKS_MAX) : CRASH_LOOP_DEFAULTS.initialTicks;
  const maxTicks = fields.max ? reader.duration(fields.max, 0, DURATION_TICKS_MAX) : Math.max(CRASH_LOOP_DEFAULTS.maxTicks, initialTicks ?? 0);
  const resetTicks = fields.reset ? reader.duration(fields.reset, 0, DURATION_TICKS_MAX) : CRASH_LOOP_DEFAULTS.resetTicks;
  if (initialTicks === null || maxTicks === null || resetTicks === null) return null;
  if (maxTicks < initialTicks) return reader.fail(fields.max ?? field, `max (${maxTicks}us) is below initial (${initialTicks}us): the delay doubles from initial up to max`);
  return { initialTicks, maxTicks, resetTicks };
}

/** The value under `key` of a mapping field, without reporting anything. */
function child(reader: SpecReader, field: Field | undefined, key: string): Field | undefined {
  if (!field || !isMap(field.node)) return undefined;
  const pair = field.node.items.find((item) => isScalar(item.key) && item.key.value === key);
  return pair && pair.value ? reader.field(pair.value as Node, `${field.path}.${key}`, field.offset) : undefined;
}

interface Draft {
  readonly name: string;
  readonly field: Field;
  readonly strategy: SupervisorSpec['strategy'] | null;
  readonly intensity: number | null;
  readonly periodTicks: number | null;
  readonly backoff: CrashLoopSpec | null;
  readonly restart: RestartPolicy | null;
  readonly children: { name: string; field: Field }[];
  readonly line: number;
}

/**
 * The supervisors, and the agents with a supervised agent's restart filled in (permanent unless
 * written). `agentsField` is the spec's `agents:` mapping (for the place of each agent's restart).
 */
export function readSupervisors(reader: SpecReader, field: Field, agents: readonly AgentSpec[], agentsField: Field | undefined): { supervisors: SupervisorSpec[]; agents: AgentSpec[] } | null {
  if (reader.isEmpty(field)) return { supervisors: [], agents: [...agents] };
  const entries = reader.entries(field, 'a mapping of supervisors like pipeline: { strategy: one_for_all, children: [mapper, reducer] }');
  if (entries === null) return null;
  if (entries.length > SUPERVISORS_MAX) return reader.fail(field, `too many supervisors: ${entries.length}, at most ${SUPERVISORS_MAX}`);
  const drafts: Draft[] = [];
  let ok = true;
  for (const entry of entries) {
    const name = reader.name(entry.keyField, NAME_CHARS_MAX, 'a supervisor name');
    const fields = reader.fields(entry.value, keysOf('supervisor'), requiredKeysOf('supervisor'), 'a supervisor: a mapping with children');
    if (name === null || fields === null || !fields.children) { ok = false; continue; }
    if (agents.some((agent) => agent.name === name)) { reader.fail(entry.keyField, `"${name}" is already an agent's name; a supervisor needs a name of its own`); ok = false; continue; }
    const strategy = fields.strategy ? reader.oneOf(fields.strategy, SUPERVISOR_STRATEGIES) : SUPERVISOR_DEFAULTS.strategy;
    const intensity = fields.intensity ? reader.integer(fields.intensity, 0, SUPERVISOR_INTENSITY_MAX, `intensity: restarts within the period, an integer from 0 to ${SUPERVISOR_INTENSITY_MAX}`) : SUPERVISOR_DEFAULTS.intensity;
    const periodTicks = fields.period ? reader.duration(fields.period, 1, DURATION_TICKS_MAX) : SUPERVISOR_DEFAULTS.periodTicks;
    const backoff = fields.backoff ? readBackoff(reader, fields.backoff) : CRASH_LOOP_DEFAULTS;
    const restart = fields.restart ? readRestartPolicy(reader, fields.restart) : 'always';
    const items = reader.items(fields.children, 'a list of children: agent or supervisor names, like [mapper, reducer]');
    const children: { name: string; field: Field }[] = [];
    for (const item of items ?? []) {
      const childName = reader.name(item, NAME_CHARS_MAX, 'an agent or supervisor name');
      if (childName === null) { ok = false; continue; }
      if (children.some((other) => other.name === childName)) { reader.fail(item, `"${childName}" is listed twice`); ok = false; continue; }
      children.push({ name: childName, field: item });
    }
    if (items !== null && items.length === 0) { reader.fail(fields.children, 'a supervisor needs at least one child'); ok = false; }
    if (items === null || strategy === null || intensity === null || periodTicks === null || backoff === null || restart === null) { ok = false; continue; }
    drafts.push({ name, field: entry.keyField, strategy, intensity, periodTicks, backoff, restart, children, line: reader.position(entry.keyField.offset).line });
  }
  if (!ok) return null;

  // Resolve children; each agent and supervisor has at most one parent.
  const supervisorIndex = new Map(drafts.map((draft, index) => [draft.name, index]));
  const agentParent = new Map<number, string>();
  const parents: number[] = drafts.map(() => -1);
  const resolved: SupervisorChildSpec[][] = [];
  drafts.forEach((draft, index) => {
    const list: SupervisorChildSpec[] = [];
    for (const { name, field: itemField } of draft.children) {
      const agent = agents.find((candidate) => candidate.name === name);
      const supervisor = supervisorIndex.get(name);
      if (agent !== undefined) {
        const other = agentParent.get(agent.index);
        if (other !== undefined) { reader.fail(itemField, `agent "${name}" is already supervised by ${other}; an agent has one supervisor`); ok = false; continue; }
        agentParent.set(agent.index, draft.name);
        list.push({ kind: 'agent', index: agent.index });
      } else if (supervisor !== undefined) {
        if (supervisor === index) { reader.fail(itemField, `supervisor "${name}" cannot supervise itself`); ok = false; continue; }
        if (parents[supervisor] !== -1) { reader.fail(itemField, `supervisor "${name}" is already a child of ${drafts[parents[supervisor]].name}; a supervisor has one parent`); ok = false; continue; }
        parents[supervisor] = index;
        list.push({ kind: 'supervisor', index: supervisor });
      } else {
        const names = [...agents.map((candidate) => candidate.name), ...drafts.map((candidate) => candidate.name)];
        reader.fail(itemField, `no agent or supervisor is named "${name}"${didYouMean(name, names)}`);
        ok = false;
      }
    }
    resolved.push(list);
  });
  // A cycle: walking up from any supervisor must end at a root within drafts.length steps.
  drafts.forEach((draft, index) => {
    let at = index;
    for (let steps = 0; at !== -1; steps++) {
      if (steps > drafts.length) { reader.fail(draft.field, `supervisor "${draft.name}" is its own ancestor: the supervisors form a cycle`); ok = false; return; }
      at = parents[at];
    }
  });
  if (!ok) return null;

  // A supervised agent's restart is its restart type: its supervisor limits and spaces restarts.
  const adjusted = agents.map((agent) => {
    if (!agentParent.has(agent.index)) return agent;
    const restartField = child(reader, child(reader, agentsField, agent.name), 'restart');
    if (restartField === undefined) return { ...agent, restart: { ...agent.restart, policy: 'always' as const } };
    for (const key of ['max', 'backoff'] as const) {
      const extra = child(reader, restartField, key);
      if (extra !== undefined) reader.fail(extra, `agent "${agent.name}" is supervised by ${agentParent.get(agent.index)}: its intensity and period limit restarts and its backoff spaces them, so restart takes only a restart type here`);
    }
    return agent;
  });
  if (reader.errors.length > 0) return null;
  const supervisors = drafts.map((draft, index): SupervisorSpec => ({
    index,
    name: draft.name,
    strategy: draft.strategy!,
    intensity: draft.intensity!,
    periodTicks: draft.periodTicks!,
    backoff: draft.backoff!,
    restart: draft.restart!,
    children: resolved[index],
    parent: parents[index],
    line: draft.line,
  }));
  return { supervisors, agents: adjusted };
}
