// One way to read a YAML text that a SpecReader then walks: the spec (parse.ts) and the
// experiment plan (lab/plan.ts) alike. Bounded in length, lone CRs read as line ends, the yaml
// parser's own failures (a stack overflow on deep nesting) and its errors in plain words, each at
// its place.
import { LineCounter, parseDocument, type Node } from 'yaml';
import { type Field, SpecReader } from './reader';
import type { SpecError } from './types';
import { plainYamlErrors } from './yaml-errors';

export type YamlDocument =
  | { ok: true; text: string; lines: LineCounter; reader: SpecReader; root: Field }
  | { ok: false; errors: SpecError[] };

/**
 * Reads `text` (named `what` in messages: "spec", "plan") of at most `charsMax` characters
 * (messages never name the constant). Never throws.
 */
export function readYamlDocument(text: unknown, what: string, charsMax: number): YamlDocument {
  const at = (message: string): YamlDocument => ({ ok: false, errors: [{ path: '', line: 1, column: 1, message }] });
  if (typeof text !== 'string') return at(`expected the ${what} as text`);
  if (text.length > charsMax) return at(`the ${what} is too long: ${text.length} characters, at most ${charsMax}`);
  // A lone CR ends a line (old Mac files) but the YAML reader does not see it as one: make it LF.
  // Same length, so every offset, line and column stays the author's.
  text = text.replace(/\r(?!\n)/g, '\n');
  const lines = new LineCounter();
  let document;
  try {
    document = parseDocument(text as string, { keepSourceTokens: true, lineCounter: lines, uniqueKeys: true, prettyErrors: false, version: '1.2' });
  } catch (error) {
    // The yaml parser recurses; input nested thousands of levels deep can overflow the stack.
    return at(error instanceof RangeError ? 'the YAML is nested too deeply to read' : `the YAML could not be read: ${String(error)}`);
  }
  const reader = new SpecReader(lines, (text as string).length);
  if (document.errors.length > 0) {
    // In plain words, each at its place; the parser's echoes of an earlier error are dropped.
    if (document.errors.some((error) => /call stack/i.test(error.message))) reader.error('', document.errors[0].pos[0], yamlMessage(document.errors[0].message));
    else for (const error of plainYamlErrors(text as string, document.errors)) reader.error('', error.offset, error.message);
    return { ok: false, errors: reader.sortedErrors() };
  }
  return { ok: true, text: text as string, lines, reader, root: reader.field(document.contents as Node | null, '', 0) };
}

function yamlMessage(message: string): string {
  if (/call stack/i.test(message)) return 'the YAML is nested too deeply to read';
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return `invalid YAML: ${first}`;
}
