// The IPC graph's layout (src/ui/panels/ipc-layout.ts) and the worker view it draws
// (src/worker/ipc-views.ts) at scale: boxes never overlap and their texts fit, labels overlap no box
// and no other label, what is drawn stays under the stated caps with every agent accounted for,
// replicas are one box, the same view gives the same layout, and the view itself is bounded.
import { describe, expect, it } from 'vitest';
import { kernelFor } from '../helpers/kernel';
import { fortyAgentsSpec, twoHundredAgentsSpec } from '../helpers/many-agents';
import { agentColumns, ipcView } from '../../src/worker/ipc-views';
import { EventCode } from '../../src/kernel/events';
import { IPC_AGENTS_MAX, IPC_CHANNELS_MAX, type IpcView } from '../../src/worker/api';
import { CHAR_W, COLUMN_ROWS_MAX, GRAPH_EDGES_MAX, GRAPH_NODES_MAX, layoutIpc, rowsCapFor, type GraphLayout } from '../../src/ui/panels/ipc-layout';

interface Rect { x: number; y: number; w: number; h: number }
const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function checkGeometry(layout: GraphLayout) {
  const boxes = layout.nodes;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    expect(overlaps(boxes[i], boxes[j]), `${boxes[i].fullName} / ${boxes[j].fullName}`).toBe(false);
  }
  for (const box of boxes) {
    // The name (and the count right of it in a compact box) fit in the box at 0.6 em a character.
    const used = 10 + box.label.length * CHAR_W + (layout.compact && box.sub ? box.sub.length * 5.5 + 6 : 0);
    expect(used, box.fullName).toBeLessThanOrEqual(box.w);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.h).toBeLessThanOrEqual(layout.height);
  }
  const labels = layout.edges.filter((edge) => edge.label).map((edge) => ({ x: edge.label!.x - 24, y: edge.label!.y - 10, w: 48, h: 18, name: edge.key }));
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) expect(overlaps(labels[i], labels[j]), `${labels[i].name} / ${labels[j].name}`).toBe(false);
    for (const box of boxes) expect(overlaps(labels[i], box), `${labels[i].name} on ${box.fullName}`).toBe(false);
  }
  expect(labels.length + layout.labelsHidden).toBe(layout.edges.length);
}

async function viewOf(text: string, events: number): Promise<IpcView> {
  const kernel = await kernelFor(text);
  kernel.run({ events });
  return ipcView(kernel, 10);
}

