// The shell's `watch`: lists the watches with their values at the cursor, adds one, replaces one,
// or removes one (`--remove`). A name already in use is replaced, as the Metrics form's Replace
// does, and the answer says so with the expression it had: nothing changes without a word.
import type { WatchRow } from '../../worker/api';
import { expressionError, ShellError, type ShellHost, type ShellResult } from './commands';

/** As in the command table (commands.ts), which imports this file: not imported from there. */
const WATCH_USAGE = 'watch [<name> <expr> | --remove <name>]';

const ok = (...lines: string[]): ShellResult => ({ lines, error: false });

export const watchLine = (row: WatchRow) => `${row.name} = ${row.value}   ${row.expr}${row.source === 'spec' ? '  (spec)' : ''}`;

/** `watch`, `watch <name> <expr>` (`watch <name> = <expr>` too), `watch --remove <name>`; the kernel is loaded. */
export async function watchCommand(args: readonly string[], rest: string, host: Pick<ShellHost, 'watchRows' | 'setWatch'>): Promise<ShellResult> {
  if (args.length === 0) {
    const outcome = await host.watchRows();
    if (!outcome.ok) throw new ShellError(`watch: ${outcome.error}`);
    if (outcome.value.length === 0) return ok('no watches: watch <name> <expr> adds one (or watch: in the spec)');
    return ok(...outcome.value.map(watchLine));
  }
  if (args[0] === '--remove') {
    if (args.length > 2) throw new ShellError(`watch: unexpected '${args.slice(2).join(' ')}' (usage: ${WATCH_USAGE})`);
    if (args[1] === undefined) throw new ShellError('watch: --remove needs a watch name');
    const outcome = await host.setWatch(args[1], undefined);
    if (!outcome.ok) throw new ShellError(`watch: ${outcome.error}`);
    return ok(`removed watch ${args[1]}`);
  }
  const name = args[0];
  const expr = rest.slice(rest.indexOf(name) + name.length).trim().replace(/^=\s*/, '');
  if (expr === '') throw new ShellError('watch: expected an expression after the name (watch backlog channels["a.out->b.in"].queued)');
  // The watch this name holds now, if one was added (a spec's is refused by the kernel, with why).
  const before = await host.watchRows();
  const previous = before.ok ? before.value.find((row) => row.name === name && row.source === 'session') : undefined;
  if (previous?.expr === expr) return ok(watchLine(previous), `watch ${name} already watches this; unchanged`);
  const outcome = await host.setWatch(name, expr);
  // A refused expression replaces nothing: the old watch stays.
  if (!outcome.ok) throw new ShellError(expressionError('watch', { kind: 'expr', expr }, outcome.error) + (previous ? `\n(watch ${name} is unchanged: ${previous.expr})` : ''));
  const row = outcome.value.find((w) => w.name === name);
  const now = row ? watchLine(row) : `watching ${name}`;
  return previous ? ok(`replaced watch ${name} (was: ${previous.expr})`, now) : ok(now);
}
