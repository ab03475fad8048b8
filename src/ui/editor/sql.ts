// The Query panel's SQL editor: CodeMirror 6 with @codemirror/lang-sql (SQLite dialect), completion
// of KernelQL's table and column names (from src/query/schema.ts), Ctrl/Cmd+Enter to run, and the
// engine's error shown at its position. Same theme and colours as the spec editor.
import { EditorState, Prec } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, syntaxHighlighting } from '@codemirror/language';
import { autocompletion, completionKeymap } from '@codemirror/autocomplete';
import { lintKeymap, setDiagnostics } from '@codemirror/lint';
import { SQLite, sql } from '@codemirror/lang-sql';
import { QUERY_TABLES } from '../../query/schema';
import { highlight, theme } from './setup';

export const SQL_EDITOR_LABEL = 'KernelQL query (SQL)';

export interface SqlEditorController {
  readonly view: EditorView;
  /** Marks the error at `offset` (a character offset in the text), or clears it. */
  showError(error: { message: string; offset?: number } | undefined): void;
  setText(text: string): void;
  focus(): void;
  destroy(): void;
}

export function createSqlEditor(options: { parent: HTMLElement; text: string; onChange: (text: string) => void; onRun: () => void }): SqlEditorController {
  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: options.text,
      extensions: [
        Prec.highest(keymap.of([{ key: 'Mod-Enter', preventDefault: true, run: () => (options.onRun(), true) }])),
        lineNumbers(),
        history(),
        drawSelection(),
        bracketMatching(),
        highlightActiveLine(),
        sql({ dialect: SQLite, schema: Object.fromEntries(Object.entries(QUERY_TABLES).map(([name, columns]) => [name, [...columns]])), upperCaseKeywords: true }),
        autocompletion(),
        syntaxHighlighting(highlight),
        theme,
        keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap, ...lintKeymap]),
        EditorView.contentAttributes.of({ 'aria-label': SQL_EDITOR_LABEL, spellcheck: 'false' }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  view.scrollDOM.tabIndex = 0;
  view.scrollDOM.setAttribute('aria-label', 'Scroll area of the query editor');

  return {
    view,
    showError(error) {
      const length = view.state.doc.length;
      if (!error || error.offset === undefined) {
        view.dispatch(setDiagnostics(view.state, []));
        return;
      }
      const from = Math.min(error.offset, length);
      const word = /^\w+/.exec(view.state.doc.sliceString(from, Math.min(length, from + 64)))?.[0].length ?? 0;
      const to = Math.min(length, from + Math.max(1, word));
      view.dispatch(setDiagnostics(view.state, [{ from: Math.max(0, Math.min(from, to - 1)), to, severity: 'error', message: error.message }]));
    },
    setText(text) {
      if (view.state.doc.toString() !== text) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
