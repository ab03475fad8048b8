// The expression language against a reference: random typed expression trees are printed as text
// (random spacing and parentheses), parsed, checked and compiled, and must evaluate exactly like
// a BigInt reference interpreter on the tree itself. Bad expressions fail with a column, never
// with anything else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpression, ExprError, parseExpression, type StateView } from '../../src/expr/index';
import type { Spec } from '../../src/spec/types';

const spec = {
  agents: [{ name: 'source' }, { name: 'worker' }, { name: 'cpu-hog' }],
  channels: [{ from: { agent: 'source', port: 'out' }, to: { agent: 'worker', port: 'in' } }],
  cluster: { nodeCount: 3 },
  shared: [{ name: 'visits' }, { name: 'seen' }],
} as unknown as Spec;
const context = { spec, eventTypes: ['ipc/sent', 'process/failed'], statuses: ['free', 'running', 'failed'] };

const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const sat = (v: bigint) => (v > MAX ? MAX : v < -MAX ? -MAX : v);

type Tree =
  | { t: 'int'; v: number } | { t: 'bool'; v: boolean }
  | { t: 'leaf'; text: string; key: string; type: 'int' | 'bool' }
  | { t: 'neg'; a: Tree } | { t: 'not'; a: Tree }
  | { t: 'bin'; op: string; a: Tree; b: Tree }
  | { t: 'call'; fn: 'min' | 'max' | 'abs'; args: Tree[] }
  | { t: 'cond'; c: Tree; a: Tree; b: Tree };

const INT_LEAVES = [
  ['seq', 'seq'], ['tick', 'tick'], ['event.pid', 'eventPid'], ['agents.worker.failed', 'agent:1:failed'],
  ['agents["cpu-hog"].cpuTicks', 'agent:2:cpuTicks'], ['procs[2].heapBytes', 'proc:2:heapBytes'],
  ['channels["source.out->worker.in"].queued', 'channel:0:queued'], ['nodes.n1.heapUsedBytes', 'node:1:heapUsedBytes'],
  ['shared.visits.n2', 'shared:0:2'],
] as const;
const BOOL_LEAVES = [['shared.seen.converged', 'converged:1'], ['nodes.n0.up', 'node:0:up']] as const;

const intValue = fc.oneof(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.constantFrom(0, 1, -1, Number.MAX_SAFE_INTEGER));

const { int: intTree, bool: boolTree } = fc.letrec<{ int: Tree; bool: Tree }>((tie) => ({
  int: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: 0, max: 2 ** 40 }).map((v): Tree => ({ t: 'int', v })),
    fc.constantFrom(...INT_LEAVES).map(([text, key]): Tree => ({ t: 'leaf', text, key, type: 'int' })),
    tie('int').map((a): Tree => ({ t: 'neg', a })),
    fc.tuple(fc.constantFrom('+', '-', '*', '/', '%'), tie('int'), tie('int')).map(([op, a, b]): Tree => ({ t: 'bin', op, a, b })),
    fc.tuple(fc.constantFrom('min', 'max'), fc.array(tie('int'), { minLength: 2, maxLength: 4 })).map(([fn, args]): Tree => ({ t: 'call', fn, args })),
    tie('int').map((a): Tree => ({ t: 'call', fn: 'abs', args: [a] })),
    fc.tuple(tie('bool'), tie('int'), tie('int')).map(([c, a, b]): Tree => ({ t: 'cond', c, a, b })),
  ),
  bool: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.boolean().map((v): Tree => ({ t: 'bool', v })),
    fc.constantFrom(...BOOL_LEAVES).map(([text, key]): Tree => ({ t: 'leaf', text, key, type: 'bool' })),
    tie('bool').map((a): Tree => ({ t: 'not', a })),
    fc.tuple(fc.constantFrom('<', '<=', '>', '>=', '==', '!='), tie('int'), tie('int')).map(([op, a, b]): Tree => ({ t: 'bin', op, a, b })),
    fc.tuple(fc.constantFrom('&&', '||', '==', '!='), tie('bool'), tie('bool')).map(([op, a, b]): Tree => ({ t: 'bin', op, a, b })),
  ),
}));

