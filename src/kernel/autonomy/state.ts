// The autonomy's part of KernelState: typed arrays like the rest, sized by the layout, empty when
// the spec has no `autonomy:` key (so stateHash and snapshots of every other spec are unchanged:
// state.ts leaves empty arrays in AUTONOMY_ARRAYS out of the hash).
//
// Per process (P), per channel (C), per node (N), per agent (A), plus a small queue of events due
// (the detectors decide after an event; the machine emits one queued event per action).
import type { ChannelSpec, Spec } from '../../spec/types';
import { CHANNELS_CAPACITY_TOTAL_MAX } from '../../spec/limits';

/** Events the detectors may have due at once; past it a finding is dropped and counted (auScalars[dropped]). */
export const AUTONOMY_QUEUE_MAX = 64;
/** Fields of one queued event: type, node, pid, cause, a, b, c. */
export const QUEUE_FIELDS = 7;
/** A queued cause meaning "the autonomy event emitted just before this one" (chains a deadlock's members). */
export const CAUSE_PREVIOUS = -2;

export const AuScalar = {
  mode: 0,        // AutonomyMode: off, detect, heal
  head: 1,        // queue head index
  count: 2,       // events queued
  scanPid: 3,     // the next pid the rotating scan looks at
  scanChannel: 4, // the next channel
  dropped: 5,     // findings dropped for a full queue
  lastSeq: 6,     // seq of the last autonomy event emitted (CAUSE_PREVIOUS resolves to it)
  shed: 7,        // a load shed in progress: messages left to drop * SHED_STRIDE + channel (0: none)
} as const;
/** auScalars[shed] = left * SHED_STRIDE + channel (CHANNELS_MAX is 1024). */
export const SHED_STRIDE = 1 << 16;
const AU_SCALAR_COUNT = 8;

/** What autonomy does now: the spec's heal key sets it at boot; the user's intervention switches it. */
export const AutonomyMode = { off: 0, detect: 1, heal: 2 } as const;
export const AUTONOMY_MODES = ['off', 'detect', 'heal'] as const;
export type AutonomyModeName = (typeof AUTONOMY_MODES)[number];

/** Per-process finding flags (auProcFlags), so each detector fires once per episode. */
export const ProcFlag = { leak: 1, leakPredicted: 2, hog: 4, starved: 8, crashLoop: 16, overLimit: 32 } as const;
/** Per-channel flags. */
export const ChanFlag = { congested: 1, predicted: 2 } as const;

export interface AutonomyLayout {
  readonly procsMax: number;
  readonly nodeCount: number;
  readonly channelCount: number;
  readonly agentCount: number;
  /** The spec has `autonomy:`: else every array here is empty. */
  readonly autonomy: boolean;
  /** The spec has `autonomy.migrate: on` (auMovedAt; else empty, so older sessions keep their hash). */
  readonly autonomyMigrate?: boolean;
}

