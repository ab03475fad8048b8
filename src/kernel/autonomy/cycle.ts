// A deadlocked set (syscalls/deadlock.ts: the processes, in pid order) as a cycle: each member
// waits on the next, the last on the first. A recv waits on the channel's senders, a send to a
// full channel on its receivers, a bid on the resource's holders; the walk is a depth-first search
// from the process whose block closed it, over members only, so it ends. Sets larger than
// CYCLE_SEARCH_MAX are named in pid order.
import type { KernelContext } from '../context';
import { BlockReason } from '../events';
import type { Deadlock } from '../syscalls/deadlock';
import type { KernelState } from '../state';

export const CYCLE_SEARCH_MAX = 256;

/** Whether member `pid` waits on `other` (both deadlocked, so both blocked). */
export function waitsOn(ctx: KernelContext, state: KernelState, pid: number, other: number): boolean {
  const reason = state.procBlockReason[pid], object = state.procBlockObject[pid];
  if (reason === BlockReason.bid) return state.procHeld[other * state.layout.resourceCount + object] > 0;
  const channel = ctx.spec.channels[object];
  if (!channel) return false;
  if (reason === BlockReason.recv) return state.procAgent[other] === channel.from.agentIndex;
  if (reason === BlockReason.sendFull) return state.procAgent[other] === channel.to.agentIndex;
  return false;
}

export function orderedCycle(ctx: KernelContext, state: KernelState, found: Deadlock): number[] {
  const members = found.pids;
  if (members.length > CYCLE_SEARCH_MAX) return [found.pid, ...members.filter((pid) => pid !== found.pid)];
  const start = found.pid;
  const visited = new Set<number>([start]);
  const path: number[] = [start];
  const search = (current: number): boolean => {
    for (const next of members) {
      if (!waitsOn(ctx, state, current, next)) continue;
      if (next === start) return true;
      if (visited.has(next)) continue;
      visited.add(next);
      path.push(next);
      if (search(next)) return true;
      path.pop();
    }
    return false;
  };
  return search(start) ? path : [start, ...members.filter((pid) => pid !== start)];
}
