// Halls of fame kept in this browser: IndexedDB (idb), their own database `agentos-evolve`
// (apart from the experiments' `agentos-lab` and the workbench's sessions, so no schema waits on
// another). A hall is saved after every generation, keyed by the hash of its plan and
// generations, so a reload shows the last one again. At most HALLS_KEPT_MAX are kept, least
// recently saved dropped first.
import { wrap, type DBSchema, type IDBPDatabase } from 'idb';

export const EVOLVE_DB_NAME = 'agentos-evolve';
export const EVOLVE_DB_VERSION = 1;
export const HALLS_KEPT_MAX = 8;

export interface StoredHall {
  /** textHash of the plan text and the generations. */
  readonly id: string;
  readonly name: string;
  readonly planText: string;
  readonly generations: number;
  /** The hall as formatHall writes it (the same text Export JSON downloads). */
  readonly hallText: string;
  /** Generations done (the hall is complete when it equals `generations`). */
  readonly done: number;
  /** Wall clock of the save (only to choose which halls to drop). */
  readonly savedAtMs: number;
}

interface EvolveSchema extends DBSchema {
  halls: { key: string; value: StoredHall; indexes: { savedAt: number } };
}

export interface HallStore {
  save(hall: StoredHall): Promise<void>;
  get(id: string): Promise<StoredHall | undefined>;
  latest(): Promise<StoredHall | undefined>;
  remove(id: string): Promise<void>;
  close(): void;
}

export async function openHallStore(options: { factory?: IDBFactory; name?: string } = {}): Promise<HallStore> {
  const factory = options.factory ?? globalThis.indexedDB;
  if (!factory) throw new Error('This browser offers no IndexedDB: halls of fame cannot be kept across a reload.');
  const request = factory.open(options.name ?? EVOLVE_DB_NAME, EVOLVE_DB_VERSION);
  request.addEventListener('upgradeneeded', () => {
    const database = wrap(request.result) as unknown as IDBPDatabase<EvolveSchema>;
    database.createObjectStore('halls', { keyPath: 'id' }).createIndex('savedAt', 'savedAtMs');
  });
  const db = (await wrap(request)) as unknown as IDBPDatabase<EvolveSchema>;
  return {
    async save(hall) {
      await db.put('halls', hall);
      const ids = await db.getAllKeysFromIndex('halls', 'savedAt');
      for (const old of ids.slice(0, Math.max(0, ids.length - HALLS_KEPT_MAX))) if (old !== hall.id) await db.delete('halls', old);
    },
    get: (id) => db.get('halls', id),
    async latest() {
      const cursor = await db.transaction('halls').store.index('savedAt').openCursor(null, 'prev');
      return cursor?.value;
    },
    remove: (id) => db.delete('halls', id),
    close: () => db.close(),
  };
}