export function autonomyArrays(layout: AutonomyLayout) {
  const on = layout.autonomy;
  const P = on ? layout.procsMax : 0, C = on ? layout.channelCount : 0, N = on ? layout.nodeCount : 0, A = on ? layout.agentCount : 0;
  return {
    auScalars: new Float64Array(on ? AU_SCALAR_COUNT : 0),
    auQueue: new Float64Array(on ? AUTONOMY_QUEUE_MAX * QUEUE_FIELDS : 0),
    // Processes: the leak window (start tick, heap then, bytes allocated since), the last full
    // window's growth and length (the trend), leaking windows in a row; the hog window; since when
    // wanting the CPU (runnable or running, not blocked) and its CPU time then; the crash-loop
    // window (overLimit in the flags: a failure over its memory limit within it).
    auProcFlags: new Uint8Array(P),
    auLeakStart: new Float64Array(P).fill(-1),
    auLeakHeap: new Float64Array(P),
    auLeakAlloc: new Float64Array(P),
    auLeakGrowth: new Float64Array(P),
    auLeakWindow: new Float64Array(P),
    auLeakStreak: new Int32Array(P),
    auCpuStart: new Float64Array(P).fill(-1),
    auCpuAtStart: new Float64Array(P),
    auWaitSince: new Float64Array(P).fill(-1),
    auWaitCpu: new Float64Array(P),
    auCrashStart: new Float64Array(P).fill(-1),
    auCrashCount: new Int32Array(P),
    // Channels: capacity now (healing raises it), since when nearly full, the trend window.
    auChanCapacity: new Int32Array(C),
    auChanFlags: new Uint8Array(C),
    auChanHighSince: new Float64Array(C).fill(-1),
    auChanStart: new Float64Array(C).fill(-1),
    auChanOccupancy: new Int32Array(C),
    auChanStreak: new Int32Array(C),
    // Nodes: policy (index in POLICY_CODES) and quantum now; the classifier's window and its counts.
    auNodePolicy: new Uint8Array(N),
    auNodeQuantum: new Float64Array(N),
    auTuneStart: new Float64Array(N).fill(-1),
    auTuneCpu: new Float64Array(N),
    auTuneComputes: new Int32Array(N),
    auTuneIo: new Int32Array(N),
    auTuneWaits: new Int32Array(N),
    auTuneClass: new Int8Array(N).fill(-1),
    auTuneCandidate: new Int8Array(N).fill(-1),
    auTuneStreak: new Int32Array(N),
    auTuneQuiet: new Int32Array(N),
    // Agents: replicas healing added; the memory limit now (healing a crash loop raises it).
    auAgentAdded: new Int32Array(A),
    auAgentMemory: new Float64Array(A),
    // Processes, with migrate on: when healing last moved it (-1: never), for its cooldown (migrate.ts).
    auMovedAt: new Float64Array(on && layout.autonomyMigrate ? layout.procsMax : 0).fill(-1),
  };
}

export type AutonomyState = ReturnType<typeof autonomyArrays>;
/** The arrays above: left out of stateHash while empty (every spec without autonomy:). */
export const AUTONOMY_ARRAYS: readonly string[] = Object.keys(autonomyArrays({ procsMax: 0, nodeCount: 0, channelCount: 0, agentCount: 0, autonomy: false }));

/**
 * The capacity each channel's ring is laid out for: its spec capacity, times the autonomy's
 * capacity factor when healing may raise it (so a raise never moves a message), bounded so all
 * rings together stay within CHANNELS_CAPACITY_TOTAL_MAX.
 */
export function ringChannels(spec: Spec): readonly Pick<ChannelSpec, 'capacity'>[] {
  const factor = spec.autonomy?.capacityFactor ?? 1;
  if (factor <= 1) return spec.channels;
  const total = spec.channels.reduce((sum, channel) => sum + channel.capacity, 0);
  const fits = Math.max(1, Math.min(factor, Math.floor(CHANNELS_CAPACITY_TOTAL_MAX / Math.max(1, total))));
  return spec.channels.map((channel) => ({ capacity: channel.capacity * fits }));
}

/** Processes healing may add (scaled replicas), beyond what the spec starts and spawns. */
export function scaleHeadroom(spec: Spec): number {
  const autonomy = spec.autonomy;
  return autonomy ? autonomy.replicasMax * spec.agents.length : 0;
}

/** A channel's capacity now: raised by healing, else the spec's. */
export function capacityNow(state: { auChanCapacity: Int32Array }, spec: Spec, channel: number): number {
  return state.auChanCapacity.length > 0 ? state.auChanCapacity[channel] : spec.channels[channel].capacity;
}

/** A process's memory limit now: raised by healing (heal/limitRaised), else its agent's spec limit. */
export function memoryLimitOf(state: { auAgentMemory: Float64Array; procAgent: ArrayLike<number> }, spec: Spec, pid: number): number {
  const agent = state.procAgent[pid];
  return state.auAgentMemory.length > 0 ? state.auAgentMemory[agent] : spec.agents[agent].memoryBytes;
}
