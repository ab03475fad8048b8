// The tab-to-tab protocol of a shared spec draft: what goes over the BroadcastChannel, checked on
// arrival (another version, another shape or more than MESSAGE_BYTES_MAX bytes is refused, never
// applied). Pure data: no channel, no doc (session.ts applies what this accepts).

/** Bumped for any change to the messages below; a tab ignores messages of another version. */
export const COLLAB_PROTOCOL_VERSION = 1;
/** The largest CRDT encoding one message carries (the CRDT core's IO buffer is as large). */
export const MESSAGE_BYTES_MAX = 1 << 20;
/** Deltas kept while they wait for changes they build on; past this, the oldest go and the tab asks again. */
export const PENDING_DELTAS_MAX = 256;

/**
 * Which draft the tabs share. A load (an example, a link, a restored run) starts a new
 * generation (n + 1, a random id); a draft restored from the browser without one gets
 * (0, hash of its text), so tabs restoring the same text start from the same doc. The greater
 * generation wins: n first, then the id.
 */
export interface Generation {
  n: number;
  /** 16 lowercase hex digits. */
  id: string;
}

export type Message =
  /** "I am here, this is what I have": peers answer with a `state` addressed to the sender. */
  | { v: typeof COLLAB_PROTOCOL_VERSION; kind: 'hello'; from: number; gen: Generation; sv: Uint8Array }
  /**
   * What `to` lacks (a delta against its state vector, or the whole state when `full`, for a
   * tab on an older generation), and the sender's state vector so `to` can send back what the
   * sender lacks. `to` = 0: every tab (a new generation).
   */
  | { v: typeof COLLAB_PROTOCOL_VERSION; kind: 'state'; from: number; to: number; gen: Generation; full: boolean; sv: Uint8Array; bytes: Uint8Array }
  /** A writer's own edits of one transaction (TextDoc.takeChanges), to every tab. */
  | { v: typeof COLLAB_PROTOCOL_VERSION; kind: 'delta'; from: number; gen: Generation; bytes: Uint8Array };

const GEN_ID = /^[0-9a-f]{16}$/;
const GEN_N_MAX = 0x7fffffff;

export function compareGenerations(a: Generation, b: Generation): number {
  if (a.n !== b.n) return a.n < b.n ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function isGeneration(value: unknown): value is Generation {
  if (typeof value !== 'object' || value === null) return false;
  const gen = value as Record<string, unknown>;
  return Number.isInteger(gen.n) && (gen.n as number) >= 0 && (gen.n as number) <= GEN_N_MAX && typeof gen.id === 'string' && GEN_ID.test(gen.id);
}

/** A replica id a tab may use: 1 .. 2^32-1 (0 writes the seeded text of generation 0). */
export function isTabReplicaId(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 0xffffffff;
}

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length <= MESSAGE_BYTES_MAX;
}

/** The message `raw` is, or why it is not one (then it is ignored). */
export function parseMessage(raw: unknown): Message | string {
  if (typeof raw !== 'object' || raw === null) return 'not an object';
  const m = raw as Record<string, unknown>;
  if (m.v !== COLLAB_PROTOCOL_VERSION) return `protocol version ${String(m.v)} (this tab speaks ${COLLAB_PROTOCOL_VERSION})`;
  if (!isTabReplicaId(m.from)) return 'no valid sender';
  if (!isGeneration(m.gen)) return 'no valid generation';
  switch (m.kind) {
    case 'hello':
      if (!isBytes(m.sv)) return 'hello without a state vector (or one too large)';
      return { v: COLLAB_PROTOCOL_VERSION, kind: 'hello', from: m.from, gen: m.gen, sv: m.sv };
    case 'state':
      if (m.to !== 0 && !isTabReplicaId(m.to)) return 'state for no valid tab';
      if (typeof m.full !== 'boolean') return 'state without full';
      if (!isBytes(m.sv) || !isBytes(m.bytes)) return `state larger than ${MESSAGE_BYTES_MAX} bytes, or without bytes`;
      return { v: COLLAB_PROTOCOL_VERSION, kind: 'state', from: m.from, to: m.to as number, gen: m.gen, full: m.full, sv: m.sv, bytes: m.bytes };
    case 'delta':
      if (!isBytes(m.bytes)) return `delta larger than ${MESSAGE_BYTES_MAX} bytes, or without bytes`;
      return { v: COLLAB_PROTOCOL_VERSION, kind: 'delta', from: m.from, gen: m.gen, bytes: m.bytes };
    default:
      return `unknown kind ${String(m.kind)}`;
  }
}
