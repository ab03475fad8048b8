// What the Query panel and the Shell show belongs to the session on screen (issue 10): a new
// session (KernelClient's one reset place tells them) clears their results, an answer to a query
// of the old session is dropped, and a query error replaces the old rows instead of sitting on them.
import { describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { QueryClient } from '../../src/ui/query-client.svelte';
import { ShellSession } from '../../src/ui/shell/session.svelte';
import type { KernelClient } from '../../src/ui/kernel-client.svelte';
import type { QueryAnswer } from '../../src/query/query.worker';
import type { CheckpointHost, ShellHost } from '../../src/ui/shell/commands';

/** A kernel client with just what QueryClient uses, and a way to replace its session. */
function fakeKernel() {
  const listeners: Array<() => void> = [];
  const kernel = {
    onSessionReplaced: (listener: () => void) => { listeners.push(listener); return () => undefined; },
    connectQuery: async (port: MessagePort) => port.close(),
    savedQueries: async () => [],
  };
  return { kernel: kernel as unknown as KernelClient, replace: () => listeners.forEach((listener) => listener()) };
}

/** A query worker on a MessageChannel: 'bad' is an error, anything else one row; `hold` delays the answer. */
function fakeQueryWorker() {
  let release: (() => void) | undefined;
  const control = { hold: false, release: () => release?.() };
  const api = {
    async query(port: MessagePort, sql: string): Promise<QueryAnswer> {
      port.close();
      if (control.hold) await new Promise<void>((resolve) => (release = resolve));
      if (sql === 'bad') return { ok: false, error: { message: 'no such table: bad', line: 1, column: 1 } };
      return { ok: true, value: { columns: [{ name: 'n', numeric: true, values: [sql.length] }], rowCount: 1, truncated: false, ms: 1, cursor: 7 } as never };
    },
    async progress() { return undefined; },
  };
  const channel = new MessageChannel();
  Comlink.expose(api, channel.port1 as never);
  const worker = Object.assign(channel.port2, { terminate: () => channel.port2.close() }) as unknown as Worker;
  return { control, createWorker: () => worker, close: () => { channel.port1.close(); channel.port2.close(); } };
}

describe('QueryClient', () => {
  it('an error replaces the rows of the query before', async () => {
    const { kernel } = fakeKernel();
    const worker = fakeQueryWorker();
    const query = new QueryClient(kernel, worker.createWorker);
    await query.run('SELECT 1');
    expect(query.result?.rowCount).toBe(1);
    await query.run('bad');
    expect(query.error?.message).toMatch(/no such table/);
    expect(query.result).toBeUndefined();
    worker.close();
  });

  it('a new session clears the result and the error, keeps the SQL, and drops an answer to the old session', async () => {
    const { kernel, replace } = fakeKernel();
    const worker = fakeQueryWorker();
    const query = new QueryClient(kernel, worker.createWorker);
    query.sql = 'SELECT 2';
    await query.run();
    expect(query.result).toBeDefined();
    replace();
    expect([query.result, query.error, query.sql]).toEqual([undefined, undefined, 'SELECT 2']);

    worker.control.hold = true;
    const pending = query.run();
    await new Promise((resolve) => setTimeout(resolve, 20));
    replace();
    worker.control.release();
    await pending;
    expect(query.result).toBeUndefined(); // the old session's answer never reaches the screen
    expect(query.running).toBe(false);
    worker.close();
  });
});

describe('ShellSession', () => {
  const host = { busy: false } as unknown as ShellHost;
  const checkpoints = { rows: [] } as unknown as CheckpointHost;

  it('a new session clears the transcript but keeps the history', async () => {
    const shell = new ShellSession(host, checkpoints);
    await shell.submit('help');
    expect(shell.log.length).toBeGreaterThan(1);
    shell.sessionReplaced();
    expect(shell.log).toEqual([]);
    expect(shell.history).toEqual(['help']);
  });
});
