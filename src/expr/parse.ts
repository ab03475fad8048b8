// Expression text -> a small syntax tree with source offsets, through jsep. jsep gives trees
// without positions, so two hooks record where each token starts and ends, and the offsets of
// member names and operators are found from there. Numbers are read here (not by jsep): integers
// only, with the spec's units (`4KiB`, `2ms`), so a number is never a float.
import jsep from 'jsep';

/** Characters an expression may have, and nodes its tree may have (limits, like everything). */
export const EXPR_CHARS_MAX = 2000;
export const EXPR_NODES_MAX = 512;
/** Nesting depth (parentheses, operators): keeps the parser's and the checker's recursion bounded. */
export const EXPR_DEPTH_MAX = 64;

export class ExprError extends Error {
  /** 1-based column of the offending character. */
  readonly column: number;
  constructor(readonly description: string, readonly offset: number) {
    super(`${description} at column ${offset + 1}`);
    this.name = 'ExprError';
    this.column = offset + 1;
  }
}

interface Span { readonly start: number; readonly end: number }

export type Ast = Span & (
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'name'; readonly name: string }
  /** `object.property` (propertyStart: where the name is) */
  | { readonly kind: 'member'; readonly object: Ast; readonly property: string; readonly propertyStart: number }
  /** `object[index]` */
  | { readonly kind: 'index'; readonly object: Ast; readonly index: Ast }
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly Ast[] }
  | { readonly kind: 'unary'; readonly op: string; readonly arg: Ast }
  | { readonly kind: 'binary'; readonly op: string; readonly left: Ast; readonly right: Ast; readonly opStart: number }
  | { readonly kind: 'cond'; readonly test: Ast; readonly then: Ast; readonly otherwise: Ast }
);

/** Size and duration units a number may carry (the spec's): to bytes and ticks (1 tick = 1 µs). */
export const UNITS: Readonly<Record<string, number>> = {
  B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3,
  us: 1, µs: 1, ms: 1000, s: 1_000_000,
};

/** What jsep hands its hooks (its typings leave `context` out). */
interface HookEnv { context: { index: number; readonly expr: string }; node?: jsep.Expression | false }

type Positioned = jsep.Expression & { start?: number; end?: number };

// jsep's configuration is global to the module; AgentOS is its only user, and this file its only importer.
const starts: number[] = [];
let configured = false;
function configure(): void {
  if (configured) return;
  configured = true;
  jsep.hooks.add('gobble-token', function numberWithUnit(env) {
    const context = (env as unknown as HookEnv).context;
    starts.push(context.index);
    const source: string = context.expr;
    const code = source.charCodeAt(context.index);
    const startsNumber = (code >= 48 && code <= 57) || (code === 46 && /\d/.test(source[context.index + 1] ?? ''));
    if (!startsNumber) return;
    const match = /\d*(\.\d+)?([A-Za-zµ_][A-Za-z0-9µ_]*)?/y;
    match.lastIndex = context.index;
    const found = match.exec(source)!;
    const [text, fraction, unit] = found;
    const digits = unit ? text.slice(0, -unit.length) : text;
    if (fraction !== undefined) throw new ExprError(`'${digits}' is not an integer (integers only; use a smaller unit, like 1500us for 1.5ms)`, context.index);
    let factor = 1;
    if (unit !== undefined) {
      if (!(unit in UNITS)) throw new ExprError(`unknown unit '${unit}' after ${digits} (sizes: B, KiB, MiB, GiB; durations: us, ms, s)`, context.index + digits.length);
      factor = UNITS[unit];
    }
    const value = Number(digits) * factor;
    if (!Number.isSafeInteger(value)) throw new ExprError(`'${text}' is too large (at most ${Number.MAX_SAFE_INTEGER})`, context.index);
    context.index += text.length;
    env.node = { type: 'Literal', value, raw: text } as jsep.Literal;
  });
  jsep.hooks.add('after-token', function position(env) {
    const start = starts.pop();
    const node = env.node as Positioned | false | undefined;
    if (!node || start === undefined) return;
    const { context } = env as unknown as HookEnv;
    const source = context.expr;
    let end = context.index;
    while (end > start && /\s/.test(source[end - 1])) end--;
    node.start = start;
    node.end = end;
  });
}

/** Parses an expression; throws ExprError with the column of the first problem. */
export function parseExpression(text: string): Ast {
  configure();
  if (text.length > EXPR_CHARS_MAX) throw new ExprError(`the expression is ${text.length} characters long, at most ${EXPR_CHARS_MAX}`, EXPR_CHARS_MAX);
  if (text.trim() === '') throw new ExprError('expected an expression', 0);
  const depth = nestingDepth(text);
  if (depth.depth > EXPR_DEPTH_MAX) throw new ExprError(`nested more than ${EXPR_DEPTH_MAX} deep`, depth.offset);
  starts.length = 0;
  let tree: jsep.Expression;
  try {
    tree = jsep(text);
  } catch (error) {
    if (error instanceof ExprError) throw error;
    const index = (error as { index?: number }).index ?? 0;
    const description = (error as { description?: string }).description ?? String(error);
    throw new ExprError(plainWords(description), Math.min(index, text.length));
  } finally {
    starts.length = 0;
  }
  const nodes = { count: 0 };
  return convert(tree, text, nodes, 0);
}

