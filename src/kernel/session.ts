// A Session: everything needed to reproduce a run (design.md): the spec text, the seed, the
// interventions with the point where each applied, and the cursor. Plain JSON data.
import { AUTONOMY_MODES } from './autonomy/state';
import type { Intervention } from './syscalls/world';
import { SPEC_TEXT_CHARS_MAX } from '../spec/limits';
import { JOURNAL_EVENTS_DEFAULT } from './journal/journal';
import { BRANCHES_MAX } from './journal/timeline';
import { ALLOCATOR_CODES, POLICY_CODES } from './events';

export const SESSION_FORMAT = 1;
/** Interventions of one session: each opens a branch when replayed, and a session has at most BRANCHES_MAX. */
export const INTERVENTIONS_MAX = BRANCHES_MAX - 1;
/** Furthest cursor a session may ask for: the journal a kernel keeps (a run cannot get further). */
export const SESSION_EVENTS_MAX = JOURNAL_EVENTS_DEFAULT;

export interface SessionIntervention {
  /** The cursor it applied at: it is event `atSeq` of the run. */
  atSeq: number;
  /** Virtual time then (for people; atSeq is what replay uses). */
  tick: number;
  command: Intervention;
}

/** Saved KernelQL queries kept with a session (optional: a session without them is the same run). */
export const SAVED_QUERIES_MAX = 50;
export const SAVED_QUERY_NAME_CHARS_MAX = 80;
export const SAVED_QUERY_SQL_CHARS_MAX = 4000;

export interface SavedQuery {
  name: string;
  sql: string;
}

export interface Session {
  format: typeof SESSION_FORMAT;
  engine: string;
  spec: string;
  seed: number;
  interventions: SessionIntervention[];
  cursor: number;
  /** The Query panel's saved queries; data only, never part of the run. */
  queries?: SavedQuery[];
  /** Watches added in the UI or the shell (beside the spec's `watch:`); data only, never part of the run. */
  watches?: SessionWatch[];
  /**
   * The RFC 6962 Merkle root (64 lowercase hex digits) of the journal's first `cursor` events
   * (src/audit): a replay that does not reach it is refused. Absent in sessions made before it.
   */
  root?: string;
}

export const ROOT_PATTERN = /^[0-9a-f]{64}$/;

/** A watch added beside the spec's: a name and an expression (src/expr), checked when it is shown. */
export interface SessionWatch {
  name: string;
  expr: string;
}
/** Watches a session may carry besides the spec's; characters of one expression. */
export const SESSION_WATCHES_MAX = 16;
export const SESSION_WATCH_EXPR_CHARS_MAX = 2000;
export const WATCH_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,31}$/;

/** One branch of a checkpoint's branch tree, as plain data (the kernel's Timeline, written down). */
export interface CheckpointBranch {
  /** The branch it forked from (a lower id), or null for main (id 0). */
  parent: number | null;
  /** Its own events start at this seq; before it, they are its parent's. */
  forkSeq: number;
  /** Every intervention of the branch, those it shares with its parent included. */
  interventions: SessionIntervention[];
  /** Its own events (seq forkSeq onwards), as Journal.encode(forkSeq) writes them. */
  events: Uint8Array;
  /** The Merkle root of the branch's whole journal (checkpoint version 3 on). */
  root?: string;
}

/** What a checkpoint holds: the session at the cursor, and the whole branch tree with Undo and Redo. */
export interface CheckpointContents {
  /** The current branch at the cursor (its interventions: the whole branch's). */
  session: Session;
  /** Indexed by branch id. */
  branches: CheckpointBranch[];
  current: number;
  /** Branch ids Redo returns to, the last one first. */
  redo: number[];
}

export class SessionFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionFormatError';
  }
}

export interface SessionRules {
  /**
   * A checkpoint's session lists every intervention of its branch, also those after the cursor
   * (its journal holds them). A session to replay (a link, a file) may not: replay stops at the
   * cursor, so an intervention at or past it could never apply.
   */
  interventionsAfterCursor?: boolean;
}

/**
 * Checks untrusted data (a link, a file, a checkpoint) is a Session this app can replay; throws
 * SessionFormatError naming `source` and the field. The one check every reader of sessions uses
 * (the worker, the CLI, checkpoints), so they accept and refuse the same sessions.
 */
