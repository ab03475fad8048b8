// Session <-> share link. The Session as JSON, deflate-raw compressed (the platform's
// CompressionStream, in browsers and Node alike), checksummed and base64url-encoded in the URL
// fragment, so it never reaches a server. Decoding untrusted links fails with a clear message.
//
// Link format 2 (written since the checksum came): `#s2=` + base64url of
//
//   byte 0     1        2 … n-5                      n-4 … n-1
//        ├─────┼────────┼────────────────────────────┼──────────────────────────┤
//        │0x17 │ flags  │ deflate-raw(Session JSON)  │ CRC-32 (u32 LE) of bytes │
//        │     │        │                            │ 0 … n-5                  │
//
// - 0x17 = (2 << 3) | 0b111: the format, in a byte whose low bits say "deflate block type 3",
//   which no deflate stream starts with; a format-2 payload read as format 1 (say `#s2=` lost
//   its "2") therefore fails at once instead of inflating to something else.
// - flags: bit 0 set: the audit root (src/audit): 32 bytes of the RFC 6962 Merkle root at the
//   cursor follow the flags, inside the checksum, and the JSON has no "root". Opening the link
//   replays it and refuses it unless the replay reaches that root, so a link changed in a way its
//   CRC cannot see (recomputed, or a collision) still does not open as another run. Links without
//   the flag (made before it) open as before. A reader refuses a flag it does not know as "made
//   by a newer AgentOS". With the root:
//
//   byte 0     1        2 … 33                 34 … n-5                   n-4 … n-1
//        ├─────┼────────┼──────────────────────┼──────────────────────────┼─────────┤
//        │0x17 │ 0x01   │ Merkle root (SHA-256)│ deflate-raw(JSON, no root)│ CRC-32  │
// - The CRC-32 catches every change confined to 32 consecutive bits, so any one substituted
//   character (6 bits), with certainty, and any other damage (a deleted or inserted character,
//   a truncation) but for a chance of 2^-32. It guards against accidents, not forgery: anyone
//   can recompute it (stored links and files are data only, never executed).
//
// Format 1 (`#s=` + base64url(deflate-raw(JSON)), before the checksum) still opens, because such
// links were shared and kept as recovery points; the opener is told plainly that it could not
// be checked (LinkContents.warning).
import { deflateSync } from 'fflate';
import { crc32, hex32 } from '../persist/checksum';
import { ROOT_PATTERN, SessionFormatError, validateSession, type Session } from '../kernel/session';

/** The fragment key of the format this app writes; `s` is format 1. */
export const LINK_PARAM = 's2';
export const LINK_FORMAT = 2;
const LINK_MARKER = (LINK_FORMAT << 3) | 0b111;
const LINK_HEADER_BYTES = 2;
const LINK_CHECKSUM_BYTES = 4;
/** Flags this reader knows: bit 0, the audit root follows the flags. */
const LINK_FLAG_ROOT = 1;
const LINK_FLAGS_KNOWN = LINK_FLAG_ROOT;
const ROOT_BYTES = 32;

/** Longest link we accept, in characters (browsers allow more; a session is a few KB at most). */
export const LINK_CHARS_MAX = 2_000_000;
/** Most bytes a link's session may decompress to; the inflater is stopped as soon as it passes this. */
export const LINK_JSON_BYTES_MAX = 8 * 1024 * 1024;

export class LinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LinkError';
  }
}

export interface LinkContents {
  session: Session;
  format: 1 | 2;
  /** Set when the link could not be checked (format 1): say it to the person opening it. */
  warning?: string;
}

export const UNCHECKED_LINK_WARNING =
  'This link is in the old format without a checksum, so damage to it cannot be detected: check this is the run you expected, and share it again for a checked link.';

export async function encodeSessionLink(session: Session, base: string): Promise<string> {
  const { root, ...rest } = session;
  const json = new TextEncoder().encode(JSON.stringify(rest));
  // fflate's raw DEFLATE rather than the platform's CompressionStream: the same bytes in every
  // browser and in Node, so a link (a sweep line's, a hall of fame's) is the same text wherever it
  // was made. Opening still inflates with DecompressionStream: DEFLATE is DEFLATE.
  const compressed = deflateSync(json, { level: 9 });
  const rootBytes = root === undefined ? 0 : ROOT_BYTES;
  const bytes = new Uint8Array(LINK_HEADER_BYTES + rootBytes + compressed.length + LINK_CHECKSUM_BYTES);
  bytes[0] = LINK_MARKER;
  bytes[1] = root === undefined ? 0 : LINK_FLAG_ROOT;
  if (root !== undefined) {
    if (!ROOT_PATTERN.test(root)) throw new RangeError(`a session's root must be 64 lowercase hex digits, not "${root.slice(0, 70)}"`);
    for (let i = 0; i < ROOT_BYTES; i++) bytes[LINK_HEADER_BYTES + i] = parseInt(root.slice(2 * i, 2 * i + 2), 16);
  }
  bytes.set(compressed, LINK_HEADER_BYTES + rootBytes);
  const end = bytes.length - LINK_CHECKSUM_BYTES;
  new DataView(bytes.buffer).setUint32(end, crc32(bytes.subarray(0, end)), true);
  const url = new URL(base);
  url.hash = `${LINK_PARAM}=${toBase64Url(bytes)}`;
  return url.toString();
}

export { isSessionFragment } from './fragment';

/** The Session in a link (or in a bare fragment like "#s2=..."). */
export async function decodeSessionLink(link: string): Promise<Session> {
  return (await readSessionLink(link)).session;
}