/** Fully parenthesised text, with random spaces (so precedence never decides the reference). */
function print(tree: Tree, space: () => string): string {
  const s = space;
  switch (tree.t) {
    case 'int': return String(tree.v);
    case 'bool': return String(tree.v);
    case 'leaf': return tree.text;
    case 'neg': return `-(${s()}${print(tree.a, s)}${s()})`;
    case 'not': return `!(${s()}${print(tree.a, s)}${s()})`;
    case 'bin': return `(${s()}${print(tree.a, s)}${s()}${tree.op}${s()}${print(tree.b, s)}${s()})`;
    case 'call': return `${tree.fn}(${tree.args.map((a) => `${s()}${print(a, s)}${s()}`).join(',')})`;
    case 'cond': return `(${print(tree.c, s)}${s()}?${s()}${print(tree.a, s)}${s()}:${s()}${print(tree.b, s)})`;
  }
}

function reference(tree: Tree, values: Map<string, number | boolean>): bigint | boolean {
  const r = (t: Tree) => reference(t, values);
  switch (tree.t) {
    case 'int': return BigInt(tree.v);
    case 'bool': return tree.v;
    case 'leaf': { const v = values.get(tree.key)!; return typeof v === 'boolean' ? v : BigInt(v); }
    case 'neg': return -(r(tree.a) as bigint);
    case 'not': return !r(tree.a);
    case 'call': {
      const args = tree.args.map(r) as bigint[];
      if (tree.fn === 'abs') return args[0] < 0n ? -args[0] : args[0];
      return args.reduce((m, v) => (tree.fn === 'min' ? (v < m ? v : m) : (v > m ? v : m)));
    }
    case 'cond': return r(tree.c) ? r(tree.a) : r(tree.b);
    case 'bin': {
      const a = r(tree.a), b = r(tree.b);
      switch (tree.op) {
        case '+': return sat((a as bigint) + (b as bigint));
        case '-': return sat((a as bigint) - (b as bigint));
        case '*': return sat((a as bigint) * (b as bigint));
        case '/': return b === 0n ? 0n : (a as bigint) / (b as bigint);
        case '%': return b === 0n ? 0n : (a as bigint) % (b as bigint);
        case '<': return a < b; case '<=': return a <= b; case '>': return a > b; case '>=': return a >= b;
        case '==': return a === b; case '!=': return a !== b;
        case '&&': return (a as boolean) && (b as boolean);
        case '||': return (a as boolean) || (b as boolean);
      }
    }
  }
  throw new Error('unreachable');
}

function viewOf(values: Map<string, number | boolean>): StateView {
  const int = (key: string) => values.get(key) as number;
  return {
    seq: () => int('seq'), tick: () => int('tick'), eventType: () => 'ipc/sent', eventPid: () => int('eventPid'), eventNode: () => 0,
    agent: (agent, field) => int(`agent:${agent}:${field}`),
    procText: () => 'running',
    proc: (pid, field) => int(`proc:${pid}:${field}`),
    channel: (channel, field) => int(`channel:${channel}:${field}`),
    node: (node, field) => (field === 'up' ? (values.get(`node:${node}:up`) ? 1 : 0) : int(`node:${node}:${field}`)),
    shared: (object, node) => int(`shared:${object}:${node}`),
    converged: (object) => values.get(`converged:${object}`) as boolean,
  };
}

const valuesArb = fc.record({
  ints: fc.array(intValue, { minLength: INT_LEAVES.length, maxLength: INT_LEAVES.length }),
  bools: fc.array(fc.boolean(), { minLength: BOOL_LEAVES.length, maxLength: BOOL_LEAVES.length }),
}).map(({ ints, bools }) => new Map<string, number | boolean>([
  ...INT_LEAVES.map(([, key], i) => [key, key === 'seq' || key === 'tick' ? Math.abs(ints[i]) : ints[i]] as [string, number]),
  ...BOOL_LEAVES.map(([, key], i) => [key, bools[i]] as [string, boolean]),
]));

const spacing = fc.array(fc.constantFrom('', ' ', '  ', '\t'), { minLength: 64, maxLength: 64 });

