// Layout of the IPC graph (IpcPanel.svelte): pure, deterministic, O(agents + channels × label
// candidates × obstacles). Agents are boxes in columns by their distance from a source (the
// worker's `column`), each placed as near as it fits to the mean height of the agents that feed
// it (shorter edges, fewer crossings), replicas of one agent being one box with a count. Past a few agents the boxes turn
// compact (one line). What is drawn is capped: at most COLUMN_ROWS_MAX boxes in a column and
// GRAPH_NODES_MAX in all (the quietest agents of a column fold into one "N more" box), columns
// past COLUMNS_MAX fold into the last, channels between the same two boxes merge into one edge
// when one box is a group or there are more than PARALLEL_EDGES_MAX of them, and at most
// GRAPH_EDGES_MAX edges are drawn (the busiest). Edge labels are placed by ipc-labels.ts.
import type { IpcChannel, IpcView } from '../../worker/api';
import { plural } from '../words';
import { agentColor } from './viz';
import { CHAR_W, SMALL_CHAR_W, formatRate, placeLabels } from './ipc-labels';

export { CHAR_W, formatRate };

export const GRAPH_NODES_MAX = 120;
export const COLUMN_ROWS_MAX = 40;
export const COLUMNS_MAX = 16;
export const GRAPH_EDGES_MAX = 240;
export const PARALLEL_EDGES_MAX = 3;
/** Up to this many agents (and at most COMFORTABLE_ROWS_MAX in a column) get the roomy two-line boxes. */
const COMFORTABLE_AGENTS_MAX = 12;
const COMFORTABLE_ROWS_MAX = 6;

const MARGIN = 16;

interface Metrics { nodeW: number; nodeH: number; rowGap: number; columnGapMin: number; labelH: number }
const COMFORTABLE: Metrics = { nodeW: 132, nodeH: 40, rowGap: 30, columnGapMin: 150, labelH: 22 };
const COMPACT: Metrics = { nodeW: 124, nodeH: 22, rowGap: 8, columnGapMin: 204, labelH: 19 };

export interface NodeBox {
  key: string;
  x: number; y: number; w: number; h: number;
  /** Name (truncated to fit), and the right-hand count in compact boxes / the second line in roomy ones. */
  label: string;
  sub: string;
  color: string;
  /** Agent indices the box stands for (one, or the agents of a group). */
  agents: number[];
  group: boolean;
  /** Everything about it, for screen readers and the tooltip. */
  title: string;
  fullName: string;
}

export interface EdgeLabel { x: number; y: number; text: string; queue: string; fill: number }

export interface EdgeShape {
  key: string;
  /** One channel, or the channels merged into this edge. */
  channels: IpcChannel[];
  from: NodeBox;
  to: NodeBox;
  path: string;
  ratePerMs: number;
  fill: number;
  dropped: number;
  label?: EdgeLabel;
  merged: boolean;
  title: string;
}

export interface GraphLayout {
  nodes: NodeBox[];
  edges: EdgeShape[];
  width: number;
  height: number;
  compact: boolean;
  nodeW: number;
  nodeH: number;
  /** Agents drawn inside "N more" boxes rather than on their own. */
  grouped: number;
  /** Edges left out beyond GRAPH_EDGES_MAX (the quietest). */
  edgesOmitted: number;
  /** Edges drawn without a rate label because every place for it overlapped something. */
  labelsHidden: number;
  /** Columns past COLUMNS_MAX drawn as the last one. */
  columnsFolded: number;
}

/** `text` cut to at most `chars` characters, with an ellipsis when cut. */
export function fit(text: string, chars: number): string {
  if (chars <= 1) return text.length > 0 ? '…' : '';
  return text.length > chars ? `${text.slice(0, chars - 1)}…` : text;
}

/** The most boxes a column may have so that all columns together draw at most GRAPH_NODES_MAX (at least 2 each). */
export function rowsCapFor(columnSizes: readonly number[]): number {
  const boxes = (cap: number) => columnSizes.reduce((sum, size) => sum + (size > cap ? cap : size), 0);
  let cap = COLUMN_ROWS_MAX;
  while (cap > 2 && boxes(cap) > GRAPH_NODES_MAX) cap--;
  return cap;
}