/** The Session in a link, with its format and, for a link that could not be checked, a warning. */
export async function readSessionLink(link: string): Promise<LinkContents> {
  if (link.length > LINK_CHARS_MAX) throw new LinkError(`The link is too long (${link.length} characters; at most ${LINK_CHARS_MAX}).`);
  const { format, payload } = sessionParam(percentDecoded(link.trim()));
  const bytes = fromBase64Url(cleanPayload(payload));
  let compressed = bytes;
  let root: string | undefined;
  if (format === 2) {
    if (bytes.length < LINK_HEADER_BYTES + LINK_CHECKSUM_BYTES) throw new LinkError('The link is truncated: its session data is too short to hold a session.');
    const end = bytes.length - LINK_CHECKSUM_BYTES;
    const saved = new DataView(bytes.buffer, bytes.byteOffset).getUint32(end, true);
    const actual = crc32(bytes.subarray(0, end));
    if (saved !== actual) {
      throw new LinkError(`The link is damaged or truncated: its checksum does not match (${hex32(actual)}, saved ${hex32(saved)}). Ask for the link again; it was not opened.`);
    }
    if (bytes[0] !== LINK_MARKER) throw new LinkError('The link is damaged: its session data does not start like a format-2 link.');
    if (bytes[1] & ~LINK_FLAGS_KNOWN) throw new LinkError(`The link was made by a newer AgentOS (it uses link features ${hex32(bytes[1])} this app does not know). Update AgentOS to open it.`);
    let start = LINK_HEADER_BYTES;
    if (bytes[1] & LINK_FLAG_ROOT) {
      if (end - start < ROOT_BYTES) throw new LinkError('The link is damaged: it announces a Merkle root but is too short to hold one.');
      root = Array.from(bytes.subarray(start, start + ROOT_BYTES), (byte) => byte.toString(16).padStart(2, '0')).join('');
      start += ROOT_BYTES;
    }
    compressed = bytes.subarray(start, end);
  }
  let json: Uint8Array;
  try {
    json = await pipe(compressed, new DecompressionStream('deflate-raw'), LINK_JSON_BYTES_MAX);
  } catch (error) {
    if (error instanceof LinkError) throw error;
    throw new LinkError('The link is truncated or damaged: its session data could not be decompressed.');
  }
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    throw new LinkError('The link is damaged: its session data is not valid JSON.');
  }
  let session: Session;
  try {
    if (typeof data === 'object' && data !== null && 'root' in data) throw new SessionFormatError('The link is damaged: its session carries a root outside the place links keep it');
    session = validateSession(data, 'The link');
    if (root !== undefined) session = { ...session, root };
  } catch (error) {
    if (error instanceof SessionFormatError) throw new LinkError(error.message);
    throw error;
  }
  return format === 2 ? { session, format } : { session, format, warning: UNCHECKED_LINK_WARNING };
}

/**
 * `%XX` escapes decoded (a chat app or a mail client may have escaped the link, "#" included).
 * Decoded one escape at a time, so a stray "%" is named instead of throwing URIError.
 */
function percentDecoded(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(/%(..)?/gs, (match, hex: string | undefined, offset: number) => {
    if (!hex || !/^[0-9A-Fa-f]{2}$/.test(hex)) throw new LinkError(`The link is damaged: the "%" at position ${offset + 1} is not followed by two hexadecimal digits.`);
    return String.fromCharCode(parseInt(hex, 16));
  });
}

/** The session entry of the fragment ("s2=..." or "s=..."), read by hand: URLSearchParams would turn "+" into a space. */
function sessionParam(link: string): { format: 1 | 2; payload: string } {
  const hashIndex = link.indexOf('#');
  const fragment = hashIndex >= 0 ? link.slice(hashIndex + 1) : link;
  const found: { format: number; payload: string }[] = [];
  for (const entry of fragment.split('&')) {
    const match = /^s(\d{0,6})=/.exec(entry);
    if (match) found.push({ format: match[1] === '' ? 1 : match[1] === '1' || match[1].startsWith('0') ? 0 : Number(match[1]), payload: entry.slice(match[0].length) });
  }
  if (found.length === 0) throw new LinkError(`The link has no session in it (expected "#${LINK_PARAM}=..." after the address).`);
  if (found.length > 1) throw new LinkError('The link is damaged: it holds more than one session.');
  const [{ format, payload }] = found;
  if (format > LINK_FORMAT) throw new LinkError(`The link was made by a newer AgentOS (link format ${format}; this app reads up to ${LINK_FORMAT}). Update AgentOS to open it.`);
  if (format !== 1 && format !== 2) throw new LinkError(`The link is damaged: "s${format}=" is not a session link format.`);
  return { format, payload };
}

/**
 * The payload as base64url. What cannot change its bytes is forgiven: white space (a link wrapped
 * by a mail client), "=" padding, and the standard base64 alphabet's "+" and "/" for "-" and "_".
 */
function cleanPayload(payload: string): string {
  const text = payload.replace(/[ \t\r\n]/g, '').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  const bad = /[^A-Za-z0-9_-]/.exec(text);
  if (bad) throw new LinkError(`The link is damaged: "${bad[0]}" at position ${bad.index + 1} of its session data is not a base64url character.`);
  return text;
}

async function pipe(input: Uint8Array, transform: CompressionStream | DecompressionStream, outputMax = Infinity): Promise<Uint8Array> {
  const writer = transform.writable.getWriter();
  const written = writer.write(input as Uint8Array<ArrayBuffer>).then(() => writer.close());
  written.catch(() => undefined); // the reader reports the failure
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = transform.readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > outputMax) {
      await reader.cancel();
      throw new LinkError(`The link's session data expands to more than ${outputMax} bytes (a link may hold at most ${outputMax}); it was not opened.`);
    }
    chunks.push(value);
  }
  await written;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    throw new LinkError('The link is damaged: its session data has a length no base64url text can have (truncated?).');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
