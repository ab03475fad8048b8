// The spec's expressions in the kernel: the state view expressions read (KernelExprView), and the
// invariants, checked after every event. A check reads state and writes only the invariant
// arrays of the state (which snapshots and stateHash cover), so a re-execution checks alike:
//   after event S: for each invariant false now and not false after the last check, mark it due;
//   the next action emits `invariant/violated` for the lowest due invariant (cause: event S),
//   carrying the values that broke it. Violation events are reports, not checked themselves.
import { compileExpression, explain, ExprError, partById, sourceOf, type Compiled, type StateView } from '../expr/index';
import type { AgentField, ChannelField, NodeField, ProcField } from '../expr/index';
import type { RuleSpec, Spec } from '../spec/types';
import type { KernelContext } from './context';
import { EVENT_SCHEMA, EVENT_TYPES, EventCode, INVARIANT_PART_STRIDE } from './events';
import type { Journal } from './journal/journal';
import { NONE, Scalar, Status, STATUS_NAMES, type KernelState } from './state';
import type { CorePorts } from './syscalls/ports';
import type { SharedObjects } from './syscalls/shared-port';
import { capacityNow } from './autonomy/state';
import { CheckPlan } from './check-plan';

export const VIOLATED = EventCode['invariant/violated'];
export const RULE_VIOLATED = EventCode['rule/violated'];
/** A violation report (of an invariant or a rule): not itself checked, never a cause of another report. */
export const isViolationReport = (type: number) => type === VIOLATED || type === RULE_VIOLATED;

/** What the view reads: the machine's state, journal and core (a Machine satisfies it). */
export interface ViewSource {
  readonly ctx: KernelContext;
  readonly state: KernelState;
  readonly journal: Journal;
  readonly cursor: number;
  readonly core: CorePorts;
  readonly machineCore: { shared(): SharedObjects | undefined };
}

/** The expression context of a spec in this kernel: its names and the kernel's lists. */
export const exprContext = (spec: Spec) => ({ spec, eventTypes: EVENT_TYPES, statuses: STATUS_NAMES });

/** An expression error in a spec's watch or invariant, with its spec line:column. */
export class SpecExpressionError extends Error {
  constructor(readonly path: string, readonly line: number, readonly column: number, readonly description: string) {
    super(`${path}: ${description} at ${line}:${column}`);
    this.name = 'SpecExpressionError';
  }
}

/** Reads the kernel state for expressions, at the machine's cursor. */
export class KernelExprView implements StateView {
  /** Pids of each agent in spawn order (pids are never reused, so the lists only grow). */
  readonly #agentPids: number[][];
  #pidsKnown = 0;

  constructor(readonly source: ViewSource) {
    this.#agentPids = source.ctx.spec.agents.map(() => []);
  }

  seq(): number { return this.source.cursor - 1; }
  tick(): number { return this.source.state.scalars[Scalar.tick]; }
  eventType(): string {
    const seq = this.source.cursor - 1;
    return seq < 0 ? '' : EVENT_SCHEMA[this.source.journal.type(seq)][0];
  }
  eventPid(): number {
    const seq = this.source.cursor - 1;
    return seq < 0 ? NONE : this.source.journal.pid(seq);
  }
  eventNode(): number {
    const seq = this.source.cursor - 1;
    return seq < 0 ? NONE : this.source.journal.node(seq);
  }

