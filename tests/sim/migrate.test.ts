// Live process migration (issue 13): a running, runnable or waiting process moves to another live
// node that fits and goes on there: same pid, its heap on the target's allocator, its place in
// its supervisor; what was queued or in flight for it is received there, once. The user's
// `migrate` intervention is two events (the request, then the move it causes); a session holding
// it replays identically. Property: over generated clusters and random migrations, every message
// sent is received or dropped with a reason exactly once, the invariants hold after every event,
// and the run replays to the same journal and hash (SEED= printed on failure).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exampleText, kernelFor } from '../helpers/kernel';
import { loadDebugCore } from '../helpers/core';
import { events, pidsOf } from '../helpers/queries';
import { EventCode as E, InterventionKind, UnplacedWhy } from '../../src/kernel/events';
import { Status } from '../../src/kernel/state';
import { checkInvariants } from '../../src/kernel/invariants';
import { eventText } from '../../src/worker/event-text';
import { Kernel, InterventionError } from '../../src/kernel/kernel';
import { ALLOC_SLOTS_MAX } from '../../src/kernel/program/opcodes';
import { healTarget, hogTarget, MIGRATE_COOLDOWN_WINDOWS } from '../../src/kernel/autonomy/migrate';

const PIPE = `agentos: 1
seed: 7
cluster:
  nodes: 3
  latency: 2ms..4ms
  capabilities: { n0: [gpu], n1: [gpu] }
agents:
  producer:
    node: n0
    program:
      - repeat: 200
        do:
          - compute: 100us
          - send: { port: out, size: 64B }
  consumer:
    requires: [gpu]
    program:
      - alloc: { size: 4KiB, as: state }
      - alloc: { size: 1KiB, as: scratch }
      - repeat: forever
        do:
          - recv: in
          - compute: 50us..300us
channels:
  - { from: producer.out, to: consumer.in, capacity: 64 }
`;

function runChecked(kernel: Kernel, target: number): void {
  while (kernel.cursor < target) {
    const before = kernel.cursor;
    kernel.run({ events: kernel.cursor + 1 });
    if (kernel.cursor === before) break;
    checkInvariants(kernel.ctx, kernel.machine.state);
  }
}

/** The consumer's pid (agent 1). */
const consumerPid = (kernel: Kernel) => [...Array(kernel.machine.state.scalars[1]).keys()].find((pid) => kernel.machine.state.procAgent[pid] === 1)!;

