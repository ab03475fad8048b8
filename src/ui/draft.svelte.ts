// The spec draft the user is writing, kept in IndexedDB so a reload (or going offline) loses
// nothing. Stored as a session record with id "draft": the text last saved (Save draft) and, a
// moment after each edit, the text in the editor (`unsaved`), which a reload restores as it was
// typed, still "unsaved changes".
import { lazyPersistence } from './persistence';
import { PersistError } from '../persist/errors';
import { NOTICE_MS } from './notice-timing';
import { DraftCollab, type SavedDocRecord } from './editor/collab';

const DRAFT_ID = 'draft';
/** The user's own specs, set aside when something else took the editor (a link, a trial, an example, another kept draft). */
const KEPT_ID = 'draft-kept';
/** Most drafts kept aside; past it the oldest goes, and the Spec panel says so. */
export const KEPT_MAX = 12;

/** A spec the editor showed before something opened over it: one click brings it back. */
export interface KeptDraft {
  spec: string;
  /** What replaced it, in words: `trial 7 (variant eevdf, seed 3)`. */
  replacedBy: string;
  /** When it was set aside (ms since 1970; for the list only). */
  at: number;
}

/** The spec's own `name:`, to tell kept drafts apart in the list. */
export function draftName(spec: string): string | undefined {
  return /^name:[ \t]*["']?([^"'#\n]*?)["']?[ \t]*(#.*)?$/m.exec(spec)?.[1] || undefined;
}

/** The kept list as stored (a list since several can be kept; one record `{spec, replacedBy}` before). */
function keptFromRecord(record: unknown): KeptDraft[] {
  const entries = Array.isArray((record as { drafts?: unknown })?.drafts) ? (record as { drafts: unknown[] }).drafts : [record];
  return entries
    .filter((entry): entry is KeptDraft => typeof (entry as KeptDraft)?.spec === 'string' && typeof (entry as KeptDraft).replacedBy === 'string')
    .map((entry) => ({ spec: entry.spec, replacedBy: entry.replacedBy, at: Number.isFinite(entry.at) ? entry.at : 0 }))
    .slice(0, KEPT_MAX);
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

  /**
   * Texts of the user's own that something else replaced in the editor, newest first (kept in
   * this browser too): `restoreKept` puts one back, and what it replaces is kept in its turn.
   */
  kept = $state.raw<KeptDraft[]>([]);
  /** The editor holds text of the user's own: not empty, not an example or a run's spec the app put there. */
  readonly #isOwnText = (text: string) => text.trim() !== '' && text !== this.exampleText;

  /** Text waiting to replace the user's unsaved edits: the Spec panel asks what to do. */
  pending = $state.raw<PendingReplacement | undefined>(undefined);

  readonly #open = lazyPersistence();
  /** The draft is shared by this browser's tabs: edits meet in a text CRDT, a load replaces it in all. */
  readonly collab = new DraftCollab(() => this.text, (text) => (this.text = text));

  /**
   * A load: the text replaces the draft here and in every other tab. With `replacedBy`, text of
   * the user's own that it replaces (saved or not) is kept aside first; returns true if it was.
   */
  #replace(text: string, replacedBy?: string): boolean {
    const keep = replacedBy !== undefined && this.#isOwnText(this.text) && text !== this.text;
    if (keep) this.#keep({ spec: this.text, replacedBy, at: Date.now() });
    if (text !== this.text) this.collab.replace(text);
    this.text = text;
    return keep;
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
    this.#replace(text, title); // the saved draft, if that is what it shows, is kept aside (not only in the record a reload reads)
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
    // Saved first: kept aside too, one click away. Replace was asked for: the text goes (Ctrl/Cmd+Z brings it back).
    this.#replace(pending.text, choice === 'save' ? pending.title : undefined);
    this.exampleText = pending.text;
    await pending.then();
  }

  /**
   * Shows the spec of an opened run (a trial, a champion, a link, a checkpoint). Text of the
   * user's own in the editor (saved or not) is never lost: it is kept as `kept` (and in this
   * browser), and `restoreKept` puts it back. Returns true if it kept some.
   */
  showRunSpec(text: string, replacedBy = 'an opened run'): boolean {
    const kept = this.#replace(text, replacedBy);
    this.exampleText = text;
    return kept;
  }

  /**
   * Puts a kept spec (the newest by default) back in the editor; what the editor shows now, if the
   * user's own, is kept in its place.
   */
  async restoreKept(entry: KeptDraft | undefined = this.kept[0]): Promise<void> {
    if (!entry || !this.kept.includes(entry)) return;
    this.#setKept(this.kept.filter((other) => other !== entry));
    const name = draftName(entry.spec);
    this.#replace(entry.spec, name ? `the draft “${name}”` : `the draft set aside for ${entry.replacedBy}`);
    this.exampleText = undefined;
    this.message = `Your draft is back in the editor (it had been set aside for ${entry.replacedBy}).`;
  }

  /** Forgets a kept spec (the user said so). */
  discardKept(entry: KeptDraft | undefined = this.kept[0]): void {
    if (entry) this.#setKept(this.kept.filter((other) => other !== entry));
  }

  #keep(kept: KeptDraft): void {
    const list = [kept, ...this.kept.filter((other) => other.spec !== kept.spec)];
    const dropped = list.length > KEPT_MAX ? list.pop() : undefined;
    this.#setKept(list);
    if (dropped) this.message = `At most ${KEPT_MAX} drafts are kept aside: the oldest (set aside for ${dropped.replacedBy}) was let go.`;
  }

  /** The kept list, here and in this browser (written in order: a later list never loses to an earlier one). */
  #setKept(list: KeptDraft[]): void {
    this.kept = list;
    this.#keptWrites = this.#keptWrites.then(() => this.#loaded).then(async () => {
      list = this.kept; // the newest list (the stored one merged in, once read)
      const db = await this.#open();
      if (list.length === 0) await db.remove('sessions', KEPT_ID);
      else await db.save('sessions', KEPT_ID, 'draft', { drafts: list });
    }).catch((error) => {
      // Still in this page (`kept`); only a reload would lose it.
      if (list.length > 0) this.message = `Your kept drafts are kept in this page, not in this browser: ${describe(error)}`;
    });
  }
  #keptWrites: Promise<unknown> = Promise.resolve();

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

  #loadedNow: () => void = () => undefined;
  /** Settles when load() has read the stored draft and kept list (a kept list is written after that only). */
  readonly #loaded = new Promise<void>((resolve) => (this.#loadedNow = resolve));

  async load(): Promise<void> {
    try {
      const db = await this.#open();
      const record = await db.load<DraftRecord>('sessions', DRAFT_ID);
      const kept = await db.load<unknown>('sessions', KEPT_ID).catch(() => undefined);
      // Kept in this page before the stored list was read (a link opened at once) go first.
      if (kept) this.kept = [...this.kept, ...keptFromRecord(kept).filter((stored) => !this.kept.some((mine) => mine.spec === stored.spec))].slice(0, KEPT_MAX);
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
    } finally {
      this.#loadedNow();
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
