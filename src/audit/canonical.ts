// The canonical bytes of one journal event: what a Merkle leaf hashes (leaf = SHA-256(0x00 ‖
// these bytes)). Every column of the event, in a fixed order, little-endian, fixed widths, so
// anyone can rebuild a leaf from the event as the events panel or `agentos query` shows it.
//
// Version 1 (35 bytes):
//   byte 0        1          5            13     14     15      19       23    27    31    35
//        ├────────┼──────────┼────────────┼──────┼──────┼───────┼────────┼─────┼─────┼─────┤
//        │version │ seq      │ tick       │ type │ node │ pid   │ cause  │  a  │  b  │  c  │
//        │ u8 = 1 │ u32 LE   │ u64 LE     │  u8  │  u8  │ i32 LE│ i32 LE │ i32 │ i32 │ i32 │
//
// tick is the event's virtual time in integer ticks (µs; the journal keeps it as an f64 holding
// an integer below 2^53); type is the event's code in EVENT_SCHEMA (kernel/events.ts); pid and
// cause are -1 for none. A change to this layout is a new version byte, never an edit.
import type { Journal } from '../kernel/journal/journal';

export const CANONICAL_EVENT_VERSION = 1;
export const CANONICAL_EVENT_BYTES = 35;

/** Writes event `seq` of `journal` into out[0..35) and returns 35. */
export function canonicalEventInto(journal: Journal, seq: number, out: Uint8Array): number {
  const tick = journal.tick(seq);
  const low = tick % 0x1_0000_0000, high = (tick - low) / 0x1_0000_0000;
  out[0] = CANONICAL_EVENT_VERSION;
  u32(out, 1, seq);
  u32(out, 5, low);
  u32(out, 9, high);
  out[13] = journal.type(seq);
  out[14] = journal.node(seq);
  u32(out, 15, journal.pid(seq));
  u32(out, 19, journal.cause(seq));
  u32(out, 23, journal.a(seq));
  u32(out, 27, journal.b(seq));
  u32(out, 31, journal.c(seq));
  return CANONICAL_EVENT_BYTES;
}

export function canonicalEvent(journal: Journal, seq: number): Uint8Array {
  const out = new Uint8Array(CANONICAL_EVENT_BYTES);
  canonicalEventInto(journal, seq, out);
  return out;
}

/** The event a canonical encoding holds (for checking a printed leaf against the journal). */
export function decodeCanonicalEvent(bytes: Uint8Array): { seq: number; tick: number; type: number; node: number; pid: number; cause: number; a: number; b: number; c: number } {
  if (bytes.length !== CANONICAL_EVENT_BYTES || bytes[0] !== CANONICAL_EVENT_VERSION) throw new RangeError(`not a version-${CANONICAL_EVENT_VERSION} canonical event (${bytes.length} bytes, version ${bytes[0]})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    seq: view.getUint32(1, true), tick: view.getUint32(5, true) + view.getUint32(9, true) * 0x1_0000_0000,
    type: bytes[13], node: bytes[14], pid: view.getInt32(15, true), cause: view.getInt32(19, true),
    a: view.getInt32(23, true), b: view.getInt32(27, true), c: view.getInt32(31, true),
  };
}

function u32(out: Uint8Array, offset: number, value: number): void {
  out[offset] = value & 0xff;
  out[offset + 1] = (value >>> 8) & 0xff;
  out[offset + 2] = (value >>> 16) & 0xff;
  out[offset + 3] = (value >>> 24) & 0xff;
}
