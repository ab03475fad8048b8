// How every view names a branch. A file of its own: the page imports it, and the branch rows'
// module (./branch-rows.ts) brings the kernel's event words with it.

/** A branch as every view names it: the first (root) branch is "main", any other "branch N". */
export function branchName(id: number): string {
  return id === 0 ? 'main' : `branch ${id}`;
}
