// TextDoc: a collaborative text replica (YjsMod / FugueMax with run-length items, in the wasm core).
// Positions and lengths count Unicode code points. Local edits are batched in the core's IO
// buffer and applied in one boundary call when anything reads the doc.
import { CrdtCore, CrdtError, CRDT_ERR_IO_FULL, check, privateCrdtCore, recyclePrivateCore, takeRecycledCore, type CrdtCoreOptions } from './core';
import { Replica, checkReplicaId } from './replica';
import { FORMAT_VERSION_DEFLATED, deflateEncoding, inflateEncoding } from './compressed';

export interface TextDocOptions {
  /** Share a core (the kernel's); default: a private core for this doc. */
  core?: CrdtCore;
  /** Sizes of the private core, when no core is given. */
  coreOptions?: CrdtCoreOptions;
  /** Live runs (items) the doc can hold; default 2^16. */
  itemsMax?: number;
  /** Code points ever inserted (deleted ones included) the doc can hold; default 2^20. */
  charsMax?: number;
}

/** A text doc of a private core starts with room for this many items and code points (~2 MiB) and grows
 * (x4) up to the itemsMax / charsMax it was created with: its wasm memory follows what it holds
 * (a region sized for 2^18 items is 22 MiB, which V8 allocates, accounts and collects per doc). */
const PRIVATE_ITEMS_START = 1 << 14;
const PRIVATE_CHARS_START = 1 << 16;

const OP_INSERT = 1;
const OP_DELETE = 2;
const CHUNK_CODE_POINTS = 1 << 16;
/** How much room a deflated state gets before its first inflate, in multiples of its size. */
const INFLATE_ROOM = 4;
/**
 * UTF-16 code units as they are, lone surrogates included (a TextDecoder would make each one
 * U+FFFD): a text that holds one reads back as it was typed.
 */
function unitsToString(units: Uint16Array): string {
  let text = '';
  for (let at = 0; at < units.length; at += 8192) text += String.fromCharCode.apply(null, units.subarray(at, at + 8192) as unknown as number[]);
  return text;
}
/** ignoreBOM: a text that starts with U+FEFF (or a chunk that does) keeps it. */
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

export class TextDoc extends Replica {
  readonly core: CrdtCore;
  readonly replicaId: number;
  /** The core's doc handle; -1 once disposed. */
  private doc: number;
  /** The private core this doc was given (not the kernel's): handed on at dispose. */
  private readonly coreOptions: CrdtCoreOptions | undefined;
  private readonly ownsCore: boolean;
  protected readonly name = 'TextDoc';
  private pendingWords = 0;
  private pendingOps = 0;
  private pendingChars = 0;
  private visible = 0;
  /** What the doc may grow to (a private core's doc), or what it has (the kernel's). */
  private readonly itemsLimit: number;
  private readonly charsLimit: number;

  constructor(replicaId: number, options: TextDocOptions = {}) {
    super();
    checkReplicaId(replicaId);
    this.replicaId = replicaId;
    this.itemsLimit = options.itemsMax ?? 1 << 16;
    this.charsLimit = options.charsMax ?? 1 << 20;
    this.ownsCore = options.core === undefined;
    this.coreOptions = options.coreOptions;
    // a private doc first takes a disposed one's core and region (emptied in place), if one fits
    const reused = this.ownsCore ? takeRecycledCore('text', options.coreOptions, (core, handle) => this.fits(core, handle)) : undefined;
    if (reused) {
      this.core = reused.core;
      this.doc = reused.handle;
      check(this.core.exports.crdtTextReset(this.doc, replicaId >>> 0), 'TextDoc (reusing a disposed doc)');
      return;
    }
    this.core = options.core ?? privateCrdtCore(options.coreOptions);
    const growable = this.core.growable;
    this.doc = check(
      this.core.exports.crdtTextCreate(replicaId >>> 0,
        growable ? Math.min(this.itemsLimit, PRIVATE_ITEMS_START) : this.itemsLimit,
        growable ? Math.min(this.charsLimit, PRIVATE_CHARS_START) : this.charsLimit),
      'TextDoc',
    );
  }

  get handle(): number { return this.doc; }

  /** Can a disposed doc's region serve this one: within its limits (a fixed core's doc: exactly them)? */
  private fits(core: CrdtCore, handle: number): boolean {
    const items = core.exports.crdtTextCapacity(handle, 0), chars = core.exports.crdtTextCapacity(handle, 1);
    return core.growable ? items <= this.itemsLimit && chars <= this.charsLimit : items === this.itemsLimit && chars === this.charsLimit;
  }

