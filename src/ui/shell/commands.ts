// The Shell's command table, parser, completion and executor. Every command calls the same
// KernelClient / CheckpointStore method as the matching button (through ShellHost, which those
// classes satisfy); this file only checks arguments and formats answers.
import { conditionExpression } from '../../worker/api';
import type { WatchRow } from '../../worker/api';
import type { BisectCondition, ChannelRow, EventRow, InterventionRequest, KernelStatus, MemoryView, Outcome, ProcessRow } from '../../worker/api';
import type { BusyKind } from '../kernel-client.svelte';
import type { SharedView } from '../../worker/api';
import { formatSharedView } from './shared-command';
import { formatBytes } from '../panels/viz';
import { plural } from '../words';
import { markCommand, queryCommand, type ObserveHost } from './observe-commands';
import { migrateRequest } from './migrate-command';
import { watchCommand } from './watch-command';
import { stopWords } from '../run-state';
import { processStatusShort } from '../process-status';

/** Policies the `policy` command accepts (the kernel's own list is checked again there). */
export const POLICIES = ['round-robin', 'priority', 'fair', 'eevdf'] as const;
export const ALLOCATORS = ['tlsf', 'buddy', 'first-fit', 'best-fit'] as const;
export const NICE_MIN = -20;
export const NICE_MAX = 19;
/** Lines `ps` prints at most; `top` prints TOP_ROWS. */
export const PS_ROWS_MAX = 200;
export const TOP_ROWS = 10;
export const EVENTS_DEFAULT = 20;
export const STEP_MAX = 1_000_000;
/** The conditions bisect and find take: any expression, or a short form that stands for one. */
export const CONDITIONS = 'an expression like agents.worker.failed > 0, or a short form: failed <pid> | status <pid> <status> | heap <pid> > <bytes> | exited <agent> | event <type> [pid] | invariant <name> (broken)';
const SHORT_FORMS = new Set(['failed', 'status', 'heap', 'exited', 'event', 'invariant']);
export const FROM_START_FLAG = '--from-start';

export interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
  /** Takes no required argument: offered in the command palette. */
  bare: boolean;
}

