// Kernel.runKey: what marks a checkpoint on a branch. Equal keys must mean equal states, and an
// intervention changes the key only from its own event on.
import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { placeOf, placeTag } from '../../src/ui/checkpoints.svelte';

describe('runKey', () => {
  it('is the same for the same spec, seed and interventions, and the states agree', async () => {
    const text = exampleText('priority-starvation.yaml');
    const a = await kernelFor(text);
    const b = await kernelFor(text);
    a.run({ events: 3000 });
    b.run({ events: 2000 });
    expect(a.runKey(1500)).toBe(b.runKey(1500));
    a.seek(1500);
    b.seek(1500);
    expect(a.stateHash()).toBe(b.stateHash());
  });

  it('changes from an intervention on, and not before it', async () => {
    const kernel = await kernelFor(exampleText('priority-starvation.yaml'));
    kernel.run({ events: 3000 });
    const before = [kernel.runKey(1000), kernel.runKey(2000), kernel.runKey(2500)];
    kernel.seek(2000);
    kernel.intervene({ kind: 'kill', pid: 1 });
    kernel.run({ events: 3000 });
    expect(kernel.runKey(1000)).toBe(before[0]);
    // The intervention applies at event 2000: the state there is still the old one.
    expect(kernel.runKey(2000)).toBe(before[1]);
    expect(kernel.runKey(2500)).not.toBe(before[2]);
    kernel.timeline.switchTo(0);
    expect(kernel.runKey(2500)).toBe(before[2]);
  });

  it('differs for another seed', async () => {
    const text = exampleText('priority-starvation.yaml');
    const a = await kernelFor(text);
    const b = await kernelFor(text.replace(/^seed: \d+$/m, 'seed: 12345'));
    expect(a.spec.seed).not.toBe(b.spec.seed);
    expect(a.runKey(10)).not.toBe(b.runKey(10));
  });
});

describe('checkpoint place tags', () => {
  it('round-trip, and refuse anything else', () => {
    expect(placeOf(placeTag({ runKey: '0123456789abcdef', seq: 5000 }))).toEqual({ runKey: '0123456789abcdef', seq: 5000 });
    for (const bad of ['', '0123456789abcdef', '0123456789abcdef@', 'zz23456789abcdef@1', '0123456789abcdef@-1', '0123456789abcdef@1e9']) {
      expect(placeOf(bad), bad).toBeUndefined();
    }
  });
});
