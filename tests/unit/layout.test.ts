import { describe, expect, it } from 'vitest';
import { Layout, SPEC_WIDTH_DEFAULT, SPEC_WIDTH_MIN, specWidthMax } from '../../src/ui/layout.svelte';

function memoryStorage(initial?: string) {
  const items = new Map<string, string>(initial === undefined ? [] : [['agentos.layout', initial]]);
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) };
}

describe('Layout', () => {
  it('keeps the spec column between its minimum and what leaves the centre 560 px, and remembers it', () => {
    const storage = memoryStorage();
    const layout = new Layout(storage, 1280);
    expect(layout.specWidth).toBe(SPEC_WIDTH_DEFAULT);
    layout.resizeSpec(10, 1280);
    expect(layout.specWidth).toBe(SPEC_WIDTH_MIN);
    layout.resizeSpec(5000, 1280);
    expect(layout.specWidth).toBe(1280 - (260 + 24) - 560); // the Inspector is 260 px at 1280, plus gaps
    expect(specWidthMax(3000)).toBe(1800); // 60% of a wide window
    layout.foldSpec(true);
    const again = new Layout(storage, 1280);
    expect([again.specWidth, again.specFolded]).toEqual([436, true]);
    // Opened again in a narrower window: the saved width is kept within what that window allows.
    expect(new Layout(storage, 1100).specWidth).toBe(specWidthMax(1100));
    expect(new Layout(memoryStorage(), 1920).specWidth).toBe(480); // a quarter of a wide window by default
    again.resizeSpec(300, 1280);
    expect(again.specFolded).toBe(false); // resizing shows the column again
  });

  it('ignores a damaged preference', () => {
    for (const bad of ['{', '"x"', '{"specWidth":"wide","specFolded":1}', '{"specWidth":null}']) {
      const layout = new Layout(memoryStorage(bad), 1280);
      expect([layout.specWidth, layout.specFolded], bad).toEqual([SPEC_WIDTH_DEFAULT, false]);
    }
  });
});
