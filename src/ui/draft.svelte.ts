// The spec draft the user is writing, kept in IndexedDB so a reload (or going offline) loses
// nothing. Stored as a session record with id "draft": the text last saved (Save draft) and, a
// moment after each edit, the text in the editor (`unsaved`), which a reload restores as it was
// typed, still "unsaved changes".
import { lazyPersistence } from './persistence';
import { PersistError } from '../persist/errors';
import { NOTICE_MS } from './notice-timing';
import { DraftCollab, type SavedDocRecord } from './editor/collab';

const DRAFT_ID = 'draft';
/** The user's own spec, set aside when an opened run (a link, a trial, a checkpoint) took the editor. */
const KEPT_ID = 'draft-kept';

/** A spec the editor showed before something opened over it: one click brings it back. */
export interface KeptDraft {
  spec: string;
  /** What replaced it, in words: `trial 7 (variant eevdf, seed 3)`. */
  replacedBy: string;
}

/** How long typing pauses before the editor's text is kept (a reload after that loses nothing). */
export const AUTOSAVE_MS = 400;

interface DraftRecord {
  /** The text last saved with Save draft. */
  spec: string;
  /** The editor's text when it differs from `spec`: kept as it is typed, restored by a reload. */
  unsaved?: string;
  /** The doc the tabs share (src/collab), so a tab restoring this draft merges with the others. */
  doc?: SavedDocRecord;
}

export interface PendingReplacement {
  text: string;
  title: string;
  then: () => Promise<unknown> | unknown;
}

export type DraftPhase = 'loading' | 'idle' | 'saving' | 'saved' | 'error';

export class SpecDraft {
  #text = $state('');
  /** The editor's text; each change is kept in this browser a moment later (AUTOSAVE_MS). */
  get text(): string {
    return this.#text;
  }
  set text(value: string) {
    if (value === this.#text) return;
    this.#text = value;
    this.#scheduleKeep();
  }
  phase = $state<DraftPhase>('loading');
  message = $state<string | undefined>(undefined);
  savedText = $state('');
  readonly dirty = $derived(this.text !== this.savedText);
  /** The text of the last example put in the editor: replacing it unchanged loses nothing. */
  exampleText = $state<string | undefined>(undefined);
  /** Edits that exist nowhere else (not saved, not an untouched example). */
  readonly hasOwnEdits = $derived(this.dirty && this.text !== this.exampleText && this.text.trim() !== '');

  /** Text of the user's own that a run's spec replaced in the editor (kept in this browser too): `restoreKept` puts it back. */
  kept = $state.raw<KeptDraft | undefined>(undefined);
  /** The editor holds text of the user's own: not empty, not an example or a run's spec the app put there. */
  readonly #isOwnText = (text: string) => text.trim() !== '' && text !== this.exampleText;

  /** Text waiting to replace the user's unsaved edits: the Spec panel asks what to do. */
  pending = $state.raw<PendingReplacement | undefined>(undefined);

  readonly #open = lazyPersistence();
  /** The draft is shared by this browser's tabs: edits meet in a text CRDT, a load replaces it in all. */
  readonly collab = new DraftCollab(() => this.text, (text) => (this.text = text));

  /** A load: the text replaces the draft here and in every other tab. */
  #replace(text: string): void {
    if (text !== this.text) this.collab.replace(text);
    this.text = text;
  }

  /**
   * Puts an example's text in the editor and then calls `then` (loading it); with unsaved edits
   * of the user's own in the editor, it asks first (see `resolve`) and nothing is replaced yet.
   */
  async offer(text: string, title: string, then: () => Promise<unknown> | unknown): Promise<void> {
    if (this.hasOwnEdits) {
      this.pending = { text, title, then };
      return;
    }
    this.#replace(text);
    this.exampleText = text;
    await then();
  }

