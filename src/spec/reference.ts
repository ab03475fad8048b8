// The spec format in words: what every section's keys are (type, default, allowed values,
// meaning, example), every step and its arguments, every CRDT op, an example per behaviour. The
// in-app Reference and the editor's autocomplete render it; both are fetched on demand, so the
// words stay out of the kernel worker. The names, their order and which are required are not
// here: they are keys.ts's tables, which the parser validates with, and each table below holds
// the words for exactly those names, by name (a name without words here, or words for a name
// keys.ts does not have, fails `npm run typecheck` and tests/unit/spec-reference-names.test.ts).
// tests/unit/spec-reference.test.ts checks that every key the parser accepts is here and every
// example parses. Built-in behaviours keep their own table (behaviours.ts); their examples are
// here (BEHAVIOUR_EXAMPLES). Pure data: it imports types, enum lists and unit formatting, never
// the parser or yaml, so the UI can load it without them.
//
// To add a key: add its name to keys.ts, its words (type, default, meaning, example) to its
// section here, and read it in parse.ts; the tests fail until the example parses.

import type { ArgSpec } from './behaviours';
import { CRDT_OP_KEYS, SECTION_KEYS, STEP_KEYS, type CrdtOpNames, type KeyNames, type SectionId, type StepNames } from './keys';
import {
  ALLOCATOR_KINDS, AUCTION_KINDS, RESTART_POLICIES, RESTART_TYPES, SCHEDULER_POLICIES, SHARED_TYPES, SUPERVISOR_STRATEGIES, TOPOLOGIES,
  type SharedType, type StepKind, type TickRange,
} from './types';
import { formatDuration, formatProbabilityPpm, formatSize } from './units';
import { AUTONOMY_CAPACITY_FACTOR_MAX, AUTONOMY_MEMORY_FACTOR_MAX, AUTONOMY_REPLICAS_MAX, DETECTORS, SWITCH_VALUES } from './autonomy';

export type { SectionId } from './keys';
// The parser's look-ups, for the editor and the tests that read the reference through this file.
export { crdtArgKeys, crdtOpsOf, keysOf, requiredKeysOf, stepArgKeys, stepRequiredKeys } from './keys';

/** One key of a mapping (or one argument of a step). */
export interface KeyRef {
  readonly key: string;
  /** What the value is, in words: `size`, `duration or range`, `one of`, `mapping`, ... */
  readonly type: string;
  /** The values it takes when it is one of a fixed set (the same list the parser checks). */
  readonly values?: readonly string[];
  /** What the parser fills in when the key is absent, as spec text; undefined when required or none. */
  readonly default?: string;
  readonly required?: boolean;
  readonly doc: string;
  /** YAML as written at this key's place (indented from column 0). */
  readonly example: string;
  /**
   * The whole spec the example is checked in, when the section's template does not fit; holds
   * `{{example}}` on a line of its own, or is a complete spec without it.
   */
  readonly spec?: string;
}

/** What the tables below say about a key: all of KeyRef but its name and whether it is required (keys.ts). */
export type KeyWords = Omit<KeyRef, 'key' | 'required'>;

/** The words for exactly the names `Name`, by name. */
type WordsFor<Name extends string> = { readonly [K in Name]: KeyWords };

/** The names' keys in their order, each with its words and its required flag. */
function withWords(keys: readonly string[], required: readonly string[] | undefined, words: Readonly<Record<string, KeyWords>>): readonly KeyRef[] {
  return keys.map((key) => ({ key, ...(required?.includes(key) === true ? { required: true } : {}), ...words[key] }));
}

export interface SectionRef {
  readonly id: SectionId;
  readonly title: string;
  /** Where its keys are written: `kernel`, `agents.<name>`, `channels[]`, ... */
  readonly path: string;
  readonly doc: string;
  readonly keys: readonly KeyRef[];
  /** The spec each example is checked in: `{{example}}` on its own line, indented as it goes. */
  readonly template: string;
}

/** A section's words: its title, path, doc and template, and the words for each of its keys. */
interface SectionWords<S extends SectionId> extends Omit<SectionRef, 'id' | 'keys'> {
  readonly keys: WordsFor<(typeof SECTION_KEYS)[S]['keys'][number]>;
}

const IDLE = 'agents:\n  demo: { program: idle }';
const RESTART_VALUES: readonly string[] = [...RESTART_POLICIES, ...RESTART_TYPES];

