// Format version 2 (assembly/crdt/BINARY.md): a version-1 state, deflated. States of long
// editing sessions are mostly UTF-8 text and small varints, which DEFLATE (fflate, a small,
// well-kept library: no compressor is written here) halves or better; deltas stay version 1
// (they are small, and the wasm core reads only version 1). Decoders read both.
import { deflateSync, inflateSync } from 'fflate';
import { CrdtError } from './core';

export const FORMAT_VERSION_DEFLATED = 2;
const FORMAT_VERSION_RAW = 1;
/** Below this, a state is sent as it is (deflate's header would eat the gain). */
const DEFLATE_MIN_BYTES = 256;
const CRDT_ERR_MALFORMED = -7;
const CRDT_ERR_IO_FULL = -6;

/** A version-1 encoding as version 2 when that is smaller; else unchanged. */
export function deflateEncoding(raw: Uint8Array): Uint8Array {
  if (raw.length < DEFLATE_MIN_BYTES || raw[0] !== FORMAT_VERSION_RAW) return raw;
  const body = deflateSync(raw.subarray(2), { level: 6 });
  if (body.length + 2 >= raw.length) return raw;
  const out = new Uint8Array(body.length + 2);
  out[0] = FORMAT_VERSION_DEFLATED;
  out[1] = raw[1];
  out.set(body, 2);
  return out;
}

/**
 * Inflates a version-2 encoding into `out` as version 1 (out is the core's IO buffer: what it
 * may inflate to is bounded by it; a body that fills it is refused, not cut) and returns the
 * byte count.
 */
export function inflateEncoding(bytes: Uint8Array, out: Uint8Array, context: string): number {
  if (bytes.length < 2 || bytes[0] !== FORMAT_VERSION_DEFLATED) throw new CrdtError(CRDT_ERR_MALFORMED, `${context} (not format version 2)`);
  let body: Uint8Array;
  try {
    body = inflateSync(bytes.subarray(2), { out: out.subarray(2) });
  } catch {
    throw new CrdtError(CRDT_ERR_MALFORMED, `${context} (version 2: the deflated body is corrupt)`);
  }
  if (body.length + 2 >= out.length) throw new CrdtError(CRDT_ERR_IO_FULL, `${context} (version 2 inflates past ${out.length - 1} bytes)`);
  out[0] = FORMAT_VERSION_RAW;
  out[1] = bytes[1];
  return body.length + 2;
}
