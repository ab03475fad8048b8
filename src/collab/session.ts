// One tab's replica of the shared spec draft: a TextDoc per generation, what it sends after each
// local transaction, and what it does with every message of protocol.ts (apply, keep until
// ready, answer a hello, adopt a newer generation, offer the whole state to a tab that is behind).
// Positions are Unicode code points (TextDoc's); the editor binding converts.
import { CrdtError, TextDoc } from '../crdt';
import {
  COLLAB_PROTOCOL_VERSION, MESSAGE_BYTES_MAX, PENDING_DELTAS_MAX, compareGenerations, isGeneration, isTabReplicaId, parseMessage,
  type Generation, type Message,
} from './protocol';

/** One local change, in code points of the text as earlier edits of the same batch left it. */
export interface Edit {
  at: number;
  remove: number;
  insert: string;
}

/** What a saved draft keeps of the shared doc, so tabs restoring it later merge with the others. */
export interface SavedDoc {
  gen: Generation;
  state: Uint8Array;
}

export interface CollabSessionOptions {
  /** This tab's replica id (1 .. 2^32-1, random per tab). */
  replicaId: number;
  /** Sends a message to every other tab (the BroadcastChannel). */
  post: (message: Message) => void;
  /** 16 random hex digits: the id of a generation this tab starts. */
  newGenerationId: () => string;
  /** A peer changed the text (its edits, or a generation adopted); `previous` is the text before. */
  onRemoteChange?: (previous: string) => void;
  /** Live runs the doc may hold (default 2^16). */
  itemsMax?: number;
  /** Code points ever inserted the doc may hold (default 2^20). */
  charsMax?: number;
  /**
   * Items (runs, tombstones included) past which a local edit compacts the doc: a new generation
   * from the text alone (default COMPACT_ITEMS; Infinity: never).
   */
  compactItems?: number;
}

/** Items past which the doc is compacted: tombstones of a long session are collected (README). */
export const COMPACT_ITEMS = 4096;
/** The private core of every doc of a session (one options object: a disposed doc's core serves the next). */
const DOC_CORE = { ioBytes: MESSAGE_BYTES_MAX + 1024 };

/** Older generations a session keeps docs of, to carry edits over from (the oldest go first). */
const OLDER_MAX = 4;
/** Tabs a session remembers having sent its whole state to in this generation (then it forgets them all). */
const OFFERED_MAX = 1024;

/** Reads a state vector (var count, count × (var replica, var nextSeq)) into a map. */
export function readStateVector(bytes: Uint8Array): Map<number, number> {
  const map = new Map<number, number>();
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (at >= bytes.length) throw new RangeError('state vector truncated');
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new RangeError('state vector varint too long');
  };
  const count = varint();
  for (let i = 0; i < count; i++) map.set(varint(), varint());
  return map;
}

export class CollabSession {
  readonly replicaId: number;
  #options: CollabSessionOptions;
  #doc: TextDoc;
  #gen: Generation;
  #text: string | undefined;
  #pending: Uint8Array[] = [];
  /** Deltas of a newer generation that came before its whole state (kept for when it does). */
  #ahead: { gen: Generation; bytes: Uint8Array }[] = [];
  /** A hello asking the others for what this tab misses is out and not yet answered by progress. */
  #asked = false;
  #offered = new Set<number>();
  /**
   * Older generations this tab knows while it holds the generation it created: the one it
   * compacted away and any started at the same time that lost to it (their whole states came
   * here), kept to carry over edits still on their way in them. At most OLDER_MAX.
   */
  #older: { gen: Generation; doc: TextDoc }[] = [];
  /** An edit being carried over is sent marked, so no other creator carries it over again. */
  #carrying = false;
  /** The newer generation this tab asked for last (once each). */
  #askedFor = '';
  #closed = false;
  /** Messages refused (malformed, other version, too large) and the last reason: for tests and the status line. */
  readonly refused = { count: 0, last: '' };

  /**
   * Seeds the doc from the draft this tab restored (`saved`: its doc, when it was saved with one
   * that reads back as `text`; else generation 0 of `text`) and says hello.
   */
  constructor(options: CollabSessionOptions, text: string, saved?: SavedDoc) {
    if (!isTabReplicaId(options.replicaId)) throw new RangeError(`replicaId must be 1..2^32-1, got ${options.replicaId}`);
    this.replicaId = options.replicaId;
    this.#options = options;
    const restored = saved && isGeneration(saved.gen) ? this.#docFrom(saved.state, text) : undefined;
    if (restored && saved) {
      this.#doc = restored;
      this.#gen = { ...saved.gen };
    } else {
      const seeded = this.#seed(text);
      this.#doc = seeded.doc;
      this.#gen = { n: 0, id: seeded.hash };
    }
    this.#hello();
  }

