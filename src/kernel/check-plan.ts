// The spec's checks (invariants, then rules) after each event, evaluated only when what they read
// changed, without a function call per name or operator. Each check is compiled once into a flat
// program over numbers (conditions are 1 or 0, strings are numbered: equal strings, equal numbers)
// that one loop interprets. Its inputs (`tick`, `nodes.n0.up`, `agents.w.failed`, `event.type`,
// ...) are shared between checks. After an event, the inputs its type can change (EVENT_CHANGES:
// a switch or a compute step changes no node, channel, heap or shared object, and no other
// process) are read again, from a table of what to read, and compared with their values after the
// previous event; only the checks with a changed input run again. A check that reads a process
// chosen by an expression (`procs[event.pid]`) runs after every event.
//
// Inputs that cost more than a load are kept up to date instead of recomputed:
//  - `shared.<object>.*`: the object's version (operations and merges applied, restores) gates the
//    core call;
//  - `agents.<name>.<field>`: a sum over the agent's processes, kept per process; after an event
//    that changes no other process only the event's process is looked at again, after any other
//    event all of the agent's processes are.
// The result after every event is exactly the one the StateView's closures give (compile.ts's
// arithmetic, the same integers; a property test compares them event by event); the machine says
// when its state was put back (`invalidate`), and a check sequence that is not consecutive starts
// again from scratch.
import { divide, remainder, type AgentField, type Checked, type ProcField } from '../expr/index';
import type { Spec } from '../spec/types';
import { EVENT_SCHEMA, EventCode as E, EVENT_TYPES } from './events';
import { Scalar, Status, STATUS_NAMES, type KernelState } from './state';
import { capacityNow } from './autonomy/state';
import type { KernelExprView } from './spec-checks';

/** Classes of inputs, by what changes them. Tick, the event and agents.* sums are read after every event. */
export type InputClass = 'runnable' | 'node' | 'heap' | 'channel' | 'shared' | 'otherProcess';
const CLASS_BITS: Record<InputClass, number> = { runnable: 1, node: 2, heap: 4, channel: 8, shared: 16, otherProcess: 32 };
const ALWAYS = 64, EVERY_CLASS = 127;

/**
 * What an event of a frequent type may change, from its reducer up to the next event (the
 * machine's own moves included), beyond the tick and its own process (`otherProcess`: the values
 * of another process, or a new one). Types not listed may change anything. A test holds every
 * listed type to its list over the examples and random specs (tests/sim/check-plan.test.ts).
 */
export const EVENT_CHANGES: Readonly<Record<string, readonly InputClass[]>> = {
  'sched/switched': [], 'sched/preempted': [], 'cpu/computed': [], 'step/chose': [],
  'fs/read': [], 'fs/written': [], 'heap/freeSkipped': [], 'heap/exhausted': [], 'resource/released': [],
  'invariant/violated': [], 'rule/violated': [],
  'sched/blocked': ['runnable'], 'sched/woken': ['runnable'], 'resource/bid': ['runnable'],
  'heap/allocated': ['heap'], 'heap/freed': ['heap'],
  'crdt/applied': ['shared'], 'crdt/merged': ['shared'],
  'ipc/timedOut': ['runnable', 'channel'],
  // A send, a delivery, a receive or a drop wakes a process waiting on the channel.
  'ipc/sent': ['runnable', 'channel', 'otherProcess'], 'ipc/delivered': ['runnable', 'channel', 'otherProcess'],
  'ipc/received': ['runnable', 'channel', 'otherProcess'], 'ipc/dropped': ['runnable', 'channel', 'otherProcess'],
};
const CHANGES = new Uint8Array(EVENT_TYPES.length).fill(EVERY_CLASS);
for (const [type, classes] of Object.entries(EVENT_CHANGES)) {
  CHANGES[E[type as keyof typeof E]] = classes.reduce((bits, name) => bits | CLASS_BITS[name], ALWAYS);
}

const TICK = Scalar.tick, NEXT_PID = Scalar.nextPid, OTHER_PROCESS = CLASS_BITS.otherProcess;
const RUNNABLE = Status.runnable, RUNNING = Status.running, BLOCKED = Status.blocked, PAUSED = Status.paused;
const EXITED = Status.exited, FAILED = Status.failed;
const MAX = Number.MAX_SAFE_INTEGER;

