// The names a spec declares, read from its YAML tree even when the spec has errors (or the YAML
// is half-typed): agents and the ports their programs use, shared objects and their types,
// resources, the node count. The editor's autocomplete offers these (`from: source.` -> the out
// ports of source). Best effort and bounded: it never throws and never reports errors; parseSpec
// is what checks.

import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { findBehaviour } from './behaviours';
import { AGENTS_MAX, NODES_MAX, RESOURCES_MAX, SHARED_OBJECTS_MAX, SPEC_TEXT_CHARS_MAX } from './limits';
import { SHARED_TYPES, type SharedType } from './types';

export { EMPTY_OUTLINE, type OutlineAgent, type OutlinePort, type SpecOutline } from './outline-types';
import { EMPTY_OUTLINE, type OutlineAgent, type OutlinePort, type SpecOutline } from './outline-types';

/** Steps walked per program (the parser's own limit is per program too). */
const OUTLINE_STEPS_MAX = 4096;

export function specOutline(text: string): SpecOutline {
  if (typeof text !== 'string' || text.length > SPEC_TEXT_CHARS_MAX) return EMPTY_OUTLINE;
  let root: Node | null;
  try {
    root = parseDocument(text, { lineCounter: new LineCounter(), uniqueKeys: false, prettyErrors: false, version: '1.2' }).contents as Node | null;
  } catch {
    return EMPTY_OUTLINE; // nested too deeply to read: nothing to offer
  }
  if (!isMap(root)) return EMPTY_OUTLINE;
  const top = entries(root);
  const cluster = top.get('cluster');
  const nodes = isMap(cluster) ? scalar(entries(cluster).get('nodes')) : undefined;
  const nodeCount = typeof nodes === 'number' && Number.isInteger(nodes) && nodes >= 1 && nodes <= NODES_MAX ? nodes : 1;
  const shared: { name: string; type: SharedType | null }[] = [];
  const sharedNode = top.get('shared');
  if (isMap(sharedNode)) {
    for (const [name, value] of [...entries(sharedNode)].slice(0, SHARED_OBJECTS_MAX)) {
      const type = isMap(value) ? scalar(entries(value).get('type')) : scalar(value);
      shared.push({ name, type: (SHARED_TYPES as readonly unknown[]).includes(type) ? type as SharedType : null });
    }
  }
  const resourcesNode = top.get('resources');
  const resources = isMap(resourcesNode) ? [...entries(resourcesNode).keys()].slice(0, RESOURCES_MAX) : [];
  const agents: OutlineAgent[] = [];
  const agentsNode = top.get('agents');
  if (isMap(agentsNode)) {
    for (const [name, value] of [...entries(agentsNode)].slice(0, AGENTS_MAX)) {
      agents.push({ name, ports: isMap(value) ? agentPorts(entries(value)) : [] });
    }
  }
  return { agents, shared, resources, nodeCount };
}

function entries(node: Node): Map<string, Node | null> {
  const result = new Map<string, Node | null>();
  if (!isMap(node)) return result;
  for (const pair of node.items) {
    const key = pair.key as Node | null;
    if (isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number') && !result.has(String(key.value))) {
      result.set(String(key.value), (pair.value as Node | null) ?? null);
    }
  }
  return result;
}

function scalar(node: Node | null | undefined): unknown {
  return isScalar(node) ? node.value : undefined;
}

function agentPorts(agent: Map<string, Node | null>): OutlinePort[] {
  const ports = new Map<string, 'in' | 'out'>();
  const use = (name: unknown, direction: 'in' | 'out') => {
    if (typeof name === 'string' && name !== '' && !ports.has(name)) ports.set(name, direction);
  };
  const program = agent.get('program') ?? null;
  const behaviourName = scalar(program);
  if (typeof behaviourName === 'string') {
    const behaviour = findBehaviour(behaviourName);
    if (behaviour === undefined) return [];
    const argsNode = agent.get('args') ?? null;
    const args = argsNode !== null && isMap(argsNode) ? entries(argsNode) : new Map<string, Node | null>();
    for (const arg of behaviour.args) {
      const given = args.get(arg.name);
      if (arg.type.type === 'port') use(given !== undefined ? scalar(given) : arg.default, arg.type.direction);
      if (arg.type.type === 'ports') {
        const names = given !== undefined && isSeq(given) ? given.items.map((item) => scalar(item as Node)) : Array.isArray(arg.default) ? arg.default : [];
        for (const port of names) use(port, arg.type.direction);
      }
    }
  } else if (program !== null && isSeq(program)) {
    let budget = OUTLINE_STEPS_MAX;
    const walk = (list: Node | null, depth: number): void => {
      if (list === null || !isSeq(list) || depth > 16) return;
      for (const item of list.items) {
        if (--budget < 0 || !isMap(item as Node)) continue;
        const step = entries(item as Node);
        for (const [kind, direction] of [['send', 'out'], ['recv', 'in']] as const) {
          const value = step.get(kind);
          if (value === undefined || value === null) continue;
          use(isMap(value) ? scalar(entries(value).get('port')) : scalar(value), direction);
        }
        walk(step.get('do') ?? null, depth + 1);
        const choose = step.get('choose');
        if (choose && isSeq(choose)) for (const branch of choose.items) if (isMap(branch as Node)) walk(entries(branch as Node).get('do') ?? null, depth + 1);
      }
    };
    walk(program, 0);
  }
  return [...ports].map(([name, direction]) => ({ name, direction }));
}
