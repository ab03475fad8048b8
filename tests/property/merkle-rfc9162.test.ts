// The audit's Merkle tree checked against RFC 9162 with nothing of ours: the tree hash MTH (2.1.1)
// and the verification algorithms for inclusion (2.1.3.2) and consistency (2.1.4.2) are written
// in tests/helpers/rfc9162.ts from the RFC's text, on node:crypto's SHA-256.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MerkleLog } from '../../src/audit/merkle';
import { hex, LEAF, mth, sha256, verifyConsistency, verifyInclusion } from '../helpers/rfc9162';

function leavesOf(count: number, salt: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => new Uint8Array(Buffer.from(`leaf ${i} of salt ${salt}`)));
}

function logOf(leaves: Uint8Array[]): MerkleLog {
  const log = new MerkleLog((index, out) => {
    out.set(leaves[index]);
    return leaves[index].length;
  });
  log.extend(leaves.length);
  return log;
}

const EDGE_SIZES = [1, 2, 3, 4, 7, 8, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257];

describe('Merkle tree against RFC 9162', () => {
  it('has the RFC root at every size, both at the end and at any earlier size', () => {
    const leaves = leavesOf(300, 1);
    const log = logOf(leaves);
    for (let n = 0; n <= leaves.length; n++) expect(hex(log.rootAt(n)), `size ${n}`).toBe(hex(mth(leaves.slice(0, n))));
    // Built one leaf at a time, the root at the end is the same at every step.
    const growing = new MerkleLog((index, out) => (out.set(leaves[index]), leaves[index].length));
    for (let n = 1; n <= 70; n++) {
      growing.extend(n);
      expect(hex(growing.rootAt(n))).toBe(hex(mth(leaves.slice(0, n))));
    }
  });

  it('proves inclusion of any leaf in any tree, checked by the RFC verifier', () => {
    const leaves = leavesOf(600, 2);
    const log = logOf(leaves);
    const size = fc.oneof(fc.constantFrom(...EDGE_SIZES, 512, 600), fc.integer({ min: 1, max: 600 }));
    fc.assert(fc.property(size, fc.nat(), (n, pick) => {
      const m = pick % n;
      const path = log.inclusionPath(m, n);
      const root = mth(leaves.slice(0, n));
      expect(verifyInclusion(m, n, sha256(LEAF, leaves[m]), path, root), `leaf ${m} of ${n}`).toBe(true);
      // A wrong leaf, index or root does not verify.
      expect(verifyInclusion(m, n, sha256(LEAF, new Uint8Array([9, 9])), path, root)).toBe(false);
      if (n > 1) expect(verifyInclusion((m + 1) % n, n, sha256(LEAF, leaves[m]), path, root)).toBe(false);
      if (path.length > 0) {
        const bent = path.map((hash, i) => (i === path.length - 1 ? sha256(hash) : hash));
        expect(verifyInclusion(m, n, sha256(LEAF, leaves[m]), bent, root)).toBe(false);
      }
    }), { numRuns: 400 });
  });

  it('proves one tree is a prefix of a later one, checked by the RFC verifier (m = n, powers of two, n = 1)', () => {
    const leaves = leavesOf(600, 3);
    const log = logOf(leaves);
    const pair = fc.oneof(
      fc.constantFrom(...EDGE_SIZES).chain((n) => fc.integer({ min: 1, max: n }).map((m) => [m, n] as const)),
      fc.integer({ min: 1, max: 600 }).chain((n) => fc.oneof(fc.constant(n), fc.integer({ min: 1, max: n })).map((m) => [m, n] as const)),
    );
    fc.assert(fc.property(pair, ([m, n]) => {
      const proof = log.consistencyProof(m, n);
      const oldRoot = mth(leaves.slice(0, m)), newRoot = mth(leaves.slice(0, n));
      expect(verifyConsistency(m, n, oldRoot, newRoot, proof), `${m} -> ${n}`).toBe(true);
      if (m < n) {
        // Another old tree (one leaf changed) is not a prefix.
        const other = leaves.slice(0, m).map((leaf, i) => (i === m - 1 ? new Uint8Array([7, ...leaf]) : leaf));
        expect(verifyConsistency(m, n, mth(other), newRoot, proof)).toBe(false);
      }
    }), { numRuns: 400 });
  });

  it('forks at any size into a tree equal to one built afresh', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 100 }), (at, more) => {
      const leaves = leavesOf(300, 4);
      const log = logOf(leaves);
      const other = [...leaves.slice(0, at), ...leavesOf(more, 5)];
      const forked = log.fork(at, (index, out) => (out.set(other[index]), other[index].length));
      expect(hex(forked.rootAt(at))).toBe(hex(mth(other.slice(0, at))));
      forked.extend(other.length);
      expect(hex(forked.rootAt(other.length))).toBe(hex(mth(other)));
      if (other.length > 0) expect(verifyInclusion(other.length - 1, other.length, sha256(LEAF, other[other.length - 1]), forked.inclusionPath(other.length - 1, other.length), mth(other))).toBe(true);
    }), { numRuns: 60 });
  });

  it('matches a known RFC 6962 root (the empty tree)', () => {
    expect(hex(new MerkleLog(() => 0).rootAt(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
