// Small read-only questions about a kernel run, for tests of what the examples show.
import type { Kernel } from '../../src/kernel/kernel';
import { EventCode, type EventType, type KernelEvent } from '../../src/kernel/events';
import { Scalar } from '../../src/kernel/state';

export function events<T extends EventType>(kernel: Kernel, type: T): Extract<KernelEvent, { type: T }>[] {
  const journal = kernel.machine.journal;
  const code = EventCode[type];
  const out: Extract<KernelEvent, { type: T }>[] = [];
  for (let seq = 0; seq < kernel.cursor; seq++) if (journal.type(seq) === code) out.push(journal.event(seq) as Extract<KernelEvent, { type: T }>);
  return out;
}

export function pidsOf(kernel: Kernel, agentName: string): number[] {
  const agent = kernel.spec.agents.findIndex((a) => a.name === agentName);
  if (agent < 0) throw new Error(`no agent ${agentName}`);
  const { state } = kernel.machine;
  const pids: number[] = [];
  for (let pid = 0; pid < state.scalars[Scalar.nextPid]; pid++) if (state.procAgent[pid] === agent) pids.push(pid);
  return pids;
}

export function agentRow(kernel: Kernel, agentName: string) {
  const row = kernel.agents().find((r) => r.agent === agentName);
  if (!row) throw new Error(`no agent ${agentName}`);
  return row;
}
