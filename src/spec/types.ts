// The typed, validated Spec: the contract between spec/ and the kernel.
//
// Everything here is plain data (arrays, not Maps), integers only (no floats), with every
// default filled in and every reference resolved to an index, so the kernel never re-validates:
//   sizes      -> bytes (integer)
//   durations  -> ticks (integer, 1 tick = 1 µs of virtual time)
//   ranges     -> { minTicks, maxTicks } (uniform draw from the kernel PRNG when min < max)
//   rates      -> { count, windowTicks }: at most `count` messages enter per window of ticks
//   probability-> parts per million (0 .. 1_000_000)
// Order is source order everywhere (agents, channels, shared, resources, steps), so iterating a
// Spec is deterministic.

export const SPEC_FORMAT_VERSION = 1;

/** Virtual time, integer microseconds. */
export type Ticks = number;
/** Integer bytes. */
export type Bytes = number;
/** Probability in parts per million, 0 .. 1_000_000. */
export type Ppm = number;

/** An inclusive range of ticks; `minTicks === maxTicks` for a fixed duration. */
export interface TickRange {
  readonly minTicks: Ticks;
  readonly maxTicks: Ticks;
}

/** A rate limit: at most `count` messages per window of `windowTicks` (`100/ms` = {100, 1000}). */
export interface RateSpec {
  readonly count: number;
  readonly windowTicks: Ticks;
}

export type SchedulerPolicy = 'round-robin' | 'priority' | 'fair' | 'eevdf';
export const SCHEDULER_POLICIES: readonly SchedulerPolicy[] = ['round-robin', 'priority', 'fair', 'eevdf'];
export type AllocatorKind = 'tlsf' | 'buddy' | 'first-fit' | 'best-fit';
export const ALLOCATOR_KINDS: readonly AllocatorKind[] = ['tlsf', 'buddy', 'first-fit', 'best-fit'];
export type Topology = 'mesh' | 'star' | 'ring';
export const TOPOLOGIES: readonly Topology[] = ['mesh', 'star', 'ring'];
export type RestartPolicy = 'never' | 'on-failure' | 'always';
export const RESTART_POLICIES: readonly RestartPolicy[] = ['never', 'on-failure', 'always'];
export type SharedType = 'pn-counter' | 'g-counter' | 'or-set' | 'lww-map' | 'lww-register' | 'text' | 'time-series' | 'graph' | 'workflow';
export const SHARED_TYPES: readonly SharedType[] = ['pn-counter', 'g-counter', 'or-set', 'lww-map', 'lww-register', 'text', 'time-series', 'graph', 'workflow'];
export type AuctionKind = 'second-price' | 'first-price';
export const AUCTION_KINDS: readonly AuctionKind[] = ['second-price', 'first-price'];
export type BehaviourName =
  | 'producer' | 'consumer' | 'mapper' | 'reducer' | 'router' | 'worker'
  | 'bidder' | 'forager' | 'cpu-hog' | 'leaker' | 'idle';

/** Where a thing was written: 1-based line and column of its value in the spec text. */
export interface SourcePos {
  readonly line: number;
  readonly column: number;
}

import type { AutonomySpec } from './autonomy';

export interface Spec {
  readonly format: 1;
  readonly name: string;
  /** Free text; '' when absent. */
  readonly description: string;
  /** u32; default 1. Seeds the session PRNG (and, derived from it, one per node). */
  readonly seed: number;
  readonly kernel: KernelSpec;
  readonly cluster: ClusterSpec;
  /** Source order; `agents[i].index === i`. */
  readonly agents: readonly AgentSpec[];
  readonly channels: readonly ChannelSpec[];
  readonly shared: readonly SharedSpec[];
  readonly resources: readonly ResourceSpec[];
  /** `watch:` name -> expression (source order); checked against this spec by expr/. */
  readonly watches: readonly WatchSpec[];
  /** `invariants:` conditions the kernel checks after every event (source order). */
  readonly invariants: readonly InvariantSpec[];
  /** `rules:` invariants with a severity and a text, for the audit report (src/audit); checked like invariants. */
  readonly rules: readonly RuleSpec[];
  /** `autonomy:` detectors, healing and tuning (src/kernel/autonomy/); absent: none of it runs. */
  readonly autonomy?: AutonomySpec;
  /** `supervisors:` Erlang/OTP-style supervisor trees (source order); [] when the spec has none. */
  readonly supervisors: readonly SupervisorSpec[];
  /** Processes at boot: the sum of all replicas (<= PROCESSES_MAX). */
  readonly processCount: number;
}

