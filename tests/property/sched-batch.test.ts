// The batch has its own fast path for the hot commands (pick, switch, charge, requeue: node record
// and dirty mark resolved once per run of commands on one node), so it is tested on its own:
// random command sequences on two nodes (and a bad node, and unknown ops), sent through
// schedBatch in random-sized chunks, must give the same results and decisions as the TypeScript
// model, keep the invariants, and leave every changed page of the region marked dirty.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadDebugCore } from '../helpers/core';
import { NONE, SchedModel } from '../reference/sched-model';
import { BATCH_LAST_SLICE, BATCH_RUNNING, SchedOp } from '../../src/core/sched';
import type { Core } from '../../src/core/core';

const NODES = 2;
const CAPACITY = 150; // process records span three pages per node
const U32_MAX = 0xffffffff;

type Command = [op: number, node: number, pid: number, arg: number];

const pidArb = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: CAPACITY }) }, { weight: 2, arbitrary: fc.constant(BATCH_RUNNING) });
const nodeArb = fc.oneof({ weight: 10, arbitrary: fc.integer({ min: 0, max: NODES - 1 }) }, { weight: 1, arbitrary: fc.constant(NODES) });
const niceArb = fc.integer({ min: -21, max: 20 }).map((nice) => nice >>> 0);
const ticksArb = fc.oneof(fc.integer({ min: 0, max: 4000 }), fc.constant(BATCH_LAST_SLICE));
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constant(SchedOp.add), nodeArb, pidArb, niceArb) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(SchedOp.remove), nodeArb, pidArb, fc.constant(0)) },
  { weight: 2, arbitrary: fc.tuple(fc.constant(SchedOp.block), nodeArb, pidArb, fc.constant(0)) },
  { weight: 2, arbitrary: fc.tuple(fc.constant(SchedOp.wake), nodeArb, pidArb, fc.constant(0)) },
  { weight: 6, arbitrary: fc.tuple(fc.constant(SchedOp.pick), nodeArb, fc.constant(0), fc.constant(0)) },
  { weight: 6, arbitrary: fc.tuple(fc.constant(SchedOp.charge), nodeArb, pidArb, ticksArb) },
  { weight: 5, arbitrary: fc.tuple(fc.constant(SchedOp.requeue), nodeArb, pidArb, fc.constant(0)) },
  { weight: 6, arbitrary: fc.tuple(fc.constant(SchedOp.switch), nodeArb, fc.constant(0), ticksArb) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(SchedOp.setNice), nodeArb, pidArb, niceArb) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(SchedOp.setPolicy), nodeArb, fc.constant(0), fc.integer({ min: 0, max: 4 })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(0, 11, 99), nodeArb, pidArb, fc.constant(0)) },
);

function saturate(value: number): number { return value > U32_MAX ? U32_MAX : value; }

/** What schedBatch must write back for one command, computed on the model. */
function expected(models: SchedModel[], [op, node, pidIn, argIn]: Command): number[] {
  if (node >= models.length) return [op >= 1 && op <= 10 ? -1 : -10, 0, 0, 0]; // SCHED_E_NODE / SCHED_E_OP
  const model = models[node];
  const pid = pidIn === BATCH_RUNNING ? model.runningPid : pidIn;
  const decision = (result: number) => [result, model.lastSlice, model.lastReason, saturate(model.lastValue)];
  switch (op) {
    case SchedOp.add: return [model.add(pid, argIn | 0), 0, 0, 0];
    case SchedOp.remove: return [model.remove(pid), 0, 0, 0];
    case SchedOp.block: return [model.block(pid), 0, 0, 0];
    case SchedOp.wake: return [model.wake(pid), 0, 0, 0];
    case SchedOp.pick: return decision(model.pick());
    case SchedOp.charge: return [model.charge(pid, argIn === BATCH_LAST_SLICE ? model.lastSlice : argIn), 0, 0, 0];
    case SchedOp.requeue: return [model.requeue(pid), 0, 0, 0];
    case SchedOp.switch: {
      if (model.runningPid !== NONE) model.charge(model.runningPid, argIn === BATCH_LAST_SLICE ? model.lastSlice : argIn);
      return decision(model.pick());
    }
    case SchedOp.setNice: return [model.setNice(pid, argIn | 0), 0, 0, 0];
    case SchedOp.setPolicy: return [model.setPolicy(argIn), 0, 0, 0];
    default: return [-10, 0, 0, 0];
  }
}

