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
 * A version-2 encoding back to version 1 (other versions unchanged); `maxBytes` bounds what it
 * may inflate to (the core's IO buffer): a larger one is refused, not inflated.
 */
export function inflateEncoding(bytes: Uint8Array, maxBytes: number, context: string): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== FORMAT_VERSION_DEFLATED) return bytes;
  const out = new Uint8Array(maxBytes + 1);
  out[0] = FORMAT_VERSION_RAW;
  out[1] = bytes[1];
  let body: Uint8Array;
  try {
    // inflating into a buffer one byte larger than allowed: filling it means too large
    body = inflateSync(bytes.subarray(2), { out: out.subarray(2) });
  } catch {
    throw new CrdtError(CRDT_ERR_MALFORMED, `${context} (version 2: the deflated body is corrupt)`);
  }
  if (body.length + 2 > maxBytes) throw new CrdtError(CRDT_ERR_IO_FULL, `${context} (version 2 inflates past ${maxBytes} bytes)`);
  return out.subarray(0, body.length + 2);
}