export interface KernelSpec {
  /** Default 'fair'. */
  readonly scheduler: SchedulerPolicy;
  /** Time slice; default 1ms = 1000 ticks. */
  readonly quantumTicks: Ticks;
  /** Simulated heap of EACH node; default 64MiB. */
  readonly heapBytes: Bytes;
  /** Default 'tlsf'. */
  readonly allocator: AllocatorKind;
  /** `allocator: [tlsf, best-fit]`: one per node, n0 first (then `allocator` is the first); absent: every node has `allocator`. */
  readonly nodeAllocators?: readonly AllocatorKind[];
  /** `granule: 8B`: every heap block is a whole number of these bytes; absent: 16 (HEAP_GRANULE_DEFAULT). */
  readonly granuleBytes?: HeapGranuleBytes;
}

export type HeapGranuleBytes = 8 | 16;
export const HEAP_GRANULE_DEFAULT: HeapGranuleBytes = 16;

/** The granule of every node's heap. */
export function granuleOf(kernel: KernelSpec): HeapGranuleBytes {
  return kernel.granuleBytes ?? HEAP_GRANULE_DEFAULT;
}

/** The allocator of node `node`. */
export function allocatorOf(kernel: KernelSpec, node: number): AllocatorKind {
  return kernel.nodeAllocators?.[node] ?? kernel.allocator;
}

export interface ClusterSpec {
  /** Default 1. Nodes are named n0 .. n{nodeCount-1}; a node is referred to by its index. */
  readonly nodeCount: number;
  /** Default 'mesh'. In 'star', n0 is the hub; in 'ring', n(i) links to n(i-1) and n(i+1). */
  readonly topology: Topology;
  /** One-way delay of a message between two linked nodes; default 1ms..1ms. Same node: 0. */
  readonly latency: TickRange;
  /** Probability a message between nodes is dropped; default 0. */
  readonly lossPpm: Ppm;
  /** Sorted by `atTicks` (stable: equal times keep spec order). */
  readonly faults: readonly FaultSpec[];
  /** `capabilities: { n1: [gpu] }`: what each node offers (index = node), when the spec says. */
  readonly nodeCapabilities?: readonly (readonly string[])[];
  /** `failover: on`: a crashed node's processes that would restart start on a live node (kernel/autonomy/failover.ts). */
  readonly failover?: boolean;
}

export type FaultSpec =
  /** `groups` is a complete partition of all nodes: nodes not named in the spec form one last group. */
  | { readonly kind: 'partition'; readonly atTicks: Ticks; readonly groups: readonly (readonly number[])[]; readonly line: number }
  /** Heals every partition. */
  | { readonly kind: 'heal'; readonly atTicks: Ticks; readonly line: number }
  /** The node stops: its processes fail, its messages are lost, its shared replicas keep their state. */
  | { readonly kind: 'crash'; readonly atTicks: Ticks; readonly node: number; readonly line: number }
  /** A crashed node comes back; processes with restart != never restart on it. */
  | { readonly kind: 'recover'; readonly atTicks: Ticks; readonly node: number; readonly line: number };

export interface RestartSpec {
  /**
   * Default 'never' ('always' for an agent a supervisor supervises). The restart types of
   * Erlang/OTP are the same three: permanent = always, transient = on-failure, temporary = never.
   */
  readonly policy: RestartPolicy;
  /** Restarts of one process before it stays failed; default 10. */
  readonly countMax: number;
  /** Virtual time between a failure and the restart; default 1ms. */
  readonly backoffTicks: Ticks;
  /** `backoff: { initial, max, reset }`: CrashLoopBackOff instead of the constant backoffTicks. */
  readonly crashLoop?: CrashLoopSpec;
}

/**
 * Kubernetes' CrashLoopBackOff: the n-th restart in a row waits min(initial * 2^(n-1), max); a
 * process that ran `reset` without failing starts again from `initial`.
 */
export interface CrashLoopSpec {
  readonly initialTicks: Ticks;
  readonly maxTicks: Ticks;
  readonly resetTicks: Ticks;
}