  agent(agent: number, field: AgentField): number {
    const { state } = this.source;
    const spawned = state.scalars[Scalar.nextPid];
    for (; this.#pidsKnown < spawned; this.#pidsKnown++) this.#agentPids[state.procAgent[this.#pidsKnown]].push(this.#pidsKnown);
    const pids = this.#agentPids[agent];
    let sum = 0;
    for (let i = 0; i < pids.length; i++) {
      const pid = pids[i];
      if (pid >= spawned) break; // after a seek back: pids spawned later in the run
      const status = state.procStatus[pid];
      switch (field) {
        case 'processes': sum++; break;
        case 'running': if (status === Status.running || status === Status.runnable) sum++; break;
        case 'blocked': if (status === Status.blocked || status === Status.paused) sum++; break;
        case 'exited': if (status === Status.exited) sum++; break;
        case 'failed': if (status === Status.failed) sum++; break;
        case 'restarts': sum += state.procRestarts[pid]; break;
        case 'cpuTicks': sum += state.procCpuTicks[pid]; break;
        case 'sent': sum += state.procSent[pid]; break;
        case 'received': sum += state.procReceived[pid]; break;
        case 'heapBytes': sum += state.procHeapBytes[pid]; break;
        case 'spent': if (state.procSpent.length > 0) sum += state.procSpent[pid]; break;
      }
    }
    return sum;
  }

  #spawned(pid: number): boolean {
    return Number.isInteger(pid) && pid >= 0 && pid < this.source.state.scalars[Scalar.nextPid];
  }