const AGENT_FIELD_CODES: Record<AgentField, number> = {
  processes: 0, running: 1, blocked: 2, exited: 3, failed: 4, restarts: 5, cpuTicks: 6, sent: 7, received: 8, heapBytes: 9, spent: 10,
};

/** One agent's sum over its processes of one field, kept per process. */
class AgentSum {
  value = 0;
  /** The inputs that read this sum. */
  inputs = new Int32Array(0);
  readonly #field: number;
  readonly #per: Float64Array;
  /** The agent's pids in spawn order (pids are never reused); `#known`: pids looked at so far. */
  readonly #pids: number[] = [];
  #known = 0;

  constructor(readonly agent: number, field: AgentField, procsMax: number) {
    this.#field = AGENT_FIELD_CODES[field];
    this.#per = new Float64Array(procsMax);
  }

  #of(state: KernelState, pid: number): number {
    const status = state.procStatus[pid];
    switch (this.#field) {
      case 0: return 1;
      case 1: return status === RUNNING || status === RUNNABLE ? 1 : 0;
      case 2: return status === BLOCKED || status === PAUSED ? 1 : 0;
      case 3: return status === EXITED ? 1 : 0;
      case 4: return status === FAILED ? 1 : 0;
      case 5: return state.procRestarts[pid];
      case 6: return state.procCpuTicks[pid];
      case 7: return state.procSent[pid];
      case 8: return state.procReceived[pid];
      case 9: return state.procHeapBytes[pid];
      default: return state.procSpent.length > 0 ? state.procSpent[pid] : 0;
    }
  }

  /** Every process of the agent spawned so far, from scratch (after a seek, processes spawned later are left out). */
  recompute(state: KernelState): boolean {
    const spawned = state.scalars[NEXT_PID];
    this.#known = Math.min(this.#known, spawned);
    while (this.#pids.length > 0 && this.#pids[this.#pids.length - 1] >= this.#known) this.#pids.pop();
    for (; this.#known < spawned; this.#known++) if (state.procAgent[this.#known] === this.agent) this.#pids.push(this.#known);
    let sum = 0;
    for (let i = 0; i < this.#pids.length; i++) {
      const pid = this.#pids[i];
      const value = this.#of(state, pid);
      this.#per[pid] = value;
      sum += value;
    }
    const changed = sum !== this.value;
    this.value = sum;
    return changed;
  }

  /** Only `pid` may have changed (an event that changes no other process). */
  update(state: KernelState, pid: number): boolean {
    const value = this.#of(state, pid);
    const before = this.#per[pid];
    if (value === before) return false;
    this.value += value - before;
    this.#per[pid] = value;
    return true;
  }
}

// Const enums: their values are inlined, so the interpreter's switches compare with literals.
/** What an input reads, with its two arguments. */
const enum In {
  seq, tick, eventType, eventPid, eventNode,
  agent, proc, chanQueued, chanCapacity, chanSent, chanDelivered, chanDropped,
  nodeUp, nodeRunnable, nodeGroup, nodeCall, shared, converged,
}

/** Program operations; operands follow in the code. */
const enum Op {
  const, input, proc, neg, not, abs, min, max, cond,
  add, sub, mul, div, mod, lt, le, gt, ge, eq, ne, and, or,
}
const BINARY: Record<string, Op> = {
  '+': Op.add, '-': Op.sub, '*': Op.mul, '/': Op.div, '%': Op.mod, '<': Op.lt, '<=': Op.le, '>': Op.gt, '>=': Op.ge,
  '==': Op.eq, '!=': Op.ne, '&&': Op.and, '||': Op.or,
};
const PROC_FIELD_CODES: Record<ProcField, number> = {
  status: 0, agent: 1, replica: 2, node: 3, nice: 4, heapBytes: 5, cpuTicks: 6, sent: 7, received: 8, restarts: 9,
};

/** What a name reads: its In code and two arguments. */
type LeafInput = readonly [kind: In, a: number, b: number];

/** A name read by a table entry (not a process chosen by an expression), or undefined. */
function leafInput(node: Checked): LeafInput | undefined {
  switch (node.op) {
    case 'seq': return [In.seq, 0, 0];
    case 'tick': return [In.tick, 0, 0];
    case 'eventType': return [In.eventType, 0, 0];
    case 'eventPid': return [In.eventPid, 0, 0];
    case 'eventNode': return [In.eventNode, 0, 0];
    case 'agent': return [In.agent, node.agent, AGENT_FIELD_CODES[node.field]];
    case 'proc': return node.pid.op === 'const' ? [In.proc, node.pid.value as number, PROC_FIELD_CODES[node.field]] : undefined;
    case 'channel': {
      const kinds: Record<typeof node.field, In> = { queued: In.chanQueued, capacity: In.chanCapacity, sent: In.chanSent, delivered: In.chanDelivered, dropped: In.chanDropped };
      return [kinds[node.field], node.channel, 0];
    }
    case 'node':
      switch (node.field) {
        case 'up': return [In.nodeUp, node.node, 0];
        case 'runnable': return [In.nodeRunnable, node.node, 0];
        case 'group': return [In.nodeGroup, node.node, 0];
        default: return [In.nodeCall, node.node, node.field === 'heapFreeBytes' ? 0 : 1];
      }
    case 'shared': return [In.shared, node.object, node.node];
    case 'converged': return [In.converged, node.object, 0];
    default: return undefined;
  }
}

/** `c < x` is `x > c`. */
const MIRROR: Record<number, Op> = { [Op.lt]: Op.gt, [Op.le]: Op.ge, [Op.gt]: Op.lt, [Op.ge]: Op.le, [Op.eq]: Op.eq, [Op.ne]: Op.ne };

/** An input's value: what it reads, or that compared with its constant (1 or 0). */
function compared(value: number, compare: Op, against: number): number {
  switch (compare) {
    case Op.lt: return value < against ? 1 : 0;
    case Op.le: return value <= against ? 1 : 0;
    case Op.gt: return value > against ? 1 : 0;
    case Op.ge: return value >= against ? 1 : 0;
    case Op.eq: return value === against ? 1 : 0;
    case Op.ne: return value !== against ? 1 : 0;
    default: return value;
  }
}

function inputClass(kind: In): number {
  switch (kind) {
    case In.proc: return CLASS_BITS.otherProcess;
    case In.chanQueued: case In.chanCapacity: case In.chanSent: case In.chanDelivered: case In.chanDropped: return CLASS_BITS.channel;
    case In.nodeUp: case In.nodeGroup: return CLASS_BITS.node;
    case In.nodeRunnable: return CLASS_BITS.runnable;
    case In.nodeCall: return CLASS_BITS.heap;
    case In.shared: return CLASS_BITS.shared;
    case In.converged: return CLASS_BITS.shared | CLASS_BITS.node;
    default: return ALWAYS; // seq, tick, the event (agents.*: read when their sums change)
  }
}

const saturate = (value: number) => (value > MAX ? MAX : value < -MAX ? -MAX : value);

/** The machine's side of the plan: what the inputs read. */
export interface PlanSource {
  readonly state: KernelState;
  readonly spec: Spec;
  readonly view: KernelExprView;
}

export class CheckPlan {
  readonly #source: PlanSource;
  readonly #state: KernelState;
  readonly #machineCore: PlanSource['view']['source']['machineCore'];
  /** Strings as numbers: every string a check can see gets one. */
  readonly #strings = new Map<string, number>();
  readonly #typeString: Float64Array;
  readonly #statusString: Float64Array;
  readonly #agentString: Float64Array;
  readonly #freeString: number;
  readonly #noAgentString: number;

  /** The inputs: what each reads (In code, two arguments), its value after the last event, and the checks that read it (CSR). */
  readonly #inputKind: number[] = [];
  readonly #inputA: number[] = [];
  readonly #inputB: number[] = [];
  readonly #inputCompare: number[] = [];
  readonly #inputAgainst: number[] = [];
  /** Per input: the comparison applied to what it reads (Op.const: none) and its constant. */
  #compare = new Int32Array(0);
  #against = new Float64Array(0);
  /** What gated inputs (shared, converged) read last, before any comparison. */
  #raw = new Float64Array(0);
  #kind = new Int32Array(0);
  /** Its class bits (CLASS_BITS, ALWAYS): an event whose type cannot change them skips it. */
  #class = new Uint8Array(0);
  #argA = new Int32Array(0);
  #argB = new Int32Array(0);
  #values = new Float64Array(0);
  #readers = new Int32Array(0);
  #readersStart = new Int32Array(1);
  /** Gated inputs (shared, converged): the object version seen (-1: none). */
  #seen = new Float64Array(0);
  /** converged: the nodes' up flags seen, nodeCount per input. */
  #upSeen = new Uint8Array(0);

  readonly #sums: AgentSum[] = [];
  readonly #sumsByAgent: AgentSum[][];

  /** Each check's program (code and constants), and whether it runs after every event. */
  readonly #code: Int32Array[];
  readonly #consts: Float64Array[];
  readonly #always: Uint8Array;
  #alwaysList = new Int32Array(0);
  /** Checks with a changed input (dirty[i] = 1), listed in `#due` (the first #dueCount). */
  readonly #dirty: Uint8Array;
  readonly #due: Int32Array;
  #dueCount = 0;
  /** Per event type: the inputs it can change; every input; the inputs of a process (`procs[3]`). */
  #inputsAfter: Int32Array[] = [];
  #eventIsInputs: Int32Array[] = [];
  #everyInput = new Int32Array(0);
  #procInputs = new Int32Array(0);
  readonly #stack: Float64Array;
  #lastSeq = -1;
  #stale = true;
  #eventSeq = 0;
  #eventType = 0;
  #eventNode = 0;
  #eventPid = 0;
  /** The type of the event before (for `event.type == "x"` inputs). */
  #lastType = 0;

  constructor(source: PlanSource, checks: readonly Checked[]) {
    this.#source = source;
    this.#state = source.state;
    this.#machineCore = source.view.source.machineCore;
    const { spec } = source;
    this.#typeString = Float64Array.from(EVENT_SCHEMA, (schema) => this.#string(schema[0]));
    this.#statusString = Float64Array.from(STATUS_NAMES, (name) => this.#string(name));
    this.#agentString = Float64Array.from(spec.agents, (agent) => this.#string(agent.name));
    this.#freeString = this.#string('free');
    this.#noAgentString = this.#string('');
    this.#sumsByAgent = spec.agents.map(() => []);
    this.#always = new Uint8Array(checks.length);
    this.#dirty = new Uint8Array(checks.length);
    this.#due = new Int32Array(checks.length);

    const keys = new Map<string, number>();
    const readersOf: number[][] = [];
    let longest = 1;
    this.#code = [];
    this.#consts = [];
    checks.forEach((checked, check) => {
      const code: number[] = [], consts: number[] = [];
      /** An input (read once per event for every check that has it), pushed by the program. */
      const input = ([kind, a, b]: LeafInput, compare = Op.const, against = 0): void => {
        const key = `${kind}:${a}:${b}:${compare}:${against}`;
        let index = keys.get(key);
        if (index === undefined) {
          index = this.#inputKind.length;
          keys.set(key, index);
          this.#inputKind.push(kind);
          this.#inputA.push(a);
          this.#inputB.push(b);
          this.#inputCompare.push(compare);
          this.#inputAgainst.push(against);
          readersOf.push([]);
          if (kind === In.agent) this.#sums.push(new AgentSum(a, (Object.keys(AGENT_FIELD_CODES) as AgentField[])[b], this.#state.layout.procsMax));
        }
        if (!readersOf[index].includes(check)) readersOf[index].push(check);
        code.push(Op.input, index);
      };
      const constant = (value: number | boolean | string) => (typeof value === 'string' ? this.#string(value) : typeof value === 'boolean' ? (value ? 1 : 0) : value);
      const emit = (node: Checked): void => {
        const leaf = leafInput(node);
        if (leaf !== undefined) { input(leaf); return; }
        switch (node.op) {
          case 'const':
            code.push(Op.const, consts.length);
            consts.push(constant(node.value));
            return;
          case 'proc':
            // The process is chosen by an expression: read after every event.
            this.#always[check] = 1;
            emit(node.pid);
            code.push(Op.proc, PROC_FIELD_CODES[node.field]);
            return;
          case 'unary':
            emit(node.arg);
            code.push(node.operator === '-' ? Op.neg : Op.not);
            return;
          case 'call':
            node.args.forEach((arg) => emit(arg));
            if (node.fn === 'abs') code.push(Op.abs);
            else code.push(node.fn === 'min' ? Op.min : Op.max, node.args.length);
            return;
          case 'cond':
            emit(node.test);
            emit(node.then);
            emit(node.otherwise);
            code.push(Op.cond);
            return;
          case 'binary': {
            // A name compared with a constant is one input, its 1 or 0: it changes only when the
            // comparison does (`tick < 60s`, `event.type != "process/failed"`).
            const op = BINARY[node.operator];
            if (op >= Op.lt && op <= Op.ne) {
              const left = leafInput(node.left), right = leafInput(node.right);
              if (left !== undefined && node.right.op === 'const') { input(left, op, constant(node.right.value)); return; }
              if (right !== undefined && node.left.op === 'const') { input(right, MIRROR[op], constant(node.left.value)); return; }
            }
            emit(node.left);
            emit(node.right);
            code.push(op);
            return;
          }
          default:
            throw new Error(`check plan: ${node.op} has no operation`);
        }
      };
      emit(checked);
      if (code.length > longest) longest = code.length;
      this.#code.push(Int32Array.from(code));
      this.#consts.push(Float64Array.from(consts));
    });
    // A program pushes at most once per operation: its length bounds its stack.
    this.#stack = new Float64Array(longest);
    const count = this.#inputKind.length;
    this.#kind = Int32Array.from(this.#inputKind);
    this.#compare = Int32Array.from(this.#inputCompare);
    this.#against = Float64Array.from(this.#inputAgainst);
    this.#raw = new Float64Array(count);
    this.#class = Uint8Array.from(this.#inputKind, inputClass);
    const indices = Array.from({ length: count }, (_, i) => i);
    this.#everyInput = Int32Array.from(indices);
    // `event.type == "x"` (or !=): read after an x and after the event after it (its value changes only then).
    const typeOfString = new Map(Array.from(this.#typeString, (code, type) => [code, type]));
    const eventIs = (i: number) => this.#kind[i] === In.eventType && (this.#compare[i] === Op.eq || this.#compare[i] === Op.ne) && typeOfString.has(this.#against[i]);
    for (const i of indices) if (eventIs(i) || this.#kind[i] === In.agent) this.#class[i] = 0;
    this.#eventIsInputs = Array.from(CHANGES, (_, type) => Int32Array.from(indices.filter((i) => eventIs(i) && typeOfString.get(this.#against[i]) === type)));
    this.#inputsAfter = Array.from(CHANGES, (may, type) => Int32Array.from(indices.filter((i) => (this.#class[i] & may) !== 0 || (eventIs(i) && typeOfString.get(this.#against[i]) === type))));
    this.#procInputs = Int32Array.from(indices.filter((i) => this.#kind[i] === In.proc));
    this.#alwaysList = Int32Array.from(Array.from(this.#always.keys()).filter((check) => this.#always[check] === 1));
    this.#argA = Int32Array.from(this.#inputA);
    this.#argB = Int32Array.from(this.#inputB);
    this.#values = new Float64Array(count);
    this.#seen = new Float64Array(count).fill(-1);
    this.#upSeen = new Uint8Array(count * this.#state.layout.nodeCount);
    this.#readersStart = new Int32Array(count + 1);
    readersOf.forEach((list, index) => (this.#readersStart[index + 1] = this.#readersStart[index] + list.length));
    this.#readers = Int32Array.from(readersOf.flat());
    // Sums in input order: the n-th agent input reads the n-th sum.
    let sum = 0;
    for (let i = 0; i < count; i++) {
      if (this.#kind[i] !== In.agent) continue;
      this.#argB[i] = sum;
      this.#sums[sum].inputs = Int32Array.of(i);
      this.#sumsByAgent[this.#argA[i]].push(this.#sums[sum++]);
    }
  }

  #string(text: string): number {
    let code = this.#strings.get(text);
    if (code === undefined) this.#strings.set(text, (code = this.#strings.size));
    return code;
  }

  /** The state was put back (a snapshot restored): the next check starts from scratch. */
  invalidate(): void {
    this.#stale = true;
  }

  /**
   * After event `seq` (its type, node and process): writes each check's result to `broken` (1:
   * false now) and sets `pending[i]` when check i went from holding to broken. `report`: a
   * violation report, after which nothing is checked.
   */
  afterEvent(seq: number, type: number, node: number, pid: number, report: boolean, broken: Uint8Array, pending: Uint8Array): void {
    const state = this.#state;
    const fresh = this.#stale || seq !== this.#lastSeq + 1;
    this.#lastSeq = seq;
    this.#eventSeq = seq; this.#eventType = type; this.#eventNode = node; this.#eventPid = pid;
    const sums = this.#sums;
    if (fresh) {
      this.#stale = false;
      this.#seen.fill(-1);
      for (let i = 0; i < sums.length; i++) sums[i].recompute(state);
      const every = this.#everyInput;
      for (let k = 0; k < every.length; k++) this.#refresh(every[k], true);
      this.#lastType = type;
      if (report) return;
      this.#dueCount = 0;
      for (let check = 0; check < this.#dirty.length; check++) this.#check(check, broken, pending);
      return;
    }
    // agents.*: the event's process only, or every process when the event may change others.
    if (sums.length > 0) {
      if ((CHANGES[type] & OTHER_PROCESS) === 0) {
        if (pid >= 0 && pid < state.scalars[NEXT_PID]) {
          const own = this.#sumsByAgent[state.procAgent[pid]];
          for (let i = 0; i < own.length; i++) if (own[i].update(state, pid)) this.#refreshAll(own[i].inputs);
        }
      } else {
        for (let i = 0; i < sums.length; i++) if (sums[i].recompute(state)) this.#refreshAll(sums[i].inputs);
      }
    }
    // The inputs this type of event can change; `event.type == "x"` after an x and after the event after it.
    this.#refreshAll(this.#inputsAfter[type]);
    if (this.#lastType !== type) this.#refreshAll(this.#eventIsInputs[this.#lastType]);
    this.#lastType = type;
    // A process's own values, when the event is its.
    if ((CHANGES[type] & OTHER_PROCESS) === 0 && pid >= 0) {
      const own = this.#procInputs, argA = this.#argA;
      for (let k = 0; k < own.length; k++) if (argA[own[k]] === pid) this.#refresh(own[k], false);
    }
    if (report) return;
    const due = this.#dueCount, dirty = this.#dirty;
    this.#dueCount = 0;
    for (let k = 0; k < due; k++) this.#check(this.#due[k], broken, pending);
    const always = this.#alwaysList;
    for (let k = 0; k < always.length; k++) if (dirty[always[k]] === 0) this.#check(always[k], broken, pending);
  }

  #refreshAll(inputs: Int32Array): void {
    for (let k = 0; k < inputs.length; k++) this.#refresh(inputs[k], false);
  }

  /** Reads input i again; when its value changed (or `fresh`), the checks that read it are due. */
  #refresh(i: number, fresh: boolean): void {
    const value = compared(this.#read(i), this.#compare[i], this.#against[i]);
    const values = this.#values;
    if (value === values[i] && !fresh) return;
    values[i] = value;
    const readers = this.#readers, dirty = this.#dirty, end = this.#readersStart[i + 1];
    for (let j = this.#readersStart[i]; j < end; j++) {
      const check = readers[j];
      if (dirty[check] === 0) { dirty[check] = 1; this.#due[this.#dueCount++] = check; }
    }
  }

  /** Runs check i and records whether it broke just now. */
  #check(check: number, broken: Uint8Array, pending: Uint8Array): void {
    this.#dirty[check] = 0;
    const now = this.#run(check) === 0 ? 1 : 0;
    if (now === 1 && broken[check] === 0) pending[check] = 1;
    broken[check] = now;
  }

  /** Input i's value now. */
  #read(i: number): number {
    const state = this.#state;
    const a = this.#argA[i];
    switch (this.#kind[i]) {
      case In.seq: return this.#eventSeq;
      case In.tick: return state.scalars[TICK];
      case In.eventType: return this.#typeString[this.#eventType];
      case In.eventPid: return this.#eventPid;
      case In.eventNode: return this.#eventNode;
      case In.agent: return this.#sums[this.#argB[i]].value;
      case In.proc: return this.#proc(a, this.#argB[i]);
      case In.chanQueued: return state.chanQueued[a];
      case In.chanCapacity: return capacityNow(state, this.#source.spec, a);
      case In.chanSent: return state.chanSent[a];
      case In.chanDelivered: return state.chanDelivered[a];
      case In.chanDropped: return state.chanDropped[a];
      case In.nodeUp: return state.nodeUp[a] !== 0 ? 1 : 0;
      case In.nodeRunnable: return state.nodeRunnable[a];
      case In.nodeGroup: return state.nodeGroup[a];
      case In.nodeCall: return this.#source.view.node(a, this.#argB[i] === 0 ? 'heapFreeBytes' : 'heapUsedBytes');
      case In.shared: {
        const shared = this.#machineCore.shared();
        if (shared === undefined) return 0;
        const version = shared.version(a);
        if (version === this.#seen[i]) return this.#raw[i];
        this.#seen[i] = version;
        return (this.#raw[i] = shared.numeric(a, this.#argB[i]));
      }
      default: { // converged
        const shared = this.#machineCore.shared();
        if (shared === undefined) return 1;
        const version = shared.version(a);
        const nodes = state.layout.nodeCount, up = this.#upSeen, base = i * nodes;
        let same = version === this.#seen[i];
        for (let n = 0; n < nodes; n++) if (up[base + n] !== state.nodeUp[n]) { up[base + n] = state.nodeUp[n]; same = false; }
        if (same) return this.#raw[i];
        this.#seen[i] = version;
        return (this.#raw[i] = this.#source.view.converged(a) ? 1 : 0);
      }
    }
  }

  /** `procs[pid].field` as the view reads it: a pid not spawned (yet) reads "free", "" and zeros. */
  #proc(pid: number, field: number): number {
    const state = this.#state;
    if (!(Number.isInteger(pid) && pid >= 0 && pid < state.scalars[NEXT_PID])) return field === 0 ? this.#freeString : field === 1 ? this.#noAgentString : 0;
    switch (field) {
      case 0: return this.#statusString[state.procStatus[pid]];
      case 1: return this.#agentString[state.procAgent[pid]];
      case 2: return state.procReplica[pid];
      case 3: return state.procNode[pid];
      case 4: return state.procNice[pid];
      case 5: return state.procHeapBytes[pid];
      case 6: return state.procCpuTicks[pid];
      case 7: return state.procSent[pid];
      case 8: return state.procReceived[pid];
      default: return state.procRestarts[pid];
    }
  }

  /** Runs check i's program on the inputs' values; its result (a condition: 1 or 0). */
  #run(check: number): number {
    const code = this.#code[check], consts = this.#consts[check], values = this.#values, stack = this.#stack;
    let top = -1;
    for (let pc = 0; pc < code.length;) {
      switch (code[pc++]) {
        case Op.const: stack[++top] = consts[code[pc++]]; break;
        case Op.input: stack[++top] = values[code[pc++]]; break;
        case Op.proc: stack[top] = this.#proc(stack[top], code[pc++]); break;
        case Op.neg: stack[top] = -stack[top] + 0; break;
        case Op.not: stack[top] = stack[top] === 0 ? 1 : 0; break;
        case Op.abs: stack[top] = Math.abs(stack[top]); break;
        case Op.min: case Op.max: {
          const min = code[pc - 1] === Op.min, n = code[pc++];
          top -= n - 1;
          let result = stack[top];
          for (let k = 1; k < n; k++) result = min ? Math.min(result, stack[top + k]) : Math.max(result, stack[top + k]);
          stack[top] = result;
          break;
        }
        case Op.cond: top -= 2; stack[top] = stack[top] !== 0 ? stack[top + 1] : stack[top + 2]; break;
        case Op.add: top--; stack[top] = saturate(stack[top] + stack[top + 1]); break;
        case Op.sub: top--; stack[top] = saturate(stack[top] - stack[top + 1]); break;
        case Op.mul: top--; stack[top] = saturate(stack[top] * stack[top + 1]) + 0; break;
        case Op.div: top--; stack[top] = divide(stack[top], stack[top + 1]); break;
        case Op.mod: top--; stack[top] = remainder(stack[top], stack[top + 1]); break;
        case Op.lt: top--; stack[top] = stack[top] < stack[top + 1] ? 1 : 0; break;
        case Op.le: top--; stack[top] = stack[top] <= stack[top + 1] ? 1 : 0; break;
        case Op.gt: top--; stack[top] = stack[top] > stack[top + 1] ? 1 : 0; break;
        case Op.ge: top--; stack[top] = stack[top] >= stack[top + 1] ? 1 : 0; break;
        case Op.eq: top--; stack[top] = stack[top] === stack[top + 1] ? 1 : 0; break;
        case Op.ne: top--; stack[top] = stack[top] !== stack[top + 1] ? 1 : 0; break;
        case Op.and: top--; stack[top] = stack[top] !== 0 && stack[top + 1] !== 0 ? 1 : 0; break;
        default: top--; stack[top] = stack[top] !== 0 || stack[top + 1] !== 0 ? 1 : 0; break; // Op.or
      }
    }
    return stack[0];
  }
}