export function layoutIpc(view: IpcView, width: number): GraphLayout {
  const agentAt = new Map(view.agents.map((agent) => [agent.index, agent]));
  // Columns, empty ones dropped, deep ones folded into the last.
  const byColumn = new Map<number, number[]>();
  for (const agent of view.agents) {
    const list = byColumn.get(agent.column) ?? [];
    list.push(agent.index);
    byColumn.set(agent.column, list);
  }
  const depths = [...byColumn.keys()].sort((x, y) => x - y);
  const columns: number[][] = depths.slice(0, COLUMNS_MAX).map((depth) => byColumn.get(depth)!.slice());
  const columnsFolded = Math.max(0, depths.length - COLUMNS_MAX);
  for (const depth of depths.slice(COLUMNS_MAX)) columns[COLUMNS_MAX - 1].push(...byColumn.get(depth)!);

  const tallest = Math.max(0, ...columns.map((column) => column.length));
  const compact = view.agents.length > COMFORTABLE_AGENTS_MAX || tallest > COMFORTABLE_ROWS_MAX;
  const m = compact ? COMPACT : COMFORTABLE;
  const rowsCap = compact ? rowsCapFor(columns.map((column) => column.length)) : COMFORTABLE_ROWS_MAX + 1;

  // Which agent feeds which, for placing each box near the mean height of its inputs.
  const inputsOf = new Map<number, number[]>();
  for (const channel of view.channels) {
    if (channel.from === channel.to) continue;
    const list = inputsOf.get(channel.to) ?? [];
    list.push(channel.from);
    inputsOf.set(channel.to, list);
  }

  const nodes: NodeBox[] = [];
  const boxOf = new Map<number, NodeBox>();
  /** Centre height of each agent's box, once placed. */
  const yOf = new Map<number, number>();
  const pitch = m.nodeH + m.rowGap;
  const rows = Math.max(1, ...columns.map((column) => Math.min(column.length, rowsCap)));
  const gap = columns.length > 1 ? Math.max(m.columnGapMin, (Math.max(width, 300) - 2 * MARGIN - m.nodeW) / (columns.length - 1)) : 0;
  let grouped = 0;

  columns.forEach((column, c) => {
    const traffic = (index: number) => agentAt.get(index)!.windowTraffic;
    let shown = column;
    let rest: number[] = [];
    if (column.length > rowsCap) {
      const busiest = column.slice().sort((x, y) => traffic(y) - traffic(x) || x - y).slice(0, rowsCap - 1);
      const keep = new Set(busiest);
      shown = column.filter((index) => keep.has(index));
      rest = column.filter((index) => !keep.has(index));
    }
    // Rows: each box as near as it can be to the mean height of the boxes feeding it (sources and
    // columns with no input drawn yet are centred), in that order, a pitch apart, within the height.
    const want = (index: number) => {
      const inputs = (inputsOf.get(index) ?? []).filter((from) => yOf.has(from));
      return inputs.length ? inputs.reduce((sum, from) => sum + yOf.get(from)!, 0) / inputs.length - m.nodeH / 2 : Number.POSITIVE_INFINITY;
    };
    const wanted = new Map(shown.map((index) => [index, want(index)]));
    shown = shown.slice().sort((x, y) => {
      const wx = wanted.get(x)!, wy = wanted.get(y)!;
      return wx === wy ? x - y : wx < wy ? -1 : 1;
    });
    const count = shown.length + (rest.length ? 1 : 0);
    const ys: number[] = [];
    if (shown.every((index) => wanted.get(index) === Number.POSITIVE_INFINITY)) {
      const top = MARGIN + ((rows - count) * pitch) / 2;
      for (let r = 0; r < count; r++) ys.push(top + r * pitch);
    } else {
      for (let r = 0; r < count; r++) {
        const desired = r < shown.length ? wanted.get(shown[r])! : Number.POSITIVE_INFINITY;
        const after = r === 0 ? MARGIN : ys[r - 1] + pitch;
        ys.push(desired === Number.POSITIVE_INFINITY ? after : Math.max(after, Math.round(desired)));
      }
      const last = MARGIN + (rows - 1) * pitch;
      if (ys[count - 1] > last) {
        ys[count - 1] = last;
        for (let r = count - 2; r >= 0; r--) ys[r] = Math.min(ys[r], ys[r + 1] - pitch);
      }
    }
    const x = columns.length > 1 ? MARGIN + c * gap : Math.max(MARGIN, (width - m.nodeW) / 2);
    shown.forEach((index, r) => {
      const agent = agentAt.get(index)!;
      const replicas = agent.processes > 1 || agent.replicas > 1;
      const health = `${agent.live} of ${agent.processes} live`;
      const sub = compact ? (replicas ? `×${agent.processes}` : agent.live < agent.processes ? 'down' : '') : health;
      const subChars = compact ? sub.length : 0;
      const nameChars = Math.floor((m.nodeW - 14 - (subChars ? subChars * SMALL_CHAR_W + 6 : 0)) / CHAR_W);
      const box: NodeBox = {
        key: `a${index}`, x, y: ys[r], w: m.nodeW, h: m.nodeH, label: fit(agent.name, nameChars), sub, fullName: agent.name,
        color: agentColor(index), agents: [index], group: false,
        title: `agent ${agent.name}: ${agent.live} of ${agent.processes} processes live${replicas ? ` (${agent.replicas} replicas at boot)` : ''}`,
      };
      nodes.push(box);
      boxOf.set(index, box);
      yOf.set(index, box.y + box.h / 2);
    });
    if (rest.length) {
      grouped += rest.length;
      const names = rest.map((index) => agentAt.get(index)!.name);
      const box: NodeBox = {
        key: `g${c}`, x, y: ys[shown.length], w: m.nodeW, h: m.nodeH,
        label: fit(`${rest.length} more agents`, Math.floor((m.nodeW - 14) / CHAR_W)), sub: compact ? '' : 'quietest in the window', fullName: `${rest.length} more agents`,
        color: 'var(--text-muted)', agents: rest, group: true,
        title: `group of the ${rest.length} quietest agents in this column: ${names.slice(0, 40).join(', ')}${names.length > 40 ? ` and ${names.length - 40} more` : ''}`,
      };
      nodes.push(box);
      for (const index of rest) { boxOf.set(index, box); yOf.set(index, box.y + box.h / 2); }
    }
  });

  // Edges: channels between the same two boxes merge when a group is involved or there are many.
  const pairs = new Map<string, IpcChannel[]>();
  for (const channel of view.channels) {
    const from = boxOf.get(channel.from), to = boxOf.get(channel.to);
    if (!from || !to) continue;
    const key = `${from.key}>${to.key}`;
    const list = pairs.get(key) ?? [];
    list.push(channel);
    pairs.set(key, list);
  }
  let candidates: { channels: IpcChannel[]; merged: boolean; nth: number }[] = [];
  for (const list of pairs.values()) {
    const from = boxOf.get(list[0].from)!, to = boxOf.get(list[0].to)!;
    if (from.group || to.group || list.length > PARALLEL_EDGES_MAX) candidates.push({ channels: list, merged: true, nth: 0 });
    else list.forEach((channel, nth) => candidates.push({ channels: [channel], merged: false, nth }));
  }
  const rateOf = (channels: IpcChannel[]) => channels.reduce((sum, channel) => sum + channel.ratePerMs, 0);
  let edgesOmitted = 0;
  if (candidates.length > GRAPH_EDGES_MAX) {
    const busiest = candidates.map((candidate, order) => ({ candidate, order, rate: rateOf(candidate.channels) }))
      .sort((x, y) => y.rate - x.rate || x.order - y.order).slice(0, GRAPH_EDGES_MAX).sort((x, y) => x.order - y.order);
    edgesOmitted = candidates.length - GRAPH_EDGES_MAX;
    candidates = busiest.map((entry) => entry.candidate);
  }

  const edges: EdgeShape[] = [];
  const curves: number[][] = [];
  let bottom = MARGIN + rows * pitch;
  for (const { channels, merged, nth } of candidates) {
    const from = boxOf.get(channels[0].from)!, to = boxOf.get(channels[0].to)!;
    const offset = nth * (compact ? 5 : 8);
    let p: number[];
    if (to.x > from.x) {
      const x1 = from.x + from.w, y1 = from.y + from.h / 2 + offset, x2 = to.x, y2 = to.y + to.h / 2 + offset;
      const mx = (x1 + x2) / 2;
      p = [x1, y1, mx, y1, mx, y2, x2, y2];
    } else if (to.x === from.x && to !== from) {
      // Within a column: a bow out to the right.
      const x = from.x + from.w, y1 = from.y + from.h / 2 + offset, y2 = to.y + to.h / 2 + offset;
      const bow = 36 + Math.min(60, Math.abs(y2 - y1) / 6);
      p = [x, y1, x + bow, y1, x + bow, y2, x, y2];
    } else {
      // Back edge or self-loop: an arc under the boxes.
      const x1 = from.x + from.w / 2 + 10, y1 = from.y + from.h, x2 = to.x + to.w / 2 - 10, y2 = to.y + to.h;
      const dip = Math.max(y1, y2) + 26 + offset * 2;
      p = [x1, y1, x1 + 30, dip, x2 - 30, dip, x2, y2];
      bottom = Math.max(bottom, dip);
    }
    const ratePerMs = rateOf(channels);
    const queued = channels.reduce((sum, channel) => sum + channel.queued + channel.inFlight, 0);
    const capacity = channels.reduce((sum, channel) => sum + channel.capacity, 0);
    const fill = Math.max(...channels.map((channel) => channel.fill));
    const dropped = channels.reduce((sum, channel) => sum + channel.dropped, 0);
    const title = merged
      ? `${plural(channels.length, 'channel')} from ${from.fullName} to ${to.fullName}: ${formatRate(ratePerMs)} messages per ms in total, queues ${queued} of ${capacity}, ${dropped} dropped`
      : `channel ${channels[0].name}: ${formatRate(ratePerMs)} messages per ms, queue ${queued} of ${capacity}, ${dropped} dropped`;
    edges.push({
      key: merged ? `m${from.key}>${to.key}` : `c${channels[0].index}`, channels, from, to, merged, title, ratePerMs, fill, dropped,
      path: `M${p[0]},${p[1]} C${p[2]},${p[3]} ${p[4]},${p[5]} ${p[6]},${p[7]}`,
    });
    curves.push(p);
  }

  const { hidden: labelsHidden, bottom: labelsBottom } = placeLabels(edges, curves, nodes, compact, m.labelH);
  bottom = Math.max(bottom, labelsBottom);

  const right = Math.max(width, ...nodes.map((node) => node.x + node.w + MARGIN), ...curves.map((p) => Math.max(p[2], p[4]) + MARGIN));
  return {
    nodes, edges, width: right, height: bottom + MARGIN, compact, nodeW: m.nodeW, nodeH: m.nodeH,
    grouped, edgesOmitted, labelsHidden, columnsFolded,
  };
}