/** Every section, in the order the Reference shows them; each key's words, by its name in SECTION_KEYS. */
export const SECTION_WORDS: { readonly [S in SectionId]: SectionWords<S> } = {
  top: {
    title: 'Top level',
    path: '',
    doc: 'A spec is a YAML (or JSON) mapping. Sizes take B, KiB, MiB, GiB; durations us, ms, s; both are integers.',
    template: `agentos: 1\n{{example}}\n${IDLE}`,
    keys: {
      agentos: { type: 'integer', values: ['1'], doc: 'The format version; this engine reads 1.', example: 'agentos: 1', spec: `{{example}}\n${IDLE}` },
      name: { type: 'string', default: 'untitled', doc: 'A title for the spec.', example: 'name: map-reduce' },
      description: { type: 'string', default: "''", doc: 'Free text about the spec (at most 2048 characters).', example: 'description: >\n  A source feeds four mappers.' },
      seed: { type: 'integer 0..4294967295', default: '1', doc: 'Seeds the kernel PRNG: the same seed gives the same run.', example: 'seed: 42' },
      kernel: { type: 'mapping', doc: 'Scheduler, quantum, heap per node, allocator and granule (see kernel).', example: 'kernel: { scheduler: eevdf, quantum: 500us }' },
      cluster: { type: 'mapping', doc: 'Nodes, topology, latency, loss and faults (see cluster); default one node, n0.', example: 'cluster: { nodes: 3, topology: ring }' },
      agents: { type: 'mapping of agents', doc: 'The agents, by name: each runs a built-in behaviour or a list of steps.', example: 'agents:\n  source: { program: producer, args: { count: 10 } }\n  sink: { program: consumer }\nchannels:\n  - { from: source.out, to: sink.in }', spec: 'agentos: 1\n{{example}}' },
      channels: { type: 'list of channels', default: '[]', doc: 'Message queues, each from an out port to an in port (see channels).', example: 'channels:\n  - { from: source.out, to: sink.in, capacity: 16 }', spec: 'agentos: 1\nagents:\n  source: { program: producer }\n  sink: { program: consumer }\n{{example}}' },
      shared: { type: 'mapping of CRDT objects', default: '{}', doc: 'Shared objects, one replica per node, changed by crdt steps (see shared).', example: 'shared:\n  visits: { type: pn-counter }\n  seen: or-set' },
      resources: { type: 'mapping of pools', default: '{}', doc: 'Finite pools that agents bid for (see resources).', example: 'resources:\n  gpu: { units: 4, auction: second-price }' },
      watch: { type: 'mapping of expressions', default: '{}', doc: 'Named expressions shown live, plotted in Metrics and exported as CSV (see the expression language in the README).', example: 'watch:\n  busy: agents.demo.running\n  time: tick' },
      invariants: { type: 'list of { name, always }', default: '[]', doc: 'Expressions checked after every event; one that becomes false is an invariant/violated event (a failure on the strip).', example: 'invariants:\n  - { name: no-failures, always: agents.demo.failed == 0 }' },
      rules: { type: 'list of { name, always, severity, text }', default: '[]', doc: 'Rules the audit holds the run to: invariants with a severity (info, warning, error, critical; default error) and a text. One that becomes false is a rule/violated event; the audit report (agentos audit, the Audit button) lists each violation with its cause chain and its Merkle inclusion proof.', example: 'rules:\n  - { name: demo-alive, always: agents.demo.failed == 0, severity: critical, text: the demo agent never fails }' },
      autonomy: { type: 'mapping', doc: 'The kernel watches itself: detectors, prediction, healing and tuning (see autonomy); absent: none of it runs.', example: 'autonomy: { heal: on }' },
      supervisors: { type: 'mapping of supervisors', default: '{}', doc: 'Erlang/OTP supervisor trees: each restarts its children (agents or supervisors) by a strategy, at most intensity times within period, then gives up and its parent decides (see supervisors).', example: 'supervisors:\n  app: { strategy: one_for_one, intensity: 3, period: 5s, children: [demo] }' },
    },
  },
  kernel: {
    title: 'kernel',
    path: 'kernel',
    doc: 'How each node schedules and allocates.',
    template: `agentos: 1\nkernel:\n  {{example}}\n${IDLE}`,
    keys: {
      scheduler: { type: 'one of', values: SCHEDULER_POLICIES, default: 'fair', doc: 'The scheduling policy of every node.', example: 'scheduler: eevdf' },
      quantum: { type: 'duration 1us..1s', default: '1ms', doc: 'The time slice a process runs before it may be preempted.', example: 'quantum: 500us' },
      memory: { type: 'size 64KiB..256MiB', default: '64MiB', doc: 'The simulated heap of each node (all nodes together at most 1GiB).', example: 'memory: 16MiB' },
      allocator: { type: 'one of, or a list with one per node', values: ALLOCATOR_KINDS, default: 'tlsf', doc: 'The heap allocator: tlsf, buddy, first-fit (address ordered) or best-fit; one for every node, or a list with one per node like [tlsf, best-fit].', example: 'allocator: best-fit' },
      granule: { type: '8B or 16B', default: '16B', doc: 'Every heap block is a whole number of granules (an allocation rounds up to one). 8B wastes less on programs of many small objects; memory must be a whole number of them.', example: 'granule: 8B' },
    },
  },
  cluster: {
    title: 'cluster',
    path: 'cluster',
    doc: 'Optional; without it there is one node, n0. Nodes are named n0 .. n{nodes-1}.',
    template: `agentos: 1\ncluster:\n  {{example}}\n${IDLE}`,
    keys: {
      nodes: { type: 'integer 1..64', default: '1', doc: 'How many nodes: n0 .. n{nodes-1}.', example: 'nodes: 3' },
      topology: { type: 'one of', values: TOPOLOGIES, default: 'mesh', doc: 'Which nodes are linked: mesh (all), star (n0 is the hub), ring (n(i) to n(i±1)).', example: 'topology: star' },
      latency: { type: 'duration or range', default: '1ms', doc: 'One-way delay of a message between two linked nodes, drawn uniformly from the range.', example: 'latency: 1ms..5ms' },
      loss: { type: 'probability', default: '0', doc: 'Probability a message between nodes is dropped: 0..1 (0.01) or a percentage (1%).', example: 'loss: 1%' },
      faults: { type: 'list of faults', default: '[]', doc: 'Partitions, heals, crashes and recoveries at given times (see faults).', example: 'faults:\n  - { at: 200ms, crash: n0 }\n  - { at: 400ms, recover: n0 }' },
      capabilities: { type: 'mapping of node to names', doc: 'What each node offers, for agents that require it: { n1: [gpu], n2: [gpu, fast] }; nodes not named offer nothing.', example: 'capabilities: { n1: [gpu] }', spec: `agentos: 1\ncluster:\n  nodes: 2\n  {{example}}\n${IDLE}` },
      failover: { type: 'on or off', values: ['on', 'off'], default: 'off', doc: 'on: when a node crashes, each of its processes that its restart policy or supervisor would restart moves to the least loaded live node offering what it requires (process/migrated, with the reason) and restarts there as its policy or supervisor decides; a process pinned by node:, or with no live node that fits, waits for its node (process/unplaced says why). off: they restart when their node recovers.', example: 'failover: on', spec: `agentos: 1\ncluster:\n  nodes: 2\n  {{example}}\n${IDLE}` },
    },
  },
  fault: {
    title: 'faults',
    path: 'cluster.faults[]',
    doc: 'Each item has `at` and exactly one of partition, heal, crash, recover; they apply in time order.',
    template: `agentos: 1\ncluster:\n  nodes: 3\n  faults:\n    {{example}}\n${IDLE}`,
    keys: {
      at: { type: 'duration', doc: 'When the fault happens, in virtual time.', example: '- { at: 1s, heal: all }' },
      partition: { type: 'list of node groups', doc: 'Splits the nodes into groups that cannot reach each other; nodes not named form one last group.', example: '- { at: 200ms, partition: [[n0], [n1, n2]] }' },
      heal: { type: 'all', values: ['all'], doc: 'Heals every partition.', example: '- { at: 400ms, heal: all }' },
      crash: { type: 'node', doc: 'The node stops: its processes fail, its messages are lost, its shared replicas keep their state.', example: '- { at: 500ms, crash: n1 }' },
      recover: { type: 'node', doc: 'A crashed node comes back; processes with restart other than never restart on it.', example: '- { at: 900ms, recover: n1 }' },
    },
  },
  agent: {
    title: 'agents',
    path: 'agents.<name>',
    doc: 'Each agent has a name (letters, digits, _ and -) and a program; its replicas are its processes.',
    template: 'agentos: 1\ncluster: { nodes: 2 }\nagents:\n  demo:\n    program: idle\n    {{example}}',
    keys: {
      program: { type: 'behaviour or list of steps', doc: 'A built-in behaviour (see Behaviours) or a list of steps (see Steps).', example: 'program:\n  - repeat: 3\n    do:\n      - compute: 1ms\n      - sleep: 10ms', spec: 'agentos: 1\nagents:\n  demo:\n    {{example}}' },
      args: { type: 'mapping', doc: 'The arguments of the built-in behaviour in program.', example: 'program: cpu-hog\nargs: { count: 100, slice: 2ms }', spec: 'agentos: 1\nagents:\n  demo:\n    {{example}}' },
      replicas: { type: 'integer 0..4096', default: '1', doc: 'Processes started at boot; 0: only spawn starts them.', example: 'replicas: 4' },
      node: { type: 'node or any', default: 'any', doc: 'Where its processes run: a node name like n1, or any (the kernel places them).', example: 'node: n1' },
      priority: { type: 'integer -20..19', default: '0', doc: 'Like nice: -20 is the most favoured, 19 the least.', example: 'priority: -5' },
      memory: { type: 'size', default: 'the node heap', doc: 'Heap limit per process; an allocation past it fails the process (an event, not a crash of the tab).', example: 'memory: 1MiB' },
      restart: { type: 'one of, or a mapping', values: RESTART_VALUES, default: 'never', doc: 'What happens when a process fails or exits (see restart). permanent, transient and temporary are OTP\'s names for always, on-failure and never; a supervised agent defaults to permanent.', example: 'restart: on-failure' },
      capabilities: { type: 'list of names', default: '[]', doc: 'Labels of what the agent can do (at most 16).', example: 'capabilities: [fast, gpu]' },
      budget: { type: 'integer credits', default: 'no budget', doc: 'Credits each process may spend on bids over the run (a restart does not refill it); granted bids pay from it. With a budget, a bid it cannot cover, or one still outbid when its timeout ends, fails the process with RESOURCE_DENIED (resource/denied).', example: 'budget: 100' },
      requires: { type: 'list of names', doc: 'Capabilities a node must offer (cluster.capabilities) to run its processes: at boot and at spawn the kernel places them on the least loaded such node (lowest index on ties); none offering them, or a node: that lacks one, is a spec error.', example: 'requires: [gpu]', spec: 'agentos: 1\ncluster: { nodes: 2, capabilities: { n1: [gpu] } }\nagents:\n  demo:\n    program: idle\n    {{example}}' },
      liveness: { type: 'duration', doc: 'A liveness probe (as Kubernetes\'): a process that completes no step for this long fails (probe/failed, reason liveness), and its restart or supervisor restarts it. A process waiting for messages completes no step either; choose a period longer than its waits (default: no probe).', example: 'liveness: 50ms' },
      readiness: { type: 'duration, or a mapping', doc: 'A readiness probe (as Kubernetes\'): a process that is not ready gets no messages from its input queues (another replica takes them; a recv waits until it is ready). readiness: 20ms: not ready for 20 ms after each start; or { delay, period, heap } (see readiness). Each change is probe/ready or probe/unready (default: always ready).', example: 'readiness: 20ms' },
    },
  },
  restart: {
    title: 'restart',
    path: 'agents.<name>.restart',
    doc: 'A policy alone (restart: on-failure) or a mapping with a limit and a backoff.',
    template: 'agentos: 1\nagents:\n  demo:\n    program: idle\n    restart:\n      policy: always\n      {{example}}',
    keys: {
      policy: { type: 'one of', values: RESTART_VALUES, doc: 'never (temporary); on-failure (transient: exit code other than 0, or fail); always (permanent).', example: 'policy: on-failure', spec: 'agentos: 1\nagents:\n  demo:\n    program: idle\n    restart:\n      {{example}}' },
      max: { type: 'integer 0..1000', default: '10', doc: 'Restarts of one process before it stays failed.', example: 'max: 3' },
      backoff: { type: 'duration, or a mapping', default: '1ms', doc: 'Virtual time between a failure and the restart; a mapping { initial, max, reset } is CrashLoopBackOff (see backoff).', example: 'backoff: 5ms' },
    },
  },
  supervisor: {
    title: 'supervisors',
    path: 'supervisors.<name>',
    doc: 'A supervisor as in Erlang/OTP. When a child\'s process ends and its restart type asks for a restart (permanent: always; transient: after a failure; temporary: never), the supervisor restarts by its strategy. More than intensity restarts within period and it gives up: its processes fail with reason supervisor, and its parent restarts it as one child (the root\'s giving up leaves them failed). A kill by the user is never restarted; processes on a crashed node restart when it recovers. Each decision is an event: supervisor/restarting, supervisor/gaveUp.',
    template: 'agentos: 1\nagents:\n  demo: { program: idle }\nsupervisors:\n  app:\n    children: [demo]\n    {{example}}',
    keys: {
      children: { type: 'list of names', doc: 'Agents and supervisors, in start order; each has one supervisor.', example: 'children: [demo]', spec: 'agentos: 1\nagents:\n  demo: { program: idle }\nsupervisors:\n  app:\n    {{example}}' },
      strategy: { type: 'one of', values: SUPERVISOR_STRATEGIES, default: 'one_for_one', doc: 'one_for_one restarts the process that ended; one_for_all stops and restarts every child; rest_for_one the child that ended and those listed after it.', example: 'strategy: one_for_all' },
      intensity: { type: 'integer 0..1000', default: '1', doc: 'Restarts allowed within period (OTP\'s default: 1 in 5 s); one more and the supervisor gives up.', example: 'intensity: 3' },
      period: { type: 'duration', default: '5s', doc: 'The window intensity counts restarts in.', example: 'period: 1s' },
      backoff: { type: 'duration, or a mapping', default: '{ initial: 10ms, max: 300ms, reset: 600ms }', doc: 'The delay before each restart, per process: CrashLoopBackOff (see backoff); a duration is a constant delay, 0us restarts at once as OTP does.', example: 'backoff: { initial: 1ms, max: 64ms }' },
      restart: { type: 'one of', values: RESTART_VALUES, default: 'permanent', doc: 'This supervisor\'s restart type as a child of its parent supervisor.', example: 'restart: transient' },
    },
  },
  backoff: {
    title: 'backoff',
    path: 'supervisors.<name>.backoff, agents.<name>.restart.backoff',
    doc: 'Kubernetes\' CrashLoopBackOff: the first restart in a row waits initial, each next one twice as long up to max; a process that ran reset without failing starts again from initial. The defaults are Kubernetes\' 10 s, 5 min and 10 min scaled 1:1000 to the simulation\'s milliseconds.',
    template: 'agentos: 1\nagents:\n  demo: { program: idle }\nsupervisors:\n  app:\n    children: [demo]\n    backoff:\n      {{example}}',
    keys: {
      initial: { type: 'duration', default: '10ms', doc: 'The delay before the first restart in a row.', example: 'initial: 1ms' },
      max: { type: 'duration', default: '300ms', doc: 'The cap the doubling stops at (at least initial).', example: 'max: 100ms' },
      reset: { type: 'duration', default: '600ms', doc: 'Running this long without failing starts the delays again from initial.', example: 'reset: 1s' },
    },
  },
  channel: {
    title: 'channels',
    path: 'channels[]',
    doc: 'A channel joins an out port (a program\'s send) to an in port (a recv). Into a replicated agent it is one queue its replicas share; out of one, it merges what they send. A send to a full channel blocks.',
    template: 'agentos: 1\nagents:\n  source: { program: producer }\n  sink: { program: consumer }\nchannels:\n  - from: source.out\n    to: sink.in\n    {{example}}',
    keys: {
      from: { type: 'agent.port', doc: 'The sending end: an out port of an agent.', example: '- { from: source.out, to: sink.in }', spec: 'agentos: 1\nagents:\n  source: { program: producer }\n  sink: { program: consumer }\nchannels:\n  {{example}}' },
      to: { type: 'agent.port', doc: 'The receiving end: an in port of an agent.', example: '- { from: source.out, to: sink.in }', spec: 'agentos: 1\nagents:\n  source: { program: producer }\n  sink: { program: consumer }\nchannels:\n  {{example}}' },
      capacity: { type: 'integer 1..65536', default: '64', doc: 'Messages the channel holds; a send to a full channel blocks.', example: 'capacity: 1024' },
      rate: { type: 'rate', doc: 'At most N messages enter per window: 100/ms, 5/10ms (default: no limit).', example: 'rate: 100/ms' },
      breaker: { type: 'mapping', doc: 'A circuit breaker (closed, open, half-open) on the channel\'s sends (see breaker; default: none).', example: 'breaker: { threshold: 50%, window: 10ms }' },
    },
  },
  readiness: {
    title: 'readiness',
    path: 'agents.<name>.readiness',
    doc: 'A readiness probe, after Kubernetes\' readinessProbe: while a process is not ready, messages on its input channels go to other replicas, and its own recv waits (blocked) until it is ready. Every change is an event: probe/ready (warmed up, or heap below the mark again) and probe/unready (heap at the mark). Give a delay, a heap, or both (neither: always ready).',
    template: 'agentos: 1\nagents:\n  demo:\n    program: idle\n    memory: 64KiB\n    readiness:\n      {{example}}',
    keys: {
      delay: { type: 'duration', default: '0us', doc: 'Not ready for this long after each start and restart (Kubernetes\' initialDelaySeconds), then probe/ready.', example: 'delay: 20ms' },
      period: { type: 'duration', default: '10ms', doc: 'How often the heap check looks.', example: 'period: 5ms' },
      heap: { type: 'size', doc: 'Not ready while the process\'s heap holds at least this much (at most its memory limit); ready again once below.', example: 'heap: 48KiB' },
    },
  },
  breaker: {
    title: 'breaker',
    path: 'channels[].breaker',
    doc: 'A circuit breaker, as in resilience libraries: closed, it counts the sends that end within each window (delivered, or failed: dropped or timed out); when at least min ended and threshold of them failed it opens (breaker/opened) and rejects every send at once (breaker/rejected: the step goes on, nothing is sent). After cooldown it is half-open (breaker/halfOpened): one trial send goes through and its outcome closes it (breaker/closed) or opens it again.',
    template: 'agentos: 1\nagents:\n  source: { program: producer }\n  sink: { program: consumer }\nchannels:\n  - from: source.out\n    to: sink.in\n    breaker:\n      {{example}}',
    keys: {
      threshold: { type: 'probability', default: '50%', doc: 'The share of failed sends in a window that opens it.', example: 'threshold: 25%' },
      window: { type: 'duration', default: '10ms', doc: 'The tumbling window sends are counted in.', example: 'window: 50ms' },
      min: { type: 'integer 1..1000000', default: '5', doc: 'Sends that must end in the window before it may open.', example: 'min: 20' },
      cooldown: { type: 'duration', default: '20ms', doc: 'How long it stays open before a trial send.', example: 'cooldown: 100ms' },
    },
  },
  shared: {
    title: 'shared',
    path: 'shared.<name>',
    doc: 'A CRDT object with one replica per node; crdt steps change the local replica. Short form: seen: or-set.',
    template: `agentos: 1\nshared:\n  demo:\n    {{example}}\n${IDLE}`,
    keys: {
      type: { type: 'one of', values: SHARED_TYPES, doc: 'pn-counter (inc/dec), g-counter (inc), or-set (add/remove), lww-map (set/delete), lww-register (set), text (insert/delete), time-series (append), graph (add-vertex/remove-vertex/add-edge/remove-edge), workflow (transition; needs states).', example: 'type: or-set' },
      states: { type: 'list of names', doc: 'A workflow\'s task states in order (a task only moves forward; at most 32). Only for type: workflow.', example: 'type: workflow\nstates: [pending, running, done]' },
    },
  },
  resource: {
    title: 'resources',
    path: 'resources.<name>',
    doc: 'A finite pool allocated by auction to bid steps. Short form: gpu: 4.',
    template: `agentos: 1\nresources:\n  gpu:\n    units: 4\n    {{example}}\n${IDLE}`,
    keys: {
      units: { type: 'integer 1..1000000', doc: 'Units in the pool.', example: 'units: 8', spec: `agentos: 1\nresources:\n  gpu:\n    {{example}}\n${IDLE}` },
      auction: { type: 'one of', values: AUCTION_KINDS, default: 'second-price', doc: 'How a contested pool is granted: the winner pays the second-highest bid, or its own.', example: 'auction: first-price' },
    },
  },
  autonomy: {
    title: 'autonomy',
    path: 'autonomy',
    doc: 'Detectors read the run after every event and report anomaly/detected (with the numbers they saw) and anomaly/predicted (a limit reached soon, by trend); with heal on, a heal/* event follows whose cause is that anomaly, so Why? explains it. An empty autonomy: turns everything on with these defaults.',
    template: `agentos: 1\nautonomy:\n  {{example}}\n${IDLE}`,
    keys: {
      detect: { type: 'list of detectors, all or none', values: DETECTORS, default: 'all', doc: 'leak (heap growth without matching frees over a window), hog (a process\'s CPU share of its node over a window), starvation (waited runnable longer than the bound since it last blocked, with under a quarter of an equal share of its node), congestion (a channel nearly full for a window), crash-loop (restarts within crash-window), deadlock (a waits-for cycle, named).', example: 'detect: [leak, deadlock]' },
      heal: { type: 'on or off', values: SWITCH_VALUES, default: 'on', doc: 'Act on anomalies: restart a leaking process before its allocation fails, lower a hog\'s priority, switch a starving node to fair, raise a full channel\'s capacity (within capacity), add a replica to a congested consumer (within replicas), shed load, raise the memory limit of an agent crash-looping over it (within memory). off: detect and predict only.', example: 'heal: off' },
      tune: { type: 'on or off', values: SWITCH_VALUES, default: 'off', doc: 'Classify each node\'s workload over each window (cpu-bound, io-bound, interactive) and switch its policy and quantum to fit, after the same class holds for 3 windows (no oscillation).', example: 'tune: on' },
      window: { type: 'duration 100us..10s', default: '10ms', doc: 'The window the leak, hog and congestion detectors and the classifier look over.', example: 'window: 5ms' },
      horizon: { type: 'duration', default: '20ms', doc: 'A heap or queue predicted (by its trend) to reach its limit within this is an anomaly/predicted; healing acts on it.', example: 'horizon: 50ms' },
      hog: { type: 'percentage', default: '90%', doc: 'CPU share of its node over a window, while others wait, that makes a process a hog.', example: 'hog: 80%' },
      starvation: { type: 'duration', default: '50ms', doc: 'Waiting runnable for longer than this in all since it last blocked, having had under a quarter of an equal share of its node\'s CPU meanwhile, is starvation.', example: 'starvation: 20ms' },
      congestion: { type: 'percentage', default: '90%', doc: 'A channel filled to this share of its capacity for a whole window is congested.', example: 'congestion: 75%' },
      'crash-loop': { type: 'integer 1..1000', default: '3', doc: 'Restarts of one process within crash-window that make a crash loop.', example: 'crash-loop: 5' },
      'crash-window': { type: 'duration', default: '100ms', doc: 'The window crash-loop counts restarts in.', example: 'crash-window: 1s' },
      capacity: { type: `integer 1..${AUTONOMY_CAPACITY_FACTOR_MAX}`, default: '4', doc: 'Healing raises a channel\'s capacity to at most this many times its spec capacity (1: never).', example: 'capacity: 8' },
      replicas: { type: `integer 0..${AUTONOMY_REPLICAS_MAX}`, default: '2', doc: 'Healing adds at most this many replicas to one agent (0: never).', example: 'replicas: 4' },
      memory: { type: `integer 1..${AUTONOMY_MEMORY_FACTOR_MAX}`, default: '4', doc: 'A crash loop of failures over the memory limit: healing doubles the agent\'s limit, to at most this many times its spec memory and never past the node\'s heap (1: never), as Kubernetes\' Vertical Pod Autoscaler does after out-of-memory kills.', example: 'memory: 8' },
      migrate: { type: 'on or off', values: SWITCH_VALUES, default: 'off', doc: 'Heal a CPU hog by moving it (heal/migrated, then process/migrated) to the live node with the fewest runnable processes that offers what it requires, when that node has at least 2 fewer runnable than the hog\'s; it goes on there with its heap and messages. A moved process is not moved again for 5 windows, and a move never makes the target busier than the source was, so it never ping-pongs. Else (no such node) the hog is reniced as without it.', example: 'migrate: on', spec: `agentos: 1\ncluster: { nodes: 2 }\nautonomy:\n  {{example}}\n${IDLE}` },
    },
  },
};

