// The Merkle trees of a kernel's journals: one per branch, built lazily and kept incrementally
// (each call extends the tree over the events appended since the last), forked from the parent
// branch's tree at the fork point so an intervention never rehashes the shared past.
// The root at a cursor is a pure function of the journal's first `cursor` events.
import type { Journal } from '../kernel/journal/journal';
import type { Timeline } from '../kernel/journal/timeline';
import { canonicalEvent, canonicalEventInto } from './canonical';
import { MerkleLog } from './merkle';
import { toHex } from './sha256';

export interface InclusionProof {
  treeSize: number;
  root: string;
  leafIndex: number;
  /** Hex of the canonical event bytes (canonical.ts): the leaf is SHA-256(0x00 ‖ these). */
  leaf: string;
  path: string[];
}

export interface ConsistencyProof {
  from: number;
  to: number;
  oldRoot: string;
  newRoot: string;
  proof: string[];
}

/** The tree of one journal alone (a CLI's or a test's journal, not a kernel's branches). */
export function journalTree(journal: Journal): MerkleLog {
  return new MerkleLog((index, out) => canonicalEventInto(journal, index, out));
}

export class AuditTrees {
  readonly #trees = new WeakMap<Journal, MerkleLog>();

  constructor(private readonly timeline: Timeline) {}

  /** The tree of `journal` holding at least its first `n` events (a branch's journal, or any other). */
  treeOf(journal: Journal, n = journal.length, deadline?: () => boolean): MerkleLog | undefined {
    if (n > journal.length) throw new RangeError(`the journal holds ${journal.length} events, not ${n}`);
    let tree = this.#trees.get(journal);
    if (!tree) {
      tree = this.#forkedFromParent(journal) ?? journalTree(journal);
      this.#trees.set(journal, tree);
    }
    if (tree.size < n && !tree.extend(n, deadline)) return undefined;
    return tree;
  }

  #forkedFromParent(journal: Journal): MerkleLog | undefined {
    const branch = this.timeline.branches.find((candidate) => candidate.journal === journal);
    if (!branch || branch.parent === null) return undefined;
    const parent = this.timeline.branches[branch.parent];
    const parentTree = this.treeOf(parent.journal, branch.forkSeq);
    return parentTree?.fork(branch.forkSeq, (index, out) => canonicalEventInto(journal, index, out));
  }

  /** The root, as hex, of the tree of the first `n` events of `journal`. */
  rootAt(journal: Journal, n: number): string {
    return toHex(this.treeOf(journal, n)!.rootAt(n));
  }

  /** Builds the tree up to `n` within a deadline: false if it ran out (call again). */
  catchUp(journal: Journal, n: number, deadline: () => boolean): boolean {
    return this.treeOf(journal, n, deadline) !== undefined;
  }

  /** Leaves of `journal` already hashed (how far the tree got). */
  hashed(journal: Journal): number {
    return this.#trees.get(journal)?.size ?? 0;
  }

  inclusion(journal: Journal, leafIndex: number, treeSize: number): InclusionProof {
    if (!Number.isInteger(treeSize) || treeSize < 1 || treeSize > journal.length) throw new RangeError(`--at ${treeSize}: a tree of 1..${journal.length} events (this branch's journal)`);
    if (!Number.isInteger(leafIndex) || leafIndex < 0 || leafIndex >= treeSize) throw new RangeError(`--event ${leafIndex}: not among the ${treeSize} events of the tree (0..${treeSize - 1})`);
    const tree = this.treeOf(journal, treeSize)!;
    return {
      treeSize, root: toHex(tree.rootAt(treeSize)), leafIndex, leaf: toHex(canonicalEvent(journal, leafIndex)),
      path: tree.inclusionPath(leafIndex, treeSize).map(toHex),
    };
  }

  /**
   * The shared prefix of two branches (events both journals hold, from their branch tree: the
   * fork points between them) and, from it, a consistency proof to each branch's end: both proofs
   * start at the same old root, so anyone can check the two runs agree up to there.
   */
  sharedPrefix(a: number, b: number): { shared: number; a: ConsistencyProof; b: ConsistencyProof } {
    const { branches } = this.timeline;
    if (!branches[a] || !branches[b]) throw new RangeError(`there is no branch ${branches[a] ? b : a}`);
    // For each ancestor of `a` (a included): how many of its first events `a` shares with it.
    const sharedWithA = new Map<number, number>();
    for (let id: number | null = a, limit = Infinity; id !== null; id = branches[id].parent) {
      sharedWithA.set(id, Math.min(limit, branches[id].journal.length));
      limit = Math.min(limit, branches[id].forkSeq);
    }
    let shared = 0;
    for (let id: number | null = b, limit = Infinity; id !== null; id = branches[id].parent) {
      const withA = sharedWithA.get(id);
      if (withA !== undefined) {
        shared = Math.min(withA, limit, branches[id].journal.length);
        break;
      }
      limit = Math.min(limit, branches[id].forkSeq);
    }
    if (shared < 1) throw new RangeError(`branches ${a} and ${b} share no event`);
    return {
      shared, a: this.consistency(branches[a].journal, shared, branches[a].journal.length), b: this.consistency(branches[b].journal, shared, branches[b].journal.length),
    };
  }

  consistency(journal: Journal, from: number, to: number): ConsistencyProof {
    if (!Number.isInteger(to) || to < 1 || to > journal.length) throw new RangeError(`--to ${to}: a tree of 1..${journal.length} events (this branch's journal)`);
    if (!Number.isInteger(from) || from < 1 || from > to) throw new RangeError(`--from ${from}: expected 1..${to} (the older tree is a prefix of the newer)`);
    const tree = this.treeOf(journal, to)!;
    return { from, to, oldRoot: toHex(tree.rootAt(from)), newRoot: toHex(tree.rootAt(to)), proof: tree.consistencyProof(from, to).map(toHex) };
  }
}
