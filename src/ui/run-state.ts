// How the run stands at the cursor, in one set of words for the status bar, the run controls, the
// go-to notice and the shell: a run that ended in a waits-for cycle is "deadlocked" (naming who
// waits on whom), one that merely has nothing left to do is "quiescent"; and at the end of either,
// Run and Step have nothing to do, and say so.
import type { KernelStatus } from '../worker/api';

/** What the run is doing, in words (the worker's stop reasons are terse). */
const RUN_STATE: Record<string, string> = {
  idle: 'loaded', running: 'running', opening: 'replaying', events: 'paused', cancelled: 'paused',
  ticks: 'paused at the time asked for', quiescent: 'quiescent', 'journal-full': 'journal full',
};

type Stop = Pick<KernelStatus, 'stopped' | 'deadlock'>;

/** The short state: "deadlocked" when the quiescent run rests in a waits-for cycle. */
export function runStateWord(state: string, status?: Stop): string {
  if (state === 'quiescent' && status?.deadlock) return 'deadlocked';
  return RUN_STATE[state] ?? state;
}

/** What the short state means, for a title. */
export function runStateTitle(status?: Stop): string | undefined {
  if (status?.stopped !== 'quiescent') return undefined;
  return status.deadlock
    ? `deadlocked: ${status.deadlock} forever; nothing else is left to run`
    : 'nothing left to run: every process exited, failed or waits forever';
}

/** Why the run stopped, for a sentence: "deadlocked: alice and bob wait on each other", "quiescent: nothing left to run", else the stop reason as it is. */
export function stopWords(status: Stop): string {
  if (status.stopped === 'quiescent') return status.deadlock ? `deadlocked: ${status.deadlock}` : 'quiescent: nothing left to run';
  return status.stopped;
}

/**
 * Why Run and Step can do nothing here, or undefined when they can: at the end of a run that
 * rests (quiescent or deadlocked) or whose journal is full. Earlier cursors have a recorded future.
 */
export function runOverReason(status: (Stop & Pick<KernelStatus, 'loaded' | 'cursor' | 'events'>) | undefined): string | undefined {
  if (!status?.loaded || status.cursor < status.events) return undefined;
  if (status.stopped === 'journal-full') return 'The journal is full: nothing more can be recorded; Step back, branch or save to continue';
  if (status.stopped !== 'quiescent') return undefined;
  const why = status.deadlock ? `${status.deadlock} forever` : 'every process exited, failed or waits forever';
  return `The run is over: nothing is runnable (${why}); Step back, intervene (kill, inject, restart) or load another spec to continue`;
}
