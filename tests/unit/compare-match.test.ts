// A Compare result is shown only while it describes the form's points on the same branches.
import { describe, expect, it } from 'vitest';
import { existingBranch, staleReason } from '../../src/ui/panels/compare-match';
import type { BranchRow } from '../../src/worker/api';

const main: BranchRow = { id: 0, parent: null, forkSeq: 0, events: 1200, current: true };
const one: BranchRow = { id: 1, parent: 0, forkSeq: 200, events: 303, current: false, cause: 'kill flaky (pid 2)' };
const result = {
  a: { branch: 0, name: 'main', seq: 1200, parent: null, forkSeq: 0 },
  b: { branch: 1, name: 'branch 1', seq: 303, parent: 0, forkSeq: 200, cause: 'kill flaky (pid 2)' },
};

describe('compare-match', () => {
  it('keeps a chosen branch only while it exists', () => {
    expect(existingBranch(1, [main, one])).toBe(1);
    expect(existingBranch(1, [main])).toBeUndefined();
    expect(existingBranch(undefined, [main, one])).toBeUndefined();
  });

  it('a result matching the form on the same branches is current', () => {
    expect(staleReason(result, { branch: 0, seq: 1200 }, { branch: 1, seq: 303 }, [main, one])).toBeUndefined();
  });

  it('a result whose branch is gone, or was replaced under the same id, is stale', () => {
    expect(staleReason(result, { branch: 0, seq: 1200 }, { branch: 0, seq: 303 }, [main])).toMatch(/branch 1 of the last comparison is gone/);
    const replaced = { ...one, cause: 'pause flaky (pid 2)' };
    expect(staleReason(result, { branch: 0, seq: 1200 }, { branch: 1, seq: 303 }, [main, replaced])).toMatch(/branch 1 of the last comparison is gone/);
    expect(staleReason(result, { branch: 0, seq: 1200 }, { branch: 1, seq: 303 }, [main, { ...one, forkSeq: 100 }])).toMatch(/gone/);
  });

  it('a result for other points than the form shows is stale', () => {
    expect(staleReason(result, { branch: 0, seq: 100 }, { branch: 1, seq: 303 }, [main, one])).toMatch(/points changed/);
    expect(staleReason(result, { branch: 0, seq: 1200 }, { branch: 0, seq: 303 }, [main, one])).toMatch(/points changed/);
  });
});
