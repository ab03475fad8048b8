// What a syscall may use: read the state, call the core (through the ports and the PRNG), and
// emit exactly one event. Syscalls decide; reducers (through emit) change the state.
import type { KernelContext } from '../context';
import type { KernelState } from '../state';
import type { CorePorts } from './ports';

export interface KernelPrng {
  /** Uniform in [0, bound), bound 1 .. 2^32-1. */
  below(bound: number): number;
}

export interface Sys {
  readonly ctx: KernelContext;
  readonly state: KernelState;
  readonly core: CorePorts;
  readonly prng: KernelPrng;
  emit(tick: number, type: number, node: number, pid: number, cause: number, a: number, b: number, c: number): void;
}

/** A duration from a [min, max] range: min when fixed, else one PRNG draw. */
export function drawTicks(sys: Sys, minTicks: number, maxTicks: number): number {
  return maxTicks > minTicks ? minTicks + sys.prng.below(maxTicks - minTicks + 1) : minTicks;
}
