import { describe, expect, it } from 'vitest';
import { Layout, SPEC_WIDTH_DEFAULT, SPEC_WIDTH_MIN } from '../../src/ui/layout.svelte';

function memoryStorage(initial?: string) {
  const items = new Map<string, string>(initial === undefined ? [] : [['agentos.layout', initial]]);
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) };
}

describe('Layout', () => {
  it('keeps the spec column between its minimum and 60% of the window, and remembers it', () => {
    const storage = memoryStorage();
    const layout = new Layout(storage);
    expect(layout.specWidth).toBe(SPEC_WIDTH_DEFAULT);
    layout.resizeSpec(10, 1280);
    expect(layout.specWidth).toBe(SPEC_WIDTH_MIN);
    layout.resizeSpec(5000, 1280);
    expect(layout.specWidth).toBe(768);
    layout.foldSpec(true);
    const again = new Layout(storage);
    expect([again.specWidth, again.specFolded]).toEqual([768, true]);
    again.resizeSpec(400, 1280);
    expect(again.specFolded).toBe(false); // resizing shows the column again
  });

  it('ignores a damaged preference', () => {
    for (const bad of ['{', '"x"', '{"specWidth":"wide","specFolded":1}', '{"specWidth":null}']) {
      const layout = new Layout(memoryStorage(bad));
      expect([layout.specWidth, layout.specFolded], bad).toEqual([SPEC_WIDTH_DEFAULT, false]);
    }
  });
});