export const COMMANDS: readonly CommandSpec[] = [
  { name: 'help', usage: 'help', summary: 'list every command', bare: true },
  { name: 'ps', usage: 'ps', summary: 'processes at the cursor: pid, agent, node, status, nice, cpu, heap', bare: true },
  { name: 'top', usage: 'top', summary: `the ${TOP_ROWS} processes with the most CPU time`, bare: true },
  { name: 'kill', usage: 'kill [--tree] <pid>', summary: 'kill a process at the cursor (a new branch); no restart policy undoes it. --tree <pid|name>: it and its descendants, or a supervisor\'s, agent\'s or agent[i]\'s processes and theirs', bare: false },
  { name: 'restart', usage: 'restart <pid>', summary: 'start a process over from its first step, also after it ended or was killed (a new branch)', bare: false },
  { name: 'nice', usage: 'nice <pid> <n>', summary: `set a process's nice value (${NICE_MIN}..${NICE_MAX}; a new branch)`, bare: false },
  { name: 'migrate', usage: 'migrate <pid|name> <node>', summary: 'move a live process to another node, where it goes on with its heap and messages (a new branch)', bare: false },
  { name: 'mem', usage: 'mem [node]', summary: 'heap figures of a node (default 0)', bare: true },
  { name: 'ipc', usage: 'ipc', summary: 'channels and their queue fill', bare: true },
  { name: 'shared', usage: 'shared [object]', summary: "shared objects' values on every node, and whether the replicas agree", bare: true },
  { name: 'trace', usage: 'trace <pid> [count]', summary: 'the last events of one process', bare: false },
  { name: 'events', usage: 'events [type] [count]', summary: `the last events (default ${EVENTS_DEFAULT}), optionally of one type`, bare: true },
  { name: 'run', usage: 'run [n] | run to <n>', summary: 'run until it stops, n more events, or until event n (pause or Escape stops it)', bare: true },
  { name: 'pause', usage: 'pause', summary: 'pause a run, or cancel a restore or a find (Escape does too)', bare: true },
  { name: 'seek', usage: 'seek <n>', summary: 'move the cursor to event n (past the recorded end: runs on to it, as run to <n>)', bare: false },
  { name: 'step', usage: 'step [n]', summary: 'n events forward (default 1)', bare: true },
  { name: 'back', usage: 'back [n]', summary: 'n events back (default 1)', bare: true },
  { name: 'rewind', usage: 'rewind <ticks>', summary: 'go back n ticks of virtual time', bare: false },
  { name: 'bisect', usage: 'bisect <condition>', summary: `first event #S from which it holds, by binary search: fast, but right only if it stays true once true (${CONDITIONS})`, bare: false },
  { name: 'find', usage: `find [${FROM_START_FLAG}] <condition>`, summary: 'next event #S at which it becomes true (false before #S, true after it), checking every event from the cursor (or from #0); again: the next time it becomes true; pause or Escape cancels', bare: false },
  { name: 'why', usage: 'why <seq>', summary: 'what led to event #seq: its cause chain in words (the Events panel shows it too)', bare: false },
  { name: 'watch', usage: 'watch [<name> <expr> | --remove <name>]', summary: 'list the watches and their values at the cursor, add one (plotted in Metrics, exported as CSV), or remove one; a name in use is replaced, and the answer says what it was', bare: true },
  { name: 'mark', usage: 'mark <expr> | mark off', summary: 'mark on the timeline every event where it becomes true (where find goes, one by one) and shade where it holds; at most 1,000 marks; off clears them', bare: false },
  { name: 'query', usage: 'query <sql>', summary: 'KernelQL: SQL over events, processes, channels, nodes, heap_blocks, shared and watches; prints at most 20 rows', bare: false },
  { name: 'undo', usage: 'undo', summary: 'undo the last intervention', bare: true },
  { name: 'redo', usage: 'redo', summary: 'redo an undone intervention', bare: true },
  { name: 'policy', usage: `policy <node> <${POLICIES.join('|')}>`, summary: "switch a node's scheduling policy (a new branch)", bare: false },
  { name: 'allocator', usage: `allocator <node> <${ALLOCATORS.join('|')}>`, summary: "switch a node's heap allocator, blocks staying put (a new branch)", bare: false },
  { name: 'autonomy', usage: 'autonomy <heal|detect|off>', summary: "switch the spec's autonomy: heal, detect only, or off (a new branch; the Health tab shows what it did)", bare: false },
  { name: 'checkpoint', usage: 'checkpoint', summary: 'save a checkpoint in this browser', bare: true },
  { name: 'restore', usage: 'restore <name-or-index>', summary: 'restore a checkpoint (index 1 is the newest)', bare: false },
  { name: 'share', usage: 'share', summary: 'copy the link of this moment', bare: true },
  { name: 'clear', usage: 'clear', summary: 'clear the output', bare: true },
];

const BY_NAME = new Map(COMMANDS.map((command) => [command.name, command]));

/** A line split into words; quotes group words ("a b"). */
export function tokenize(line: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) words.push(match[1] ?? match[2] ?? match[3]);
  return words;
}

/** Command names starting with `prefix` (sorted as in the table). */
export function completions(prefix: string): string[] {
  return COMMANDS.filter((command) => command.name.startsWith(prefix)).map((command) => command.name);
}

/**
 * Tab completion of the first word: the line completed as far as it is unambiguous (a unique
 * match gets a trailing space) and the candidates.
 */
