// The checkpoint file format: a Session (with every intervention of its branch) plus its journal,
// in one binary blob for IndexedDB and for export/import as a file. Snapshots are not stored:
// restoring re-executes the journal, which rebuilds them and proves the journal still matches
// this engine (a divergence is reported, not ignored).
//
//   byte 0      4          8          12          16                  16+S        16+S+J
//        ├──────┼──────────┼──────────┼───────────┼───────────────────┼───────────┤
//        │"AOSC"│ version  │ crc32 of │ session   │ session (UTF-8    │ journal   │
//        │      │ u32 LE   │ bytes 12…│ bytes S   │ JSON)             │ columns   │
import { crc32, hex32 } from './checksum';
import { PersistError } from './errors';
import { validateSession, SessionFormatError, type Session } from '../kernel/session';

export const CHECKPOINT_MAGIC = 0x43534f41; // "AOSC" little-endian
export const CHECKPOINT_VERSION = 1;
export const CHECKPOINT_FILE_EXTENSION = '.agentos';
const HEADER_BYTES = 16;

export interface CheckpointData {
  session: Session;
  /** Journal.encode() of the branch. */
  journal: Uint8Array;
}

export function encodeCheckpoint(data: CheckpointData): Uint8Array {
  const session = new TextEncoder().encode(JSON.stringify(data.session));
  const out = new Uint8Array(HEADER_BYTES + session.length + data.journal.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, CHECKPOINT_MAGIC, true);
  view.setUint32(4, CHECKPOINT_VERSION, true);
  view.setUint32(12, session.length, true);
  out.set(session, HEADER_BYTES);
  out.set(data.journal, HEADER_BYTES + session.length);
  view.setUint32(8, crc32(out.subarray(12)), true);
  return out;
}

/** The bytes a checkpoint's checksum covers: for a caller that computes it in slices (then passes it to decodeCheckpoint). */
export const checksummedBytes = (bytes: Uint8Array) => bytes.subarray(Math.min(12, bytes.length));

/**
 * Checks and splits a checkpoint; `source` names it in errors ("the file run.agentos").
 * `checksum`: crc32 of checksummedBytes(bytes), if the caller already computed it.
 */
export function decodeCheckpoint(bytes: Uint8Array, source: string, checksum?: number): CheckpointData {
  if (bytes.length < HEADER_BYTES) throw new PersistError('corrupt', `${source} is not an AgentOS checkpoint: it is only ${bytes.length} bytes long.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== CHECKPOINT_MAGIC) throw new PersistError('corrupt', `${source} is not an AgentOS checkpoint (it does not start with "AOSC").`);
  const version = view.getUint32(4, true);
  if (version > CHECKPOINT_VERSION) {
    throw new PersistError('too-new', `${source} was written by a newer AgentOS (checkpoint version ${version}; this app reads up to ${CHECKPOINT_VERSION}).`);
  }
  const expected = view.getUint32(8, true);
  const actual = checksum ?? crc32(bytes.subarray(12));
  if (expected !== actual) throw new PersistError('corrupt', `${source} is corrupt: checksum ${hex32(actual)} does not match the saved ${hex32(expected)}.`);
  const sessionBytes = view.getUint32(12, true);
  if (HEADER_BYTES + sessionBytes > bytes.length) throw new PersistError('corrupt', `${source} is truncated: its session needs ${sessionBytes} bytes.`);
  let session: Session;
  try {
    const json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + sessionBytes)));
    session = validateSession(json, source, { interventionsAfterCursor: true });
  } catch (error) {
    if (error instanceof SessionFormatError) throw new PersistError('corrupt', error.message);
    throw new PersistError('corrupt', `${source} is corrupt: its session is not valid JSON.`);
  }
  return { session, journal: bytes.slice(HEADER_BYTES + sessionBytes) };
}
