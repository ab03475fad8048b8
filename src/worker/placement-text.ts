// Why a process of an agent that `requires` capabilities runs where it does, in words: the
// nodes that offer them, and that the kernel took the least loaded (kernel/placement.ts).
import type { Kernel } from '../kernel/kernel';
import { eligibleNodes } from '../kernel/placement';

/** " on n1: requires gpu, offered by n1, n2; the least loaded" or '' for an agent without `requires`. */
export function placementWords(kernel: Kernel, agentIndex: number, node: number): string {
  const agent = kernel.spec.agents[agentIndex];
  const eligible = agent ? eligibleNodes(kernel.spec, agent) : undefined;
  if (!agent || eligible === undefined) return '';
  const offered = `requires ${agent.requires!.join(', ')}, offered by ${eligible.map((index) => `n${index}`).join(', ')}`;
  if (agent.node !== 'any') return ` on n${node} (${offered}; placed by node:)`;
  return ` on n${node} (${offered}; ${eligible.length === 1 ? 'the only one' : 'the least loaded'})`;
}
