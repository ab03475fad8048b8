// KernelQL's `decisions`: one row per decision the journal records (a scheduler pick, an
// allocation or a refused one, an auction's grant, a weighted choice), with the setting in force
// (a policy intervention changes it from that event on), what was chosen and why, in words.
import { beforeAll, describe, expect, it } from 'vitest';
import { QueryEngine } from '../../src/query/engine';
import { loadSqlite } from '../../src/query/sqlite';
import { kernelSource } from '../../src/query/source';
import { syncEngine } from '../../src/query/sync';
import { EventCode } from '../../src/kernel/events';
import { exampleText, kernelFor } from '../helpers/kernel';

let engine: QueryEngine;
beforeAll(async () => {
  engine = new QueryEngine(await loadSqlite());
});

function rows(sql: string): (number | string | null)[][] {
  const outcome = engine.query(sql);
  if (!outcome.ok) throw new Error(`${sql}: ${outcome.error.message}`);
  return outcome.value.rows as (number | string | null)[][];
}

describe('the decisions table', () => {
  it('has one row for every decision event, with inputs, the choice and why', async () => {
    const kernel = await kernelFor(exampleText('auction.yaml'));
    kernel.run({ events: 3000 });
    await syncEngine(engine, kernelSource(() => kernel));
    const journal = kernel.machine.journal;
    const expected = new Map<string, number[]>([['schedule', []], ['allocate', []], ['auction', []], ['choose', []]]);
    const kindOf: Record<number, string> = {
      [EventCode['sched/switched']]: 'schedule', [EventCode['heap/allocated']]: 'allocate', [EventCode['heap/exhausted']]: 'allocate',
      [EventCode['resource/granted']]: 'auction', [EventCode['step/chose']]: 'choose',
    };
    for (let seq = 0; seq < journal.length; seq++) {
      const kind = kindOf[journal.type(seq)];
      if (kind) expected.get(kind)!.push(seq);
    }
    expect(expected.get('auction')!.length).toBeGreaterThan(0);
    for (const [kind, seqs] of expected) {
      expect(rows(`SELECT seq FROM decisions WHERE kind = '${kind}' ORDER BY seq`).map(([seq]) => seq), kind).toEqual(seqs);
    }
    // No decision row lacks its answers.
    expect(rows('SELECT count(*) FROM decisions WHERE inputs IS NULL OR chosen IS NULL OR why IS NULL OR policy IS NULL')).toEqual([[0]]);
    const granted = expected.get('auction')![0];
    const [row] = rows(`SELECT policy, inputs, chosen, why FROM decisions WHERE seq = ${granted}`);
    const resource = kernel.spec.resources[journal.a(granted)];
    expect(row[0]).toBe(resource.auction);
    expect(row[1]).toBe(`a bid for ${journal.b(granted)} unit${journal.b(granted) === 1 ? '' : 's'} of ${resource.name}`);
    expect(row[2]).toMatch(new RegExp(`^pid ${journal.pid(granted)} \\(\\w[\\w-]*\\), paying ${journal.c(granted)}$`));
    expect(row[3]).toMatch(/highest bid wins/);
    const [pick] = rows(`SELECT policy, why FROM decisions WHERE kind = 'schedule' AND chosen <> 'none' LIMIT 1`);
    expect(pick[0]).toBe(kernel.spec.kernel.scheduler);
    expect(pick[1]).toMatch(/; slice \d+ µs$/);
  });

  it('holds every automatic action: heals answer their anomaly, supervisors their ending', async () => {
    for (const [example, kind, codes] of [
      ['self-healing.yaml', 'heal', ['heal/restarted', 'heal/reniced', 'heal/policySwitched', 'heal/capacityRaised', 'heal/loadShed', 'heal/scaled', 'tune/switched']],
      ['supervision.yaml', 'supervise', ['supervisor/restarting', 'supervisor/gaveUp']],
    ] as const) {
      const kernel = await kernelFor(exampleText(example));
      kernel.run({ events: 60_000 });
      await syncEngine(engine, kernelSource(() => kernel));
      const journal = kernel.machine.journal;
      const want = new Set<number>(codes.map((code) => EventCode[code]));
      const seqs: number[] = [];
      for (let seq = 0; seq < journal.length; seq++) if (want.has(journal.type(seq))) seqs.push(seq);
      expect(seqs.length, example).toBeGreaterThan(0);
      expect(rows(`SELECT seq FROM decisions WHERE kind = '${kind}' ORDER BY seq`).map(([seq]) => seq), example).toEqual(seqs);
      // Each names the event it answers, by its type and seq.
      const [first] = rows(`SELECT cause, inputs FROM decisions WHERE kind = '${kind}' ORDER BY seq LIMIT 1`);
      expect(first[1]).toMatch(new RegExp(`^[a-z]+/[a-zA-Z]+ at event #${first[0]}$`));
    }
  });

  it('holds placements and readiness: failover moves, unplaced ones, the user\'s and healing\'s moves, probe/ready and unready, each with its reason', async () => {
    const failover = await kernelFor(exampleText('failover.yaml'));
    failover.run({ events: 60_000 });
    await syncEngine(engine, kernelSource(() => failover));
    const journal = failover.machine.journal;
    const want = new Set<number>([EventCode['process/migrated'], EventCode['process/unplaced'], EventCode['probe/ready'], EventCode['probe/unready']]);
    const seqs: number[] = [];
    for (let seq = 0; seq < journal.length; seq++) if (want.has(journal.type(seq))) seqs.push(seq);
    expect(rows(`SELECT seq FROM decisions WHERE kind IN ('place', 'probe') ORDER BY seq`).map(([seq]) => seq)).toEqual(seqs);
    expect(rows(`SELECT count(*) FROM decisions WHERE kind = 'probe'`)[0][0]).toBeGreaterThan(0);
    const [moved] = rows(`SELECT inputs, chosen, why FROM decisions WHERE kind = 'place' AND chosen LIKE 'n%' LIMIT 1`);
    expect(moved[0]).toMatch(/^on n\d, moved by node\/crashed at event #\d+$/);
    expect(moved[2]).toMatch(/^failover: n\d crashed; n\d is the least loaded live node that fits \(\d+ runnable\)$/);
    expect(rows(`SELECT chosen, why FROM decisions WHERE kind = 'place' AND chosen LIKE 'stays%'`)[0]).toEqual(['stays on n1', 'pinned there by node:']);
    expect(rows(`SELECT why FROM decisions WHERE kind = 'probe' AND chosen = 'ready' LIMIT 1`)[0][0]).toMatch(/^warmed up|heap fell below/);
    // Healing's move and the user's.
    const healed = await kernelFor(exampleText('hog-migration.yaml'));
    healed.run({ events: 300 });
    const pid = healed.machine.state.procAgent.findIndex((agent, index) => index < healed.machine.state.scalars[1] && healed.spec.agents[agent].name === 'api');
    healed.intervene({ kind: 'migrate', pid, node: 0 });
    await syncEngine(engine, kernelSource(() => healed));
    expect(rows(`SELECT why FROM decisions WHERE kind = 'place' ORDER BY seq`).map(([why]) => why)).toEqual([
      'healing a hog: n0 had 3 runnable, n1 had 0',
      expect.stringMatching(/^the user moved it; n0 had \d+ runnable$/),
    ]);
    expect(rows(`SELECT chosen FROM decisions WHERE kind = 'heal' AND chosen = 'migrated'`)).toEqual([['migrated']]);
  });

  it('names the policy in force: a policy intervention changes it from that event on', async () => {
    const kernel = await kernelFor(exampleText('priority-starvation.yaml'));
    kernel.run({ events: 1000 });
    kernel.intervene({ kind: 'policy', node: 0, policy: 'round-robin' });
    kernel.run({ events: 2000 });
    await syncEngine(engine, kernelSource(() => kernel));
    const before = rows(`SELECT DISTINCT policy FROM decisions WHERE kind = 'schedule' AND seq < 1000`);
    const after = rows(`SELECT DISTINCT policy FROM decisions WHERE kind = 'schedule' AND seq > 1000`);
    expect(before).toEqual([[kernel.spec.kernel.scheduler]]);
    expect(after).toEqual([['round-robin']]);
    expect(rows(`SELECT why FROM decisions WHERE kind = 'schedule' AND seq > 1000 AND chosen <> 'none' LIMIT 1`)[0][0]).toMatch(/^next in the ring, waited -?\d+ ticks; slice/);
  });
});