export const SECTIONS: readonly SectionRef[] = (Object.keys(SECTION_WORDS) as SectionId[]).map((id) => {
  const { keys, ...words } = SECTION_WORDS[id];
  const names: KeyNames = SECTION_KEYS[id];
  return { id, ...words, keys: withWords(names.keys, names.required, keys) };
});

// ---------------------------------------------------------------------------------------------
// Steps

export interface StepRef {
  readonly kind: StepKind;
  /** The short form, in words, when the step takes a scalar (`compute: 200us`); undefined when only the mapping. */
  readonly scalar?: string;
  readonly doc: string;
  /** The keys of its mapping form (empty when it has none). */
  readonly args: readonly KeyRef[];
  /** One or more list items as written in a program. */
  readonly example: string;
}

/** A step's words, with the words for each key of its mapping form in STEP_KEYS. */
interface StepWords<K extends StepKind> extends Omit<StepRef, 'kind' | 'args'> {
  readonly args: WordsFor<Extract<(typeof STEP_KEYS)[number], { kind: K }>['args'][number]>;
}

const DURATION_STEP = 'a duration or a range like 50us..150us (drawn from the kernel PRNG)';

export const STEP_WORDS: { readonly [K in StepKind]: StepWords<K> } = {
  compute: { scalar: DURATION_STEP, doc: 'Uses the CPU for that long (preemptible).', args: {}, example: '- compute: 50us..150us' },
  io: { scalar: DURATION_STEP, doc: 'Blocks on simulated I/O for that long (off the CPU).', args: {}, example: '- io: 2ms' },
  sleep: { scalar: DURATION_STEP, doc: 'Sleeps for that long.', args: {}, example: '- sleep: 10ms' },
  alloc: {
    doc: 'Allocates a block on the node heap and binds it to a name; rebinding a name leaks the old block.',
    args: {
      size: { type: 'size', doc: 'Bytes to allocate.', example: 'size: 4KiB' },
      as: { type: 'name', doc: 'The name free will use.', example: 'as: buf' },
    },
    example: '- alloc: { size: 4KiB, as: buf }\n- free: buf',
  },
  free: { scalar: 'the name an alloc bound (its as)', doc: 'Frees the block bound to that name.', args: {}, example: '- alloc: { size: 1KiB, as: scratch }\n- free: scratch' },
  send: {
    scalar: 'an out port name', doc: 'Sends a message on an out port; blocks while the channel is full or rate-limited.',
    args: {
      port: { type: 'port name', doc: 'The out port (a channel\'s from).', example: 'port: out' },
      size: { type: 'size', default: '64B', doc: 'Message size.', example: 'size: 256B' },
      timeout: { type: 'duration', doc: 'Give up after this long and go on (default: wait).', example: 'timeout: 5ms' },
    },
    example: '- send: { port: out, size: 256B, timeout: 5ms }',
  },
  recv: {
    scalar: 'an in port name', doc: 'Receives one message from an in port; blocks while it is empty.',
    args: {
      port: { type: 'port name', doc: 'The in port (a channel\'s to).', example: 'port: in' },
      timeout: { type: 'duration', doc: 'Give up after this long and go on (default: wait).', example: 'timeout: 10ms' },
    },
    example: '- recv: { port: in, timeout: 10ms }',
  },
  spawn: {
    scalar: 'an agent name', doc: 'Starts one more process of an agent.',
    args: { agent: { type: 'agent name', doc: 'The agent to start.', example: 'agent: helper' } },
    example: '- spawn: helper',
  },
  exit: {
    scalar: 'an exit code 0..255 (bare exit: 0)', doc: 'Ends the process; a code other than 0 is a failure for restart.',
    args: { code: { type: 'integer 0..255', default: '0', doc: 'The exit code.', example: 'code: 3' } },
    example: '- exit: 3',
  },
  write: {
    doc: 'Appends bytes to a file of the node\'s small file system (created if missing).',
    args: {
      path: { type: 'file path', doc: 'Starts with /; may hold {agent} {replica} {node} {pid}.', example: 'path: /logs/{agent}' },
      size: { type: 'size', doc: 'Bytes appended.', example: 'size: 1KiB' },
    },
    example: '- write: { path: /logs/out, size: 1KiB }',
  },
  read: {
    scalar: 'a file path', doc: 'Reads a file (all of it, or size bytes); a missing file is an event, not a failure.',
    args: {
      path: { type: 'file path', doc: 'The file.', example: 'path: /logs/out' },
      size: { type: 'size', doc: 'Bytes to read (default: the whole file).', example: 'size: 512B' },
    },
    example: '- read: { path: /logs/out, size: 512B }',
  },
  crdt: {
    doc: 'An operation on the local replica of a shared object; the op depends on its type (see CRDT operations).',
    args: {
      object: { type: 'shared object name', doc: 'A name under shared.', example: 'object: visits' },
      op: { type: 'op of its type', doc: 'inc/dec, add/remove, set/delete or insert/delete, by the object\'s type.', example: 'op: inc' },
    },
    example: '- crdt: { object: visits, op: inc, by: 2 }',
  },
  bid: {
    doc: 'Bids credits for units of a resource; blocks until the auction grants them.',
    args: {
      resource: { type: 'resource name', doc: 'A name under resources.', example: 'resource: gpu' },
      units: { type: 'integer', default: '1', doc: 'Units wanted (at most the pool\'s).', example: 'units: 2' },
      price: { type: 'integer credits', default: '1', doc: 'Credits offered.', example: 'price: 10' },
      timeout: { type: 'duration', doc: 'Give up after this long and go on (default: wait).', example: 'timeout: 50ms' },
    },
    example: '- bid: { resource: gpu, units: 2, price: 10 }\n- compute: 5ms\n- release: gpu',
  },
  release: {
    scalar: 'a resource name', doc: 'Gives back every unit of that resource the process holds.',
    args: { resource: { type: 'resource name', doc: 'A name under resources.', example: 'resource: gpu' } },
    example: '- release: gpu',
  },
  repeat: {
    scalar: 'a count, or forever', doc: 'Runs the steps under do that many times (nest at most 8 levels).',
    args: { do: { type: 'list of steps', doc: 'The steps to repeat (written beside repeat, not under it).', example: 'do:\n  - compute: 1ms' } },
    example: '- repeat: 10\n  do:\n    - compute: 1ms\n    - sleep: 5ms',
  },
  choose: {
    scalar: 'a list of branches', doc: 'Runs one branch, drawn with probability weight / total weight from the kernel PRNG.',
    args: {
      weight: { type: 'integer 0..1000000', doc: 'The branch\'s weight.', example: 'weight: 3' },
      do: { type: 'list of steps', doc: 'The branch\'s steps.', example: 'do: [ { compute: 1ms } ]' },
    },
    example: '- choose:\n    - { weight: 3, do: [ { compute: 1ms } ] }\n    - { weight: 1, do: [ { sleep: 1ms } ] }',
  },
  fail: {
    scalar: 'a probability', doc: 'Crashes the process with that probability (fault injection).',
    args: {
      probability: { type: 'probability', doc: '0..1 (0.01) or a percentage (1%).', example: 'probability: 0.1' },
      code: { type: 'integer 1..255', default: '1', doc: 'The exit code of the failure.', example: 'code: 7' },
    },
    example: '- fail: { probability: 1%, code: 7 }',
  },
};

