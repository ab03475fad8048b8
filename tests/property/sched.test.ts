// Differential tests: random operation sequences run on the wasm scheduler (debug build,
// assertions on) and on the TypeScript model (tests/reference/sched-model.ts) must return the same
// results and make the same decisions (pid, slice, reason, deciding value); the wasm invariants
// are checked after every operation.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadDebugCore } from '../helpers/core';
import { SchedModel } from '../reference/sched-model';
import type { Core } from '../../src/core/core';

const CAPACITY = 24;
const NODES = 2;

type Op =
  | { kind: 'add'; pid: number; nice: number }
  | { kind: 'remove' | 'block' | 'wake' | 'requeue'; pid: number }
  | { kind: 'pick' }
  | { kind: 'charge'; ticks: number; pid?: number }
  | { kind: 'setNice'; pid: number; nice: number }
  | { kind: 'setPolicy'; policy: number };

const pid = fc.integer({ min: 0, max: CAPACITY + 1 }); // a few beyond capacity: "table full"
const nice = fc.integer({ min: -21, max: 20 }); // a few out of range
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('add' as const), pid, nice }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), pid }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('block' as const), pid }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wake' as const), pid }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('requeue' as const), pid }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('pick' as const) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('charge' as const), ticks: fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constantFrom(1, 2, 3, 4, 6, 8)) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('charge' as const), ticks: fc.integer({ min: 0, max: 5000 }), pid }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('setNice' as const), pid, nice }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('setPolicy' as const), policy: fc.integer({ min: 0, max: 4 }) }) },
);

export function configureFresh(core: Core, nodes: number, capacity: number): void {
  core.exports.releaseAllRegions();
  core.sched.configure(nodes, capacity);
}

/** Applies one op to node `node` of the core and to the model; returns both results. */
export function applyBoth(core: Core, node: number, model: SchedModel, op: Op): [unknown, unknown] {
  const s = core.sched;
  switch (op.kind) {
    case 'add': return [s.add(node, op.pid, op.nice), model.add(op.pid, op.nice)];
    case 'remove': return [s.remove(node, op.pid), model.remove(op.pid)];
    case 'block': return [s.block(node, op.pid), model.block(op.pid)];
    case 'wake': return [s.wake(node, op.pid), model.wake(op.pid)];
    case 'requeue': return [s.requeue(node, op.pid), model.requeue(op.pid)];
    case 'setNice': return [s.setNice(node, op.pid, op.nice), model.setNice(op.pid, op.nice)];
    case 'setPolicy': return [core.exports.schedSetPolicy(node, op.policy), model.setPolicy(op.policy)];
    case 'charge': {
      const running = model.runningPid === 0xffffffff ? 0 : model.runningPid;
      const target = op.pid ?? running;
      return [s.charge(node, target, op.ticks), model.charge(target, op.ticks)];
    }
    case 'pick': {
      const pick = s.pick(node);
      const result = model.pick();
      return [
        [pick.pid ?? -11, pick.sliceTicks, pick.reason, pick.value],
        [result, model.lastSlice, ['none', 'idle', 'next-in-ring', 'highest-level', 'aged', 'lowest-vruntime', 'earliest-eligible-deadline'][model.lastReason], model.lastValue],
      ];
    }
  }
}

/** Every per-process and per-node figure the model keeps agrees with the wasm state. */
export function expectSameState(core: Core, node: number, model: SchedModel): void {
  const x = core.exports;
  expect(Number(x.schedAverageVruntime(node)), 'average vruntime').toBe(model.averageVruntime());
  expect(Number(x.schedTotalWeight(node)), 'total weight').toBe(model.totalWeight);
  expect(Number(x.schedMinVruntime(node)), 'min vruntime').toBe(model.minVruntime);
  expect(Number(x.schedClockTicks(node)), 'clock').toBe(model.clock);
  for (let p = 0; p < model.capacity; p++) {
    if (x.schedProcState(node, p) !== model.state[p]) expect(x.schedProcState(node, p), `state of ${p}`).toBe(model.state[p]);
    if (Number(x.schedProcVruntime(node, p)) !== model.vruntime[p]) expect(Number(x.schedProcVruntime(node, p)), `vruntime of ${p}`).toBe(model.vruntime[p]);
    const deadline = Number(BigInt.asIntN(64, x.schedProcDeadline(node, p)));
    if (deadline !== model.deadline[p]) expect(deadline, `deadline/lag of ${p}`).toBe(model.deadline[p]);
    if (x.schedProcLevel(node, p) !== model.level[p]) expect(x.schedProcLevel(node, p), `level of ${p}`).toBe(model.level[p]);
  }
}

describe('scheduler: wasm vs TypeScript model (differential)', () => {
  for (const [policyName, policy] of [['round-robin', 0], ['priority', 1], ['fair', 2], ['eevdf', 3]] as const) {
    it(`${policyName}: same results, same decisions, invariants hold after every op`, async () => {
      const core = await loadDebugCore();
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 30, maxLength: 200, size: 'max' }), fc.integer({ min: 1, max: 3000 }), async (ops, quantum) => {
          configureFresh(core, NODES, CAPACITY);
          const node = 1;
          const model = new SchedModel(CAPACITY);
          expect(core.sched.setTiming(node, quantum, quantum * 3)).toBe(0);
          model.setTiming(quantum, quantum * 3);
          expect(core.exports.schedSetPolicy(node, policy)).toBe(0);
          model.setPolicy(policy);
          for (const op of ops) {
            const [ours, theirs] = applyBoth(core, node, model, op);
            expect(ours, JSON.stringify(op)).toEqual(theirs);
            core.sched.checkInvariants(node);
            expectSameState(core, node, model);
          }
          // node 0 was never touched
          expect(core.sched.procCount(0)).toBe(0);
        }),
        { seed: 20261122 + policy, numRuns: 150 },
      );
    });
  }
});
