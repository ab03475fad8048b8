// Dispatch: applies one event (by its columns) to the state. The only way events change state.
import { isAutonomyType } from '../autonomy/codes';
import type { KernelContext } from '../context';
import { DropReason, EventCode as E, FailReason, INVARIANT_PART_STRIDE, LimitKind } from '../events';
import { Scalar, Status, type KernelState } from '../state';
import * as heap from './heap';
import * as ipc from './ipc';
import * as process from './process';
import * as sched from './sched';
import * as world from './world';
import * as shared from './shared';
import { applyGaveUp, applyRestarting } from '../autonomy/supervise';
import { reduceAutonomy, shedDropped } from '../autonomy/reduce';

import { noteProgress } from '../autonomy/probes';
import { breakerAfter, transitioned } from '../autonomy/breakers';
import { readinessChanged } from '../autonomy/readiness';
import { migrated, unplaced } from '../autonomy/failover';

export function reduce(
  ctx: KernelContext, state: KernelState, seq: number, tick: number, type: number, node: number, pid: number,
  a: number, b: number, c: number,
): void {
  state.scalars[Scalar.tick] = tick;
  switch (type) {
    case E['kernel/booted']: break;
    case E['process/spawned']: process.spawned(ctx, state, seq, tick, node, pid, a, b, c); break;
    case E['process/exited']: process.ended(ctx, state, seq, tick, pid, Status.exited, a, a === 0 ? -1 : FailReason.exitCode); break;
    case E['process/failed']: process.ended(ctx, state, seq, tick, pid, Status.failed, c, a); break;
    case E['process/restarted']: process.restarted(ctx, state, seq, tick, pid); break;
    case E['sched/switched']: sched.switched(state, seq, tick, node, pid, c); break;
    case E['sched/preempted']: sched.preempted(state, seq, tick, node, pid); break;
    case E['sched/blocked']: sched.blocked(state, seq, tick, node, pid, a, b, c); break;
    case E['sched/woken']: sched.woken(ctx, state, seq, tick, pid); break;
    case E['cpu/computed']: state.procComputeLeft[pid] = 0; world.stepDone(ctx, state, seq, pid); break;
    case E['heap/allocated']: heap.allocated(ctx, state, seq, node, pid, a, b, c); break;
    case E['heap/freed']: heap.freed(ctx, state, seq, node, pid, b, c); break;
    case E['heap/exhausted']: heap.exhausted(state, seq, pid, b); break;
    case E['heap/freeSkipped']: heap.freeSkipped(ctx, state, seq, pid); break;
    case E['ipc/sent']: ipc.sent(ctx, state, seq, tick, pid, a, b, c); break;
    case E['ipc/delivered']: ipc.delivered(state, seq, tick, a, c); break;
    case E['ipc/received']: ipc.received(ctx, state, seq, tick, pid, a); break;
    case E['ipc/dropped']: if (c === DropReason.shed) shedDropped(state, seq, tick, a); else ipc.dropped(state, seq, tick, a, b); break;
    case E['ipc/timedOut']: ipc.timedOut(ctx, state, seq, tick, pid, a, b); break;
    case E['fs/written']: world.written(ctx, state, seq, node, pid, a, b); break;
    case E['fs/read']: world.stepDone(ctx, state, seq, pid); break;
    case E['crdt/applied']: shared.changed(ctx, state, seq, tick, a, node); world.stepDone(ctx, state, seq, pid); break;
    case E['crdt/merged']: shared.merged(state, a, b, c); break;
    case E['resource/bid']: world.bid(ctx, state, seq, tick, node, pid, b, c); break;
    case E['resource/granted']: world.granted(ctx, state, seq, tick, pid, a, b, c); break;
    case E['resource/released']: world.released(ctx, state, seq, pid, a); break;
    case E['step/chose']: world.chose(ctx, state, seq, pid, a); break;
    case E['net/partitioned']: world.partitioned(ctx, state, a); break;
    case E['net/healed']: world.healed(state); shared.syncAll(ctx, state, seq, tick); break;
    case E['node/crashed']: world.nodeCrashed(ctx, state, seq, tick, node); break;
    case E['node/recovered']: world.nodeRecovered(ctx, state, seq, tick, node); shared.syncAll(ctx, state, seq, tick, node); break;
    case E['user/intervened']: world.intervened(ctx, state, seq, tick, pid, a, b, c); break;
    case E['limit/reached']: world.limitReached(ctx, state, seq, pid, a); break;
    case E['sched/deadlocked']: state.procLastSeq[pid] = seq; break; // a finding: the processes stay as they are
    case E['invariant/violated']: invariantViolated(state, seq, a % INVARIANT_PART_STRIDE); break;
    case E['rule/violated']: invariantViolated(state, seq, ctx.spec.invariants.length + (a % INVARIANT_PART_STRIDE)); break;
    case E['resource/denied']: process.ended(ctx, state, seq, tick, pid, Status.failed, 1, FailReason.resourceDenied); break;
    case E['supervisor/restarting']: applyRestarting(ctx, state, seq, tick, a, pid, c); break;
    case E['supervisor/gaveUp']: applyGaveUp(ctx, state, seq, tick, a); break;
    case E['probe/failed']: process.ended(ctx, state, seq, tick, pid, Status.failed, 0, FailReason.liveness); break;
    case E['breaker/opened']:
    case E['breaker/closed']: transitioned(ctx, state, seq, tick, type, a); break;
    case E['breaker/halfOpened']: state.brState[a] = 2; break;
    case E['breaker/rejected']: world.stepDone(ctx, state, seq, pid); break;
    case E['probe/ready']: readinessChanged(state, seq, tick, pid, true); break;
    case E['probe/unready']: readinessChanged(state, seq, tick, pid, false); break;
    case E['process/migrated']: migrated(ctx, state, seq, tick, pid, b); break;
    case E['process/unplaced']: unplaced(state, seq, pid); break;
    case E['heal/migrated']: if (state.auMovedAt.length > 0) state.auMovedAt[pid] = tick; break; // the move is the process/migrated it causes
    default:
      if (isAutonomyType(type)) {
        reduceAutonomy(ctx, state, seq, tick, type, node, pid, a, b, c);
        break;
      }
      throw new RangeError(`no reducer for event type code ${type}`);
  }
  if (state.procLastStep.length > 0) noteProgress(state, type, pid, tick);
  if (state.brState.length > 0) breakerAfter(ctx, state, seq, type, tick, a, b, c);
}

/** A spec invariant's (or rule's, after the invariants) violation is reported: no longer due, counted, the first one remembered. */
function invariantViolated(state: KernelState, seq: number, index: number): void {
  state.invariantPending[index] = 0;
  state.invariantViolations[index]++;
  if (state.invariantFirstSeq[index] < 0) state.invariantFirstSeq[index] = seq;
}

export { LimitKind };
