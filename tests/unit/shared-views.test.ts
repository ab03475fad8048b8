// The Shared panel's view: values per replica, differences, "differ since" (the convergence walk
// checked against seeking every cursor and comparing the replicas' hashes), paging, and the
// timeline strip's network and convergence marks.
import { describe, expect, it } from 'vitest';
import { EventCode as E } from '../../src/kernel/events';
import { convergenceWalk, SHARED_PAGE_ITEMS_MAX, sharedView } from '../../src/worker/shared-views';
import { densityStrip } from '../../src/worker/density';
import { exampleText, kernelFor } from '../helpers/kernel';

describe('shared view', () => {
  it('"differ since" agrees with a brute force over every cursor (partition-crdt, the text object)', async () => {
    const kernel = await kernelFor(exampleText('partition-crdt.yaml'));
    kernel.run({ events: 1_000_000 });
    const end = kernel.cursor;
    const journal = kernel.machine.journal;
    const notes = kernel.spec.shared.findIndex((object) => object.name === 'notes');
    const shared = () => kernel.machine.machineCore.shared()!;
    // Inserts of distinct letters: replicas hold the same ops exactly when their texts are equal.
    let lastEqual = 0;
    let checked = 0;
    for (let cursor = 0; cursor <= end; cursor++) {
      kernel.seek(cursor);
      const hashes = [0, 1, 2].map((node) => shared().replicaHash(notes, node));
      const equal = new Set(hashes).size === 1;
      if (equal) lastEqual = cursor;
      // Check at every crdt event and every 97th cursor (the walk is the same pass each time).
      if (journal.type(Math.max(0, cursor - 1)) !== E['crdt/applied'] && journal.type(Math.max(0, cursor - 1)) !== E['crdt/merged'] && cursor % 97 !== 0) continue;
      const view = sharedView(kernel).objects[notes];
      expect(view.converged, `cursor ${cursor}`).toBe(equal);
      if (equal) { expect(view.differsSince).toBeNull(); continue; }
      let since = lastEqual;
      while (!(journal.type(since) === E['crdt/applied'] && journal.a(since) === notes)) since++;
      expect(view.differsSince, `cursor ${cursor}`).toBe(since);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
    // During the partition n0 differs from n1 and n2, which agree with each other.
    kernel.seek(end);
    const walk = convergenceWalk(kernel, end);
    expect(walk.differsSince.every((since) => since === null)).toBe(true);
    expect(walk.converged.length).toBe(1);
  });

  it('shows values in words, marks the replica that differs, and pages elements', async () => {
    const spec = `agentos: 1
cluster: { nodes: 2, latency: 1ms, faults: [ { at: 10ms, partition: [[n0], [n1]] } ] }
shared:
  seen: { type: or-set }
  notes: { type: text }
  hits: { type: g-counter }
agents:
  a:
    node: n0
    program:
      - sleep: 20ms
      - repeat: 120
        do:
          - crdt: { object: seen, op: add, element: "e{pid}-{replica}" }
          - crdt: { object: notes, op: insert, text: "ab" }
          - crdt: { object: hits, op: inc }
          - spawn: b
  b:
    replicas: 0
    node: n0
    program: [ exit ]
`;
    const kernel = await kernelFor(spec);
    kernel.run({ events: 100_000 });
    const view = sharedView(kernel);
    const [seen, notes, hits] = view.objects;
    expect(hits.replicas.map((replica) => replica.summary)).toEqual(['120', '0']);
    expect(hits.converged).toBe(false);
    // Two replicas, two values: the tie goes to the lowest node's, so n1 is the one that differs.
    expect(hits.replicas.map((replica) => replica.differs)).toEqual([false, true]);
    expect(notes.replicas[0]).toMatchObject({ summary: '240 characters', numeric: 240, items: ['ab'.repeat(120)] });
    // 120 adds of distinct elements? "e{pid}-{replica}": the pid is the same, so one element.
    expect(seen.replicas[0].itemCount).toBe(1);
    expect(seen.differsSince).not.toBeNull();
    expect(kernel.machine.journal.type(seen.differsSince!)).toBe(E['crdt/applied']);

    const paged = `agentos: 1
shared: { big: { type: lww-map } }
agents:
  w:
    replicas: 130
    program: [ { crdt: { object: big, op: set, key: "k{pid}", value: "{replica}" } } ]
`;
    const many = await kernelFor(paged);
    many.run({ events: 100_000 });
    const first = sharedView(many).objects[0].replicas[0];
    expect(first.itemCount).toBe(130);
    expect(first.items.length).toBe(SHARED_PAGE_ITEMS_MAX);
    const last = sharedView(many, [100]).objects[0].replicas[0];
    expect(last.items.length).toBe(30);
    expect(last.items[0]).toMatch(/^k\d+ = \d+$/);
  });

  it('the timeline strip marks partitions, heals and convergence', async () => {
    const kernel = await kernelFor(exampleText('partition-crdt.yaml'));
    kernel.run({ events: 1_000_000 });
    const strip = densityStrip(kernel, 100);
    expect(strip.network.reduce((sum, count) => sum + count, 0)).toBe(2); // the partition and the heal
    expect(strip.converged.reduce((sum, count) => sum + count, 0)).toBe(1); // once, after the heal
    // The convergence comes after the heal.
    const heal = [...Array(kernel.machine.journal.length).keys()].find((seq) => kernel.machine.journal.type(seq) === E['net/healed'])!;
    const lastConverged = convergenceWalk(kernel, kernel.cursor).converged.at(-1)!;
    expect(lastConverged).toBeGreaterThan(heal);
  });
});
