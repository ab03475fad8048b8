// A small evolve plan on a tiny spec (fast trials), for the loop and CLI tests.
const SPEC = `agentos: 1
name: tiny
cluster: { nodes: 3 }
agents:
  source: { node: n0, program: producer, args: { count: 50, every: 100us } }
  worker: { replicas: 1, node: any, program: consumer }
channels:
  - { from: source.out, to: worker.in, capacity: 16 }
supervisors:
  pool: { strategy: one_for_one, intensity: 1, period: 1s, children: [worker] }
`;

export const planText = (extra: { seed?: number; pool?: number; suiteMax?: number; forge?: number; add?: number } = {}) => `agentos-evolve: 1
name: loop test
spec: |
${SPEC.split('\n').map((line) => (line ? `  ${line}` : line)).join('\n')}
seeds: [1, 2]
stop: { events: 400 }
seed: ${extra.seed ?? 11}
generations: 4
score: agents.worker.received
pass: 40
blue:
  pool: ${extra.pool ?? 5}
  genes:
    agents.worker.replicas: [1, 2, 3]
    channels.0.capacity: { from: 4, to: 64 }
    supervisors.pool.period: { from: 10ms, to: 2s }
red:
  suite: 2
  forge: ${extra.forge ?? 5}
  add: ${extra.add ?? 2}
  suite-max: ${extra.suiteMax ?? 6}
  budget: 3
  nodes: [n1, n2]
  at: 1ms..50ms
  lasting: 1ms..20ms
  loss: [0, 1%]
  load:
    agents.source.args.every: [100us, 50us]
`;

