// Scheduler hot loop: pick + charge(its slice) + requeue, at 100 / 10,000 / 100,000 runnable
// processes (random nice), per policy. Ours: the wasm release build, batched through the shared
// command buffer, two ways: three commands per round (341 rounds = 1023 commands per boundary
// crossing, chained with BATCH_RUNNING / BATCH_LAST_SLICE), and one `switch` command per round
// (charge the running process its slice, requeue it, pick the next: the kernel's context switch);
// plus one boundary call per operation, for scale. Peers measured in the same run: the same algorithm in TypeScript on typed
// arrays (tests/reference/sched-model.ts), and for fair, a flatqueue binary heap keyed by
// vruntime (the npm baseline; it keeps no process table or slice/weight bookkeeping beyond the
// vruntime increment, so it is the lower bound of what a heap costs).
import FlatQueue from 'flatqueue';
import { loadCoreFromDisk } from '../../src/core/node';
import { BATCH_LAST_SLICE, BATCH_RUNNING, SCHED_POLICIES, SchedOp, type SchedPolicy } from '../../src/core/sched';
import { SchedModel, WEIGHTS, idiv } from '../reference/sched-model';
import { Xoshiro128 } from '../reference/xoshiro128';
import { throughput, type BenchResult, type BenchSuite } from './harness';
import { interleavedMsPerCall } from './interleaved';

const SIZES = [100, 10_000, 100_000];
const ROUNDS_PER_CALL = 341 * 30; // 30 batches

function nices(count: number): Int8Array {
  const rng = new Xoshiro128(42);
  return Int8Array.from({ length: count }, () => rng.below(40) - 20);
}

async function benchPolicy(policy: SchedPolicy, size: number): Promise<BenchResult[]> {
  const core = await loadCoreFromDisk('release');
  const x = core.exports;
  x.releaseAllRegions();
  core.sched.configure(1, size);
  core.sched.setPolicy(0, policy);
  const nice = nices(size);
  const batch = core.sched.batch();
  for (let pid = 0; pid < size; pid++) {
    batch.push(SchedOp.add, 0, pid, nice[pid]);
    if (batch.length === 1024 || pid === size - 1) batch.run();
  }
  if (core.sched.queuedCount(0) !== size) throw new Error(`setup: ${core.sched.queuedCount(0)} of ${size} queued`);
  const template = new Uint32Array(341 * 12);
  for (let round = 0; round < 341; round++) {
    template.set([SchedOp.pick, 0, 0, 0, SchedOp.charge, 0, BATCH_RUNNING, BATCH_LAST_SLICE, SchedOp.requeue, 0, BATCH_RUNNING, 0], round * 12);
  }
  const wasmBatched = () => {
    for (let call = 0; call < ROUNDS_PER_CALL / 341; call++) {
      new Uint32Array(x.memory.buffer, x.schedBatchPtr(), template.length).set(template);
      x.schedBatch(1023);
    }
  };
  const switchTemplate = new Uint32Array(1023 * 4);
  for (let i = 0; i < 1023; i++) switchTemplate.set([SchedOp.switch, 0, 0, BATCH_LAST_SLICE], i * 4);
  const switchCalls = Math.round(ROUNDS_PER_CALL / 1023);
  const wasmSwitch = () => {
    for (let call = 0; call < switchCalls; call++) {
      new Uint32Array(x.memory.buffer, x.schedBatchPtr(), switchTemplate.length).set(switchTemplate);
      x.schedBatch(1023);
    }
  };
  const wasmSingle = () => {
    for (let round = 0; round < ROUNDS_PER_CALL; round++) {
      const pid = x.schedPick(0);
      x.schedCharge(0, pid, x.schedLastSliceTicks(0));
      x.schedRequeue(0, pid);
    }
  };
  const model = new SchedModel(size);
  model.setPolicy(SCHED_POLICIES.indexOf(policy));
  for (let pid = 0; pid < size; pid++) model.add(pid, nice[pid]);
  const typescript = () => {
    for (let round = 0; round < ROUNDS_PER_CALL; round++) {
      const pid = model.pick();
      model.charge(pid, model.lastSlice);
      model.requeue(pid);
    }
  };
  const contenders = [wasmBatched, wasmSingle, typescript, wasmSwitch];
  if (policy === 'fair') {
    const queue = new FlatQueue<number>(size);
    const weight = Uint32Array.from(nice, (n) => WEIGHTS[n + 20]);
    for (let pid = 0; pid < size; pid++) queue.push(pid, 0);
    const quantum = 1000;
    contenders.push(() => {
      for (let round = 0; round < ROUNDS_PER_CALL; round++) {
        const vruntime = queue.peekValue()!;
        const pid = queue.pop()!;
        queue.push(pid, vruntime + idiv(quantum * 1048576, weight[pid]));
      }
    });
  }
  const [wasmMs, wasmSingleMs, typescriptMs, switchMs, flatMs] = interleavedMsPerCall(contenders, 7, 60);
  const perSecond = (ms: number) => (ROUNDS_PER_CALL / ms) * 1000;
  const goal = size === 10_000 ? '>= 1.5x TypeScript' : undefined;
  const results = [
    throughput(`${policy} @ ${size} runnable: pick+charge+requeue (wasm, batched)`, 'rounds/s', perSecond(wasmMs), 'TypeScript model', perSecond(typescriptMs), goal),
    throughput(`${policy} @ ${size} runnable: one switch command per round (wasm, batched)`, 'rounds/s', ((switchCalls * 1023) / switchMs) * 1000, 'TypeScript model', perSecond(typescriptMs), goal),
    throughput(`${policy} @ ${size} runnable: one boundary call per op (wasm)`, 'rounds/s', perSecond(wasmSingleMs), 'TypeScript model', perSecond(typescriptMs)),
  ];
  if (policy === 'round-robin') {
    results[0].note = 'a round is a few list-link writes: per-command costs (decode, validation, dirty-page marks, decision record) are most of it';
  }
  if (flatMs !== undefined) {
    results.push({
      ...throughput(`fair @ ${size} runnable (wasm, batched)`, 'rounds/s', perSecond(wasmMs), 'flatqueue (pop + push by vruntime)', perSecond(flatMs)),
      note: 'flatqueue keeps no process table, slots for O(log n) removal, slices, weights sums or dirty pages',
    });
  }
  return results;
}

export const benches: BenchSuite[] = SCHED_POLICIES.map((policy) => ({
  name: `scheduler ${policy}: pick + charge + requeue (wasm release) vs TypeScript${policy === 'fair' ? ' and flatqueue' : ''}`,
  async run() {
    const results: BenchResult[] = [];
    for (const size of SIZES) results.push(...(await benchPolicy(policy, size)));
    return results;
  },
}));