describe('expressions evaluate like the reference', () => {
  it('random int and bool trees, random spacing', () => {
    fc.assert(fc.property(fc.oneof(intTree, boolTree), valuesArb, spacing, (tree, values, spaces) => {
      let i = 0;
      const text = print(tree, () => spaces[i++ % spaces.length]);
      const compiled = compileExpression(text, context);
      const actual = compiled.evaluate(viewOf(values));
      const expected = reference(tree, values);
      expect(typeof expected === 'boolean' ? actual : BigInt(actual as number)).toBe(expected);
    }), { numRuns: 1500 });
  });
});

describe('bad expressions fail with a column', () => {
  it('any text either parses or is an ExprError with a column inside it', () => {
    const alphabet = fc.constantFrom(...'abcdefnst0123456789.[]()"\'+-*/%<>=!&|?:, µKiBms_'.split(''));
    fc.assert(fc.property(fc.array(alphabet, { maxLength: 40 }).map((chars) => chars.join('')), (text) => {
      try {
        compileExpression(text, context);
      } catch (error) {
        expect(error).toBeInstanceOf(ExprError);
        const column = (error as ExprError).column;
        expect(column).toBeGreaterThanOrEqual(1);
        expect(column).toBeLessThanOrEqual(Math.max(1, text.length + 1));
      }
    }), { numRuns: 3000 });
  });

  it('a misspelt name is reported at its own column, with the name it was meant to be', () => {
    const names = [
      { text: 'agents.$.failed == 0', good: 'worker', bad: ['workr', 'wroker', 'worke'] },
      { text: 'channels["$"].queued > 3', good: 'source.out->worker.in', bad: ['source.out->workr.in', 'sorce.out->worker.in'] },
      { text: 'nodes.$.runnable', good: 'n1', bad: ['n7', 'm1'] },
      { text: 'shared.$.n0 - shared.visits.n1', good: 'visits', bad: ['visit', 'vists'] },
      { text: 'agents.worker.$ + 1', good: 'failed', bad: ['faild', 'failedd'] },
    ];
    fc.assert(fc.property(fc.constantFrom(...names), fc.nat(), fc.constantFrom('', ' ', '   '), (entry, pick, pad) => {
      const bad = entry.bad[pick % entry.bad.length];
      const text = pad + entry.text.replace('$', bad);
      expect(() => compileExpression(pad + entry.text.replace('$', entry.good), context)).not.toThrow();
      try {
        compileExpression(text, context);
        expect.unreachable(`'${text}' should not check`);
      } catch (error) {
        expect(error).toBeInstanceOf(ExprError);
        const at = text.indexOf(bad);
        expect((error as ExprError).column).toBe(text[at - 1] === '"' ? at : at + 1); // a string: at its quote
        if (!/n7|m1/.test(bad) || bad === 'm1') expect((error as ExprError).message).toContain(`did you mean "${entry.good}"`);
      }
    }), { numRuns: 200 });
  });

  it('named cases', () => {
    const column = (text: string) => {
      try { compileExpression(text, context); } catch (error) { return [(error as ExprError).column, (error as ExprError).description]; }
      return [0, 'accepted'];
    };
    expect(column('1.5ms > tick')).toEqual([1, expect.stringContaining('not an integer')]);
    expect(column('tick > 5parsecs')).toEqual([9, expect.stringContaining("unknown unit 'parsecs'")]);
    expect(column('shared.visits.n0 = 3')).toEqual([18, "'=' is not in this language (to compare, use ==)"]);
    expect(column('tick & 1')).toEqual([6, expect.stringContaining("'&' is not in this language (use &&)")]);
    expect(column('agents.worker.failed + true')).toEqual([24, expect.stringContaining('takes numbers')]);
    expect(column('event.type == "ipc/snet"')).toEqual([15, expect.stringContaining('did you mean "ipc/sent"')]);
    expect(column('procs[1].status == "faild"')).toEqual([20, expect.stringContaining('did you mean "failed"')]);
    expect(column('sqe > 3')).toEqual([1, expect.stringContaining('did you mean "seq"')]);
    expect(column('agents.worker')).toEqual([14, expect.stringContaining('needs more parts')]);
    expect(parseExpression('4KiB + 2ms')).toMatchObject({ left: { value: 4096 }, right: { value: 2000 } });
  });
});
