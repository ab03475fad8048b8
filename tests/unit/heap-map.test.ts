// The Memory panel's map geometry (src/ui/panels/heap-map.ts): ranges fold into rows without
// gaps or overlaps, and hit-testing a pixel finds the range drawn there.
import { describe, expect, it } from 'vitest';
import { drawHeapMap, mapLayout, rangeAt, ROW_GAP_PX, ROW_HEIGHT_PX } from '../../src/ui/panels/heap-map';
import type { MemoryView } from '../../src/worker/api';

function viewOf(ranges: Array<[size: number, pid: number]>): MemoryView {
  let address = 0;
  const addresses: number[] = [];
  for (const [size] of ranges) { addresses.push(address); address += size; }
  return {
    node: 0, nodeCount: 1, heapBytes: address, usedBytes: 0, freeBytes: 0, peakUsedBytes: 0, largestFreeBytes: 0,
    fragmentationPermille: 0, usedBlocks: 0, freeBlocks: 0, granuleBytes: 16, failedAllocs: 0,
    address: Float64Array.from(addresses), size: Float64Array.from(ranges, ([size]) => size),
    pid: Int32Array.from(ranges, ([, pid]) => pid), parts: new Int32Array(ranges.length).fill(1), mergeBelowBytes: 1, owners: [],
  };
}

/** Records the fillRect calls of one colour. */
function recorder() {
  const rects: Array<{ x: number; y: number; w: number; fill: string }> = [];
  const context = {
    fillStyle: '', strokeStyle: '', lineWidth: 1,
    clearRect() {},
    fillRect(x: number, y: number, w: number) { rects.push({ x, y, w, fill: context.fillStyle }); },
    strokeRect() {},
  };
  return { context: context as unknown as CanvasRenderingContext2D, rects };
}

describe('heap map geometry', () => {
  // 3 rows of 100 px, 10 bytes per pixel: a 3,000-byte heap.
  const view = viewOf([[500, 1], [1500, -1], [700, 2], [300, 3]]);
  const layout = mapLayout(view.heapBytes, 100, 3);
  const rowY = (row: number) => row * (ROW_HEIGHT_PX + ROW_GAP_PX);

  it('maps bytes to pixels over the rows', () => {
    expect(layout.bytesPerPx).toBe(10);
  });

  it('draws each used range as row pieces covering exactly its pixels', () => {
    const { context, rects } = recorder();
    drawHeapMap(context, view, layout, { free: 'free', separator: 'sep', highlight: 'hl', owner: (pid) => `p${pid}` }, undefined);
    const pixels = new Map<string, number>();
    for (const rect of rects) if (rect.fill.startsWith('p')) pixels.set(rect.fill, (pixels.get(rect.fill) ?? 0) + rect.w);
    // Range 3 (pid 2) starts at byte 2000 = pixel 200 (row 2, x 0) and spans 70 px.
    expect(pixels.get('p1')).toBe(50);
    expect(pixels.get('p2')).toBe(70);
    expect(pixels.get('p3')).toBe(30);
    expect(rects.find((rect) => rect.fill === 'p2')).toMatchObject({ x: 0, y: rowY(2), w: 70 });
    // The free background: three full rows.
    expect(rects.filter((rect) => rect.fill === 'free').map((rect) => rect.w)).toEqual([100, 100, 100]);
  });

  it('splits a range that crosses a row end', () => {
    const crossing = viewOf([[950, 1], [100, 2], [1950, -1]]);
    const { context, rects } = recorder();
    drawHeapMap(context, crossing, mapLayout(3000, 100, 3), { free: 'free', separator: 'sep', highlight: 'hl', owner: (pid) => `p${pid}` }, undefined);
    const pieces = rects.filter((rect) => rect.fill === 'p2');
    expect(pieces).toEqual([{ x: 95, y: rowY(0), w: 5, fill: 'p2' }, { x: 0, y: rowY(1), w: 5, fill: 'p2' }]);
  });

  it('finds the range under a pixel, and nothing in the gaps between rows', () => {
    expect(rangeAt(view, layout, 10, 2)).toBe(0);
    expect(rangeAt(view, layout, 60, 2)).toBe(1);
    expect(rangeAt(view, layout, 5, rowY(2) + 2)).toBe(2);
    expect(rangeAt(view, layout, 75, rowY(2) + 2)).toBe(3);
    expect(rangeAt(view, layout, 10, ROW_HEIGHT_PX + 1)).toBeUndefined();
    expect(rangeAt(view, layout, 150, 2)).toBeUndefined();
  });
});
