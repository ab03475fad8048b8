// Autocomplete for the spec editor: the keys valid at the cursor's place in the spec, and the
// values a key takes (scheduler policies, behaviours, restart policies, shared types, CRDT ops of
// the object's type, agent.port ends for channels, node names, behaviour arguments ...). Keys and
// allowed values come from the spec reference (src/spec/reference.ts, behaviours.ts), the same
// tables the parser reads; the names a spec declares (agents, ports, shared objects, resources)
// come from its outline, which the checker worker sends with every check.

import type { Completion, CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete';
import { BEHAVIOURS } from '../../spec/behaviours';
import { EMPTY_OUTLINE, type SpecOutline } from '../../spec/outline';
import {
  argDefaultText, argTypeText, CRDT_OP_REFS, type KeyRef, section, type SectionId, STEPS, stepRef,
} from '../../spec/reference';
import type { SharedType, StepKind } from '../../spec/types';
import { cursorContext, type CursorContext, type PathSegment } from './yaml-path';

export interface SpecCompletion {
  readonly label: string;
  /** 'property' for a key, 'enum' for a value, 'variable' for a name the spec declares. */
  readonly type: 'property' | 'enum' | 'variable' | 'keyword';
  readonly detail?: string;
  readonly info?: string;
  /** Text inserted (a key gets its `: `). */
  readonly apply: string;
}

export interface SpecCompletions {
  readonly from: number;
  readonly options: readonly SpecCompletion[];
}

const STEP_KINDS = STEPS.map((step) => step.kind) as readonly string[];

function keyOptions(refs: readonly KeyRef[], taken: ReadonlyMap<string, string>): SpecCompletion[] {
  return refs.filter((ref) => !taken.has(ref.key)).map((ref) => ({
    label: ref.key,
    type: 'property',
    detail: `${ref.type}${ref.required ? ', required' : ''}${ref.default !== undefined ? `, default ${ref.default}` : ''}`,
    info: `${ref.doc}\n\nExample:\n${ref.example}`,
    apply: `${ref.key}: `,
  }));
}

function values(list: readonly string[], detail?: string, info?: (value: string) => string | undefined): SpecCompletion[] {
  return list.map((value) => ({ label: value, type: 'enum', detail, info: info?.(value), apply: value }));
}

function names(list: readonly string[], detail: string): SpecCompletion[] {
  return list.map((value) => ({ label: value, type: 'variable', detail, apply: value }));
}

/** The section a mapping at `path` belongs to, if it is one of the reference's sections. */
function sectionAt(path: readonly PathSegment[]): SectionId | null {
  const [head, second, third] = path;
  if (path.length === 0) return 'top';
  if (path.length === 1 && head === 'kernel') return 'kernel';
  if (path.length === 1 && head === 'cluster') return 'cluster';
  if (path.length === 3 && head === 'cluster' && second === 'faults' && third === '[]') return 'fault';
  if (path.length === 2 && head === 'agents') return 'agent';
  if (path.length === 3 && head === 'agents' && third === 'restart') return 'restart';
  if (path.length === 2 && head === 'channels' && second === '[]') return 'channel';
  if (path.length === 2 && head === 'shared') return 'shared';
  if (path.length === 2 && head === 'resources') return 'resource';
  if (path.length === 1 && head === 'autonomy') return 'autonomy';
  return null;
}

/** Inside a program: the step path after `agents.<name>.program`, e.g. ['[]', 'repeat'...]. */
function programTail(path: readonly PathSegment[]): { agent: string; tail: readonly PathSegment[] } | null {
  if (path.length >= 3 && path[0] === 'agents' && path[2] === 'program') return { agent: path[1], tail: path.slice(3) };
  return null;
}

/** What the tail of a program path is: a step mapping, a step's argument mapping, a choose branch. */
function programPlace(tail: readonly PathSegment[]): { kind: 'step' } | { kind: 'args'; step: StepKind } | { kind: 'branch' } | null {
  let place: 'steps' | 'step' | 'branches' | 'branch' | { step: StepKind } = 'steps';
  for (const segment of tail) {
    if (place === 'steps') place = segment === '[]' ? 'step' : 'steps';
    else if (place === 'step') {
      if (segment === 'do') place = 'steps';
      else if (segment === 'choose') place = 'branches';
      else if (STEP_KINDS.includes(segment)) place = { step: segment as StepKind };
      else return null;
    } else if (place === 'branches') place = segment === '[]' ? 'branch' : 'branches';
    else if (place === 'branch') place = segment === 'do' ? 'steps' : 'branch';
    else return null;
  }
  if (place === 'step') return { kind: 'step' };
  if (place === 'branch') return { kind: 'branch' };
  if (typeof place === 'object') return { kind: 'args', step: place.step };
  return null;
}

function agentOf(outline: SpecOutline, name: string) {
  return outline.agents.find((agent) => agent.name === name);
}

function sharedType(outline: SpecOutline, object: string | undefined): SharedType | null {
  return outline.shared.find((entry) => entry.name === object)?.type ?? null;
}

function nodeNames(outline: SpecOutline): string[] {
  return Array.from({ length: outline.nodeCount }, (_, index) => `n${index}`);
}

function portsOf(outline: SpecOutline, agent: string | undefined, direction: 'in' | 'out'): string[] {
  return (agent === undefined ? undefined : agentOf(outline, agent))?.ports.filter((port) => port.direction === direction).map((port) => port.name) ?? [];
}

function behaviourOf(context: CursorContext): string | undefined {
  const program = context.siblings.get('program');
  return program === undefined || program === '' ? undefined : program;
}

/** The keys valid where the cursor is, or null when the place is not a known mapping. */
function keysAt(context: CursorContext, outline: SpecOutline, text: string): SpecCompletion[] | null {
  const path = context.path;
  const id = sectionAt(path);
  if (id !== null) return keyOptions(section(id).keys, context.siblings);
  // agents.<name>.args: the behaviour's arguments (the program beside it names the behaviour).
  if (path.length === 3 && path[0] === 'agents' && path[2] === 'args') {
    const agentPath = path.slice(0, 2);
    const behaviour = BEHAVIOURS.find((candidate) => candidate.name === (behaviourOfAgent(text, context, agentPath) ?? ''));
    if (behaviour === undefined) return [];
    return behaviour.args.filter((arg) => !context.siblings.has(arg.name)).map((arg) => {
      const shown = argDefaultText(arg);
      return {
        label: arg.name, type: 'property', apply: `${arg.name}: `,
        detail: `${argTypeText(arg)}${arg.default === undefined ? ', required' : shown !== undefined ? `, default ${shown}` : ''}`,
        info: arg.doc,
      };
    });
  }
  const program = programTail(path);
  if (program !== null) {
    const place = programPlace(program.tail);
    if (place?.kind === 'step') {
      // One step per item: once a step is written, only `do` (beside repeat) may follow.
      const written = [...context.siblings.keys()].filter((key) => STEP_KINDS.includes(key));
      if (written.length > 0) return written.includes('repeat') && !context.siblings.has('do') ? keyOptions(stepRef('repeat').args, context.siblings) : [];
      return STEPS.map((step) => ({
        label: step.kind, type: 'keyword', apply: `${step.kind}: `,
        detail: step.scalar ?? `{ ${step.args.map((arg) => arg.key).join(', ')} }`,
        info: `${step.doc}\n\nExample:\n${step.example}`,
      }));
    }
    if (place?.kind === 'branch') return keyOptions(stepRef('choose').args, context.siblings);
    if (place?.kind === 'args') {
      if (place.step === 'crdt') {
        const type = sharedType(outline, context.siblings.get('object'));
        const op = context.siblings.get('op');
        const ref = CRDT_OP_REFS.find((candidate) => candidate.type === type && candidate.op === op);
        return keyOptions([...stepRef('crdt').args, ...(ref?.args ?? [])], context.siblings);
      }
      return keyOptions(stepRef(place.step).args.filter((arg) => !(place.step === 'repeat' || place.step === 'choose')), context.siblings);
    }
  }
  return null;
}

/** The behaviour an agent's `program:` names, read from its block (or the flow mapping around the cursor). */
function behaviourOfAgent(text: string, context: CursorContext, agentPath: readonly PathSegment[]): string | undefined {
  const inFlow = behaviourOf(context);
  if (inFlow !== undefined && /^[\w-]+$/.test(inFlow)) return inFlow;
  // Block style: `program: producer` among the agent's keys, above or below the cursor.
  const agentLine = new RegExp(`^(\\s*)${agentPath[1].replace(/[-]/g, '\\-')}:\\s*(.*)$`, 'm');
  const match = agentLine.exec(text);
  if (match === null) return undefined;
  const flow = /program:\s*([\w-]+)/.exec(match[2]);
  if (flow !== null) return flow[1];
  const after = text.slice(match.index + match[0].length).split('\n');
  const indent = match[1].length;
  for (const line of after.slice(1)) {
    if (line.trim() === '') continue;
    if (line.length - line.trimStart().length <= indent) break;
    const program = /^\s*program:\s*([\w-]+)\s*(#.*)?$/.exec(line);
    if (program !== null) return program[1];
  }
  return undefined;
}

/** The values the key at the cursor takes. */
function valuesAt(context: CursorContext, outline: SpecOutline, text: string): SpecCompletion[] | null {
  const path = context.path;
  const key = context.key ?? '';
  const id = sectionAt(path);
  const agentNames = outline.agents.map((agent) => agent.name);
  if (id !== null) {
    const ref = section(id).keys.find((candidate) => candidate.key === key);
    if (id === 'agent' && key === 'program') {
      return BEHAVIOURS.map((behaviour) => ({ label: behaviour.name, type: 'enum', detail: 'behaviour', info: behaviour.summary.replace(/`/g, ''), apply: behaviour.name }));
    }
    if (id === 'agent' && key === 'node') return [...names(nodeNames(outline), 'node'), ...values(['any'], 'the kernel places it')];
    if (id === 'fault' && (key === 'crash' || key === 'recover')) return names(nodeNames(outline), 'node');
    if (id === 'channel' && (key === 'from' || key === 'to')) {
      const direction = key === 'from' ? 'out' : 'in';
      return outline.agents.flatMap((agent) => agent.ports.filter((port) => port.direction === direction).map((port) => ({
        label: `${agent.name}.${port.name}`, type: 'variable' as const, detail: `${direction} port`, apply: `${agent.name}.${port.name}`,
      })));
    }
    if (ref?.values !== undefined) return values(ref.values, ref.type === 'one of' ? undefined : ref.type);
    return null;
  }
  if (path.length === 3 && path[0] === 'agents' && path[2] === 'args') {
    const behaviour = BEHAVIOURS.find((candidate) => candidate.name === behaviourOfAgent(text, context, path.slice(0, 2)));
    const arg = behaviour?.args.find((candidate) => candidate.name === key);
    if (arg === undefined) return null;
    switch (arg.type.type) {
      case 'oneOf': return values(arg.type.values);
      case 'count': return values(['forever'], 'no end');
      case 'resource': return names(outline.resources, 'resource');
      case 'shared': {
        const wanted = arg.type.sharedType;
        return names(outline.shared.filter((entry) => entry.type === wanted).map((entry) => entry.name), wanted);
      }
      default: return null;
    }
  }
  const program = programTail(path);
  if (program === null) return null;
  const place = programPlace(program.tail);
  const agent = program.agent;
  if (place?.kind === 'step') {
    switch (key) {
      case 'send': return names(portsOf(outline, agent, 'out'), 'out port');
      case 'recv': return names(portsOf(outline, agent, 'in'), 'in port');
      case 'spawn': return names(agentNames, 'agent');
      case 'release': return names(outline.resources, 'resource');
      case 'repeat': return values(['forever'], 'no end');
      default: return null;
    }
  }
  if (place?.kind === 'args') {
    if (place.step === 'crdt' && key === 'object') return outline.shared.map((entry) => ({ label: entry.name, type: 'variable', detail: entry.type ?? 'shared object', apply: entry.name }));
    if (place.step === 'crdt' && key === 'op') {
      const type = sharedType(outline, context.siblings.get('object'));
      return CRDT_OP_REFS.filter((ref) => type === null || ref.type === type).map((ref): SpecCompletion => ({ label: ref.op, type: 'enum', detail: ref.type, info: ref.doc, apply: ref.op }))
        .filter((option, index, all) => all.findIndex((other) => other.label === option.label) === index);
    }
    if ((place.step === 'send' || place.step === 'recv') && key === 'port') return names(portsOf(outline, agent, place.step === 'send' ? 'out' : 'in'), 'port');
    if ((place.step === 'bid' || place.step === 'release') && key === 'resource') return names(outline.resources, 'resource');
    if (place.step === 'spawn' && key === 'agent') return names(agentNames, 'agent');
  }
  return null;
}

/** The completions at `offset` of `text`, or null when there is nothing to offer there. */
export function completeAt(text: string, offset: number, outline: SpecOutline, explicit: boolean): SpecCompletions | null {
  const context = cursorContext(text, offset);
  if (context === null) return null;
  if (context.prefix === '' && !explicit) return null;
  if (!/^[\w.-]*$/.test(context.prefix)) return null;
  const options = context.kind === 'key' ? keysAt(context, outline, text) : valuesAt(context, outline, text);
  if (options === null || options.length === 0) return null;
  return { from: context.from, options };
}

/**
 * The CodeMirror completion source over `completeAt`; `outline(text)` gives the outline of the
 * text (the latest check's, or a fresh one when the text changed since).
 */
export function specCompletionSource(outline: (text: string) => SpecOutline | Promise<SpecOutline>): CompletionSource {
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    const text = context.state.doc.toString();
    // Cheap first: nothing to offer here means no outline is needed either.
    if (completeAt(text, context.pos, EMPTY_OUTLINE, true) === null && cursorContext(text, context.pos)?.kind !== 'value') return null;
    const names = await outline(text);
    if (context.aborted) return null;
    const result = completeAt(text, context.pos, names, context.explicit);
    if (result === null) return null;
    const options: Completion[] = result.options.map((option) => ({
      label: option.label, type: option.type, detail: option.detail, info: option.info, apply: option.apply,
    }));
    return { from: result.from, options, validFor: /^[\w.-]*$/ };
  };
}