export function validateSession(data: unknown, source: string, rules: SessionRules = {}): Session {
  const fail = (message: string): never => { throw new SessionFormatError(`${source}: ${message}`); };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail('expected a session object');
  const value = data as Record<string, unknown>;
  if (value.format === undefined) fail(`the session format version is missing (expected "format": ${SESSION_FORMAT})`);
  if (typeof value.format !== 'number') fail(`format: expected the number ${SESSION_FORMAT}, got ${describeValue(value.format)}`);
  if ((value.format as number) > SESSION_FORMAT) fail(`it was made by a newer AgentOS (session format ${value.format}; this app reads up to ${SESSION_FORMAT})`);
  if (value.format !== SESSION_FORMAT) fail(`unknown session format ${value.format}`);
  for (const key of Object.keys(value)) {
    if (!['format', 'engine', 'spec', 'seed', 'interventions', 'cursor', 'queries', 'watches', 'root'].includes(key)) fail(`unknown field "${key}"`);
  }
  if (typeof value.engine !== 'string' || value.engine.length > 200) fail('engine: expected the engine version string');
  if (typeof value.spec !== 'string') fail('spec: expected the spec text');
  if ((value.spec as string).length > SPEC_TEXT_CHARS_MAX) fail(`spec: longer than ${SPEC_TEXT_CHARS_MAX} characters`);
  if (!isInteger(value.seed, 0, 0xffffffff)) fail('seed: expected an integer 0..4294967295');
  if (!isInteger(value.cursor, 0, Number.MAX_SAFE_INTEGER)) fail('cursor: expected an event number');
  if ((value.cursor as number) > SESSION_EVENTS_MAX) {
    fail(`cursor: event ${value.cursor} is past what a session may ask for (at most ${SESSION_EVENTS_MAX} events, the journal's limit)`);
  }
  const cursor = value.cursor as number;
  validateInterventions(value.interventions, 'interventions', fail, rules.interventionsAfterCursor ? undefined : cursor);
  if (value.queries !== undefined) validateQueries(value.queries, fail);
  if (value.watches !== undefined) validateWatches(value.watches, fail);
  if (value.root !== undefined && (typeof value.root !== 'string' || !ROOT_PATTERN.test(value.root))) fail('root: expected the Merkle root, 64 lowercase hexadecimal digits');
  return value as unknown as Session;
}

/**
 * Checks a list of interventions (of a session, or of one branch of a checkpoint): each a known
 * command, in increasing order of atSeq, and (when `before` is given) before that cursor.
 */
export function validateInterventions(list: unknown, where: string, fail: (message: string) => never, before?: number): SessionIntervention[] {
  if (!Array.isArray(list)) fail(`${where}: expected a list`);
  const interventions = list as unknown[];
  if (interventions.length > INTERVENTIONS_MAX) {
    fail(`${where}: ${interventions.length} are more than a session may hold (at most ${INTERVENTIONS_MAX}: each opens a branch, and a session has at most ${BRANCHES_MAX})`);
  }
  let previous = -1;
  interventions.forEach((entry, index) => {
    const at = `${where}[${index}]`;
    if (typeof entry !== 'object' || entry === null) fail(`${at}: expected {atSeq, tick, command}`);
    const item = entry as Record<string, unknown>;
    if (!isInteger(item.atSeq, 1, SESSION_EVENTS_MAX)) fail(`${at}.atSeq: expected an event number 1..${SESSION_EVENTS_MAX}`);
    if ((item.atSeq as number) <= previous) fail(`${at}.atSeq: interventions must be in increasing order of atSeq`);
    if (before !== undefined && (item.atSeq as number) >= before) {
      fail(`${at}.atSeq: event ${item.atSeq} is not before the session's cursor (${before}); an intervention of a session applies before its cursor`);
    }
    previous = item.atSeq as number;
    if (!isInteger(item.tick, 0, Number.MAX_SAFE_INTEGER)) fail(`${at}.tick: expected a tick`);
    validateCommand(item.command, `${at}.command`, fail);
  });
  return interventions as SessionIntervention[];
}

