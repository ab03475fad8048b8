// Where the cursor is in a (possibly half-typed) YAML spec: the path of keys and list items that
// leads to it, whether a key or a value is being typed there, and the sibling keys already
// written. Read from the text by indentation and brackets, not by a YAML parser, so it works on
// the half-typed line that a parser refuses. Block style over lines; flow style ({ } and [ ])
// within the cursor's line.

/** `'[]'` stands for a list item. */
export type PathSegment = string;

export interface CursorContext {
  /** Keys and `[]` from the top to the mapping being typed in (for a value: the mapping that holds the key). */
  readonly path: readonly PathSegment[];
  /** A key is being typed (`prefix` is its start), or the value of `key`. */
  readonly kind: 'key' | 'value';
  readonly key?: string;
  /** What is typed so far of the key or value, and where it starts. */
  readonly prefix: string;
  readonly from: number;
  /** Keys already written in the same mapping, with their values when they are plain scalars. */
  readonly siblings: ReadonlyMap<string, string>;
}

interface LineInfo {
  readonly indent: number;
  /** Columns of the `- ` markers at the start of the line. */
  readonly dashes: readonly number[];
  /** Column where the content after the markers starts. */
  readonly contentCol: number;
  readonly key: string | null;
  /** The scalar value after `key:`, '' when none. */
  readonly value: string;
  readonly blank: boolean;
}

/** Lines looked at above the cursor (a spec is at most a few thousand lines; this bounds the walk). */
const LINES_BACK_MAX = 5000;

const KEY_PATTERN = /^([A-Za-z_][\w-]*|"[^"]*"|'[^']*'):(?:\s+|$)/;

