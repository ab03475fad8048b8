// The envelope every stored value travels in: a format version, a kind, the encoded bytes and
// their checksum. Pure functions, no IndexedDB, so the rules are unit-testable.
import { crc32, hex32 } from './checksum';
import { PersistError } from './errors';

/**
 * Version of the envelope and body encoding this app writes and the newest it can read.
 * 1: the body is in the record (json, or bytes); 2: also 'blob', whose body is a Blob in the
 * bodies store (schema.ts), checked against the record's checksum when it is loaded.
 */
export const RECORD_FORMAT = 2;

export interface StoredRecord {
  id: string;
  format: number;
  kind: string;
  /** Wall-clock time of the save: UI metadata only, never fed to the kernel. */
  savedAtMs: number;
  byteLength: number;
  checksum: number;
  /** 'json': UTF-8 JSON of the value; 'bytes': opaque bytes; 'blob': opaque bytes kept in the bodies store. Absent means json. */
  encoding?: 'json' | 'bytes' | 'blob';
  /** Short metadata for listings (a checkpoint's run key and cursor); not part of the body. */
  tag?: string;
  /** Absent for 'blob' records (their body is in the bodies store). */
  body?: Uint8Array;
}

export interface RecordSummary {
  id: string;
  kind: string;
  savedAtMs: number;
  byteLength: number;
  tag?: string;
}

/** Longest tag a record carries (it is listed with every record, so it stays small). */
export const RECORD_TAG_CHARS_MAX = 256;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeRecord(id: string, kind: string, value: unknown, savedAtMs: number): StoredRecord {
  const body = encoder.encode(JSON.stringify(value));
  return { id, format: RECORD_FORMAT, kind, savedAtMs, byteLength: body.length, checksum: crc32(body), encoding: 'json', body };
}

/** The record of bytes whose body is stored apart, as a Blob (see schema.ts BODIES_STORE). */
export function encodeBlobRecord(id: string, kind: string, byteLength: number, checksum: number, savedAtMs: number, tag?: string): StoredRecord {
  if (tag !== undefined && tag.length > RECORD_TAG_CHARS_MAX) throw new RangeError(`a record tag has at most ${RECORD_TAG_CHARS_MAX} characters (got ${tag.length})`);
  const record: StoredRecord = { id, format: RECORD_FORMAT, kind, savedAtMs, byteLength, checksum, encoding: 'blob' };
  if (tag !== undefined) record.tag = tag;
  return record;
}

/** Checks the envelope of a 'blob' record (its body is checked by checkBlobBody when loaded). */
function checkBlobEnvelope(where: string, record: Partial<StoredRecord>): void {
  if (!Number.isSafeInteger(record.byteLength) || (record.byteLength as number) < 0) throw corrupt(where, 'its length is missing');
  if (!Number.isInteger(record.checksum)) throw corrupt(where, 'its checksum is missing');
}

/** Checks a 'blob' record's body, read from the bodies store; throws PersistError naming it. */
export function checkBlobBody(store: string, record: StoredRecord, body: Uint8Array | undefined, checksum: number | undefined): Uint8Array {
  const where = describe(store, record);
  if (!body || checksum === undefined) throw corrupt(where, 'its contents are missing');
  if (body.length !== record.byteLength) throw corrupt(where, `it holds ${body.length} bytes but was saved with ${record.byteLength} (truncated?)`);
  if (checksum !== record.checksum) throw corrupt(where, `checksum ${hex32(checksum)} does not match the saved ${hex32(record.checksum)}`);
  return body;
}

/**
 * Checks a record read from `store` and returns its value; throws PersistError naming it.
 * `bodyChecksum`: crc32 of its body if the caller computed it already (in slices, for large bodies).
 * A 'blob' record's envelope is checked and its value is undefined: its body is loaded apart.
 */
export function decodeRecord<T = unknown>(store: string, raw: unknown, bodyChecksum?: number): { record: StoredRecord; value: T } {
  const where = describe(store, raw);
  if (typeof raw !== 'object' || raw === null) throw corrupt(where, 'it is not an object');
  const record = raw as Partial<StoredRecord>;
  if (!Number.isInteger(record.format) || (record.format as number) < 1) throw corrupt(where, 'its format version is missing');
  if ((record.format as number) > RECORD_FORMAT) {
    throw new PersistError(
      'too-new',
      `${where} was written by a newer AgentOS (record format ${record.format}; this app reads up to ${RECORD_FORMAT}). ` +
        'Update AgentOS to open it; it was left untouched.',
    );
  }
  if (record.encoding === 'blob') {
    checkBlobEnvelope(where, record);
    return { record: record as StoredRecord, value: undefined as T };
  }
  if (!(record.body instanceof Uint8Array)) throw corrupt(where, 'its contents are missing');
  if (record.body.length !== record.byteLength) {
    throw corrupt(where, `it holds ${record.body.length} bytes but was saved with ${record.byteLength} (truncated?)`);
  }
  const actual = bodyChecksum ?? crc32(record.body);
  if (actual !== record.checksum) {
    throw corrupt(where, `checksum ${hex32(actual)} does not match the saved ${hex32(record.checksum ?? 0)}`);
  }
  if (record.encoding === 'bytes') return { record: record as StoredRecord, value: record.body as T };
  let value: T;
  try {
    value = JSON.parse(decoder.decode(record.body)) as T;
  } catch (error) {
    throw corrupt(where, `its contents are not valid JSON (${(error as Error).message})`);
  }
  return { record: record as StoredRecord, value };
}

export function summarize(record: StoredRecord): RecordSummary {
  const summary: RecordSummary = { id: record.id, kind: record.kind, savedAtMs: record.savedAtMs, byteLength: record.byteLength };
  if (typeof record.tag === 'string') summary.tag = record.tag.slice(0, RECORD_TAG_CHARS_MAX);
  return summary;
}

function describe(store: string, raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : '?';
  return `Stored record "${id}" in ${store}`;
}

function corrupt(where: string, why: string): PersistError {
  return new PersistError('corrupt', `${where} is corrupt: ${why}. It was left untouched; other records are not affected.`);
}
