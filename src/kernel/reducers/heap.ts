// The simulated heap as the kernel accounts it (the wasm allocator decides the addresses).
import type { KernelContext } from '../context';
import { ExhaustedWhy, FailReason } from '../events';
import { ALLOC_SLOTS_MAX } from '../program/opcodes';
import { NONE, type KernelState } from '../state';
import { advancePc } from './program';

export function allocated(ctx: KernelContext, state: KernelState, seq: number, node: number, pid: number, addr: number, size: number, slot: number): void {
  // Rebinding a name leaves the old block allocated (a leak) until the process ends.
  state.procSlotBlock[pid * ALLOC_SLOTS_MAX + slot] = addr;
  state.procSlotSize[pid * ALLOC_SLOTS_MAX + slot] = size;
  state.procHeapBytes[pid] += size;
  state.procHeapBlocks[pid]++;
  if (state.procHeapBytes[pid] > state.procHeapPeak[pid]) state.procHeapPeak[pid] = state.procHeapBytes[pid];
  state.nodeHeapBytes[node] += size;
  state.procLastSeq[pid] = seq;
  advancePc(ctx, state, pid);
}

export function freed(ctx: KernelContext, state: KernelState, seq: number, node: number, pid: number, size: number, slot: number): void {
  state.procSlotBlock[pid * ALLOC_SLOTS_MAX + slot] = NONE;
  state.procSlotSize[pid * ALLOC_SLOTS_MAX + slot] = 0;
  state.procHeapBytes[pid] -= size;
  state.procHeapBlocks[pid]--;
  state.nodeHeapBytes[node] -= size;
  state.procLastSeq[pid] = seq;
  advancePc(ctx, state, pid);
}

/** The process fails on its next step, with the reason recorded here. */
export function exhausted(state: KernelState, seq: number, pid: number, why: number): void {
  state.procFailReason[pid] = why === ExhaustedWhy.limit ? FailReason.memoryLimit : FailReason.heapExhausted;
  state.procLastSeq[pid] = seq;
}

export function freeSkipped(ctx: KernelContext, state: KernelState, seq: number, pid: number): void {
  state.procLastSeq[pid] = seq;
  advancePc(ctx, state, pid);
}
