// The spec editor: CodeMirror 6 with YAML, line numbers, history, bracket matching and inline
// spec errors. Colours come from the app's CSS variables (src/ui/app.css), so light, dark and any
// theme toggle apply without rebuilding the editor.
import { Annotation, Compartment, EditorState, Prec, StateEffect, Transaction, type Extension } from '@codemirror/state';
import {
  EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, keymap, lineNumbers, placeholder,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { HighlightStyle, bracketMatching, indentOnInput, syntaxHighlighting, indentService } from '@codemirror/language';
import { lintGutter, lintKeymap, linter, setDiagnostics } from '@codemirror/lint';
import { autocompletion, completionKeymap, type CompletionContext, type CompletionResult, type CompletionSource } from '@codemirror/autocomplete';
import { yaml } from '@codemirror/lang-yaml';
import { tags } from '@lezer/highlight';
import type { SpecProblem } from '../../worker/api';
import { offsetOf, problemsToDiagnostics } from './diagnostics';
import { EMPTY_OUTLINE, type SpecOutline } from '../../spec/outline-types';
import type { SpecCheck } from '../../worker/spec-check';
import { typeOverSelection } from './type-over-selection';

/** Quiet time after a keystroke before the spec is checked again. */
export const CHECK_DELAY_MS = 300;

/** The accessible name of the editor's content element (tests and screen readers use it). */
export const SPEC_EDITOR_LABEL = 'Spec (YAML)';

export interface SpecEditorOptions {
  parent: HTMLElement;
  text: string;
  editable: boolean;
  /** The id of an element describing the keys (for screen readers), if any. */
  describedBy?: string;
  /** Called with the whole text after every user change. */
  onChange: (text: string) => void;
  /** Ctrl/Cmd+Enter. */
  onRun: () => void;
  /** Ctrl/Cmd+S. */
  onSave: () => void;
  /** Checks the text as it is typed (in a worker); null: no checking (the worker is unavailable). */
  check?: (text: string) => Promise<SpecCheck | null>;
  /** Each finished check as it is typed (debounced): its problems, for the written list under the editor. */
  onChecked?: (problems: SpecCheck['problems']) => void;
  /** More extensions (the draft shared with other tabs: ./collab.ts). */
  extensions?: Extension;
}

export interface SpecEditorController {
  readonly view: EditorView;
  /** Replaces the text if it differs (one undoable change); does not call onChange. */
  setText(text: string): void;
  /** Shows the kernel's spec problems inline (empty clears them). */
  setProblems(problems: readonly SpecProblem[]): void;
  setEditable(editable: boolean): void;
  /** Inserts `text` at the cursor's line, indented like it, and selects it. */
  insertSnippet(text: string): void;
  /** Moves the cursor to a problem's line:column and focuses the editor. */
  revealProblem(problem: SpecProblem): void;
  /** The checker can answer again (a worker started): checks the text if the last check could not be made. */
  checkerBack(): void;
  focus(): void;
  destroy(): void;
}

/** Marks changes that came from outside (draft restore, an example) rather than from typing. */
const external = Annotation.define<boolean>();
/** Asks the linter to check the text again, unchanged (the checker was away when it last asked). */
const recheck = StateEffect.define<null>();

export const highlight = HighlightStyle.define([
  // The accent moved 15% toward the text colour (darker on light, lighter on dark): pure --accent fell to
  // 4.33:1 on the light theme's active line, under WCAG AA's 4.5 (editor-contrast.spec).
  { tag: tags.definition(tags.propertyName), color: 'color-mix(in srgb, var(--accent) 85%, var(--text))' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--ok)' },
  { tag: tags.content, color: 'var(--text)' },
  { tag: [tags.lineComment, tags.comment], color: 'var(--text-muted)', fontStyle: 'italic' },
  { tag: [tags.separator, tags.punctuation, tags.squareBracket, tags.brace], color: 'var(--text-muted)' },
  { tag: [tags.labelName, tags.typeName, tags.keyword, tags.meta], color: 'var(--warn)' },
  { tag: tags.invalid, color: 'var(--error)' },
]);

export const theme = EditorView.theme({
  '&': {
    height: '100%',
    color: 'var(--text)',
    backgroundColor: 'var(--bg-sunken)',
    border: '1px solid var(--border)',
    borderRadius: 'var(--radius)',
    fontSize: '13px',
  },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-1px' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.5', overflow: 'auto' },
  '.cm-content': { padding: '6px 0', caretColor: 'var(--text)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--text)' },
  '.cm-gutters': {
    backgroundColor: 'var(--bg-panel)',
    color: 'var(--text-muted)',
    borderRight: '1px solid var(--border)',
    borderTopLeftRadius: 'var(--radius)',
    borderBottomLeftRadius: 'var(--radius)',
  },
  '.cm-lineNumbers .cm-gutterElement': { padding: '0 6px 0 10px', minWidth: '28px' },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--accent) 7%, transparent)' },
  '.cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--accent) 12%, transparent)', color: 'var(--text)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'color-mix(in srgb, var(--accent) 28%, transparent)',
  },
  '&.cm-focused .cm-matchingBracket': { backgroundColor: 'color-mix(in srgb, var(--ok) 25%, transparent)', outline: 'none' },
  '&.cm-focused .cm-nonmatchingBracket': { backgroundColor: 'color-mix(in srgb, var(--error) 25%, transparent)' },
  '.cm-lintRange-error': {
    backgroundImage: 'none',
    textDecoration: 'underline wavy var(--error)',
    textDecorationSkipInk: 'none',
    textUnderlineOffset: '3px',
  },
  '.cm-lintPoint-error:after': { borderBottomColor: 'var(--error)' },
  '.cm-tooltip': {
    color: 'var(--text)',
    backgroundColor: 'var(--bg-panel)',
    border: '1px solid var(--border)',
    borderRadius: 'var(--radius)',
    fontFamily: 'var(--font-ui)',
    fontSize: '12px',
  },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--error)' },
  '.cm-tooltip-autocomplete > ul': { fontFamily: 'var(--font-mono)', maxHeight: '16em' },
  '.cm-tooltip-autocomplete > ul > li': { padding: '2px 8px' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--accent-text)' },
  '.cm-completionDetail': { marginLeft: '10px', fontStyle: 'normal', color: 'inherit', opacity: '0.75' },
  '.cm-tooltip.cm-completionInfo': { maxWidth: '360px', padding: '6px 8px', whiteSpace: 'pre-wrap' },
  '.cm-placeholder': { color: 'var(--text-muted)' },
  '.cm-panels': { backgroundColor: 'var(--bg-panel)', color: 'var(--text)' },
});

