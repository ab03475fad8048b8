// Every limit the spec parser enforces, in one place. A spec that exceeds one gets an error
// naming the limit, the path and the line:column; nothing in a spec can grow without bound.
// The kernel relies on these (it sizes tables from them), and must also check PROCESSES_MAX
// against the core's own process table at boot.

/** Spec text, in UTF-16 code units (what a JS string's length counts). */
export const SPEC_TEXT_CHARS_MAX = 1024 * 1024;
/** Errors collected before the parser stops adding more (one extra error says so). */
export const SPEC_ERRORS_MAX = 100;

/** Agents declared under `agents`. */
export const AGENTS_MAX = 256;
/** `replicas` of one agent. */
export const REPLICAS_MAX = 4096;
/** Processes at boot: the sum of all agents' replicas. */
export const PROCESSES_MAX = 4096;
/** Steps of one agent's program after built-in behaviours are expanded (repeat bodies count). */
export const PROGRAM_STEPS_MAX = 1024;
/** Steps of all programs together. */
export const SPEC_STEPS_MAX = 65536;
/** Nesting depth of `repeat` / `choose` inside one program. */
export const NESTING_DEPTH_MAX = 8;
/** Branches of one `choose`. */
export const CHOOSE_BRANCHES_MAX = 64;
/** `repeat` count (forever is separate). */
export const REPEAT_COUNT_MAX = 1_000_000_000;
/** `weight` of one `choose` branch. */
export const CHOOSE_WEIGHT_MAX = 1_000_000;

/**
 * Cluster nodes (n0 .. n15): the core's own NODES_MAX (assembly/constants.ts), mirrored here
 * because the parser runs without a core; tests/unit/spec-core-limits.test.ts keeps them equal.
 */
export const NODES_MAX = 16;
/** Entries of `cluster.faults`. */
export const FAULTS_MAX = 256;
/** Channels. */
export const CHANNELS_MAX = 1024;
/** Messages one channel can hold. */
export const CHANNEL_CAPACITY_MAX = 65536;
/**
 * Messages all channels can hold together: the kernel's message pool and channel rings are sized
 * by this sum (src/kernel/state.ts, MESSAGES_MAX is this constant).
 */
export const CHANNELS_CAPACITY_TOTAL_MAX = 1 << 20;
/** Messages in one rate window (`100/ms` has count 100). */
export const RATE_COUNT_MAX = 1_000_000;
/** Objects under `shared`. */
export const SHARED_OBJECTS_MAX = 64;
/** States of one `workflow` shared object. */
export const WORKFLOW_STATES_MAX = 32;
/** Pools under `resources`. */
export const RESOURCES_MAX = 64;
/** Units of one resource pool. */
export const RESOURCE_UNITS_MAX = 1_000_000;
/** A bid's price (integer credits). */
export const PRICE_MAX = 1_000_000_000;
/** An agent's `budget` (integer credits per process). */
export const BUDGET_MAX = 1_000_000_000_000;
/** Entries of one agent's `capabilities`. */
export const CAPABILITIES_MAX = 16;
/** `restart: { max }`: restarts of one process before it stays failed. */
export const RESTARTS_MAX = 1000;

/** Names of agents, ports, shared objects, resources, allocations, capabilities. */
export const NAME_CHARS_MAX = 32;
/** File-system paths of `write` / `read`. */
export const FILE_PATH_CHARS_MAX = 128;
/** `name`, CRDT elements, keys, values and inserted text. */
export const TEXT_CHARS_MAX = 256;
/** `description`. */
export const DESCRIPTION_CHARS_MAX = 2048;

/** Any one size (alloc, send, write...): 1 GiB. */
export const SIZE_BYTES_MAX = 1024 * 1024 * 1024;
/** Simulated heap of one node. */
export const NODE_HEAP_BYTES_MIN = 64 * 1024;
export const NODE_HEAP_BYTES_MAX = 256 * 1024 * 1024;
/** Simulated heap of all nodes together. */
export const CLUSTER_HEAP_BYTES_MAX = 1024 * 1024 * 1024;
/**
 * Any one duration: 30 minutes of virtual time, in ticks (1 tick = 1 µs). A duration is carried
 * in a journal event's int32 field (a block's timeout, a computed step), so it must stay below 2^31.
 */
export const DURATION_TICKS_MAX = 1_800_000_000;
/**
 * `cluster.latency` of one link: 100 s. A message crosses at most NODES_MAX / 2 links (a ring), and
 * its whole delay is one int32 field of its ipc/sent event.
 */
export const LATENCY_TICKS_MAX = 100_000_000;
/** Scheduler quantum. */
export const QUANTUM_TICKS_MIN = 1;
export const QUANTUM_TICKS_MAX = 1_000_000;

/** Probabilities are integers in parts per million: 1 = PPM_ONE. */
export const PPM_ONE = 1_000_000;

/** `supervisors:` entries. */
export const SUPERVISORS_MAX = 64;
/** A supervisor's `intensity`: restarts it remembers within its period. */
export const SUPERVISOR_INTENSITY_MAX = 1000;
