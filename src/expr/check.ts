// A parsed expression checked against a spec: every name resolved to an index (agent, channel,
// node, shared object), every operator checked for its operand types. What comes out is a typed
// tree the compiler turns into closures; what fails is an ExprError with the column of the part
// that is wrong and, for a misspelt name, the closest one that exists.
import type { Spec } from '../spec/types';
import { ExprError, parseExpression, type Ast } from './parse';

export type Type = 'int' | 'bool' | 'str';

export const AGENT_FIELDS = ['processes', 'running', 'blocked', 'exited', 'failed', 'restarts', 'cpuTicks', 'sent', 'received', 'heapBytes', 'spent'] as const;
export const PROC_FIELDS = ['status', 'agent', 'replica', 'node', 'nice', 'heapBytes', 'cpuTicks', 'sent', 'received', 'restarts'] as const;
export const CHANNEL_FIELDS = ['queued', 'capacity', 'sent', 'delivered', 'dropped'] as const;
export const NODE_FIELDS = ['up', 'runnable', 'heapUsedBytes', 'heapFreeBytes', 'group'] as const;
export const EVENT_FIELDS = ['type', 'pid', 'node'] as const;
export const FUNCTIONS = ['min', 'max', 'abs'] as const;
export const ROOTS = ['seq', 'tick', 'event', 'agents', 'procs', 'channels', 'nodes', 'shared'] as const;

export type AgentField = (typeof AGENT_FIELDS)[number];
export type ProcField = (typeof PROC_FIELDS)[number];
export type ChannelField = (typeof CHANNEL_FIELDS)[number];
export type NodeField = (typeof NODE_FIELDS)[number];

const PROC_FIELD_TYPES: Record<ProcField, Type> = {
  status: 'str', agent: 'str', replica: 'int', node: 'int', nice: 'int', heapBytes: 'int', cpuTicks: 'int', sent: 'int', received: 'int', restarts: 'int',
};

/** What a name may be compared with, beyond the spec (the kernel's lists: event types, statuses). */
export interface CheckContext {
  readonly spec: Spec;
  readonly eventTypes?: readonly string[];
  readonly statuses?: readonly string[];
}

interface Base { readonly type: Type; readonly start: number; readonly end: number; /** Preorder number, for explanations. */ readonly id: number }

export type Checked = Base & (
  | { readonly op: 'const'; readonly value: number | boolean | string }
  | { readonly op: 'seq' | 'tick' | 'eventType' | 'eventPid' | 'eventNode' }
  | { readonly op: 'agent'; readonly agent: number; readonly field: AgentField }
  | { readonly op: 'proc'; readonly pid: Checked; readonly field: ProcField }
  | { readonly op: 'channel'; readonly channel: number; readonly field: ChannelField }
  | { readonly op: 'node'; readonly node: number; readonly field: NodeField }
  | { readonly op: 'shared'; readonly object: number; readonly node: number }
  | { readonly op: 'converged'; readonly object: number }
  | { readonly op: 'unary'; readonly operator: '-' | '!'; readonly arg: Checked }
  | { readonly op: 'binary'; readonly operator: BinaryOp; readonly left: Checked; readonly right: Checked }
  | { readonly op: 'call'; readonly fn: (typeof FUNCTIONS)[number]; readonly args: readonly Checked[] }
  | { readonly op: 'cond'; readonly test: Checked; readonly then: Checked; readonly otherwise: Checked }
);

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||';
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);
const ORDER = new Set(['<', '<=', '>', '>=']);
const EQUALITY = new Set(['==', '!=']);
const LOGIC = new Set(['&&', '||']);
const INSTEAD: Record<string, string> = { '===': '==', '!==': '!=', '&': '&&', '|': '||', '**': 'a product', '??': '? :', '^': '!=' };

const TYPE_WORDS: Record<Type, string> = { int: 'a number', bool: 'a condition (true or false)', str: 'a string' };

function suggestion(word: string, candidates: readonly string[]): string {
  let best = '', bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  if (word.length <= 64) {
    for (const candidate of candidates) {
      const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
      if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
    }
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string): number {
  // Damerau-Levenshtein (optimal string alignment): a swap of two letters is one edit.
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2][j - 2] + 1);
      rows[i][j] = best;
    }
  }
  return rows[a.length][b.length];
}

