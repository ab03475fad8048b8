// The IPC panel's and the Inspector's views (src/worker/ipc-views.ts) against the kernel they
// read: rates are the ipc/sent events counted in the journal, queue fill is the state's, the
// current step is the one at procPc, the why-text is the last switch event's, and a comparison is
// kernel.diff with the cursor left where it was.
import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { EventCode, InterventionKind } from '../../src/kernel/events';
import { Scalar, Status } from '../../src/kernel/state';
import { compareView, explainSwitch, ipcView, isStill, processDetail } from '../../src/worker/ipc-views';
import { Kernel } from '../../src/kernel/kernel';
import { loadDebugCore } from '../helpers/core';
import { processLabel } from '../../src/worker/event-rows';
import { entityName } from '../../src/worker/compare-names';

const EVENTS = 6000;

describe('ipcView', () => {
  it('counts each channel\'s ipc/sent events in the window and reads queue fill from the state (map-reduce)', async () => {
    const kernel = await kernelFor(exampleText('map-reduce.yaml'));
    kernel.run({ events: EVENTS });
    const journal = kernel.machine.journal;
    const { state } = kernel.machine;
    for (const windowMs of [0.5, 2, 1000]) {
      const view = ipcView(kernel, windowMs);
      const tick = state.scalars[Scalar.tick];
      const start = Math.max(0, tick - windowMs * 1000);
      expect(view.windowStartTick).toBe(start);
      const counted = [0, 0];
      for (let seq = 0; seq < kernel.cursor; seq++) {
        if (journal.type(seq) === EventCode['ipc/sent'] && journal.tick(seq) >= start) counted[journal.a(seq)]++;
      }
      expect(view.channels.map((c) => c.windowSent)).toEqual(counted);
      const spanMs = Math.max(1, tick - start) / 1000;
      view.channels.forEach((channel, i) => expect(channel.ratePerMs).toBeCloseTo(counted[i] / spanMs, 9));
    }
    expect(ipcView(kernel, 2).channels.some((c) => c.windowSent > 0)).toBe(true);
    const view = ipcView(kernel);
    view.channels.forEach((channel, i) => {
      expect(channel.queued).toBe(state.chanQueued[i]);
      expect(channel.inFlight).toBe(state.chanInFlight[i]);
      expect(channel.fill).toBeCloseTo((state.chanQueued[i] + state.chanInFlight[i]) / kernel.spec.channels[i].capacity, 12);
      expect(channel.sent).toBe(state.chanSent[i]);
      expect(channel.dropped).toBe(state.chanDropped[i]);
    });
    expect(view.channels[0].name).toBe('source.out -> mapper.in');
    // Source in column 0, mappers 1, reducer 2.
    expect(view.agents.map((a) => [a.name, a.column])).toEqual([['source', 0], ['mapper', 1], ['reducer', 2]]);
    expect(view.agents[1].processes).toBe(4);
  });

  it('rates change with the cursor: at event 0 nothing was sent', async () => {
    const kernel = await kernelFor(exampleText('map-reduce.yaml'));
    kernel.run({ events: 2000 });
    kernel.seek(0);
    expect(ipcView(kernel).channels.every((c) => c.windowSent === 0 && c.queued === 0)).toBe(true);
  });
});