function lineInfo(text: string): LineInfo {
  const indent = text.length - text.trimStart().length;
  const dashes: number[] = [];
  let col = indent;
  while (text[col] === '-' && (text[col + 1] === ' ' || col + 1 === text.length)) {
    dashes.push(col);
    col += 1;
    while (text[col] === ' ') col++;
  }
  const content = text.slice(col);
  const blank = content.trim() === '' && dashes.length === 0 || /^#/.test(content.trim()) && dashes.length === 0;
  const match = KEY_PATTERN.exec(content);
  const key = match ? match[1].replace(/^["']|["']$/g, '') : null;
  const value = match ? stripComment(content.slice(match[0].length)).trim() : '';
  return { indent, dashes, contentCol: col, key, value, blank };
}

function stripComment(text: string): string {
  const at = text.search(/(^|\s)#/);
  return at < 0 ? text : text.slice(0, at);
}

/** The path of the mapping or list that holds what starts at column `col` of line `index`. */
function parentPath(lines: readonly string[], index: number, col: number, budget: { left: number }): PathSegment[] {
  for (let j = index - 1; j >= 0 && budget.left-- > 0; j--) {
    const info = lineInfo(lines[j]);
    if (info.blank) continue;
    if (info.indent >= col) continue;
    if (info.key !== null && col > info.contentCol) return [...containerPath(lines, j, info, budget), info.key];
    const items = info.dashes.filter((dash) => dash < col).length;
    return [...parentPath(lines, j, info.indent, budget), ...Array<PathSegment>(items).fill('[]')];
  }
  return [];
}

/** The path of the mapping that holds line `index`'s key. */
function containerPath(lines: readonly string[], index: number, info: LineInfo, budget: { left: number }): PathSegment[] {
  return [...parentPath(lines, index, info.indent, budget), ...Array<PathSegment>(info.dashes.length).fill('[]')];
}

/**
 * Keys and scalar values at column `col` in the same block mapping as line `index` (which starts
 * a list item's mapping when `startsItem`: nothing above it belongs to that mapping).
 */
function blockSiblings(lines: readonly string[], index: number, col: number, startsItem: boolean): Map<string, string> {
  const siblings = new Map<string, string>();
  const add = (info: LineInfo) => {
    if (info.key !== null && !siblings.has(info.key)) siblings.set(info.key, info.value);
  };
  for (let j = index - 1; !startsItem && j >= 0 && index - j < LINES_BACK_MAX; j--) {
    const info = lineInfo(lines[j]);
    if (info.blank || info.indent > col) continue;
    if (info.contentCol !== col || info.key === null) break;
    add(info);
    if (info.dashes.length > 0) break; // the first key of this list item
  }
  for (let j = index + 1; j < lines.length && j - index < LINES_BACK_MAX; j++) {
    const info = lineInfo(lines[j]);
    if (info.blank || info.indent > col) continue;
    if (info.contentCol !== col || info.key === null || info.dashes.length > 0) break;
    add(info);
  }
  return siblings;
}

interface FlowFrame {
  readonly open: '{' | '[';
  readonly siblings: Map<string, string>;
}

/**
 * The cursor's context in `text` at `offset`. Inside a comment or a quoted string: null (nothing
 * to complete there).
 */
export function cursorContext(text: string, offset: number): CursorContext | null {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const nextBreak = text.indexOf('\n', offset);
  const lineText = text.slice(lineStart, nextBreak === -1 ? text.length : nextBreak).replace(/\r$/, '');
  const before = text.slice(lineStart, offset);
  const lines = text.slice(0, lineStart).split('\n');
  lines.pop(); // the text before this line ends with a newline: drop the empty last piece
  const allLines = text.split('\n');
  const index = lines.length;
  const info = lineInfo(before);
  const budget = { left: LINES_BACK_MAX };

  // The part of the line after its `- ` markers, up to the cursor.
  const content = before.slice(Math.min(info.contentCol, before.length));
  if (/(^|\s)#/.test(content) || /^\s*#/.test(before)) return null;

  // Flow collections opened on this line.
  const frames: FlowFrame[] = [];
  const path: PathSegment[] = [];
  let segmentStart = 0;
  let inQuote: string | null = null;
  const ownerKeys: (string | null)[] = [];
  for (let index2 = 0; index2 < content.length; index2++) {
    const char = content[index2];
    if (inQuote !== null) {
      if (char === inQuote) inQuote = null;
      continue;
    }
    if (char === '"' || char === "'") {
      const lead = content.slice(segmentStart, index2);
      if (/(^|:)\s*$/.test(lead)) inQuote = char;
      continue;
    }
    if (char === '{' || char === '[') {
      const segment = content.slice(segmentStart, index2);
      const owner = /^\s*([A-Za-z_][\w-]*):\s*$/.exec(segment)?.[1] ?? null;
      ownerKeys.push(owner);
      if (owner !== null) path.push(owner);
      const parent = frames[frames.length - 1];
      if (parent?.open === '[') path.push('[]');
      frames.push({ open: char, siblings: new Map() });
      segmentStart = index2 + 1;
    } else if (char === '}' || char === ']') {
      const frame = frames.pop();
      const owner = ownerKeys.pop();
      if (frame === undefined) continue;
      if (frames[frames.length - 1]?.open === '[') path.pop();
      if (owner !== null && owner !== undefined) path.pop();
      segmentStart = index2 + 1;
    } else if (char === ',') {
      const frame = frames[frames.length - 1];
      const pair = /^\s*([A-Za-z_][\w-]*):\s*([^{}[\]]*?)\s*$/.exec(content.slice(segmentStart, index2));
      if (frame !== undefined && pair !== null) frame.siblings.set(pair[1], pair[2]);
      segmentStart = index2 + 1;
    }
  }
  if (inQuote !== null) return null;

  // The block path of this line, then the flow path inside it.
  const base = [...parentPath(lines, index, info.indent, budget), ...Array<PathSegment>(info.dashes.length).fill('[]')];
  const segment = content.slice(segmentStart);
  const innermost = frames[frames.length - 1];

  if (innermost !== undefined) {
    // Inside { } or [ ] on this line.
    const full = [...base, ...path];
    if (innermost.open === '[') {
      const word = /[^\s,[]*$/.exec(segment)?.[0] ?? '';
      return { path: full, kind: 'value', key: path[path.length - 1], prefix: word, from: offset - word.length, siblings: new Map() };
    }
    const pair = /^\s*([A-Za-z_][\w-]*):\s+(.*)$/.exec(segment);
    if (pair !== null) {
      return { path: full, kind: 'value', key: pair[1], prefix: pair[2], from: offset - pair[2].length, siblings: restOfFlow(innermost.siblings, lineText.slice(before.length)) };
    }
    const word = /[\w-]*$/.exec(segment)?.[0] ?? '';
    if (segment.slice(0, segment.length - word.length).trim() !== '') return null;
    return { path: full, kind: 'key', prefix: word, from: offset - word.length, siblings: restOfFlow(innermost.siblings, lineText.slice(before.length)) };
  }

  const valueMatch = /^([A-Za-z_][\w-]*):\s+(.*)$/.exec(content);
  if (valueMatch !== null) {
    return { path: base, kind: 'value', key: valueMatch[1], prefix: valueMatch[2], from: offset - valueMatch[2].length, siblings: blockSiblings(allLines, index, info.contentCol, info.dashes.length > 0) };
  }
  if (!/^[\w-]*$/.test(content)) return null;
  return { path: base, kind: 'key', prefix: content, from: offset - content.length, siblings: blockSiblings(allLines, index, info.contentCol, info.dashes.length > 0) };
}

/** The flow mapping's pairs before the cursor, plus those after it on the line. */
function restOfFlow(siblings: Map<string, string>, after: string): Map<string, string> {
  const result = new Map(siblings);
  const end = after.indexOf('}');
  for (const part of (end < 0 ? after : after.slice(0, end)).split(',').slice(1)) {
    const pair = /^\s*([A-Za-z_][\w-]*):\s*([^{}[\]]*?)\s*$/.exec(part);
    if (pair !== null && !result.has(pair[1])) result.set(pair[1], pair[2]);
  }
  return result;
}