  procText(pid: number, field: 'status' | 'agent'): string {
    const { state, ctx } = this.source;
    if (!this.#spawned(pid)) return field === 'status' ? 'free' : '';
    return field === 'status' ? STATUS_NAMES[state.procStatus[pid]] : ctx.spec.agents[state.procAgent[pid]].name;
  }

  proc(pid: number, field: Exclude<ProcField, 'status' | 'agent'>): number {
    if (!this.#spawned(pid)) return 0;
    const { state } = this.source;
    switch (field) {
      case 'replica': return state.procReplica[pid];
      case 'node': return state.procNode[pid];
      case 'nice': return state.procNice[pid];
      case 'heapBytes': return state.procHeapBytes[pid];
      case 'cpuTicks': return state.procCpuTicks[pid];
      case 'sent': return state.procSent[pid];
      case 'received': return state.procReceived[pid];
      case 'restarts': return state.procRestarts[pid];
    }
  }

  channel(channel: number, field: ChannelField): number {
    const { state, ctx } = this.source;
    switch (field) {
      case 'queued': return state.chanQueued[channel];
      case 'capacity': return capacityNow(state, ctx.spec, channel);
      case 'sent': return state.chanSent[channel];
      case 'delivered': return state.chanDelivered[channel];
      case 'dropped': return state.chanDropped[channel];
    }
  }

  node(node: number, field: NodeField): number {
    const { state, ctx, core } = this.source;
    switch (field) {
      case 'up': return state.nodeUp[node];
      case 'runnable': return state.nodeRunnable[node];
      case 'group': return state.nodeGroup[node];
      case 'heapFreeBytes': return core.heap.freeBytes(node);
      case 'heapUsedBytes': return ctx.spec.kernel.heapBytes - core.heap.freeBytes(node);
    }
  }

  shared(object: number, node: number): number {
    return this.source.machineCore.shared()?.numeric(object, node) ?? 0;
  }

  converged(object: number): boolean {
    const shared = this.source.machineCore.shared();
    if (!shared) return true;
    const { state } = this.source;
    let first: bigint | undefined;
    for (let node = 0; node < state.layout.nodeCount; node++) {
      if (!state.nodeUp[node]) continue;
      const hash = shared.replicaHash(object, node);
      if (first === undefined) first = hash;
      else if (hash !== first) return false;
    }
    return true;
  }
}

const int32 = (value: number) => Math.max(-0x80000000, Math.min(0x7fffffff, value));

/** Compiles a spec's expression; an error names the spec key and its line:column. */
export function compileSpecExpression(spec: Spec, text: string, where: { path: string; line: number; column: number }, want: 'bool' | 'value'): Compiled {
  try {
    return compileExpression(text, exprContext(spec), want);
  } catch (error) {
    if (!(error instanceof ExprError)) throw error;
    throw new SpecExpressionError(where.path, where.line, where.column + error.offset, error.description);
  }
}

/**
 * The spec's invariants and then its rules, compiled (index i < invariantCount: invariant i; after
 * that, rule i - invariantCount); the machine calls it after each event and before each action.
 */
export class InvariantChecks {
  /**
   * Tests only: evaluate every check after every event through the StateView (the reference the
   * plan is compared with), instead of the plan's only-what-changed (check-plan.ts).
   */
  static reference = false;
  readonly compiled: readonly Compiled[];
  readonly invariantCount: number;
  readonly #plan: CheckPlan | undefined;

  constructor(readonly view: KernelExprView, spec: Spec) {
    this.invariantCount = spec.invariants.length;
    this.compiled = [
      ...spec.invariants.map((invariant) => compileSpecExpression(spec, invariant.always, { path: `invariants.${invariant.name}.always`, line: invariant.line, column: invariant.column }, 'bool')),
      ...spec.rules.map((rule) => compileSpecExpression(spec, rule.always, { path: `rules.${rule.name}.always`, line: rule.line, column: rule.column }, 'bool')),
    ];
    const { state } = view.source;
    this.#plan = InvariantChecks.reference ? undefined : new CheckPlan({ state, spec, view }, this.compiled.map((c) => c.checked));
  }

  /** The state was put back (a snapshot restored): the next check looks at everything again. */
  invalidate(): void {
    this.#plan?.invalidate();
  }

  /** After event `seq` (its type, node and process): which invariants broke just now. A violation report is not checked. */
  afterEvent(state: KernelState, seq: number, type: number, node: number, pid: number): void {
    const report = isViolationReport(type);
    if (this.#plan !== undefined) {
      this.#plan.afterEvent(seq, type, node, pid, report, state.invariantBroken, state.invariantPending);
      return;
    }
    if (report) return;
    const { compiled, view } = this;
    for (let i = 0; i < compiled.length; i++) {
      const broken = compiled[i].evaluate(view) ? 0 : 1;
      if (broken && !state.invariantBroken[i]) state.invariantPending[i] = 1;
      state.invariantBroken[i] = broken;
    }
  }

  /** The lowest invariant whose violation is due, or -1. */
  due(state: KernelState): number {
    for (let i = 0; i < state.invariantPending.length; i++) if (state.invariantPending[i]) return i;
    return -1;
  }

  /** The violation event for check `index` at this state: its type and fields (values clamped to the journal's int32). */
  fields(index: number): { type: number; invariant: number; left: number; right: number } {
    const why = explain(this.compiled[index].checked, this.view);
    const rule = index >= this.invariantCount;
    const own = rule ? index - this.invariantCount : index;
    return { type: rule ? RULE_VIOLATED : VIOLATED, invariant: own + INVARIANT_PART_STRIDE * why.part.id, left: int32(why.left), right: int32(why.right) };
  }
}

/** An invariant/violated event in words: "invariant no-fails broken: agents.worker.failed == 0 (agents.worker.failed is 1)". */
export function violationWords(spec: Spec, checks: InvariantChecks | undefined, invariant: number, left: number, right: number, rule = false): string {
  const index = invariant % INVARIANT_PART_STRIDE, partId = Math.floor(invariant / INVARIANT_PART_STRIDE);
  const found = rule ? spec.rules[index] : spec.invariants[index];
  const name = rule ? `rule ${found?.name ?? `#${index}`}${found ? ` (${(found as RuleSpec).severity}: ${(found as RuleSpec).text})` : ''}` : `invariant ${found?.name ?? `#${index}`}`;
  const compiled = checks?.compiled[rule ? spec.invariants.length + index : index];
  if (!compiled) return `${name} broken`;
  const part = partById(compiled.checked, partId);
  if (!part) return `${name} broken: ${compiled.text}`;
  const text = sourceOf(compiled.text, part);
  const whole = part === compiled.checked ? '' : ` (in ${compiled.text})`;
  if (part.op === 'binary' && part.left.type === 'int') {
    const sides = [part.left, part.right]
      .map((side, i) => (side.op === 'const' ? '' : `${sourceOf(compiled.text, side)} is ${i === 0 ? left : right}`))
      .filter(Boolean).join(', ');
    return `${name} broken: ${text}${sides ? ` — ${sides}` : ''}${whole}`;
  }
  return `${name} broken: ${text} is false${whole}`;
}
