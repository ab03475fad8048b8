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

/**
 * Keeps V8's optimized code for fflate's inflate alive between loads. Each `inflateSync` makes a
 * state object `{ i: 2 }` and adds fields to it as it reads blocks (`st.l, st.p, st.b, st.f`, then
 * `st.m, st.d, st.n`; a stored block first writes `st.b, st.p, st.f`), so its hidden classes are
 * transitions from the literal's, which V8 holds only weakly. Once every such object is dead, a
 * full GC drops them and the optimized inflate that names them with them ("deoptimize: weak
 * objects"), and the next load inflates in the interpreter: 19-22 ms instead of 4.5 ms for the
 * long session's 650 kB (tests/bench/crdt-real.bench.ts, "text load"). These two objects walk the
 * same transitions and live as long as the module, so the hidden classes stay. If fflate changes
 * its field order nothing breaks (a load is slower after a GC); tests/unit/crdt-compressed.test.ts
 * checks fflate's source still writes these orders. Made at the first inflate.
 */
let inflateShapes: readonly object[] | undefined;
function keepInflateShapes(): void {
  inflateShapes ??= (() => {
    const table = new Uint16Array(1);
    const huffman: Record<string, unknown> = { i: 2 };
    huffman.l = table; huffman.p = 1; huffman.b = 1; huffman.f = 0;
    huffman.m = 1; huffman.d = table; huffman.n = 1;
    const stored: Record<string, unknown> = { i: 2 };
    stored.b = 1; stored.p = 1; stored.f = 0;
    stored.l = table; stored.m = 1; stored.d = table; stored.n = 1;
    return [huffman, stored];
  })();
}

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
  keepInflateShapes();
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
