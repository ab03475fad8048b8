// The KernelQL database: an in-memory SQLite database holding the journal (`event_log`, seen
// through the `events` view that names each event's fields) and the state tables at a cursor.
// Loading binds integers straight to the engine's exports inside one transaction per batch
// (type and agent names are C strings allocated once and bound without copying), so a million
// events load in about a second. Queries are read-only, one statement, bounded in rows and time.
import { DECISION_SETTINGS_COLUMNS, DECISIONS_SQL } from './decisions';
import type { Database, Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import { EVENT_TYPES, EventCode } from '../kernel/events';
import { PROCESS_TABLE_MAX } from '../kernel/state';
import {
  CHANNEL_COLUMNS, EVENT_FIELD_COLUMNS, HEAP_BLOCK_COLUMNS, NODE_COLUMNS, PROCESS_COLUMNS, SHARED_COLUMNS, WATCH_COLUMNS, fieldSlots, quoteName,
} from './schema';
import type { Cell, EventBatch, StateTables } from './tables';
import type { WatchTable } from '../kernel/watches';

/** Rows a query returns at most (the rest is counted as cut, not sent). */
export const QUERY_ROWS_MAX = 100_000;
/** How long one query may run before it is stopped. */
export const QUERY_TIME_MS = 20_000;
/** Rows of the watches table at most. */
export const WATCH_ROWS_MAX = 1_000_000;
/** Appends larger than this drop the type index and build it again after (faster than updating it). */
const REINDEX_EVENTS = 100_000;
/** Virtual machine steps between two looks at the query's deadline. */
const PROGRESS_STEPS = 20_000;

export type QueryValue = number | string | null;

export interface QueryResult {
  columns: string[];
  rows: QueryValue[][];
  /** More rows than QUERY_ROWS_MAX matched; `rows` holds the first ones. */
  truncated: boolean;
  ms: number;
}

/** A query that failed, with where in its text (0-based character offset), when the engine says. */
export interface QueryError {
  message: string;
  offset?: number;
  line?: number;
  column?: number;
}

export type QueryOutcome = { ok: true; value: QueryResult } | { ok: false; error: QueryError };

/** Line and column (1-based) of a character offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Where an unknown name the message quotes ("no such table: x") first stands in the query, if it does. */
function namedOffset(sql: string, message: string): number | undefined {
  const name = /^no such (?:table|column|function): (.+)$/.exec(message)?.[1];
  if (!name) return undefined;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(?<![\\w"])${escaped}(?![\\w"])`, 'i').exec(sql);
  return match?.index;
}

const fieldExpression = (field: string): string => {
  const { a, b, c } = fieldSlots(field);
  const arms = ([['a', a], ['b', b], ['c', c]] as const).filter(([, codes]) => codes.length > 0)
    .map(([column, codes]) => `WHEN code IN (${codes.join(',')}) THEN ${column}`);
  return `CASE ${arms.join(' ')} END AS ${quoteName(field)}`;
};

const table = (name: string, columns: readonly string[], types: Record<string, string> = {}) =>
  `CREATE TABLE ${name}(${columns.map((column) => `${quoteName(column)} ${types[column] ?? 'INTEGER'}`).join(', ')});`;

const SCHEMA_SQL = [
  'PRAGMA journal_mode = OFF;',
  'PRAGMA synchronous = OFF;',
  'PRAGMA temp_store = MEMORY;',
  // Types are stored as their codes and named through event_types: the index on codes is cheap to
  // build, and a GROUP BY type walks event_types in name order, each type's events by the index.
  'CREATE TABLE event_types(code INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL);',
  'CREATE TABLE event_log(seq INTEGER PRIMARY KEY, tick INTEGER, code INTEGER, node INTEGER, pid INTEGER, agent TEXT, cause INTEGER, a INTEGER, b INTEGER, c INTEGER);',
  `CREATE VIEW events AS SELECT seq, tick, event_types.name AS type, node, pid, agent, cause, ${EVENT_FIELD_COLUMNS.map(fieldExpression).join(', ')} FROM event_log JOIN event_types USING (code);`,
  table('processes', PROCESS_COLUMNS, { agent: 'TEXT', status: 'TEXT' }),
  table('channels', CHANNEL_COLUMNS, { name: 'TEXT', sender: 'TEXT', receiver: 'TEXT' }),
  table('nodes', NODE_COLUMNS, { name: 'TEXT' }),
  table('heap_blocks', HEAP_BLOCK_COLUMNS, { agent: 'TEXT' }),
  table('shared', SHARED_COLUMNS, { object: 'TEXT', type: 'TEXT', node: 'TEXT', text: 'TEXT' }),
  table('watches', WATCH_COLUMNS, { name: 'TEXT', value: '' }),
  DECISIONS_SQL,
].join('\n');

const SPAWNED = EventCode['process/spawned'];
/** A replica started by healing: its pid is the event's, its agent field b (process/spawned's is a). */
const SCALED = EventCode['heal/scaled'];
const STATIC = 0; // SQLITE_STATIC: the engine does not copy or free the bound text

type RawExports = Record<string, (...args: number[]) => number>;

export class QueryEngine {
  readonly #sqlite: Sqlite3Static;
  readonly #db: Database;
  readonly #raw: RawExports;
  /** Agent names as C strings [pointer, bytes], by agent index (bound without copying). */
  #agentNames: [number, number][] = [];
  /** pid -> agent index, learnt from process/spawned and heal/scaled events as they load (-1: unknown). */
  readonly #pidAgent = new Int32Array(PROCESS_TABLE_MAX).fill(-1);
  #events = 0;
  #indexed = true;
  #deadline = Infinity;
  /** What identifies the loaded events (see QuerySource.head): equal keys, equal events. */
  key = '';

  constructor(sqlite: Sqlite3Static) {
    this.#sqlite = sqlite;
    this.#raw = sqlite.wasm.exports as unknown as RawExports;
    this.#db = new sqlite.oo1.DB(':memory:');
    this.#db.exec(SCHEMA_SQL);
    this.#db.exec('CREATE INDEX event_log_code ON event_log(code);');
    const insertType = this.#db.prepare('INSERT INTO event_types VALUES (?, ?)');
    EVENT_TYPES.forEach((name, code) => insertType.bind([code, name]).stepReset());
    insertType.finalize();
    sqlite.capi.sqlite3_progress_handler(this.#db, PROGRESS_STEPS, () => (performance.now() > this.#deadline ? 1 : 0), 0);
  }

  get events(): number {
    return this.#events;
  }

  /** Forgets the loaded events; `agents` names the agents of the events to come, by index. */
  reset(agents: readonly string[]): void {
    this.#db.exec('DELETE FROM event_log;');
    for (const [pointer] of this.#agentNames) this.#sqlite.wasm.dealloc(pointer);
    this.#agentNames = agents.map((name) => this.#sqlite.wasm.allocCString(name, true));
    this.#pidAgent.fill(-1);
    this.#events = 0;
    this.key = '';
  }

  /** Before appending `count` events: a large load drops the type index (built again in endAppend). */
  beginAppend(count: number): void {
    if (count >= REINDEX_EVENTS && this.#indexed) {
      this.#db.exec('DROP INDEX event_log_code;');
      this.#indexed = false;
    }
  }

  endAppend(key: string): void {
    if (!this.#indexed) {
      this.#db.exec('CREATE INDEX event_log_code ON event_log(code);');
      this.#indexed = true;
    }
    this.key = key;
  }

  /** Inserts one batch of events (it must start where the loaded events end), in one transaction. */
  appendEvents(batch: EventBatch): void {
    if (batch.from !== this.#events) throw new RangeError(`events batch starts at ${batch.from}, but ${this.#events} are loaded`);
    const raw = this.#raw;
    const bindInt = raw.sqlite3_bind_int, bindDouble = raw.sqlite3_bind_double, bindText = raw.sqlite3_bind_text, bindNull = raw.sqlite3_bind_null;
    const step = raw.sqlite3_step, reset = raw.sqlite3_reset;
    const stmt = this.#db.prepare('INSERT INTO event_log VALUES (?,?,?,?,?,?,?,?,?,?)');
    const p = stmt.pointer as number;
    const agents = this.#agentNames, pidAgent = this.#pidAgent;
    const { tick, type, node, pid, cause, a, b, c } = batch;
    this.#db.exec('BEGIN;');
    try {
      for (let i = 0; i < batch.count; i++) {
        const code = type[i];
        const who = pid[i];
        if (code === SPAWNED && who >= 0 && who < pidAgent.length) pidAgent[who] = a[i];
        else if (code === SCALED && who >= 0 && who < pidAgent.length) pidAgent[who] = b[i];
        const agent = who >= 0 && who < pidAgent.length ? pidAgent[who] : -1;
        bindInt(p, 1, batch.from + i);
        bindDouble(p, 2, tick[i]);
        bindInt(p, 3, code);
        bindInt(p, 4, node[i]);
        bindInt(p, 5, who);
        const agentName = agent >= 0 ? agents[agent] : undefined;
        if (agentName) bindText(p, 6, agentName[0], agentName[1], STATIC);
        else bindNull(p, 6);
        bindInt(p, 7, cause[i]);
        bindInt(p, 8, a[i]);
        bindInt(p, 9, b[i]);
        bindInt(p, 10, c[i]);
        const rc = step(p);
        reset(p);
        if (rc !== this.#sqlite.capi.SQLITE_DONE) throw new Error(`loading event ${batch.from + i}: ${this.#sqlite.capi.sqlite3_errmsg(this.#db)}`);
      }
      this.#db.exec('COMMIT;');
      this.#events = batch.from + batch.count;
    } catch (error) {
      this.#db.exec('ROLLBACK;');
      throw error;
    } finally {
      stmt.finalize();
    }
  }

  /** Replaces the state tables (processes, channels, nodes, heap_blocks, shared) with these rows. */
  setState(tables: StateTables): void {
    const fill = (name: string, columns: readonly string[], rows: Cell[][]) => {
      this.#db.exec(`DELETE FROM ${name};`);
      if (rows.length === 0) return;
      const stmt = this.#db.prepare(`INSERT INTO ${name} VALUES (${columns.map(() => '?').join(',')})`);
      try {
        for (const row of rows) stmt.bind(row).stepReset();
      } finally {
        stmt.finalize();
      }
    };
    this.#db.exec('BEGIN;');
    try {
      fill('processes', PROCESS_COLUMNS, tables.processes);
      fill('channels', CHANNEL_COLUMNS, tables.channels);
      fill('nodes', NODE_COLUMNS, tables.nodes);
      fill('heap_blocks', HEAP_BLOCK_COLUMNS, tables.heap_blocks);
      fill('shared', SHARED_COLUMNS, tables.shared);
      fill('decision_settings', DECISION_SETTINGS_COLUMNS, tables.decision_settings ?? []);
      this.#db.exec('COMMIT;');
    } catch (error) {
      this.#db.exec('ROLLBACK;');
      throw error;
    }
  }

  /**
   * The hook for watches: replaces the `watches` table with these rows [seq, tick, name, value]
   * (at most WATCH_ROWS_MAX). Empty until watches are recorded by the kernel.
   */
  setWatches(rows: readonly (readonly Cell[])[]): void {
    this.#db.exec('BEGIN; DELETE FROM watches;');
    const stmt = this.#db.prepare('INSERT INTO watches VALUES (?,?,?,?)');
    try {
      for (const row of rows.slice(0, WATCH_ROWS_MAX)) stmt.bind(row as Cell[]).stepReset();
      this.#db.exec('COMMIT;');
    } catch (error) {
      this.#db.exec('ROLLBACK;');
      throw error;
    } finally {
      stmt.finalize();
    }
  }

  /** The key of the watches table loaded (source.ts WatchAnswer): '' before any. */
  watchesKey = '';

  /** The `watches` table from the kernel's series (one column per watch at the same points). */
  setWatchTable(table: WatchTable): void {
    const rows: Cell[][] = [];
    for (let point = 0; point < table.seq.length; point++) {
      table.names.forEach((name, index) => rows.push([table.seq[point], table.tick[point], name, table.values[index][point]]));
    }
    this.setWatches(rows);
    this.watchesKey = table.key;
  }

  /** Runs one read-only statement; errors name their position in `sql` when the engine knows it. */
  query(sql: string, options: { rowsMax?: number; timeMs?: number } = {}): QueryOutcome {
    const rowsMax = Math.max(0, Math.min(options.rowsMax ?? QUERY_ROWS_MAX, QUERY_ROWS_MAX));
    const started = performance.now();
    const { capi, wasm } = this.#sqlite;
    const db = this.#db.pointer as number;
    const [sqlPointer, sqlBytes] = wasm.allocCString(sql, true);
    const stack = wasm.pstack.pointer;
    let stmt = 0;
    const failure = (message: string, byteOffset = capi.sqlite3_error_offset(db) as number): QueryOutcome => {
      const error: QueryError = { message };
      const offset = byteOffset >= 0 ? new TextDecoder().decode(wasm.heap8u().slice(sqlPointer, sqlPointer + byteOffset)).length : namedOffset(sql, message);
      if (offset !== undefined) Object.assign(error, { offset }, lineColumn(sql, offset));
      return { ok: false, error };
    };
    try {
      const ppStmt = wasm.pstack.alloc(8);
      const pzTail = wasm.pstack.alloc(8);
      let rc = capi.sqlite3_prepare_v2(db, sqlPointer, sqlBytes, ppStmt, pzTail);
      if (rc !== capi.SQLITE_OK) return failure(capi.sqlite3_errmsg(db));
      stmt = wasm.peekPtr(ppStmt) as number;
      if (!stmt) return { ok: false, error: { message: 'the query is empty: write one SQL statement, e.g. SELECT type, count(*) FROM events GROUP BY type' } };
      const tail = (wasm.peekPtr(pzTail) as number) - sqlPointer;
      if (!/^[\s;]*$/.test(new TextDecoder().decode(wasm.heap8u().slice(sqlPointer + tail, sqlPointer + sqlBytes))) && !this.#onlyComments(sql, sqlPointer, tail, sqlBytes)) {
        return failure('one statement at a time: remove what follows the first statement', tail);
      }
      if (!capi.sqlite3_stmt_readonly(stmt)) return failure('KernelQL is read-only: only SELECT (and WITH, EXPLAIN, read-only PRAGMA) statements run', 0);
      const count = capi.sqlite3_column_count(stmt);
      const columns = Array.from({ length: count }, (_, index) => capi.sqlite3_column_name(stmt, index) ?? `column ${index + 1}`);
      const rows: QueryValue[][] = [];
      let truncated = false;
      this.#deadline = started + Math.min(options.timeMs ?? QUERY_TIME_MS, QUERY_TIME_MS);
      for (;;) {
        rc = capi.sqlite3_step(stmt);
        if (rc === capi.SQLITE_DONE) break;
        if (rc !== capi.SQLITE_ROW) {
          if (rc === capi.SQLITE_INTERRUPT) return { ok: false, error: { message: `the query ran longer than ${Math.round((this.#deadline - started) / 1000)} s and was stopped` } };
          return failure(capi.sqlite3_errmsg(db), -1);
        }
        if (rows.length >= rowsMax) {
          truncated = true;
          break;
        }
        const row: QueryValue[] = new Array(count);
        for (let index = 0; index < count; index++) {
          switch (capi.sqlite3_column_type(stmt, index)) {
            case capi.SQLITE_INTEGER:
            case capi.SQLITE_FLOAT: row[index] = capi.sqlite3_column_double(stmt, index); break;
            case capi.SQLITE_TEXT: row[index] = capi.sqlite3_column_text(stmt, index); break;
            case capi.SQLITE_BLOB: row[index] = `[blob of ${capi.sqlite3_column_bytes(stmt, index)} bytes]`; break;
            default: row[index] = null;
          }
        }
        rows.push(row);
      }
      return { ok: true, value: { columns, rows, truncated, ms: performance.now() - started } };
    } finally {
      this.#deadline = Infinity;
      if (stmt) capi.sqlite3_finalize(stmt);
      wasm.pstack.restore(stack);
      wasm.dealloc(sqlPointer);
    }
  }

  /** True when the text after the first statement holds only comments (preparing it yields nothing). */
  #onlyComments(_sql: string, sqlPointer: number, tail: number, sqlBytes: number): boolean {
    const { capi, wasm } = this.#sqlite;
    const stack = wasm.pstack.pointer;
    try {
      const ppStmt = wasm.pstack.alloc(8);
      const rc = capi.sqlite3_prepare_v2(this.#db.pointer as number, sqlPointer + tail, sqlBytes - tail, ppStmt, 0);
      const stmt = wasm.peekPtr(ppStmt) as number;
      if (stmt) capi.sqlite3_finalize(stmt);
      return rc === capi.SQLITE_OK && !stmt;
    } finally {
      wasm.pstack.restore(stack);
    }
  }

  close(): void {
    for (const [pointer] of this.#agentNames) this.#sqlite.wasm.dealloc(pointer);
    this.#db.close();
  }
}
