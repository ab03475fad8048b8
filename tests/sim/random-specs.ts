// Random spec texts for simulation tests: a few agents with random step programs wired by
// channels, sometimes several nodes with faults, shared objects and resources. Deterministic
// from a seed.
import { testRandom } from '../helpers/kernel';

export function randomSpec(seed: number): string {
  const random = testRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

  const agentCount = int(1, 5);
  const nodes = pick([1, 1, 2, 3]);
  const names = Array.from({ length: agentCount }, (_, i) => `a${i}`);
  const channels: { from: number; to: number; port: string; capacity: number; rate: boolean }[] = [];
  const channelCount = agentCount > 1 ? int(0, agentCount) : 0;
  for (let i = 0; i < channelCount; i++) {
    const from = int(0, agentCount - 1);
    let to = int(0, agentCount - 1);
    if (to === from) to = (from + 1) % agentCount;
    channels.push({ from, to, port: `c${i}`, capacity: int(1, 8), rate: random() < 0.2 });
  }
  const hasResource = random() < 0.3;
  const hasShared = random() < 0.5;

  const step = (agent: number, depth: number): string[] => {
    const indent = '  '.repeat(3 + depth * 2);
    const kinds = ['compute', 'compute', 'sleep', 'io', 'alloc', 'free', 'fail', 'write', 'read'];
    if (depth < 2) kinds.push('repeat', 'choose');
    if (hasResource) kinds.push('bid', 'release');
    if (hasShared) kinds.push('crdt', 'crdt');
    const kind = pick(kinds);
    switch (kind) {
      case 'compute': return [`${indent}- compute: ${int(1, 300)}us..${int(300, 900)}us`];
      case 'sleep': return [`${indent}- sleep: ${int(1, 500)}us`];
      case 'io': return [`${indent}- io: ${int(1, 200)}us..${int(200, 400)}us`];
      case 'alloc': return [`${indent}- alloc: { size: ${pick(['64B', '1KiB', '4KiB', '32KiB'])}, as: ${pick(['x', 'y'])} }`];
      case 'free': return [`${indent}- alloc: { size: 512B, as: z }`, `${indent}- free: z`];
      case 'fail': return [`${indent}- fail: ${pick(['0.001', '0.01', '0'])}`];
      case 'write': return [`${indent}- write: { path: /f${int(0, 2)}, size: ${int(1, 100)}B }`];
      case 'read': return [`${indent}- read: { path: /f${int(0, 2)} }`];
      case 'bid': return [`${indent}- bid: { resource: pool, units: ${int(1, 2)}, price: ${int(1, 50)}, timeout: ${int(1, 5)}ms }`, `${indent}- compute: 100us`, `${indent}- release: pool`];
      case 'release': return [`${indent}- release: pool`];
      case 'crdt': return [pick([
        `${indent}- crdt: { object: hits, op: inc }`,
        `${indent}- crdt: { object: hits, op: dec, by: 2 }`,
        `${indent}- crdt: { object: log, op: insert, at: end, text: "{agent}{replica};" }`,
        `${indent}- crdt: { object: log, op: delete, at: ${int(0, 5)}, count: ${int(1, 3)} }`,
        `${indent}- crdt: { object: seen, op: add, element: "{node}-{pid}" }`,
        `${indent}- crdt: { object: seen, op: remove, element: "n0-${int(0, 3)}" }`,
        `${indent}- crdt: { object: config, op: set, key: "k${int(0, 3)}", value: "{agent}" }`,
        `${indent}- crdt: { object: total, op: inc, by: ${int(1, 9)} }`,
        `${indent}- crdt: { object: leader, op: set, value: "{pid}" }`,
        `${indent}- crdt: { object: load, op: append, value: ${int(-5, 50)} }`,
        `${indent}- crdt: { object: links, op: add-edge, from: "{node}", to: "v${int(0, 3)}" }`,
        `${indent}- crdt: { object: links, op: remove-vertex, vertex: "v${int(0, 3)}" }`,
        `${indent}- crdt: { object: jobs, op: transition, task: "t${int(0, 3)}", state: ${pick(['todo', 'doing', 'done'])} }`,
      ])];
      case 'repeat': {
        const body = Array.from({ length: int(1, 3) }, () => step(agent, depth + 1)).flat();
        return [`${indent}- repeat: ${int(1, 4)}`, `${indent}  do:`, ...body.map((line) => '  ' + line)];
      }
      case 'choose': {
        const lines = [`${indent}- choose:`];
        for (let b = 0; b < int(2, 3); b++) {
          lines.push(`${indent}    - weight: ${int(1, 5)}`, `${indent}      do:`);
          lines.push(...step(agent, depth + 1).map((line) => '    ' + line));
        }
        return lines;
      }
    }
    return [];
  };

  const lines = ['agentos: 1', `name: random-${seed}`, `seed: ${seed >>> 0}`, 'kernel:',
    `  scheduler: ${pick(['round-robin', 'priority', 'fair', 'eevdf'])}`, `  quantum: ${int(50, 2000)}us`,
    `  memory: ${pick(['1MiB', '4MiB'])}`, `  allocator: ${pick(['tlsf', 'buddy'])}`];
  if (nodes > 1) {
    lines.push('cluster:', `  nodes: ${nodes}`, `  latency: ${int(0, 100)}us..${int(100, 900)}us`, `  loss: ${pick(['0', '0.05'])}`);
    if (random() < 0.6) {
      lines.push('  faults:', `    - { at: ${int(1, 20)}ms, partition: [[n0], [${Array.from({ length: nodes - 1 }, (_, i) => `n${i + 1}`).join(', ')}]] }`, `    - { at: ${int(21, 40)}ms, heal: all }`);
      if (random() < 0.5) lines.push(`    - { at: ${int(5, 30)}ms, crash: n${nodes - 1} }`, `    - { at: ${int(31, 60)}ms, recover: n${nodes - 1} }`);
    }
  }
  lines.push('agents:');
  names.forEach((name, agent) => {
    lines.push(`  ${name}:`, `    replicas: ${int(1, 3)}`, `    priority: ${int(-5, 5)}`, `    memory: ${pick(['64KiB', '256KiB', '1MiB'])}`,
      `    restart: ${pick(['never', 'on-failure', 'always'])}`);
    if (nodes > 1) lines.push(`    node: ${pick(['any', 'n0', `n${nodes - 1}`])}`);
    lines.push('    program:', '      - repeat: ' + pick(['forever', String(int(1, 30))]), '        do:');
    const body: string[] = [];
    for (const channel of channels) {
      if (channel.from === agent) body.push(`          - send: { port: ${channel.port}, size: 64B${random() < 0.3 ? ', timeout: 2ms' : ''} }`);
      if (channel.to === agent) body.push(`          - recv: { port: ${channel.port}${random() < 0.5 ? `, timeout: ${int(1, 5)}ms` : ''} }`);
    }
    const extra = int(1, 4);
    for (let i = 0; i < extra; i++) body.push(...step(agent, 0).map((line) => line.replace(/^ {6}/, '          ')));
    lines.push(...body);
  });
  if (channels.length) {
    lines.push('channels:');
    for (const channel of channels) {
      lines.push(`  - { from: ${names[channel.from]}.${channel.port}, to: ${names[channel.to]}.${channel.port}, capacity: ${channel.capacity}${channel.rate ? ', rate: 5/ms' : ''} }`);
    }
  }
  if (hasResource) lines.push('resources:', '  pool: { units: 2 }');
  if (hasShared) lines.push('shared:', '  hits: { type: pn-counter }', '  log: { type: text }', '  seen: { type: or-set }', '  config: { type: lww-map }',
    '  total: { type: g-counter }', '  leader: { type: lww-register }', '  load: { type: time-series }', '  links: { type: graph }',
    '  jobs: { type: workflow, states: [todo, doing, done] }');
  return lines.join('\n') + '\n';
}
