// The supervisor trees of a spec as tables the kernel reads (built once per session, never
// changed): who supervises each agent, each child's agents in start order, each supervisor's
// subtree, and where each supervisor's restart ring starts in the state.
import type { Spec, SupervisorSpec } from '../../spec/types';

export interface SupervisionPlan {
  /** Supervisor of each agent, or -1. */
  readonly agentSupervisor: Int32Array;
  /** Per supervisor, per child (in start order): the agents under that child, in start order. */
  readonly childAgents: readonly (readonly (readonly number[])[])[];
  /** Per supervisor: the supervisors in its subtree, itself first (preorder). */
  readonly subtree: readonly (readonly number[])[];
  /** Per supervisor: every agent in its subtree, in start order. */
  readonly subtreeAgents: readonly (readonly number[])[];
  /** Per supervisor: where its ring of restart ticks starts in state.supRing, and its length. */
  readonly ringBase: Int32Array;
  readonly ringSize: Int32Array;
}

export function supervisionPlan(spec: Spec): SupervisionPlan | undefined {
  const supervisors = spec.supervisors;
  if (supervisors.length === 0) return undefined;
  const agentSupervisor = new Int32Array(spec.agents.length).fill(-1);
  for (const supervisor of supervisors) {
    for (const child of supervisor.children) if (child.kind === 'agent') agentSupervisor[child.index] = supervisor.index;
  }
  const subtree: number[][] = supervisors.map(() => []);
  const subtreeAgents: number[][] = supervisors.map(() => []);
  const walk = (supervisor: SupervisorSpec, into: number): void => {
    subtree[into].push(supervisor.index);
    for (const child of supervisor.children) {
      if (child.kind === 'agent') subtreeAgents[into].push(child.index);
      else walk(supervisors[child.index], into);
    }
  };
  supervisors.forEach((supervisor) => walk(supervisor, supervisor.index));
  const childAgents = supervisors.map((supervisor) => supervisor.children.map((child) => (child.kind === 'agent' ? [child.index] : subtreeAgents[child.index])));
  const ringSize = Int32Array.from(supervisors, (supervisor) => Math.max(1, supervisor.intensity));
  const ringBase = new Int32Array(supervisors.length);
  for (let index = 1; index < supervisors.length; index++) ringBase[index] = ringBase[index - 1] + ringSize[index - 1];
  return { agentSupervisor, childAgents, subtree, subtreeAgents, ringBase, ringSize };
}
