// Helpers shared by the spec tests: spec text from lines, parse-or-throw, errors-or-throw, and
// steps without their line numbers (to compare shapes).
import { formatSpecError, parseSpec, type Spec, type Step } from '../../src/spec';

export function lines(...text: string[]): string {
  return text.join('\n') + '\n';
}

export function parseOk(text: string): Spec {
  const result = parseSpec(text);
  if (!result.ok) throw new Error(`expected the spec to parse:\n${result.errors.map(formatSpecError).join('\n')}`);
  return result.spec;
}

/** The formatted errors of a spec that must not parse. */
export function errorsOf(text: string): string[] {
  const result = parseSpec(text);
  if (result.ok) throw new Error('expected errors, but the spec parsed');
  return result.errors.map(formatSpecError);
}

/** Steps with the `line` dropped, for comparing shapes. */
export function withoutLines(steps: readonly Step[]): unknown[] {
  return steps.map((step) => {
    const { line: _line, ...rest } = step;
    if (step.kind === 'repeat') return { ...rest, body: withoutLines(step.body) };
    if (step.kind === 'choose') return { ...rest, branches: step.branches.map((branch) => ({ weight: branch.weight, body: withoutLines(branch.body) })) };
    return rest;
  });
}