const listOf = (names: readonly string[], most = 12) => (names.length > most ? `${names.slice(0, most).join(', ')}, …` : names.join(', ')) || 'none';

/** Parses and checks; throws ExprError. `want` is the type the caller needs (a predicate: bool). */
export function checkExpression(text: string, context: CheckContext, want?: Type | 'value'): Checked {
  const checked = new Checker(context).check(parseExpression(text));
  if (want === 'value') {
    if (checked.type === 'str') throw new ExprError('expected a number or a condition, got a string', checked.start);
  } else if (want && checked.type !== want) {
    throw new ExprError(`expected ${TYPE_WORDS[want]}, got ${TYPE_WORDS[checked.type]}${want === 'bool' && checked.type === 'int' ? ' (compare it: == != < <= > >=)' : ''}`, checked.start);
  }
  return checked;
}

class Checker {
  #id = 0;
  readonly nodeNames: string[];
  constructor(readonly context: CheckContext) {
    this.nodeNames = Array.from({ length: context.spec.cluster.nodeCount }, (_, i) => `n${i}`);
  }

  #make<T extends Omit<Checked, 'id'>>(fields: T): Checked {
    return { ...fields, id: this.#id++ } as unknown as Checked;
  }

  check(ast: Ast): Checked {
    switch (ast.kind) {
      case 'int': return this.#make({ op: 'const', type: 'int', value: ast.value, start: ast.start, end: ast.end });
      case 'bool': return this.#make({ op: 'const', type: 'bool', value: ast.value, start: ast.start, end: ast.end });
      case 'str': return this.#make({ op: 'const', type: 'str', value: ast.value, start: ast.start, end: ast.end });
      case 'name': {
        if (ast.name === 'seq' || ast.name === 'tick') return this.#make({ op: ast.name, type: 'int', start: ast.start, end: ast.end });
        if ((ROOTS as readonly string[]).includes(ast.name)) throw new ExprError(`'${ast.name}' needs a part after it (${this.#partsOf(ast.name)})`, ast.end);
        throw new ExprError(`unknown name '${ast.name}'${suggestion(ast.name, [...ROOTS, ...FUNCTIONS])} (names start with ${ROOTS.join(', ')})`, ast.start);
      }
      case 'member':
      case 'index':
        return this.#path(ast);
      case 'call': {
        const fn = FUNCTIONS.find((name) => name === ast.callee);
        if (!fn) throw new ExprError(`unknown function '${ast.callee}'${suggestion(ast.callee, FUNCTIONS)} (functions: min, max, abs)`, ast.start);
        const arity = fn === 'abs' ? [1, 1] : [2, 8];
        if (ast.args.length < arity[0] || ast.args.length > arity[1]) {
          throw new ExprError(fn === 'abs' ? 'abs takes one number' : `${fn} takes 2 to 8 numbers, got ${ast.args.length}`, ast.start);
        }
        const args = ast.args.map((arg) => this.#want(this.check(arg), 'int', `${fn} takes numbers`));
        return this.#make({ op: 'call', fn, args, type: 'int', start: ast.start, end: ast.end });
      }
      case 'unary': {
        if (ast.op === '+') return this.#want(this.check(ast.arg), 'int', "'+' takes a number");
        if (ast.op !== '-' && ast.op !== '!') throw new ExprError(`'${ast.op}' is not in this language${ast.op === '~' ? ' (integers have no bit operators here)' : ''}`, ast.start);
        const arg = this.check(ast.arg);
        if (ast.op === '-') {
          this.#want(arg, 'int', "'-' takes a number");
          if (arg.op === 'const') return this.#make({ op: 'const', type: 'int', value: -(arg.value as number), start: ast.start, end: ast.end });
        } else this.#want(arg, 'bool', "'!' takes a condition");
        return this.#make({ op: 'unary', operator: ast.op, arg, type: ast.op === '-' ? 'int' : 'bool', start: ast.start, end: ast.end });
      }
      case 'binary': {
        const op = ast.op;
        if (!ARITHMETIC.has(op) && !ORDER.has(op) && !EQUALITY.has(op) && !LOGIC.has(op)) {
          throw new ExprError(`'${op}' is not in this language${INSTEAD[op] ? ` (use ${INSTEAD[op]})` : ''}`, ast.opStart);
        }
        const left = this.check(ast.left);
        const right = this.check(ast.right);
        let type: Type;
        if (ARITHMETIC.has(op) || ORDER.has(op)) {
          this.#want(left, 'int', `'${op}' takes numbers`);
          this.#want(right, 'int', `'${op}' takes numbers`);
          type = ARITHMETIC.has(op) ? 'int' : 'bool';
        } else if (LOGIC.has(op)) {
          this.#want(left, 'bool', `'${op}' takes conditions`);
          this.#want(right, 'bool', `'${op}' takes conditions`);
          type = 'bool';
        } else {
          if (left.type !== right.type) throw new ExprError(`'${op}' compares ${TYPE_WORDS[left.type]} with ${TYPE_WORDS[right.type]}`, ast.opStart);
          this.#known(left, right);
          this.#known(right, left);
          type = 'bool';
        }
        return this.#make({ op: 'binary', operator: op as BinaryOp, left, right, type, start: ast.start, end: ast.end });
      }
      case 'cond': {
        const test = this.#want(this.check(ast.test), 'bool', "the test before '?' must be a condition");
        const then = this.check(ast.then);
        const otherwise = this.check(ast.otherwise);
        if (then.type !== otherwise.type) throw new ExprError(`both sides of ':' must be of one kind: ${TYPE_WORDS[then.type]} and ${TYPE_WORDS[otherwise.type]}`, otherwise.start);
        return this.#make({ op: 'cond', test, then, otherwise, type: then.type, start: ast.start, end: ast.end });
      }
    }
  }

  /** A string constant compared with event.type or a status must be one of them. */
  #known(name: Checked, other: Checked): void {
    if (other.op !== 'const' || typeof other.value !== 'string') return;
    const list = name.op === 'eventType' ? this.context.eventTypes
      : name.op === 'proc' && name.field === 'status' ? this.context.statuses
      : name.op === 'proc' && name.field === 'agent' ? this.context.spec.agents.map((a) => a.name) : undefined;
    if (list && !list.includes(other.value)) {
      const what = name.op === 'eventType' ? 'event type' : name.op === 'proc' && name.field === 'status' ? 'status' : 'agent';
      throw new ExprError(`unknown ${what} "${other.value}"${suggestion(other.value, list)}`, other.start);
    }
  }