  /**
   * Done with this doc: one with a private core hands the core and its region on to the next
   * private TextDoc created with the same core options (at most RECYCLED_CORES_MAX wait), which
   * empties the region in place instead of taking a fresh wasm instance. So a program that loads
   * state after state (a tab adopting generations, a benchmark) reuses memory already grown and
   * touched: new wasm memory costs page faults (about 35 µs a 4 KiB page on the 2-core VM) and
   * collections of the external memory, the larger part of loading a long session. Any use of
   * the doc afterwards throws; pending edits are dropped; a doc on a given core (the kernel's)
   * only stops being usable (docs are never freed in a core).
   */
  dispose(): void {
    if (this.doc < 0) return;
    this.pendingWords = 0;
    this.pendingOps = 0;
    this.pendingChars = 0;
    this.visible = 0;
    this.core.releaseIo(this);
    const handle = this.doc;
    this.doc = -1;
    if (this.ownsCore) recyclePrivateCore('text', this.coreOptions, this.core, handle);
  }

  private live(): void {
    if (this.doc < 0) throw new CrdtError(-1, 'TextDoc (disposed)');
  }

  /** A private core's doc: room for `items` more items and `chars` more code points, up to its limits. */
  private grow(items: number, chars: number): void {
    if (!this.core.growable) return;
    check(this.core.exports.crdtTextGrow(this.handle, items, chars, this.itemsLimit, this.charsLimit), 'TextDoc (growing)');
  }

  /**
   * Re-reads what the TypeScript side caches (the length) from the core: call after the
   * kernel restored the core's memory from a snapshot. Pending batched edits are dropped.
   */
  refresh(): void {
    this.pendingWords = 0;
    this.pendingOps = 0;
    this.pendingChars = 0;
    this.core.releaseIo(this);
    this.visible = check(this.core.exports.crdtTextLength(this.handle), 'TextDoc.refresh');
  }

  get length(): number {
    return this.visible;
  }