/** Every step, in the parser's order (STEP_KEYS), with its words. */
export const STEPS: readonly StepRef[] = (STEP_KEYS as readonly StepNames[]).map((names) => {
  const { args, ...words } = STEP_WORDS[names.kind];
  return { kind: names.kind, ...words, args: withWords(names.args, names.required, args) };
});

/**
 * The spec a step example is checked in: agent `demo` runs it after joining ports `in` and `out`;
 * shared objects visits, seen, config, notes, a resource gpu and an agent helper exist.
 */
export const STEP_TEMPLATE = [
  'agentos: 1',
  'shared: { visits: pn-counter, seen: or-set, config: lww-map, notes: text, hits: g-counter, leader: lww-register, load: time-series, links: graph, jobs: { type: workflow, states: [pending, running, done] } }',
  'resources: { gpu: 4 }',
  'agents:',
  '  demo:',
  '    program:',
  '      - recv: in',
  '      - send: out',
  '      {{example}}',
  '  source: { program: producer }',
  '  sink: { program: consumer }',
  '  helper: { program: idle, replicas: 0 }',
  'channels:',
  '  - { from: source.out, to: demo.in }',
  '  - { from: demo.out, to: sink.in }',
].join('\n');

// ---------------------------------------------------------------------------------------------
// CRDT operations

