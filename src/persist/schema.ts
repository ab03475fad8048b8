// The database's shape and how each older version upgrades to the current one. Migrations run
// in order inside IndexedDB's versionchange transaction, so a failed upgrade changes nothing.
import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';

export const DB_NAME = 'agentos';
/** Bump and append a migration whenever stores or indexes change. */
export const DB_VERSION = 1;

export const STORE_NAMES = ['sessions', 'checkpoints'] as const;
export type StoreName = (typeof STORE_NAMES)[number];

type Upgrade = (db: IDBPDatabase<unknown>, tx: IDBPTransaction<unknown, StoreNames<unknown>[], 'versionchange'>) => void;

/** MIGRATIONS[v - 1] upgrades a database at version v - 1 to version v. */
export const MIGRATIONS: readonly Upgrade[] = [
  (db) => {
    for (const name of STORE_NAMES) db.createObjectStore(name, { keyPath: 'id' });
  },
];

if (MIGRATIONS.length !== DB_VERSION) throw new Error('persist/schema: one migration per database version');