/** Parentheses, brackets and unary operators nest; a bound before jsep's recursion sees them. */
function nestingDepth(text: string): { depth: number; offset: number } {
  let depth = 0, deepest = 0, offset = 0, run = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    run = ch === '!' || ch === '-' || ch === '~' || ch === '+' ? run + 1 : ch === ' ' ? run : 0;
    if (depth + run > deepest) { deepest = depth + run; offset = i; }
  }
  return { depth: deepest, offset };
}

function plainWords(description: string): string {
  return description
    // `shared.visits.n0 = 3`, as in SQL: say what it should be.
    .replace(/^Unexpected "="$/, "'=' is not in this language (to compare, use ==)")
    .replace(/^Unexpected "(.*)"$/, "unexpected '$1'")
    .replace(/^Expected expression after (.*)$/, "expected an expression after '$1'")
    .replace(/^Unclosed quote after "(.*)"$/, 'a string is not closed (its quote is missing)')
    .replace(/^Variable names cannot start with a number.*$/, 'a name cannot start with a digit')
    .replace(/^Unclosed \($/, "a '(' is not closed")
    .replace(/^Unclosed \[$/, "a '[' is not closed")
    .replace(/^Expected (.*)$/, 'expected $1')
    .replace(/^missing unaryOp argument$/, 'an operator is missing its operand');
}

const skipSpaces = (source: string, at: number) => {
  while (at < source.length && /\s/.test(source[at])) at++;
  return at;
};

function convert(node: jsep.Expression, source: string, nodes: { count: number }, floor: number): Ast {
  if (++nodes.count > EXPR_NODES_MAX) throw new ExprError(`the expression has more than ${EXPR_NODES_MAX} parts`, (node as Positioned).start ?? floor);
  const positioned = node as Positioned;
  const start = positioned.start ?? floor;
  switch (node.type) {
    case 'Literal': {
      const { value } = node as jsep.Literal;
      const end = positioned.end ?? start + String((node as jsep.Literal).raw).length;
      if (typeof value === 'number') return { kind: 'int', value, start, end };
      if (typeof value === 'boolean') return { kind: 'bool', value, start, end };
      if (typeof value === 'string') return { kind: 'str', value, start, end };
      throw new ExprError(`'${(node as jsep.Literal).raw}' is not a value of this language (integers, true, false, "strings")`, start);
    }
    case 'Identifier': {
      const { name } = node as jsep.Identifier;
      return { kind: 'name', name, start, end: start + name.length };
    }
    case 'MemberExpression': {
      const member = node as jsep.MemberExpression;
      const object = convert(member.object, source, nodes, start);
      if (member.optional) throw new ExprError("'?.' is not in this language", object.end);
      if (member.computed) {
        const index = convert(member.property, source, nodes, skipSpaces(source, object.end) + 1);
        const close = source.indexOf(']', index.end);
        return { kind: 'index', object, index, start: object.start, end: close < 0 ? index.end : close + 1 };
      }
      const name = (member.property as jsep.Identifier).name;
      let at = skipSpaces(source, object.end);
      if (source[at] === '.') at = skipSpaces(source, at + 1);
      return { kind: 'member', object, property: name, propertyStart: at, start: object.start, end: at + name.length };
    }
    case 'CallExpression': {
      const call = node as jsep.CallExpression;
      const callee = convert(call.callee, source, nodes, start);
      if (callee.kind !== 'name') throw new ExprError('only min, max and abs can be called', callee.start);
      let at = callee.end;
      const args = call.arguments.map((argument) => {
        const converted = convert(argument, source, nodes, at);
        at = converted.end;
        return converted;
      });
      const close = source.indexOf(')', at);
      return { kind: 'call', callee: callee.name, args, start: callee.start, end: close < 0 ? at : close + 1 };
    }
    case 'UnaryExpression': {
      const unary = node as jsep.UnaryExpression;
      const arg = convert(unary.argument, source, nodes, start + unary.operator.length);
      return { kind: 'unary', op: unary.operator, arg, start, end: positioned.end ?? arg.end };
    }
    case 'BinaryExpression': {
      const binary = node as jsep.BinaryExpression;
      const left = convert(binary.left, source, nodes, start);
      let opStart = skipSpaces(source, left.end);
      while (source[opStart] === ')') opStart = skipSpaces(source, opStart + 1);
      const right = convert(binary.right, source, nodes, opStart + binary.operator.length);
      return { kind: 'binary', op: binary.operator, left, right, opStart, start: positioned.start ?? left.start, end: positioned.end ?? right.end };
    }
    case 'ConditionalExpression': {
      const conditional = node as jsep.ConditionalExpression;
      const test = convert(conditional.test, source, nodes, start);
      const then = convert(conditional.consequent, source, nodes, test.end);
      const otherwise = convert(conditional.alternate, source, nodes, then.end);
      return { kind: 'cond', test, then, otherwise, start: positioned.start ?? test.start, end: positioned.end ?? otherwise.end };
    }
    case 'Compound':
    case 'SequenceExpression': {
      const first = ((node as jsep.Compound).body ?? (node as jsep.SequenceExpression).expressions)[0] as Positioned | undefined;
      const second = ((node as jsep.Compound).body ?? (node as jsep.SequenceExpression).expressions)[1] as Positioned | undefined;
      throw new ExprError('one expression expected, found more (a comma, or an operator missing between them?)', second?.start ?? first?.end ?? start);
    }
    case 'ArrayExpression':
      throw new ExprError('lists are not in this language', start);
    case 'ThisExpression':
      throw new ExprError("'this' is not in this language", start);
    default:
      throw new ExprError(`'${source.slice(start, positioned.end ?? start + 1)}' is not in this language`, start);
  }
}