export interface CrdtOpRef {
  readonly type: SharedType;
  readonly op: string;
  readonly doc: string;
  readonly args: readonly KeyRef[];
  readonly example: string;
}

/** An op's words, with the words for each of its arguments in CRDT_OP_KEYS. */
interface CrdtOpWords<Arg extends string> extends Omit<CrdtOpRef, 'type' | 'op' | 'args'> {
  readonly args: WordsFor<Arg>;
}

/** Each op's entry in CRDT_OP_WORDS is named `<type> <op>`. */
type CrdtOpNamed = (typeof CRDT_OP_KEYS)[number];

const PLACEHOLDER_NOTE = 'A string or an integer; may hold {agent} {replica} {node} {pid} (quote it in flow YAML).';

export const CRDT_OP_WORDS: { readonly [Op in CrdtOpNamed as `${Op['type']} ${Op['op']}`]: CrdtOpWords<Op['args'][number]> } = {
  'pn-counter inc': { doc: 'Adds to the counter.', args: { by: { type: 'integer 1..1000000000', default: '1', doc: 'The amount.', example: 'by: 2' } }, example: '- crdt: { object: visits, op: inc, by: 2 }' },
  'pn-counter dec': { doc: 'Subtracts from the counter.', args: { by: { type: 'integer 1..1000000000', default: '1', doc: 'The amount.', example: 'by: 1' } }, example: '- crdt: { object: visits, op: dec }' },
  'or-set add': { doc: 'Adds an element (add wins over a concurrent remove).', args: { element: { type: 'string', doc: PLACEHOLDER_NOTE, example: 'element: "{node}"' } }, example: '- crdt: { object: seen, op: add, element: "{node}" }' },
  'or-set remove': { doc: 'Removes an element.', args: { element: { type: 'string', doc: PLACEHOLDER_NOTE, example: 'element: a' } }, example: '- crdt: { object: seen, op: remove, element: a }' },
  'lww-map set': {
    doc: 'Sets a key (the last writer wins).',
    args: {
      key: { type: 'string', doc: PLACEHOLDER_NOTE, example: 'key: mode' },
      value: { type: 'string', doc: PLACEHOLDER_NOTE, example: 'value: fast' },
    },
    example: '- crdt: { object: config, op: set, key: mode, value: fast }',
  },
  'lww-map delete': { doc: 'Deletes a key.', args: { key: { type: 'string', doc: PLACEHOLDER_NOTE, example: 'key: mode' } }, example: '- crdt: { object: config, op: delete, key: mode }' },
  'text insert': {
    doc: 'Inserts text at a character index (clamped to the length) or at the end.',
    args: {
      at: { type: 'index or end', default: 'end', doc: 'Where to insert.', example: 'at: 0' },
      text: { type: 'string', doc: PLACEHOLDER_NOTE, example: 'text: hello' },
    },
    example: '- crdt: { object: notes, op: insert, at: 0, text: "hello from {agent} " }',
  },
  'text delete': {
    doc: 'Deletes up to count characters from index at (clamped).',
    args: {
      at: { type: 'index', default: '0', doc: 'The first character to delete.', example: 'at: 0' },
      count: { type: 'integer', default: '1', doc: 'Characters to delete.', example: 'count: 5' },
    },
    example: '- crdt: { object: notes, op: delete, at: 0, count: 5 }',
  },
  'g-counter inc': { doc: 'Adds to a grow-only counter (it never decreases).', args: { by: { type: 'integer 1..1000000000', default: '1', doc: 'The amount.', example: 'by: 2' } }, example: '- crdt: { object: hits, op: inc }' },
  'lww-register set': { doc: 'Writes the register (the last writer wins; in expressions its value if it is an integer, else 0).', args: { value: { type: 'string', doc: PLACEHOLDER_NOTE, example: 'value: "{replica}"' } }, example: '- crdt: { object: leader, op: set, value: "{pid}" }' },
  'time-series append': { doc: 'Appends the point (current tick, value); views show count, sum, min and max.', args: { value: { type: 'integer -1000000000..1000000000', doc: 'The point\'s value.', example: 'value: 5' } }, example: '- crdt: { object: load, op: append, value: 5 }' },
  'graph add-vertex': { doc: 'Adds a vertex (add wins over a concurrent remove).', args: { vertex: { type: 'string', doc: PLACEHOLDER_NOTE, example: 'vertex: "{node}"' } }, example: '- crdt: { object: links, op: add-vertex, vertex: "{node}" }' },
  'graph remove-vertex': { doc: 'Removes a vertex; its edges are hidden until it is added again.', args: { vertex: { type: 'string', doc: PLACEHOLDER_NOTE, example: 'vertex: hub' } }, example: '- crdt: { object: links, op: remove-vertex, vertex: hub }' },
  'graph add-edge': {
    doc: 'Adds an edge and both its vertices.',
    args: {
      from: { type: 'string', doc: PLACEHOLDER_NOTE, example: 'from: "{node}"' },
      to: { type: 'string', doc: PLACEHOLDER_NOTE, example: 'to: hub' },
    },
    example: '- crdt: { object: links, op: add-edge, from: "{node}", to: hub }',
  },
  'graph remove-edge': {
    doc: 'Removes an edge (its vertices stay).',
    args: {
      from: { type: 'string', doc: PLACEHOLDER_NOTE, example: 'from: "{node}"' },
      to: { type: 'string', doc: PLACEHOLDER_NOTE, example: 'to: hub' },
    },
    example: '- crdt: { object: links, op: remove-edge, from: "{node}", to: hub }',
  },
  'workflow transition': {
    doc: 'Moves a task to a state; never backwards (concurrent moves resolve to the later state).',
    args: {
      task: { type: 'string', doc: PLACEHOLDER_NOTE, example: 'task: "job{replica}"' },
      state: { type: 'one of the states', doc: 'One of the workflow\'s declared states.', example: 'state: running' },
    },
    example: '- crdt: { object: jobs, op: transition, task: "job{replica}", state: running }',
  },
};

