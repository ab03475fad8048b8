// The journal as an RFC 6962 / RFC 9162 Merkle tree, kept incrementally. Leaves are appended in
// order; each append hashes its leaf and merges the completed subtrees on a stack of subtree roots
// (the "frontier": one root per set bit of the size), so an append costs one leaf hash and at most
// log2(n) node hashes (one on average). Trees of any earlier size are reachable too:
//
//   size n = 2^h1 + 2^h2 + ... (h1 > h2 > ...): the tree of n leaves is the complete subtrees
//   [0, 2^h1), [2^h1, 2^h1 + 2^h2), ... ("peaks") hashed together from the right, which is what
//   RFC 9162's recursion (split at the largest power of two below n) computes.
//
// Complete aligned subtrees of 2^STORED_LEVEL_MIN leaves or more are kept (about 2 bytes per leaf
// over all levels), so the root at any cursor, an inclusion path or a consistency proof costs
// O(log n) lookups plus rehashing at most 2^STORED_LEVEL_MIN leaves at each end.
import { emptyRoot, HASH_BYTES, leafHashInto, nodeHashInto } from './sha256';

/** Levels (log2 of a subtree's leaves) from which complete subtrees are stored. */
export const STORED_LEVEL_MIN = 5;
/** Levels of the frontier: a tree holds fewer than 2^31 leaves (a journal at most 16M events). */
const LEVELS_MAX = 31;
const LEAVES_MAX = 2 ** LEVELS_MAX - 1;
const LEAF_SCRATCH_BYTES = 256;
/** Leaves hashed between two looks at a deadline. */
const DEADLINE_LEAVES = 1024;

/** Writes leaf `index`'s bytes into `out` and returns their length. */
export type LeafReader = (index: number, out: Uint8Array) => number;

export class MerkleLog {
  #size = 0;
  /** frontier[h] (32 bytes at h*32) is the root of a complete subtree of 2^h leaves when bit h of size is set. */
  readonly #frontier = new Uint8Array(LEVELS_MAX * HASH_BYTES);
  /**
   * stored[h]: the roots of the complete aligned subtrees of level h, in order, from index
   * inherited[h] on; count[h] of them in all. A fork inherits its parent's first subtrees by
   * reference (the parent's are never rewritten, only appended to), so forking copies nothing.
   */
  #stored: Uint8Array[] = [];
  #count: number[] = [];
  #inherited: number[] = [];
  #parent: MerkleLog | undefined;
  readonly #leaf = new Uint8Array(LEAF_SCRATCH_BYTES);
  readonly #carry = new Uint8Array(HASH_BYTES);

  constructor(readonly readLeaf: LeafReader) {}

  /** Leaves in the tree so far. */
  get size(): number {
    return this.#size;
  }

  /** Bytes the stored subtrees take. */
  get bytes(): number {
    return this.#stored.reduce((sum, level) => sum + (level?.length ?? 0), 0) + this.#frontier.length;
  }

