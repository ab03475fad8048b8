// The app's IndexedDB database: open (with upgrades), save, load, list, delete. Every failure
// becomes a PersistError whose message names the store and record.
import { wrap, type IDBPDatabase } from 'idb';
import { BODIES_STORE, DB_NAME, DB_VERSION, MIGRATIONS, bodyKey, type StoreName } from './schema';
import { checkBlobBody, decodeRecord, encodeBlobRecord, encodeRecord, summarize, type RecordSummary, type StoredRecord } from './record';
import { PersistError } from './errors';
import { crc32Sliced } from './checksum';

/** crc32 of a stored record's body, computed in slices (undefined if it has no body: decodeRecord says so). */
const bodyChecksum = (raw: unknown): Promise<number | undefined> => {
  const body = typeof raw === 'object' && raw !== null ? (raw as { body?: unknown }).body : undefined;
  return body instanceof Uint8Array ? crc32Sliced(body) : Promise.resolve(undefined);
};

export interface Persistence {
  save(store: StoreName, id: string, kind: string, value: unknown): Promise<RecordSummary>;
  /** Stores opaque bytes (a checkpoint), given as bytes or a Blob (a File); `load` returns them as a Uint8Array. */
  saveBytes(store: StoreName, id: string, kind: string, body: Uint8Array | Blob, tag?: string, checksum?: number): Promise<RecordSummary>;
  /** The value, or undefined if there is no such record; throws PersistError if it is unreadable. */
  load<T = unknown>(store: StoreName, id: string): Promise<T | undefined>;
  /** Summaries of every record; unreadable ones are listed with their error, not hidden. */
  list(store: StoreName): Promise<Array<RecordSummary | { id: string; error: PersistError }>>;
  remove(store: StoreName, id: string): Promise<void>;
  close(): void;
}

export interface OpenOptions {
  /** Defaults to the browser's indexedDB; tests pass fake-indexeddb's. */
  factory?: IDBFactory;
  name?: string;
  /** Wall clock for savedAtMs metadata; tests pass a fixed one. */
  nowMs?: () => number;
}

export async function openPersistence(options: OpenOptions = {}): Promise<Persistence> {
  const factory = options.factory ?? globalThis.indexedDB;
  if (!factory) throw new PersistError('unavailable', 'This browser offers no IndexedDB, so nothing can be saved here.');
  const name = options.name ?? DB_NAME;
  const nowMs = options.nowMs ?? (() => Date.now());
  const db = await openWith(factory, name);
  const put = async (store: StoreName, record: StoredRecord): Promise<RecordSummary> => {
    try {
      await db.put(store, record);
    } catch (error) {
      throw asPersistError(error, `Saving "${record.id}" to ${store}`);
    }
    return summarize(record);
  };

  return {
    save: (store, id, kind, value) => put(store, encodeRecord(id, kind, value, nowMs())),
    async saveBytes(store, id, kind, body, tag, checksum) {
      // A Blob is stored as it is (by reference); bytes become one. A Blob whose checksum the
      // caller knows (made where its bytes were) is never read here.
      const blob = body instanceof Blob ? body : new Blob([body as Uint8Array<ArrayBuffer>]);
      const sum = checksum ?? (await crc32Sliced(body instanceof Blob ? new Uint8Array(await body.arrayBuffer()) : body));
      const record = encodeBlobRecord(id, kind, blob.size, sum, nowMs(), tag);
      // The record and its body in one transaction: both are saved, or neither.
      try {
        const tx = db.transaction([store, BODIES_STORE], 'readwrite');
        await Promise.all([
          tx.objectStore(store).put(record),
          tx.objectStore(BODIES_STORE).put({ key: bodyKey(store, id), blob }),
          tx.done,
        ]);
      } catch (error) {
        throw asPersistError(error, `Saving "${id}" to ${store}`);
      }
      return summarize(record);
    },
    async load<T>(store: StoreName, id: string) {
      const raw = await db.get(store, id);
      if (raw === undefined) return undefined;
      const { record, value } = decodeRecord<T>(store, raw, await bodyChecksum(raw));
      if (record.encoding !== 'blob') return value;
      const stored = (await db.get(BODIES_STORE, bodyKey(store, id))) as { blob?: unknown } | undefined;
      const body = stored?.blob instanceof Blob ? new Uint8Array(await stored.blob.arrayBuffer()) : undefined;
      return checkBlobBody(store, record, body, body && (await crc32Sliced(body))) as T;
    },
    async list(store) {
      const rows = (await db.getAll(store)) as unknown[];
      const listed: Array<RecordSummary | { id: string; error: PersistError }> = [];
      for (const raw of rows) {
        try {
          listed.push(summarize(decodeRecord(store, raw, await bodyChecksum(raw)).record));
        } catch (error) {
          const id = String((raw as { id?: unknown })?.id ?? '?');
          listed.push({ id, error: error as PersistError });
        }
      }
      return listed;
    },
    async remove(store, id) {
      const tx = db.transaction([store, BODIES_STORE], 'readwrite');
      await Promise.all([tx.objectStore(store).delete(id), tx.objectStore(BODIES_STORE).delete(bodyKey(store, id)), tx.done]);
    },
    close: () => db.close(),
  };
}

async function openWith(factory: IDBFactory, name: string): Promise<IDBPDatabase<unknown>> {
  // idb's openDB always uses the global indexedDB; opening through the given factory and wrapping
  // the request keeps tests and the app on the same code path.
  try {
    const request = factory.open(name, DB_VERSION);
    request.addEventListener('upgradeneeded', (event) => {
      const db = wrap(request.result) as IDBPDatabase<unknown>;
      const tx = wrap(request.transaction!) as unknown as Parameters<(typeof MIGRATIONS)[number]>[1];
      for (let version = event.oldVersion + 1; version <= DB_VERSION; version++) MIGRATIONS[version - 1](db, tx);
    });
    return (await wrap(request)) as IDBPDatabase<unknown>;
  } catch (error) {
    if ((error as DOMException)?.name === 'VersionError') {
      throw new PersistError(
        'newer-database',
        `The saved data in this browser was written by a newer AgentOS (database "${name}" is newer than version ${DB_VERSION}). ` +
          'Update AgentOS to open it; nothing was changed.',
        { cause: error },
      );
    }
    throw asPersistError(error, `Opening the database "${name}"`);
  }
}

function asPersistError(error: unknown, what: string): PersistError {
  if (error instanceof PersistError) return error;
  const name = (error as DOMException)?.name;
  if (name === 'QuotaExceededError') {
    return new PersistError('quota', `${what} failed: the browser's storage for this site is full. Nothing already saved was lost; delete old checkpoints to make room.`, { cause: error });
  }
  return new PersistError('unavailable', `${what} failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}
