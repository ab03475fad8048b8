// Each example in public/examples/ is there to show something; these tests check it does.
import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { agentRow, events, pidsOf } from '../helpers/queries';
import { BlockReason, FailReason } from '../../src/kernel/events';
import { Status } from '../../src/kernel/state';
import type { Kernel } from '../../src/kernel/kernel';

describe('examples show what they are for', () => {
  it('map-reduce: every record reaches the reducer, which writes 20 summaries; mapper heaps stay flat', async () => {
    const kernel = await kernelFor(exampleText('map-reduce.yaml'));
    expect(kernel.run({ events: 200_000 })).toBe('quiescent');
    expect(agentRow(kernel, 'source').sent).toBe(2000);
    expect(agentRow(kernel, 'mapper').received).toBe(2000);
    expect(agentRow(kernel, 'reducer').received).toBe(2000);
    expect(agentRow(kernel, 'reducer').exited).toBe(1);
    expect(events(kernel, 'fs/written').filter((e) => e.pid === pidsOf(kernel, 'reducer')[0])).toHaveLength(20);
    for (const pid of pidsOf(kernel, 'mapper')) expect(kernel.machine.state.procHeapPeak[pid]).toBeLessThanOrEqual(4096);
  });

  it('priority-starvation: what its description and index entry say (1% and ~9 s under priority; ~10% and ~1 s under fair or eevdf; ends at ~107,000 events)', async () => {
    const text = exampleText('priority-starvation.yaml');
    const description = text.slice(text.indexOf('description:'), text.indexOf('seed:')).replace(/\s+/g, ' ');
    const index = JSON.parse(exampleText('index.json')) as Array<{ file: string; description: string; view?: { stop?: number } }>;
    const entry = index.find((item) => item.file === 'priority-starvation.yaml')!;
    // The numbers the texts give, measured below; both texts give the same ones.
    for (const said of ['about 1%', 'about 10%']) {
      expect(description).toContain(said);
      expect(entry.description).toContain(said);
    }
    expect(description).toMatch(/about 9s .*about 1s/);
    expect(entry.description).toMatch(/about 9 s .*about 1 s/);
    expect(entry.view?.stop, 'it ends by itself: no stop needed').toBeUndefined();
    const auditorDone = (kernel: Kernel) => {
      const [pid] = pidsOf(kernel, 'auditor');
      const exited = events(kernel, 'process/exited').find((event) => event.pid === pid)!;
      return { tick: exited.tick, share: agentRow(kernel, 'auditor').cpuTicks / exited.tick };
    };
    for (const policy of ['priority', 'fair', 'eevdf']) {
      const kernel = await kernelFor(text.replace('scheduler: priority', `scheduler: ${policy}`));
      expect(kernel.run({ events: 1_000_000 }), policy).toBe('quiescent');
      expect(kernel.cursor).toBeGreaterThan(100_000);
      expect(kernel.cursor).toBeLessThan(115_000);
      expect(kernel.tick / 1e6, 'about 10 s').toBeGreaterThan(9.5);
      expect(kernel.tick / 1e6, 'about 10 s').toBeLessThan(11);
      const done = auditorDone(kernel);
      if (policy === 'priority') {
        expect(done.share).toBeGreaterThan(0.005);
        expect(done.share).toBeLessThan(0.015); // about 1%
        expect(done.tick / 1e6).toBeGreaterThan(8);
        expect(done.tick / 1e6).toBeLessThan(10); // about 9 s
      } else {
        expect(done.share, policy).toBeGreaterThan(0.08);
        expect(done.share, policy).toBeLessThan(0.12); // about 10%
        expect(done.tick / 1e6, policy).toBeGreaterThan(0.8);
        expect(done.tick / 1e6, policy).toBeLessThan(1.2); // about 1 s
      }
    }
    // Switching policy while it starves: the auditor's CPU time grows faster afterwards.
    const priority = await kernelFor(text);
    priority.run({ events: 20_000 });
    const starved = agentRow(priority, 'auditor').cpuTicks / priority.tick;
    priority.intervene({ kind: 'policy', node: 0, policy: 'fair' });
    const before = agentRow(priority, 'auditor').cpuTicks, beforeTick = priority.tick;
    priority.run({ events: 25_000 });
    const after = (agentRow(priority, 'auditor').cpuTicks - before) / (priority.tick - beforeTick);
    expect(after).toBeGreaterThan(5 * starved);
  });

  it('memory-leak: the cache grows until the allocation past its 256KiB limit fails it', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({ events: 200_000 });
    const [cache] = pidsOf(kernel, 'cache');
    const failed = events(kernel, 'process/failed').filter((e) => e.pid === cache);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ reason: FailReason.memoryLimit });
    const exhausted = events(kernel, 'heap/exhausted').find((e) => e.pid === cache)!;
    expect(exhausted).toMatchObject({ size: 4096 });
    expect(kernel.machine.state.procHeapPeak[cache]).toBe(256 * 1024);
    expect(agentRow(kernel, 'service').failed).toBe(0);
  });

  it('deadlock: both agents end blocked on sends to full channels and nothing else happens', async () => {
    const kernel = await kernelFor(exampleText('deadlock.yaml'));
    expect(kernel.run({ events: 100_000 })).toBe('quiescent');
    const { state } = kernel.machine;
    for (const pid of [...pidsOf(kernel, 'alice'), ...pidsOf(kernel, 'bob')]) {
      expect(state.procStatus[pid]).toBe(Status.blocked);
      expect(state.procBlockReason[pid]).toBe(BlockReason.sendFull);
    }
  });

  it('rate-limited-flood: the rate limit holds the flooder to 10 messages per millisecond', async () => {
    const kernel = await kernelFor(exampleText('rate-limited-flood.yaml'));
    kernel.run({ events: 100_000 });
    const [flooder] = pidsOf(kernel, 'flooder');
    const sends = events(kernel, 'ipc/sent').filter((e) => e.pid === flooder);
    const perWindow = new Map<number, number>();
    for (const send of sends) perWindow.set(Math.floor(send.tick / 1000), (perWindow.get(Math.floor(send.tick / 1000)) ?? 0) + 1);
    expect(Math.max(...perWindow.values())).toBe(10);
    expect(events(kernel, 'sched/blocked').some((e) => e.pid === flooder && e.reason === BlockReason.rate)).toBe(true);
    const [blaster] = pidsOf(kernel, 'blaster');
    expect(events(kernel, 'sched/blocked').some((e) => e.pid === blaster && e.reason === BlockReason.sendFull)).toBe(true);
  });

  it('crash-restart: the flaky worker restarts after failures (at most 5 times); the fragile one stays down', async () => {
    const kernel = await kernelFor(exampleText('crash-restart.yaml'));
    kernel.run({ events: 200_000 });
    const [flaky] = pidsOf(kernel, 'flaky');
    const [fragile] = pidsOf(kernel, 'fragile');
    const restarts = events(kernel, 'process/restarted').filter((e) => e.pid === flaky);
    expect(restarts.length).toBeGreaterThan(0);
    expect(restarts.length).toBeLessThanOrEqual(5);
    expect(events(kernel, 'process/failed').filter((e) => e.pid === flaky && e.reason === FailReason.injected).length).toBeGreaterThanOrEqual(restarts.length);
    expect(kernel.machine.state.procStatus[fragile]).toBe(Status.failed);
    expect(events(kernel, 'process/restarted').filter((e) => e.pid === fragile)).toHaveLength(0);
    const failedAt = events(kernel, 'process/failed').find((e) => e.pid === flaky)!;
    expect(restarts[0].tick - failedAt.tick).toBe(2000); // backoff 2ms
  });

  it('supervision: a reducer crash restarts the whole pipeline after a doubling backoff; too many and it escalates to the root, which gives up', async () => {
    const kernel = await kernelFor(exampleText('supervision.yaml'));
    expect(kernel.run({ events: 200_000 })).toBe('quiescent');
    const [reducer] = pidsOf(kernel, 'reducer');
    const mappers = pidsOf(kernel, 'mapper');
    const decisions = events(kernel, 'supervisor/restarting');
    const first = decisions[0];
    expect(first.pid).toBe(reducer);
    // one_for_all: both mappers and the reducer restart because of that crash, in start order.
    expect(events(kernel, 'process/restarted').filter((e) => e.cause === first.seq).map((e) => e.pid)).toEqual([...mappers, reducer]);
    // CrashLoopBackOff: the pipeline's restarts in a row wait 1ms, 2ms, 4ms.
    const waits = decisions.filter((e) => e.supervisor === 1).slice(0, 3)
      .map((decision) => events(kernel, 'process/restarted').find((e) => e.cause === decision.seq && e.pid === reducer)!.tick - decision.tick);
    expect(waits).toEqual([1000, 2000, 4000]);
    // The fourth crash within 100ms: pipeline gives up and app restarts it as one child.
    const gaveUp = events(kernel, 'supervisor/gaveUp');
    expect(gaveUp[0].supervisor).toBe(1);
    expect(decisions.some((e) => e.pid === -1 && e.child === 1 && e.cause === gaveUp[0].seq)).toBe(true);
    // In the end the root gives up: every supervised process failed, the source blocked.
    const last = gaveUp[gaveUp.length - 1];
    expect(last.supervisor).toBe(0);
    for (const pid of [...mappers, reducer, ...pidsOf(kernel, 'logger')]) {
      expect(kernel.machine.state.procStatus[pid]).toBe(Status.failed);
      expect(kernel.machine.state.procFailReason[pid]).toBe(FailReason.supervisor);
    }
    expect(agentRow(kernel, 'reducer').received).toBeGreaterThan(1000);
  });

  it('failover: n1 crashes; the GPU trainer moves to n2 and the worker to the least loaded node, restarted by their supervisor; the pinned logger waits; a moved worker gets jobs once ready', async () => {
    const kernel = await kernelFor(exampleText('failover.yaml'));
    kernel.run({ ticks: 200_000 });
    const { state } = kernel.machine;
    const [trainer] = pidsOf(kernel, 'trainer'), [logger] = pidsOf(kernel, 'logger');
    const moves = events(kernel, 'process/migrated');
    expect(moves.map((move) => [move.pid, move.from, move.to])).toEqual([[trainer, 1, 2], [pidsOf(kernel, 'worker')[2], 1, 0]]);
    expect(events(kernel, 'process/unplaced').map((event) => event.pid)).toEqual([logger]);
    for (const move of moves) {
      const decision = events(kernel, 'supervisor/restarting').find((event) => event.pid === move.pid && event.cause === move.seq)!;
      const restart = events(kernel, 'process/restarted').find((event) => event.cause === decision.seq)!;
      expect(restart.node).toBe(move.to);
      expect(restart.tick - decision.tick).toBe(2000); // the supervisor's backoff
    }
    const worker = moves[1].pid;
    const restarted = events(kernel, 'process/restarted').find((event) => event.pid === worker)!;
    const ready = events(kernel, 'probe/ready').find((event) => event.pid === worker && event.seq > restarted.seq)!;
    expect(ready.tick).toBe(restarted.tick + 5000);
    const received = events(kernel, 'ipc/received').filter((event) => event.pid === worker && event.seq > restarted.seq);
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((event) => event.seq > ready.seq)).toBe(true);
    // The logger restarted on n1 when it recovered; no message was lost (the queue's home, n2, never crashed).
    expect(state.procNode[logger]).toBe(1);
    expect(state.procStatus[logger]).not.toBe(Status.failed);
    expect(state.chanDropped[0]).toBe(0);
  });

  it('auction: units go to the highest bids at the second price; the poorest bidder waits and times out', async () => {
    const kernel = await kernelFor(exampleText('auction.yaml'));
    kernel.run({ events: 200_000 });
    const granted = events(kernel, 'resource/granted');
    expect(granted.length).toBeGreaterThan(0);
    const [rich] = pidsOf(kernel, 'rich');
    const [poor] = pidsOf(kernel, 'poor');
    expect(granted.filter((e) => e.pid === rich).length).toBe(30);
    for (const grant of granted) expect(grant.price).toBeLessThanOrEqual(50);
    expect(granted.some((e) => e.price > 0)).toBe(true); // contested grants pay the runner-up's bid
    expect(events(kernel, 'ipc/timedOut').filter((e) => e.pid === poor && e.op === 2).length).toBeGreaterThan(0);
  });

  it('partition-crdt: replicas disagree during the partition and all agree after the heal', async () => {
    const kernel = await kernelFor(exampleText('partition-crdt.yaml'));
    const shared = () => kernel.machine.machineCore.shared()!;
    const [visits, notes, seen] = [0, 1, 2];
    kernel.run({ ticks: 140_000 }); // inside the partition (50ms .. 150ms)
    expect(shared().value(visits, 1)).toBe(shared().value(visits, 2));
    expect(shared().value(visits, 0)).not.toBe(shared().value(visits, 1));
    expect(kernel.run({ events: 1_000_000 })).toBe('quiescent');
    for (const object of [visits, notes, seen]) {
      const hashes = [0, 1, 2].map((node) => shared().replicaHash(object, node));
      expect(new Set(hashes).size, `object ${object}`).toBe(1);
    }
    expect(shared().value(visits, 0)).toBe(150);
    expect((shared().value(notes, 2) as string).length).toBe(150);
    expect(shared().value(seen, 1)).toEqual(['n0', 'n1', 'n2']);
    expect(events(kernel, 'crdt/merged').length).toBeGreaterThan(0);
  });

  it('swarm: a thousand processes boot across four nodes and run', async () => {
    const kernel = await kernelFor(exampleText('swarm.yaml'));
    kernel.run({ events: 50_000 });
    expect(kernel.spec.processCount).toBe(1000);
    const perNode = [0, 0, 0, 0];
    for (const event of events(kernel, 'process/spawned')) perNode[event.node]++;
    expect(perNode.reduce((a, b) => a + b)).toBe(1000);
    for (const count of perNode) expect(Math.abs(count - 250)).toBeLessThanOrEqual(1);
    expect(agentRow(kernel, 'forager').cpuTicks).toBeGreaterThan(0);
  });

  it('swarm: the food counter replica of every node holds every find older than one sync latency', async () => {
    const kernel = await kernelFor(exampleText('swarm.yaml'));
    kernel.run({ events: 60_000 });
    const shared = kernel.machine.machineCore.shared()!;
    const finds = events(kernel, 'crdt/applied');
    expect(finds.length).toBeGreaterThan(100);
    const now = kernel.tick;
    const latency = kernel.spec.cluster.latency.minTicks; // a sync carries everything changed before it arrives
    const settled = finds.filter((event) => event.tick <= now - latency).length;
    for (let node = 0; node < 4; node++) {
      const value = shared.value(0, node) as number;
      expect(value, `n${node}`).toBeGreaterThanOrEqual(settled);
      expect(value, `n${node}`).toBeLessThanOrEqual(finds.length);
    }
    expect(events(kernel, 'crdt/merged').length).toBeGreaterThan(0);
  });
});