/** Every op of every shared type, in the parser's order (CRDT_OP_KEYS), with its words. */
export const CRDT_OP_REFS: readonly CrdtOpRef[] = (CRDT_OP_KEYS as readonly CrdtOpNames[]).map((names) => {
  const { args, ...words } = (CRDT_OP_WORDS as Readonly<Record<string, CrdtOpWords<string>>>)[`${names.type} ${names.op}`];
  return { type: names.type, op: names.op, ...words, args: withWords(names.args, names.required, args) };
});

// ---------------------------------------------------------------------------------------------
// Examples of the built-in behaviours (their arguments are in behaviours.ts)

export interface BehaviourExample {
  /** The agent's keys, as written under agents.demo. */
  readonly example: string;
  /** Other agents (under agents:) and channels the example needs. */
  readonly agents?: string;
  readonly channels?: string;
  /** Top-level keys before agents: (shared, resources). */
  readonly head?: string;
}

export const BEHAVIOUR_EXAMPLES: Readonly<Record<string, BehaviourExample>> = {
  producer: { example: 'program: producer\nargs: { count: 1000, size: 256B, every: 20us }', agents: 'sink: { program: consumer }', channels: '- { from: demo.out, to: sink.in }' },
  consumer: { example: 'program: consumer\nargs: { work: 50us, timeout: 10ms }', agents: 'source: { program: producer }', channels: '- { from: source.out, to: demo.in }' },
  mapper: { example: 'program: mapper\nreplicas: 4\nargs: { work: 50us..150us, buffer: 4KiB, size: 128B }', agents: 'source: { program: producer }\nsink: { program: consumer }', channels: '- { from: source.out, to: demo.in }\n- { from: demo.out, to: sink.in }' },
  reducer: { example: 'program: reducer\nargs: { batch: 100, count: 20, state: 32KiB, output: /reduced }', agents: 'source: { program: producer }', channels: '- { from: source.out, to: demo.in }' },
  router: { example: 'program: router\nargs: { outs: [left, right], policy: random }', agents: 'source: { program: producer }\nleft: { program: consumer }\nright: { program: consumer }', channels: '- { from: source.out, to: demo.in }\n- { from: demo.left, to: left.in }\n- { from: demo.right, to: right.in }' },
  worker: { example: 'program: worker\nreplicas: 3\nargs: { jobs: 50, work: 1ms, memory: 64KiB, in: jobs, out: done }', agents: 'source: { program: producer }\nsink: { program: consumer }', channels: '- { from: source.out, to: demo.jobs }\n- { from: demo.done, to: sink.in }' },
  bidder: { example: 'program: bidder\nreplicas: 3\nargs: { resource: gpu, price: 10, hold: 5ms }', head: 'resources: { gpu: { units: 2 } }' },
  forager: { example: 'program: forager\nreplicas: 5\nargs: { find: 25%, counter: food }', head: 'shared: { food: pn-counter }' },
  'cpu-hog': { example: 'program: cpu-hog\npriority: -10\nargs: { slice: 10ms }' },
  leaker: { example: 'program: leaker\nmemory: 1MiB\nargs: { size: 4KiB, every: 1ms }' },
  idle: { example: 'program: idle\nargs: { period: 100ms }' },
};

