// A Session: everything needed to reproduce a run (design.md): the spec text, the seed, the
// interventions with the point where each applied, and the cursor. Plain JSON data.
import type { Intervention } from './syscalls/world';
import { SPEC_TEXT_CHARS_MAX } from '../spec/limits';
import { JOURNAL_EVENTS_MAX } from './journal/journal';
import { ALLOCATOR_CODES, POLICY_CODES } from './syscalls/world';

export const SESSION_FORMAT = 1;
export const INTERVENTIONS_MAX = 10_000;

export interface SessionIntervention {
  /** The cursor it applied at: it is event `atSeq` of the run. */
  atSeq: number;
  /** Virtual time then (for people; atSeq is what replay uses). */
  tick: number;
  command: Intervention;
}

export interface Session {
  format: typeof SESSION_FORMAT;
  engine: string;
  spec: string;
  seed: number;
  interventions: SessionIntervention[];
  cursor: number;
}

export class SessionFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionFormatError';
  }
}

/** Checks untrusted data (a link, a file) is a Session this app can replay; throws naming the field. */
export function validateSession(data: unknown, source: string): Session {
  const fail = (message: string): never => { throw new SessionFormatError(`${source}: ${message}`); };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail('expected a session object');
  const value = data as Record<string, unknown>;
  if (typeof value.format !== 'number') fail('the session format version is missing');
  if ((value.format as number) > SESSION_FORMAT) fail(`it was made by a newer AgentOS (session format ${value.format}; this app reads up to ${SESSION_FORMAT})`);
  if (value.format !== SESSION_FORMAT) fail(`unknown session format ${value.format}`);
  for (const key of Object.keys(value)) {
    if (!['format', 'engine', 'spec', 'seed', 'interventions', 'cursor'].includes(key)) fail(`unknown field "${key}"`);
  }
  if (typeof value.engine !== 'string' || value.engine.length > 200) fail('engine: expected the engine version string');
  if (typeof value.spec !== 'string') fail('spec: expected the spec text');
  if ((value.spec as string).length > SPEC_TEXT_CHARS_MAX) fail(`spec: longer than ${SPEC_TEXT_CHARS_MAX} characters`);
  if (!isInteger(value.seed, 0, 0xffffffff)) fail('seed: expected an integer 0..4294967295');
  if (!isInteger(value.cursor, 0, JOURNAL_EVENTS_MAX)) fail(`cursor: expected an event number 0..${JOURNAL_EVENTS_MAX}`);
  if (!Array.isArray(value.interventions)) fail('interventions: expected a list');
  const interventions = value.interventions as unknown[];
  if (interventions.length > INTERVENTIONS_MAX) fail(`interventions: more than ${INTERVENTIONS_MAX}`);
  let previous = -1;
  interventions.forEach((entry, index) => {
    const where = `interventions[${index}]`;
    if (typeof entry !== 'object' || entry === null) fail(`${where}: expected {atSeq, tick, command}`);
    const item = entry as Record<string, unknown>;
    if (!isInteger(item.atSeq, 1, JOURNAL_EVENTS_MAX)) fail(`${where}.atSeq: expected an event number`);
    if ((item.atSeq as number) <= previous) fail(`${where}.atSeq: interventions must be in increasing order of atSeq`);
    previous = item.atSeq as number;
    if (!isInteger(item.tick, 0, Number.MAX_SAFE_INTEGER)) fail(`${where}.tick: expected a tick`);
    validateCommand(item.command, `${where}.command`, fail);
  });
  return value as unknown as Session;
}

function validateCommand(command: unknown, where: string, fail: (message: string) => never): void {
  if (typeof command !== 'object' || command === null) fail(`${where}: expected an intervention`);
  const c = command as Record<string, unknown>;
  switch (c.kind) {
    case 'kill': case 'pause': case 'resume':
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
    default:
      fail(`${where}.kind: expected kill, nice, policy, allocator, pause, resume or inject`);
  }
}

function isInteger(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
