// Shared objects: a change on one replica travels to the others (one sync in flight per pair,
// carrying everything changed by the time it arrives); a heal or a recovery syncs every pair.
import type { KernelContext } from '../context';
import { hops } from '../placement';
import type { KernelState } from '../state';
import { pushTimer, TimerKind } from '../sim/timers';

export function scheduleSync(ctx: KernelContext, state: KernelState, seq: number, tick: number, object: number, from: number, to: number): void {
  const N = state.layout.nodeCount;
  const key = (object * N + from) * N + to;
  if (state.syncPending[key]) return;
  state.syncPending[key] = 1;
  pushTimer(state, tick + ctx.spec.cluster.latency.minTicks * hops(ctx.spec, from, to), TimerKind.sync, key, 0, seq);
}

/** After a local change on `node`: sync it to every other replica. */
export function changed(ctx: KernelContext, state: KernelState, seq: number, tick: number, object: number, node: number): void {
  for (let to = 0; to < state.layout.nodeCount; to++) if (to !== node) scheduleSync(ctx, state, seq, tick, object, node, to);
}

/** Every pair of replicas (touching `only`, if given) syncs. */
export function syncAll(ctx: KernelContext, state: KernelState, seq: number, tick: number, only = -1): void {
  const N = state.layout.nodeCount;
  for (let object = 0; object < state.layout.sharedCount; object++) {
    for (let from = 0; from < N; from++) {
      for (let to = 0; to < N; to++) {
        if (from !== to && (only < 0 || from === only || to === only)) scheduleSync(ctx, state, seq, tick, object, from, to);
      }
    }
  }
}

export function merged(state: KernelState, object: number, from: number, to: number): void {
  const N = state.layout.nodeCount;
  state.syncPending[(object * N + from) * N + to] = 0;
}
