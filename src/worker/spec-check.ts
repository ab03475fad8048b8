// Checking a spec as it is typed: every problem parseSpec finds (YAML syntax in plain words, then
// every key, value and reference), and the outline of names the editor's autocomplete offers.
// Served by the kernel's worker (it has the parser already; a run yields to messages between
// slices, so a check waits at most one slice), never on the page.

import { parseSpec } from '../spec/parse';
import { EMPTY_OUTLINE, specOutline, type SpecOutline } from '../spec/outline';
import type { SpecProblem } from './api';

export interface SpecCheck {
  /** Every problem, in reading order; empty when the spec would load. */
  readonly problems: SpecProblem[];
  readonly outline: SpecOutline;
  /** Nothing written yet (only blanks and comments): not an error, the editor says "empty" instead. */
  readonly empty: boolean;
}

/** Only blank lines and comments. */
export function isBlankSpec(text: string): boolean {
  return text.split('\n').every((line) => /^\s*(#.*)?$/.test(line));
}

declare module './api' {
  interface KernelApi {
    /** Parses `text` without loading it: its problems and the names it declares. */
    checkSpec(text: string): SpecCheck;
  }
}

export function checkSpecText(text: string): SpecCheck {
  if (isBlankSpec(text)) return { problems: [], outline: EMPTY_OUTLINE, empty: true };
  const result = parseSpec(text);
  const problems = result.ok ? [] : result.errors.map((error) => ({ path: error.path, line: error.line, column: error.column, message: error.message }));
  let outline: SpecOutline = EMPTY_OUTLINE;
  try {
    outline = specOutline(text);
  } catch {
    // The outline is a convenience: without it the editor offers the reference's keys only.
  }
  return { problems, outline, empty: false };
}

export const specCheckApi = { checkSpec: checkSpecText };
