// YAML syntax errors in plain words (src/spec/yaml-errors.ts), at the place to change.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { formatSpecError, parseSpec } from '../../src/spec';

function errorsOf(text: string): string[] {
  const result = parseSpec(text);
  if (result.ok) throw new Error('expected errors, but the spec parsed');
  return result.errors.map(formatSpecError);
}

describe('YAML syntax errors in plain words', () => {
  const cases: [string, string, string[]][] = [
    ['a tab as indentation', 'agentos: 1\nagents:\n\tx: { program: idle }\n',
      ['invalid YAML: a tab indents this line; YAML indents with spaces only (replace the tab with spaces) at 3:1']],
    ['a key out of line with the keys above', 'agentos: 1\nagents:\n  x:\n    program: idle\n   replicas: 2\n',
      ['invalid YAML: this line is not lined up with the keys above it: every key of one mapping starts at the same column (or a "- " is missing, for a list item) at 5:4']],
    ['a key indented under a key that has its value', 'agentos: 1\nkernel:\n  scheduler: fair\n    quantum: 1ms\nagents: { x: { program: idle } }\n',
      ['invalid YAML: the next line is indented further than this key, which already has its value on this line: line the keys up, or put the value on indented lines of its own at 4:5']],
    ['an unclosed double quote, at its opening', 'agentos: 1\nname: "abc\nagents: {}\n',
      ['invalid YAML: a "quoted" string is not closed: add the " at 2:7']],
    ['an unclosed single quote', "agentos: 1\nname: 'abc\nagents: {}\n",
      ["invalid YAML: a 'quoted' string is not closed: add the ' at 2:7"]],
    ['an unclosed {', 'agentos: 1\nagents:\n  x: { program: idle\n  y: 2\n',
      ['invalid YAML: a { is not closed: add the } (or line up the next lines with the ones above) at 3:6']],
    ['an unclosed [', 'agentos: 1\nchannels: [ { from: a.b, to: c.d }\nagents: {}\n',
      ['invalid YAML: a [ is not closed: add the ] (or line up the next lines with the ones above) at 2:11']],
    ['a } that closes nothing', 'agentos: 1\nagents: { x: { program: idle } } }\n',
      ['invalid YAML: this } closes nothing: remove it, or find the { it was meant to close at 2:34']],
    ['no space after a colon', 'agentos:1\nagents:\n  x: { program: idle }\n',
      ['invalid YAML: put a space after the colon in "agentos:1": without one YAML reads a single word, not a key and its value at 1:1']],
    ['a colon and a space inside a value', 'agentos: 1\nname: a: b\nagents: { x: { program: idle } }\n',
      ['invalid YAML: this value holds ": " (a colon and a space), which YAML reads as a new key: put the value in quotes, like "a: b" at 2:7']],
    ['a list item out of line', 'agentos: 1\nagents:\n  x:\n    program:\n    - compute: 1ms\n     - sleep: 1ms\n',
      ['invalid YAML: this list item is not lined up with the items above it: the "- " of every item of one list starts at the same column at 6:6']],
    ['a key written twice', 'agentos: 1\nagentos: 1\n',
      ['invalid YAML: the key "agentos" is written twice in the same mapping (keys must be unique) at 2:1']],
    ['two documents', 'agentos: 1\n---\nagents: {}\n',
      ['invalid YAML: a second document starts here: a spec is one document, so remove the --- line (or what follows it) at 2:1']],
    ['braces then text', 'agentos: 1\nname: {node}x\nagents: { x: { program: idle } }\n',
      ['invalid YAML: text follows a closed { }, [ ] or quoted string: a value that starts with {, [ or a quote must end with it; to write text with braces, quote all of it, like "{node}-x" at 2:13']],
  ];
  for (const [what, text, expected] of cases) {
    it(what, () => expect(errorsOf(text)).toEqual(expected));
  }

  it('reports every syntax error at once, one per place, in reading order', () => {
    expect(errorsOf('agentos: 1\nname: a: b\nagents:\n  x: { program: idle }\n\ty: 1\n')).toEqual([
      'invalid YAML: this value holds ": " (a colon and a space), which YAML reads as a new key: put the value in quotes, like "a: b" at 2:7',
      'invalid YAML: a tab indents this line; YAML indents with spaces only (replace the tab with spaces) at 5:1',
    ]);
  });

  it('never shows the YAML parser\'s own wording, whatever is broken (generated edits of a real spec)', () => {
    const spec = readFileSync(new URL('../../public/examples/map-reduce.yaml', import.meta.url), 'utf8');
    const jargon = /compact mapping|Implicit keys|flow-map|flow-seq|node end|YAML stream|parseAllDocuments|Map keys must be unique|sufficiently indented/;
    const insertions = fc.constantFrom('\t', ':', '"', "'", '{', '}', '[', ']', ' ', '  ', '- ', '\n', '#', ': ', '\r', '---\n', '&a ', '*a', '!t ', '%', '@', '`');
    fc.assert(fc.property(fc.nat(spec.length), insertions, fc.nat(3), (at, inserted, times) => {
      const text = spec.slice(0, at) + inserted.repeat(times + 1) + spec.slice(at);
      const result = parseSpec(text);
      if (result.ok) return;
      const lineCount = text.split(/\r\n|\r|\n/).length; // a lone CR ends a line too
      for (const error of result.errors) {
        expect(error.message).not.toMatch(jargon);
        expect(error.line).toBeGreaterThanOrEqual(1);
        expect(error.line).toBeLessThanOrEqual(lineCount);
      }
    }), { numRuns: 400, seed: 20261206 });
  });
});