/** Where there is no ResizeObserver (a test's DOM without layout), nothing resizes. */
class NoResizeObserver {
  constructor(_callback: () => void) {}
  observe(): void {}
  disconnect(): void {}
}

export function createSpecEditor(options: SpecEditorOptions): SpecEditorController {
  const editable = new Compartment();
  const editableExtension = (on: boolean): Extension => [EditorView.editable.of(on), EditorState.readOnly.of(!on)];

  const shortcuts = Prec.highest(
    keymap.of([
      { key: 'Mod-Enter', preventDefault: true, run: () => (options.onRun(), true) },
      { key: 'Mod-s', preventDefault: true, run: () => (options.onSave(), true) },
    ]),
  );

  // The names the spec declares, from the latest check: what autocomplete offers for ports and agents.
  let outline: { text: string; value: SpecOutline } = { text: '', value: EMPTY_OUTLINE };
  /** The last check got no answer (no worker, or it went away meanwhile): the text shown is unchecked. */
  let unanswered = false;
  const checking: Extension = options.check === undefined ? [] : linter(async (lintView) => {
    const text = lintView.state.doc.toString();
    const result = await options.check?.(text);
    if (!result) {
      unanswered = true;
      return [];
    }
    unanswered = false;
    outline = { text, value: result.outline };
    if (lintView.state.doc.toString() === text) options.onChecked?.(result.problems);
    return problemsToDiagnostics(lintView.state.doc, result.problems);
  }, { delay: CHECK_DELAY_MS, needsRefresh: (update) => update.transactions.some((tr) => tr.effects.some((effect) => effect.is(recheck))) });
  /** The outline of `text`: the latest check's when it was of this text, else a fresh check's. */
  const outlineOf = async (text: string): Promise<SpecOutline> => {
    if (outline.text === text || options.check === undefined) return outline.value;
    const result = await options.check(text);
    if (result) outline = { text, value: result.outline };
    return outline.value;
  };

  const view: EditorView = new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: options.text,
      extensions: [
        typeOverSelection,
        shortcuts,
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        lintGutter(),
        checking,
        placeholder('agentos: 1 … (an empty spec: start from the template above, an example, or the Reference)'),
        autocompletion({ override: [lazyCompletionSource(outlineOf)], icons: false }),
        yamlKeyIndent,
        yaml(),
        syntaxHighlighting(highlight),
        theme,
        EditorState.tabSize.of(2),
        EditorView.lineWrapping, // a narrow Spec column wraps long lines instead of clipping them
        // Tab is left to the page (moving focus), so keyboard users are never trapped in the editor
        // and a stray Tab never edits the spec; Ctrl/Cmd+] and Ctrl/Cmd+[ indent (defaultKeymap),
        // and Enter keeps the indentation.
        keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap, ...lintKeymap]),
        editable.of(editableExtension(options.editable)),
        EditorView.contentAttributes.of({
          'aria-label': SPEC_EDITOR_LABEL,
          spellcheck: 'false',
          ...(options.describedBy ? { 'aria-describedby': options.describedBy } : {}),
        }),
        options.extensions ?? [],
        EditorView.updateListener.of((update) => {
          // Only the user's edits (and other tabs': ./collab.ts) go back out; setText's own change is marked and skipped.
          if (!update.docChanged) return;
          if (update.transactions.some((tr) => tr.annotation(external))) return;
          options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });

  // The scroller is keyboard-scrollable too (axe: scrollable-region-focusable); it is named so a
  // screen reader says what it is when it gets focus.
  view.scrollDOM.tabIndex = 0;
  view.scrollDOM.setAttribute('aria-label', 'Scroll area of the spec editor');

  // The line being typed stays in sight when the editor gets shorter under it: the problem list
  // that a check while typing shows under the editor takes its height from the editor, and the
  // caret on a bottom line (`granule: 4B` typed under `kernel:`) went below the fold.
  let lastHeight = view.scrollDOM.clientHeight;
  const keepCaretInSight = new (globalThis.ResizeObserver ?? NoResizeObserver)(() => {
    const height = view.scrollDOM.clientHeight;
    const shrank = height < lastHeight;
    lastHeight = height;
    if (!shrank || !view.hasFocus) return;
    view.dispatch({ effects: EditorView.scrollIntoView(view.state.selection.main.head, { y: 'nearest', yMargin: 8 }) });
  });
  keepCaretInSight.observe(view.scrollDOM);

  return {
    view,
    setText(text) {
      const current = view.state.doc.toString();
      if (current === text) return;
      // Replace only the part that differs, so the cursor and undo history stay useful.
      let start = 0;
      const shorter = Math.min(current.length, text.length);
      while (start < shorter && current.charCodeAt(start) === text.charCodeAt(start)) start++;
      let end = 0;
      while (end < shorter - start && current.charCodeAt(current.length - 1 - end) === text.charCodeAt(text.length - 1 - end)) end++;
      view.dispatch({
        changes: { from: start, to: current.length - end, insert: text.slice(start, text.length - end) },
        annotations: [external.of(true), Transaction.userEvent.of('set')],
      });
    },
    setProblems(problems) {
      view.dispatch(setDiagnostics(view.state, problemsToDiagnostics(view.state.doc, problems)));
    },
    insertSnippet(snippet) {
      const state = view.state;
      const line = state.doc.lineAt(state.selection.main.head);
      const indent = /^\s*/.exec(line.text)?.[0] ?? '';
      const blank = line.text.trim() === '';
      const body = snippet.replace(/\n+$/, '').split('\n').map((text, index) => (index === 0 && blank ? text : indent + text)).join('\n');
      // On a blank line: in place of it, at its indentation; else on a new line after it.
      const from = blank ? line.from + indent.length : line.to;
      const insert = blank ? body : `\n${body}`;
      view.dispatch({
        changes: { from, to: line.to, insert },
        selection: { anchor: from + (blank ? 0 : 1), head: from + insert.length },
        scrollIntoView: true,
        userEvent: 'input.paste',
      });
      view.focus();
    },
    setEditable(on) {
      view.dispatch({ effects: editable.reconfigure(editableExtension(on)) });
    },
    revealProblem(problem) {
      const pos = offsetOf(view.state.doc, problem.line, problem.column);
      view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
      view.focus();
    },
    focus() {
      view.focus();
    },
    checkerBack() {
      if (unanswered) view.dispatch({ effects: recheck.of(null) });
    },
    destroy() {
      keepCaretInSight.disconnect();
      view.destroy();
    },
  };
}

/**
 * The spec completion, loaded the first time completion is asked for: its tables (the spec
 * reference) are not part of the page's first load.
 */
function lazyCompletionSource(outline: (text: string) => SpecOutline | Promise<SpecOutline>): CompletionSource {
  let source: Promise<CompletionSource> | null = null;
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    source ??= import('./completion').then((module) => module.specCompletionSource(outline));
    return (await source)(context);
  };
}

/**
 * Enter after a key with no value on its line (`kernel:`, `- do:`) indents the next line under it,
 * so what is typed there is that mapping's key and completes as one (the YAML grammar alone left
 * the caret at column 0, where `sch` is a top-level key and nothing completes). Anything else is
 * the grammar's indentation.
 */
export const yamlKeyIndent = indentService.of((context, pos) => {
  const line = context.lineAt(pos, -1);
  const key = /^(\s*)(- +)?([\w.-]+|"[^"]*"|'[^']*'):\s*$/.exec(line.text.slice(0, pos - line.from));
  return key ? key[1].length + (key[2]?.length ?? 0) + 2 : undefined;
});
