import { describe, expect, it } from 'vitest';
import { loadDebugCore } from '../helpers/core';
import { SchedCode, SchedOp, SchedState, explainPick } from '../../src/core/sched';
import type { Core } from '../../src/core/core';
import { SchedModel } from '../reference/sched-model';

async function freshCore(nodes = 2, capacity = 16): Promise<Core> {
  const core = await loadDebugCore();
  core.exports.releaseAllRegions();
  core.sched.configure(nodes, capacity);
  return core;
}

describe('wasm scheduler', () => {
  it('round-robin: picks in ring order, the running one goes to the back, reason "next in ring"', async () => {
    const core = await freshCore();
    const s = core.sched;
    s.setPolicy(0, 'round-robin');
    for (const pid of [3, 1, 2]) expect(s.add(0, pid, 0)).toBe(SchedCode.ok);
    const order: number[] = [];
    for (let i = 0; i < 6; i++) { const pick = s.pick(0); order.push(pick.pid!); s.charge(0, pick.pid!, 100); }
    expect(order).toEqual([3, 1, 2, 3, 1, 2]);
    const pick = s.lastPick(0);
    expect(pick.reason).toBe('next-in-ring');
    expect(pick.value).toBe(200); // waited two charges of 100 ticks
    expect(pick.sliceTicks).toBe(1000);
    expect(explainPick(pick)).toBe('next in ring (waited 200 ticks)');
    s.checkInvariants(0);
  });

  it('priority: the highest level wins; aging lifts a starving process one level per pick', async () => {
    const core = await freshCore();
    const s = core.sched;
    s.setPolicy(0, 'priority');
    s.setTiming(0, 100, 250);
    s.add(0, 0, 1); // level 21
    s.add(0, 1, 0); // level 20
    let pick = s.pick(0);
    expect(pick).toMatchObject({ pid: 1, reason: 'highest-level', value: 20 });
    s.charge(0, 1, 100);
    pick = s.pick(0); // pid 0 waited 100 < 250: pid 1 again
    expect(pick.pid).toBe(1);
    s.charge(0, 1, 100);
    s.charge(0, 1, 100);
    pick = s.pick(0); // pid 0 waited 300 >= 250: lifted to level 20, behind pid 1 in FIFO? pid 1 was requeued first
    expect(core.exports.schedProcLevel(0, 0)).toBe(20);
    expect(pick.pid).toBe(1);
    s.charge(0, 1, 100);
    pick = s.pick(0); // it is lifted again to level 19: now above pid 1
    expect(pick).toMatchObject({ pid: 0, reason: 'aged', value: 400 });
    expect(core.exports.schedProcLevel(0, 0)).toBe(21); // back to its base level once it runs
    s.checkInvariants(0);
  });

  it('fair: least vruntime first; heavier weight accrues vruntime slower and gets a longer slice', async () => {
    const core = await freshCore();
    const s = core.sched;
    s.setPolicy(0, 'fair');
    s.add(0, 0, 0);
    s.add(0, 1, -5); // weight 3121
    const ran = [0, 0];
    for (let i = 0; i < 200; i++) { const pick = s.pick(0); ran[pick.pid!] += pick.sliceTicks; s.charge(0, pick.pid!, pick.sliceTicks); }
    // CPU share follows the weights 1024 : 3121 within a slice or two.
    const share = ran[1] / (ran[0] + ran[1]);
    expect(share).toBeGreaterThan(3121 / (1024 + 3121) - 0.01);
    expect(share).toBeLessThan(3121 / (1024 + 3121) + 0.01);
    const pick = s.pick(0);
    expect(pick.reason).toBe('lowest-vruntime');
    expect(explainPick(pick)).toMatch(/^lowest vruntime \d+$/);
    expect(pick.value).toBe(Number(s.vruntime(0, pick.pid!) >> 10n));
  });

  it('fair: a process that slept long wakes at most half a quantum behind minVruntime', async () => {
    const core = await freshCore();
    const s = core.sched;
    s.add(0, 0, 0);
    s.add(0, 1, 0);
    s.block(0, 1);
    for (let i = 0; i < 50; i++) { const pick = s.pick(0); s.charge(0, pick.pid!, 1000); }
    const floor = core.exports.schedMinVruntime(0);
    s.wake(0, 1);
    expect(s.vruntime(0, 1)).toBe(floor - 1000n * 512n);
  });

  it('EEVDF: picks the earliest deadline among the eligible, never an ineligible one', async () => {
    const core = await freshCore();
    const s = core.sched;
    s.setPolicy(0, 'eevdf');
    for (let pid = 0; pid < 4; pid++) s.add(0, pid, pid * 3 - 4);
    for (let i = 0; i < 300; i++) {
      const pick = s.pick(0);
      expect(pick.reason).toBe('earliest-eligible-deadline');
      const average = s.averageVruntime(0);
      const v = s.vruntime(0, pick.pid!);
      // eligible as of the pick (its vruntime <= V, exactly as the kernel checks it)
      expect(v <= average + 1n).toBe(true);
      s.charge(0, pick.pid!, (i * 37) % 1500 + 1);
      s.checkInvariants(0);
    }
  });

  it('every operation returns an error code instead of trapping', async () => {
    const core = await freshCore(2, 4);
    const s = core.sched;
    expect(s.add(2, 0, 0)).toBe(SchedCode.badNode);
    expect(s.add(0, 4, 0)).toBe(SchedCode.tableFull);
    expect(s.add(0, 0, 20)).toBe(SchedCode.badNice);
    expect(s.add(0, 0, -21)).toBe(SchedCode.badNice);
    expect(s.add(0, 0, 0)).toBe(SchedCode.ok);
    expect(s.add(0, 0, 0)).toBe(SchedCode.exists);
    expect(s.remove(0, 1)).toBe(SchedCode.noProcess);
    expect(s.wake(0, 0)).toBe(SchedCode.wrongState);
    expect(s.charge(0, 0, 10)).toBe(SchedCode.wrongState); // not running
    expect(s.requeue(0, 0)).toBe(SchedCode.wrongState);
    expect(core.exports.schedSetPolicy(0, 4)).toBe(SchedCode.badPolicy);
    expect(s.pick(1)).toMatchObject({ pid: null, reason: 'idle' });
    expect(core.exports.schedPick(1)).toBe(SchedCode.idle);
    expect(core.exports.schedBatch(1_000_000)).toBe(SchedCode.batchTooLong);
    expect(() => s.configure(17, 4)).toThrow(/badConfig/);
  });

  it('switching policy while running keeps every process, none lost or duplicated', async () => {
    const core = await freshCore(1, 32);
    const s = core.sched;
    for (let pid = 0; pid < 20; pid++) s.add(0, pid, (pid % 7) - 3);
    for (let pid = 0; pid < 20; pid += 3) s.block(0, pid);
    const running = s.pick(0).pid!;
    for (const policy of ['round-robin', 'priority', 'eevdf', 'fair', 'priority', 'round-robin'] as const) {
      s.charge(0, s.runningPid(0)!, 700);
      expect(s.setPolicy(0, policy)).toBe(SchedCode.ok);
      s.checkInvariants(0);
      expect(s.procCount(0)).toBe(20);
      expect(s.queuedCount(0)).toBe(20 - 7 - 1);
      expect(s.runningPid(0)).toBe(running);
      for (let pid = 0; pid < 20; pid += 3) expect(s.state(0, pid)).toBe(SchedState.blocked);
    }
    const seen = new Set<number>();
    for (let i = 0; i < 13; i++) seen.add(s.pick(0).pid!);
    expect(seen.size).toBe(13);
  });

  it('a batch gives the same results and decisions as one call each', async () => {
    const core = await freshCore(1, 64);
    const script = (push: (op: number, pid: number, arg: number) => void) => {
      for (let pid = 0; pid < 40; pid++) push(SchedOp.add, pid, (pid * 7) % 40 - 20);
      for (let i = 0; i < 200; i++) push(SchedOp.pick, 0, 0);
    };
    core.sched.setPolicy(0, 'eevdf');
    const batch = core.sched.batch();
    script((op, pid, arg) => batch.push(op, 0, pid, arg));
    const results = Array.from(batch.run());
    const single = await freshCore(1, 64);
    single.sched.setPolicy(0, 'eevdf');
    const expected: number[] = [];
    script((op, pid, arg) => {
      if (op === SchedOp.add) expected.push(single.sched.add(0, pid, arg), 0, 0, 0);
      else { const pick = single.sched.pick(0); expected.push(pick.pid ?? -11, pick.sliceTicks, 6, pick.value); }
    });
    expect(results).toEqual(expected);
  });

  it('batched pick + charge + requeue agrees with the TypeScript model over many rounds', async () => {
    const core = await freshCore(1, 256);
    const model = new SchedModel(256);
    core.sched.setPolicy(0, 'fair');
    model.setPolicy(2);
    for (let pid = 0; pid < 200; pid++) { core.sched.add(0, pid, (pid % 40) - 20); model.add(pid, (pid % 40) - 20); }
    const batch = core.sched.batch();
    for (let round = 0; round < 50; round++) {
      // one pick per batch, then charge its slice: the kernel's hot loop
      batch.push(SchedOp.pick, 0, 0);
      const [pid, slice] = batch.run();
      expect(pid).toBe(model.pick());
      expect(slice).toBe(model.lastSlice);
      batch.push(SchedOp.charge, 0, pid, slice);
      batch.push(SchedOp.requeue, 0, pid);
      expect(Array.from(batch.run()).filter((_, i) => i % 4 === 0)).toEqual([model.charge(pid, slice), model.requeue(pid)]);
    }
    core.sched.checkInvariants(0);
  });

  it('snapshot, mutate, restore: byte-identical state and the same future decisions', async () => {
    const core = await freshCore(2, 64);
    const s = core.sched;
    s.setPolicy(1, 'eevdf');
    for (let pid = 0; pid < 50; pid++) s.add(1, pid, (pid % 11) - 5);
    for (let i = 0; i < 100; i++) { const pick = s.pick(1); s.charge(1, pick.pid!, 333 + i); }
    const snapshot = s.exportState();
    const future = () => {
      const picks: string[] = [];
      for (let i = 0; i < 100; i++) { const pick = s.pick(1); picks.push(`${pick.pid}:${pick.value}:${pick.sliceTicks}`); s.charge(1, pick.pid!, 500); if (i % 10 === 0) s.block(1, pick.pid!); }
      return picks;
    };
    const first = future();
    expect(s.exportState()).not.toEqual(snapshot);
    s.importState(snapshot);
    expect(s.exportState()).toEqual(snapshot);
    expect(future()).toEqual(first);
    expect(() => s.importState(snapshot.subarray(1))).toThrow(/bytes/);
  });

  it('every state change marks its page dirty for incremental snapshots', async () => {
    const core = await freshCore(1, 1024);
    const x = core.exports;
    const dirtyPages = () => {
      const words = new Uint32Array(x.memory.buffer, x.dirtyBitmapPtr(), x.dirtyBitmapWords());
      const pages: number[] = [];
      words.forEach((word, i) => { for (let bit = 0; bit < 32; bit++) if (word & (1 << bit)) pages.push(i * 32 + bit); });
      return pages;
    };
    core.sched.add(0, 900, 0);
    x.clearDirty();
    const before = core.sched.exportState();
    core.sched.pick(0);
    core.sched.charge(0, 900, 10);
    const after = core.sched.exportState();
    const pageBytes = x.snapshotPageBytes();
    const base = x.schedStatePtr();
    const changedPages = new Set<number>();
    for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) changedPages.add(Math.floor((base + i) / pageBytes));
    expect(changedPages.size).toBeGreaterThan(0);
    const dirty = new Set(dirtyPages());
    for (const page of changedPages) expect(dirty.has(page)).toBe(true);
  });
});