function dirtyPages(core: Core): Set<number> {
  const x = core.exports;
  const words = new Uint32Array(x.memory.buffer, x.dirtyBitmapPtr(), x.dirtyBitmapWords());
  const pages = new Set<number>();
  words.forEach((word, i) => { for (let bit = 0; bit < 32; bit++) if ((word >>> bit) & 1) pages.add(i * 32 + bit); });
  return pages;
}

describe('scheduler batch: fast path vs TypeScript model', () => {
  for (const [policyName, policy] of [['round-robin', 0], ['priority', 1], ['fair', 2], ['eevdf', 3]] as const) {
    it(`${policyName}: same results and decisions, invariants hold, changed pages marked`, async () => {
      const core = await loadDebugCore();
      const x = core.exports;
      await fc.assert(
        fc.asyncProperty(
          fc.array(commandArb, { minLength: 40, maxLength: 400, size: 'max' }),
          fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 20 }),
          fc.integer({ min: 1, max: 3000 }),
          async (commands, chunkSizes, quantum) => {
            x.releaseAllRegions();
            core.sched.configure(NODES, CAPACITY);
            const models = [new SchedModel(CAPACITY), new SchedModel(CAPACITY)];
            for (let node = 0; node < NODES; node++) {
              core.sched.setTiming(node, quantum, quantum * 2);
              models[node].setTiming(quantum, quantum * 2);
              core.exports.schedSetPolicy(node, policy);
              models[node].setPolicy(policy);
              for (let pid = 0; pid < CAPACITY; pid += 3) {
                expect(core.sched.add(node, pid, (pid % 40) - 20)).toBe(models[node].add(pid, (pid % 40) - 20));
              }
            }
            let at = 0;
            for (let chunk = 0; at < commands.length; chunk++) {
              const slice = commands.slice(at, at + chunkSizes[chunk % chunkSizes.length]);
              at += slice.length;
              x.clearDirty();
              const before = core.sched.exportState();
              const words = new Uint32Array(x.memory.buffer, x.schedBatchPtr(), slice.length * 4);
              slice.forEach((command, i) => words.set(command.map((word) => word >>> 0), i * 4));
              expect(x.schedBatch(slice.length)).toBe(slice.length);
              const results = new Uint32Array(x.memory.buffer, x.schedBatchPtr(), slice.length * 4);
              slice.forEach((command, i) => {
                const want = expected(models, command).map((word) => word >>> 0);
                const got = Array.from(results.subarray(i * 4, i * 4 + 4));
                if (got.join() !== want.join()) expect(got, `command ${JSON.stringify(command)} (#${at - slice.length + i})`).toEqual(want);
              });
              for (let node = 0; node < NODES; node++) core.sched.checkInvariants(node);
              const after = core.sched.exportState();
              const dirty = dirtyPages(core);
              const base = x.schedStatePtr(), pageBytes = x.snapshotPageBytes();
              for (let i = 0; i < before.length; i++) {
                if (before[i] !== after[i] && !dirty.has(Math.floor((base + i) / pageBytes))) {
                  expect.fail(`byte ${i} of the region changed on a page not marked dirty`);
                }
              }
            }
            for (let node = 0; node < NODES; node++) {
              expect(Number(x.schedClockTicks(node)), 'clock').toBe(models[node].clock);
              expect(core.sched.queuedCount(node)).toBe(models[node].queuedCount);
            }
          },
        ),
        { seed: 20261123 + policy, numRuns: 60 },
      );
    });
  }
});