  /** The user's answer to `pending`: save the draft first, replace it, or keep editing. */
  async resolve(choice: 'save' | 'replace' | 'keep'): Promise<void> {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending || choice === 'keep') return;
    if (choice === 'save') {
      await this.save();
      if (this.phase === 'error') return; // the message says why; nothing is replaced
    }
    this.#replace(pending.text);
    this.exampleText = pending.text;
    await pending.then();
  }

  /**
   * Shows the spec of an opened run (a trial, a champion, a link, a checkpoint). Text of the
   * user's own in the editor (saved or not) is never lost: it is kept as `kept` (and in this
   * browser), and `restoreKept` puts it back. Returns true if it kept some.
   */
  showRunSpec(text: string, replacedBy = 'an opened run'): boolean {
    const keep = this.#isOwnText(this.text) && text !== this.text;
    if (keep) this.#keep({ spec: this.text, replacedBy });
    this.#replace(text);
    this.exampleText = text;
    return keep;
  }

  /** Puts the kept spec back in the editor (what it shows now, if the user's own, is kept in its place). */
  async restoreKept(): Promise<void> {
    const kept = this.kept;
    if (!kept) return;
    if (this.#isOwnText(this.text) && this.text !== kept.spec) this.#keep({ spec: this.text, replacedBy: `your draft of ${kept.replacedBy}` });
    else this.#dropKept();
    this.#replace(kept.spec);
    this.exampleText = undefined;
    this.message = `Your draft is back in the editor (it had been set aside for ${kept.replacedBy}).`;
  }

  /** Forgets the kept spec (the user said so). */
  discardKept(): void {
    this.#dropKept();
  }

  #keep(kept: KeptDraft): void {
    this.kept = kept;
    void this.#open().then((db) => db.save('sessions', KEPT_ID, 'draft', kept)).catch((error) => {
      // Still in this page (`kept`); only a reload would lose it.
      this.message = `Your draft is kept in this page, not in this browser: ${describe(error)}`;
    });
  }

  #dropKept(): void {
    this.kept = undefined;
    void this.#open().then((db) => db.remove('sessions', KEPT_ID)).catch(() => undefined); // nothing kept, nothing lost
  }

  #keepTimer: ReturnType<typeof setTimeout> | undefined;
  /** The shared doc saved with the last saved text (restored, or written by save()). */
  #savedDoc: SavedDocRecord | undefined;

  constructor() {
    // Leaving the page inside the pause after typing: kept now, not lost with the timer.
    if (typeof window !== 'undefined') window.addEventListener('pagehide', () => void (this.#keepTimer !== undefined && this.keep()));
  }
  /** The writes of the record, one after the other (a late keep never overwrites a newer save). */
  #writes: Promise<unknown> = Promise.resolve();

  #scheduleKeep(): void {
    if (this.phase === 'loading' || this.phase === 'error') return; // never over the draft not yet restored
    clearTimeout(this.#keepTimer);
    // Back to the saved text (an undo): at once, so a reload right after cannot bring back what was undone.
    if (!this.hasOwnEdits) void this.keep();
    else this.#keepTimer = setTimeout(() => void this.keep(), AUTOSAVE_MS);
  }

  /** Keeps the editor's text (and the last saved one) where a reload restores it from. */
  keep(): Promise<unknown> {
    clearTimeout(this.#keepTimer);
    this.#keepTimer = undefined;
    this.#writes = this.#writes.then(async () => {
      const text = this.text;
      try {
        // Only the user's own typing: an untouched example is not theirs to get back (the saved draft is).
        // The shared doc is the saved text's, kept by save() (the tabs' session is left alone here).
        await (await this.#open()).save('sessions', DRAFT_ID, 'draft', {
          spec: this.savedText,
          ...(this.hasOwnEdits ? { unsaved: text } : {}),
          ...(this.#savedDoc ? { doc: this.#savedDoc } : {}),
        } satisfies DraftRecord);
      } catch (error) {
        this.phase = 'error';
        this.message = describe(error);
      }
    });
    return this.#writes;
  }

  async load(): Promise<void> {
    try {
      const db = await this.#open();
      const record = await db.load<DraftRecord>('sessions', DRAFT_ID);
      const kept = await db.load<KeptDraft>('sessions', KEPT_ID).catch(() => undefined);
      if (kept && typeof kept.spec === 'string' && typeof kept.replacedBy === 'string') this.kept = { spec: kept.spec, replacedBy: kept.replacedBy };
      if (record) {
        this.#text = record.unsaved ?? record.spec;
        this.#savedDoc = record.doc;
        this.savedText = record.spec;
        this.message = 'Draft restored from this browser.';
        // Old news after a while (or at the next save, which sets its own message).
        const restored = this.message;
        setTimeout(() => { if (this.message === restored) this.message = undefined; }, NOTICE_MS);
      } else {
        this.message = undefined;
      }
      this.phase = 'idle';
      void this.collab.start(this.text, record?.doc);
    } catch (error) {
      this.phase = 'error';
      this.message = describe(error);
      void this.collab.start(this.text);
    }
  }

  async save(): Promise<void> {
    const text = this.text;
    this.phase = 'saving';
    clearTimeout(this.#keepTimer);
    try {
      const doc = this.collab.save(text);
      const write = this.#writes.then(async () => (await this.#open()).save('sessions', DRAFT_ID, 'draft', { spec: text, doc } satisfies DraftRecord));
      this.#writes = write.catch(() => undefined);
      await write;
      this.#savedDoc = doc;
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
