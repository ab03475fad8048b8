// The waits-for cycle the run rests in, in words ("alice and bob wait on each other"), for the
// status bar, the go-to notice and the IPC panel: a run that ended in a deadlock is "deadlocked",
// not merely "quiescent" (nothing left to run). Reads the state only (kernel/syscalls/deadlock.ts,
// bounded by DEADLOCK_SCAN_MAX); names at most DEADLOCK_NAMES_MAX processes.
import type { Kernel } from '../kernel/kernel';
import { anyDeadlock } from '../kernel/syscalls/deadlock';
import { processLabel } from './event-rows';

/** Processes a cycle's words name before "and N more". */
export const DEADLOCK_NAMES_MAX = 4;

/** The first waits-for cycle at the cursor (reported or not), in words; undefined when there is none. */
export function deadlockWords(kernel: Kernel): string | undefined {
  const { ctx, state } = kernel.machine;
  const found = anyDeadlock(ctx, state, () => false);
  if (!found) return undefined;
  const names = found.pids.slice(0, DEADLOCK_NAMES_MAX).map((pid) => `${processLabel(kernel, pid) || 'process'} (pid ${pid})`);
  const more = found.pids.length - names.length;
  if (found.pids.length === 1) return `${names[0]} waits on itself`;
  const list = more > 0 ? `${names.join(', ')} and ${more} more` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${list} wait on each other`;
}
