// Placement by capability and load: nodes offer `capabilities`, agents `requires` them; an
// unsatisfiable placement is a spec error at its line:column; boot and spawn pick the least
// loaded qualifying node, and the spawned event says why.
import { describe, expect, it } from 'vitest';
import { kernelFor } from '../helpers/kernel';
import { EventCode as E } from '../../src/kernel/events';
import { Scalar } from '../../src/kernel/state';
import { formatSpecError, parseSpec } from '../../src/spec/parse';
import { eventText } from '../../src/worker/event-text';

const errors = (text: string) => {
  const result = parseSpec(text);
  return result.ok ? [] : result.errors.map(formatSpecError);
};

describe('unsatisfiable placement is a spec error', () => {
  const cluster = 'agentos: 1\ncluster: { nodes: 3, capabilities: { n1: [gpu], n2: [gpu, fast] } }\nagents:\n';
  it.each([
    ['  a: { program: idle, requires: [tpu] }', 'agents.a.requires[0]: no node offers capability "tpu" (did you mean "gpu"?); cluster.capabilities offers gpu, fast, so this agent cannot be placed at 4:34'],
    ['  a: { program: idle, requires: [gpu, fast], node: n1 }', 'agents.a.node: node n1 does not offer fast, which this agent requires; n2 does, or write node: any at 4:52'],
    ['  a: { program: idle, requires: [fast, gpu, fast] }', 'agents.a.requires[2]: capability "fast" is listed twice at 4:45'],
  ])('%s', (agent, message) => {
    expect(errors(cluster + agent)).toEqual([message]);
  });

  it('no capabilities at all', () => {
    expect(errors('agentos: 1\nagents:\n  a: { program: idle, requires: [gpu] }\n')).toEqual(['agents.a.requires[0]: no node offers capability "gpu"; cluster.capabilities names none, so this agent cannot be placed at 3:34']);
  });

  it('a node outside the cluster', () => {
    expect(errors('agentos: 1\ncluster: { nodes: 2, capabilities: { n5: [gpu] } }\nagents:\n  a: { program: idle }\n')).toEqual(['cluster.capabilities.n5: expected a node n0..n1 (the cluster has 2 nodes) at 2:38']);
  });
});

describe('placement by capability and load', () => {
  const spec = `agentos: 1
cluster: { nodes: 4, capabilities: { n1: [gpu], n2: [gpu], n3: [gpu] } }
agents:
  plain: { replicas: 4, program: idle }
  trainer:
    replicas: 5
    requires: [gpu]
    program:
      - spawn: helper
      - sleep: 1ms
  helper:
    replicas: 0
    requires: [gpu]
    program: [ { sleep: 50ms } ]
`;
  it('boots on the qualifying nodes with the fewest processes, spawns on the least loaded, and says why', async () => {
    const kernel = await kernelFor(spec);
    kernel.run({ events: 400 });
    const { state } = kernel.machine;
    const nodes = (agent: number) => Array.from({ length: state.scalars[Scalar.nextPid] }, (_, pid) => pid).filter((pid) => state.procAgent[pid] === agent).map((pid) => state.procNode[pid]);
    // plain: round-robin n0..n3 (unchanged); trainer: n1, n2, n3 have one plain each, then by load.
    expect(nodes(0)).toEqual([0, 1, 2, 3]);
    expect(nodes(1)).toEqual([1, 2, 3, 1, 2]);
    const helpers = nodes(2);
    expect(helpers).toHaveLength(5);
    for (const node of helpers) expect(node).not.toBe(0);
    const journal = kernel.machine.journal;
    let first = -1;
    for (let seq = 0; seq < journal.length && first < 0; seq++) if (journal.type(seq) === E['process/spawned'] && journal.a(seq) === 1) first = seq;
    expect(eventText(kernel, first)).toBe('spawned trainer[0] on n1 (requires gpu, offered by n1, n2, n3; the least loaded)');
  });
});
