// A process's state in words, the same in `ps`, the Processes panel, the Inspector and Compare: a
// process the user killed is "killed" (at which event), not "failed", though the kernel's status is failed.
import type { ProcessRow } from './api';

/** Short, for a column: "killed #200", else the status as it is. */
export function processStatusShort(row: Pick<ProcessRow, 'status' | 'killedAt'>): string {
  return row.killedAt === undefined ? row.status : `killed #${row.killedAt}`;
}

/** In full: "killed by the user at event #200", else the status as it is. */
export function processStatusLong(row: Pick<ProcessRow, 'status' | 'killedAt'>): string {
  return row.killedAt === undefined ? row.status : `killed by the user at event #${row.killedAt}`;
}
