// The program counter after a step completes.
import type { KernelContext } from '../context';
import { instructionLength } from '../program/opcodes';
import type { KernelState } from '../state';

export function advancePc(ctx: KernelContext, state: KernelState, pid: number): void {
  const code = ctx.compiled.programs[state.procAgent[pid]].code;
  state.procPc[pid] += instructionLength(code, state.procPc[pid]);
}

/** `choose` jumps to the drawn branch's first instruction. */
export function jumpToBranch(ctx: KernelContext, state: KernelState, pid: number, branch: number): void {
  const code = ctx.compiled.programs[state.procAgent[pid]].code;
  state.procPc[pid] = code[state.procPc[pid] + 3 + 2 * branch + 1];
}
