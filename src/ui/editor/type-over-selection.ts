// Typing over a selection, done by CodeMirror instead of the browser. Chromium's own editing,
// when a typed character replaces a selection that spans differently highlighted spans, keeps the
// removed text's look by writing a `style` attribute on a new span ("typing style"), which the
// production CSP (style-src 'self', no inline styles) blocks and reports. CodeMirror redraws the
// line anyway; taking the input before the browser acts leaves nothing for the CSP to refuse.
import type { Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';

export const typeOverSelection: Extension = EditorView.domEventHandlers({
  beforeinput(event, view) {
    if (event.inputType !== 'insertText' || event.data === null || view.composing) return false;
    if (view.state.selection.ranges.every((range) => range.empty)) return false; // at a caret the browser only adds text
    event.preventDefault();
    view.dispatch({ ...view.state.replaceSelection(event.data), scrollIntoView: true, userEvent: 'input.type' });
    return true;
  },
});
