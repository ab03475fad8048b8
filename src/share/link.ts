// Session <-> share link: the Session as JSON, deflate-raw compressed (the platform's
// CompressionStream, in browsers and Node alike) and base64url-encoded in the URL fragment
// (#s=...), so it never reaches a server. Decoding untrusted links fails with a clear message.
import { SessionFormatError, validateSession, type Session } from '../kernel/session';

export const LINK_PARAM = 's';
/** Longest fragment we accept (browsers allow more; a session is a few KB at most). */
export const LINK_CHARS_MAX = 2_000_000;
const DECOMPRESSED_BYTES_MAX = 8 * 1024 * 1024;

export class LinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LinkError';
  }
}

export async function encodeSessionLink(session: Session, base: string): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(session));
  const compressed = await pipe(json, new CompressionStream('deflate-raw'));
  const url = new URL(base);
  url.hash = `${LINK_PARAM}=${toBase64Url(compressed)}`;
  return url.toString();
}

/** The Session in a link (or in a bare fragment like "#s=..."). */
export async function decodeSessionLink(link: string): Promise<Session> {
  const hashIndex = link.indexOf('#');
  const fragment = hashIndex >= 0 ? link.slice(hashIndex + 1) : link;
  if (fragment.length > LINK_CHARS_MAX) throw new LinkError(`The link is too long (${fragment.length} characters; at most ${LINK_CHARS_MAX}).`);
  const params = new URLSearchParams(fragment);
  const payload = params.get(LINK_PARAM);
  if (!payload) throw new LinkError(`The link has no session in it (expected "#${LINK_PARAM}=..." after the address).`);
  const bad = /[^A-Za-z0-9_-]/.exec(payload);
  if (bad) throw new LinkError(`The link is damaged: "${bad[0]}" at position ${bad.index + 1} of its session data is not a base64url character.`);
  const bytes = fromBase64Url(payload);
  let json: Uint8Array;
  try {
    json = await pipe(bytes, new DecompressionStream('deflate-raw'), DECOMPRESSED_BYTES_MAX);
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
  try {
    return validateSession(data, 'The link');
  } catch (error) {
    if (error instanceof SessionFormatError) throw new LinkError(error.message);
    throw error;
  }
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
      throw new LinkError(`The link's session data expands to more than ${outputMax} bytes; it is not a session.`);
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
