// Compare in the words of the rest of the UI: the kernel's diff names entities by raw id
// ("process 3", "channel 0") and fields by their state names ("pc"); this turns them into the
// names the events panel, the IPC panel and the branch tree use ("pool[2] · pid 3",
// "source.out → mapper.in", "step"), and finds the interventions that separate two points.
import type { Kernel } from '../kernel/kernel';
import type { EntityView, StateView } from '../kernel/diff';
import { describeIntervention } from './branch-rows';
import { userKillSeq } from './event-text';
import { processStatusShort } from './process-status';

/** Field names as the Processes table and the Inspector say them. */
const FIELD_NAMES: Record<string, string> = { pc: 'step', cpuTicks: 'cpu µs', heapBytes: 'heap B', inFlight: 'in flight', running: 'running pid' };

/**
 * Says each process's status at the point the kernel stands at as the Processes table does
 * ("killed #16" for a process the user killed, not the kernel's "failed"): Kernel.diff's annotate.
 */
export function statusWords(kernel: Kernel, view: StateView): void {
  for (const [id, entity] of Object.entries(view)) {
    if (!id.startsWith('process ') || typeof entity.status !== 'string') continue;
    entity.status = processStatusShort({ status: entity.status, killedAt: userKillSeq(kernel, Number(id.slice('process '.length))) });
  }
}

export function fieldName(field: string): string {
  return FIELD_NAMES[field] ?? field;
}

/** An entity's display name, from its id and its own fields (it may exist at one point only). */
export function entityName(kernel: Kernel, id: string, entity: EntityView): string {
  const [kind, rest] = [id.slice(0, id.indexOf(' ')), id.slice(id.indexOf(' ') + 1)];
  if (kind === 'process') {
    const agent = kernel.spec.agents.find((candidate) => candidate.name === entity.agent);
    const label = agent && agent.replicas === 1 && entity.replica === 0 ? agent.name : `${entity.agent}[${entity.replica}]`;
    return `${label} · pid ${rest}`;
  }
  if (kind === 'channel') return `channel ${entity.from} → ${entity.to}`;
  return id; // "node n1", "file n0:/log" already read as the UI says them
}

export interface SeparatingIntervention {
  /** The point whose past holds it (and the other's does not). */
  side: 'a' | 'b';
  /** The event the intervention became. */
  seq: number;
  text: string;
}

/**
 * Interventions in the past of one point and not of the other: what makes the two states differ
 * beyond time passing. Each branch carries its full list (inherited ones included), so this is
 * the symmetric difference of the two lists cut at the points' events.
 */
export function separatingInterventions(kernel: Kernel, a: { branch: number; seq: number }, b: { branch: number; seq: number }): SeparatingIntervention[] {
  const before = (point: { branch: number; seq: number }) => {
    const branch = kernel.timeline.branches[point.branch];
    return (branch?.interventions ?? []).filter((scheduled) => scheduled.atSeq < point.seq);
  };
  const key = (scheduled: { atSeq: number; intervention: object }) => `${scheduled.atSeq}:${JSON.stringify(scheduled.intervention)}`;
  const listA = before(a), listB = before(b);
  const keysA = new Set(listA.map(key)), keysB = new Set(listB.map(key));
  return [
    ...listA.filter((scheduled) => !keysB.has(key(scheduled))).map((scheduled) => ({ side: 'a' as const, seq: scheduled.atSeq, text: describeIntervention(kernel, scheduled.intervention) })),
    ...listB.filter((scheduled) => !keysA.has(key(scheduled))).map((scheduled) => ({ side: 'b' as const, seq: scheduled.atSeq, text: describeIntervention(kernel, scheduled.intervention) })),
  ].sort((x, y) => x.seq - y.seq || x.side.localeCompare(y.side));
}
