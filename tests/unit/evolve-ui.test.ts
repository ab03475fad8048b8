// The browser half of evolution, in Node: the worker pool (the Experiments tab's trial API over
// MessageChannels, 2 workers) driven by the evolve worker's API gives the hall the CLI's
// in-process evaluator gives, byte for byte (same link base, links deflate with fflate everywhere); the hall
// store keeps at most HALLS_KEPT_MAX halls, the latest first.
import 'fake-indexeddb/auto';
import * as Comlink from 'comlink';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { loadDebugCore } from '../helpers/core';
import { planText } from '../helpers/evolve';
import { createTrialApi } from '../../src/ui/lab/trial-api';
import { WorkerPoolEvaluator } from '../../src/ui/lab/evolve/pool';
import { runEvolveRequest } from '../../src/ui/lab/evolve/evolve-api';
import { HALLS_KEPT_MAX, openHallStore } from '../../src/ui/lab/evolve/store';
import { formatHall, loadEvolution, localEvaluator, runEvolution } from '../../src/lab/evolve/index';

const BASE = 'http://localhost:4315/';

function spawnInProcess(spawned: number[]) {
  return (index: number) => {
    spawned.push(index);
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(createTrialApi(loadDebugCore), port2 as unknown as Comlink.Endpoint);
    return Object.assign(port1, { terminate: () => { port1.close(); port2.close(); } }) as unknown as Worker;
  };
}

describe('evolution in the browser (in Node)', () => {
  it('the pool and the evolve API give the CLI evaluator\'s hall, byte for byte; progress and every generation arrive', async () => {
    const text = planText({ pool: 3, forge: 3 });
    const loaded = await loadEvolution(text);
    if (!loaded.ok) throw new Error('plan');
    const expected = formatHall(await runEvolution(loaded.evolution, { generations: 2, evaluator: localEvaluator(await loadDebugCore(), BASE) }));

    const spawned: number[] = [];
    let trials = 0;
    const pool = new WorkerPoolEvaluator(2, BASE, () => trials++, spawnInProcess(spawned));
    const halls: number[] = [];
    const phases = new Set<string>();
    let started = '';
    const outcome = await runEvolveRequest({ planText: text, specFiles: {}, unreadable: {}, generations: 2 }, {
      evaluate: (plan, count) => pool.runText(plan, count),
      started: (name, generations) => { started = `${name}/${generations}`; },
      progress: (progress) => phases.add(progress.phase),
      generation: (_hallText, done) => { halls.push(done); },
    });
    pool.stop();
    expect(spawned).toEqual([0, 1]);
    expect(outcome).toEqual({ ok: true, hallText: expected });
    expect(started).toBe('loop test/2');
    expect(halls).toEqual([1, 2]);
    expect([...phases].sort()).toEqual(['evaluate', 'final', 'forge']);
    expect(trials).toBe(pool.trialsDone);
    expect(trials).toBeGreaterThan(0);
  }, 300_000);

  it('each pool worker holds its next trial while it runs one, but not the last ones; the lines are in trial order', async () => {
    const asked: { worker: number; k: number; outstanding: number; left: number }[] = [];
    const outstanding = [0, 0];
    const TRIALS = 12;
    const spawn = (index: number) => {
      const { port1, port2 } = new MessageChannel();
      Comlink.expose({
        prepare: async () => ({ ok: true }),
        run: async (k: number) => {
          outstanding[index]++;
          asked.push({ worker: index, k, outstanding: outstanding[index], left: TRIALS - asked.length - 1 });
          await new Promise((resolve) => setTimeout(resolve, 5 + 7 * index));
          outstanding[index]--;
          return `{"trial":${k}}`;
        },
      }, port2 as unknown as Comlink.Endpoint);
      return Object.assign(port1, { terminate: () => { port1.close(); port2.close(); } }) as unknown as Worker;
    };
    const pool = new WorkerPoolEvaluator(2, BASE, () => {}, spawn);
    const lines = await pool.runText('plan', TRIALS);
    pool.stop();
    expect(lines).toEqual(Array.from({ length: TRIALS }, (_, k) => `{"trial":${k}}`));
    for (const worker of [0, 1]) expect(Math.max(...asked.filter((ask) => ask.worker === worker).map((ask) => ask.outstanding)), `worker ${worker}`).toBe(2);
    for (const ask of asked) if (ask.left < 1) expect(ask.outstanding, `trial ${ask.k}`).toBe(1);
  });

  it('the evolve API reports plan errors with their line:column, and a spec file it could not read', async () => {
    const bad = await runEvolveRequest({ planText: planText().replace('pass: 40', 'pass: many'), specFiles: {}, unreadable: {}, generations: undefined }, { evaluate: async () => [], started: () => {}, progress: () => {}, generation: () => {} });
    expect(bad).toEqual({ ok: false, errors: [expect.stringMatching(/^pass: expected the passing score: a number .* at \d+:7$/)] });
    const missing = await runEvolveRequest({ planText: planText().replace(/spec: \|\n(  .*\n|\n)*/, 'spec: pipeline.yaml\n'), specFiles: {}, unreadable: { 'pipeline.yaml': '"pipeline.yaml" was not found among the examples' }, generations: 1 }, { evaluate: async () => [], started: () => {}, progress: () => {}, generation: () => {} });
    expect(missing).toEqual({ ok: false, errors: [expect.stringMatching(/^spec: cannot read the spec pipeline\.yaml: "pipeline\.yaml" was not found among the examples at \d+:7$/)] });
  });

  it('the hall store keeps the latest HALLS_KEPT_MAX halls', async () => {
    const store = await openHallStore({ factory: new IDBFactory() });
    for (let index = 0; index < HALLS_KEPT_MAX + 3; index++) {
      await store.save({ id: `h${index}`, name: 'n', planText: 'p', generations: 2, hallText: `{"i":${index}}`, done: 2, savedAtMs: 1000 + index });
    }
    expect((await store.latest())?.id).toBe(`h${HALLS_KEPT_MAX + 2}`);
    expect(await store.get('h0')).toBeUndefined();
    expect(await store.get('h2')).toBeUndefined();
    expect((await store.get('h3'))?.hallText).toBe('{"i":3}');
    store.close();
  });
});