export type SupervisorStrategy = 'one_for_one' | 'one_for_all' | 'rest_for_one';
export const SUPERVISOR_STRATEGIES: readonly SupervisorStrategy[] = ['one_for_one', 'one_for_all', 'rest_for_one'];
/** Erlang/OTP's restart types, written as `restart:` of a supervised agent or of a supervisor. */
export const RESTART_TYPES = ['permanent', 'transient', 'temporary'] as const;
export type RestartType = typeof RESTART_TYPES[number];

export interface SupervisorChildSpec {
  readonly kind: 'agent' | 'supervisor';
  /** Index into Spec.agents or Spec.supervisors. */
  readonly index: number;
}

/**
 * A supervisor (Erlang/OTP): when a child's processes end and their restart type asks for it,
 * it restarts by `strategy`; more than `intensity` restarts within `periodTicks` and it gives up:
 * its processes fail and its parent decides (the root's giving up leaves them failed).
 */
export interface SupervisorSpec {
  readonly index: number;
  readonly name: string;
  /** Default one_for_one. */
  readonly strategy: SupervisorStrategy;
  /** Restarts allowed within the period; default 1 (OTP's). */
  readonly intensity: number;
  /** Default 5s (OTP's). */
  readonly periodTicks: Ticks;
  /** The delay before each restart (CrashLoopBackOff per process). */
  readonly backoff: CrashLoopSpec;
  /** As a child of its parent supervisor; default permanent. */
  readonly restart: RestartPolicy;
  /** In the order they start (rest_for_one restarts the ones after the failed one). */
  readonly children: readonly SupervisorChildSpec[];
  /** The supervisor whose child this one is, or -1 for a root. */
  readonly parent: number;
  readonly line: number;
}

/** `agents.<name>.readiness`, after Kubernetes' readinessProbe. */
export interface ReadinessSpec {
  /** Not ready for this long after each (re)start (initialDelaySeconds); 0: ready at once. */
  readonly delayTicks: Ticks;
  /** How often the heap check looks (with `heapBytes`). */
  readonly periodTicks: Ticks;
  /** Not ready while its heap holds at least this much; absent: no heap check. */
  readonly heapBytes?: Bytes;
}

export interface AgentSpec {
  readonly index: number;
  readonly name: string;
  /** Processes started at boot; default 1. 0 means only `spawn` starts them. */
  readonly replicas: number;
  /** A node index, or 'any' (the kernel places; default). */
  readonly node: number | 'any';
  /** -20 (most favoured) .. 19 (least), like nice; default 0. */
  readonly priority: number;
  /** Heap limit per process; default the node heap (kernel.heapBytes). */
  readonly memoryBytes: Bytes;
  readonly restart: RestartSpec;
  /** Liveness probe period: a process that completes no step for this long fails (reason liveness); null: no probe. */
  readonly livenessTicks?: Ticks;
  /** Readiness probe: not ready, a process gets no messages from its shared input queues (kernel/autonomy/readiness.ts). */
  readonly readiness?: ReadinessSpec;
  readonly capabilities: readonly string[];
  /**
   * Credits each process may spend on bids over the run (not refilled by a restart); absent: no
   * budget. A budgeted process is in the economy: a bid its budget cannot cover, or one still
   * outbid when its timeout ends, fails it with RESOURCE_DENIED (`resource/denied`).
   */
  readonly budget?: number;
  /** `requires: [gpu]`: placed only on nodes offering all of these (cluster.capabilities). */
  readonly requires?: readonly string[];
  /** The built-in behaviour the program was expanded from, or null for a list of steps. */
  readonly behaviour: BehaviourName | null;
  /** The step program every process of this agent runs; reaching its end exits with code 0. */
  readonly program: readonly Step[];
  /** Ports the program uses, in order of first use; each is the end of exactly one channel. */
  readonly ports: readonly PortSpec[];
  /** Line of the agent's key. */
  readonly line: number;
}

export interface PortSpec {
  readonly name: string;
  readonly direction: 'in' | 'out';
  readonly channelIndex: number;
}

export interface Endpoint {
  readonly agentIndex: number;
  readonly agent: string;
  readonly port: string;
}

