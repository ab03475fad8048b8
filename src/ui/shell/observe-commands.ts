// The shell's commands that ask the record questions: `mark <expr>` / `mark off` (marks on the
// timeline strip where an expression becomes true: worker/mark-views.ts) and `query <sql>`
// (KernelQL, through the same query worker as the Query panel). commands.ts checks the kernel's
// state and dispatches here; this file formats the answers.
import type { BisectCondition, HoldMarks, Outcome } from '../../worker/api';
import type { QueryAnswer } from '../../query/query.worker';
import { cellText, type ResultTable } from '../../query/columns';
import type { ShellResult } from './commands';

/** Rows `query` prints at most (the answer says how many more there are). */
export const QUERY_ROWS_SHOWN = 20;
/** Characters of one printed cell at most (longer ones end in …). */
export const QUERY_CELL_CHARS_MAX = 40;
/** Marks whose seq `mark` lists; the strip shows them all. */
export const MARKS_LISTED = 12;
/** The worker's limit on marks (worker/mark-views.ts MARKS_MAX; not imported: that module is the worker's). */
export const MARKS_MAX = 1000;

export interface ObserveHost {
  markHolds(condition: BisectCondition | undefined): Promise<Outcome<HoldMarks | undefined>>;
  queryAnswer(sql: string): Promise<QueryAnswer>;
}

const ok = (...lines: string[]): ShellResult => ({ lines, error: false });
const failed = (...lines: string[]): ShellResult => ({ lines, error: true });

/** An expression error with a caret under its column (as find's). */
function caretAt(text: string, error: string, command: string): string[] {
  const column = /at column (\d+)$/.exec(error);
  if (!column) return [`${command}: ${error}`];
  return [`${command}: ${error}`, `  ${text}`, `  ${' '.repeat(Number(column[1]) - 1)}^`];
}

/** What `mark` says about the marks: how many, the first few, and the limit when it was reached. */
export function describeMarks(marks: HoldMarks): string[] {
  const count = marks.seqs.length;
  if (count === 0) return [`'${marks.expr}' becomes true at no event of this branch (#0..#${marks.events - 1}); nothing to mark`];
  const listed = marks.seqs.slice(0, MARKS_LISTED).map((seq) => `#${seq}`).join(', ');
  const more = count > MARKS_LISTED ? `, … (${(count - MARKS_LISTED).toLocaleString('en')} more)` : '';
  const lines = [`marked ${count.toLocaleString('en')} event${count === 1 ? '' : 's'} where '${marks.expr}' becomes true (false before, true after): ${listed}${more}`];
  if (marks.truncated) lines.push(`stopped at ${MARKS_MAX.toLocaleString('en')} marks (the limit), at event ${marks.scanned.toLocaleString('en')} of ${marks.events.toLocaleString('en')}`);
  lines.push('find --from-start <expr> goes to the first, find again to the next; mark off clears them');
  return lines;
}

/** `mark <expr>` or `mark off`. */
export async function markCommand(rest: string, host: ObserveHost): Promise<ShellResult> {
  const text = rest.trim();
  if (text === '') return failed('mark: expected an expression (mark shared.visits.converged) or off');
  if (text === 'off') {
    await host.markHolds(undefined);
    return ok('marks cleared');
  }
  const outcome = await host.markHolds({ kind: 'expr', expr: text });
  if (!outcome.ok) return outcome.cancelled ? ok(`mark: ${outcome.error}`) : failed(...caretAt(text, outcome.error, 'mark'));
  return ok(...describeMarks(outcome.value!));
}

const fit = (text: string) => (text.length > QUERY_CELL_CHARS_MAX ? `${text.slice(0, QUERY_CELL_CHARS_MAX - 1)}…` : text);

/** A result as a text table: at most `shown` rows, then how many more there are. */
export function formatTable(table: ResultTable, shown = QUERY_ROWS_SHOWN): string[] {
  const rows = Math.min(shown, table.rowCount);
  const cells = table.columns.map((column) => Array.from({ length: rows }, (_, row) => fit(cellText(column, row))));
  const widths = table.columns.map((column, index) => Math.max(fit(column.name).length, ...cells[index].map((cell) => cell.length)));
  const numeric = table.columns.map((column) => column.numbers !== undefined);
  const line = (values: string[]) => values.map((value, index) => (numeric[index] ? value.padStart(widths[index]) : value.padEnd(widths[index]))).join('  ').trimEnd();
  const lines = [line(table.columns.map((column) => fit(column.name))), widths.map((width) => '-'.repeat(width)).join('  ')];
  for (let row = 0; row < rows; row++) lines.push(line(cells.map((column) => column[row])));
  const more = table.rowCount - rows;
  const cut = table.truncated ? ' (and more the engine did not return)' : '';
  lines.push(`${table.rowCount.toLocaleString('en')} row${table.rowCount === 1 ? '' : 's'} in ${Math.round(table.ms)} ms${more > 0 ? `; ${more.toLocaleString('en')} more not shown (the Query panel shows them all)` : ''}${cut}`);
  return lines;
}

/** A query error with its place: the line of the SQL and a caret under the column. */
export function queryErrorLines(sql: string, error: QueryAnswer & { ok: false }): string[] {
  const { message, line, column } = error.error;
  if (line === undefined || column === undefined) return [`query: ${message}`];
  const text = sql.split('\n')[line - 1] ?? '';
  return [`query: line ${line}, column ${column}: ${message}`, `  ${text}`, `  ${' '.repeat(Math.max(0, column - 1))}^`];
}

/** `query <sql>`. */
export async function queryCommand(rest: string, host: ObserveHost): Promise<ShellResult> {
  const sql = rest.trim();
  if (sql === '') return failed("query: expected SQL (query SELECT type, count(*) FROM events GROUP BY type); tables: events, processes, channels, nodes, heap_blocks, shared, watches, decisions");
  const answer = await host.queryAnswer(sql);
  if (!answer.ok) return failed(...queryErrorLines(sql, answer));
  return ok(...formatTable(answer.value), `(state tables at event ${answer.value.cursor.toLocaleString('en')})`);
}
