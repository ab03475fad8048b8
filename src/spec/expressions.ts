// The spec's `watch:` (name: expression) and `invariants:` (- { name, always: expression }):
// read here, and checked against the rest of the spec by expr/ (names, types), each error at the
// line:column of the part of the expression that is wrong.
import { isScalar } from 'yaml';
import { checkExpression, ExprError, parseExpression } from '../expr/index';
import { NAME_CHARS_MAX } from './limits';
import { itemPath, type Field, type SpecReader } from './reader';
import { RULE_SEVERITIES, type InvariantSpec, type RuleSpec, type Spec, type WatchSpec } from './types';

/** Watches and invariants a spec may have. */
export const WATCHES_MAX = 64;
export const INVARIANTS_MAX = 64;
/** Rules a spec may have (each is an invariant with a severity and a text). */
export const RULES_MAX = 64;
/** Characters of a rule's text. */
export const RULE_TEXT_CHARS_MAX = 500;
/** Characters of one expression in a spec (expr/'s own limit). */
export const EXPRESSION_CHARS_MAX = 2000;

/** Where an expression's text starts in the spec (after an opening quote). */
interface Located { readonly text: string; readonly field: Field; readonly line: number; readonly column: number }

function expressionOf(reader: SpecReader, field: Field, what: string): Located | null {
  const text = reader.text(field, EXPRESSION_CHARS_MAX, what);
  if (text === null) return null;
  const node = field.node;
  const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
  const { line, column } = reader.position(field.offset + (quoted ? 1 : 0));
  return { text, field, line, column };
}

export function readWatches(reader: SpecReader, field: Field): { watches: WatchSpec[]; fields: Field[] } {
  const watches: WatchSpec[] = [], fields: Field[] = [];
  if (reader.isEmpty(field)) return { watches, fields };
  const entries = reader.entries(field, 'a mapping of watches like backlog: channels["a.out->b.in"].queued');
  if (entries === null) return { watches, fields };
  if (entries.length > WATCHES_MAX) reader.fail(field, `too many watches: ${entries.length}, at most ${WATCHES_MAX}`);
  for (const entry of entries.slice(0, WATCHES_MAX)) {
    const name = reader.name(entry.keyField, NAME_CHARS_MAX, 'a watch name');
    const located = expressionOf(reader, entry.value, 'an expression, like agents.worker.sent');
    if (name === null || located === null) continue;
    watches.push({ name, expr: located.text, line: located.line, column: located.column });
    fields.push(entry.value);
  }
  return { watches, fields };
}

export function readInvariants(reader: SpecReader, field: Field): { invariants: InvariantSpec[]; fields: Field[] } {
  const invariants: InvariantSpec[] = [], fields: Field[] = [];
  if (reader.isEmpty(field)) return { invariants, fields };
  const items = reader.items(field, 'a list of invariants like - { name: no-fails, always: agents.worker.failed == 0 }');
  if (items === null) return { invariants, fields };
  if (items.length > INVARIANTS_MAX) reader.fail(field, `too many invariants: ${items.length}, at most ${INVARIANTS_MAX}`);
  const seen = new Set<string>();
  items.slice(0, INVARIANTS_MAX).forEach((item, index) => {
    const itemField = { ...item, path: itemPath(field.path, index) };
    const entry = reader.fields(itemField, ['name', 'always'] as const, ['name', 'always'], 'an invariant like { name: no-fails, always: agents.worker.failed == 0 }');
    if (entry === null || !entry.name || !entry.always) return;
    const name = reader.name(entry.name, NAME_CHARS_MAX, 'an invariant name');
    const located = expressionOf(reader, entry.always, 'a condition, like agents.worker.failed == 0');
    if (name === null || located === null) return;
    if (seen.has(name)) { reader.fail(entry.name, `a second invariant named "${name}"`); return; }
    seen.add(name);
    invariants.push({ name, always: located.text, line: located.line, column: located.column });
    fields.push(entry.always);
  });
  return { invariants, fields };
}

/** `rules:` (- { name, always, severity, text }): invariants the audit report holds the run to. */
export function readRules(reader: SpecReader, field: Field): { rules: RuleSpec[]; fields: Field[] } {
  const rules: RuleSpec[] = [], fields: Field[] = [];
  if (reader.isEmpty(field)) return { rules, fields };
  const example = 'a rule like { name: no-fails, always: agents.worker.failed == 0, severity: error, text: no worker may fail }';
  const items = reader.items(field, `a list of rules: ${example}`);
  if (items === null) return { rules, fields };
  if (items.length > RULES_MAX) reader.fail(field, `too many rules: ${items.length}, at most ${RULES_MAX}`);
  const seen = new Set<string>();
  items.slice(0, RULES_MAX).forEach((item, index) => {
    const itemField = { ...item, path: itemPath(field.path, index) };
    const entry = reader.fields(itemField, ['name', 'always', 'severity', 'text'] as const, ['name', 'always', 'text'], example);
    if (entry === null || !entry.name || !entry.always || !entry.text) return;
    const name = reader.name(entry.name, NAME_CHARS_MAX, 'a rule name');
    const located = expressionOf(reader, entry.always, 'a condition, like agents.worker.failed == 0');
    const severity = entry.severity ? reader.oneOf(entry.severity, RULE_SEVERITIES) : 'error';
    const text = reader.string(entry.text, RULE_TEXT_CHARS_MAX, 'the rule in words');
    if (name === null || located === null || severity === null || text === null) return;
    if (seen.has(name)) { reader.fail(entry.name, `a second rule named "${name}"`); return; }
    seen.add(name);
    rules.push({ name, always: located.text, line: located.line, column: located.column, severity, text });
    fields.push(entry.always);
  });
  return { rules, fields };
}

/** Runs `check` on an expression's text; an ExprError goes to the reader at its column in the spec. */
function reportAt(reader: SpecReader, field: Field, text: string, check: (text: string) => unknown): void {
  try {
    check(text);
  } catch (error) {
    if (!(error instanceof ExprError)) throw error;
    const node = field.node;
    const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
    reader.error(field.path, field.offset + (quoted ? 1 : 0) + error.offset, error.description);
  }
}

/** Checks every watch, invariant and rule against the finished spec; errors go to the reader at their column. */
export function checkSpecExpressions(reader: SpecReader, spec: Spec, watchFields: readonly Field[], invariantFields: readonly Field[], ruleFields: readonly Field[] = []): void {
  spec.watches.forEach((watch, index) => reportAt(reader, watchFields[index], watch.expr, (text) => checkExpression(text, { spec }, 'value')));
  spec.invariants.forEach((invariant, index) => reportAt(reader, invariantFields[index], invariant.always, (text) => checkExpression(text, { spec }, 'bool')));
  spec.rules.forEach((rule, index) => reportAt(reader, ruleFields[index], rule.always, (text) => checkExpression(text, { spec }, 'bool')));
}

/**
 * Checks only the syntax of watches and invariants: what can be known when another part of the
 * spec is wrong (the names they use may be the broken part), so one pass still reports them.
 */
export function checkExpressionSyntax(reader: SpecReader, fields: readonly Field[]): void {
  for (const field of fields) {
    const text = reader.scalarValue(field);
    if (typeof text === 'string') reportAt(reader, field, text, parseExpression);
  }
}
