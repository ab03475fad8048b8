// The kernel's front door: a spec and a core in, a machine to run, seek and hash out. Used by the
// worker, the CLI and the tests alike.
import type { Core } from '../core/core';
import { parseSpec, formatSpecError } from '../spec/index';
import type { Spec } from '../spec/types';
import { createContext, type KernelContext } from './context';
import { stateHash } from './hash';
import { Journal, JOURNAL_EVENTS_DEFAULT } from './journal/journal';
import { Machine, type StopReason } from './sim/machine';
import { NONE, Scalar, Status, STATUS_NAMES } from './state';
import { createMachineCore } from './syscalls/core-ports';

export class SpecInvalidError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(`the spec has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${errors.join('\n')}`);
    this.name = 'SpecInvalidError';
  }
}

export function parseSpecOrThrow(text: string): Spec {
  const result = parseSpec(text);
  if (!result.ok) throw new SpecInvalidError(result.errors.map(formatSpecError));
  return result.spec;
}

export interface AgentSummary {
  agent: string;
  processes: number;
  running: number;
  blocked: number;
  exited: number;
  failed: number;
  restarts: number;
  cpuTicks: number;
  sent: number;
  received: number;
  heapBytes: number;
}

export interface RunSummary {
  events: number;
  ticks: number;
  stateHash: string;
  stopped: StopReason;
  agents: AgentSummary[];
}

export class Kernel {
  readonly ctx: KernelContext;
  readonly machine: Machine;

  constructor(readonly spec: Spec, readonly core: Core, options: { eventsMax?: number } = {}) {
    this.ctx = createContext(spec);
    this.machine = new Machine(this.ctx, createMachineCore(core), new Journal(options.eventsMax ?? JOURNAL_EVENTS_DEFAULT));
  }

  static fromText(text: string, core: Core, options?: { eventsMax?: number }): Kernel {
    return new Kernel(parseSpecOrThrow(text), core, options);
  }

  get cursor(): number { return this.machine.cursor; }
  get tick(): number { return this.machine.state.scalars[Scalar.tick]; }

  run(limits: { events?: number; ticks?: number }): StopReason {
    return this.machine.run(limits);
  }

  seek(seq: number) {
    return this.machine.seek(seq);
  }

  stateHash(): string {
    const core = this.machine.machineCore;
    return stateHash(this.machine.state, { bytes: () => core.memory.bytes(), stateRanges: () => core.stateRanges() });
  }

  agents(): AgentSummary[] {
    const { state } = this.machine;
    const rows = this.spec.agents.map((agent) => ({
      agent: agent.name, processes: 0, running: 0, blocked: 0, exited: 0, failed: 0, restarts: 0,
      cpuTicks: 0, sent: 0, received: 0, heapBytes: 0,
    }));
    const count = state.scalars[Scalar.nextPid];
    for (let pid = 0; pid < count; pid++) {
      const row = rows[state.procAgent[pid]];
      const status = state.procStatus[pid];
      row.processes++;
      if (status === Status.running || status === Status.runnable) row.running++;
      if (status === Status.blocked || status === Status.paused) row.blocked++;
      if (status === Status.exited) row.exited++;
      if (status === Status.failed) row.failed++;
      row.restarts += state.procRestarts[pid];
      row.cpuTicks += state.procCpuTicks[pid];
      row.sent += state.procSent[pid];
      row.received += state.procReceived[pid];
      row.heapBytes += state.procHeapBytes[pid];
    }
    return rows;
  }

  summary(stopped: StopReason): RunSummary {
    return { events: this.cursor, ticks: this.tick, stateHash: this.stateHash(), stopped, agents: this.agents() };
  }

  statusOf(pid: number): string {
    return pid === NONE ? 'none' : STATUS_NAMES[this.machine.state.procStatus[pid]];
  }
}