describe('IPC graph layout at scale', () => {
  it('40 agents: every agent its own box, none overlapping, replicas as one box with a count; deterministic', async () => {
    const view = await viewOf(fortyAgentsSpec(), 30_000);
    expect(view.agents.length).toBe(40);
    expect(view.channels.length).toBe(60);
    const layout = layoutIpc(view, 640);
    expect(layout.compact).toBe(true);
    expect(layout.nodes.length).toBe(40);
    expect(layout.grouped).toBe(0);
    expect(layout.edges.length).toBe(60);
    checkGeometry(layout);
    const worker = layout.nodes.find((node) => node.fullName === 'worker-07')!;
    expect(worker.sub).toBe('×2');
    // Columns left to right by distance from the sources; the idle monitor, with no input, is a source.
    const x = (name: string) => layout.nodes.find((node) => node.fullName === name)!.x;
    expect(x('source-a')).toBe(x('monitor'));
    expect([x('source-a'), x('split-a'), x('worker-00'), x('aggregate-0'), x('merge-0'), x('join'), x('sink')]).toEqual(
      [x('source-a'), x('split-a'), x('worker-00'), x('aggregate-0'), x('merge-0'), x('join'), x('sink')].slice().sort((p, q) => p - q));
    expect(new Set([x('source-a'), x('split-a'), x('worker-00'), x('aggregate-0'), x('merge-0'), x('join'), x('sink')]).size).toBe(7);
    expect(JSON.stringify(layoutIpc(view, 640))).toBe(JSON.stringify(layout));
  });

  it('242 agents: at most GRAPH_NODES_MAX boxes; the quietest fold into a "more" box and every agent is drawn once', async () => {
    const view = await viewOf(twoHundredAgentsSpec(), 30_000);
    expect(view.agents.length).toBe(242);
    const layout = layoutIpc(view, 640);
    expect(layout.nodes.length).toBeLessThanOrEqual(GRAPH_NODES_MAX);
    const drawn = layout.nodes.flatMap((node) => node.agents).sort((p, q) => p - q);
    expect(drawn).toEqual(view.agents.map((agent) => agent.index));
    const groups = layout.nodes.filter((node) => node.group);
    expect(groups.length).toBe(1);
    expect(layout.grouped).toBe(groups[0].agents.length);
    // The folded ones are the quietest of their column.
    const traffic = new Map(view.agents.map((agent) => [agent.index, agent.windowTraffic]));
    const shownLeaves = layout.nodes.filter((node) => !node.group && node.fullName.startsWith('leaf-'));
    const quietestShown = Math.min(...shownLeaves.map((node) => traffic.get(node.agents[0])!));
    expect(Math.max(...groups[0].agents.map((index) => traffic.get(index)!))).toBeLessThanOrEqual(quietestShown);
    // Channels into the group merge into one edge per source box.
    const intoGroup = layout.edges.filter((edge) => edge.to === groups[0]);
    expect(intoGroup.every((edge) => edge.merged)).toBe(true);
    expect(new Set(intoGroup.map((edge) => edge.from.key)).size).toBe(intoGroup.length);
    expect(layout.edges.length).toBeLessThanOrEqual(GRAPH_EDGES_MAX);
    checkGeometry(layout);
  });

  it('rowsCapFor keeps the boxes of all columns under GRAPH_NODES_MAX', () => {
    expect(rowsCapFor([1, 1, 16, 224])).toBe(COLUMN_ROWS_MAX);
    expect(rowsCapFor([3, 2, 24, 6, 3, 1, 1])).toBe(COLUMN_ROWS_MAX);
    const sizes = Array.from({ length: 16 }, () => 16);
    const cap = rowsCapFor(sizes);
    expect(sizes.reduce((sum, size) => sum + Math.min(size, cap), 0)).toBeLessThanOrEqual(GRAPH_NODES_MAX);
    expect(sizes.reduce((sum, size) => sum + Math.min(size, cap + 1), 0)).toBeGreaterThan(GRAPH_NODES_MAX);
  });

  it('a chain deeper than COLUMNS_MAX folds its deep columns into the last', async () => {
    const agents = Array.from({ length: 30 }, (_, i) => i === 0
      ? `  a00:\n    program: producer\n`
      : `  a${String(i).padStart(2, '0')}:\n    program: ${i === 29 ? 'consumer' : 'mapper'}\n`).join('');
    const channels = Array.from({ length: 29 }, (_, i) => `  - { from: a${String(i).padStart(2, '0')}.out, to: a${String(i + 1).padStart(2, '0')}.in }\n`).join('');
    const view = await viewOf(`agentos: 1\nname: chain\nagents:\n${agents}channels:\n${channels}`, 5_000);
    expect(view.agents.map((agent) => agent.column)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const layout = layoutIpc(view, 640);
    expect(layout.columnsFolded).toBe(14);
    expect(new Set(layout.nodes.map((node) => node.x)).size).toBe(16);
    expect(layout.nodes.flatMap((node) => node.agents).length).toBe(30);
    checkGeometry(layout);
  });
});

describe('ipcView bounds and columns', () => {
  it('agentColumns: breadth-first distance from the sources; a cycle no source reaches gets the next column', () => {
    expect([...agentColumns(4, [[0, 1], [1, 2], [0, 2], [2, 3]])]).toEqual([0, 1, 1, 2]);
    // 0 -> 1 -> 2, and 3 <-> 4 with no source: after the deepest column reached so far.
    expect([...agentColumns(5, [[0, 1], [1, 2], [3, 4], [4, 3]])]).toEqual([0, 1, 2, 3, 4]);
    // Everything in one cycle: agent 0 starts it.
    expect([...agentColumns(3, [[0, 1], [1, 2], [2, 0]])]).toEqual([0, 1, 2]);
    // Self-loops do not make an input.
    expect([...agentColumns(2, [[0, 0], [1, 1]])]).toEqual([0, 0]);
  });

  it('lists at most IPC_CHANNELS_MAX channels, the busiest in the window, and says how many there are', async () => {
    // 18 senders with 16 out ports each, to 18 receivers with 16 in ports: 288 channels, 36 agents.
    const senders = 18, ports = 16;
    let agents = '', channels = '';
    const list = (word: string, step: string) => Array.from({ length: ports }, (_, k) => `          - ${word}: ${step.replace('#', String(k))}\n`).join('');
    for (let i = 0; i < senders; i++) {
      agents += `  s${i}:\n    program:\n      - repeat: forever\n        do:\n          - compute: ${5 + i * 15}us\n${list('send', '{ port: o#, size: 8B }')}`;
      agents += `  r${i}:\n    program:\n      - repeat: forever\n        do:\n${list('recv', 'in#')}`;
      for (let k = 0; k < ports; k++) channels += `  - { from: s${i}.o${k}, to: r${i}.in${k}, capacity: 4 }\n`;
    }
    const kernel = await kernelFor(`agentos: 1\nname: wide\nagents:\n${agents}channels:\n${channels}`);
    kernel.run({ events: 40_000 });
    const view = ipcView(kernel, 10);
    expect(view.channelsTotal).toBe(senders * ports);
    expect(view.channels.length).toBe(IPC_CHANNELS_MAX);
    expect(view.agentsTotal).toBe(2 * senders);
    expect(view.agents.length).toBe(Math.min(2 * senders, IPC_AGENTS_MAX));
    // In spec order, and the busiest: none left out sent more in the window than one listed.
    const indices = view.channels.map((channel) => channel.index);
    expect(indices).toEqual([...indices].sort((p, q) => p - q));
    const journal = kernel.machine.journal;
    const sent = new Array<number>(senders * ports).fill(0);
    const start = Math.max(0, view.tick - 10_000);
    for (let seq = kernel.cursor - 1; seq >= 0 && journal.tick(seq) >= start; seq--) if (journal.type(seq) === EventCode['ipc/sent']) sent[journal.a(seq)]++;
    for (const channel of view.channels) expect(channel.windowSent).toBe(sent[channel.index]);
    const listed = new Set(indices);
    const leftOut = sent.filter((_, index) => !listed.has(index));
    expect(Math.max(...leftOut)).toBeLessThanOrEqual(Math.min(...view.channels.map((channel) => channel.windowSent)));
    expect(new Set(sent).size).toBeGreaterThan(1);
  });
});