describe('partition-invariant: the invariant breaks only while the partition lasts', () => {
  it('every violation is between the partition (50ms) and a little after the heal (150ms); find and the report agree; the replicas agree at the end', async () => {
    const { EventCode } = await import('../../src/kernel/events');
    const { invariantReports, finalWatches } = await import('../../src/cli/observe');
    const kernel = await kernelFor(exampleText('partition-invariant.yaml'));
    expect(kernel.run({})).toBe('quiescent');
    const journal = kernel.machine.journal;
    const ticks: number[] = [];
    for (let seq = 0; seq < journal.length; seq++) if (journal.type(seq) === EventCode['invariant/violated']) ticks.push(journal.tick(seq));
    expect(ticks.length).toBeGreaterThan(0);
    for (const tick of ticks) {
      expect(tick).toBeGreaterThanOrEqual(50_000);
      expect(tick).toBeLessThanOrEqual(160_000);
    }
    const [report] = invariantReports(kernel);
    expect(report).toMatchObject({ name: 'drift-bounded', violations: ticks.length });
    expect(kernel.firstHolds(kernel.predicate(kernel.expression('abs(shared.visits.n0 - shared.visits.n1) > 3')), 0)).toBe(report.firstViolatedAt);
    kernel.seek(journal.length);
    expect(finalWatches(kernel)).toEqual({ drift: 0, agree: 1 });
  });
});