describe('the Evolve view keeps its trial workers warm', () => {
  it('a second run takes the first run\'s trial workers; a cancel readies fresh ones; another size makes a new pool', async () => {
    const { EvolveRun } = await import('../../src/ui/lab/evolve/evolve.svelte');
    const spawned: number[] = [];
    const terminated: number[] = [];
    const spawn = (index: number) => {
      const worker = spawnInProcess(spawned)(index);
      const terminate = worker.terminate.bind(worker);
      return Object.assign(worker, { terminate: () => { terminated.push(index); terminate(); } });
    };
    const spawnLoop = () => {
      const { port1, port2 } = new MessageChannel();
      Comlink.expose({ run: runEvolveRequest }, port2 as unknown as Comlink.Endpoint);
      return Object.assign(port1, { terminate: () => { port1.close(); port2.close(); } }) as unknown as Worker;
    };
    const evolve = new EvolveRun({ spawn, spawnLoop });
    const input = { planText: planText({ pool: 3, forge: 3 }), generations: 1, workers: 2, readSpecFile: async () => '', linkBase: BASE };
    await evolve.run(input);
    expect(evolve.phase, evolve.errors.join('; ')).toBe('done');
    expect(spawned).toEqual([0, 1]);
    const firstTrials = evolve.trials;
    expect(firstTrials).toBeGreaterThan(0);
    await evolve.run(input);
    expect(evolve.phase).toBe('done');
    expect(spawned, 'no new trial workers for the second run').toEqual([0, 1]);
    expect(terminated).toEqual([]);
    expect(evolve.trials, 'progress counts from zero again').toBe(firstTrials);

    const running = evolve.run(input);
    await new Promise((resolve) => setTimeout(resolve, 20));
    evolve.cancel();
    await running;
    expect(evolve.phase).toBe('stopped');
    expect(terminated, 'the cancelled workers are terminated').toEqual([0, 1]);
    expect(spawned, 'and two fresh ones are ready').toEqual([0, 1, 0, 1]);
    await evolve.run({ ...input, workers: 3 });
    expect(evolve.phase).toBe('done');
    expect(spawned, 'three workers: a new pool').toEqual([0, 1, 0, 1, 0, 1, 2]);
    expect(terminated).toEqual([0, 1, 0, 1]);
  }, 300_000);
});