describe('processDetail', () => {
  it('highlights the step at procPc and explains the last sched/switched event of each process', async () => {
    const kernel = await kernelFor(exampleText('map-reduce.yaml'));
    kernel.run({ events: EVENTS });
    const { state } = kernel.machine;
    const journal = kernel.machine.journal;
    let blockedOnRecv = 0;
    for (let pid = 0; pid < state.scalars[Scalar.nextPid]; pid++) {
      const detail = processDetail(kernel, pid);
      const program = kernel.ctx.compiled.programs[state.procAgent[pid]];
      const current = detail.steps.filter((step) => step.current);
      if (state.procStatus[pid] === Status.exited || state.procStatus[pid] === Status.failed) {
        expect(current).toHaveLength(0);
      } else {
        expect(current).toHaveLength(1);
        const pcs = [...program.stepAt.keys()].filter((pc) => pc <= state.procPc[pid]);
        expect(current[0].pc).toBe(Math.max(...pcs));
        expect(current[0].kind).toBe(program.stepAt.get(current[0].pc)!.kind);
        expect(current[0].line).toBe(program.lines[current[0].pc]);
        // "step k of n": the current step's index among all steps, in pc order.
        expect(detail.currentIndex).toBe([...program.stepAt.keys()].sort((x, y) => x - y).indexOf(current[0].pc));
        expect(detail.currentIndex).toBeLessThan(detail.stepCount);
      }
      if (current.length === 0) expect(detail.currentIndex).toBe(-1);
      let last = -1;
      for (let seq = kernel.cursor - 1; seq >= 0 && last < 0; seq--) if (journal.type(seq) === EventCode['sched/switched'] && journal.pid(seq) === pid) last = seq;
      expect(detail.lastSwitchSeq).toBe(last);
      if (last >= 0) expect(detail.whyText).toContain(explainSwitch(journal.a(last), journal.b(last), last));
      if (detail.agent === 'mapper' && state.procStatus[pid] === Status.blocked) {
        expect(detail.stateText).toBe('blocked: recv on channel source.out -> mapper.in');
        blockedOnRecv++;
      }
      expect(detail.memory.heapBytes).toBe(state.procHeapBytes[pid]);
      expect(detail.memory.allocations.reduce((sum, a) => sum + a.bytes, 0)).toBeLessThanOrEqual(detail.memory.heapBytes);
    }
    // The fair scheduler names its reason: a vruntime.
    const mapper = processDetail(kernel, 1);
    expect(mapper.whyText).toMatch(/picked: lowest vruntime -?\d+ at event \d+/);
    expect(mapper.steps.map((s) => s.kind)).toEqual(['repeat', 'recv', 'compute', 'alloc', 'send', 'free']);
    // A hand-written step shows its own spec line.
    expect(mapper.steps[1].source).toBe('- recv: in');
    expect(mapper.steps.every((s) => s.sourceIsLine)).toBe(true);
    // A built-in behaviour's steps all come from its `program:` line: each says what it does.
    const source = processDetail(kernel, 0);
    expect(source.agent).toBe('source');
    expect(source.steps.map((s) => [s.source, s.sourceIsLine])).toEqual([['repeat 2000 times', false], ['send out 256 B', false], ['sleep 20us', false]]);
    expect(new Set(source.steps.map((s) => s.line)).size).toBe(1);
    const reducer = processDetail(kernel, 5);
    expect(reducer.agent).toBe('reducer');
    expect(reducer.steps.map((s) => s.source)).toEqual(['alloc 32 KiB as state', 'repeat 20 times', 'repeat 100 times', 'recv in', 'compute 10us', 'write 1 KiB to /reduced', 'free state']);
    expect(mapper.channels.map((c) => `${c.direction} ${c.port}`)).toEqual(['in in', 'out out']);
    expect(blockedOnRecv + [1, 2, 3, 4].filter((pid) => state.procStatus[pid] !== Status.blocked).length).toBe(4);
    expect(() => processDetail(kernel, 9999)).toThrow(RangeError);
  });

  it('says who a waiting process was skipped for, and why', async () => {
    const kernel = await kernelFor(exampleText('priority-starvation.yaml'));
    kernel.run({ events: 20_000 });
    const { state } = kernel.machine;
    const journal = kernel.machine.journal;
    let checked = 0;
    for (let cursor = 20_000; cursor > 19_000 && checked < 20; cursor -= 37) {
      kernel.seek(cursor);
      for (let pid = 0; pid < state.scalars[Scalar.nextPid]; pid++) {
        if (state.procStatus[pid] !== Status.runnable) continue;
        let own = -1, other = -1;
        for (let seq = cursor - 1; seq >= 0 && own < 0; seq--) {
          if (journal.type(seq) !== EventCode['sched/switched'] || journal.node(seq) !== state.procNode[pid]) continue;
          if (journal.pid(seq) === pid) own = seq;
          else if (other < 0) other = seq;
        }
        if (other < 0) continue;
        const winner = journal.pid(other);
        const detail = processDetail(kernel, pid);
        expect(detail.whyText).toContain(`skipped at event ${other}: n${state.procNode[pid]} picked ${kernel.spec.agents[state.procAgent[winner]].name}[${state.procReplica[winner]}] (pid ${winner}): `);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('a killed process says it was killed and by which event, not "failed (exit code 137)"; an out-of-memory one says its limit', async () => {
    const kernel = await kernelFor(exampleText('map-reduce.yaml'));
    kernel.run({ events: 500 });
    kernel.intervene({ kind: 'kill', pid: 1 });
    kernel.run({ events: 600 });
    expect(processDetail(kernel, 1).stateText).toBe('killed by the user at event #500');
    const leak = await kernelFor(exampleText('memory-leak.yaml'));
    leak.run({ events: 5000 });
    expect(processDetail(leak, 0).stateText).toMatch(/^failed: over its memory limit of 256 KiB \(event #\d+\)$/);
  });

  it('a failed process holds no named block: its names are what they held when it ended', async () => {
    const leak = await kernelFor(exampleText('memory-leak.yaml'));
    leak.run({ events: 50 });
    const live = processDetail(leak, 0);
    expect(live.memory.blocks).toBeGreaterThan(0);
    expect(live.memory.allocations.map((a) => a.name)).toEqual(['leak']);
    expect(live.memory.atEnd).toEqual([]);
    leak.run({ events: 5000 });
    const failed = processDetail(leak, 0);
    expect(failed.status).toBe('failed');
    expect(failed.memory.heapBytes).toBe(0);
    expect(failed.memory.blocks).toBe(0);
    expect(failed.memory.allocations).toEqual([]);
    expect(failed.memory.atEnd).toEqual([{ name: 'leak', bytes: 4096 }]);
  });

  it('a sleeping process says until when', async () => {
    const kernel = await kernelFor(`agentos: 1
name: sleeper
agents:
  nap:
    program:
      - sleep: 2ms
      - compute: 10us
`);
    kernel.run({ events: 4 });
    const detail = processDetail(kernel, 0);
    expect(kernel.machine.state.procStatus[0]).toBe(Status.blocked);
    expect(detail.stateText).toMatch(/^sleeping until 2\.\d{3} ms$/);
    expect(detail.steps.find((s) => s.current)?.kind).toBe('sleep');
  });

  it('steps sharing one line (a flow list) are shown in words; a step on its own line keeps it', async () => {
    const kernel = await kernelFor(`agentos: 1
name: flow
agents:
  a:
    program:
      - repeat: 3
        do: [ { compute: 1ms..2ms }, { io: 1s } ]
      - fail: { probability: 0.25, code: 3 }
`);
    kernel.run({ events: 3 });
    const detail = processDetail(kernel, 0);
    expect(detail.steps.map((s) => [s.source, s.sourceIsLine])).toEqual([
      ['- repeat: 3', true], ['compute 1ms..2ms', false], ['io 1s', false], ['- fail: { probability: 0.25, code: 3 }', true],
    ]);
    expect(detail.currentIndex).toBeGreaterThanOrEqual(0);
    expect(detail.steps[detail.currentIndex].current).toBe(true);
  });
});

describe('ipcView when nothing moves', () => {
  it('shows rate 0 for a quiescent system (a deadlock), where a window of the past would show a rate', async () => {
    const kernel = await kernelFor(exampleText('deadlock.yaml'));
    kernel.run({});
    const moving = ipcView(kernel, 10, false);
    expect(moving.channels.some((channel) => channel.ratePerMs > 0)).toBe(true); // the sends before it locked
    // Stillness is read from the state at the cursor, not from how the run stopped.
    const still = ipcView(kernel, 10);
    expect(still.still).toBe(true);
    expect(still.channels.map((channel) => channel.ratePerMs)).toEqual(still.channels.map(() => 0));
    expect(still.channels.some((channel) => channel.queued > 0)).toBe(true); // the queues stay as they are
  });

  it('is still from the block that closed the cycle (before the deadlock is reported), in a restored session too, and never while something can happen', async () => {
    const kernel = await kernelFor(exampleText('deadlock.yaml'));
    kernel.run({});
    const journal = kernel.machine.journal;
    const reported = Array.from({ length: journal.length }, (_, seq) => seq).find((seq) => journal.type(seq) === EventCode['sched/deadlocked'])!;
    expect(reported).toBeGreaterThan(0);
    kernel.seek(reported); // every process blocked; the report is the next event
    expect(isStill(kernel)).toBe(true);
    expect(ipcView(kernel, 10).channels.every((channel) => channel.ratePerMs === 0)).toBe(true);
    const restored = Kernel.fromCheckpoint(kernel.checkpointData(), await loadDebugCore());
    expect(isStill(restored)).toBe(true);
    // Before both were stuck, and in a running system, it is not still.
    kernel.seek(3);
    expect(isStill(kernel)).toBe(false);
    const busy = await kernelFor(exampleText('map-reduce.yaml'));
    for (const events of [1, 100, 2000]) {
      busy.run({ events });
      expect(isStill(busy), `map-reduce @${events}`).toBe(false);
    }
  });
});

describe('compareView', () => {
  it('is kernel.diff between two points, across branches, and leaves the cursor alone', async () => {
    const kernel = await kernelFor(exampleText('map-reduce.yaml'));
    kernel.run({ events: 3000 });
    kernel.seek(2000);
    kernel.intervene({ kind: 'kill', pid: 1 });
    kernel.run({ events: 2600 });
    const branch = kernel.timeline.current, cursor = kernel.cursor, hash = kernel.stateHash();
    expect(branch).not.toBe(0);
    const view = compareView(kernel, { branch: 0, seq: 2600 }, { seq: 2600 });
    expect(kernel.timeline.current).toBe(branch);
    expect(kernel.cursor).toBe(cursor);
    expect(kernel.stateHash()).toBe(hash);
    const diff = kernel.diff({ branch: 0, seq: 2600 }, { branch, seq: 2600 });
    expect(view.updated.length).toBe(Math.min(200, Object.keys(diff.updated).length));
    // Named as the branch tree names them.
    expect([view.a.name, view.b.name]).toEqual(['main', `branch ${branch}`]);
    // Entities and fields as the rest of the UI names them, never the kernel's raw ids.
    const ids = [...view.updated.map(([id]) => id), ...view.added.map(([id]) => id), ...view.removed.map(([id]) => id)];
    expect(ids.filter((id) => /^(process|channel) \d/.test(id))).toEqual([]);
    expect(entityName(kernel, 'channel 0', { from: 'source.out', to: 'mapper.in', queued: 0 })).toBe('channel source.out → mapper.in');
    expect(view.updated.flatMap(([, changes]) => changes.map((change) => change.field))).not.toContain('pc');
    const killed = view.updated.find(([id]) => id === `${processLabel(kernel, 1)} · pid 1`);
    // A process the user killed is "killed #N" as in the Processes table (the kernel's status is failed).
    expect(killed?.[1].find((c) => c.field === 'status')?.after).toBe('killed #2000');
    expect(diff.updated['process 1']?.[1].status).toBe('failed');
    // The kill is what separates the two points: in B's past, not in A's.
    expect(view.separating).toEqual([{ side: 'b', seq: 2000, text: `kill ${processLabel(kernel, 1)} (pid 1)` }]);
    expect(compareView(kernel, { branch, seq: 2600 }, { branch: 0, seq: 2600 }).separating.map((row) => row.side)).toEqual(['a']);
    // Before the kill, on either branch, nothing separates them.
    expect(compareView(kernel, { branch: 0, seq: 2000 }, { seq: 2000 }).separating).toEqual([]);
    expect(InterventionKind.kill).toBe(0);
    const same = compareView(kernel, { seq: 100 }, { seq: 100 });
    expect(same.updated.length + same.added.length + same.removed.length).toBe(0);
    expect(() => compareView(kernel, { branch: 7, seq: 0 }, { seq: 0 })).toThrow(/no branch 7/);
    expect(() => compareView(kernel, { seq: 1e9 }, { seq: 0 })).toThrow(/not on branch \d/);
    expect(() => compareView(kernel, { branch: 0, seq: 1e9 }, { seq: 0 })).toThrow(/event 1000000000 is not on main \(0\.\.\d+\)/);
  });
});
