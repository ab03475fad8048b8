import 'fake-indexeddb/auto';
// The browser's sweep pool, in Node: workers are the real trial API over MessageChannels (each
// with its own core), the store is IndexedDB (fake-indexeddb). Two workers give the same lines
// as one runner; a cancelled sweep resumes from the store and ends with the same lines.
import { describe, expect, it, vi } from 'vitest';
import * as Comlink from 'comlink';
import { IDBFactory } from 'fake-indexeddb';
import { loadDebugCore } from '../helpers/core';
import { createTrialApi } from '../../src/ui/lab/trial-api';
import { defaultWorkers, poolWorkers, Sweep, workersNote } from '../../src/ui/lab/sweep.svelte';
import { openLabStore, RUNS_KEPT_MAX } from '../../src/ui/lab/store';
import { loadExperiment } from '../../src/lab/experiment';
import { formatTrialLine, TrialRunner } from '../../src/lab/trial';
import { resultsOf, trialsWorstFirst } from '../../src/ui/lab/results';
import { exampleSpecUrl } from '../../src/ui/lab/examples';

const PLAN = `agentos-experiment: 1
name: pool test
spec: |
  agentos: 1
  kernel: { scheduler: fair }
  agents:
    hog:
      program: cpu-hog
      args: { slice: 300us..2ms }
    worker:
      replicas: 2
      program: worker
      args: { jobs: 50, work: 100us..900us, think: 100us..500us }
seeds: 4
stop: { events: 1500 }
variants:
  - { name: fair, set: { kernel.scheduler: fair } }
  - { name: rr, set: { kernel.scheduler: round-robin } }
metrics:
  work: agents.worker.cpuTicks
  hog: agents.hog.cpuTicks
objective: { maximize: work }
`;
const BASE = 'http://localhost:4173/';
const noFiles = async (path: string): Promise<string> => { throw new Error(`no file ${path}`); };

/** A "worker": the trial API exposed on one end of a MessageChannel, with its own debug core. */
function spawnInProcess(spawned: number[], waitBefore: (k: number) => Promise<void> | undefined = () => undefined) {
  return (index: number) => {
    spawned.push(index);
    const { port1, port2 } = new MessageChannel();
    const api = createTrialApi(loadDebugCore);
    Comlink.expose({ ...api, run: async (k: number) => { await waitBefore(k); return api.run(k); } }, port2 as unknown as Comlink.Endpoint);
    return Object.assign(port1, { terminate: () => { port1.close(); port2.close(); } }) as unknown as Worker;
  };
}

async function expectedLines(): Promise<string[]> {
  const loaded = await loadExperiment(PLAN);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const runner = new TrialRunner(loaded.experiment, await loadDebugCore(), { base: BASE });
  const lines: string[] = [];
  for (let k = 0; k < loaded.experiment.trialCount; k++) lines.push(formatTrialLine(await runner.run(k)));
  return lines;
}