  insert(pos: number, text: string): void {
    this.live();
    if (!Number.isInteger(pos) || pos < 0 || pos > this.visible) {
      throw new RangeError(`insert position ${pos} is outside 0..${this.visible}`);
    }
    this.core.claimIo(this);
    let io = this.core.io32();
    let at = this.pendingWords + 3;
    let count = 0;
    const units = text.length;
    for (let i = 0; i < units; i++) {
      let cp = text.charCodeAt(i);
      if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < units) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low < 0xe000) { cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00); i++; }
      }
      if (at >= io.length || count >= CHUNK_CODE_POINTS) {
        // close this op; flush when the buffer cannot take another; continue in a new op
        if (count > 0) { this.closeInsert(pos, count); pos += count; count = 0; }
        if (this.pendingWords + 4 > io.length) { this.flush(); this.core.claimIo(this); io = this.core.io32(); }
        at = this.pendingWords + 3;
      }
      io[at++] = cp;
      count++;
    }
    if (count > 0) this.closeInsert(pos, count);
  }

  private closeInsert(pos: number, count: number): void {
    const io = this.core.io32();
    const at = this.pendingWords;
    io[at] = OP_INSERT;
    io[at + 1] = pos;
    io[at + 2] = count;
    this.pendingWords = at + 3 + count;
    this.pendingOps++;
    this.pendingChars += count;
    this.visible += count;
  }

  delete(pos: number, count: number): void {
    this.live();
    if (!Number.isInteger(pos) || !Number.isInteger(count) || pos < 0 || count < 0 || pos + count > this.visible) {
      throw new RangeError(`delete of ${count} at ${pos} is outside 0..${this.visible}`);
    }
    if (count === 0) return;
    this.core.claimIo(this);
    let io = this.core.io32();
    if (this.pendingWords + 3 > io.length) { this.flush(); this.core.claimIo(this); io = this.core.io32(); }
    const at = this.pendingWords;
    io[at] = OP_DELETE;
    io[at + 1] = pos;
    io[at + 2] = count;
    this.pendingWords = at + 3;
    this.pendingOps++;
    this.visible -= count;
  }

  /** Applies the batched local edits (every read does this first). */
  flush(): void {
    this.live();
    // any IO use starts here: other docs on this core flush their batched edits first
    this.core.claimIo(this);
    this.core.releaseIo(this);
    if (this.pendingWords === 0) return;
    const words = this.pendingWords;
    this.pendingWords = 0;
    // each op may split one item and add one (a delete: split its two ends)
    const ops = this.pendingOps, chars = this.pendingChars;
    this.pendingOps = 0;
    this.pendingChars = 0;
    if (this.core.growable) this.grow(2 * ops + 2, chars);
    const result = this.core.exports.crdtTextApplyOps(this.handle, words);
    if (result < 0) {
      this.visible = this.core.exports.crdtTextLength(this.handle);
      throw new CrdtError(result, 'TextDoc edit');
    }
  }

  toString(): string {
    this.flush();
    const exports = this.core.exports;
    const total = this.visible;
    let text = '';
    // UTF-8 from the core (half the bytes of UTF-16 for ASCII, and a one-byte string); a lone
    // surrogate, which UTF-8 cannot hold, stops it: that chunk is read as UTF-16 code units
    for (let start = 0; start < total || start === 0; ) {
      let count = check(exports.crdtTextReadUtf8(this.handle, start), 'TextDoc.toString');
      let chunk: string;
      if (count === 0 && exports.crdtLastSurrogate() === 1) {
        count = check(exports.crdtTextRead(this.handle, start), 'TextDoc.toString');
        chunk = unitsToString(this.core.io16().subarray(0, exports.crdtLastUnits()));
      } else {
        chunk = utf8.decode(this.core.io8().subarray(0, exports.crdtLastUnits()));
      }
      if (start === 0 && count === total) return chunk;
      text += chunk;
      if (count === 0) break;
      start += count;
    }
    return text;
  }

  /** 64-bit hash of the visible text (FNV-1a over code points), computed in wasm. */
  hash(): bigint {
    this.flush();
    return BigInt.asUintN(64, this.core.exports.crdtTextHash(this.handle));
  }

  /** Throws if the core's position index disagrees with its item list (for tests). */
  checkIndex(): void {
    this.flush();
    check(this.core.exports.crdtTextCheckIndex(this.handle), 'TextDoc.checkIndex');
  }

  /** Live items (runs) in the doc: a measure of fragmentation. */
  itemCount(): number {
    this.flush();
    return check(this.core.exports.crdtTextItemCount(this.handle), 'TextDoc.itemCount');
  }

  /** Code points the doc's char arena holds: visible ones and deleted ones not collected yet. */
  charsUsed(): number {
    this.flush();
    return check(this.core.exports.crdtTextCharsUsed(this.handle), 'TextDoc.charsUsed');
  }

  /** Chars collected from this doc so far (see collect). */
  collected(): number {
    return check(this.core.exports.crdtTextCollected(this.handle), 'TextDoc.collected');
  }

  /**
   * The deleted chars still held (tombstones) and a digest of which ones: two replicas with the
   * same state vector hold the same delete set iff both are equal.
   */
  tombstones(): { count: number; digest: bigint } {
    this.flush();
    const count = check(this.core.exports.crdtTextTombstones(this.handle), 'TextDoc.tombstones');
    return { count, digest: BigInt.asUintN(64, this.core.exports.crdtTextDeleteDigest()) };
  }

  /**
   * Drops every tombstone (its item, its index entry, its chars): the doc keeps only what is
   * visible. Safe only when every replica that can still send this doc anything holds the same
   * state and collects at the same point (README of assembly/crdt: `collectTombstones` does
   * that for a set of replicas). Returns the chars collected. The doc's encodings are format
   * version 3 from then on (seqs may have gaps).
   */
  collect(): number {
    this.flush();
    return check(this.core.exports.crdtTextCollect(this.handle), 'TextDoc.collect');
  }

  /**
   * The delta of this replica's own edits since the last call (or since it was created): its
   * new characters and the ones it deleted. What a writer sends its peers after each
   * transaction; it costs what the edits cost, not what the document holds. A receiver applies
   * it once it has everything this replica had seen (else: not ready, keep it).
   */
  takeChanges(): Uint8Array {
    this.flush();
    return this.core.takeBytes(check(this.core.withRoom(() => this.core.exports.crdtTextTakeChanges(this.handle)), 'TextDoc.takeChanges'));
  }

  protected stateVectorRaw(): number { return this.core.exports.crdtTextStateVector(this.handle); }
  protected encodeRaw(svBytes: number): number { return this.core.exports.crdtTextEncode(this.handle, svBytes); }
  protected applyRaw(bytes: number): number {
    // a private core's doc grows first when it needs room (the core checks before it changes anything)
    const exports = this.core.exports;
    return this.core.growable
      ? exports.crdtTextApplyGrowing(this.handle, bytes, this.itemsLimit, this.charsLimit)
      : exports.crdtTextApply(this.handle, bytes);
  }

  /** Items and code points the doc has room for now (a private core's doc grows them). */
  capacity(): { items: number; chars: number } {
    this.flush();
    return this.rawCapacity();
  }

  private rawCapacity(): { items: number; chars: number } {
    return { items: check(this.core.exports.crdtTextCapacity(this.handle, 0), 'TextDoc.capacity'), chars: check(this.core.exports.crdtTextCapacity(this.handle, 1), 'TextDoc.capacity') };
  }
  /** The length is cached here: re-read it after a merge (also after a refused one). */
  protected override applied(): void { this.visible = this.core.exports.crdtTextLength(this.handle); }

  /** The whole state; deflated (format version 2) when that is smaller. */
  override encodeState(): Uint8Array {
    return deflateEncoding(super.encodeState());
  }

  /** Applies a state or delta of format version 1 or 2 (see Replica.applyDelta). */
  override applyDelta(bytes: Uint8Array): void {
    if (bytes[0] !== FORMAT_VERSION_DEFLATED) { super.applyDelta(bytes); return; }
    // inflate straight into the core's IO buffer
    this.flush();
    // A deflated state inflates to 2-3x its size; a body that does not fit is inflated again
    // (whole) into a larger buffer, so a growable core takes room for 4x first: one inflate
    // (the long session's state went through three). Pages past what the inflate writes are
    // never touched, so the larger reservation costs nothing.
    const room = Math.min(this.core.ioBytesLimit, bytes.length * INFLATE_ROOM + 16);
    if (room > this.core.ioBytes) this.core.growIo(room);
    let size = 0;
    for (;;) {
      try {
        size = inflateEncoding(bytes, this.core.io8(), 'TextDoc.applyDelta');
        break;
      } catch (error) {
        // a growable core takes a larger IO buffer and inflates again; else the error stands
        if (!(error instanceof CrdtError && error.code === CRDT_ERR_IO_FULL && this.core.growIo())) throw error;
      }
    }
    const result = this.core.withRoom(() => this.applyRaw(size), false);
    this.applied();
    check(result, 'TextDoc.applyDelta');
  }

  static fromState(bytes: Uint8Array, replicaId: number, options: TextDocOptions = {}): TextDoc {
    const doc = new TextDoc(replicaId, options);
    doc.applyDelta(bytes);
    return doc;
  }
}

