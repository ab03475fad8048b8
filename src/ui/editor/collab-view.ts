// The spec editor's side of the shared draft (./collab.ts): CodeMirror transactions become the
// CRDT's inserts and deletes (code points), a peer's changes become CodeMirror changes that are
// not echoed back and not put in this tab's undo history, and the selection maps through them.
// Loaded with the editor (CodeMirror is not in the first load).
import { Annotation, Transaction, type Extension, type Text } from '@codemirror/state';
import { ViewPlugin } from '@codemirror/view';
import type { Edit } from '../../collab/session';
import type { DraftCollab } from './collab';

/** Marks a change that came from another tab. */
export const remoteChange = Annotation.define<boolean>();

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

/** The CodeMirror extension that binds an editor to the draft `collab`. */
export function collabExtension(collab: DraftCollab): Extension {
  return ViewPlugin.define((view) => {
    const detach = collab.attach({
      text: () => view.state.doc.toString(),
      showRemote: (changes) => view.dispatch({
        changes,
        annotations: [remoteChange.of(true), Transaction.remote.of(true), Transaction.addToHistory.of(false)],
      }),
    });
    return {
      update(update) {
        for (const tr of update.transactions) {
          // Alone (no session yet: start() sends what was typed meanwhile), nothing to read or send.
          if (tr.docChanged && !tr.annotation(remoteChange) && collab.session) {
            collab.edited(tr.startState.doc.toString(), tr.newDoc.toString(), () => editsOf(tr));
          }
        }
      },
      destroy: detach,
    };
  });
}
