// Whether a Compare result still describes the points the Compare form shows. The form falls back
// to its defaults when a chosen branch is gone (an Undo removes the branch its intervention
// started), and a result is shown only while it matches the form point for point and its branches
// are still the same branches (same parent, fork point and cause: a later intervention may reuse
// a removed branch's id). Otherwise the panel says why the result went, instead of showing a diff
// the form no longer asks for.
import type { BranchRow } from '../../worker/api';
import type { ComparedPoint } from '../../worker/ipc-views';

export interface FormPoint { branch: number; seq: number }

/** The branch chosen in the form, if it still exists; else undefined (the form uses its default). */
export function existingBranch(chosen: number | undefined, branches: readonly BranchRow[]): number | undefined {
  return chosen !== undefined && branches.some((branch) => branch.id === chosen) ? chosen : undefined;
}

/** Why a result no longer describes the form, or undefined when it still does. */
export function staleReason(result: { a: ComparedPoint; b: ComparedPoint }, a: FormPoint, b: FormPoint, branches: readonly BranchRow[]): string | undefined {
  for (const point of [result.a, result.b]) {
    const branch = branches.find((row) => row.id === point.branch);
    if (!branch || branch.parent !== point.parent || branch.forkSeq !== point.forkSeq || (branch.cause ?? undefined) !== point.cause) {
      return `${point.name} of the last comparison is gone (undone); press Compare for the points shown`;
    }
  }
  if (result.a.branch !== a.branch || result.a.seq !== a.seq || result.b.branch !== b.branch || result.b.seq !== b.seq) {
    return 'the points changed since the last comparison; press Compare for the points shown';
  }
  return undefined;
}