/** A state vector's (replica id, nextSeq) pairs (BINARY.md), as a map. */
function stateVectorEntries(bytes: Uint8Array): Map<number, number> {
  const entries = new Map<number, number>();
  let at = 0;
  const read = () => {
    let value = 0, shift = 0;
    for (;;) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
    }
  };
  const count = read();
  for (let i = 0; i < count; i++) { const id = read(); entries.set(id, read()); }
  return entries;
}

/**
 * Collects the tombstones of a set of replicas of one text, all at once, when every one of them
 * has seen everything any of them has (same state vector, same delete set): then no replica
 * can later send another anything that names a collected char. Returns the chars collected
 * per replica (0 when they differ, or hold no tombstone). `replicas` must be every replica
 * that can still exchange changes with these (the kernel passes all of an object's nodes).
 */
export function collectTombstones(replicas: readonly TextDoc[]): number {
  if (replicas.length === 0) return 0;
  // the state vectors first (a few entries each), then the walks over the items
  const vector = stateVectorEntries(replicas[0].stateVector());
  for (let i = 1; i < replicas.length; i++) {
    const otherVector = stateVectorEntries(replicas[i].stateVector());
    if (otherVector.size !== vector.size) return 0;
    for (const [id, seq] of vector) if (otherVector.get(id) !== seq) return 0;
  }
  const first = replicas[0].tombstones();
  if (first.count === 0) return 0;
  for (let i = 1; i < replicas.length; i++) {
    const other = replicas[i].tombstones();
    if (other.count !== first.count || other.digest !== first.digest) return 0;
  }
  let collected = 0;
  for (const replica of replicas) collected = replica.collect();
  return collected;
}
