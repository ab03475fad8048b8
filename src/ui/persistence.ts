// The UI's way into IndexedDB: opened on first use and shared; a failed open is not kept, so the
// next use tries again (storage may come back).
import { openPersistence, type Persistence } from '../persist/database';

/** A function that opens the database once and hands out the same connection after. */
export function lazyPersistence(): () => Promise<Persistence> {
  let db: Promise<Persistence> | undefined;
  return () =>
    (db ??= openPersistence().catch((error) => {
      db = undefined;
      throw error;
    }));
}
