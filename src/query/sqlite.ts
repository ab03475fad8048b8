// Loads the embedded SQL engine: the official SQLite WebAssembly build (@sqlite.org/sqlite-wasm),
// the same package in the query worker and in Node. Its glue has no eval / new Function, so it runs
// under the app's CSP ('wasm-unsafe-eval' only); see README.md for why not DuckDB-wasm.
import sqlite3InitModule, { type Sqlite3Static } from '@sqlite.org/sqlite-wasm';

let loading: Promise<Sqlite3Static> | undefined;

/** The engine, loaded once per worker or process (a failed load is tried again next time). */
export function loadSqlite(): Promise<Sqlite3Static> {
  loading ??= sqlite3InitModule().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
