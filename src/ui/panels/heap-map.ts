// The Memory panel's heap map, drawn on a canvas like a disk map: the heap is one strip of bytes
// folded into rows; each range of the worker's MemoryView is a run of pixels coloured by its owner
// (free space grey). Drawing and hit-testing live here, the component only wires events.
import type { MemoryView } from '../../worker/api';

export const ROW_HEIGHT_PX = 14;
export const ROW_GAP_PX = 3;

export interface MapLayout {
  width: number;
  rows: number;
  bytesPerPx: number;
}

export function mapLayout(heapBytes: number, width: number, rows: number): MapLayout {
  const w = Math.max(1, Math.floor(width));
  return { width: w, rows, bytesPerPx: Math.max(heapBytes, 1) / (w * rows) };
}

export function mapHeight(layout: MapLayout): number {
  return layout.rows * (ROW_HEIGHT_PX + ROW_GAP_PX) - ROW_GAP_PX;
}

/** Calls `segment(x0, x1, y)` for each row piece of the byte range [from, to). */
function eachSegment(layout: MapLayout, from: number, to: number, segment: (x0: number, x1: number, y: number) => void) {
  let start = Math.round(from / layout.bytesPerPx);
  const end = Math.max(start + 1, Math.round(to / layout.bytesPerPx));
  for (let guard = 0; start < end && guard <= layout.rows; guard++) {
    const row = Math.floor(start / layout.width);
    if (row >= layout.rows) break;
    const rowEnd = Math.min(end, (row + 1) * layout.width);
    segment(start - row * layout.width, rowEnd - row * layout.width, row * (ROW_HEIGHT_PX + ROW_GAP_PX));
    start = rowEnd;
  }
}

export interface MapColors {
  free: string;
  separator: string;
  highlight: string;
  owner: (pid: number) => string;
}

export function drawHeapMap(context: CanvasRenderingContext2D, view: MemoryView, layout: MapLayout, colors: MapColors, highlighted: number | undefined) {
  context.clearRect(0, 0, layout.width, mapHeight(layout));
  // Free background first: every row is free until a used range covers it.
  context.fillStyle = colors.free;
  for (let row = 0; row < layout.rows; row++) context.fillRect(0, row * (ROW_HEIGHT_PX + ROW_GAP_PX), layout.width, ROW_HEIGHT_PX);
  for (let i = 0; i < view.address.length; i++) {
    const pid = view.pid[i];
    if (pid === -1) continue;
    context.fillStyle = colors.owner(pid);
    const merged = view.parts[i] > 1;
    eachSegment(layout, view.address[i], view.address[i] + view.size[i], (x0, x1, y) => {
      context.fillRect(x0, y, x1 - x0, ROW_HEIGHT_PX);
      // A thin line where a block begins, when there is room to see it.
      if (x1 - x0 >= 4 && !merged) {
        context.fillStyle = colors.separator;
        context.fillRect(x0, y, 1, ROW_HEIGHT_PX);
        context.fillStyle = colors.owner(pid);
      }
    });
  }
  if (highlighted !== undefined && highlighted < view.address.length) {
    context.strokeStyle = colors.highlight;
    context.lineWidth = 1.5;
    eachSegment(layout, view.address[highlighted], view.address[highlighted] + view.size[highlighted], (x0, x1, y) => {
      context.strokeRect(x0 + 1, y + 1, Math.max(1, x1 - x0 - 2), ROW_HEIGHT_PX - 2);
    });
  }
}

/** The range under canvas point (x, y) in CSS pixels, or undefined (a gap between rows). */
export function rangeAt(view: MemoryView, layout: MapLayout, x: number, y: number): number | undefined {
  const row = Math.floor(y / (ROW_HEIGHT_PX + ROW_GAP_PX));
  if (row < 0 || row >= layout.rows || y - row * (ROW_HEIGHT_PX + ROW_GAP_PX) >= ROW_HEIGHT_PX) return undefined;
  if (x < 0 || x >= layout.width) return undefined;
  const byte = (row * layout.width + x) * layout.bytesPerPx;
  let low = 0, high = view.address.length - 1, found: number | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (view.address[middle] <= byte) { found = middle; low = middle + 1; } else high = middle - 1;
  }
  return found;
}
