// The Query panel's client: owns the query worker, started on the first query (so SQLite is never
// part of the first page load) and kept for the page's life. Each query gets a fresh channel to
// the kernel worker (through KernelClient.connectQuery), so a restarted kernel worker is simply
// the next query's source. Components read its fields and call run(); they never see a worker.
import * as Comlink from 'comlink';
import type { KernelClient } from './kernel-client.svelte';
import type { QueryAnswer, QueryWorkerApi } from '../query/query.worker';
import type { ResultTable } from '../query/columns';
import type { QueryError } from '../query/engine';
import type { SyncProgress } from '../query/sync';

export const DEFAULT_SQL = 'SELECT type, count(*) AS events\nFROM events\nGROUP BY type\nORDER BY events DESC';
/** How often the panel asks how far loading has come while a query waits. */
const PROGRESS_MS = 250;
import { SAVED_QUERIES_MAX, SAVED_QUERY_NAME_CHARS_MAX, SAVED_QUERY_SQL_CHARS_MAX, type SavedQuery } from '../kernel/session';

const createQueryWorker = () => new Worker(new URL('../query/query.worker.ts', import.meta.url), { type: 'module', name: 'agentos-query' });

export class QueryClient {
  sql = $state(DEFAULT_SQL);
  result = $state.raw<(ResultTable & { cursor: number }) | undefined>(undefined);
  error = $state.raw<QueryError | undefined>(undefined);
  /** The SQL the result or error belongs to (the error's position is in this text). */
  ranSql = $state('');
  running = $state(false);
  progress = $state.raw<SyncProgress | undefined>(undefined);
  saved = $state.raw<SavedQuery[]>([]);

  #worker: Worker | undefined;
  #api: Comlink.Remote<QueryWorkerApi> | undefined;

  /** Counts the sessions seen: an answer to a query of an earlier session is dropped. */
  #session = 0;

  constructor(private readonly kernel: KernelClient, private readonly createWorker: () => Worker = createQueryWorker) {
    kernel.onSessionReplaced(() => this.sessionReplaced());
  }

  /** A new session replaced the one queried: its result, error and saved queries go (the SQL text stays: it is the user's). */
  sessionReplaced(): void {
    this.#session++;
    this.result = undefined;
    this.error = undefined;
    this.ranSql = '';
    this.saved = [];
  }

  /** Runs `sql` (default: the editor's) over the tables at the current cursor. */
  async run(sql: string = this.sql): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.error = undefined;
    this.ranSql = sql;
    const session = this.#session;
    const timer = setInterval(() => void this.#api?.progress().then((step) => { if (this.running) this.progress = step; }), PROGRESS_MS);
    try {
      this.#api ??= this.#start();
      const channel = new MessageChannel();
      await this.kernel.connectQuery(channel.port1);
      const answer: QueryAnswer = await this.#api.query(Comlink.transfer(channel.port2, [channel.port2]), sql);
      if (session !== this.#session) return; // asked of a session that has since been replaced
      // An error replaces the old rows: what is on screen always answers the SQL that ran last.
      this.result = answer.ok ? answer.value : undefined;
      this.error = answer.ok ? undefined : answer.error;
    } catch (error) {
      if (session !== this.#session) return;
      this.result = undefined;
      this.error = { message: error instanceof Error ? error.message : String(error) };
    } finally {
      clearInterval(timer);
      this.progress = undefined;
      this.running = false;
    }
  }

  /**
   * Runs `sql` for the shell's `query`: the answer comes back, and the panel's editor, result and
   * error stay as they were. One query at a time, as in the panel.
   */
  async answer(sql: string): Promise<QueryAnswer> {
    if (this.running) return { ok: false, error: { message: 'a query is already running (in the Query panel)' } };
    this.running = true;
    try {
      this.#api ??= this.#start();
      const channel = new MessageChannel();
      await this.kernel.connectQuery(channel.port1);
      return await this.#api.query(Comlink.transfer(channel.port2, [channel.port2]), sql);
    } catch (error) {
      return { ok: false, error: { message: error instanceof Error ? error.message : String(error) } };
    } finally {
      this.running = false;
    }
  }

  /** The session's saved queries (they come with a link or a checkpoint): read when the panel opens. */
  async refreshSaved(): Promise<void> {
    this.saved = await this.kernel.savedQueries();
  }

  /** Keeps the editor's query under `name` (replacing one of that name) with the session. */
  async save(name: string, sql: string = this.sql): Promise<void> {
    const trimmed = name.trim().slice(0, SAVED_QUERY_NAME_CHARS_MAX);
    if (!trimmed) return;
    if (sql.length > SAVED_QUERY_SQL_CHARS_MAX) {
      this.error = { message: `a saved query holds at most ${SAVED_QUERY_SQL_CHARS_MAX.toLocaleString('en')} characters` };
      return;
    }
    const rest = this.saved.filter((query) => query.name !== trimmed);
    await this.#keep([...rest, { name: trimmed, sql }].slice(-SAVED_QUERIES_MAX));
  }

  async forget(name: string): Promise<void> {
    await this.#keep(this.saved.filter((query) => query.name !== name));
  }

  async #keep(queries: SavedQuery[]): Promise<void> {
    const outcome = await this.kernel.setSavedQueries(queries);
    if (outcome.ok) this.saved = queries;
    else this.error = { message: `the query was not saved: ${outcome.error}` };
  }

  dispose(): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#api = undefined;
  }

  #start(): Comlink.Remote<QueryWorkerApi> {
    const worker = this.createWorker();
    worker.addEventListener('error', (event) => {
      this.error = { message: `the query worker failed: ${event.message || 'it could not be loaded (offline before its first use?)'}` };
      this.dispose();
    });
    this.#worker = worker;
    return Comlink.wrap<QueryWorkerApi>(worker);
  }
}

const clients = new WeakMap<KernelClient, QueryClient>();

/** The one QueryClient of a KernelClient (the panel comes and goes with its tab; the client stays). */
export function queryClientFor(kernel: KernelClient): QueryClient {
  let client = clients.get(kernel);
  if (!client) {
    client = new QueryClient(kernel);
    clients.set(kernel, client);
  }
  return client;
}