  #want(checked: Checked, type: Type, what: string): Checked {
    if (checked.type !== type) throw new ExprError(`${what}, got ${TYPE_WORDS[checked.type]}`, checked.start);
    return checked;
  }

  #partsOf(root: string): string {
    switch (root) {
      case 'event': return 'event.type, event.pid, event.node';
      case 'agents': return 'agents.<name>.<field>';
      case 'procs': return 'procs[<pid>].<field>';
      case 'channels': return 'channels["<from>-><to>"].<field>';
      case 'nodes': return 'nodes.n0.<field>';
      case 'shared': return 'shared.<object>.<node> or shared.<object>.converged';
      default: return '';
    }
  }

  /** A member chain: a root, then names or [keys]. */
  #path(ast: Ast): Checked {
    const chain: Ast[] = [];
    let at: Ast = ast;
    while (at.kind === 'member' || at.kind === 'index') {
      chain.unshift(at);
      at = at.object;
    }
    if (at.kind !== 'name') throw new ExprError('expected a name before . or [', at.start);
    const root = at.name;
    if (!(ROOTS as readonly string[]).includes(root)) throw new ExprError(`unknown name '${root}'${suggestion(root, ROOTS)} (names start with ${ROOTS.join(', ')})`, at.start);
    if (root === 'seq' || root === 'tick') throw new ExprError(`'${root}' has no parts`, chain[0].start + root.length);
    const { spec } = this.context;
    const step = (index: number): { key: string; start: number; computed?: Checked } => {
      const part = chain[index];
      if (part.kind === 'member') return { key: part.property, start: part.propertyStart };
      if (part.kind !== 'index') throw new Error('unreachable');
      if (part.index.kind === 'str') return { key: part.index.value, start: part.index.start };
      return { key: '', start: part.index.start, computed: this.check(part.index) };
    };
    const end = ast.end, start = at.start;
    const need = (count: number) => {
      if (chain.length < count) throw new ExprError(`'${root}' needs more parts: ${this.#partsOf(root)}`, end);
      if (chain.length > count) {
        const extra = step(count);
        throw new ExprError(`unexpected '${extra.key || '[…]'}' after ${ROOTS.includes(root as never) ? 'a value' : root}`, extra.start);
      }
    };
    const literal = (index: number, what: string) => {
      const part = step(index);
      if (part.computed) throw new ExprError(`${what} must be written out (a name, or a string in quotes)`, part.start);
      return part;
    };
    const field = <F extends string>(index: number, fields: readonly F[], of: string): F => {
      const part = literal(index, 'a field');
      const found = fields.find((name) => name === part.key);
      if (!found) throw new ExprError(`unknown field '${part.key}' of ${of}${suggestion(part.key, fields)} (fields: ${fields.join(', ')})`, part.start);
      return found;
    };
    switch (root) {
      case 'event': {
        need(1);
        const f = field(0, EVENT_FIELDS, 'event');
        const op = f === 'type' ? 'eventType' : f === 'pid' ? 'eventPid' : 'eventNode';
        return this.#make({ op, type: f === 'type' ? 'str' : 'int', start, end });
      }
      case 'agents': {
        need(2);
        const name = literal(0, 'an agent');
        const agent = spec.agents.findIndex((a) => a.name === name.key);
        if (agent < 0) throw new ExprError(`unknown agent '${name.key}'${suggestion(name.key, spec.agents.map((a) => a.name))} (agents: ${listOf(spec.agents.map((a) => a.name))})`, name.start);
        return this.#make({ op: 'agent', agent, field: field(1, AGENT_FIELDS, 'an agent'), type: 'int', start, end });
      }
      case 'procs': {
        need(2);
        const part = step(0);
        if (chain[0].kind !== 'index') throw new ExprError('a process is procs[<pid>]', part.start);
        let pid: Checked;
        if (part.computed) pid = this.#want(part.computed, 'int', 'a pid is a number');
        else throw new ExprError('a pid is a number, not a string', part.start);
        if (pid.op === 'const' && ((pid.value as number) < 0 || !Number.isSafeInteger(pid.value))) throw new ExprError(`no process ${pid.value} (pids count from 0)`, pid.start);
        const f = field(1, PROC_FIELDS, 'a process');
        return this.#make({ op: 'proc', pid, field: f, type: PROC_FIELD_TYPES[f], start, end });
      }
      case 'channels': {
        need(2);
        const name = literal(0, 'a channel');
        const names = spec.channels.map((c) => `${c.from.agent}.${c.from.port}->${c.to.agent}.${c.to.port}`);
        const channel = names.indexOf(name.key.replace(/\s+/g, ''));
        if (channel < 0) throw new ExprError(`unknown channel '${name.key}'${suggestion(name.key, names)} (channels: ${listOf(names, 6)})`, name.start);
        return this.#make({ op: 'channel', channel, field: field(1, CHANNEL_FIELDS, 'a channel'), type: 'int', start, end });
      }
      case 'nodes': {
        need(2);
        const name = literal(0, 'a node');
        const node = this.nodeNames.indexOf(name.key);
        if (node < 0) throw new ExprError(`unknown node '${name.key}'${suggestion(name.key, this.nodeNames)} (nodes: ${listOf(this.nodeNames)})`, name.start);
        const f = field(1, NODE_FIELDS, 'a node');
        return this.#make({ op: 'node', node, field: f, type: f === 'up' ? 'bool' : 'int', start, end });
      }
      case 'shared': {
        need(2);
        const name = literal(0, 'a shared object');
        const object = spec.shared.findIndex((s) => s.name === name.key);
        if (object < 0) throw new ExprError(`unknown shared object '${name.key}'${suggestion(name.key, spec.shared.map((s) => s.name))} (shared: ${listOf(spec.shared.map((s) => s.name))})`, name.start);
        const part = literal(1, 'a node or converged');
        if (part.key === 'converged') return this.#make({ op: 'converged', object, type: 'bool', start, end });
        const node = this.nodeNames.indexOf(part.key);
        if (node < 0) throw new ExprError(`unknown node '${part.key}'${suggestion(part.key, [...this.nodeNames, 'converged'])} (a node n0..n${this.nodeNames.length - 1}, or converged)`, part.start);
        return this.#make({ op: 'shared', object, node, type: 'int', start, end });
      }
    }
    throw new Error('unreachable');
  }
}
