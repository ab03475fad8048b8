// The rule for asking before a session is replaced (src/ui/session-keep): branches or
// interventions whose tree no checkpoint (nor the opening) holds.
import { describe, expect, it } from 'vitest';
import { replaceQuestion, treeShape, unkeptWork } from '../../src/ui/session-keep/keep.svelte';
import type { BranchRow } from '../../src/worker/api';

const main: BranchRow = { id: 0, parent: null, forkSeq: 0, events: 113_677, current: false };
const branch1: BranchRow = { id: 1, parent: 0, forkSeq: 20_000, events: 21_000, current: true };

describe('unkeptWork', () => {
  it('a lone main without interventions loses nothing: a reload runs it again', () => {
    expect(unkeptWork([main], false, undefined)).toBeUndefined();
  });
  it('a branch or an intervention no checkpoint holds is unkept', () => {
    expect(unkeptWork([main, branch1], true, treeShape([main]))).toEqual({ branches: 2, interventions: true });
    expect(unkeptWork([main], true, undefined)).toEqual({ branches: 1, interventions: true });
  });
  it('the tree as saved (or opened) is kept; one that grew since is not', () => {
    expect(unkeptWork([main, branch1], true, treeShape([main, branch1]))).toBeUndefined();
    const grown = { ...branch1, events: branch1.events + 1 };
    expect(unkeptWork([main, grown], true, treeShape([main, branch1]))).toBeDefined();
  });
  it('says what would be lost in a short line', () => {
    expect(replaceQuestion({ branches: 2, interventions: true }, 'trial 7')).toBe('Replace this session with trial 7? Its 2 branches are in no saved checkpoint.');
    expect(replaceQuestion({ branches: 1, interventions: true }, 'x')).toBe('Replace this session with x? Its interventions are in no saved checkpoint.');
  });
});
