// A checked expression -> a closure over a StateView (never eval or new Function). The view is
// what the kernel (or a test) provides: integer reads of its state by resolved index. Integers
// only: + - * saturate at ±(2^53 - 1); / truncates toward zero; x / 0 and x % 0 are 0 (defined,
// so a kernel-checked invariant can never throw).
import type { AgentField, ChannelField, Checked, NodeField, ProcField } from './check';

/** What an expression reads. Indices are the spec's (agent, channel, shared object), nodes by number. */
export interface StateView {
  /** The seq of the event just executed (the cursor minus one; -1 at cursor 0). */
  seq(): number;
  tick(): number;
  eventType(): string;
  eventPid(): number;
  eventNode(): number;
  /** Summed over the agent's processes. */
  agent(agent: number, field: AgentField): number;
  /** A pid not spawned (yet) reads status "free", agent "" and zeros. */
  procText(pid: number, field: 'status' | 'agent'): string;
  proc(pid: number, field: Exclude<ProcField, 'status' | 'agent'>): number;
  channel(channel: number, field: ChannelField): number;
  /** `up` reads 1 or 0. */
  node(node: number, field: NodeField): number;
  /** A replica's value: counter its value, set and map their size, text its length, register its value. */
  shared(object: number, node: number): number;
  /** Every live replica of the object agrees. */
  converged(object: number): boolean;
}

export type Value = number | boolean | string;
export type Evaluator = (view: StateView) => Value;

const MAX = Number.MAX_SAFE_INTEGER;
const saturate = (value: number) => (value > MAX ? MAX : value < -MAX ? -MAX : value);

/** Truncating integer division; 0 when dividing by 0. Exact for every safe integer. */
export function divide(a: number, b: number): number {
  if (b === 0) return 0;
  if (Math.abs(a) < 2 ** 31 && Math.abs(b) < 2 ** 31) return Math.trunc(a / b);
  return Number(BigInt(a) / BigInt(b));
}

/** Remainder with the sign of the dividend (as in C and JavaScript); 0 when dividing by 0. */
export function remainder(a: number, b: number): number {
  if (b === 0) return 0;
  if (Math.abs(a) < 2 ** 31 && Math.abs(b) < 2 ** 31) return (a % b) + 0;
  return Number(BigInt(a) % BigInt(b));
}

export function compile(node: Checked): Evaluator {
  switch (node.op) {
    case 'const': {
      const value = node.value;
      return () => value;
    }
    case 'seq': return (v) => v.seq();
    case 'tick': return (v) => v.tick();
    case 'eventType': return (v) => v.eventType();
    case 'eventPid': return (v) => v.eventPid();
    case 'eventNode': return (v) => v.eventNode();
    case 'agent': {
      const { agent, field } = node;
      return (v) => v.agent(agent, field);
    }
    case 'proc': {
      const pid = compile(node.pid) as (v: StateView) => number;
      const field = node.field;
      if (field === 'status' || field === 'agent') return (v) => v.procText(pid(v), field);
      return (v) => v.proc(pid(v), field);
    }
    case 'channel': {
      const { channel, field } = node;
      return (v) => v.channel(channel, field);
    }
    case 'node': {
      const { node: index, field } = node;
      if (field === 'up') return (v) => v.node(index, field) !== 0;
      return (v) => v.node(index, field);
    }
    case 'shared': {
      const { object, node: replica } = node;
      return (v) => v.shared(object, replica);
    }
    case 'converged': {
      const { object } = node;
      return (v) => v.converged(object);
    }
    case 'unary': {
      const arg = compile(node.arg);
      return node.operator === '-' ? (v) => -(arg(v) as number) + 0 : (v) => !arg(v);
    }
    case 'call': {
      const args = node.args.map(compile) as ((v: StateView) => number)[];
      if (node.fn === 'abs') {
        const [arg] = args;
        return (v) => Math.abs(arg(v));
      }
      if (args.length === 2) {
        const [a, b] = args;
        return node.fn === 'min' ? (v) => Math.min(a(v), b(v)) : (v) => Math.max(a(v), b(v));
      }
      const pick = node.fn === 'min' ? Math.min : Math.max;
      return (v) => {
        let result = args[0](v);
        for (let i = 1; i < args.length; i++) result = pick(result, args[i](v));
        return result;
      };
    }
    case 'cond': {
      const test = compile(node.test), then = compile(node.then), otherwise = compile(node.otherwise);
      return (v) => (test(v) ? then(v) : otherwise(v));
    }
    case 'binary': {
      const left = compile(node.left), right = compile(node.right);
      const l = left as (v: StateView) => number, r = right as (v: StateView) => number;
      switch (node.operator) {
        case '+': return (v) => saturate(l(v) + r(v));
        case '-': return (v) => saturate(l(v) - r(v));
        case '*': return (v) => saturate(l(v) * r(v)) + 0;
        case '/': return (v) => divide(l(v), r(v));
        case '%': return (v) => remainder(l(v), r(v));
        case '<': return (v) => l(v) < r(v);
        case '<=': return (v) => l(v) <= r(v);
        case '>': return (v) => l(v) > r(v);
        case '>=': return (v) => l(v) >= r(v);
        case '==': return (v) => left(v) === right(v);
        case '!=': return (v) => left(v) !== right(v);
        case '&&': return (v) => (left(v) as boolean) && (right(v) as boolean);
        case '||': return (v) => (left(v) as boolean) || (right(v) as boolean);
      }
    }
  }
}

/** A value as an integer: conditions are 1 or 0 (watches plot them so). */
export function toInteger(value: Value): number {
  return typeof value === 'number' ? value : typeof value === 'boolean' ? (value ? 1 : 0) : 0;
}

export interface Explanation {
  /** The part of the expression that made it false (a comparison, or a condition). */
  readonly part: Checked;
  /** The values of its two sides (a condition alone: its value, then 1: what was expected). */
  readonly left: number;
  readonly right: number;
}

/**
 * Why a condition is false at this state: the comparison that decided it (the first false
 * operand of &&, the last of ||, the taken branch of ? :, through !), with its two sides.
 */
export function explain(node: Checked, view: StateView): Explanation {
  for (let depth = 0; depth < 256; depth++) {
    if (node.op === 'unary' && node.operator === '!') { node = node.arg; continue; }
    if (node.op === 'cond') { node = compile(node.test)(view) ? node.then : node.otherwise; continue; }
    if (node.op === 'binary' && node.operator === '&&') { node = compile(node.left)(view) ? node.right : node.left; continue; }
    if (node.op === 'binary' && node.operator === '||') { node = node.right; continue; }
    break;
  }
  if (node.op === 'binary' && node.left.type !== 'bool' && node.left.type !== 'str') {
    return { part: node, left: toInteger(compile(node.left)(view)), right: toInteger(compile(node.right)(view)) };
  }
  return { part: node, left: toInteger(compile(node)(view)), right: 1 };
}

/** Finds a node by its preorder id (explanations carry ids). */
export function partById(root: Checked, id: number): Checked | undefined {
  const stack: Checked[] = [root];
  for (let steps = 0; stack.length > 0 && steps < 4096; steps++) {
    const node = stack.pop()!;
    if (node.id === id) return node;
    for (const child of children(node)) stack.push(child);
  }
  return undefined;
}

function children(node: Checked): Checked[] {
  switch (node.op) {
    case 'proc': return [node.pid];
    case 'unary': return [node.arg];
    case 'binary': return [node.left, node.right];
    case 'call': return [...node.args];
    case 'cond': return [node.test, node.then, node.otherwise];
    default: return [];
  }
}
