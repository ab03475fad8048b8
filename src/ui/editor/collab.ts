// The spec editor's side of the shared draft (src/collab): CodeMirror transactions become the
// CRDT's inserts and deletes (code points), a peer's changes become CodeMirror changes that are
// not echoed back and not put in this tab's undo history, and the selection maps through them.
// The CRDT, the core and the diff are fetched when the draft starts (./collab-start.ts).
import { Annotation, Transaction, type Extension, type Text } from '@codemirror/state';
import { EditorView, ViewPlugin } from '@codemirror/view';
import type { CollabSession, Edit } from '../../collab/session';
import type { DraftChannel } from '../../collab/channel';

type Started = typeof import('./collab-start');

/** Marks a change that came from another tab. */
export const remoteChange = Annotation.define<boolean>();

/** What a saved draft record keeps of the shared doc (JSON: the state in base64). */
export interface SavedDocRecord {
  gen: { n: number; id: string };
  state: string;
}

const ASTRAL = /[\uD800-\uDFFF]/;

/** Code points in `text` before UTF-16 offset `end`. */
function codePointsBefore(text: string, end: number): number {
  let count = 0;
  for (let i = 0; i < end; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < end) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low < 0xe000) i++;
    }
    count++;
  }
  return count;
}

/** The CRDT edits of one CodeMirror transaction, in code points. */
export function editsOf(tr: Transaction): Edit[] {
  const edits: Edit[] = [];
  const before = tr.startState.doc;
  const after = tr.newDoc;
  const astral = hasAstral(before) || hasAstral(after);
  const afterText = astral ? after.toString() : '';
  tr.changes.iterChanges((fromA, toA, fromB, _toB, inserted) => {
    edits.push({
      // fromB: where this change starts once the earlier ones (to its left) are applied
      at: astral ? codePointsBefore(afterText, fromB) : fromB,
      remove: astral ? [...before.sliceString(fromA, toA)].length : toA - fromA,
      insert: inserted.toString(),
    });
  });
  return edits;
}

function hasAstral(doc: Text): boolean {
  for (const line of doc.iter()) if (ASTRAL.test(line)) return true;
  return false;
}

/**
 * The page's shared draft: the session, the channel, and the editor on screen (if any). When no
 * editor is mounted, a peer's text goes to `setText` (the draft).
 */
export class DraftCollab {
  #session: CollabSession | undefined;
  #channel: DraftChannel | undefined;
  #view: EditorView | undefined;
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
    this.#local(this.#view ? this.#view.state.doc.toString() : this.#getText(), undefined);
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

  /** The CodeMirror extension that binds an editor to this draft. */
  extension(): Extension {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const collab = this;
    return ViewPlugin.define((view) => {
      collab.#view = view;
      // an editor mounted later shows the draft's text; anything else in it is a local edit
      collab.#local(view.state.doc.toString(), undefined);
      return {
        update(update) {
          for (const tr of update.transactions) {
            if (tr.docChanged && !tr.annotation(remoteChange)) collab.#local(tr.newDoc.toString(), tr);
          }
        },
        destroy() {
          if (collab.#view === view) collab.#view = undefined;
        },
      };
    });
  }

  /** This tab's text is now `text` (after `tr`, when it is known): send what changed. */
  #local(text: string, tr: Transaction | undefined): void {
    const session = this.#session;
    const lazy = this.#lazy;
    if (!session || !lazy) return;
    const edits = tr && session.text === tr.startState.doc.toString() ? editsOf(tr) : lazy.diffEdits(session.text, text);
    if (edits.length === 0) return;
    try {
      session.edit(edits);
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
    const current = view.state.doc.toString();
    if (current === next) return;
    view.dispatch({
      changes: lazy.diffChanges(current, next),
      annotations: [remoteChange.of(true), Transaction.remote.of(true), Transaction.addToHistory.of(false)],
    });
  }
}