describe('the sweep pool', () => {
  it('workers: hardware concurrency minus one, at least one, at most 16', () => {
    expect([defaultWorkers(8), defaultWorkers(2), defaultWorkers(1), defaultWorkers(0), defaultWorkers(64)]).toEqual([7, 1, 1, 1, 16]);
  });

  it('the Workers field: the pool uses a whole number from 1 to 16, and says so beside the field when that is not the number written', () => {
    expect([64, 0, -3, 2.7, null, Number.NaN, 3].map(poolWorkers)).toEqual([16, 1, 1, 2, 1, 1, 3]);
    // 64 on a 2-core machine: at most 16, the pool uses 16, and the cores.
    expect(workersNote(64, 2)).toBe('at most 16 workers: the pool uses 16 (this browser reports 2 cores)');
    expect(workersNote(0, 2)).toBe('at least 1 worker: the pool uses 1');
    expect(workersNote(null, 2)).toBe('a number of workers from 1 to 16: the pool uses 1');
    expect(workersNote(2.5, 8)).toBe('a whole number of workers: the pool uses 2');
    // More than the cores is used as written, but said: they take turns.
    expect(workersNote(3, 2)).toBe('the pool uses 3, and this browser reports 2 cores: workers beyond that take turns on them');
    // The number as written, within the cores: nothing to say.
    expect([workersNote(1, 2), workersNote(2, 2), workersNote(7, 8), workersNote(4, 0)]).toEqual(['', '', '', '']);
  });

  it('two workers give the lines one runner gives; a cancelled sweep resumes from the store to the same lines', async () => {
    const expected = await expectedLines();
    const factory = new IDBFactory();
    const store = await openLabStore({ factory });
    const spawned: number[] = [];
    const sweep = new Sweep({ store, spawn: spawnInProcess(spawned) });
    expect(await sweep.prepare({ planText: PLAN, readSpecFile: noFiles }, BASE)).toBe(true);
    expect(sweep.total).toBe(8);
    await sweep.start(2);
    expect(sweep.phase).toBe('done');
    expect(spawned).toEqual([0, 1]);
    expect(sweep.lines.map((line) => formatTrialLine(line))).toEqual(expected);
    expect((await store.lines(sweep.runId!)).map((line) => line.text)).toEqual(expected);

    // A second page: cancel after three trials, then a third page resumes.
    await store.remove(sweep.runId!);
    // Trials from 3 on wait until the test lets them go: cancelled once three lines are stored
    // (the pool asks for a worker's next trial while one runs, so without the gate a fast sweep
    // could be done before the store is seen with three).
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const interrupted = new Sweep({ store, spawn: spawnInProcess([], (k) => (k >= 3 ? gate : undefined)) });
    await interrupted.prepare({ planText: PLAN, readSpecFile: noFiles }, BASE);
    const running = interrupted.start(1);
    for (let wait = 0; (await store.lines(interrupted.runId!)).length < 3; wait++) {
      if (wait > 2000) throw new Error('three trials did not finish');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    interrupted.cancel();
    release();
    await running;
    expect(interrupted.phase).toBe('stopped');
    const kept = (await store.lines(interrupted.runId!)).length;
    expect(kept).toBe(3);

    const resumed = new Sweep({ store: await openLabStore({ factory }), spawn: spawnInProcess([]) });
    expect((await resumed.latestRun())?.planText).toBe(PLAN);
    await resumed.prepare({ planText: PLAN, readSpecFile: noFiles }, BASE);
    expect(resumed.phase).toBe('stopped');
    expect(resumed.lines).toHaveLength(kept);
    await resumed.start(2);
    expect(resumed.phase).toBe('done');
    expect(resumed.lines.map((line) => formatTrialLine(line))).toEqual(expected);

    // What the panel shows from them.
    const results = resultsOf(resumed.lines, resumed.plan!, { compare: true });
    expect(results.metrics.map((metric) => metric.name)).toEqual(['work', 'hog']);
    expect(results.metrics[0].rows.map((row) => [row.variant, row.summary.n])).toEqual([['fair', 4], ['rr', 4]]);
    expect(results.winner).toMatch(/^(fair|rr)$/);
    expect(results.comparisons).toHaveLength(1);
    expect(results.comparisons[0]).toMatch(/work .* than .* \(95% CI .*, 4 seeds each\)/);
    expect(results.rankTests).toHaveLength(1);
    expect(results.rankTests[0]).toMatch(/ on work: U=\d+(\.5)?, p[=<][\d.]+ \(Mann–Whitney, /);
    const worst = trialsWorstFirst(resumed.lines, results.key);
    expect(worst[0].metrics.work).toBe(Math.min(...resumed.lines.map((line) => line.metrics.work)));
  });

  it('the time left and the trials done are there as soon as the first trial is done, before the lines are flushed', async () => {
    const sweep = new Sweep({ spawn: spawnInProcess([]) });
    expect(await sweep.prepare({ planText: PLAN, readSpecFile: noFiles }, BASE)).toBe(true);
    const running = sweep.start(1);
    // The first estimate and the count come with the first trial; the lines come a flush later.
    await vi.waitFor(() => expect(sweep.etaMs).toBeDefined(), { timeout: 60_000, interval: 2 });
    expect(sweep.done).toBeGreaterThan(0);
    expect(sweep.lines).toHaveLength(0);
    expect(sweep.etaMs).toBeGreaterThan(0);
    await running;
    expect(sweep.phase).toBe('done');
  });

  it('the trials done go up as the line of each trial arrives, one at a time with two workers, not with the flush of the lines', async () => {
    // Workers that answer each trial the moment the test lets it finish: a canned line, no core.
    const gates = new Map<number, () => void>();
    const gate = (k: number) => new Promise<void>((resolve) => gates.set(k, resolve));
    const waiting = Array.from({ length: 8 }, (_, k) => gate(k));
    const spawn = () => {
      const { port1, port2 } = new MessageChannel();
      const api = createTrialApi(loadDebugCore);
      Comlink.expose({
        prepare: api.prepare, warm: async () => undefined, timings: api.timings,
        run: async (k: number) => { await waiting[k]; return JSON.stringify({ trial: k, variant: k < 4 ? 'fair' : 'rr', params: {}, seed: (k % 4) + 1, events: 1, ticks: 1, stateHash: '0123456789abcdef', metrics: { work: k, hog: k }, link: BASE }); },
      }, port2 as unknown as Comlink.Endpoint);
      return Object.assign(port1, { terminate: () => { port1.close(); port2.close(); } }) as unknown as Worker;
    };
    const sweep = new Sweep({ spawn });
    expect(await sweep.prepare({ planText: PLAN, readSpecFile: noFiles }, BASE)).toBe(true);
    const running = sweep.start(2);
    for (let k = 0; k < 8; k++) {
      gates.get(k)!();
      // Well within FLUSH_MS (1 s): the count does not wait for the lines to be merged.
      await vi.waitFor(() => expect(sweep.done).toBe(k + 1), { timeout: 300, interval: 1 });
      if (k === 0) expect(sweep.lines).toHaveLength(0);
    }
    await running;
    expect(sweep.phase).toBe('done');
    expect(sweep.done).toBe(8);
    expect(sweep.lines.map((line) => line.trial)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('a plan with errors says where, all at once (the worker checks what the page cannot), and runs nothing', async () => {
    const spawned: number[] = [];
    const sweep = new Sweep({ spawn: spawnInProcess(spawned) });
    const plan = PLAN.replace('seeds: 4', 'seeds: many').replace('kernel.scheduler: round-robin', 'kernel.schedular: round-robin');
    expect(await sweep.prepare({ planText: plan, readSpecFile: noFiles }, BASE)).toBe(false);
    expect(sweep.phase).toBe('failed');
    expect(sweep.errors).toEqual([expect.stringMatching(/^seeds: .* at 14:8$/), expect.stringMatching(/^variants\[1\]\.set\.kernel\.schedular: unknown path .* at 18:\d+$/)]);
    expect([sweep.total, sweep.lines.length, sweep.workers]).toEqual([0, 0, 0]);
    // A plan whose spec: does not read: its errors, from the page, with no worker started.
    const alone = new Sweep({ spawn: () => { throw new Error('no worker should start'); } });
    expect(await alone.prepare({ planText: 'agentos-experiment: 1\nspec: [x]\nseeds: many\nstop: { events: 10 }\nmetrics: { x: tick }\n', readSpecFile: noFiles }, BASE)).toBe(false);
    expect(alone.errors).toEqual([expect.stringMatching(/^spec: expected the spec.* at 2:7$/), expect.stringMatching(/^seeds: .* at 3:8$/)]);
  });

  it('a spec file that cannot be read is an error at the plan\'s spec:, said by the worker that checks the plan', async () => {
    const sweep = new Sweep({ spawn: spawnInProcess([]) });
    const plan = 'agentos-experiment: 1\nspec: gone.yaml\nstop: { events: 10 }\nmetrics: { x: tick }\n';
    const gone = async () => { throw new Error('"gone.yaml" was not found among the examples (HTTP 404)'); };
    expect(await sweep.prepare({ planText: plan, readSpecFile: gone }, BASE)).toBe(false);
    expect(sweep.errors.join('\n')).toMatch(/gone\.yaml" was not found among the examples .* at 2:7/);
  });

  it('a worker takes the trials it is asked for at once one at a time, in order: the lines of one runner', async () => {
    const expected = await expectedLines();
    const api = createTrialApi(loadDebugCore);
    expect((await api.prepare(PLAN, {}, BASE)).ok).toBe(true);
    // Asked for all at once (the pool asks for a worker's next trial while one runs).
    expect(await Promise.all(expected.map((_, k) => api.run(k)))).toEqual(expected);
    const { trials } = await api.timings();
    expect(trials.map(([k]) => k)).toEqual(expected.map((_, k) => k));
    for (let i = 1; i < trials.length; i++) expect(trials[i][1], 'a trial started before the one before it ended').toBeGreaterThanOrEqual(trials[i - 1][2]);
  });

  it('warm readies the workers before Run, Clear results keeps them; each worker holds its next trial while one runs, but not the last ones', async () => {
    const spawned: number[] = [];
    const asked: { worker: number; k: number; outstanding: number; left: number }[] = [];
    const warmed: number[] = [];
    const outstanding = [0, 0];
    let sweep: Sweep | undefined;
    const spawn = (index: number) => {
      spawned.push(index);
      const { port1, port2 } = new MessageChannel();
      const api = createTrialApi(loadDebugCore);
      Comlink.expose({
        ...api,
        warm: async () => { await api.warm(); warmed.push(index); },
        run: async (k: number) => {
          outstanding[index]++;
          asked.push({ worker: index, k, outstanding: outstanding[index], left: sweep!.total - asked.length - 1 });
          // A trial takes a while (in one process, a trial would otherwise run before the next message is read).
          await new Promise((resolve) => setTimeout(resolve, 20));
          try { return await api.run(k); } finally { outstanding[index]--; }
        },
      }, port2 as unknown as Comlink.Endpoint);
      return Object.assign(port1, { terminate: () => { port1.close(); port2.close(); } }) as unknown as Worker;
    };
    sweep = new Sweep({ spawn });
    sweep.warm(2);
    expect(await sweep.prepare({ planText: PLAN, readSpecFile: noFiles }, BASE)).toBe(true);
    await vi.waitFor(() => expect(warmed.sort()).toEqual([0, 1]), { timeout: 60_000, interval: 5 });
    expect(spawned).toEqual([0, 1]);
    await sweep.start(2);
    expect(sweep.phase).toBe('done');
    // Each worker was asked for a second trial while it had one: no round trip between two trials.
    for (const worker of [0, 1]) expect(Math.max(...asked.filter((ask) => ask.worker === worker).map((ask) => ask.outstanding)), `worker ${worker}`).toBe(2);
    // Once fewer trials are left than workers, none is queued behind another (the workers finish together).
    for (const ask of asked) if (ask.left < 1) expect(ask.outstanding, `trial ${ask.k}`).toBe(1);
    // Clear results keeps the idle pool warm: the next Run starts no worker.
    await sweep.clear();
    await sweep.start(2);
    expect(sweep.phase).toBe('done');
    expect(spawned).toEqual([0, 1]);

    // Cancel terminates the workers in the middle of their trials, and readies two fresh ones at
    // once: the next Run finds them warm (before: it started them from scratch when pressed).
    await sweep.clear();
    const before = asked.length;
    const running = sweep.start(2);
    await vi.waitFor(() => expect(asked.length).toBeGreaterThan(before + 2), { timeout: 60_000, interval: 2 });
    sweep.cancel();
    await running;
    expect(sweep.phase).toBe('stopped');
    expect(spawned).toEqual([0, 1, 0, 1]);
    await vi.waitFor(() => expect(warmed.sort()).toEqual([0, 0, 1, 1]), { timeout: 60_000, interval: 5 });
    expect(await sweep.prepare({ planText: PLAN, readSpecFile: noFiles }, BASE)).toBe(true); // what Run does first
    await sweep.start(2);
    expect(sweep.phase).toBe('done');
    expect(spawned).toEqual([0, 1, 0, 1]);
  });

  it('a slow store never holds the workers: the lines are written in the background, together, and all of them before done', async () => {
    const expected = await expectedLines();
    const store = await openLabStore({ factory: new IDBFactory() });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const writes: number[] = [];
    let ran = 0;
    const slow: typeof store = { ...store, async putLines(run, lines) {
      writes.push(lines.length);
      await gate;
      await store.putLines(run, lines);
    } };
    const sweep = new Sweep({ store: slow, spawn: (index) => {
      const { port1, port2 } = new MessageChannel();
      const api = createTrialApi(loadDebugCore);
      Comlink.expose({ ...api, run: async (k: number) => { const line = await api.run(k); ran++; return line; } }, port2 as unknown as Comlink.Endpoint);
      void index;
      return Object.assign(port1, { terminate: () => { port1.close(); port2.close(); } }) as unknown as Worker;
    } });
    await sweep.prepare({ planText: PLAN, readSpecFile: noFiles }, BASE);
    let finished = false;
    const running = sweep.start(1).then(() => (finished = true));
    // Every trial runs while the first write waits.
    await vi.waitFor(() => expect(ran).toBe(expected.length), { timeout: 60_000, interval: 5 });
    expect(writes.length).toBeLessThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(finished, 'done before its lines were stored').toBe(false);
    release();
    await running;
    expect(sweep.phase).toBe('done');
    // Together: fewer writes than lines (the ones that came in during a write, or within STORE_MS, in one).
    expect(writes.reduce((a, b) => a + b, 0)).toBe(expected.length);
    expect(writes.length).toBeLessThanOrEqual(2);
    expect((await store.lines(sweep.runId!)).map((line) => line.text)).toEqual(expected);
  });

  it('the lines that arrive within STORE_MS are stored in one write; at the end, and at cancel, at once', async () => {
    const expected = await expectedLines();
    const store = await openLabStore({ factory: new IDBFactory() });
    const writes: number[] = [];
    const counting: typeof store = { ...store, async putLines(run, lines) { writes.push(lines.length); await store.putLines(run, lines); } };
    const sweep = new Sweep({ store: counting, spawn: spawnInProcess([]), storeMs: 60_000 });
    await sweep.prepare({ planText: PLAN, readSpecFile: noFiles }, BASE);
    await sweep.start(2);
    expect(writes).toEqual([expected.length]);
    expect((await store.lines(sweep.runId!)).map((line) => line.text)).toEqual(expected);
    // Cancelled after three lines came in (trials from 3 on wait): the three are stored at once.
    await store.remove(sweep.runId!);
    writes.length = 0;
    let ran = 0;
    const interrupted = new Sweep({ storeMs: 60_000, store: counting, spawn: () => {
      const { port1, port2 } = new MessageChannel();
      const api = createTrialApi(loadDebugCore);
      Comlink.expose({ ...api, run: async (k: number) => {
        if (k >= 3) await new Promise(() => {});
        const line = await api.run(k);
        ran++;
        return line;
      } }, port2 as unknown as Comlink.Endpoint);
      return Object.assign(port1, { terminate: () => { port1.close(); port2.close(); } }) as unknown as Worker;
    } });
    await interrupted.prepare({ planText: PLAN, readSpecFile: noFiles }, BASE);
    const running = interrupted.start(1);
    await vi.waitFor(() => expect(ran).toBe(3), { timeout: 60_000, interval: 2 });
    await new Promise((resolve) => setTimeout(resolve, 50)); // the third line reaches the page
    interrupted.cancel();
    await running;
    await vi.waitFor(async () => expect((await store.lines(interrupted.runId!)).length).toBe(3), { timeout: 10_000, interval: 10 });
    expect(writes).toEqual([3]);
  });

  it('the store keeps at most RUNS_KEPT_MAX runs, dropping the least recently used with its lines', async () => {
    const store = await openLabStore({ factory: new IDBFactory() });
    for (let i = 0; i < RUNS_KEPT_MAX + 2; i++) {
      await store.saveRun({ id: `run${i}`, name: `r${i}`, planText: '', specFiles: {}, trialCount: 1, usedAtMs: 1000 + i });
      await store.putLine(`run${i}`, 0, `{"trial":0}`);
    }
    expect(await store.run('run0')).toBeUndefined();
    expect(await store.lines('run1')).toEqual([]);
    expect((await store.run(`run${RUNS_KEPT_MAX + 1}`))?.name).toBe(`r${RUNS_KEPT_MAX + 1}`);
    expect((await store.latest())?.id).toBe(`run${RUNS_KEPT_MAX + 1}`);
  });

  it('a plan reads example specs only, never a file outside examples/', () => {
    const from = new URL('http://localhost:4173/app/examples/');
    expect(exampleSpecUrl('auction.yaml', from)?.pathname).toBe('/app/examples/auction.yaml');
    expect(exampleSpecUrl('./auction.yaml', from)?.pathname).toBe('/app/examples/auction.yaml');
    for (const bad of ['../index.html', '../x.yaml', '../../etc/passwd.yaml', 'http://evil.example/x.yaml', '//evil.example/x.yaml', 'index.json', 'a.yaml?x=1', '/x.yaml']) {
      expect(exampleSpecUrl(bad, from), bad).toBeUndefined();
    }
  });
});
