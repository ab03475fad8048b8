// The page's side of the shared draft (src/collab), without CodeMirror: the session, the channel
// and the editor on screen (if any), seen through `CollabView`. The editor's side (CodeMirror
// transactions to CRDT edits, a peer's changes shown) is ./collab-view.ts, loaded with the editor;
// the CRDT, the core and the diff are fetched when the draft starts (./collab-start.ts).
import type { ChangeSpec } from '@codemirror/state';
import type { CollabSession, Edit } from '../../collab/session';
import type { DraftChannel } from '../../collab/channel';

type Started = typeof import('./collab-start');

/** What a saved draft record keeps of the shared doc (JSON: the state in base64). */
export interface SavedDocRecord {
  gen: { n: number; id: string };
  state: string;
}

/** The editor bound to the draft (./collab-view.ts makes one for CodeMirror). */
export interface CollabView {
  /** The editor's text now. */
  text(): string;
  /** Shows another tab's change (`changes` turn the current text into the peer's). */
  showRemote(changes: ChangeSpec[]): void;
}

/**
 * The page's shared draft: the session, the channel, and the editor on screen (if any). When no
 * editor is mounted, a peer's text goes to `setText` (the draft).
 */
export class DraftCollab {
  #session: CollabSession | undefined;
  #channel: DraftChannel | undefined;
  #view: CollabView | undefined;
  #lazy: Started | undefined;
  readonly #getText: () => string;
  readonly #setText: (text: string) => void;

  constructor(getText: () => string, setText: (text: string) => void) {
    this.#getText = getText;
    this.#setText = setText;
  }

  /** The session, once started (tests and the status line). */
  get session(): CollabSession | undefined { return this.#session; }

  /**
   * Joins the other tabs with the draft this tab restored (`text`, and the doc saved with it).
   * Resolves false where tabs cannot share (no BroadcastChannel, the core failed to compile).
   */
  async start(text: string, saved?: SavedDocRecord): Promise<boolean> {
    if (this.#session || this.#lazy || typeof BroadcastChannel === 'undefined') return false;
    let lazy: Started;
    try {
      lazy = await import('./collab-start');
    } catch {
      return false; // offline before the chunk was ever fetched: this tab edits alone
    }
    if (this.#lazy) return false;
    this.#lazy = lazy;
    const started = await lazy.startSession(text, saved, () => this.#remote());
    if (!started) return false;
    const { session, channel } = started;
    this.#channel = channel;
    this.#session = session;
    // what was typed while the core compiled is this tab's edit on the restored draft
    this.#local(this.#view ? this.#view.text() : this.#getText(), undefined);
    return true;
  }

  /** A load (example, link, restored run) replaces the draft in every tab: call before showing `text`. */
  replace(text: string): void {
    this.#session?.replace(text);
  }

  /** The doc to keep with a saved draft of `text` (undefined when there is none, or it is too large). */
  save(text: string): SavedDocRecord | undefined {
    const session = this.#session;
    const lazy = this.#lazy;
    if (!session || !lazy || session.text !== text) return undefined;
    const saved = session.save();
    if (saved.state.length > lazy.MESSAGE_BYTES_MAX) return undefined;
    return { gen: saved.gen, state: lazy.toBase64(saved.state) };
  }

  close(): void {
    this.#session?.close();
    this.#channel?.close();
    this.#session = undefined;
  }

  /**
   * Binds an editor to this draft (./collab-view.ts, when the editor mounts): an editor mounted
   * later shows the draft's text, anything else in it is a local edit. Returns the unbinding.
   */
  attach(view: CollabView): () => void {
    this.#view = view;
    this.#local(view.text(), undefined);
    return () => {
      if (this.#view === view) this.#view = undefined;
    };
  }

  /**
   * This tab's editor changed `before` into `after`; `edits` are that change's CRDT edits (used
   * when the draft was at `before`, else a diff is sent).
   */
  edited(before: string, after: string, edits: () => Edit[]): void {
    this.#local(after, before, edits);
  }

  /** This tab's text is now `text`: send what changed (the edits given, when the draft was at `before`). */
  #local(text: string, before: string | undefined, edits?: () => Edit[]): void {
    const session = this.#session;
    const lazy = this.#lazy;
    if (!session || !lazy) return;
    const changes = edits && before !== undefined && session.text === before ? edits() : lazy.diffEdits(session.text, text);
    if (changes.length === 0) return;
    try {
      session.edit(changes);
    } catch {
      // the doc is full (or knows too many tabs): a new generation holding this text, sent whole
      session.replace(text);
    }
  }

  /** Another tab changed the text: show it here without sending it back. */
  #remote(): void {
    const session = this.#session;
    const lazy = this.#lazy;
    if (!session || !lazy) return;
    const next = session.text;
    const view = this.#view;
    if (!view) return this.#setText(next);
    const current = view.text();
    if (current === next) return;
    view.showRemote(lazy.diffChanges(current, next));
  }
}
