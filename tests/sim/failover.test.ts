// Failover on a node crash (issue 13, cluster.failover: on): a crashed node's processes that
// would restart move to a live node that offers what they require and restart there, as their
// restart policy or supervisor decides; pinned ones, or ones no live node fits, say why and wait.
// Property: over generated clusters, no process ever runs on a crashed node, the invariants hold
// after every event, and the run replays identically (SEED= printed on failure).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { kernelFor } from '../helpers/kernel';
import { events } from '../helpers/queries';
import { UnplacedWhy } from '../../src/kernel/events';
import { Status } from '../../src/kernel/state';
import { checkInvariants } from '../../src/kernel/invariants';
import { eventText } from '../../src/worker/event-text';
import { parseSpec } from '../../src/spec';
import type { Kernel } from '../../src/kernel/kernel';

const CLUSTER = (failover: string) => `agentos: 1
seed: 2
cluster:
  nodes: 3
  failover: ${failover}
  capabilities: { n1: [gpu], n2: [gpu] }
  faults:
    - { at: 10ms, crash: n1 }
    - { at: 60ms, recover: n1 }
agents:
  trainer: { requires: [gpu], restart: always, program: cpu-hog, args: { count: 1000, slice: 1ms } }
  web: { replicas: 3, restart: on-failure, program: idle }
  pinned: { node: n1, restart: always, program: idle }
  once: { node: any, replicas: 2, restart: never, program: idle }
`;

/** After every event: no process that is running, runnable or blocked sits on a node that is down. */
function runChecked(kernel: Kernel, events: number, where: string): void {
  const { state } = kernel.machine;
  while (kernel.cursor < events) {
    const before = kernel.cursor;
    kernel.run({ events: kernel.cursor + 1 });
    if (kernel.cursor === before) break;
    checkInvariants(kernel.ctx, state);
    for (let pid = 0; pid < state.scalars[1]; pid++) {
      const status = state.procStatus[pid];
      if ((status === Status.running || status === Status.runnable || status === Status.blocked || status === Status.paused) && !state.nodeUp[state.procNode[pid]]) {
        throw new Error(`${where}: pid ${pid} is ${status} on n${state.procNode[pid]}, which is down, after event ${kernel.cursor - 1}`);
      }
    }
  }
}

