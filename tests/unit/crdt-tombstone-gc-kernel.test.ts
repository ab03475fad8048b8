// Text tombstones in the kernel (issue 14): three nodes type into a shared text and delete what
// they typed, for a long time; whenever a sync leaves every replica with the same state, the
// replicas drop their tombstones together. The replicas' memory (items, chars in the arena)
// stays flat; without the collection it grows with every edit (and the long loop would end in
// a full replica). Collection is deterministic: seeking back and forth gives the same state.
import { describe, expect, it } from 'vitest';
import { lines } from '../helpers/spec';
import { kernelFor } from '../helpers/kernel';

const ROUNDS = 600;

function spec(rounds: number): string {
  const agent = (name: string, node: string, offset: number) => [
    `  ${name}:`,
    `    node: ${node}`,
    '    program:',
    `      - sleep: ${offset}ms`,
    `      - repeat: ${rounds}`,
    '        do:',
    `          - crdt: { object: notes, op: insert, at: 0, text: "${name} was here; " }`,
    '          - sleep: 2ms',
    `          - crdt: { object: notes, op: delete, at: 0, count: ${`${name} was here; `.length} }`,
    '          - sleep: 9ms',
  ];
  return lines(
    'agentos: 1',
    'name: edit-delete-loop',
    'seed: 5',
    'cluster:',
    '  nodes: 3',
    '  topology: mesh',
    '  latency: 1ms',
    'shared:',
    '  notes: { type: text }',
    'agents:',
    ...agent('ann', 'n0', 0),
    ...agent('bob', 'n1', 3),
    ...agent('cy', 'n2', 6),
  );
}

describe('text tombstones in the kernel', () => {
  it('memory stays flat over a long edit-delete loop on three replicas', async () => {
    const kernel = await kernelFor(spec(ROUNDS));
    const shared = () => kernel.machine.machineCore.shared()!;
    const samples: { items: number; chars: number; visible: number }[] = [];
    // sample every 1,500 events (each round is about ten events per agent)
    for (let events = 1500; ; events += 1500) {
      const stop = kernel.run({ events });
      const row = [0, 1, 2].map((node) => ({ ...shared().footprint(0, node)!, visible: String(shared().value(0, node)).length }));
      samples.push({ items: Math.max(...row.map((r) => r.items)), chars: Math.max(...row.map((r) => r.chars - r.visible)), visible: Math.max(...row.map((r) => r.visible)) });
      if (stop !== 'events') break;
    }
    expect(samples.length).toBeGreaterThan(8);
    const typed = 3 * ROUNDS * 'bob was here; '.length;
    const peak = samples.reduce((a, s) => ({ items: Math.max(a.items, s.items), chars: Math.max(a.chars, s.chars) }), { items: 0, chars: 0 });
    const early = samples.slice(0, 3).reduce((a, s) => ({ items: Math.max(a.items, s.items), chars: Math.max(a.chars, s.chars) }), { items: 0, chars: 0 });
    // flat: the peak over the whole run is the peak of its first moments (plus a little slack),
    // a tiny fraction of the ~25k chars typed and deleted
    expect(peak.items, JSON.stringify(samples)).toBeLessThanOrEqual(early.items + 8);
    expect(peak.chars, JSON.stringify(samples)).toBeLessThanOrEqual(early.chars + 64);
    expect(peak.chars).toBeLessThan(typed / 50);
    // every replica ends with the same text and nothing deleted left over
    const end = kernel.cursor;
    const text = shared().value(0, 0);
    for (const node of [0, 1, 2]) {
      expect(shared().value(0, node)).toBe(text);
      expect(shared().footprint(0, node)!.tombstones).toBe(0);
    }
    // deterministic: seeking back and forth lands on the same state
    const hash = kernel.stateHash();
    kernel.seek(Math.floor(end / 3));
    kernel.seek(end);
    expect(kernel.stateHash()).toBe(hash);
    const again = await kernelFor(spec(ROUNDS));
    again.run({ events: end });
    expect(again.stateHash()).toBe(hash);
  }, 120_000);
});
