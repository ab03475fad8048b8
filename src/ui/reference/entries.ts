// The in-app Reference's entries: every key of every section, every step and step argument,
// every CRDT op, every built-in behaviour and behaviour argument, each with its example, made
// from the spec's own tables (src/spec/reference.ts, behaviours.ts) so it cannot drift from the
// parser. Plus the search over them.
import { BEHAVIOURS } from '../../spec/behaviours';
import {
  argDefaultText, argTypeText, BEHAVIOUR_EXAMPLES, behaviourArgExample, CRDT_OP_REFS, SECTIONS, STEPS,
} from '../../spec/reference';

export interface ReferenceEntry {
  /** Unique and stable: `kernel.scheduler`, `step.send`, `step.send.port`, `behaviour.producer.count`. */
  readonly id: string;
  readonly group: string;
  readonly name: string;
  /** Where it is written, e.g. `kernel.scheduler` or `agents.<name>.program[]`. */
  readonly where: string;
  readonly type: string;
  readonly values?: readonly string[];
  readonly default?: string;
  readonly required?: boolean;
  readonly doc: string;
  /** YAML to write at `where` (what Insert puts in the editor). */
  readonly example: string;
}

/** Where a key is written; a top-level key says so (its path alone would repeat its name: "agentos agentos"). */
function join(path: string, key: string): string {
  return path === '' ? 'top level of the spec' : `${path}.${key}`;
}

function build(): ReferenceEntry[] {
  const entries: ReferenceEntry[] = [];
  for (const section of SECTIONS) {
    for (const key of section.keys) {
      entries.push({
        id: `${section.id}.${key.key}`, group: section.title, name: key.key, where: join(section.path, key.key),
        type: key.type, values: key.values, default: key.default, required: key.required, doc: key.doc, example: key.example,
      });
    }
  }
  for (const step of STEPS) {
    entries.push({
      id: `step.${step.kind}`, group: 'Steps', name: step.kind, where: 'agents.<name>.program[] (a list item)',
      type: step.scalar === undefined ? 'mapping' : `${step.scalar}${step.args.length ? ', or a mapping' : ''}`,
      doc: step.doc, example: step.example,
    });
    for (const arg of step.args) {
      entries.push({
        id: `step.${step.kind}.${arg.key}`, group: 'Steps', name: `${step.kind}.${arg.key}`,
        where: step.kind === 'repeat' ? '- repeat: … with do: beside it' : step.kind === 'choose' ? '- choose: [ { weight, do } ]' : `- ${step.kind}: { ${arg.key}: … }`,
        type: arg.type, default: arg.default, required: arg.required, doc: arg.doc, example: arg.example,
      });
    }
  }
  for (const op of CRDT_OP_REFS) {
    entries.push({
      id: `crdt.${op.type}.${op.op}`, group: 'CRDT operations', name: `${op.type} ${op.op}`, where: `- crdt: { object, op: ${op.op} }`,
      type: op.args.length ? op.args.map((arg) => `${arg.key}${arg.required ? '' : '?'}`).join(', ') : 'no arguments',
      doc: `${op.doc}${op.args.length ? ` ${op.args.map((arg) => `${arg.key}: ${arg.doc}${arg.default !== undefined ? ` (default ${arg.default})` : ''}`).join(' ')}` : ''}`,
      example: op.example,
    });
  }
  for (const behaviour of BEHAVIOURS) {
    const example = BEHAVIOUR_EXAMPLES[behaviour.name]?.example ?? `program: ${behaviour.name}`;
    entries.push({
      id: `behaviour.${behaviour.name}`, group: 'Behaviours', name: behaviour.name, where: 'agents.<name>.program',
      type: `arguments: ${behaviour.args.map((arg) => arg.name).join(', ') || 'none'}`,
      doc: behaviour.summary.replace(/`/g, ''),
      example: `${behaviour.name}:\n${example.split('\n').map((line) => `  ${line}`).join('\n')}`,
    });
    for (const arg of behaviour.args) {
      entries.push({
        id: `behaviour.${behaviour.name}.${arg.name}`, group: 'Behaviours', name: `${behaviour.name}.${arg.name}`,
        where: `agents.<name>.args (program: ${behaviour.name})`,
        type: argTypeText(arg), values: arg.type.type === 'oneOf' ? arg.type.values : undefined,
        default: argDefaultText(arg), required: arg.default === undefined, doc: arg.doc,
        example: behaviourArgExample(behaviour.name, arg),
      });
    }
  }
  return entries;
}

export const REFERENCE_ENTRIES: readonly ReferenceEntry[] = build();

/** The groups, in the order the Reference shows them. */
export const REFERENCE_GROUPS: readonly string[] = [...new Set(REFERENCE_ENTRIES.map((entry) => entry.group))];

/**
 * Entries matching `query`: every word must appear in the entry's name, place, group, type,
 * values or meaning; names that start with the query come first, then the table's order.
 */
export function searchReference(query: string, entries: readonly ReferenceEntry[] = REFERENCE_ENTRIES): ReferenceEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...entries];
  const q = query.trim().toLowerCase();
  const scored: { entry: ReferenceEntry; index: number; rank: number }[] = [];
  entries.forEach((entry, index) => {
    const name = entry.name.toLowerCase();
    const haystack = [entry.name, entry.where, entry.group, entry.type, entry.doc, ...(entry.values ?? [])].join(' ').toLowerCase();
    if (!words.every((word) => haystack.includes(word))) return;
    const spaced = name.replace(/\./g, ' ');
    const rank = name === q || spaced === q || name.endsWith(`.${q}`) ? 0 : name.startsWith(q) ? 1 : name.includes(q) ? 2 : 3;
    scored.push({ entry, index, rank });
  });
  return scored.sort((a, b) => a.rank - b.rank || a.index - b.index).map((item) => item.entry);
}
