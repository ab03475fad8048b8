// Edge labels of the IPC graph (ipc-layout.ts): placed greedily, busiest edge first, at the first
// place along its curve where the label overlaps no box and no label placed before it; an edge with
// no such place is drawn without one (and counted). A fan's labels go near its many ends, where
// its edges are a row apart. Also the label text helpers the panel shares.
import type { EdgeLabel, EdgeShape, NodeBox } from './ipc-layout';

/** Width of one character of the 11 px monospace labels (0.6 em), and of the 9 px ones. */
export const CHAR_W = 6.7;
export const SMALL_CHAR_W = 5.5;

export function formatRate(rate: number): string {
  if (rate === 0) return '0';
  if (rate >= 100) return rate.toFixed(0);
  if (rate >= 1) return rate.toFixed(1);
  return rate.toFixed(2);
}

interface Rect { x: number; y: number; w: number; h: number }
const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** A point of the cubic Bézier p0 p1 p2 p3 at t. */
function bezier(t: number, p: readonly number[]): [number, number] {
  const u = 1 - t;
  const a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;
  return [a * p[0] + b * p[2] + c * p[4] + d * p[6], a * p[1] + b * p[3] + c * p[5] + d * p[7]];
}

const LABEL_TS = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78];
const CURVE_SAMPLES = 48;

/**
 * Where along its curve (as Bézier parameters) to try an edge's label, best first. A forward edge
 * out of a fan (one box feeding many) is labelled near its target, where the fan's edges are a row
 * apart; an edge into a fan-in near its source; others in the middle first.
 */
function labelPlaces(edge: EdgeShape, p: readonly number[], halfW: number, rightW: number, fanOut: Map<string, number>, fanIn: Map<string, number>): number[] {
  const x1 = p[0], x2 = p[6];
  if (!(x2 > x1)) return LABEL_TS;
  const nearTarget = x2 - rightW - 8, nearSource = x1 + halfW + 8;
  if (nearTarget <= nearSource) return LABEL_TS;
  const out = fanOut.get(edge.from.key) ?? 1, into = fanIn.get(edge.to.key) ?? 1;
  const mid = (nearSource + nearTarget) / 2;
  const xs = out > into ? [nearTarget, (nearTarget + mid) / 2, mid, (nearSource + mid) / 2, nearSource]
    : into > out ? [nearSource, (nearSource + mid) / 2, mid, (nearTarget + mid) / 2, nearTarget]
      : [mid, (nearTarget + mid) / 2, (nearSource + mid) / 2, nearTarget, nearSource];
  // x grows with t along a forward edge: the sample nearest each wanted x.
  return xs.map((x) => {
    let best = 0.5, distance = Number.POSITIVE_INFINITY;
    for (let i = 1; i < CURVE_SAMPLES; i++) {
      const t = i / CURVE_SAMPLES, d = Math.abs(bezier(t, p)[0] - x);
      if (d < distance) { distance = d; best = t; }
    }
    return best;
  });
}

/** Places the labels of `edges` (drawn along `curves`) around `nodes`; returns how many found no place and the lowest label's bottom. */
export function placeLabels(edges: EdgeShape[], curves: number[][], nodes: NodeBox[], compact: boolean, labelH: number): { hidden: number; bottom: number } {
  let bottom = 0;
  // Labels, busiest first, where they overlap no box and no placed label.
  const obstacles: Rect[] = nodes.map((node) => ({ x: node.x - 2, y: node.y - 2, w: node.w + 4, h: node.h + 4 }));
  const order = edges.map((_, index) => index).sort((x, y) => edges[y].ratePerMs - edges[x].ratePerMs || x - y);
  const fanOut = new Map<string, number>(), fanIn = new Map<string, number>();
  for (const edge of edges) {
    fanOut.set(edge.from.key, (fanOut.get(edge.from.key) ?? 0) + 1);
    fanIn.set(edge.to.key, (fanIn.get(edge.to.key) ?? 0) + 1);
  }
  let labelsHidden = 0;
  for (const index of order) {
    const edge = edges[index];
    const text = `${formatRate(edge.ratePerMs)}/ms${edge.merged ? ` ×${edge.channels.length}` : ''}`;
    const queued = edge.channels.reduce((sum, channel) => sum + channel.queued + channel.inFlight, 0);
    const queue = `${queued}/${edge.channels.reduce((sum, channel) => sum + channel.capacity, 0)}`;
    const dropText = edge.dropped > 0 ? ` · ${edge.dropped} dropped` : '';
    const textW = (text.length + dropText.length) * CHAR_W;
    // Compact labels: the rate and the bar; roomy ones add the queue's figures right of the bar.
    const halfW = Math.max(textW / 2, 24);
    const rightW = compact ? halfW : Math.max(textW / 2, 28 + queue.length * SMALL_CHAR_W);
    let placed: EdgeLabel | undefined;
    for (const t of labelPlaces(edge, curves[index], halfW, rightW, fanOut, fanIn)) {
      const [px, py] = bezier(t, curves[index]);
      // The rate text and, under it, the queue bar, just above the line.
      const lx = px, ly = py - 10;
      const rect: Rect = { x: lx - halfW - 2, y: ly - 11, w: halfW + rightW + 4, h: labelH };
      if (obstacles.some((obstacle) => overlaps(rect, obstacle))) continue;
      obstacles.push(rect);
      placed = { x: lx, y: ly, text, queue: compact ? '' : queue, fill: edge.fill };
      bottom = Math.max(bottom, rect.y + rect.h);
      break;
    }
    if (placed) edge.label = placed;
    else labelsHidden++;
  }

  return { hidden: labelsHidden, bottom };
}
