// RFC 6962 / RFC 9162 hashing with @noble/hashes' SHA-256 (audited, synchronous, no platform
// crypto: the kernel runs it in a worker and in Node alike, and WebCrypto's digest is async).
// One hasher object is reused: cloning the initial state into it costs no allocation, where a
// one-shot sha256() allocates its own state for every leaf.
import { _SHA256 } from '@noble/hashes/sha2.js';

export const HASH_BYTES = 32;
/** RFC 6962 domain separation: leaf hashes and node hashes can never be confused. */
export const LEAF_PREFIX = 0x00;
export const NODE_PREFIX = 0x01;
/** Longest leaf input the scratch buffer holds (canonical event bytes are far shorter). */
const LEAF_BYTES_MAX = 255;

const initial = new _SHA256();
const work = new _SHA256();
const leafInput = new Uint8Array(1 + LEAF_BYTES_MAX);
const nodeInput = new Uint8Array(1 + 2 * HASH_BYTES);
nodeInput[0] = NODE_PREFIX;

/** SHA-256(0x00 ‖ leaf[0..length)) into out[offset..offset+32). */
export function leafHashInto(leaf: Uint8Array, length: number, out: Uint8Array, offset: number): void {
  if (length > LEAF_BYTES_MAX) throw new RangeError(`a leaf of ${length} bytes is over ${LEAF_BYTES_MAX}`);
  leafInput[0] = LEAF_PREFIX;
  leafInput.set(leaf.subarray(0, length), 1);
  initial._cloneInto(work);
  work.update(leafInput.subarray(0, 1 + length));
  work.digestInto(out.subarray(offset, offset + HASH_BYTES));
}

/** SHA-256(0x01 ‖ left ‖ right), each side 32 bytes read at its offset, into out[outOffset..). */
export function nodeHashInto(left: Uint8Array, leftOffset: number, right: Uint8Array, rightOffset: number, out: Uint8Array, outOffset: number): void {
  nodeInput.set(left.subarray(leftOffset, leftOffset + HASH_BYTES), 1);
  nodeInput.set(right.subarray(rightOffset, rightOffset + HASH_BYTES), 1 + HASH_BYTES);
  initial._cloneInto(work);
  work.update(nodeInput);
  work.digestInto(out.subarray(outOffset, outOffset + HASH_BYTES));
}

/** SHA-256 of nothing: the root of the empty tree (RFC 9162 2.1.1). */
export function emptyRoot(): Uint8Array {
  const out = new Uint8Array(HASH_BYTES);
  initial._cloneInto(work);
  work.digestInto(out);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += bytes[i].toString(16).padStart(2, '0');
  return text;
}

export function fromHex(text: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(text)) throw new RangeError(`"${text.slice(0, 16)}…" is not lowercase hexadecimal`);
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}
