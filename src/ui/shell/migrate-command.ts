// The shell's `migrate <pid|name> <node>`: moves a live process to another node at the cursor (a
// new branch; the kernel checks the node, its capabilities and heap, and says why it refuses).
// A process is named by pid, by agent[i], or by an agent with one live process.
import type { InterventionRequest, ProcessRow } from '../../worker/api';
import { node, ShellError } from './commands';

const ENDED = new Set(['exited', 'failed']);

export function migrateRequest(args: readonly string[], processes: readonly ProcessRow[]): InterventionRequest {
  if (args.length !== 2) throw new ShellError(`migrate: expected a process and a node (usage: migrate <pid|name> <node>), got ${args.length === 0 ? 'nothing' : `'${args.join(' ')}'`}`);
  const [who, where] = args;
  return { kind: 'migrate', pid: processNamed(who, processes).pid, node: node('migrate', where) };
}

function processNamed(word: string, processes: readonly ProcessRow[]): ProcessRow {
  if (/^\d+$/.test(word)) {
    const row = processes.find((p) => p.pid === Number(word));
    if (!row) throw new ShellError(`migrate: no process ${word}`);
    return row;
  }
  const indexed = /^(.+)\[(\d+)\]$/.exec(word);
  if (indexed) {
    const row = processes.find((p) => p.agent === indexed[1] && p.replica === Number(indexed[2]));
    if (!row) throw new ShellError(`migrate: no process ${word}`);
    return row;
  }
  const live = processes.filter((p) => p.agent === word && !ENDED.has(p.status));
  if (live.length === 1) return live[0];
  if (live.length === 0) throw new ShellError(`migrate: no live process of an agent named '${word}'`);
  throw new ShellError(`migrate: ${word} has ${live.length} live processes (${live.slice(0, 4).map((p) => `${p.agent}[${p.replica}]`).join(', ')}${live.length > 4 ? ', …' : ''}); name one as ${word}[i] or by pid`);
}
