// The database's shape and how each older version upgrades to the current one. Migrations run
// in order inside IndexedDB's versionchange transaction, so a failed upgrade changes nothing.
import { unwrap, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';

export const DB_NAME = 'agentos';
/** Bump and append a migration whenever stores or indexes change. */
export const DB_VERSION = 2;

/** Stores of records (sessions, checkpoints); a bytes record's body lives in BODIES_STORE. */
export const STORE_NAMES = ['sessions', 'checkpoints'] as const;
export type StoreName = (typeof STORE_NAMES)[number];
/**
 * Bodies of bytes records as Blobs, keyed `<store>/<id>`: listing records never reads them, and
 * a Blob is stored and read without a structured clone of its bytes on the page's thread.
 */
export const BODIES_STORE = 'bodies';
export const bodyKey = (store: string, id: string) => `${store}/${id}`;

type Upgrade = (db: IDBPDatabase<unknown>, tx: IDBPTransaction<unknown, StoreNames<unknown>[], 'versionchange'>) => void;

/** MIGRATIONS[v - 1] upgrades a database at version v - 1 to version v. */
export const MIGRATIONS: readonly Upgrade[] = [
  (db) => {
    for (const name of STORE_NAMES) db.createObjectStore(name, { keyPath: 'id' });
  },
  // 2: bytes bodies move out of their records into BODIES_STORE (as Blobs); the records keep
  // their checksum and length, and become format 2 with encoding 'blob'.
  (db, tx) => {
    db.createObjectStore(BODIES_STORE, { keyPath: 'key' });
    const native = unwrap(tx) as IDBTransaction;
    for (const name of STORE_NAMES) moveBodies(name, native);
  },
];

/** Moves each bytes body of `name` into BODIES_STORE (native requests: the upgrade transaction stays open for them). */
function moveBodies(name: string, tx: IDBTransaction): void {
  const bodies = tx.objectStore(BODIES_STORE);
  const request = tx.objectStore(name).openCursor();
  request.onsuccess = () => {
    const cursor = request.result;
    if (!cursor) return;
    const record = cursor.value as { id: string; encoding?: string; body?: unknown };
    if (record.encoding === 'bytes' && record.body instanceof Uint8Array) {
      bodies.put({ key: bodyKey(name, record.id), blob: new Blob([record.body as Uint8Array<ArrayBuffer>]) });
      const { body: _moved, ...rest } = record;
      cursor.update({ ...rest, format: 2, encoding: 'blob' });
    }
    cursor.continue();
  };
}

if (MIGRATIONS.length !== DB_VERSION) throw new Error('persist/schema: one migration per database version');