describe('live migration', () => {
  it('moves a process with messages in flight toward it: same pid, heap on the target, every message received once', async () => {
    const kernel = await kernelFor(PIPE);
    // Until messages are in flight (latency 2..4 ms) and queued.
    runChecked(kernel, 400);
    const { state } = kernel.machine;
    const pid = consumerPid(kernel);
    const from = state.procNode[pid];
    const to = from === 0 ? 1 : 0;
    expect(state.chanInFlight[0] + state.chanQueued[0]).toBeGreaterThan(0);
    const heapBefore = state.procHeapBytes[pid];
    const pc = state.procPc[pid], received = state.procReceived[pid];
    const freeBefore = kernel.machine.core.heap.freeBytes(to);
    kernel.intervene({ kind: 'migrate', pid, node: to });
    checkInvariants(kernel.ctx, state);
    const [request, move] = [kernel.cursor - 2, kernel.cursor - 1].map((seq) => kernel.machine.journal.event(seq));
    expect(request).toMatchObject({ type: 'user/intervened', pid, kind: InterventionKind.migrate, arg: to, node: from });
    expect(move).toMatchObject({ type: 'process/migrated', pid, from, to, cause: kernel.cursor - 2, node: to });
    expect(eventText(kernel, kernel.cursor - 1)).toMatch(new RegExp(`^moved consumer\\[0\\] from n${from} to n${to} as the user asked`));
    // State moved: node, heap bytes (and the target allocator's count), program counter, counters.
    expect(state.procNode[pid]).toBe(to);
    expect(state.procHeapBytes[pid]).toBe(heapBefore);
    expect(state.nodeHeapBytes[to]).toBe(heapBefore);
    expect(state.nodeHeapBytes[from]).toBe(0);
    expect(freeBefore - kernel.machine.core.heap.freeBytes(to)).toBeGreaterThanOrEqual(heapBefore);
    expect([state.procPc[pid], state.procReceived[pid]]).toEqual([pc, received]);
    // It goes on: every one of the 200 messages is received, none twice, none dropped.
    runChecked(kernel, 20_000);
    expect(state.procStatus[pid]).not.toBe(Status.failed);
    const sent = events(kernel, 'ipc/sent').length, got = events(kernel, 'ipc/received');
    expect(sent).toBe(200);
    expect(got.length).toBe(200);
    expect(new Set(got.map((event) => event.message)).size).toBe(200);
    expect(events(kernel, 'ipc/dropped')).toEqual([]);
    expect(got.filter((event) => event.seq > move.seq).every((event) => event.pid === pid && event.node === to)).toBe(true);
    // Its blocks are freed on the target by the ids the target gave (a free of a stale id throws).
    for (let slot = 0; slot < ALLOC_SLOTS_MAX; slot++) expect(state.procSlotBlock[pid * ALLOC_SLOTS_MAX + slot] === -1 || slot < 2).toBe(true);
  });

  it('moves a running process mid-compute, a blocked one, and one blocked on recv that a message then wakes there', async () => {
    const kernel = await kernelFor(PIPE);
    const { state } = kernel.machine;
    kernel.run({ events: 20 });
    const pid = consumerPid(kernel);
    const seen = new Set<number>();
    // Walk the run, migrating the consumer back and forth (n0 <-> n1) in each status it meets.
    let moves = 0;
    while (kernel.cursor < 6000 && seen.size < 3) {
      const before = kernel.cursor;
      kernel.run({ events: kernel.cursor + 1 });
      if (kernel.cursor === before) break;
      const status = state.procStatus[pid];
      if (seen.has(status) || (status !== Status.running && status !== Status.runnable && status !== Status.blocked)) continue;
      const wasComputing = status === Status.running && state.nodeSegStart[state.procNode[pid]] !== -1;
      const left = state.procComputeLeft[pid];
      kernel.intervene({ kind: 'migrate', pid, node: state.procNode[pid] === 0 ? 1 : 0 });
      checkInvariants(kernel.ctx, state);
      expect(state.procStatus[pid]).toBe(status === Status.running ? Status.runnable : status);
      if (wasComputing) expect(state.procComputeLeft[pid]).toBeLessThanOrEqual(left);
      seen.add(status);
      moves++;
    }
    expect(seen).toEqual(new Set([Status.running, Status.runnable, Status.blocked]));
    runChecked(kernel, 20_000);
    expect(events(kernel, 'process/migrated').length).toBe(moves);
    expect(events(kernel, 'ipc/received').length).toBe(200);
  });

  it('refuses, with a clear reason: unknown node, same node, crashed target, capabilities, heap, ended, pinned', async () => {
    const spec = `agentos: 1
seed: 1
kernel: { memory: 64KiB }
cluster:
  nodes: 3
  capabilities: { n0: [gpu], n2: [gpu] }
  faults: [{ at: 1ms, crash: n2 }]
agents:
  gpu: { requires: [gpu], program: [ { sleep: 1s } ] }
  big: { node: any, program: [ { alloc: { size: 40KiB, as: a } }, { sleep: 1s } ] }
  pinned: { node: n0, program: [ { sleep: 1s } ] }
  filler: { node: n0, program: [ { alloc: { size: 40KiB, as: a } }, { sleep: 1s } ] }
  brief: { node: any, program: [ { compute: 10us } ] }
`;
    const kernel = await kernelFor(spec);
    kernel.run({ ticks: 5000 });
    const { state } = kernel.machine;
    const pidOf = (agent: string) => [...Array(state.scalars[1]).keys()].find((pid) => kernel.spec.agents[state.procAgent[pid]].name === agent)!;
    const refusal = (pid: number, node: number) => {
      try {
        kernel.intervene({ kind: 'migrate', pid, node });
      } catch (error) {
        expect(error).toBeInstanceOf(InterventionError);
        return (error as Error).message;
      }
      return 'no error';
    };
    const big = pidOf('big'), gpu = pidOf('gpu');
    const cursor = kernel.cursor;
    expect(refusal(big, 7)).toMatch(/there is no node n7 \(the cluster has n0\.\.n2\)/);
    expect(refusal(big, state.procNode[big])).toMatch(/big\[0\] \(pid \d+\) is already on n\d/);
    expect(state.procNode[gpu]).toBe(0);
    expect(refusal(gpu, 2)).toMatch(/n2 is down \(crashed\)/);
    expect(refusal(gpu, 1)).toMatch(/gpu\[0\] \(pid \d+\) requires gpu, and n1 does not offer gpu/);
    expect(refusal(pidOf('pinned'), 1)).toMatch(/pinned\[0\] \(pid \d+\) is pinned to n0/);
    expect(state.procNode[big]).toBe(1);
    expect(refusal(big, 0)).toMatch(/its heap \(40 KiB\) does not fit in n0's free heap \(\d+(\.\d)? (KiB|B)\)/);
    expect(refusal(pidOf('brief'), 0)).toMatch(/has already ended|is already on/);
    expect(refusal(999, 0)).toMatch(/there is no process 999/);
    // Nothing was applied.
    expect(kernel.cursor).toBe(cursor);
  });

  it('a session holding a migration replays it identically, and Undo (a branch before it) takes it back', async () => {
    const kernel = await kernelFor(PIPE);
    kernel.run({ events: 300 });
    const pid = consumerPid(kernel);
    const from = kernel.machine.state.procNode[pid];
    kernel.intervene({ kind: 'migrate', pid, node: from === 0 ? 1 : 0 });
    kernel.run({ events: 3000 });
    const end = kernel.cursor;
    expect(end).toBeGreaterThan(1000);
    const session = kernel.toSession();
    const hash = kernel.stateHash();
    const replayed = Kernel.fromSession(JSON.parse(JSON.stringify(session)), await loadDebugCore());
    expect(replayed.cursor).toBe(kernel.cursor);
    expect(replayed.stateHash()).toBe(hash);
    // Seeking back across it and forward again re-executes the move.
    replayed.seek(200);
    replayed.seek(end);
    expect(replayed.stateHash()).toBe(hash);
    // An intervention between its two events is refused.
    replayed.seek(301);
    expect(() => replayed.intervene({ kind: 'kill', pid })).toThrow(/in the middle of a migration \(events 300\.\.301\)/);
  });

  it('a message already on its way when its sender moves keeps the route it took: a partition of the sender\'s new node does not drop it', async () => {
    const spec = `agentos: 1
seed: 3
cluster:
  nodes: 3
  latency: 5ms
  faults: [{ at: 2ms, partition: [[n2], [n0, n1]] }]
agents:
  receiver: { node: n0, program: [ { recv: in }, { sleep: 50ms } ] }
  sender: { node: any, program: [ { send: { port: out, size: 16B } }, { sleep: 50ms } ] }
channels:
  - { from: sender.out, to: receiver.in, capacity: 4 }
`;
    const kernel = await kernelFor(spec);
    while (events(kernel, 'ipc/sent').length === 0) kernel.run({ events: kernel.cursor + 1 });
    const sent = events(kernel, 'ipc/sent')[0];
    expect(sent.node).toBe(1);
    kernel.intervene({ kind: 'migrate', pid: sent.pid, node: 2 });
    kernel.run({ ticks: 100_000 });
    expect(events(kernel, 'net/partitioned')).toHaveLength(1);
    expect(events(kernel, 'ipc/dropped')).toEqual([]);
    expect(events(kernel, 'ipc/received').map((event) => event.message)).toEqual([sent.seq]);
  });

  it('a move due when the process has ended is process/unplaced, saying why', async () => {
    const kernel = await kernelFor(PIPE);
    kernel.run({ events: 300 });
    const pid = consumerPid(kernel);
    const { state } = kernel.machine;
    // Kill it between the request and the move by hand (the kernel refuses that as an intervention).
    const to = state.procNode[pid] === 0 ? 1 : 0;
    const { migrateNow } = await import('../../src/kernel/autonomy/migrate');
    state.procStatus[pid] = Status.exited;
    const cursor = kernel.cursor;
    migrateNow(kernel.machine, pid, to, state.scalars[0], cursor - 1);
    expect(kernel.machine.journal.event(cursor)).toMatchObject({ type: 'process/unplaced', pid, why: UnplacedWhy.ended, to });
    expect(kernel.machine.journal.type(cursor)).toBe(E['process/unplaced']);
  });
});

const CLUSTER = (nodes: number, consumers: number, seed: number, loss: string, partitionAt = 0) => `agentos: 1
seed: ${seed}
cluster:
  nodes: ${nodes}
  latency: 1ms..3ms
  loss: ${loss}
${partitionAt > 0 ? `  faults: [{ at: ${partitionAt}us, partition: [[n0]] }, { at: ${partitionAt + 4000}us, heal: all }]
` : ''}agents:
  producer:
    replicas: 2
    program:
      - repeat: 60
        do:
          - compute: 50us..200us
          - send: { port: out, size: 32B, timeout: 2ms }
  consumer:
    replicas: ${consumers}
    program:
      - alloc: { size: 1KiB, as: a }
      - repeat: forever
        do:
          - recv: { port: in, timeout: 20ms }
          - compute: 20us..400us
          - sleep: 0us..200us
channels:
  - { from: producer.out, to: consumer.in, capacity: 8 }
`;

describe('migration property', () => {
  it('over generated clusters and random migrations: invariants after every event, each message received or dropped once, replays identically', async () => {
    const core = await loadDebugCore();
    let movedInAll = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1 << 20 }), fc.constantFrom('0', '5%'),
        fc.array(fc.tuple(fc.integer({ min: 5, max: 2500 }), fc.nat(), fc.nat()), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(0, 0, 1500, 4000),
        async (nodes, consumers, seed, loss, moves, partitionAt) => {
          const spec = CLUSTER(nodes, consumers, seed, loss, partitionAt);
          const kernel = Kernel.fromText(spec, core);
          const { state } = kernel.machine;
          const applied: Array<{ atSeq: number; pid: number; node: number }> = [];
          for (const [at, pick, target] of [...moves].sort((x, y) => x[0] - y[0])) {
            runChecked(kernel, at);
            if (kernel.cursor < at) break;
            const count = state.scalars[1];
            const pid = pick % count, node = target % nodes;
            try {
              kernel.intervene({ kind: 'migrate', pid, node });
              applied.push({ atSeq: kernel.cursor - 2, pid, node });
              checkInvariants(kernel.ctx, state);
            } catch (error) {
              if (!(error instanceof InterventionError)) throw error;
            }
          }
          runChecked(kernel, 5_000);
          // Every message: sent once, then received once or dropped once with a reason (or still held).
          const journal = kernel.machine.journal;
          const outcome = new Map<number, number>();
          for (let seq = 0; seq < kernel.cursor; seq++) {
            const type = journal.type(seq);
            if (type === E['ipc/sent']) outcome.set(seq, 0);
            else if (type === E['ipc/received']) {
              // A received message names the send it came from: one that was sent, received once.
              expect(outcome.get(journal.b(seq))).toBe(0);
              outcome.set(journal.b(seq), 1);
            }
          }
          const received = [...outcome.values()].filter((value) => value === 1).length;
          const dropped = events(kernel, 'ipc/dropped').length;
          // Sent = received + dropped (each with its reason) + still held (queued or in flight).
          expect(received + dropped + state.scalars[5]).toBe(outcome.size);
          for (const drop of events(kernel, 'ipc/dropped')) expect(drop.why).toBeGreaterThanOrEqual(0);
          for (const move of events(kernel, 'process/migrated')) expect(move.from).not.toBe(move.to);
          // Replays identically: the same journal and hash from the session.
          const replayed = Kernel.fromSession(JSON.parse(JSON.stringify(kernel.toSession())), core);
          expect(replayed.cursor).toBe(kernel.cursor);
          expect(replayed.stateHash()).toBe(kernel.stateHash());
          movedInAll += events(kernel, 'process/migrated').length;
          expect(events(kernel, 'process/migrated').length).toBe(applied.length);
        },
      ),
      { numRuns: 20, seed: Number(process.env.SEED ?? 13), verbose: true },
    );
    // The generated migrations did happen (not all refused).
    expect(movedInAll).toBeGreaterThan(10);
  }, 120_000);
});

