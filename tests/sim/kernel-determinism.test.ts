import { describe, expect, it } from 'vitest';
import { exampleNames, exampleText, kernelFor, testRandom } from '../helpers/kernel';
import { checkInvariants } from '../../src/kernel/invariants';

const EVENTS = 6000;

describe.each(exampleNames())('example %s', (name) => {
  it('runs twice to the same journal and hash, with invariants after every event', async () => {
    const first = await kernelFor(exampleText(name));
    const second = await kernelFor(exampleText(name));
    for (let target = 1; target <= EVENTS; target++) {
      if (first.run({ events: target }) !== 'events') break;
      checkInvariants(first.ctx, first.machine.state);
    }
    second.run({ events: first.cursor });
    expect(second.cursor).toBe(first.cursor);
    expect(Buffer.from(second.machine.journal.encode()).equals(Buffer.from(first.machine.journal.encode()))).toBe(true);
    expect(second.stateHash()).toBe(first.stateHash());
  });

  it('seeking to any event gives the hash the live run had there', async () => {
    const seed = 0x5eed0000 + name.length;
    const random = testRandom(seed);
    const kernel = await kernelFor(exampleText(name));
    kernel.machine.snapshotInterval = 512; // several snapshots in a short run
    const targets = [...new Set(Array.from({ length: 30 }, () => Math.floor(random() * EVENTS)))].sort((x, y) => x - y);
    const live = new Map<number, string>([[0, kernel.stateHash()]]);
    for (const target of targets) {
      if (kernel.run({ events: target }) !== 'events') break;
      live.set(target, kernel.stateHash());
    }
    const order = [...live.keys()].sort(() => random() - 0.5);
    try {
      for (const target of order) {
        kernel.seek(target);
        expect(kernel.cursor).toBe(target);
        expect(kernel.stateHash(), `hash after seeking to ${target}`).toBe(live.get(target));
      }
    } catch (error) {
      console.error(`SEED=${seed} (example ${name})`);
      throw error;
    }
  });
});
