// SpecReader: reads typed values out of a YAML document tree (yaml's Document API, with source
// ranges), and collects every problem as a SpecError with a path and a 1-based line:column.
// Readers never throw: a bad value records an error and returns null, so the caller goes on and
// reports the next problem too.

import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { SPEC_ERRORS_MAX } from './limits';
import type { RateSpec, SpecError, TickRange } from './types';
import { formatDuration, formatSize, parseDuration, parseProbabilityPpm, parseRate, parseSize, parseTickRange } from './units';

/** A size in a unit past GiB, or with more digits than any limit: read only to say it is too large. */
const SIZE_TOO_LARGE = /^(\d+) ?(B|KiB|MiB|GiB|TiB|PiB|EiB)$/;
const SIZE_FACTORS: Record<string, bigint> = { B: 1n, KiB: 1n << 10n, MiB: 1n << 20n, GiB: 1n << 30n, TiB: 1n << 40n, PiB: 1n << 50n, EiB: 1n << 60n };
const DURATION_FACTORS: Record<string, bigint> = { us: 1n, 'µs': 1n, ms: 1000n, s: 1_000_000n };
const DURATION_TOO_LARGE = /^(\d+) ?(us|µs|ms|s)$/;

/** A value in the tree, with its path and the offset errors about it point at. */
export interface Field {
  readonly node: Node | null;
  readonly path: string;
  readonly offset: number;
}

export interface Entry {
  readonly key: string;
  /** The key itself (for errors about the key: unknown, duplicate, bad name). */
  readonly keyField: Field;
  readonly value: Field;
}

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** C0 controls but tab and line feed, DEL, C1 controls, and bidi overrides: invisible or misleading in any text of a spec. */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

export function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function itemPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2][j - 2] + 1);
      rows[i][j] = best;
    }
  }
  return rows[a.length][b.length];
}

