// Typing over a selection, done by CodeMirror instead of the browser. Chromium's own editing,
// when typed text replaces (or a deletion removes) a selection that spans differently highlighted
// spans, keeps the removed text's look by writing a `style` attribute on a new span ("typing
// style", e.g. `color: rgb(109, 155, 255)`), which the production CSP (style-src 'self', no inline
// styles) blocks and reports. CodeMirror redraws the line anyway; taking the input before the
// browser acts leaves nothing for the CSP to refuse.
//
// The selection is read from the DOM, not only from the editor state: a selection made by script
// or by the platform (select-all from a menu, an automation tool, assistive technology) reaches
// CodeMirror on the next `selectionchange`, which may come after the `beforeinput` that replaces it.
import type { Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';

/** The DOM selection inside the editor as document positions, when it selects something. */
function domSelection(view: EditorView): { from: number; to: number } | null {
  const root = view.root as Document | ShadowRoot;
  const selection = 'getSelection' in root && typeof root.getSelection === 'function' ? root.getSelection() : document.getSelection();
  if (!selection || selection.isCollapsed || !selection.anchorNode || !selection.focusNode) return null;
  if (!view.contentDOM.contains(selection.anchorNode) || !view.contentDOM.contains(selection.focusNode)) return null;
  try {
    const anchor = view.posAtDOM(selection.anchorNode, selection.anchorOffset);
    const head = view.posAtDOM(selection.focusNode, selection.focusOffset);
    return anchor === head ? null : { from: Math.min(anchor, head), to: Math.max(anchor, head) };
  } catch {
    return null; // a node CodeMirror does not map (a widget's inside): leave it to CodeMirror
  }
}

export const typeOverSelection: Extension = EditorView.domEventHandlers({
  beforeinput(event, view) {
    if (view.composing) return false;
    const inserting = event.inputType === 'insertText' && event.data !== null;
    const deleting = event.inputType.startsWith('delete') && event.inputType !== 'deleteByDrag' && event.inputType !== 'deleteByCut';
    if (!inserting && !deleting) return false;
    const text = inserting ? event.data! : '';
    const userEvent = inserting ? 'input.type' : 'delete.selection';
    if (view.state.selection.ranges.some((range) => !range.empty)) {
      event.preventDefault();
      view.dispatch({ ...view.state.replaceSelection(text), scrollIntoView: true, userEvent });
      return true;
    }
    const range = domSelection(view);
    if (!range) return false; // at a caret the browser only adds text (or CodeMirror's keymap deletes)
    event.preventDefault();
    view.dispatch({ changes: { ...range, insert: text }, selection: { anchor: range.from + text.length }, scrollIntoView: true, userEvent });
    return true;
  },
});
