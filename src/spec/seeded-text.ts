// The spec text that reproduces a run whose seed was set apart from its text (an experiment's
// trial, any session: a session keeps the spec text and the seed it ran with side by side). The
// editor shows this, so Load on the text it shows runs what the user is looking at.
import { parseSpec } from './parse';

/** A top-level `seed:` line (block style, column 0), its value and any comment after it. */
const SEED_LINE = /^seed[ \t]*:[ \t]*[^#\r\n]*?([ \t]+#[^\r\n]*)?[ \t]*(?=\r?$)/m;
/** Where a missing `seed:` goes: after the `name:` line, else after `agentos:`. */
const AFTER = [/^name[ \t]*:[^\r\n]*\r?\n/m, /^agentos[ \t]*:[^\r\n]*\r?\n/m];

/**
 * `text` with its top-level seed set to `seed` (the line rewritten, or added after `name:`), when
 * the text's own seed differs. Only what the seed reads changes; the text is returned as it is
 * when it already says `seed`, does not parse, or could not be changed safely (a flow-style
 * mapping): the caller then says which seed the run used.
 */
export function textWithSeed(text: string, seed: number): string {
  const parsed = parseSpec(text);
  if (!parsed.ok || parsed.spec.seed === seed) return text;
  let next: string | undefined;
  const line = SEED_LINE.exec(text);
  if (line) {
    next = `${text.slice(0, line.index)}seed: ${seed}${line[1] ?? ''}${text.slice(line.index + line[0].length)}`;
  } else {
    for (const anchor of AFTER) {
      const at = anchor.exec(text);
      if (!at) continue;
      const end = at.index + at[0].length;
      const newline = at[0].endsWith('\r\n') ? '\r\n' : '\n';
      next = `${text.slice(0, end)}seed: ${seed}${newline}${text.slice(end)}`;
      break;
    }
  }
  if (next === undefined) return text;
  const check = parseSpec(next);
  return check.ok && check.spec.seed === seed ? next : text;
}
