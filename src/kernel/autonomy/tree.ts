// The process tree: each process's parent (the process whose `spawn` step started it; boot and
// scaled processes have none), read from the journal's process/spawned events (field `parent`),
// so the state needs no array for it and every recorded journal keeps its hash. And the subtrees
// the user's `killTree` intervention ends: a process and its descendants, an agent's processes
// and theirs, or everything under a supervisor. The kill is one user/intervened event per
// process (kind killTree, arg the root), consecutive, the first with no cause and each next one
// caused by the one before; the machine computes the list when the first is due, from the
// journal before it and the state there, so every re-execution computes the same.
import { EventCode as E } from '../events';
import type { Journal } from '../journal/journal';
import type { KernelContext } from '../context';
import { NONE, Scalar, Status, type KernelState } from '../state';

/** Processes one subtree kill ends at most (the process table's size bounds it anyway). */
export const KILL_TREE_MAX = 16384;

/** parent[pid] for the pids spawned before event `until` (NONE: a boot or scaled process). */
export function parentsOf(journal: Journal, until: number, processes: number): Int32Array {
  const parents = new Int32Array(processes).fill(NONE);
  const spawned = E['process/spawned'];
  for (let seq = 0; seq < until; seq++) {
    if (journal.type(seq) !== spawned) continue;
    const pid = journal.pid(seq);
    if (pid >= 0 && pid < processes) parents[pid] = journal.c(seq);
  }
  return parents;
}

/** What a subtree kill names: a pid, or a name (a supervisor, an agent, or agent[replica]). */
export type TreeRoot = { pid: number } | { name: string };

/** The roots a name or pid stands for, and the event's arg (the root pid, or -2 - supervisor). */
export function resolveRoot(ctx: KernelContext, state: KernelState, root: TreeRoot): { roots: number[]; agents: number[]; arg: number } | string {
  const count = state.scalars[Scalar.nextPid];
  if ('pid' in root) {
    if (!Number.isInteger(root.pid) || root.pid < 0 || root.pid >= count) return `there is no process ${root.pid}`;
    return { roots: [root.pid], agents: [], arg: root.pid };
  }
  const name = root.name;
  const supervisor = ctx.spec.supervisors.findIndex((item) => item.name === name);
  if (supervisor >= 0 && ctx.supervision) return { roots: [], agents: [...ctx.supervision.subtreeAgents[supervisor]], arg: -2 - supervisor };
  const replica = /^(.+)\[(\d+)\]$/.exec(name);
  const agentName = replica ? replica[1] : name;
  const agent = ctx.spec.agents.findIndex((item) => item.name === agentName);
  if (agent < 0) {
    const names = [...ctx.spec.supervisors.map((item) => item.name), ...ctx.spec.agents.map((item) => item.name)];
    return `no supervisor, agent or process named "${name}" (${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''})`;
  }
  if (!replica) return { roots: [], agents: [agent], arg: NONE };
  for (let pid = 0; pid < count; pid++) {
    if (state.procAgent[pid] === agent && state.procReplica[pid] === Number(replica[2])) return { roots: [pid], agents: [], arg: pid };
  }
  return `there is no process ${name}`;
}

const killable = (status: number) => status === Status.runnable || status === Status.running || status === Status.blocked || status === Status.paused || status === Status.restarting;

/**
 * The processes a subtree kill ends, in pid order: the roots (or every process of the agents)
 * and all their descendants that have not ended. A string says why there is none.
 */
export function subtreeVictims(ctx: KernelContext, state: KernelState, journal: Journal, until: number, root: TreeRoot): { victims: number[]; arg: number } | string {
  const resolved = resolveRoot(ctx, state, root);
  if (typeof resolved === 'string') return resolved;
  const count = state.scalars[Scalar.nextPid];
  const parents = parentsOf(journal, until, count);
  const inTree = new Uint8Array(count);
  for (const pid of resolved.roots) inTree[pid] = 1;
  for (let pid = 0; pid < count; pid++) {
    // A child's pid is always larger than its parent's: one pass in pid order finds every descendant.
    if (resolved.agents.includes(state.procAgent[pid]) || (parents[pid] !== NONE && inTree[parents[pid]])) inTree[pid] = 1;
  }
  const victims: number[] = [];
  for (let pid = 0; pid < count && victims.length < KILL_TREE_MAX; pid++) if (inTree[pid] && killable(state.procStatus[pid])) victims.push(pid);
  if (victims.length === 0) return 'every process of that subtree has already ended';
  return { victims, arg: resolved.arg };
}
