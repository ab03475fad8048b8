// Where processes run. Boot processes of an agent placed `any` go round-robin over the nodes in
// boot order; spawned ones go to the up node with the fewest runnable processes (lowest index on
// ties). An agent that `requires` capabilities goes only to nodes offering them all: at boot the
// one with the fewest processes placed so far, at spawn the up one with the fewest runnable
// (lowest index on ties; the parser refuses a spec where no node qualifies). A channel's queue
// lives on the node of its receiver's first process.
import type { AgentSpec, Spec } from '../spec/types';

export interface BootProcess {
  readonly agent: number;
  readonly replica: number;
  readonly node: number;
}

export function bootPlan(spec: Spec): BootProcess[] {
  const plan: BootProcess[] = [];
  const placed = new Int32Array(spec.cluster.nodeCount);
  for (const agent of spec.agents) {
    const eligible = eligibleNodes(spec, agent);
    for (let replica = 0; replica < agent.replicas; replica++) {
      let node = agent.node === 'any' ? plan.length % spec.cluster.nodeCount : agent.node;
      if (agent.node === 'any' && eligible !== undefined) {
        node = eligible[0];
        for (const candidate of eligible) if (placed[candidate] < placed[node]) node = candidate;
      }
      placed[node]++;
      plan.push({ agent: agent.index, replica, node });
    }
  }
  return plan;
}

/** The nodes offering everything an agent requires (node order), or undefined when it requires nothing. */
export function eligibleNodes(spec: Spec, agent: AgentSpec): number[] | undefined {
  const requires = agent.requires;
  if (requires === undefined || requires.length === 0) return undefined;
  const offered = spec.cluster.nodeCapabilities ?? [];
  const nodes: number[] = [];
  for (let node = 0; node < spec.cluster.nodeCount; node++) if (requires.every((name) => offered[node]?.includes(name))) nodes.push(node);
  return nodes;
}

export function channelHomes(spec: Spec, plan: readonly BootProcess[]): Int32Array {
  return Int32Array.from(spec.channels, (channel) => {
    const first = plan.find((process) => process.agent === channel.to.agentIndex);
    if (first) return first.node;
    const agent = spec.agents[channel.to.agentIndex];
    return agent.node === 'any' ? 0 : agent.node;
  });
}

/**
 * Links a message crosses between two nodes: mesh links every pair; star links every node to the
 * hub n0; ring links n(i) to n(i-1) and n(i+1). Each link adds one latency draw.
 */
export function hops(spec: Spec, from: number, to: number): number {
  if (from === to) return 0;
  const nodes = spec.cluster.nodeCount;
  switch (spec.cluster.topology) {
    case 'mesh': return 1;
    case 'star': return from === 0 || to === 0 ? 1 : 2;
    case 'ring': {
      const distance = Math.abs(from - to);
      return Math.min(distance, nodes - distance);
    }
  }
}
