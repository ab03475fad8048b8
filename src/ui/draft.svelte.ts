// The spec draft the user is writing, kept in IndexedDB so a reload (or going offline) loses
// nothing. Stored as a session record with id "draft".
import { openPersistence, type Persistence } from '../persist/database';
import { PersistError } from '../persist/errors';

const DRAFT_ID = 'draft';

interface DraftRecord {
  spec: string;
}

export type DraftPhase = 'loading' | 'idle' | 'saving' | 'saved' | 'error';

export class SpecDraft {
  text = $state('');
  phase = $state<DraftPhase>('loading');
  message = $state<string | undefined>(undefined);
  savedText = $state('');
  readonly dirty = $derived(this.text !== this.savedText);

  #db: Promise<Persistence> | undefined;

  #open(): Promise<Persistence> {
    this.#db ??= openPersistence().catch((error) => {
      this.#db = undefined;
      throw error;
    });
    return this.#db;
  }

  async load(): Promise<void> {
    try {
      const record = await (await this.#open()).load<DraftRecord>('sessions', DRAFT_ID);
      if (record) {
        this.text = record.spec;
        this.savedText = record.spec;
        this.message = 'Draft restored from this browser.';
      } else {
        this.message = undefined;
      }
      this.phase = 'idle';
    } catch (error) {
      this.phase = 'error';
      this.message = describe(error);
    }
  }

  async save(): Promise<void> {
    const text = this.text;
    this.phase = 'saving';
    try {
      await (await this.#open()).save('sessions', DRAFT_ID, 'draft', { spec: text } satisfies DraftRecord);
      this.savedText = text;
      this.phase = 'saved';
      this.message = 'Draft saved in this browser.';
    } catch (error) {
      this.phase = 'error';
      this.message = describe(error);
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof PersistError) return error.message;
  return `Storage failed: ${error instanceof Error ? error.message : String(error)}`;
}
