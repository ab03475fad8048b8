// Specs with many agents, for the IPC view and graph at scale (no example has more than a few
// agents; the swarm's thousand processes are replicas of one).

const pad = (n: number) => String(n).padStart(2, '0');

function gather(name: string, ins: number, work: string): string {
  const recvs = Array.from({ length: ins }, (_, i) => `          - recv: in${i}\n`).join('');
  return `  ${name}:\n    program:\n      - repeat: forever\n        do:\n${recvs}          - compute: ${work}\n          - send: { port: out, size: 64B }\n`;
}

/**
 * 40 agents, 60 channels, seven columns: 2 sources -> 2 routers -> 24 workers (2 replicas each)
 * -> 6 aggregators -> 3 mergers -> join -> sink, plus an idle monitor with no channel.
 */
export function fortyAgentsSpec(): string {
  let agents = '';
  const channels: string[] = [];
  for (const side of ['a', 'b']) {
    agents += `  source-${side}:\n    program: producer\n    args: { every: 20us..60us }\n`;
    agents += `  split-${side}:\n    program: router\n    args: { outs: [${Array.from({ length: 12 }, (_, i) => `o${i}`).join(', ')}], work: 5us }\n`;
    channels.push(`{ from: source-${side}.out, to: split-${side}.in, capacity: 64 }`);
  }
  for (let w = 0; w < 24; w++) {
    agents += `  worker-${pad(w)}:\n    replicas: 2\n    program: worker\n    args: { in: in, out: out, work: 50us..250us }\n`;
    channels.push(`{ from: split-${w < 12 ? 'a' : 'b'}.o${w % 12}, to: worker-${pad(w)}.in, capacity: 16 }`);
    channels.push(`{ from: worker-${pad(w)}.out, to: aggregate-${Math.floor(w / 4)}.in${w % 4}, capacity: 16 }`);
  }
  for (let a = 0; a < 6; a++) {
    agents += gather(`aggregate-${a}`, 4, '10us');
    channels.push(`{ from: aggregate-${a}.out, to: merge-${Math.floor(a / 2)}.in${a % 2}, capacity: 32 }`);
  }
  for (let m = 0; m < 3; m++) {
    agents += gather(`merge-${m}`, 2, '10us');
    channels.push(`{ from: merge-${m}.out, to: join.in${m}, capacity: 32 }`);
  }
  agents += gather('join', 3, '10us');
  agents += `  sink:\n    program: consumer\n    args: { work: 5us }\n`;
  agents += `  monitor:\n    program: idle\n    args: { period: 5ms }\n`;
  channels.push('{ from: join.out, to: sink.in, capacity: 64 }');
  return `agentos: 1\nname: forty-agents\nseed: 7\nkernel:\n  scheduler: fair\n  quantum: 200us\n  memory: 16MiB\nagents:\n${agents}channels:\n${channels.map((c) => `  - ${c}\n`).join('')}`;
}

/** 242 agents (near AGENTS_MAX): a source, a root router, 16 routers, 224 consumers, 241 channels. */
export function twoHundredAgentsSpec(): string {
  let agents = `  source:\n    program: producer\n    args: { every: 5us..15us }\n`;
  agents += `  root:\n    program: router\n    args: { outs: [${Array.from({ length: 16 }, (_, i) => `o${i}`).join(', ')}], work: 1us }\n`;
  const channels = ['{ from: source.out, to: root.in, capacity: 64 }'];
  for (let r = 0; r < 16; r++) {
    agents += `  route-${pad(r)}:\n    program: router\n    args: { outs: [${Array.from({ length: 14 }, (_, i) => `o${i}`).join(', ')}], work: 1us }\n`;
    channels.push(`{ from: root.o${r}, to: route-${pad(r)}.in, capacity: 32 }`);
    for (let c = 0; c < 14; c++) {
      agents += `  leaf-${pad(r)}-${pad(c)}:\n    program: consumer\n    args: { work: ${20 + r * 14 + c}us }\n`;
      channels.push(`{ from: route-${pad(r)}.o${c}, to: leaf-${pad(r)}-${pad(c)}.in, capacity: 8 }`);
    }
  }
  return `agentos: 1\nname: two-hundred-agents\nseed: 11\nkernel:\n  scheduler: fair\n  quantum: 200us\n  memory: 64MiB\nagents:\n${agents}channels:\n${channels.map((c) => `  - ${c}\n`).join('')}`;
}
