// RFC 9162, written from the RFC's text with nothing of src/: the tree hash MTH (2.1.1) and the
// verification algorithms for inclusion (2.1.3.2) and consistency (2.1.4.2), on node:crypto's SHA-256.
import { createHash } from 'node:crypto';

export const sha256 = (...parts: Uint8Array[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
};
export const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
export const LEAF = new Uint8Array([0]), NODE = new Uint8Array([1]);

/** RFC 9162 2.1.1: MTH({}) = SHA-256(), MTH({d0}) = SHA-256(0x00 || d0), else split at k (largest power of two < n). */
export function mth(leaves: Uint8Array[]): Uint8Array {
  const n = leaves.length;
  if (n === 0) return sha256();
  if (n === 1) return sha256(LEAF, leaves[0]);
  let k = 1;
  while (k << 1 < n) k <<= 1;
  return sha256(NODE, mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** RFC 9162 2.1.3.2, step by step. */
export function verifyInclusion(leafIndex: number, treeSize: number, leafHash: Uint8Array, path: Uint8Array[], rootHash: Uint8Array): boolean {
  if (leafIndex >= treeSize) return false;
  let fn = leafIndex, sn = treeSize - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return false;
    if ((fn & 1) === 1 || fn === sn) {
      r = sha256(NODE, p, r);
      if ((fn & 1) !== 1) while (!((fn & 1) === 1 || fn === 0)) { fn >>>= 1; sn >>>= 1; }
    } else {
      r = sha256(NODE, r, p);
    }
    fn >>>= 1; sn >>>= 1;
  }
  return sn === 0 && hex(r) === hex(rootHash);
}

/** RFC 9162 2.1.4.2, step by step (first == second: the proof is empty and the roots equal, per 2.1.4.1). */
export function verifyConsistency(first: number, second: number, firstHash: Uint8Array, secondHash: Uint8Array, consistencyPath: Uint8Array[]): boolean {
  if (first === second) return consistencyPath.length === 0 && hex(firstHash) === hex(secondHash);
  if (consistencyPath.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [firstHash, ...consistencyPath] : [...consistencyPath];
  let fn = first - 1, sn = second - 1;
  while ((fn & 1) === 1) { fn >>>= 1; sn >>>= 1; }
  let fr = path[0], sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if ((fn & 1) === 1 || fn === sn) {
      fr = sha256(NODE, c, fr);
      sr = sha256(NODE, c, sr);
      if ((fn & 1) !== 1) while (!((fn & 1) === 1 || fn === 0)) { fn >>>= 1; sn >>>= 1; }
    } else {
      sr = sha256(NODE, sr, c);
    }
    fn >>>= 1; sn >>>= 1;
  }
  return hex(fr) === hex(firstHash) && hex(sr) === hex(secondHash) && sn === 0;
}

