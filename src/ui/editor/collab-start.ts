// What the shared draft needs once it starts, fetched then (a chunk of its own, off the first
// load): the CRDT (src/crdt, src/collab), the wasm core compiled for the page, fast-diff, and
// the conversions between CodeMirror's UTF-16 offsets and the CRDT's code points.
import type { ChangeSpec } from '@codemirror/state';
import diff from 'fast-diff';
import wasmUrl from '../../../build/core/release.wasm?url';
import { setCrdtWasmModule } from '../../crdt';
import { CollabSession, type CollabSessionOptions, type Edit, type SavedDoc } from '../../collab/session';
import { openDraftChannel, type DraftChannel } from '../../collab/channel';
import { isGeneration, MESSAGE_BYTES_MAX } from '../../collab/protocol';

export { MESSAGE_BYTES_MAX };

/** The edits that turn `from` into `to` (a minimal diff, fast-diff), in code points. */
export function diffEdits(from: string, to: string): Edit[] {
  const edits: Edit[] = [];
  let at = 0;
  for (const [op, part] of diff(from, to)) {
    const points = [...part].length;
    if (op === diff.EQUAL) { at += points; continue; }
    const last = edits[edits.length - 1];
    const merge = last !== undefined && last.at + [...last.insert].length === at;
    if (op === diff.DELETE) {
      if (merge && last.insert === '') last.remove += points;
      else edits.push({ at, remove: points, insert: '' });
    } else {
      if (merge) last.insert += part;
      else edits.push({ at, remove: 0, insert: part });
      at += points;
    }
  }
  return edits;
}

/** The CodeMirror changes (UTF-16 offsets of `from`) that turn `from` into `to`. */
export function diffChanges(from: string, to: string): ChangeSpec[] {
  const changes: ChangeSpec[] = [];
  let pos = 0;
  for (const [op, part] of diff(from, to)) {
    if (op === diff.EQUAL) pos += part.length;
    else if (op === diff.DELETE) { changes.push({ from: pos, to: pos + part.length }); pos += part.length; }
    else changes.push({ from: pos, insert: part });
  }
  return changes;
}

let compiling: Promise<WebAssembly.Module> | undefined;
function compileCore(): Promise<WebAssembly.Module> {
  return (compiling ??= WebAssembly.compileStreaming(fetch(wasmUrl)).catch(async () => WebAssembly.compile(await (await fetch(wasmUrl)).arrayBuffer())));
}

function randomHex16(): string {
  const words = crypto.getRandomValues(new Uint32Array(2));
  return Array.from(words, (word) => word.toString(16).padStart(8, '0')).join('');
}

function randomReplicaId(): number {
  for (;;) {
    const [id] = crypto.getRandomValues(new Uint32Array(1));
    if (id !== 0) return id;
  }
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Joins the other tabs: compiles the core, opens the channel, seeds the session (undefined where tabs cannot share). */
export async function startSession(
  text: string,
  saved: { gen: unknown; state: unknown } | undefined,
  onRemoteChange: CollabSessionOptions['onRemoteChange'],
): Promise<{ session: CollabSession; channel: DraftChannel } | undefined> {
  if (typeof BroadcastChannel === 'undefined') return undefined;
  try {
    setCrdtWasmModule(await compileCore());
  } catch {
    return undefined;
  }
  let savedDoc: SavedDoc | undefined;
  try {
    if (saved && isGeneration(saved.gen) && typeof saved.state === 'string') savedDoc = { gen: saved.gen, state: fromBase64(saved.state) };
  } catch { /* a damaged record: the text alone seeds the doc */ }
  let session: CollabSession | undefined;
  const channel = openDraftChannel((raw) => session?.receive(raw));
  if (!channel) return undefined;
  session = new CollabSession({ replicaId: randomReplicaId(), post: (message) => channel.post(message), newGenerationId: randomHex16, onRemoteChange }, text, savedDoc);
  return { session, channel };
}