  get generation(): Generation { return { ...this.#gen }; }
  get text(): string { return (this.#text ??= this.#doc.toString()); }
  /** Deltas waiting for changes they build on. */
  get pendingCount(): number { return this.#pending.length; }
  /** The doc itself (tests: item counts, hashes). */
  get doc(): TextDoc { return this.#doc; }

  /** The doc as a saved draft keeps it. */
  save(): SavedDoc {
    return { gen: { ...this.#gen }, state: this.#doc.encodeState() };
  }

  /**
   * Applies this tab's edits of one transaction and sends them. Throws (a CrdtError: the doc is
   * full, too many replicas; a RangeError: positions outside the text) with the doc unchanged
   * from the edits that failed on; the caller then starts a generation with its text (`replace`).
   */
  edit(edits: readonly Edit[]): void {
    if (this.#closed || edits.length === 0) return;
    this.#text = undefined;
    for (const edit of edits) {
      if (edit.remove > 0) this.#doc.delete(edit.at, edit.remove);
      if (edit.insert !== '') this.#doc.insert(edit.at, edit.insert);
    }
    const bytes = this.#doc.takeChanges();
    if (bytes.length > MESSAGE_BYTES_MAX) throw new CrdtError(-6, `collab delta of ${bytes.length} bytes`);
    this.#post({ v: COLLAB_PROTOCOL_VERSION, kind: 'delta', from: this.replicaId, gen: this.#gen, bytes, ...(this.#carrying ? { carried: true } : {}) });
    if (this.#doc.itemCount() > (this.#options.compactItems ?? COMPACT_ITEMS)) this.compact();
  }

  /**
   * Collects the tombstones: a new generation from the text alone, which every tab adopts. Edits
   * other tabs made in the old generation before they saw the new one still arrive here: this
   * tab applies them to the old doc and carries them over as its own edits.
   */
  compact(): void {
    if (this.#closed) return;
    const previous = { gen: this.#gen, doc: this.#doc };
    this.#newGeneration(this.text);
    this.#older = [previous];
  }

  /**
   * Starts a new generation holding `text` (a load: an example, a link, a restored run; or the
   * doc is full) and sends it whole: every tab on an older generation adopts it.
   */
  replace(text: string): void {
    if (this.#closed) return;
    const dropped = this.#doc;
    this.#newGeneration(text);
    dropped.dispose();
  }

  /** A new generation holding `text`, sent whole; the older ones kept are dropped (not the current doc). */
  #newGeneration(text: string): void {
    const seeded = this.#seed(text);
    this.#doc = seeded.doc;
    this.#text = text;
    this.#gen = { n: Math.min(this.#gen.n + 1, 0x7fffffff), id: this.#options.newGenerationId() };
    this.#dropOlder();
    this.#pending = [];
    this.#offered.clear();
    this.#sendState(0, true, undefined);
  }

  /**
   * Forgets the older generations kept, disposing their docs: each private core is handed on to
   * the next doc this tab makes (TextDoc.dispose), which empties it in place instead of taking a
   * fresh wasm instance and leaving the old one to the garbage collector.
   */
  #dropOlder(): void {
    for (const older of this.#older) older.doc.dispose();
    this.#older = [];
  }

  /** Stops: no more messages out, none applied. */
  close(): void {
    this.#closed = true;
    this.#pending = [];
  }

  /** One message from another tab (anything: it is checked first). */
  receive(raw: unknown): void {
    if (this.#closed) return;
    const message = parseMessage(raw);
    if (typeof message === 'string') return this.#refuse(message);
    if (message.from === this.replicaId) return; // another tab drew the same id (README: collisions)
    if (message.kind === 'state' && message.to !== 0 && message.to !== this.replicaId) return;
    const order = compareGenerations(message.gen, this.#gen);
    if (order < 0) {
      this.#fromOlder(message);
      // it is behind: it gets the whole doc, once per generation (it adopts it)
      if (!this.#offered.has(message.from)) {
        if (this.#offered.size >= OFFERED_MAX) this.#offered.clear();
        this.#offered.add(message.from);
        this.#sendState(message.from, true, undefined);
      }
      return;
    }
    if (order > 0) {
      if (message.kind === 'state' && message.full) return this.#adopt(message.gen, message.bytes);
      if (message.kind !== 'hello') {
        if (this.#ahead.length >= PENDING_DELTAS_MAX) this.#ahead.shift();
        this.#ahead.push({ gen: { ...message.gen }, bytes: message.bytes });
      }
      // a newer draft exists: ask for it, once (its tabs answer a hello from an older generation with the whole doc)
      const key = `${message.gen.n}:${message.gen.id}`;
      if (this.#askedFor !== key) { this.#askedFor = key; this.#hello(); }
      return;
    }
    switch (message.kind) {
      case 'hello':
        return this.#sendState(message.from, false, message.sv);
      case 'state':
        this.#apply(message.bytes);
        // what the sender lacks (deletes are not in state vectors, so this is sent every time: one message)
        if (!message.full) this.#sendDelta(message.sv);
        return;
      case 'delta':
        return this.#apply(message.bytes);
    }
  }

  #post(message: Message): void {
    if (!this.#closed) this.#options.post(message);
  }

  #hello(): void {
    this.#asked = true;
    this.#post({ v: COLLAB_PROTOCOL_VERSION, kind: 'hello', from: this.replicaId, gen: this.#gen, sv: this.#doc.stateVector() });
  }

  #sendState(to: number, full: boolean, sv: Uint8Array | undefined): void {
    const bytes = full || sv === undefined ? this.#doc.encodeState() : this.#encodeDelta(sv);
    if (bytes === undefined || bytes.length > MESSAGE_BYTES_MAX) return; // README: a draft too large to share
    this.#post({ v: COLLAB_PROTOCOL_VERSION, kind: 'state', from: this.replicaId, to, gen: this.#gen, full: full || sv === undefined, sv: this.#doc.stateVector(), bytes });
  }

  #sendDelta(sv: Uint8Array): void {
    const bytes = this.#encodeDelta(sv);
    if (bytes === undefined || bytes.length > MESSAGE_BYTES_MAX) return;
    this.#post({ v: COLLAB_PROTOCOL_VERSION, kind: 'delta', from: this.replicaId, gen: this.#gen, bytes });
  }

  /** The delta a tab with state vector `sv` lacks; undefined if `sv` is not one. */
  #encodeDelta(sv: Uint8Array): Uint8Array | undefined {
    try {
      return this.#doc.encodeDelta(sv);
    } catch (error) {
      this.#refuse(`state vector: ${(error as Error).message}`);
      return undefined;
    }
  }

  #apply(bytes: Uint8Array): void {
    const before = this.text;
    let ready: boolean;
    try {
      ready = this.#doc.tryApplyDelta(bytes);
    } catch (error) {
      return this.#refuse(`delta: ${(error as Error).message}`);
    }
    this.#text = undefined;
    if (!ready) {
      if (this.#pending.length >= PENDING_DELTAS_MAX) this.#pending.shift();
      this.#pending.push(bytes);
      // it builds on something not here yet; usually it arrives next, else the others send it
      if (!this.#asked) this.#hello();
      return;
    }
    this.#asked = false;
    this.#drain();
    if (this.text !== before) this.#options.onRemoteChange?.(before);
  }

  /** Applies every pending delta that became ready, until none does. */
  #drain(): void {
    let progress = true;
    while (progress && this.#pending.length > 0) {
      progress = false;
      const waiting = this.#pending;
      this.#pending = [];
      for (const bytes of waiting) {
        let ready = false;
        try {
          ready = this.#doc.tryApplyDelta(bytes);
        } catch (error) {
          this.#refuse(`delta: ${(error as Error).message}`);
          continue;
        }
        if (ready) progress = true;
        else this.#pending.push(bytes);
      }
    }
    this.#text = undefined;
  }

  /**
   * A message of an older generation, while this tab holds the one it created (compacting): the
   * whole state of a generation that lost to this one is kept; an edit in a kept generation is
   * carried over. Only the creator carries over, so an edit arrives once.
   */
  #fromOlder(message: Message): void {
    if (this.#older.length === 0 || message.kind === 'hello') return;
    const known = this.#older.find((older) => compareGenerations(older.gen, message.gen) === 0);
    // a carried edit came here from its own generation too (carried over here, or already in this doc's base)
    if (known) return message.kind === 'delta' && message.carried ? void known.doc.tryApplyDelta(message.bytes) : this.#carryOver(known.doc, message.bytes);
    if (message.kind === 'state' && message.full) {
      const doc = this.#docFrom(message.bytes, undefined);
      if (!doc) return;
      if (this.#older.length >= OLDER_MAX) this.#older.splice(1, 1)[0].doc.dispose(); // keep the compacted one
      this.#older.push({ gen: { ...message.gen }, doc });
    }
  }

  /**
   * An edit made in an older generation: applied to its doc, and what it changed there (one
   * place: a transaction) applied here at the same place, as this tab's edit.
   */
  #carryOver(old: TextDoc, bytes: Uint8Array): void {
    const before = [...old.toString()];
    try {
      if (!old.tryApplyDelta(bytes)) return; // it builds on something lost with the old generation
    } catch (error) {
      return this.#refuse(`delta: ${(error as Error).message}`);
    }
    const after = [...old.toString()];
    let start = 0;
    while (start < before.length && start < after.length && before[start] === after[start]) start++;
    let end = 0;
    while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
    const removed = before.length - start - end;
    const inserted = after.slice(start, after.length - end).join('');
    if (removed === 0 && inserted === '') return;
    const previousText = this.text;
    const length = this.#doc.length;
    const at = Math.min(start, length);
    this.#carrying = true;
    try {
      this.edit([{ at, remove: Math.min(removed, length - at), insert: inserted }]);
    } catch (error) {
      return this.#refuse(`carried-over edit: ${(error as Error).message}`);
    } finally {
      this.#carrying = false;
    }
    if (this.text !== previousText) this.#options.onRemoteChange?.(previousText);
  }

  #adopt(gen: Generation, state: Uint8Array): void {
    const doc = this.#docFrom(state, undefined);
    if (!doc) return;
    const before = this.text;
    this.#doc.dispose();
    this.#doc = doc;
    this.#gen = { ...gen };
    this.#text = undefined;
    this.#pending = this.#ahead.filter((ahead) => compareGenerations(ahead.gen, gen) === 0).map((ahead) => ahead.bytes);
    this.#ahead = this.#ahead.filter((ahead) => compareGenerations(ahead.gen, gen) > 0);
    this.#dropOlder();
    this.#offered.clear();
    this.#asked = false;
    this.#drain();
    if (this.text !== before) this.#options.onRemoteChange?.(before);
  }

  #newDoc(replicaId = this.replicaId): TextDoc {
    // a private core per doc (docs are never freed in a core): one a dropped generation disposed
    // (emptied in place), else a fresh wasm instance
    return new TextDoc(replicaId, { coreOptions: DOC_CORE, itemsMax: this.#options.itemsMax, charsMax: this.#options.charsMax });
  }

  /** A doc from a whole state (undefined, refused, if it does not read or does not hold `expect`). */
  #docFrom(state: Uint8Array, expect: string | undefined): TextDoc | undefined {
    let doc: TextDoc | undefined;
    try {
      if (!(state instanceof Uint8Array) || state.length > MESSAGE_BYTES_MAX) throw new RangeError('not a state');
      doc = this.#newDoc();
      doc.applyDelta(state);
      if (expect !== undefined && doc.toString() !== expect) throw new RangeError('the saved doc does not hold the saved text');
      doc.takeChanges(); // what it holds is not this tab's to send
      return doc;
    } catch (error) {
      doc?.dispose();
      this.#refuse(`state: ${(error as Error).message}`);
      return undefined;
    }
  }

  /**
   * `text` as written by replica 0 in one insert, under this tab's replica id: every tab that
   * seeds the same text gets the same items (so their edits merge), and its hash.
   */
  #seed(text: string): { doc: TextDoc; hash: string } {
    const base = this.#newDoc(0);
    base.insert(0, text);
    const state = base.encodeState();
    const hash = base.hash().toString(16).padStart(16, '0');
    base.dispose(); // its core serves the doc
    const doc = this.#newDoc();
    doc.applyDelta(state);
    doc.takeChanges();
    return { doc, hash };
  }

  #refuse(reason: string): void {
    this.refused.count++;
    this.refused.last = reason;
  }
}