function validateWatches(watches: unknown, fail: (message: string) => never): void {
  if (!Array.isArray(watches)) fail('watches: expected a list of {name, expr}');
  const list = watches as unknown[];
  if (list.length > SESSION_WATCHES_MAX) fail(`watches: ${list.length} are more than ${SESSION_WATCHES_MAX}`);
  const names = new Set<string>();
  list.forEach((entry, index) => {
    const item = entry as Record<string, unknown>;
    if (typeof entry !== 'object' || entry === null || Object.keys(item).some((key) => key !== 'name' && key !== 'expr')) fail(`watches[${index}]: expected {name, expr}`);
    if (typeof item.name !== 'string' || !WATCH_NAME_PATTERN.test(item.name)) fail(`watches[${index}].name: expected a name of letters, digits, _ and - (starting with a letter, at most 32)`);
    if (names.has(item.name as string)) fail(`watches[${index}].name: "${item.name}" is listed twice`);
    names.add(item.name as string);
    if (typeof item.expr !== 'string' || item.expr.length === 0 || item.expr.length > SESSION_WATCH_EXPR_CHARS_MAX) fail(`watches[${index}].expr: expected an expression of 1..${SESSION_WATCH_EXPR_CHARS_MAX} characters`);
  });
}

function validateQueries(queries: unknown, fail: (message: string) => never): void {
  if (!Array.isArray(queries)) fail('queries: expected a list of {name, sql}');
  const list = queries as unknown[];
  if (list.length > SAVED_QUERIES_MAX) fail(`queries: more than ${SAVED_QUERIES_MAX}`);
  list.forEach((entry, index) => {
    const item = entry as Record<string, unknown>;
    if (typeof entry !== 'object' || entry === null || Object.keys(item).some((key) => key !== 'name' && key !== 'sql')) fail(`queries[${index}]: expected {name, sql}`);
    if (typeof item.name !== 'string' || item.name.length === 0 || item.name.length > SAVED_QUERY_NAME_CHARS_MAX) fail(`queries[${index}].name: expected a name of 1..${SAVED_QUERY_NAME_CHARS_MAX} characters`);
    if (typeof item.sql !== 'string' || item.sql.length > SAVED_QUERY_SQL_CHARS_MAX) fail(`queries[${index}].sql: expected SQL of at most ${SAVED_QUERY_SQL_CHARS_MAX} characters`);
  });
}

function validateCommand(command: unknown, where: string, fail: (message: string) => never): void {
  if (typeof command !== 'object' || command === null) fail(`${where}: expected an intervention`);
  const c = command as Record<string, unknown>;
  switch (c.kind) {
    case 'kill': case 'pause': case 'resume': case 'restart':
      if (!isInteger(c.pid, 0, 1 << 24)) fail(`${where}.pid: expected a process id`);
      return;
    case 'nice':
      if (!isInteger(c.pid, 0, 1 << 24)) fail(`${where}.pid: expected a process id`);
      if (!isInteger(c.nice, -20, 19)) fail(`${where}.nice: expected -20..19`);
      return;
    case 'policy':
      if (!isInteger(c.node, 0, 63)) fail(`${where}.node: expected a node index`);
      if (!POLICY_CODES.includes(c.policy as never)) fail(`${where}.policy: expected one of ${POLICY_CODES.join(', ')}`);
      return;
    case 'allocator':
      if (!isInteger(c.node, 0, 63)) fail(`${where}.node: expected a node index`);
      if (!ALLOCATOR_CODES.includes(c.allocator as never)) fail(`${where}.allocator: expected one of ${ALLOCATOR_CODES.join(', ')}`);
      return;
    case 'inject':
      if (!isInteger(c.channel, 0, 1 << 16)) fail(`${where}.channel: expected a channel index`);
      if (!isInteger(c.size, 0, 0x3fffffff)) fail(`${where}.size: expected a size in bytes`);
      return;
    case 'autonomy':
      if (!AUTONOMY_MODES.includes(c.mode as never)) fail(`${where}.mode: expected one of ${AUTONOMY_MODES.join(', ')}`);
      return;
    case 'killTree':
      if ('pid' in c ? !isInteger(c.pid, 0, 1 << 24) : typeof c.name !== 'string' || c.name.length === 0 || c.name.length > 128) fail(`${where}: expected a pid or a name (1..128 characters) whose subtree to kill`);
      return;
    case 'migrate':
      if (!isInteger(c.pid, 0, 1 << 24)) fail(`${where}.pid: expected a process id`);
      if (!isInteger(c.node, 0, 63)) fail(`${where}.node: expected a node index`);
      return;
    default:
      fail(`${where}.kind: expected kill, killTree, restart, nice, policy, allocator, pause, resume, inject, autonomy or migrate`);
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (value === null) return 'null';
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

function isInteger(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
