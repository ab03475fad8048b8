// TextDoc: a collaborative text replica (YjsMod / FugueMax with run-length items, in the wasm core).
// Positions and lengths count Unicode code points. Local edits are batched in the core's IO
// buffer and applied in one boundary call when anything reads the doc.
import { CrdtCore, CrdtError, CRDT_ERR_IO_FULL, check, privateCrdtCore, type CrdtCoreOptions } from './core';
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

const OP_INSERT = 1;
const OP_DELETE = 2;
const CHUNK_CODE_POINTS = 1 << 16;
const utf16 = new TextDecoder('utf-16le');

export class TextDoc extends Replica {
  readonly core: CrdtCore;
  readonly handle: number;
  readonly replicaId: number;
  protected readonly name = 'TextDoc';
  private pendingWords = 0;
  private visible = 0;

  constructor(replicaId: number, options: TextDocOptions = {}) {
    super();
    checkReplicaId(replicaId);
    this.replicaId = replicaId;
    this.core = options.core ?? privateCrdtCore(options.coreOptions);
    this.handle = check(
      this.core.exports.crdtTextCreate(replicaId >>> 0, options.itemsMax ?? 1 << 16, options.charsMax ?? 1 << 20),
      'TextDoc',
    );
  }

  /**
   * Re-reads what the TypeScript side caches (the length) from the core: call after the
   * kernel restored the core's memory from a snapshot. Pending batched edits are dropped.
   */
  refresh(): void {
    this.pendingWords = 0;
    this.core.releaseIo(this);
    this.visible = check(this.core.exports.crdtTextLength(this.handle), 'TextDoc.refresh');
  }

  get length(): number {
    return this.visible;
  }

  insert(pos: number, text: string): void {
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
    this.visible += count;
  }

  delete(pos: number, count: number): void {
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
    this.visible -= count;
  }

  /** Applies the batched local edits (every read does this first). */
  flush(): void {
    // any IO use starts here: other docs on this core flush their batched edits first
    this.core.claimIo(this);
    this.core.releaseIo(this);
    if (this.pendingWords === 0) return;
    const words = this.pendingWords;
    this.pendingWords = 0;
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
    for (let start = 0; start < total || start === 0; ) {
      const count = check(exports.crdtTextRead(this.handle, start), 'TextDoc.toString');
      const chunk = utf16.decode(this.core.io16().subarray(0, exports.crdtLastUnits()));
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
  protected applyRaw(bytes: number): number { return this.core.exports.crdtTextApply(this.handle, bytes); }
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
