// Healing a congested pipeline (issue 13): where a replica goes, what happens when one is not
// enough, and back-pressure (a stage blocked sending on is not the bottleneck). Each case is a
// regression of the congested-pipeline example, where healing used to add nothing.
import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { events, pidsOf } from '../helpers/queries';
import { AnomalyKind, kindOf, subjectOf } from '../../src/kernel/autonomy/codes';

const PIPELINE = exampleText('congested-pipeline.yaml');

describe('congestion healing', () => {
  it('replicas spread: each goes to a node with none of the agent yet, not beside the busy ones', async () => {
    const kernel = await kernelFor(PIPELINE);
    kernel.run({ ticks: 100_000 });
    const scaled = events(kernel, 'heal/scaled');
    expect(scaled.length).toBe(2);
    const nodes = pidsOf(kernel, 'enrich').map((pid) => kernel.machine.state.procNode[pid]);
    expect(new Set(nodes).size).toBe(nodes.length);
    // n0 holds orders, ingest and store: no replica goes there while another node holds none.
    expect(nodes).not.toContain(0);
  });

  it('a queue still full a window after a replica is found again and answered by another (up to replicas)', async () => {
    const kernel = await kernelFor(PIPELINE);
    kernel.run({ ticks: 100_000 });
    const found = events(kernel, 'anomaly/detected').filter((event) => kindOf(event.anomaly) === AnomalyKind.congestion);
    const scaled = events(kernel, 'heal/scaled');
    expect(scaled.map((event) => event.cause)).toEqual(found.slice(0, 2).map((event) => event.seq));
    expect(scaled[1].seq - scaled[0].seq).toBeGreaterThan(0);
  });

  it('back-pressure: a stage blocked sending into a full channel gets no replica, room or shed; the bottleneck does', async () => {
    // enrich pinned to one node: its replicas share one CPU, so its queue stays full and ingest
    // blocks sending; the orders queue fills behind it.
    const pinned = PIPELINE.replace('  enrich:\n', '  enrich:\n    node: n1\n');
    const kernel = await kernelFor(pinned);
    kernel.run({ ticks: 300_000 });
    const state = kernel.machine.state;
    const congested = events(kernel, 'anomaly/detected').filter((event) => kindOf(event.anomaly) === AnomalyKind.congestion);
    expect(congested.some((event) => subjectOf(event.anomaly) === 0)).toBe(true); // orders → ingest is found congested ...
    const answered = new Set([...events(kernel, 'heal/scaled'), ...events(kernel, 'heal/capacityRaised'), ...events(kernel, 'heal/loadShed')].map((event) => event.cause));
    for (const event of congested) {
      if (subjectOf(event.anomaly) === 0) expect(answered.has(event.seq), `#${event.seq}`).toBe(false); // ... and left alone
    }
    expect(pidsOf(kernel, 'ingest')).toHaveLength(1);
    expect(state.chanDropped[0]).toBe(0);
    expect(pidsOf(kernel, 'enrich').length).toBe(3); // the bottleneck got its replicas
  });
});