describe('healing by migration (autonomy.migrate: on)', () => {
  it('moves the hog off the busy node, caused by the anomaly, and the work there finishes sooner than with migrate off', async () => {
    const text = exampleText('hog-migration.yaml');
    const finish = async (mode: string) => {
      const kernel = await kernelFor(text.replace('migrate: on', `migrate: ${mode}`));
      kernel.run({ ticks: 2_000_000 });
      const reports = [...pidsOf(kernel, 'report'), ...pidsOf(kernel, 'billing')];
      const exits = events(kernel, 'process/exited').filter((event) => reports.includes(event.pid));
      expect(exits.length).toBe(2);
      return { kernel, last: Math.max(...exits.map((event) => event.tick)) };
    };
    const on = await finish('on'), off = await finish('off');
    const heal = events(on.kernel, 'heal/migrated');
    expect(heal.length).toBe(1);
    const anomaly = on.kernel.machine.journal.event(heal[0].cause);
    expect(anomaly.type).toBe('anomaly/detected');
    const move = events(on.kernel, 'process/migrated');
    expect(move).toHaveLength(1);
    expect(move[0]).toMatchObject({ cause: heal[0].seq, pid: heal[0].pid, from: 0, to: 1 });
    expect(eventText(on.kernel, move[0].seq)).toMatch(/^moved crunch\[0\] from n0 to n1 because it used 100% of n0's CPU over 10 ms while 3 processes were runnable there, and n1 had 0; /);
    expect(eventText(on.kernel, heal[0].seq)).toMatch(/^healed: moving crunch\[0\] from n0 \(3 runnable\) to n1, the least loaded node that fits, because it used 100% of n0's CPU/);
    // Without migration the hog is only reniced: the reports wait behind it.
    expect(events(off.kernel, 'heal/migrated')).toEqual([]);
    expect(events(off.kernel, 'heal/reniced').length).toBeGreaterThan(0);
    expect(on.last * 2).toBeLessThan(off.last);
    // The Health panel's actions: the heal and the move it caused, each in words.
    const { healthView } = await import('../../src/worker/health-views');
    const actions = healthView(on.kernel)!.actions.filter((row) => row.seq === heal[0].seq || row.seq === move[0].seq);
    expect(actions.map((row) => row.kind)).toEqual(['heal/migrated', 'process/migrated']);
    expect(actions[1].text).toMatch(/^moved crunch\[0\] from n0 to n1 because /);
  });

  it('never ping-pongs: over generated loads a move never makes the target busier than the source, and loads settle', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 2, maxLength: 6 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
        (initial, hogs) => {
          const runnable = Int32Array.from(initial);
          const up = new Uint8Array(runnable.length).fill(1);
          const potential = () => runnable.reduce((sum, load) => sum + load * load, 0);
          let moves = 0;
          const start = potential();
          for (const pick of hogs) {
            const from = pick % runnable.length;
            if (runnable[from] < 2) continue; // a hog needs another runnable process on its node
            const to = healTarget(runnable, up, () => 1 << 30, undefined, from, 0);
            if (to < 0) continue;
            const before = potential();
            runnable[from]--;
            runnable[to]++;
            moves++;
            // The target is no busier than the source now: moving back would need a gap of 2 the other way.
            expect(runnable[to]).toBeLessThanOrEqual(runnable[from]);
            expect(healTarget(runnable, up, () => 1 << 30, undefined, to, 0)).not.toBe(from);
            expect(potential()).toBeLessThanOrEqual(before - 2);
          }
          // Every move lowers the sum of squared loads by 2 or more: finitely many moves, whatever the order.
          expect(moves * 2).toBeLessThanOrEqual(start);
        },
      ),
      { numRuns: 500, seed: Number(process.env.SEED ?? 5) },
    );
  });

  it('a process healing moved is not moved again within its cooldown, even when the loads would ask for it', async () => {
    const kernel = await kernelFor(exampleText('hog-migration.yaml'));
    const { state } = kernel.machine;
    kernel.run({ ticks: 10_000 });
    while (events(kernel, 'process/migrated').length === 0) kernel.run({ events: kernel.cursor + 1 });
    const move = events(kernel, 'process/migrated')[0];
    expect(state.auMovedAt[move.pid]).toBe(move.tick);
    // Make n0 look idle and n1 busy: the loads alone would send it back.
    const saved = Int32Array.from(state.nodeRunnable);
    state.nodeRunnable[0] = 0;
    state.nodeRunnable[1] = 5;
    const at = (tick: number) => hogTarget(kernel.ctx, state, kernel.machine.core, move.pid, tick, 10_000);
    expect(at(move.tick + MIGRATE_COOLDOWN_WINDOWS * 10_000 - 1)).toBe(-1);
    expect(at(move.tick + MIGRATE_COOLDOWN_WINDOWS * 10_000)).toBe(0);
    state.nodeRunnable.set(saved);
    // And in the run itself it is never moved again.
    kernel.run({ ticks: 1_000_000 });
    expect(events(kernel, 'process/migrated')).toHaveLength(1);
  });
});

describe('agentos replay', () => {
  it('replays a session file holding a migration to the same events and hash', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const kernel = await kernelFor(PIPE);
    kernel.run({ events: 300 });
    const pid = consumerPid(kernel);
    kernel.intervene({ kind: 'migrate', pid, node: kernel.machine.state.procNode[pid] === 0 ? 1 : 0 });
    kernel.run({ events: 900 });
    const file = join(mkdtempSync(join(tmpdir(), 'agentos-migrate-')), 'moved.session.json');
    writeFileSync(file, JSON.stringify(kernel.toSession()));
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'replay', file, '--json'], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ events: 900, stateHash: kernel.stateHash().slice(0, 16) });
  }, 60_000);
});
