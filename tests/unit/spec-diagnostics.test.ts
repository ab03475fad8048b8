// Spec problems (1-based line:column) -> editor diagnostics: exact offsets, and clamping when the
// text has changed since the problems were found.
import { describe, expect, it } from 'vitest';
import { Text } from '@codemirror/state';
import { offsetOf, problemsToDiagnostics } from '../../src/ui/editor/diagnostics';

const doc = Text.of(['agentos: 1', 'name: broken', 'agents:', '  w:', '    program: worker', '    memory: lots', '']);
const problem = (line: number, column: number) => ({ path: 'p', line, column, message: 'm' });

describe('offsetOf', () => {
  it('maps 1-based line:column to the document offset', () => {
    expect(offsetOf(doc, 1, 1)).toBe(0);
    expect(doc.sliceString(offsetOf(doc, 6, 13), offsetOf(doc, 6, 17))).toBe('lots');
    expect(offsetOf(doc, 2, 1)).toBe('agentos: 1\n'.length);
  });

  it('clamps lines and columns outside the text', () => {
    expect(offsetOf(doc, 0, 0)).toBe(0);
    expect(offsetOf(doc, -5, 3)).toBe(2);
    expect(offsetOf(doc, 99, 1)).toBe(doc.length); // the last (empty) line
    expect(offsetOf(doc, 1, 500)).toBe('agentos: 1'.length); // end of that line, not the next
    expect(offsetOf(doc, Number.NaN, Number.NaN)).toBe(0);
    expect(offsetOf(Text.of(['']), 3, 3)).toBe(0);
  });
});

describe('problemsToDiagnostics', () => {
  it('underlines the word at the problem and keeps the line:column in the message', () => {
    const [diagnostic] = problemsToDiagnostics(doc, [{ path: 'agents.w.memory', line: 6, column: 13, message: 'expected a size' }]);
    expect(doc.sliceString(diagnostic.from, diagnostic.to)).toBe('lots');
    expect(diagnostic.severity).toBe('error');
    expect(diagnostic.message).toBe('6:13 agents.w.memory: expected a size');
  });

  it('gives a point at the end of a line and sorts by position', () => {
    const diagnostics = problemsToDiagnostics(doc, [problem(6, 5), problem(3, 50), problem(1, 1)]);
    expect(diagnostics.map((d) => [d.from, d.to])).toEqual([
      [0, 'agentos:'.length],
      [offsetOf(doc, 3, 8), offsetOf(doc, 3, 8)],
      [offsetOf(doc, 6, 5), offsetOf(doc, 6, 5) + 'memory:'.length],
    ]);
  });
});
