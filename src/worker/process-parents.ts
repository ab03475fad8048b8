// Each process's parent for the Processes panel's tree, from the journal's process/spawned events
// (kernel/autonomy/tree.ts reads them the same way). Kept per journal and extended as it grows,
// so a refresh while running scans only the new events; another branch's journal starts over.
import type { Journal } from '../kernel/journal/journal';
import { EventCode as E } from '../kernel/events';
import { NONE } from '../kernel/state';

export class ParentIndex {
  #journal: Journal | undefined;
  #scanned = 0;
  #parents = new Int32Array(0);

  /** parent of `pid` (NONE: a boot or scaled process), for pids spawned before event `until`. */
  update(journal: Journal, until: number): (pid: number) => number {
    if (journal !== this.#journal) {
      this.#journal = journal;
      this.#scanned = 0;
      this.#parents = new Int32Array(0);
    }
    const spawned = E['process/spawned'];
    for (let seq = this.#scanned; seq < until; seq++) {
      if (journal.type(seq) !== spawned) continue;
      const pid = journal.pid(seq);
      if (pid >= this.#parents.length) {
        const grown = new Int32Array(Math.max(64, pid * 2)).fill(NONE);
        grown.set(this.#parents);
        this.#parents = grown;
      }
      this.#parents[pid] = journal.c(seq);
    }
    this.#scanned = Math.max(this.#scanned, until);
    const parents = this.#parents;
    return (pid) => (pid < parents.length ? parents[pid] : NONE);
  }
}
