// Experiment runs kept in this browser as their trials finish, so a reload resumes where the
// sweep stopped: IndexedDB (idb), its own database `agentos-lab` (apart from the workbench's
// sessions and checkpoints, so neither schema waits on the other). A run is keyed by the hash of
// its plan and the spec files it read: the same inputs are the same trials, whatever the tab.
import { wrap, type DBSchema, type IDBPDatabase } from 'idb';

export const LAB_DB_NAME = 'agentos-lab';
export const LAB_DB_VERSION = 1;
/** Runs kept; saving one more drops the least recently used (with its lines). */
export const RUNS_KEPT_MAX = 8;

export interface StoredRun {
  /** textHash of the plan and its spec files. */
  readonly id: string;
  readonly name: string;
  readonly planText: string;
  /** The spec files the plan named, by name, as they were read (a resumed run reads no others). */
  readonly specFiles: Readonly<Record<string, string>>;
  readonly trialCount: number;
  /** Wall clock of the last save or use (only for choosing which runs to drop). */
  usedAtMs: number;
}

export interface StoredLine {
  readonly run: string;
  readonly trial: number;
  /** The trial's line as the runner formatted it (JSON text). */
  readonly text: string;
}

interface LabSchema extends DBSchema {
  runs: { key: string; value: StoredRun; indexes: { usedAt: number } };
  lines: { key: [string, number]; value: StoredLine };
}

export interface LabStore {
  /** Saves (or touches) a run; drops the least recently used beyond RUNS_KEPT_MAX. */
  saveRun(run: StoredRun): Promise<void>;
  run(id: string): Promise<StoredRun | undefined>;
  /** The most recently used run, if any. */
  latest(): Promise<StoredRun | undefined>;
  putLine(run: string, trial: number, text: string): Promise<void>;
  /** Several lines in one transaction (the pool writes the lines that came in while it wrote the last ones). */
  putLines(run: string, lines: readonly (readonly [trial: number, text: string])[]): Promise<void>;
  /** Every stored line of a run, by trial. */
  lines(run: string): Promise<StoredLine[]>;
  /** Forgets a run and its lines. */
  remove(id: string): Promise<void>;
  close(): void;
}

export async function openLabStore(options: { factory?: IDBFactory; name?: string } = {}): Promise<LabStore> {
  const factory = options.factory ?? globalThis.indexedDB;
  if (!factory) throw new Error('This browser offers no IndexedDB: experiment results cannot be kept across a reload.');
  // idb's openDB always uses the global indexedDB: open through the given factory and wrap the
  // request (as src/persist does), so tests and the app take the same path.
  const request = factory.open(options.name ?? LAB_DB_NAME, LAB_DB_VERSION);
  request.addEventListener('upgradeneeded', () => {
    const database = wrap(request.result) as unknown as IDBPDatabase<LabSchema>;
    database.createObjectStore('runs', { keyPath: 'id' }).createIndex('usedAt', 'usedAtMs');
    database.createObjectStore('lines', { keyPath: ['run', 'trial'] });
  });
  const db = (await wrap(request)) as unknown as IDBPDatabase<LabSchema>;

  const removeRun = async (id: string) => {
    const tx = db.transaction(['runs', 'lines'], 'readwrite');
    await Promise.all([tx.objectStore('runs').delete(id), tx.objectStore('lines').delete(IDBKeyRange.bound([id, -Infinity], [id, Infinity])), tx.done]);
  };

  return {
    async saveRun(run) {
      await db.put('runs', run);
      // Oldest first: drop all but the newest RUNS_KEPT_MAX.
      const ids = await db.getAllKeysFromIndex('runs', 'usedAt');
      for (const old of ids.slice(0, Math.max(0, ids.length - RUNS_KEPT_MAX))) if (old !== run.id) await removeRun(old);
    },
    run: (id) => db.get('runs', id),
    async latest() {
      const cursor = await db.transaction('runs').store.index('usedAt').openCursor(null, 'prev');
      return cursor?.value;
    },
    async putLine(run, trial, text) {
      await db.put('lines', { run, trial, text });
    },
    async putLines(run, lines) {
      const tx = db.transaction('lines', 'readwrite');
      await Promise.all([...lines.map(([trial, text]) => tx.store.put({ run, trial, text })), tx.done]);
    },
    lines: (run) => db.getAll('lines', IDBKeyRange.bound([run, -Infinity], [run, Infinity])),
    remove: removeRun,
    close: () => db.close(),
  };
}
