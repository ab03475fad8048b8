// Kernel spec problems (1-based line:column, as the spec parser reports them) -> CodeMirror lint
// diagnostics (document offsets). The problems were found in the text that was loaded; the user
// may have edited since, so every position is clamped into the current document.
import type { Text } from '@codemirror/state';
import type { Diagnostic } from '@codemirror/lint';
import type { SpecProblem } from '../../worker/api';

/** The offset of 1-based `line`:`column` in `doc`, clamped to the document and to that line. */
export function offsetOf(doc: Text, line: number, column: number): number {
  const lineNumber = Math.min(Math.max(1, Math.trunc(line) || 1), doc.lines);
  const target = doc.line(lineNumber);
  const col = Math.max(1, Math.trunc(column) || 1);
  return Math.min(target.from + col - 1, target.to);
}

/** One diagnostic per problem: from its line:column to the end of the word there (or a point). */
export function problemsToDiagnostics(doc: Text, problems: readonly SpecProblem[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const problem of problems) {
    const from = offsetOf(doc, problem.line, problem.column);
    const line = doc.lineAt(from);
    const rest = line.text.slice(from - line.from);
    // Mark the scalar or key that starts here: up to the next space, or the rest of the line.
    const word = /^[^\s]+/.exec(rest);
    const to = from + (word ? word[0].length : 0);
    diagnostics.push({
      from,
      to,
      severity: 'error',
      message: `${problem.line}:${problem.column} ${problem.path ? `${problem.path}: ` : ''}${problem.message}`,
    });
  }
  diagnostics.sort((a, b) => a.from - b.from);
  return diagnostics;
}