export interface ChannelSpec {
  readonly index: number;
  readonly from: Endpoint;
  readonly to: Endpoint;
  /** Messages the queue holds; a send to a full channel blocks. Default 64. */
  readonly capacity: number;
  /** A rate limit that delays senders, or null. */
  readonly rate: RateSpec | null;
  /** `breaker:` a circuit breaker on the channel's sends (kernel/autonomy/breakers.ts). */
  readonly breaker?: BreakerSpec;
  readonly line: number;
}

/** Opens when, within one window, at least `min` sends ended and `thresholdPpm` of them failed (dropped or timed out). */
export interface BreakerSpec {
  readonly thresholdPpm: Ppm;
  readonly windowTicks: Ticks;
  readonly min: number;
  /** Open this long, then half-open: one trial send decides. */
  readonly cooldownTicks: Ticks;
}

export interface SharedSpec {
  readonly index: number;
  readonly name: string;
  readonly type: SharedType;
  /** A workflow's task states in their order (a task only moves forward); [] for other types. */
  readonly states: readonly string[];
}

/** An expression's line and column are those of its first character in the spec text. */
export interface WatchSpec {
  readonly name: string;
  readonly expr: string;
  readonly line: number;
  readonly column: number;
}

export interface InvariantSpec {
  readonly name: string;
  /** A condition (see expr/): a violation is when it is false after an event. */
  readonly always: string;
  readonly line: number;
  readonly column: number;
}

export const RULE_SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
export type RuleSeverity = (typeof RULE_SEVERITIES)[number];

/** A rule: an invariant the audit report holds the run to, with how bad a violation is and what the rule says. */
export interface RuleSpec extends InvariantSpec {
  readonly severity: RuleSeverity;
  /** The rule in words ("no worker may fail"), shown with every violation. */
  readonly text: string;
}

export interface ResourceSpec {
  readonly index: number;
  readonly name: string;
  readonly units: number;
  /** Default 'second-price'. */
  readonly auction: AuctionKind;
}

// ---------------------------------------------------------------------------------------------
// Steps: the program a process interprets. Every step carries the spec line it came from (for a
// built-in behaviour: the line of its `program:`). A step that blocks (send to a full channel,
// recv on an empty one, bid) and has a timeout continues with the next step when the timeout
// expires; the event records that it timed out.

export type Step =
  | ComputeStep | IoStep | SleepStep
  | AllocStep | FreeStep
  | SendStep | RecvStep
  | SpawnStep | ExitStep
  | WriteStep | ReadStep
  | CrdtStep
  | BidStep | ReleaseStep
  | RepeatStep | ChooseStep
  | FailStep;

export type StepKind = Step['kind'];

/** Uses the CPU for a duration drawn from [minTicks, maxTicks] (preemptible). */
export interface ComputeStep { readonly kind: 'compute'; readonly minTicks: Ticks; readonly maxTicks: Ticks; readonly line: number }
/** Blocks on simulated I/O for a duration drawn from [minTicks, maxTicks] (off the CPU). */
export interface IoStep { readonly kind: 'io'; readonly minTicks: Ticks; readonly maxTicks: Ticks; readonly line: number }
/** Sleeps for a duration drawn from [minTicks, maxTicks]. */
export interface SleepStep { readonly kind: 'sleep'; readonly minTicks: Ticks; readonly maxTicks: Ticks; readonly line: number }

/**
 * Allocates `sizeBytes` on the process's node heap and binds it to `name`. Rebinding a name
 * leaves the old block allocated and unreachable (a leak) until the process exits. Beyond the
 * agent's memory limit or the node heap, the process fails.
 */
export interface AllocStep { readonly kind: 'alloc'; readonly sizeBytes: Bytes; readonly name: string; readonly line: number }
/** Frees the block bound to `name` (some alloc in the same program binds it); unbound at run time is a no-op event. */
export interface FreeStep { readonly kind: 'free'; readonly name: string; readonly line: number }

/** Sends a message of `sizeBytes` on an out port; blocks while the channel is full or rate-limited. */
export interface SendStep { readonly kind: 'send'; readonly port: string; readonly channelIndex: number; readonly sizeBytes: Bytes; readonly timeoutTicks: Ticks | null; readonly line: number }
/** Receives one message from an in port; blocks while it is empty. */
export interface RecvStep { readonly kind: 'recv'; readonly port: string; readonly channelIndex: number; readonly timeoutTicks: Ticks | null; readonly line: number }

