// `shared` in the CLI's summaries: each shared object's value on every node, as the Shared panel
// and the shell's `shared` show it (worker/shared-views.ts), in JSON or in words.
import type { Kernel } from '../kernel/kernel';
import { sharedView } from '../worker/shared-views';

export interface SharedSummary {
  name: string;
  type: string;
  converged: boolean;
  /** When live replicas differ: the op after which they began to (seq). */
  differsSince: number | null;
  /** Per node: the value in words, what an expression sees, and the first elements. */
  replicas: Array<{ node: string; up: boolean; summary: string; value: number; items: string[] }>;
}

export function sharedSummary(kernel: Kernel): SharedSummary[] {
  return sharedView(kernel).objects.map((object) => ({
    name: object.name,
    type: object.type,
    converged: object.converged,
    differsSince: object.differsSince,
    replicas: object.replicas.map((replica) => ({ node: `n${replica.node}`, up: replica.up, summary: replica.summary, value: replica.numeric, items: replica.items })),
  }));
}

/** One line per object: "visits (pn-counter): n0 150 · n1 150 · n2 150; replicas agree". */
export function formatShared(objects: readonly SharedSummary[]): string[] {
  return objects.map((object) => {
    const replicas = object.replicas.map((replica) => `${replica.node} ${replica.summary}${replica.up ? '' : ' (down)'}`).join(' · ');
    const state = object.converged ? 'replicas agree' : `replicas differ${object.differsSince === null ? '' : ` since #${object.differsSince}`}`;
    return `${object.name} (${object.type}): ${replicas}; ${state}`;
  });
}
