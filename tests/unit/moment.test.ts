// A view held for one place (src/ui/moment.svelte.ts) is shown only while that place holds: the
// session, branch and cursor for a moment; the session and branch for a branch's history.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Held, historyKey, momentKey } from '../../src/ui/moment.svelte';
import type { KernelStatus } from '../../src/worker/api';

const status = (branch: number, cursor: number): KernelStatus => ({ loaded: true, name: 'x', cursor, events: 100, branch, tick: 0, stateHash: '', stopped: 'idle', journalEventsMax: 1000 });

describe('moment keys', () => {
  it('differ exactly when the session, branch or cursor differ (history: session and branch)', () => {
    const point = fc.record({ generation: fc.nat(3), branch: fc.nat(3), cursor: fc.nat(3) });
    fc.assert(fc.property(point, point, (a, b) => {
      const sameMoment = a.generation === b.generation && a.branch === b.branch && a.cursor === b.cursor;
      expect(momentKey(a.generation, status(a.branch, a.cursor)) === momentKey(b.generation, status(b.branch, b.cursor))).toBe(sameMoment);
      const sameHistory = a.generation === b.generation && a.branch === b.branch;
      expect(historyKey(a.generation, status(a.branch, a.cursor)) === historyKey(b.generation, status(b.branch, b.cursor))).toBe(sameHistory);
    }));
  });
});

describe('Held', () => {
  it('shows its value only while the place it was given for holds', () => {
    let place = 'a';
    const held = new Held<string>(() => place);
    held.set('link of a');
    expect(held.value).toBe('link of a');
    place = 'b';
    expect(held.value).toBeUndefined();
    place = 'a';
    expect(held.value).toBe('link of a'); // the same place: still true of it
    held.set('asked at b', 'b'); // answered after an await: held for where it was asked
    expect(held.value).toBeUndefined();
    held.set(undefined);
    place = 'b';
    expect(held.value).toBeUndefined();
  });
});