export function complete(line: string): { line: string; candidates: string[] } {
  if (/\s/.test(line.trimStart())) return { line, candidates: [] };
  const prefix = line.trimStart();
  const candidates = completions(prefix);
  if (candidates.length === 0) return { line, candidates };
  if (candidates.length === 1) return { line: `${candidates[0]} `, candidates };
  let common = candidates[0];
  for (const candidate of candidates) while (!candidate.startsWith(common)) common = common.slice(0, -1);
  return { line: common.length > prefix.length ? common : line, candidates };
}

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The closest command name, if it is close enough to be a typo. */
export function suggest(word: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const { name } of COMMANDS) {
    const distance = name.startsWith(word) ? 0 : editDistance(word, name);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

export class ShellError extends Error {}

/** An integer argument, or a ShellError naming the command and what it expected. */
export function integer(command: string, what: string, word: string | undefined, min = -Infinity, max = Infinity): number {
  if (word === undefined) throw new ShellError(`${command}: expected ${what}`);
  if (!/^[-+]?\d+$/.test(word)) throw new ShellError(`${command}: expected ${what} as an integer, got '${word}'`);
  const value = Number(word);
  if (value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `${min}..${max}`;
    throw new ShellError(`${command}: expected ${range}, got ${word}`);
  }
  return value;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1000, mb: 1e6, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** A byte count: 4096, 4KiB, 1.5MiB. */
export function bytes(command: string, word: string | undefined): number {
  const match = word === undefined ? null : /^(\d+(?:\.\d+)?)([a-z]*)$/i.exec(word);
  const unit = match ? SIZE_UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new ShellError(`${command}: expected a byte count (4096, 4KiB, 1MiB), got '${word ?? ''}'`);
  return Math.round(Number(match[1]) * unit);
}

/** Node names: 0 or n0. */
export function node(command: string, word: string | undefined): number {
  return integer(command, 'a node (0 or n0)', word?.replace(/^n(?=\d)/, ''), 0);
}

/**
 * The condition of bisect and find from the text after the command: a short form (failed 3,
 * event ipc/sent, ...), which stands for an expression, or an expression (checked and compiled
 * in the worker by src/expr, never evaluated as code).
 */
export function conditionOf(text: string, command: string): BisectCondition {
  const words = tokenize(text);
  if (words.length === 0) throw new ShellError(`${command}: expected a condition: ${CONDITIONS}`);
  if (SHORT_FORMS.has(words[0])) return parseCondition(words, command);
  return { kind: 'expr', expr: text };
}

/** The short forms of bisect and find, parsed into data (each stands for an expression: conditionExpression). */
export function parseCondition(words: readonly string[], command = 'bisect'): BisectCondition {
  const [kind, ...rest] = words;
  const arity = (n: number, usage: string) => {
    if (rest.length !== n) throw new ShellError(`${command}: expected '${usage}'`);
  };
  switch (kind) {
    case 'failed':
      arity(1, 'failed <pid>');
      return { kind: 'failed', pid: integer(command, 'a pid', rest[0], 0) };
    case 'status':
      arity(2, 'status <pid> <status>');
      return { kind: 'status', pid: integer(command, 'a pid', rest[0], 0), status: rest[1] };
    case 'heap': {
      arity(3, 'heap <pid> > <bytes>');
      const op = rest[1];
      if (op !== '>' && op !== '>=') throw new ShellError(`${command}: heap compares with > or >=, got '${op}'`);
      return { kind: 'heap', pid: integer(command, 'a pid', rest[0], 0), op, bytes: bytes(command, rest[2]) };
    }
    case 'exited':
      arity(1, 'exited <agent>');
      return { kind: 'exited', agent: rest[0] };
    case 'event': {
      if (rest.length < 1 || rest.length > 2) throw new ShellError(`${command}: expected 'event <type> [pid]'`);
      const pid = rest[1] === undefined ? undefined : integer(command, 'a pid', rest[1], 0);
      return pid === undefined ? { kind: 'event', type: rest[0] } : { kind: 'event', type: rest[0], pid };
    }
    case 'invariant':
      arity(1, 'invariant <name>');
      return { kind: 'invariant', name: rest[0] };
    case undefined:
      throw new ShellError(`${command}: expected a condition: ${CONDITIONS}`);
    default:
      throw new ShellError(`${command}: unknown condition '${kind}' (failed, status, heap, exited, event, invariant)`);
  }
}

// An invariant's short form stands for the negation of its `always:`, which only the worker holds:
// name it in words ("!(invariant drift-bounded)" read as if it were an expression to type).
function shownExpression(condition: BisectCondition): string {
  return condition.kind === 'invariant' ? `invariant ${condition.name} broken` : conditionExpression(condition);
}

function alsoSaid(condition: BisectCondition, written: string, shown: string): string[] {
  if (condition.kind === 'expr') return [];
  if (condition.kind === 'invariant') return [`(invariant ${condition.name} is broken where its always: condition in the spec is false)`];
  return [`(${written} is the expression ${shown})`];
}

export interface ShellHost extends ObserveHost {
  readonly status: KernelStatus | undefined;
  readonly processes: readonly ProcessRow[];
  readonly busy: false | BusyKind;
  notice: { text: string; tone: 'info' | 'error' } | undefined;
  step(): Promise<void>;
  run(events?: number): Promise<void>;
  pause(): Promise<void>;
  seek(seq: number): Promise<void>;
  intervene(request: InterventionRequest): Promise<void>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  share(): Promise<string | undefined>;
  bisect(condition: BisectCondition): Promise<Outcome<number | null>>;
  find(condition: BisectCondition, fromStart?: boolean): Promise<Outcome<{ seq: number | null; from: number }>>;
  recentEvents(filter: { pid?: number; type?: string }, count: number): Promise<Outcome<EventRow[]>>;
  channels(): Promise<ChannelRow[]>;
  /** Shows event seq's cause chain (in the Events panel too); `causeChain` holds it after. */
  showCause(seq: number): Promise<void>;
  readonly causeChain: readonly EventRow[];
  watchRows(): Promise<Outcome<WatchRow[]>>;
  setWatch(name: string, expr: string | undefined): Promise<Outcome<WatchRow[]>>;
  memoryOf(node: number): Promise<Outcome<MemoryView>>;
  sharedOf(): Promise<SharedView | undefined>;
}

export interface CheckpointHost {
  readonly rows: readonly { id: string; error?: string }[];
  message: { text: string; tone: 'info' | 'error' } | undefined;
  refresh(): Promise<void>;
  save(): Promise<unknown>;
  restore(id: string): Promise<void>;
}

export interface ShellResult {
  lines: string[];
  error: boolean;
  /** `clear` asks the log to empty itself. */
  clear?: boolean;
}

const ok = (...lines: string[]): ShellResult => ({ lines, error: false });

/** Runs one line. Never throws: errors come back as `error: true` with a message. */
export async function execute(line: string, host: ShellHost, checkpoints: CheckpointHost): Promise<ShellResult> {
  const words = tokenize(line);
  if (words.length === 0) return ok();
  const [name, ...args] = words;
  try {
    if (!BY_NAME.has(name)) {
      const guess = suggest(name);
      throw new ShellError(`unknown command '${name}'${guess ? ` — did you mean ${guess}?` : ''} (help lists them)`);
    }
    const rest = line.trim().slice(line.trim().indexOf(name) + name.length).trim();
    return await run(name, args, rest, host, checkpoints);
  } catch (error) {
    return { lines: (error instanceof Error ? error.message : String(error)).split('\n'), error: true };
  }
}

function needLoaded(name: string, host: ShellHost): KernelStatus {
  if (!host.status?.loaded) throw new ShellError(`${name}: load a spec first`);
  return host.status;
}

function needIdle(name: string, host: ShellHost): KernelStatus {
  const status = needLoaded(name, host);
  // `run` while it runs: not "pause it first", which reads as if a pause were needed to run.
  if (host.busy === 'running' && name === 'run') throw new ShellError('run: it is already running (pause, or Escape, stops it)');
  if (host.busy) throw new ShellError(`${name}: the kernel is ${host.busy} (pause it first: pause, or Escape)`);
  return status;
}

function noMore(name: string, args: readonly string[], max: number): void {
  if (args.length > max) throw new ShellError(`${name}: unexpected '${args.slice(max).join(' ')}' (usage: ${BY_NAME.get(name)!.usage})`);
}

/** The notice a client action left, as the command's answer. */
function noticeResult(host: ShellHost, name: string, fallback: string): ShellResult {
  const notice = host.notice;
  if (!notice) return ok(fallback);
  return notice.tone === 'error' ? { lines: [`${name}: ${notice.text}`], error: true } : ok(notice.text);
}

function processOf(name: string, host: ShellHost, word: string | undefined): ProcessRow {
  const pid = integer(name, 'a pid', word, 0);
  const row = host.processes.find((p) => p.pid === pid);
  if (!row) throw new ShellError(`${name}: no process ${pid}`);
  return row;
}

async function intervene(name: string, host: ShellHost, request: InterventionRequest): Promise<ShellResult> {
  host.notice = undefined;
  await host.intervene(request);
  return noticeResult(host, name, `${name}: done`);
}

const pad = (value: string | number, width: number) => String(value).padStart(width);
const padEnd = (value: string | number, width: number) => String(value).padEnd(width);

export function formatProcesses(rows: readonly ProcessRow[]): string[] {
  const lines = [`${pad('PID', 5)}  ${padEnd('AGENT', 16)} ${pad('NODE', 4)}  ${padEnd('STATUS', 10)} ${pad('NICE', 4)} ${pad('CPU', 8)} ${pad('HEAP', 9)}`];
  for (const p of rows) {
    lines.push(`${pad(p.pid, 5)}  ${padEnd(`${p.agent}[${p.replica}]`, 16)} ${pad(`n${p.node}`, 4)}  ${padEnd(processStatusShort(p), 10)} ${pad(p.nice, 4)} ${pad(p.cpuTicks, 8)} ${pad(p.heapBytes, 9)}`);
  }
  return lines;
}

/**
 * One event as the events panel shows it: "#1204 4.822ms ipc/sent source · pid 0 n0: sent 256 B
 * on source.out → mapper.in (arrives in 12 µs) ← #1203". The raw fields only when there are no words.
 */
export function formatEvent(row: EventRow): string {
  const hasProcess = row.pid >= 0 && row.pid < 0x7fffffff;
  const who = hasProcess ? `${row.agent ? `${row.agent} · ` : ''}pid ${row.pid} n${row.node}` : `n${row.node}`;
  const text = row.text || Object.entries(row.fields).map(([key, value]) => `${key}=${value}`).join(' ');
  return `#${row.seq} ${(row.tick / 1000).toFixed(3)}ms ${row.type} ${who}${text ? `: ${text}` : ''}${row.cause >= 0 ? ` ← #${row.cause}` : ''}`;
}

/** A worker error about an expression, with a caret under its column. */
export function expressionError(command: string, condition: BisectCondition, error: string): string {
  const column = /at column (\d+)$/.exec(error);
  if (!column || condition.kind !== 'expr') return `${command}: ${error}`;
  return `${command}: ${error}\n  ${condition.expr}\n  ${' '.repeat(Number(column[1]) - 1)}^`;
}

async function run(name: string, args: string[], rest: string, host: ShellHost, checkpoints: CheckpointHost): Promise<ShellResult> {
  switch (name) {
    case 'help':
      return ok(...COMMANDS.map((command) => `${padEnd(command.usage, 26)} ${command.summary}`));
    case 'clear':
      return { lines: [], error: false, clear: true };
    case 'ps': {
      needLoaded(name, host);
      noMore(name, args, 0);
      const rows = host.processes.slice(0, PS_ROWS_MAX);
      const lines = formatProcesses(rows);
      if (host.processes.length > rows.length) lines.push(`… ${host.processes.length - rows.length} more`);
      return ok(...lines);
    }
    case 'top': {
      needLoaded(name, host);
      noMore(name, args, 0);
      const rows = [...host.processes].sort((a, b) => b.cpuTicks - a.cpuTicks || a.pid - b.pid).slice(0, TOP_ROWS);
      return ok(...formatProcesses(rows));
    }
    case 'kill': {
      needIdle(name, host);
      if (args[0] === '--tree') {
        noMore(name, args, 2);
        const target = args[1];
        if (target === undefined) throw new ShellError('kill --tree: expected a pid or a name (a supervisor, an agent, or agent[i])');
        return intervene(name, host, /^\d+$/.test(target) ? { kind: 'killTree', pid: processOf(name, host, target).pid } : { kind: 'killTree', name: target });
      }
      noMore(name, args, 1);
      const { pid } = processOf(name, host, args[0]);
      return intervene(name, host, { kind: 'kill', pid });
    }
    case 'restart': {
      needIdle(name, host);
      noMore(name, args, 1);
      const { pid } = processOf(name, host, args[0]);
      return intervene(name, host, { kind: 'restart', pid });
    }
    case 'nice': {
      needIdle(name, host);
      noMore(name, args, 2);
      const { pid } = processOf(name, host, args[0]);
      const nice = integer(name, 'a nice value', args[1], NICE_MIN, NICE_MAX);
      return intervene(name, host, { kind: 'nice', pid, nice });
    }
    case 'migrate':
      needIdle(name, host);
      return intervene(name, host, migrateRequest(args, host.processes));
    case 'policy': {
      needIdle(name, host);
      noMore(name, args, 2);
      const at = node(name, args[0]);
      const policy = args[1] as (typeof POLICIES)[number];
      if (!POLICIES.includes(policy)) throw new ShellError(`policy: expected ${POLICIES.join(', ')}, got '${args[1] ?? ''}'`);
      return intervene(name, host, { kind: 'policy', node: at, policy });
    }
    case 'autonomy': {
      needIdle(name, host);
      noMore(name, args, 1);
      const mode = args[0] as 'heal' | 'detect' | 'off';
      if (args[0] === undefined) throw new ShellError(`autonomy: say which, heal, detect or off (usage: ${BY_NAME.get(name)!.usage})`);
      if (!['heal', 'detect', 'off'].includes(mode)) throw new ShellError(`autonomy: expected heal, detect or off, got '${args[0]}'`);
      return intervene(name, host, { kind: 'autonomy', mode });
    }
    case 'allocator': {
      needIdle(name, host);
      noMore(name, args, 2);
      const at = node(name, args[0]);
      const allocator = args[1] as (typeof ALLOCATORS)[number];
      if (!ALLOCATORS.includes(allocator)) throw new ShellError(`allocator: expected ${ALLOCATORS.join(', ')}, got '${args[1] ?? ''}'`);
      return intervene(name, host, { kind: 'allocator', node: at, allocator });
    }
    case 'mem': {
      needLoaded(name, host);
      noMore(name, args, 1);
      const at = args[0] === undefined ? 0 : node(name, args[0]);
      const outcome = await host.memoryOf(at);
      if (!outcome.ok) throw new ShellError(`mem: ${outcome.error}`);
      const m = outcome.value;
      return ok(
        // Sizes as the Memory panel writes them (1.00 MiB, 12.0 KiB), not raw byte counts.
        `node n${m.node} (of ${m.nodeCount}): heap ${formatBytes(m.heapBytes)} (${m.granuleBytes} B granules), used ${formatBytes(m.usedBytes)} in ${plural(m.usedBlocks, 'block')}, free ${formatBytes(m.freeBytes)} in ${plural(m.freeBlocks, 'block')}`,
        `peak used ${formatBytes(m.peakUsedBytes)}, largest free ${formatBytes(m.largestFreeBytes)}, fragmentation ${(m.fragmentationPermille / 10).toFixed(1)}%, failed allocations ${m.failedAllocs}`,
      );
    }
    case 'ipc': {
      needLoaded(name, host);
      noMore(name, args, 0);
      const rows = await host.channels();
      if (rows.length === 0) return ok('no channels');
      return ok(...rows.map((c) => `#${c.index} ${c.from} -> ${c.to}: ${c.queued} queued, ${c.inFlight} in flight, capacity ${c.capacity}`));
    }
    case 'shared': {
      needLoaded(name, host);
      noMore(name, args, 1);
      const view = await host.sharedOf();
      if (!view) throw new ShellError('shared: load a spec first');
      try {
        return ok(...formatSharedView(view, args[0]));
      } catch (error) {
        throw new ShellError(`shared: ${(error as Error).message}`);
      }
    }
    case 'trace': {
      needLoaded(name, host);
      noMore(name, args, 2);
      const { pid } = processOf(name, host, args[0]);
      const count = args[1] === undefined ? EVENTS_DEFAULT : integer(name, 'a count', args[1], 1);
      const outcome = await host.recentEvents({ pid }, count);
      if (!outcome.ok) throw new ShellError(`trace: ${outcome.error}`);
      return ok(...(outcome.value.length ? outcome.value.map(formatEvent) : [`no events of process ${pid} up to the cursor`]));
    }
    case 'events': {
      needLoaded(name, host);
      noMore(name, args, 2);
      let type: string | undefined;
      let count = EVENTS_DEFAULT;
      for (const word of args) {
        if (/^\d+$/.test(word)) count = integer(name, 'a count', word, 1);
        else if (type === undefined) type = word;
        else throw new ShellError(`events: unexpected '${word}' (usage: events [type] [count])`);
      }
      const outcome = await host.recentEvents({ type }, count);
      if (!outcome.ok) throw new ShellError(`events: ${outcome.error}`);
      return ok(...(outcome.value.length ? outcome.value.map(formatEvent) : ['no events up to the cursor']));
    }
    case 'run': {
      const status = needIdle(name, host);
      if (args[0] === 'to') {
        noMore(name, args, 2);
        return runTo(name, host, status, integer(name, 'an event number after to', args[1], 0));
      }
      noMore(name, args, 1);
      const count = args[0] === undefined ? undefined : integer(name, "a count (or 'to <event>')", args[0], 1, STEP_MAX);
      await host.run(count === undefined ? undefined : status.cursor + count);
      return ok(`stopped at event ${host.status?.cursor} (${host.status ? stopWords(host.status) : 'not loaded'})`);
    }
    case 'pause': {
      needLoaded(name, host);
      noMore(name, args, 0);
      const busy = host.busy;
      if (!busy) throw new ShellError('pause: nothing is running');
      await host.pause();
      return ok(busy === 'running' ? 'pausing' : `cancelling the ${busy === 'finding' ? 'find' : busy === 'restoring' ? 'restore' : 'replay'}`);
    }
    case 'seek': {
      const status = needIdle(name, host);
      noMore(name, args, 1);
      return runTo(name, host, status, integer(name, 'an event number', args[0], 0));
    }
    case 'step': {
      const status = needIdle(name, host);
      noMore(name, args, 1);
      const count = args[0] === undefined ? 1 : integer(name, 'a count', args[0], 1, STEP_MAX);
      if (count === 1) await host.step();
      else if (status.cursor + count <= status.events) await host.seek(status.cursor + count);
      else await host.run(status.cursor + count);
      return ok(`at event ${host.status?.cursor}`);
    }
    case 'back': {
      const status = needIdle(name, host);
      noMore(name, args, 1);
      const count = args[0] === undefined ? 1 : integer(name, 'a count', args[0], 1, STEP_MAX);
      await host.seek(Math.max(0, status.cursor - count));
      return ok(`at event ${host.status?.cursor}`);
    }
    case 'rewind': {
      const status = needIdle(name, host);
      noMore(name, args, 1);
      const ticks = integer(name, 'a number of ticks', args[0], 1);
      const outcome = await host.bisect({ kind: 'tick', atLeast: Math.max(0, status.tick - ticks) });
      if (!outcome.ok) throw new ShellError(`rewind: ${outcome.error}`);
      return ok(`at event ${host.status?.cursor}, tick ${host.status?.tick}`);
    }
    case 'bisect': {
      const status = needIdle(name, host);
      const condition = conditionOf(rest, name);
      const outcome = await host.bisect(condition);
      if (!outcome.ok) throw new ShellError(expressionError(name, condition, outcome.error));
      const text = shownExpression(condition);
      const also = alsoSaid(condition, rest, text);
      if (outcome.value === null) {
        return ok(
          `'${text}' does not hold at the end of this branch (after #${status.events - 1}), so bisect cannot answer: it looks for a condition that stays true once true.`,
          `If it can stop holding, find ${FROM_START_FLAG} ${rest} checks every event.`,
          ...also,
        );
      }
      return ok(
        `holds from event #${outcome.value} on (tick ${host.status?.tick}); the cursor is just after #${outcome.value}.`,
        `bisect assumes it stays true once true; if it can stop holding, find ${FROM_START_FLAG} ${rest} checks every event.`,
        ...also,
      );
    }
    case 'find': {
      const status = needIdle(name, host);
      const fromStart = rest.startsWith(FROM_START_FLAG);
      const text = fromStart ? rest.slice(FROM_START_FLAG.length).trim() : rest;
      const condition = conditionOf(text, name);
      const outcome = await host.find(condition, fromStart);
      if (!outcome.ok) {
        if (outcome.cancelled) return ok(`find: ${outcome.error}`);
        throw new ShellError(expressionError(name, condition, outcome.error));
      }
      const expression = shownExpression(condition);
      const also = alsoSaid(condition, text, expression);
      const where = fromStart ? 'from #0' : status.cursor === 0 ? 'from #0' : `after #${status.cursor - 1}`;
      if (outcome.value.seq === null) {
        const whereNot = where === 'from #0' ? 'at any event of this branch' : `again ${where}`;
        return ok(`'${expression}' does not become true ${whereNot} (up to the end of the recorded run, #${status.events - 1}); the cursor stays`, ...also);
      }
      return ok(`holds at event #${outcome.value.seq}, ${where} (tick ${host.status?.tick}): false before it, true after it; the cursor is just after #${outcome.value.seq}`, ...also);
    }
    case 'why': {
      const status = needLoaded(name, host);
      noMore(name, args, 1);
      const seq = integer(name, 'an event number (#seq)', args[0]?.replace(/^#/, ''), 0);
      if (seq >= status.events) throw new ShellError(`why: no event #${seq} on this branch (it has #0..#${status.events - 1})`);
      await host.showCause(seq);
      const chain = fresh(host, 'causeChain');
      if (chain.length === 0) throw new ShellError(`why: no event #${seq}`);
      const lines = chain.map((row, index) => `${index === 0 ? '' : '  ← because '}${formatEvent({ ...row, cause: -1 })}`);
      // The worker returns at most CAUSE_CHAIN_MAX links: say where a longer chain goes on.
      const last = chain[chain.length - 1];
      if (last.cause >= 0) lines.push(`  ← … ${chain.length} links shown; the chain goes on at #${last.cause} (why #${last.cause})`);
      return ok(...lines);
    }
    case 'watch':
      needLoaded(name, host);
      return watchCommand(args, rest, host);
    case 'mark':
      needIdle(name, host);
      return markCommand(rest, host);
    case 'query':
      needLoaded(name, host);
      return queryCommand(rest, host);
    case 'undo':
    case 'redo': {
      needIdle(name, host);
      noMore(name, args, 0);
      host.notice = undefined;
      await (name === 'undo' ? host.undo() : host.redo());
      return noticeResult(host, name, `${name}: done`);
    }
    case 'share': {
      needIdle(name, host);
      noMore(name, args, 0);
      const link = await host.share();
      if (!link) throw new ShellError('share: no link (load a spec first)');
      return ok(host.notice?.text ?? 'Link ready', link);
    }
    case 'checkpoint': {
      needIdle(name, host);
      noMore(name, args, 0);
      checkpoints.message = undefined;
      host.notice = undefined;
      await checkpoints.save();
      const notice = fresh(host, 'notice');
      if (notice?.tone === 'error') throw new ShellError(`checkpoint: ${notice.text}`);
      const message = fresh(checkpoints, 'message');
      if (message?.tone === 'error') throw new ShellError(`checkpoint: ${message.text}`);
      return ok(message?.text ?? 'checkpoint saved');
    }
    case 'restore': {
      if (host.busy) throw new ShellError(`restore: the kernel is ${host.busy} (pause it first)`);
      if (args.length === 0) throw new ShellError('restore: expected a checkpoint name or index (1 is the newest)');
      await checkpoints.refresh();
      const id = checkpointId(args.join(' '), checkpoints.rows.map((row) => row.id));
      checkpoints.message = undefined;
      host.notice = undefined;
      await checkpoints.restore(id);
      const message = fresh(checkpoints, 'message');
      if (message?.tone === 'error') throw new ShellError(`restore: ${message.text}`);
      return noticeResult(host, name, `restored ${id}`);
    }
  }
  throw new ShellError(`${name}: not implemented`);
}

/** To event `target`: a seek within the recorded events, a run past their end (cancellable). */
async function runTo(name: string, host: ShellHost, status: KernelStatus, target: number): Promise<ShellResult> {
  if (target <= status.events) {
    await host.seek(target);
    return ok(`at event ${host.status?.cursor}`);
  }
  if (target > status.journalEventsMax) throw new ShellError(`${name}: event ${target} is past the journal's limit of ${status.journalEventsMax} events`);
  await host.run(target);
  const after = host.status;
  if (after?.cursor === target) return ok(`ran on past the recorded end (event ${status.events}) to event ${target}`);
  return ok(`stopped at event ${after?.cursor} (${after ? stopWords(after) : 'not loaded'}) before event ${target}`);
}

/** Reads a field an awaited call may have changed (TypeScript keeps the narrowing from before the await). */
function fresh<T, K extends keyof T>(owner: T, key: K): T[K] {
  return owner[key];
}

/** A checkpoint by 1-based index (newest first), exact id, or unique prefix. */
export function checkpointId(query: string, ids: readonly string[]): string {
  if (ids.length === 0) throw new ShellError('restore: there are no checkpoints (checkpoint saves one)');
  if (/^\d+$/.test(query)) {
    const index = Number(query);
    if (index < 1 || index > ids.length) throw new ShellError(`restore: expected 1..${ids.length}, got ${query}`);
    return ids[index - 1];
  }
  if (ids.includes(query)) return query;
  const matches = ids.filter((id) => id.startsWith(query));
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) throw new ShellError(`restore: no checkpoint named '${query}'`);
  throw new ShellError(`restore: '${query}' names ${matches.length} checkpoints; give more of the name or an index`);
}
