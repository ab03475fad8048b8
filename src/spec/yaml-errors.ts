// YAML syntax errors in plain words. The yaml parser says what its grammar expected ("Nested
// mappings are not allowed in compact mappings"); a person wants to know what to change ("this
// value holds ': ': quote it"). Each error keeps its place; an unclosed quote or bracket points
// at where it opens, not at the end of the text where the parser noticed. Errors that only echo
// an earlier one (same line, or a second complaint about the same cause) are dropped.

import type { YAMLError } from 'yaml';

export interface PlainYamlError {
  /** Offset in the text the message is about. */
  readonly offset: number;
  readonly message: string;
}

/** Syntax errors reported at most (the parser's later complaints are mostly echoes). */
export const YAML_ERRORS_MAX = 20;

/** The yaml parser's errors as plain-word messages at the right places, echoes dropped. */
export function plainYamlErrors(text: string, errors: readonly YAMLError[]): PlainYamlError[] {
  const result: PlainYamlError[] = [];
  const lines = new Set<number>();
  const causes = new Set<string>();
  for (const error of errors) {
    if (result.length >= YAML_ERRORS_MAX) break;
    const plain = plainYamlError(text, error);
    // A second error where the parser already complained, on a line already reported, or one
    // more about the same opening bracket or quote, is an echo.
    const found = lineIndexAt(text, error.pos[0]);
    const line = lineIndexAt(text, plain.offset);
    const cause = `${plain.offset}:${plain.message}`;
    if (lines.has(line) || lines.has(found) || causes.has(cause)) continue;
    lines.add(line);
    lines.add(found);
    causes.add(cause);
    result.push(plain);
  }
  return result;
}

function lineIndexAt(text: string, offset: number): number {
  let line = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line++;
  return line;
}

function lineAt(text: string, offset: number): { start: number; text: string } {
  const start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const end = text.indexOf('\n', offset);
  return { start, text: text.slice(start, end === -1 ? text.length : end) };
}

/** The next line that holds something, after the line of `offset`. */
function nextContentLine(text: string, offset: number): number | null {
  let index = text.indexOf('\n', offset);
  while (index !== -1) {
    const line = lineAt(text, index + 1);
    if (line.text.trim() !== '' && !line.text.trim().startsWith('#')) return line.start + (line.text.length - line.text.trimStart().length);
    index = text.indexOf('\n', index + 1);
  }
  return null;
}

const TOKEN_WORDS: Readonly<Record<string, string>> = {
  'flow-map-start': 'a {', 'flow-map-end': 'a }', 'flow-seq-start': 'a [', 'flow-seq-end': 'a ]',
  'flow-error-end': 'a closing bracket', 'seq-item-ind': 'a "- " (a list item)', 'block-seq-ind': 'a "- " (a list item)',
  scalar: 'text', 'double-quoted-scalar': 'a "quoted" string', 'single-quoted-scalar': "a 'quoted' string",
  'map-value-ind': 'a ":"', comma: 'a ","', alias: 'an alias (*name)', anchor: 'an anchor (&name)', tag: 'a tag (!name)',
  'explicit-key-ind': 'a "?"', 'block-scalar-header': 'a | or >', 'doc-start': 'a --- line', 'doc-end': 'a ... line', comment: 'a comment',
};

