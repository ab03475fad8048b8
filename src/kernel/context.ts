// What every part of the kernel reads but never changes during a run: the validated Spec and
// its compiled programs and tables. Built once per session.
import type { Spec } from '../spec/types';
import { compileSpec, type CompiledSpec } from './program/compile';
import { layoutOf, type Layout } from './state';
import { bootPlan, channelHomes, type BootProcess } from './placement';
import { supervisionPlan, type SupervisionPlan } from './autonomy/plan';

export interface KernelContext {
  readonly spec: Spec;
  readonly compiled: CompiledSpec;
  readonly layout: Layout;
  readonly boot: readonly BootProcess[];
  /** Node of each channel's queue. */
  readonly channelHome: Int32Array;
  /** The spec's supervisor trees; undefined when it has none. */
  readonly supervision?: SupervisionPlan;
}

export function createContext(spec: Spec): KernelContext {
  const compiled = compileSpec(spec);
  const boot = bootPlan(spec);
  return { spec, compiled, layout: layoutOf(spec, compiled), boot, channelHome: channelHomes(spec, boot), supervision: supervisionPlan(spec) };
}
