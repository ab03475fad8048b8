// How the run stands at its end, in one set of words: a deadlocked run says "deadlocked" and
// names the cycle (src/worker/deadlock-words.ts), not merely "quiescent"; a run that merely has
// nothing left says "quiescent"; and at the end of either, Run and Step say they have nothing to
// do (src/ui/run-state.ts), while a cursor with a recorded future can still run.
import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { deadlockWords } from '../../src/worker/deadlock-words';
import { ipcView } from '../../src/worker/ipc-views';
import { runOverReason, runStateTitle, runStateWord, stopWords } from '../../src/ui/run-state';
import type { KernelStatus } from '../../src/worker/api';

function statusOf(fields: Partial<KernelStatus>): KernelStatus {
  return { loaded: true, name: 'x', cursor: 18, events: 18, tick: 0, stateHash: '', stopped: 'quiescent', journalEventsMax: 1000, ...fields };
}

describe('deadlockWords', () => {
  it('names the waits-for cycle the deadlock example rests in, and the IPC view carries it', async () => {
    const kernel = await kernelFor(exampleText('deadlock.yaml'));
    kernel.run({ events: 100_000 });
    expect(kernel.stopReasonAt()).toBe('quiescent');
    expect(deadlockWords(kernel)).toBe('alice (pid 0) and bob (pid 1) wait on each other');
    const view = ipcView(kernel);
    expect(view.still).toBe(true);
    expect(view.deadlock).toBe('alice (pid 0) and bob (pid 1) wait on each other');
    // Before the cycle closed there is none to name.
    kernel.seek(3);
    expect(deadlockWords(kernel)).toBeUndefined();
  });

  it('says nothing of a deadlock for a run that ends with every process exited', async () => {
    const kernel = await kernelFor(exampleText('map-reduce.yaml'));
    kernel.run({ events: 200_000 });
    expect(kernel.stopReasonAt()).toBe('quiescent');
    expect(deadlockWords(kernel)).toBeUndefined();
    expect(ipcView(kernel).deadlock).toBeUndefined();
  });
});

describe('run-state words', () => {
  const deadlocked = statusOf({ deadlock: 'alice (pid 0) and bob (pid 1) wait on each other' });
  const quiet = statusOf({});

  it('says deadlocked, consistently, when the run rests in a cycle', () => {
    expect(runStateWord('quiescent', deadlocked)).toBe('deadlocked');
    expect(runStateWord('quiescent', quiet)).toBe('quiescent');
    expect(stopWords(deadlocked)).toBe('deadlocked: alice (pid 0) and bob (pid 1) wait on each other');
    expect(stopWords(quiet)).toBe('quiescent: nothing left to run');
    expect(stopWords(statusOf({ stopped: 'cancelled' }))).toBe('cancelled');
    expect(runStateTitle(deadlocked)).toMatch(/^deadlocked: alice \(pid 0\) and bob \(pid 1\) wait on each other forever/);
    expect(runStateWord('events', quiet)).toBe('paused');
  });

  it('tells Run and Step why they have nothing to do at the end of a resting run, and only there', () => {
    expect(runOverReason(deadlocked)).toMatch(/^The run is over: nothing is runnable \(alice \(pid 0\) and bob \(pid 1\) wait on each other forever\); Step back/);
    expect(runOverReason(quiet)).toMatch(/^The run is over: nothing is runnable \(every process exited, failed or waits forever\)/);
    expect(runOverReason(statusOf({ stopped: 'journal-full' }))).toMatch(/journal is full/);
    // A recorded future, a paused run, nothing loaded: Run and Step still have work.
    expect(runOverReason(statusOf({ cursor: 17 }))).toBeUndefined();
    expect(runOverReason(statusOf({ stopped: 'events' }))).toBeUndefined();
    expect(runOverReason(statusOf({ stopped: 'cancelled' }))).toBeUndefined();
    expect(runOverReason(statusOf({ loaded: false }))).toBeUndefined();
    expect(runOverReason(undefined)).toBeUndefined();
  });
});