// ---------------------------------------------------------------------------------------------
// Look-ups the editor uses (the parser's are in keys.ts)

export function section(id: SectionId): SectionRef {
  const found = SECTIONS.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no reference section "${id}"`);
  return found;
}

export function stepRef(kind: StepKind): StepRef {
  const found = STEPS.find((candidate) => candidate.kind === kind);
  if (found === undefined) throw new Error(`no reference entry for step "${kind}"`);
  return found;
}

/** `text` with `{{example}}` (on a line of its own) replaced by `example`, indented as the placeholder is. */
export function fillTemplate(template: string, example: string): string {
  return template.split('\n').flatMap((line) => {
    const at = line.indexOf('{{example}}');
    if (at < 0) return [line];
    const indent = line.slice(0, at);
    return example.split('\n').map((exampleLine) => (exampleLine === '' ? '' : indent + exampleLine));
  }).join('\n') + '\n';
}

/** The whole spec a key's example is checked in. */
export function keyExampleSpec(sectionRef: SectionRef, entry: KeyRef): string {
  return fillTemplate(entry.spec ?? sectionRef.template, entry.example);
}

/** The whole spec a step (or CRDT op) example is checked in. */
export function stepExampleSpec(example: string): string {
  return fillTemplate(STEP_TEMPLATE, example);
}

/** The whole spec a behaviour example is checked in: its agent is `demo`. */
export function behaviourExampleSpec(example: BehaviourExample): string {
  const indent = (text: string | undefined, by: string) => (text === undefined ? [] : text.split('\n').map((line) => by + line));
  return [
    'agentos: 1',
    ...indent(example.head, ''),
    'agents:',
    '  demo:',
    ...indent(example.example, '    '),
    ...indent(example.agents, '  '),
    ...(example.channels === undefined ? [] : ['channels:', ...indent(example.channels, '  ')]),
  ].join('\n') + '\n';
}

// What an empty editor offers lives in starter.ts (the page shows it without loading this table).
export { STARTER_SPEC } from './starter';

// ---------------------------------------------------------------------------------------------
// Behaviour arguments in words (their table is BEHAVIOURS in behaviours.ts)

/** An argument's type in words: `size`, `count or forever`, `one of`, ... */
export function argTypeText(arg: ArgSpec): string {
  const type = arg.type;
  switch (type.type) {
    case 'count': return 'count or forever';
    case 'integer': return `integer ${type.min}..${type.max}`;
    case 'size': return 'size';
    case 'range': return 'duration or range';
    case 'timeout': return 'duration';
    case 'port': return `${type.direction} port name`;
    case 'ports': return `list of ${type.direction} port names (1 to ${type.countMax})`;
    case 'probability': return 'probability';
    case 'resource': return 'resource name';
    case 'shared': return `shared ${type.sharedType} name`;
    case 'path': return 'file path';
    case 'oneOf': return 'one of';
  }
}

/** An argument's default as spec text, or undefined when it is required or has none. */
export function argDefaultText(arg: ArgSpec): string | undefined {
  const value = arg.default;
  if (value === undefined) return undefined;
  switch (arg.type.type) {
    case 'count': return value === null ? 'forever' : String(value);
    case 'size': return formatSize(value as number);
    case 'range': {
      const range = value as TickRange;
      return range.minTicks === range.maxTicks ? formatDuration(range.minTicks) : `${formatDuration(range.minTicks)}..${formatDuration(range.maxTicks)}`;
    }
    case 'probability': return formatProbabilityPpm(value as number);
    case 'ports': return `[${(value as readonly string[]).join(', ')}]`;
    default: return value === null ? undefined : String(value);
  }
}

/** The value an argument has in its behaviour's example (`args: { count: 10 }` -> '10'), if it sets it. */
function exampleArgValue(behaviour: string, name: string): string | undefined {
  const example = BEHAVIOUR_EXAMPLES[behaviour]?.example ?? '';
  const args = /^args: \{(.*)\}$/m.exec(example)?.[1] ?? '';
  // Flow values here never hold commas except inside [...].
  const match = new RegExp(`(?:^|,)\\s*${name.replace(/[-]/g, '\\-')}: (\\[[^\\]]*\\]|[^,]+)`).exec(args);
  return match?.[1].trim();
}

/** `name: value` for one argument: its value in the behaviour's example, else its default, else one of its type. */
export function behaviourArgExample(behaviour: string, arg: ArgSpec): string {
  const value = exampleArgValue(behaviour, arg.name) ?? argDefaultText(arg) ?? sampleArgValue(arg);
  return `${arg.name}: ${value}`;
}

function sampleArgValue(arg: ArgSpec): string {
  switch (arg.type.type) {
    case 'timeout': return '10ms';
    case 'resource': return 'gpu';
    case 'shared': return 'counter';
    case 'port': return arg.type.direction;
    default: return '1';
  }
}