/** Starts one more process of an agent (on that agent's placement). */
export interface SpawnStep { readonly kind: 'spawn'; readonly agent: string; readonly agentIndex: number; readonly line: number }
/** Ends the process with an exit code 0..255 (0 = success; anything else counts as a failure for restart). */
export interface ExitStep { readonly kind: 'exit'; readonly code: number; readonly line: number }

/** Appends `sizeBytes` to a file of the node's small file system (created if missing). */
export interface WriteStep { readonly kind: 'write'; readonly path: string; readonly sizeBytes: Bytes; readonly line: number }
/** Reads `sizeBytes` (or the whole file when null) from a file; a missing file is an event, not a failure. */
export interface ReadStep { readonly kind: 'read'; readonly path: string; readonly sizeBytes: Bytes | null; readonly line: number }

/**
 * An operation on the local replica (the process's node) of a `shared` object. Strings may hold
 * the placeholders {agent}, {replica}, {node} and {pid}, which the kernel substitutes.
 */
export interface CrdtStep { readonly kind: 'crdt'; readonly object: string; readonly objectIndex: number; readonly op: CrdtOp; readonly line: number }

export type CrdtOp =
  | { readonly name: 'counter/inc'; readonly amount: number }
  | { readonly name: 'counter/dec'; readonly amount: number }
  | { readonly name: 'set/add'; readonly element: string }
  | { readonly name: 'set/remove'; readonly element: string }
  | { readonly name: 'map/set'; readonly key: string; readonly value: string }
  | { readonly name: 'map/delete'; readonly key: string }
  /** Inserts at a character index (clamped to the text's length) or at the end. */
  | { readonly name: 'text/insert'; readonly at: number | 'end'; readonly text: string }
  /** Deletes up to `count` characters from index `at` (clamped). */
  | { readonly name: 'text/delete'; readonly at: number; readonly count: number }
  | { readonly name: 'register/set'; readonly value: string }
  /** Appends the point (current tick, value) to a time series. */
  | { readonly name: 'series/append'; readonly value: number }
  | { readonly name: 'graph/addVertex'; readonly vertex: string }
  | { readonly name: 'graph/removeVertex'; readonly vertex: string }
  /** Adds an edge and both its vertices. */
  | { readonly name: 'graph/addEdge'; readonly from: string; readonly to: string }
  | { readonly name: 'graph/removeEdge'; readonly from: string; readonly to: string }
  /** Moves a task to a state (an index into the workflow's states); never backwards. */
  | { readonly name: 'workflow/transition'; readonly task: string; readonly state: number };

export type CrdtOpName = CrdtOp['name'];

/** Bids `price` credits for `units` of a resource; blocks until the auction grants them (or timeout). */
export interface BidStep { readonly kind: 'bid'; readonly resource: string; readonly resourceIndex: number; readonly units: number; readonly price: number; readonly timeoutTicks: Ticks | null; readonly line: number }
/** Releases every unit of the resource the process holds (none held: a no-op event). */
export interface ReleaseStep { readonly kind: 'release'; readonly resource: string; readonly resourceIndex: number; readonly line: number }

/** Runs `body` `count` times, or forever when count is null. */
export interface RepeatStep { readonly kind: 'repeat'; readonly count: number | null; readonly body: readonly Step[]; readonly line: number }
/** Runs one branch, drawn with probability weight / weightTotal from the kernel PRNG. */
export interface ChooseStep { readonly kind: 'choose'; readonly branches: readonly ChooseBranch[]; readonly weightTotal: number; readonly line: number }
export interface ChooseBranch { readonly weight: number; readonly body: readonly Step[] }

/** Fails the process (exit `code`) with probability `probabilityPpm`, drawn from the kernel PRNG. */
export interface FailStep { readonly kind: 'fail'; readonly probabilityPpm: Ppm; readonly code: number; readonly line: number }

// ---------------------------------------------------------------------------------------------

/** One problem in a spec: where (path and 1-based line:column) and what was expected. */
export interface SpecError {
  /** Dotted path, e.g. `agents.mapper.program[2].send.size`; '' for the whole document. */
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export type ParseSpecResult =
  | { readonly ok: true; readonly spec: Spec }
  | { readonly ok: false; readonly errors: readonly SpecError[] };
