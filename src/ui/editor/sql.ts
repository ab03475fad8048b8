// The Query panel's SQL editor: CodeMirror 6 with @codemirror/lang-sql (SQLite dialect), completion
// of KernelQL's table and column names (from src/query/schema.ts), Ctrl/Cmd+Enter to run, and the
// engine's error shown at its position. Same theme and colours as the spec editor.
import { EditorState, Prec } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, syntaxHighlighting } from '@codemirror/language';
import { autocompletion, closeCompletion, completionKeymap, ifNotIn, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { lintKeymap, setDiagnostics } from '@codemirror/lint';
import { SQLite, sql } from '@codemirror/lang-sql';
import { QUERY_TABLES } from '../../query/schema';
import { highlight, theme } from './setup';
import { typeOverSelection } from './type-over-selection';

export const SQL_EDITOR_LABEL = 'KernelQL query (SQL)';

export interface SqlEditorController {
  readonly view: EditorView;
  /** Marks the error at `offset` (a character offset in the text), or clears it. */
  showError(error: { message: string; offset?: number } | undefined): void;
  setText(text: string): void;
  /** Closes the completion list if it is open (a query run from the button or the keys). */
  closeCompletion(): void;
  focus(): void;
  destroy(): void;
}

/**
 * Ranking: KernelQL's own names come before SQL's keywords and functions (CodeMirror adds the boost
 * to the match score), so "se" offers seq before SELECT and "ty" offers type before TYPEOF.
 */
export const NAME_BOOST = 40;
export const KEYWORD_BOOST = -40;
const TABLE_COMPLETIONS: readonly Completion[] = Object.keys(QUERY_TABLES).map((name) => ({ label: name, type: 'type', boost: NAME_BOOST }));
const TABLE_NAMES = Object.keys(QUERY_TABLES) as (keyof typeof QUERY_TABLES)[];

/**
 * The columns an unqualified name may be: those of the tables the query names (FROM, JOIN), or of
 * every table when it names none yet; each column once, with the tables it belongs to as detail.
 */
export function columnCompletions(text: string): Completion[] {
  const named = TABLE_NAMES.filter((table) => new RegExp(`\\b${table}\\b`, 'i').test(text));
  const tables = named.length > 0 ? named : TABLE_NAMES;
  const owners = new Map<string, string[]>();
  for (const table of tables) for (const column of QUERY_TABLES[table]) owners.set(column, [...(owners.get(column) ?? []), table]);
  return [...owners].map(([column, of]) => ({ label: column, type: 'property', detail: of.join(', '), boost: NAME_BOOST }));
}

function columnCompletionSource(context: CompletionContext): CompletionResult | null {
  const word = context.matchBefore(/\w+/);
  if (!word && !context.explicit) return null;
  // After a dot, lang-sql's schema source offers that table's columns.
  const before = context.state.sliceDoc(Math.max(0, (word?.from ?? context.pos) - 1), word?.from ?? context.pos);
  if (before === '.') return null;
  return { from: word?.from ?? context.pos, options: columnCompletions(context.state.doc.toString()), validFor: /^\w*$/ };
}

export function createSqlEditor(options: { parent: HTMLElement; text: string; onChange: (text: string) => void; onRun: () => void }): SqlEditorController {
  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: options.text,
      extensions: [
        typeOverSelection,
        Prec.highest(keymap.of([{ key: 'Mod-Enter', preventDefault: true, run: () => (options.onRun(), true) }])),
        lineNumbers(),
        history(),
        drawSelection(),
        bracketMatching(),
        highlightActiveLine(),
        sql({
          dialect: SQLite,
          schema: Object.fromEntries(Object.entries(QUERY_TABLES).map(([name, columns]) => [name, columns.map((column) => ({ label: column, type: 'property', boost: NAME_BOOST }))])),
          tables: TABLE_COMPLETIONS,
          upperCaseKeywords: true,
          keywordCompletion: (label, type) => ({ label, type, boost: KEYWORD_BOOST }),
        }),
        SQLite.language.data.of({ autocomplete: ifNotIn(['QuotedIdentifier', 'String', 'LineComment', 'BlockComment'], columnCompletionSource) }),
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
    closeCompletion() {
      closeCompletion(view);
    },
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