describe('wasm scheduler batch chaining', () => {
  it('[pick, charge(running, last slice), requeue(running)] in one batch equals the single calls', async () => {
    const { BATCH_RUNNING, BATCH_LAST_SLICE } = await import('../../src/core/sched');
    const batched = await freshCore(1, 64);
    const single = await freshCore(1, 64);
    for (const core of [batched, single]) { core.sched.setPolicy(0, 'fair'); for (let pid = 0; pid < 30; pid++) core.sched.add(0, pid, (pid % 9) - 4); }
    const batch = batched.sched.batch();
    for (let i = 0; i < 100; i++) {
      batch.push(SchedOp.pick, 0, 0);
      batch.push(SchedOp.charge, 0, BATCH_RUNNING, BATCH_LAST_SLICE);
      batch.push(SchedOp.requeue, 0, BATCH_RUNNING);
    }
    const results = Array.from(batch.run());
    for (let i = 0; i < 100; i++) {
      const pick = single.sched.pick(0);
      expect(results[i * 12]).toBe(pick.pid);
      expect(results[i * 12 + 1]).toBe(pick.sliceTicks);
      expect(results[i * 12 + 4]).toBe(single.sched.charge(0, pick.pid!, pick.sliceTicks));
      expect(results[i * 12 + 8]).toBe(single.sched.requeue(0, pick.pid!));
    }
    expect(batched.sched.exportState()).toEqual(single.sched.exportState());
  });
});

describe('wasm scheduler context switch', () => {
  it('switch (charge running + requeue + pick) equals the three calls, in batches too', async () => {
    const fused = await freshCore(1, 64);
    const single = await freshCore(1, 64);
    for (const core of [fused, single]) { core.sched.setPolicy(0, 'priority'); for (let pid = 0; pid < 30; pid++) core.sched.add(0, pid, (pid % 13) - 6); }
    const batch = fused.sched.batch();
    for (let i = 0; i < 300; i++) batch.push(SchedOp.switch, 0, 0, i % 3 === 0 ? 0xffffffff : 100 + i);
    const results = Array.from(batch.run());
    for (let i = 0; i < 300; i++) {
      const running = single.sched.runningPid(0);
      if (running !== null) single.sched.charge(0, running, i % 3 === 0 ? single.sched.lastPick(0).sliceTicks : 100 + i);
      const pick = single.sched.pick(0);
      expect(results.slice(i * 4, i * 4 + 2)).toEqual([pick.pid, pick.sliceTicks]);
    }
    expect(fused.sched.exportState()).toEqual(single.sched.exportState());
    expect(fused.sched.switchTo(0, 5).pid).toBe(single.sched.switchTo(0, 5).pid);
  });
});
