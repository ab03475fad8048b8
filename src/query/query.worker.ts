// The query worker: SQLite (loaded on the first query) and the KernelQL database. Each query comes
// with a MessagePort to the kernel worker; the worker brings its tables up to date from there
// (new events appended, batch by batch, answering `progress` in between) and runs the SQL.
// Queries run one at a time, in the order they came.
import * as Comlink from 'comlink';
import { QueryEngine, type QueryError } from './engine';
import { loadSqlite } from './sqlite';
import type { QuerySource } from './source';
import { syncEngine, type SyncProgress } from './sync';
import { columnBuffers, toColumns, type ResultTable } from './columns';

export type QueryAnswer = { ok: true; value: ResultTable & { cursor: number } } | { ok: false; error: QueryError };

export interface QueryWorkerApi {
  query(port: MessagePort, sql: string): Promise<QueryAnswer>;
  /** How far the loading of events has come, while a query waits for it. */
  progress(): SyncProgress | undefined;
}

let engine: QueryEngine | undefined;
let progress: SyncProgress | undefined;
let queue: Promise<unknown> = Promise.resolve();

const yieldToMessages = () => new Promise((resolve) => setTimeout(resolve, 0));

async function runQuery(port: MessagePort, sql: string): Promise<QueryAnswer> {
  const source = Comlink.wrap<QuerySource>(port);
  try {
    engine ??= new QueryEngine(await loadSqlite());
    const { cursor } = await syncEngine(engine, source, async (step) => {
      progress = step;
      await yieldToMessages();
    });
    progress = undefined;
    const outcome = engine.query(sql);
    if (!outcome.ok) return outcome;
    const table = toColumns(outcome.value);
    return Comlink.transfer({ ok: true as const, value: { ...table, cursor } }, columnBuffers(table));
  } catch (error) {
    return { ok: false, error: { message: error instanceof Error ? error.message : String(error) } };
  } finally {
    progress = undefined;
    source[Comlink.releaseProxy]();
    port.close();
  }
}

const api: QueryWorkerApi = {
  query(port, sql) {
    const answer = queue.then(() => runQuery(port, sql));
    queue = answer.catch(() => undefined);
    return answer;
  },
  progress: () => progress,
};

Comlink.expose(api);