export function plainYamlError(text: string, error: YAMLError): PlainYamlError {
  const offset = Math.max(0, Math.min(error.pos[0], text.length));
  const first = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const say = (message: string, at = offset): PlainYamlError => ({ offset: at, message: `invalid YAML: ${message}` });
  const line = lineAt(text, offset);
  switch (error.code) {
    case 'TAB_AS_INDENT':
      return say('a tab indents this line; YAML indents with spaces only (replace the tab with spaces)');
    case 'BAD_INDENT': {
      const indented = line.start + (line.text.length - line.text.trimStart().length);
      const at = offset < indented ? indented : offset;
      if (/Flow map/.test(first)) return unclosed(text, offset, '{', '}', say);
      if (/Flow sequence/.test(first)) return unclosed(text, offset, '[', ']', say);
      if (/sequence items/.test(first)) return say('this list item is not lined up with the items above it: the "- " of every item of one list starts at the same column', at);
      if (/Block scalar/.test(first)) return say('the lines of a | or > block of text are indented further than its key, all alike', at);
      if (/mapping items/.test(first)) return say('this line is not lined up with the keys above it: every key of one mapping starts at the same column (or a "- " is missing, for a list item)', at);
      return say(`the indentation here does not fit the lines above (${first})`);
    }
    case 'MISSING_CHAR': {
      const quote = /Missing closing (["'])quote/.exec(first);
      if (quote !== null) return unclosed(text, offset, quote[1], quote[1], say);
      if (/Implicit map keys need to be followed/.test(first)) return say('a key without ": " and a value: add the colon, or remove the line (or is the indentation off?)');
      if (/Sequence item without/.test(first)) return say('a list item without "- ": start it with "- "');
      if (/Missing , between/.test(first)) return say('a "," is missing between two items of a { } or [ ]');
      if (/Comments must be separated/.test(first)) return say('a # starts a comment only after a space: put a space before the #, or quote the value that holds it');
      if (/directives-end/.test(first)) return say('a line that starts with % is a YAML directive, which specs do not use: remove the %');
      if (/block sequence props/.test(first)) return say('anchors (&name) and tags (!tag) are not used in specs: remove them');
      if (/flow/i.test(first) || /, or :/.test(first)) return say('between items of a { } or [ ], write ", " (and ": " between a key and its value)');
      return say(first.charAt(0).toLowerCase() + first.slice(1));
    }
    case 'BLOCK_AS_IMPLICIT_KEY': {
      if (/block sequence/.test(first)) return say('a "- " list where a key was expected: check the indentation of this line');
      const rest = text.slice(offset, line.start + line.text.length);
      if (/:\s/.test(rest) || /:$/.test(rest)) {
        return say(`this value holds ": " (a colon and a space), which YAML reads as a new key: put the value in quotes, like "${rest.trim().replace(/"/g, '\\"')}"`);
      }
      const next = nextContentLine(text, offset);
      return say('the next line is indented further than this key, which already has its value on this line: line the keys up, or put the value on indented lines of its own', next ?? offset);
    }
    case 'MULTILINE_IMPLICIT_KEY': {
      const stuck = /^(\s*)([^\s:#'"[\]{}-][^\s:]*):(\S+)/.exec(line.text);
      if (stuck !== null) return say(`put a space after the colon in "${stuck[2]}:${stuck[3]}": without one YAML reads a single word, not a key and its value`, line.start + stuck[1].length);
      if (/flow sequence pairs/.test(first)) return say('inside [ ], a "key: value" must fit on one line');
      return say('a key must be on one line, followed by ": " (is a colon missing at the end of the line above?)');
    }
    case 'UNEXPECTED_TOKEN': {
      if (/flow-map-end/.test(first)) return say('this } closes nothing: remove it, or find the { it was meant to close');
      if (/flow-seq-end/.test(first)) return say('this ] closes nothing: remove it, or find the [ it was meant to close');
      if (/^Unexpected scalar at node end/.test(first)) {
        return say('text follows a closed { }, [ ] or quoted string: a value that starts with {, [ or a quote must end with it; to write text with braces, quote all of it, like "{node}-x"');
      }
      if (/Block scalar header/.test(first)) return say('nothing may follow | or > (a block of text) on its line: to write a value that starts with | or >, quote it');
      if (/^Not a YAML token/.test(first)) return say('this line cannot be read as YAML: check its indentation and the characters it starts with');
      if (/^Unexpected , in flow/.test(first)) return say('an extra ",": remove it');
      if (/^Unexpected : in flow/.test(first)) return say('a ":" out of place inside { } or [ ]: write "key: value" with one colon and a space');
      if (/block-seq-ind on same line/.test(first)) return say('a "- " list cannot start on the line of its key: put each item on a line of its own, indented under the key');
      const token = /^Unexpected ([\w-]+)/.exec(first)?.[1] ?? '';
      const what = TOKEN_WORDS[token] ?? 'something';
      if (/at node end/.test(first)) return say(`${what} after a value that has ended: a value that starts with {, [ or a quote ends with it; quote the whole value to write text like this`);
      if (/in YAML stream/.test(first)) return say(`${what} that belongs to no key or list above: check the indentation of this line and of the line before`);
      return say(`${what} is not expected here: check the indentation and the brackets around it`);
    }
    case 'DUPLICATE_KEY': {
      const key = /^\s*(?:-\s+)?([^:#]+?)\s*:/.exec(text.slice(offset, line.start + line.text.length))?.[1];
      return say(`${key ? `the key "${key}"` : 'this key'} is written twice in the same mapping (keys must be unique)`);
    }
    case 'MULTIPLE_DOCS':
      return say('a second document starts here: a spec is one document, so remove the --- line (or what follows it)');
    case 'BAD_DQ_ESCAPE':
      return say('a bad escape in a "double-quoted" string: write \\\\ for a backslash, or use \'single quotes\'');
    case 'BAD_SCALAR_START':
      return say(`a plain value cannot start with ${JSON.stringify(/character (.)$/.exec(first)?.[1] ?? text.charAt(offset))}: put the value in quotes`);
    case 'IMPOSSIBLE':
      return say('this line cannot be read as YAML: check its indentation and the brackets around it');
    case 'BLOCK_IN_FLOW':
      return say('indented lines inside { } or [ ]: write the { } or [ ] on one line, or use indented lines without brackets');
    case 'KEY_OVER_1024_CHARS':
      return say('a key longer than 1024 characters');
    case 'MULTIPLE_ANCHORS':
    case 'MULTIPLE_TAGS':
    case 'BAD_PROP_ORDER':
    case 'ALIAS_PROPS':
    case 'BAD_ALIAS':
      return say(`anchors (&name), aliases (*name) and tags (!tag) are not used in specs; write the value out`);
    default:
      return say(first);
  }
}

/**
 * An unclosed quote or bracket: the message points at where it opens (the parser notices only at
 * the end of the text, or at the next line that does not fit).
 */
function unclosed(
  text: string, offset: number, open: string, close: string,
  say: (message: string, at?: number) => PlainYamlError,
): PlainYamlError {
  const opening = lastUnclosed(text, offset, open);
  const what = open === '"' || open === "'" ? `a ${open}quoted${open} string` : `a ${open}`;
  const message = `${what} is not closed: add the ${close}${open === '"' || open === "'" ? '' : ' (or line up the next lines with the ones above)'}`;
  return say(message, opening ?? offset);
}

/**
 * Where the last quote or bracket of kind `open` that is still open at `end` starts, reading the
 * text from the top: quotes start a value only where a value may start (after ": ", "- ", "[",
 * "{", "," or at the start of a line); comments are skipped.
 */
export function lastUnclosed(text: string, end: number, open: string): number | null {
  const stack: { char: string; offset: number }[] = [];
  let quote: { char: string; offset: number } | null = null;
  let lastOpenQuote: { char: string; offset: number } | null = null;
  const limit = Math.min(end, text.length);
  for (let index = 0; index < limit; index++) {
    const char = text[index];
    if (quote !== null) {
      if (quote.char === '"' && char === '\\') { index++; continue; }
      if (char === quote.char) {
        if (quote.char === "'" && text[index + 1] === "'") { index++; continue; }
        quote = null;
      }
      continue;
    }
    const before = index === 0 ? '\n' : text[index - 1];
    if (char === '#' && /\s/.test(before)) {
      const newline = text.indexOf('\n', index);
      if (newline === -1) break;
      index = newline - 1;
      continue;
    }
    if (char === '"' || char === "'") {
      const lead = text.slice(text.lastIndexOf('\n', index - 1) + 1, index);
      if (/(^|[:\-,[{]\s*|^\s*)$/.test(lead) && (/^\s*$/.test(lead) || /[:\-,[{]\s*$/.test(lead))) {
        quote = { char, offset: index };
        lastOpenQuote = quote;
      }
      continue;
    }
    if (char === '{' || char === '[') stack.push({ char, offset: index });
    else if ((char === '}' || char === ']') && stack.length > 0) stack.pop();
  }
  if (open === '"' || open === "'") return quote !== null && quote.char === open ? quote.offset : lastOpenQuote?.char === open ? lastOpenQuote.offset : null;
  for (let index = stack.length - 1; index >= 0; index--) if (stack[index].char === open) return stack[index].offset;
  return null;
}