  /** Stored subtree `index` of `level` (it exists: index < count[level]). */
  #storedAt(level: number, index: number): Uint8Array {
    const inherited = this.#inherited[level] ?? 0;
    if (index < inherited) return this.#parent!.#storedAt(level, index);
    const own = index - inherited;
    return this.#stored[level].slice(own * HASH_BYTES, (own + 1) * HASH_BYTES);
  }

  /**
   * Appends leaves until the tree holds `to` of them (or `deadline()` said stop, looked at every
   * DEADLINE_LEAVES leaves). Returns true when it reached `to`.
   */
  extend(to: number, deadline?: () => boolean): boolean {
    if (to > LEAVES_MAX) throw new RangeError(`a tree holds at most ${LEAVES_MAX} leaves`);
    const carry = this.#carry, frontier = this.#frontier;
    while (this.#size < to) {
      const size = this.#size;
      const length = this.readLeaf(size, this.#leaf);
      leafHashInto(this.#leaf, length, carry, 0);
      let h = 0;
      for (; (size >>> h) & 1; h++) {
        nodeHashInto(frontier, h * HASH_BYTES, carry, 0, carry, 0);
        if (h + 1 >= STORED_LEVEL_MIN) this.#store(h + 1, carry);
      }
      frontier.set(carry, h * HASH_BYTES);
      this.#size = size + 1;
      if (deadline && (this.#size & (DEADLINE_LEAVES - 1)) === 0 && this.#size < to && deadline()) return false;
    }
    return true;
  }

  #store(level: number, hash: Uint8Array): void {
    let array = this.#stored[level];
    const count = this.#count[level] ?? 0;
    const own = count - (this.#inherited[level] ?? 0);
    if (!array || (own + 1) * HASH_BYTES > array.length) {
      const grown = new Uint8Array(Math.max(64 * HASH_BYTES, (array?.length ?? 0) * 2));
      if (array) grown.set(array);
      array = this.#stored[level] = grown;
    }
    array.set(hash, own * HASH_BYTES);
    this.#count[level] = count + 1;
  }

  /** The root of the tree of the first `n` leaves (n <= size); SHA-256() for n = 0. */
  rootAt(n: number): Uint8Array {
    this.#check(n, 0);
    if (n === 0) return emptyRoot();
    if (n === this.#size) {
      // Fold the frontier's peaks from the smallest (rightmost) up.
      const root = new Uint8Array(HASH_BYTES);
      let h = 0;
      while (!((n >>> h) & 1)) h++;
      root.set(this.#frontier.subarray(h * HASH_BYTES, (h + 1) * HASH_BYTES));
      for (h++; h < LEVELS_MAX; h++) if ((n >>> h) & 1) nodeHashInto(this.#frontier, h * HASH_BYTES, root, 0, root, 0);
      return root;
    }
    return this.subtree(0, n);
  }

  /** MTH(D[start:start+count]) of RFC 9162, for a subtree its recursion visits (count >= 1). */
  subtree(start: number, count: number): Uint8Array {
    if (count === 1) return this.leafHash(start);
    if ((count & (count - 1)) === 0 && start % count === 0) return this.#complete(start, 31 - Math.clz32(count));
    const k = largestPowerOfTwoBelow(count);
    const out = this.subtree(start, k);
    nodeHashInto(out, 0, this.subtree(start + k, count - k), 0, out, 0);
    return out;
  }

  leafHash(index: number): Uint8Array {
    const out = new Uint8Array(HASH_BYTES);
    leafHashInto(this.#leaf, this.readLeaf(index, this.#leaf), out, 0);
    return out;
  }

  /** The root of the complete aligned subtree of 2^level leaves starting at `start`. */
  #complete(start: number, level: number): Uint8Array {
    if (level === 0) return this.leafHash(start);
    if (level >= STORED_LEVEL_MIN && start + (2 ** level) <= this.#size) {
      return this.#storedAt(level, start / 2 ** level);
    }
    const half = 2 ** (level - 1);
    const out = this.#complete(start, level - 1);
    nodeHashInto(out, 0, this.#complete(start + half, level - 1), 0, out, 0);
    return out;
  }

  /** RFC 9162 2.1.3.1 PATH(m, D[0:n]): the inclusion proof of leaf m in the tree of n leaves. */
  inclusionPath(m: number, n: number): Uint8Array[] {
    this.#check(n, 1);
    if (!Number.isInteger(m) || m < 0 || m >= n) throw new RangeError(`leaf ${m} is not in a tree of ${n} leaves (0..${n - 1})`);
    const path: Uint8Array[] = [];
    // Top-down walk; the RFC lists the siblings bottom-up, so collect and reverse.
    let start = 0, count = n, index = m;
    while (count > 1) {
      const k = largestPowerOfTwoBelow(count);
      if (index < k) {
        path.push(this.subtree(start + k, count - k));
        count = k;
      } else {
        path.push(this.subtree(start, k));
        start += k;
        index -= k;
        count -= k;
      }
    }
    return path.reverse();
  }

  /** RFC 9162 2.1.4.1 PROOF(m, D[0:n]): that the tree of m leaves is a prefix of the tree of n (1 <= m <= n). */
  consistencyProof(m: number, n: number): Uint8Array[] {
    this.#check(n, 1);
    if (!Number.isInteger(m) || m < 1 || m > n) throw new RangeError(`a consistency proof from ${m} to ${n} leaves needs 1 <= ${m} <= ${n}`);
    const proof: Uint8Array[] = [];
    let start = 0, count = n, old = m, whole = true;
    while (old !== count) {
      const k = largestPowerOfTwoBelow(count);
      if (old <= k) {
        proof.push(this.subtree(start + k, count - k));
        count = k;
      } else {
        proof.push(this.subtree(start, k));
        start += k;
        old -= k;
        count -= k;
        whole = false;
      }
    }
    if (!whole) proof.push(this.subtree(start, count));
    return proof.reverse();
  }

  /**
   * A tree over the same first `n` leaves for another reader that holds them (a forked journal):
   * the stored subtrees within n are copied and the frontier rebuilt, nothing is rehashed but
   * the leaves of peaks below STORED_LEVEL_MIN.
   */
  fork(n: number, readLeaf: LeafReader): MerkleLog {
    this.#check(n, 0);
    const forked = new MerkleLog(readLeaf);
    forked.#parent = this;
    for (let level = STORED_LEVEL_MIN; level < this.#count.length; level++) {
      const keep = Math.floor(n / 2 ** level);
      forked.#count[level] = keep;
      forked.#inherited[level] = keep;
    }
    forked.#size = n;
    let start = 0;
    for (let h = LEVELS_MAX - 1; h >= 0; h--) {
      if (!((n >>> h) & 1)) continue;
      forked.#frontier.set(this.#complete(start, h), h * HASH_BYTES);
      start += 2 ** h;
    }
    return forked;
  }

  #check(n: number, min: number): void {
    if (!Number.isInteger(n) || n < min || n > this.#size) throw new RangeError(`no tree of ${n} leaves here: this one has ${min}..${this.#size}`);
  }
}

/** The largest power of two strictly below n (n >= 2): RFC 9162's split point k. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