describe('failover on a node crash', () => {
  it('moves what would restart to a live node that fits, with the reason; pinned ones wait, saying why', async () => {
    const kernel = await kernelFor(CLUSTER('on'));
    runChecked(kernel, 3000, 'CLUSTER');
    const { state } = kernel.machine;
    const crash = events(kernel, 'node/crashed')[0];
    const moved = events(kernel, 'process/migrated');
    const agentOf = (pid: number) => kernel.spec.agents[state.procAgent[pid]].name;
    // The trainer (requires gpu) goes to n2, the only other gpu node; web goes to the least loaded live node.
    const trainer = moved.find((event) => agentOf(event.pid) === 'trainer')!;
    expect([trainer.from, trainer.to, trainer.cause]).toEqual([1, 2, crash.seq]);
    expect(moved.every((event) => event.from === 1 && event.to !== 1 && event.seq > crash.seq)).toBe(true);
    expect(moved.map((event) => agentOf(event.pid)).sort()).toEqual(['trainer', 'web']);
    expect(eventText(kernel, trainer.seq)).toMatch(/^failed over from n1 \(crashed\) to n2: n2 offers gpu and had the fewest runnable processes \(\d+\) of the live nodes that do; it restarts there as its restart policy says$/);
    // Each moved process restarted there, before n1 came back.
    for (const move of moved) {
      const restart = events(kernel, 'process/restarted').find((event) => event.pid === move.pid && event.seq > move.seq)!;
      expect(restart.node).toBe(move.to);
      expect(restart.tick).toBeLessThan(60_000);
    }
    const unplaced = events(kernel, 'process/unplaced');
    expect(unplaced.map((event) => [agentOf(event.pid), event.why])).toEqual([['pinned', UnplacedWhy.pinned]]);
    expect(eventText(kernel, unplaced[0].seq)).toBe('cannot fail over from n1: pinned[0] is pinned there (node: n1); it restarts when n1 recovers');
    // The temporary process on n1 ('once', restart never) neither moved nor waits.
    const onceOnN1 = [...Array(state.scalars[1]).keys()].filter((pid) => agentOf(pid) === 'once' && state.procNode[pid] === 1);
    for (const pid of onceOnN1) expect(state.procStatus[pid]).toBe(Status.failed);
    // The pinned one restarted (node/recovered restarts it) on n1.
    const recovered = events(kernel, 'node/recovered')[0];
    expect(recovered).toBeDefined();
    expect(state.procNode[unplaced[0].pid]).toBe(1);
    expect(state.procStatus[unplaced[0].pid]).not.toBe(Status.failed);
    expect(state.procRestarts[unplaced[0].pid]).toBe(1);
  });

  it('off (the default): nothing moves, they restart when the node recovers (journals unchanged)', async () => {
    const off = await kernelFor(CLUSTER('off'));
    off.run({ events: 3000 });
    expect(events(off, 'process/migrated')).toEqual([]);
    const plain = await kernelFor(CLUSTER('off').replace('  failover: off\n', ''));
    plain.run({ events: 3000 });
    expect(plain.stateHash()).toBe(off.stateHash());
  });

  it('no live node offers the requirement: process/unplaced says which are down', async () => {
    const text = CLUSTER('on').replace('    - { at: 60ms, recover: n1 }', '    - { at: 5ms, crash: n2 }\n    - { at: 60ms, recover: n1 }');
    const kernel = await kernelFor(text);
    runChecked(kernel, 3000, 'both gpu nodes down');
    const trainer = events(kernel, 'process/unplaced').find((event) => kernel.spec.agents[kernel.machine.state.procAgent[event.pid]].name === 'trainer')!;
    expect(trainer.why).toBe(UnplacedWhy.noCapableNode);
    expect(eventText(kernel, trainer.seq)).toBe('cannot fail over from n1: it requires gpu, and n2 is down too; it restarts when n1 recovers');
  });

  it('a supervisor restarts its moved children by its strategy, once for the whole crash', async () => {
    const text = `agentos: 1
cluster: { nodes: 2, failover: on, faults: [{ at: 10ms, crash: n0 }] }
supervisors:
  app: { strategy: one_for_all, intensity: 1, period: 1s, backoff: 0us, children: [a, b] }
agents:
  a: { node: any, replicas: 2, program: idle }
  b: { node: any, replicas: 2, program: idle }
`;
    const kernel = await kernelFor(text);
    runChecked(kernel, 500, 'supervised');
    const moved = events(kernel, 'process/migrated');
    expect(moved.length).toBe(2);
    const decisions = events(kernel, 'supervisor/restarting');
    expect(decisions).toHaveLength(1);
    expect(events(kernel, 'supervisor/gaveUp')).toEqual([]);
    // one_for_all: all four restart, the moved two on n1.
    const restarts = events(kernel, 'process/restarted').filter((event) => event.cause === decisions[0].seq);
    expect(restarts.map((event) => event.pid).sort()).toEqual([0, 1, 2, 3]);
    expect(restarts.every((event) => event.node === 1)).toBe(true);
    expect(eventText(kernel, moved[0].seq)).toMatch(/as its supervisor decides$/);
  });

  it('spec errors at line:column', () => {
    const result = parseSpec(CLUSTER('maybe'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(`${result.errors[0].line}:${result.errors[0].column} ${result.errors[0].message}`).toMatch(/^5:13 expected on or off/);
  });
});

/** A generated cluster: nodes, capabilities, agents requiring some, crashes and recoveries, maybe a supervisor. */
const clusterSpec = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  nodes: fc.integer({ min: 2, max: 4 }),
  gpuNodes: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  agents: fc.array(fc.record({
    replicas: fc.integer({ min: 1, max: 3 }),
    gpu: fc.boolean(),
    restart: fc.constantFrom('never', 'on-failure', 'always'),
    program: fc.constantFrom('idle', 'cpu-hog', 'worker'),
  }), { minLength: 1, maxLength: 4 }),
  crashes: fc.array(fc.record({ node: fc.integer({ min: 0, max: 3 }), at: fc.integer({ min: 1, max: 40 }), down: fc.integer({ min: 1, max: 40 }) }), { minLength: 1, maxLength: 3 }),
  supervised: fc.constantFrom('none', 'one_for_one', 'one_for_all', 'rest_for_one'),
}).map((c) => {
  const gpu = c.gpuNodes.slice(0, c.nodes);
  if (!gpu.some(Boolean)) gpu[0] = true;
  const offered = gpu.map((on, node) => (on ? `n${node}: [gpu]` : '')).filter(Boolean).join(', ');
  const faults = c.crashes.map((crash) => ({ node: crash.node % c.nodes, at: crash.at, until: crash.at + crash.down }));
  const lines = ['agentos: 1', `seed: ${c.seed}`, 'cluster:', `  nodes: ${c.nodes}`, '  failover: on', `  capabilities: { ${offered} }`, '  faults:'];
  for (const fault of faults) lines.push(`    - { at: ${fault.at}ms, crash: n${fault.node} }`, `    - { at: ${fault.until}ms, recover: n${fault.node} }`);
  if (c.supervised !== 'none') lines.push('supervisors:', `  top: { strategy: ${c.supervised}, intensity: 50, period: 100ms, children: [${c.agents.map((_, i) => `a${i}`).join(', ')}] }`);
  lines.push('agents:');
  c.agents.forEach((agent, i) => {
    const restart = c.supervised !== 'none' && agent.restart === 'never' ? 'transient' : agent.restart;
    const args = agent.program === 'cpu-hog' ? ', args: { count: 200, slice: 500us }' : agent.program === 'worker' ? ', args: { jobs: 100, work: 200us, think: 300us }' : '';
    lines.push(`  a${i}: { replicas: ${agent.replicas}, restart: ${restart}${agent.gpu ? ', requires: [gpu]' : ''}, program: ${agent.program}${args} }`);
  });
  return lines.join('\n') + '\n';
});

describe('failover, generated clusters', () => {
  it('no process ever runs on a crashed node; invariants after every event; the same journal twice', async () => {
    let moves = 0, waits = 0;
    await fc.assert(fc.asyncProperty(clusterSpec, async (text) => {
      const parsed = parseSpec(text);
      if (!parsed.ok) throw new Error(`generated spec does not parse: ${parsed.errors[0].message}\n${text}`);
      const a = await kernelFor(text);
      try {
        runChecked(a, 1500, 'generated');
      } catch (error) {
        console.error(`SEED (spec below)\n${text}`);
        throw error;
      }
      moves += events(a, 'process/migrated').length;
      waits += events(a, 'process/unplaced').length;
      const b = await kernelFor(text);
      b.run({ events: a.cursor });
      expect(b.stateHash(), text).toBe(a.stateHash());
      const middle = a.cursor >> 1;
      a.seek(middle);
      const c = await kernelFor(text);
      c.run({ events: middle });
      expect(a.stateHash(), text).toBe(c.stateHash());
    }), { numRuns: 15, seed: 2026, verbose: true });
    expect(moves).toBeGreaterThan(5);
    expect(waits).toBeGreaterThan(0);
  }, 60_000);
});