/** ` (did you mean "x"?)` when one candidate is close, else ''. Ties go to the earlier candidate. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  if (word.length > 64) return '';
  let best = '';
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    if (candidate.length > 64) continue;
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance && distance < word.length) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === '' ? '' : ` (did you mean "${best}"?)`;
}

export function quoteList(values: readonly string[]): string {
  return values.join(', ');
}

export class SpecReader {
  readonly errors: SpecError[] = [];
  private full = false;

  constructor(private readonly lines: LineCounter, private readonly textLength: number) {}

  position(offset: number): { line: number; column: number } {
    const { line, col } = this.lines.linePos(Math.max(0, Math.min(offset, this.textLength)));
    return { line: Math.max(1, line), column: Math.max(1, col) };
  }

  /** Records one error; after SPEC_ERRORS_MAX, records a last one saying the rest were left out. */
  error(path: string, offset: number, message: string): void {
    if (this.full) return;
    if (this.errors.length === SPEC_ERRORS_MAX) {
      this.full = true;
      this.errors.push({ path: '', ...this.position(offset), message: `too many errors: only the first ${SPEC_ERRORS_MAX} are shown` });
      return;
    }
    this.errors.push({ path, ...this.position(offset), message });
  }

  /** The errors in reading order (by line, then column); the "too many errors" note stays last. */
  sortedErrors(): SpecError[] {
    const body = this.full ? this.errors.slice(0, -1) : this.errors.slice();
    body.sort((a, b) => a.line - b.line || a.column - b.column);
    return this.full ? [...body, this.errors[this.errors.length - 1]] : body;
  }

  fail(field: Field, message: string): null {
    this.error(field.path, field.offset, message);
    return null;
  }

  /** A field for a node found in the tree (offset = where the node starts). */
  field(node: Node | null, path: string, fallbackOffset: number): Field {
    return { node, path, offset: node?.range ? node.range[0] : fallbackOffset };
  }

  /** True when the field is absent or an explicit null (`key:` or `key: ~`). */
  isEmpty(field: Field): boolean {
    return field.node === null || (isScalar(field.node) && field.node.value === null);
  }

  private checkAlias(field: Field): boolean {
    if (field.node !== null && isAlias(field.node)) {
      this.fail(field, 'aliases (*name) are not supported in specs; write the value out');
      return false;
    }
    return true;
  }

  /** The entries of a mapping, in source order; null (with an error) if the field is not one. */
  entries(field: Field, expected = 'a mapping'): Entry[] | null {
    if (!this.checkAlias(field)) return null;
    const node = field.node;
    if (!isMap(node)) return this.fail(field, `expected ${expected}`);
    const result: Entry[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const keyOffset = keyNode?.range ? keyNode.range[0] : field.offset;
      if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
        this.error(field.path, keyOffset, 'expected a plain key (a name)');
        continue;
      }
      const key = String(keyNode.value);
      const path = childPath(field.path, key);
      const valueNode = pair.value as Node | null;
      const valueOffset = valueNode?.range ? valueNode.range[0] : keyNode.range ? keyNode.range[1] : keyOffset;
      result.push({
        key,
        keyField: { node: keyNode, path, offset: keyOffset },
        value: { node: valueNode, path, offset: valueOffset },
      });
    }
    return result;
  }

  /**
   * The entries of a mapping with a fixed set of keys: unknown keys are errors (with a "did you
   * mean"), missing required keys are errors at the mapping. Returns the fields by key.
   */
  fields<K extends string>(field: Field, allowed: readonly K[], required: readonly K[] = [], expected = 'a mapping'): Partial<Record<K, Field>> | null {
    const entries = this.entries(field, expected);
    if (entries === null) return null;
    const result: Partial<Record<K, Field>> = {};
    for (const entry of entries) {
      if (!(allowed as readonly string[]).includes(entry.key)) {
        this.fail(entry.keyField, `unknown key "${entry.key}"${didYouMean(entry.key, allowed)}; expected one of ${quoteList(allowed)}`);
        continue;
      }
      result[entry.key as K] = entry.value;
    }
    for (const key of required) {
      if (result[key] === undefined) this.fail(field, `missing required key "${key}"`);
    }
    return result;
  }

  /** The items of a sequence; null (with an error) if the field is not one. */
  items(field: Field, expected = 'a list'): Field[] | null {
    if (!this.checkAlias(field)) return null;
    const node = field.node;
    if (!isSeq(node)) return this.fail(field, `expected ${expected}`);
    return node.items.map((item, index) => this.field(item as Node | null, itemPath(field.path, index), field.offset));
  }

  /** The scalar value of a field (string, number, boolean or null), or undefined if it is a collection. */
  scalarValue(field: Field): unknown {
    if (field.node === null) return null;
    if (isScalar(field.node)) return field.node.value;
    return undefined;
  }

  /** The source text of a plain or quoted scalar (keeps `0.010` as written), else String(value). */
  scalarText(field: Field): string | null {
    const node = field.node;
    if (!isScalar(node) || node.value === null || typeof node.value === 'object') return null;
    if (typeof node.value === 'number') {
      const token = node.srcToken;
      if (token && 'source' in token && typeof token.source === 'string') return token.source;
    }
    return String(node.value);
  }

  integer(field: Field, min: number, max: number, expected = `an integer from ${min} to ${max}`): number | null {
    if (!this.checkAlias(field)) return null;
    const value = this.scalarValue(field);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) return this.fail(field, `expected ${expected}`);
    return value;
  }

  string(field: Field, charsMax: number, expected = 'a string'): string | null {
    if (!this.checkAlias(field)) return null;
    const value = this.scalarValue(field);
    if (typeof value !== 'string') return this.fail(field, `expected ${expected}`);
    if (value.length > charsMax) return this.fail(field, `expected ${expected} of at most ${charsMax} characters (this one has ${value.length})`);
    const control = CONTROL_CHARACTER.exec(value);
    if (control) {
      const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      return this.fail(field, `expected ${expected} without control characters: character ${control.index + 1} is U+${code}`);
    }
    return value;
  }

  /** A string or an integer, as text (CRDT elements, keys, values). */
  text(field: Field, charsMax: number, expected = 'a string or an integer'): string | null {
    if (!this.checkAlias(field)) return null;
    const value = this.scalarValue(field);
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    return this.string(field, charsMax, expected);
  }

  /** A name: a letter or _, then letters, digits, _ or -; at most charsMax characters. */
  name(field: Field, charsMax: number, what = 'a name'): string | null {
    const value = this.string(field, charsMax, `${what} (letters, digits, _ and -, starting with a letter)`);
    if (value === null) return null;
    if (!NAME_PATTERN.test(value)) return this.fail(field, `expected ${what} (letters, digits, _ and -, starting with a letter)`);
    return value;
  }

  oneOf<T extends string>(field: Field, values: readonly T[]): T | null {
    if (!this.checkAlias(field)) return null;
    const value = this.scalarValue(field);
    if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
    const hint = typeof value === 'string' ? didYouMean(value, values) : '';
    return this.fail(field, `expected one of ${quoteList(values)}${hint}`);
  }

  size(field: Field, min: number, max: number): number | null {
    if (!this.checkAlias(field)) return null;
    const value = this.scalarValue(field);
    const bytes = typeof value === 'string' ? parseSize(value) : null;
    if (bytes === null) {
      const large = typeof value === 'string' ? SIZE_TOO_LARGE.exec(value.trim()) : null;
      if (large && BigInt(large[1]) * SIZE_FACTORS[large[2]] > BigInt(max)) {
        const unit = /^[TPE]/.test(large[2]) ? `; ${large[2]} is past the largest unit, GiB` : '';
        return this.fail(field, `expected a size of at most ${formatSize(max)} (${large[0]} is over the limit${unit})`);
      }
      const hint = typeof value === 'string' && /^\d+ ?(KB|MB|GB|kB|kb|mb|gb|K|M|G|k|TiB|PiB|EiB)$/.test(value.trim()) ? ' (units are B, KiB, MiB, GiB)' : typeof value === 'number' ? ' (a unit is required: B, KiB, MiB or GiB)' : '';
      return this.fail(field, `expected a size like 4KiB${hint}`);
    }
    if (bytes < min || bytes > max) return this.fail(field, `expected a size from ${formatSize(min)} to ${formatSize(max)} (this is ${formatSize(bytes)})`);
    return bytes;
  }

  duration(field: Field, min: number, max: number): number | null {
    if (!this.checkAlias(field)) return null;
    const value = this.scalarValue(field);
    const ticks = typeof value === 'string' ? parseDuration(value) : null;
    if (ticks === null) {
      const large = typeof value === 'string' ? DURATION_TOO_LARGE.exec(value.trim()) : null;
      if (large && BigInt(large[1]) * DURATION_FACTORS[large[2]] > BigInt(max)) return this.fail(field, `expected a duration of at most ${formatDuration(max)} (${large[0]} is over the limit)`);
      const hint = typeof value === 'number' ? ' (a unit is required: us, ms or s)' : '';
      return this.fail(field, `expected a duration like 10ms${hint}`);
    }
    if (ticks < min || ticks > max) return this.fail(field, `expected a duration from ${formatDuration(min)} to ${formatDuration(max)} (this is ${formatDuration(ticks)})`);
    return ticks;
  }

  /** `1ms..5ms` or a single duration. */
  tickRange(field: Field, max: number): TickRange | null {
    if (!this.checkAlias(field)) return null;
    const value = this.scalarValue(field);
    const range = typeof value === 'string' ? parseTickRange(value) : null;
    if (range === null) return this.fail(field, 'expected a duration like 10ms or a range like 1ms..5ms (min <= max)');
    if (range.maxTicks > max) return this.fail(field, `expected durations of at most ${max}us`);
    return range;
  }

  rate(field: Field, countMax: number, windowMax: number): RateSpec | null {
    if (!this.checkAlias(field)) return null;
    const value = this.scalarValue(field);
    const rate = typeof value === 'string' ? parseRate(value) : null;
    if (rate === null || rate.count < 1 || rate.windowTicks < 1) return this.fail(field, 'expected a rate like 100/ms or 5/10ms');
    if (rate.count > countMax || rate.windowTicks > windowMax) return this.fail(field, `expected a rate of at most ${countMax} messages per window of at most ${windowMax}us`);
    return rate;
  }

  /** A probability (0..1 with at most 6 decimals, or a percentage like 2.5%) in parts per million. */
  probability(field: Field): number | null {
    if (!this.checkAlias(field)) return null;
    const text = this.scalarText(field);
    const ppm = text === null ? null : parseProbabilityPpm(text);
    if (ppm === null) return this.fail(field, 'expected a probability from 0 to 1 like 0.01 (at most 6 decimals) or a percentage like 1%');
    return ppm;
  }
}
