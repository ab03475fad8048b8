// LWW-map, LWW-register, OR-set and counters over the wasm core. Same shape as TextDoc: local
// ops (batched in the IO buffer for the map and the set), encodeState / fromState,
// stateVector / encodeDelta / applyDelta, and a 64-bit hash of the observable value.
import { CrdtCore, CrdtError, check, privateCrdtCore, type CrdtCoreOptions } from './core';
import { Replica, checkReplicaId } from './replica';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export interface KeyedOptions {
  core?: CrdtCore;
  coreOptions?: CrdtCoreOptions;
  /** Distinct keys (elements) the doc can hold; default 2^16. */
  entriesMax?: number;
  /** Bytes of keys and values; default 2^22. */
  bytesMax?: number;
  /** OR-set only: add and remove records (dots); default 4 × entriesMax. */
  recordsMax?: number;
}

abstract class KeyedDoc extends Replica {
  readonly core: CrdtCore;
  readonly handle: number;
  readonly replicaId: number;
  private pendingBytes = 0;

  protected constructor(replicaId: number, options: KeyedOptions, create: (core: CrdtCore) => number) {
    super();
    checkReplicaId(replicaId);
    this.replicaId = replicaId;
    this.core = options.core ?? privateCrdtCore(options.coreOptions);
    this.handle = check(create(this.core), 'create');
  }

  protected stateVectorRaw(): number { return this.core.exports.crdtKeyedStateVector(this.handle); }
  protected encodeRaw(svBytes: number): number { return this.core.exports.crdtKeyedEncode(this.handle, svBytes); }
  protected applyRaw(bytes: number): number { return this.core.exports.crdtKeyedApply(this.handle, bytes); }

  /** Queues [op, key, value?] in IO; flushes first when it might not fit. */
  protected queue(op: number, key: string, value?: string | Uint8Array): void {
    const most = 11 + key.length * 3 + (value === undefined ? 0 : value.length * 3);
    if (most > this.core.ioBytes && !this.core.growIo(most)) throw new CrdtError(-6, `${this.name}: key or value too large`);
    this.core.claimIo(this);
    if (this.pendingBytes + most > this.core.ioBytes) { this.flush(); this.core.claimIo(this); }
    const io = this.core.io8();
    let at = this.pendingBytes;
    io[at++] = op;
    at = writeString(io, at, key);
    if (typeof value === 'string') at = writeString(io, at, value);
    else if (value !== undefined) { io[at++] = value.length; io.set(value, at); at += value.length; }
    this.pendingBytes = at;
  }

  /** After the kernel restored the core's memory from a snapshot: drop batched edits. */
  refresh(): void {
    this.pendingBytes = 0;
    this.core.releaseIo(this);
  }

  flush(): void {
    this.core.claimIo(this);
    this.core.releaseIo(this);
    if (this.pendingBytes === 0) return;
    const bytes = this.pendingBytes;
    this.pendingBytes = 0;
    check(this.core.exports.crdtKeyedApplyOps(this.handle, bytes), `${this.name} edit`);
  }

  get size(): number {
    this.flush();
    return check(this.core.exports.crdtKeyedSize(this.handle), `${this.name}.size`);
  }

  hash(): bigint {
    this.flush();
    return BigInt.asUintN(64, this.core.exports.crdtKeyedHash(this.handle));
  }

  /** Raw value bytes of a key (copied), undefined when absent. */
  protected lookupBytes(key: string): Uint8Array | undefined {
    const bytes = this.lookup(key);
    return bytes === -100 ? undefined : this.core.io8().slice(0, bytes);
  }

  /** Looks a key up: value bytes, -100 when absent. */
  protected lookup(key: string): number {
    this.flush();
    const bytes = utf8.encode(key);
    const result = this.core.withRoom(() => { this.core.putBytes(bytes, `${this.name}.get`); return this.core.exports.crdtKeyedGet(this.handle, bytes.length); });
    if (result === -100) return -100;
    return check(result, `${this.name}.get`);
  }

  /** Every live [key, value] (value '' for sets), sorted by key. */
  protected readAll(withValues: boolean, decodeValue: (bytes: Uint8Array) => string = (b) => fromUtf8.decode(b)): [string, string][] {
    this.flush();
    const out: [string, string][] = [];
    const exports = this.core.exports;
    for (let from = 0, round = 0; round < 1 << 24; round++) {
      const next = check(this.core.withRoom(() => exports.crdtKeyedRead(this.handle, from)), `${this.name} read`);
      const io = this.core.io8();
      const end = exports.crdtKeyedLastBytes();
      let at = 0;
      while (at < end) {
        let length: number;
        [length, at] = readVar(io, at);
        const key = fromUtf8.decode(io.subarray(at, at + length));
        at += length;
        let value = '';
        if (withValues) {
          [length, at] = readVar(io, at);
          value = decodeValue(io.subarray(at, at + length));
          at += length;
        }
        out.push([key, value]);
      }
      if (next === from || end === 0) break;
      from = next;
    }
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}

/** Writes a UTF-8 string with its byte length as a varint (5 bytes, padded, when long). */
function writeString(io: Uint8Array, at: number, text: string): number {
  if (text.length * 3 < 128) {
    const { written } = utf8.encodeInto(text, io.subarray(at + 1));
    io[at] = written;
    return at + 1 + written;
  }
  const { written } = utf8.encodeInto(text, io.subarray(at + 5));
  for (let i = 0; i < 5; i++) io[at + i] = ((written >>> (7 * i)) & 0x7f) | (i < 4 ? 0x80 : 0);
  return at + 5 + written;
}

function readVar(io: Uint8Array, at: number): [number, number] {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    const byte = io[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) break;
  }
  return [value, at];
}

/** Last-writer-wins map of string keys to string values (ties: the higher replica id). */
export class LwwMap extends KeyedDoc {
  protected readonly name = 'LwwMap';

  constructor(replicaId: number, options: KeyedOptions = {}) {
    super(replicaId, options, (core) => core.exports.crdtMapCreate(replicaId >>> 0, options.entriesMax ?? 1 << 16, options.bytesMax ?? 1 << 22));
  }

  static fromState(bytes: Uint8Array, replicaId: number, options: KeyedOptions = {}): LwwMap {
    const map = new LwwMap(replicaId, options);
    map.applyDelta(bytes);
    return map;
  }

  set(key: string, value: string): void { this.queue(1, key, value); }
  delete(key: string): void { this.queue(2, key); }

  get(key: string): string | undefined {
    const bytes = this.lookup(key);
    if (bytes === -100) return undefined;
    return fromUtf8.decode(this.core.io8().subarray(0, bytes));
  }

  has(key: string): boolean { return this.lookup(key) !== -100; }
  entries(): [string, string][] { return this.readAll(true); }
}

/** One last-writer-wins value: an LWW-map with the single key ''. */
export class LwwRegister {
  readonly map: LwwMap;
  constructor(replicaId: number, options: KeyedOptions = {}) { this.map = new LwwMap(replicaId, { entriesMax: 4, bytesMax: 1 << 16, ...options }); }
  set(value: string): void { this.map.set('', value); }
  get(): string | undefined { return this.map.get(''); }
  encodeState(): Uint8Array { return this.map.encodeState(); }
  stateVector(): Uint8Array { return this.map.stateVector(); }
  encodeDelta(remote: Uint8Array): Uint8Array { return this.map.encodeDelta(remote); }
  applyDelta(bytes: Uint8Array): void { this.map.applyDelta(bytes); }
  tryApplyDelta(bytes: Uint8Array): boolean { return this.map.tryApplyDelta(bytes); }
  hash(): bigint { return this.map.hash(); }
  static fromState(bytes: Uint8Array, replicaId: number): LwwRegister {
    const register = new LwwRegister(replicaId);
    register.applyDelta(bytes);
    return register;
  }
}

/** Observed-remove set of strings, add-wins. */
export class OrSet extends KeyedDoc {
  protected readonly name = 'OrSet';

  constructor(replicaId: number, options: KeyedOptions = {}) {
    const entries = options.entriesMax ?? 1 << 16;
    super(replicaId, options, (core) => core.exports.crdtSetCreate(replicaId >>> 0, entries, options.recordsMax ?? entries * 4, options.bytesMax ?? 1 << 22));
  }

  static fromState(bytes: Uint8Array, replicaId: number, options: KeyedOptions = {}): OrSet {
    const set = new OrSet(replicaId, options);
    set.applyDelta(bytes);
    return set;
  }

  add(element: string): void { this.queue(1, element); }
  remove(element: string): void { this.queue(2, element); }
  has(element: string): boolean { return this.lookup(element) !== -100; }
  values(): string[] { return this.readAll(false).map(([key]) => key); }
}

/** PN-counter: increments and decrements from every replica add up. */
export class PNCounter extends Replica {
  readonly core: CrdtCore;
  readonly handle: number;
  readonly replicaId: number;
  protected readonly name: string = 'PNCounter';

  constructor(replicaId: number, options: { core?: CrdtCore; coreOptions?: CrdtCoreOptions } = {}) {
    super();
    checkReplicaId(replicaId);
    this.replicaId = replicaId;
    this.core = options.core ?? privateCrdtCore({ ioBytes: 4096, recordsMax: 16, ...options.coreOptions });
    this.handle = check(this.core.exports.crdtCounterCreate(replicaId >>> 0), 'PNCounter');
  }

  static fromState(bytes: Uint8Array, replicaId: number): PNCounter {
    const counter = new PNCounter(replicaId);
    counter.applyDelta(bytes);
    return counter;
  }

  flush(): void { this.core.claimIo(this); this.core.releaseIo(this); }
  protected stateVectorRaw(): number { return this.core.exports.crdtCounterStateVector(this.handle); }
  protected encodeRaw(svBytes: number): number { return this.core.exports.crdtCounterEncode(this.handle, svBytes); }
  protected applyRaw(bytes: number): number { return this.core.exports.crdtCounterApply(this.handle, bytes); }

  increment(amount = 1): void { this.add(amount, 0); }
  decrement(amount = 1): void { this.add(amount, 1); }

  protected add(amount: number, negative: number): void {
    if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`amount must be a safe non-negative integer, got ${amount}`);
    check(this.core.exports.crdtCounterAdd(this.handle, amount >>> 0, Math.floor(amount / 2 ** 32) >>> 0, negative), `${this.name} add`);
  }

  get value(): number { return Number(this.core.exports.crdtCounterValue(this.handle)); }
  /** How many replicas decremented (a G-counter state has none). */
  decrements(): number {
    // rows: [version, kind, rows, (id, seq, p, n)...]; n is the last varint of each row
    const bytes = this.encodeState();
    let at = 2;
    const read = () => { let value = 0, shift = 0, byte = 0; do { byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80); return value; };
    const rows = read();
    let count = 0;
    for (let i = 0; i < rows; i++) { read(); read(); read(); if (read() > 0) count++; }
    return count;
  }
  hash(): bigint { return BigInt.asUintN(64, this.core.exports.crdtCounterHash(this.handle)); }
}

/** Grow-only counter: a PN-counter that refuses decrements. */
export class GCounter extends PNCounter {
  protected readonly name: string = 'GCounter';
  static override fromState(bytes: Uint8Array, replicaId: number): GCounter {
    const counter = new GCounter(replicaId);
    counter.applyDelta(bytes);
    if (counter.decrements() > 0) throw new CrdtError(-11, 'GCounter.fromState: the state has decrements (a PN-counter)');
    return counter;
  }
  override decrement(): void { throw new RangeError('a GCounter cannot be decremented'); }
}

/**
 * Workflow: each task's state is a join semilattice over the ordered `states` given at
 * creation (e.g. pending < running < succeeded < failed): concurrent transitions resolve to the
 * later state, and a transition to an earlier state than the current one has no effect.
 */
export class Workflow extends KeyedDoc {
  protected readonly name = 'Workflow';
  readonly states: readonly string[];

  constructor(replicaId: number, states: readonly string[], options: KeyedOptions = {}) {
    super(replicaId, options, (core) => core.exports.crdtJoinMapCreate(replicaId >>> 0, options.entriesMax ?? 1 << 12, options.bytesMax ?? 1 << 18));
    if (states.length === 0 || new Set(states).size !== states.length) throw new RangeError('workflow states must be distinct and not empty');
    this.states = states;
  }

  static fromState(bytes: Uint8Array, replicaId: number, states: readonly string[], options: KeyedOptions = {}): Workflow {
    const workflow = new Workflow(replicaId, states, options);
    workflow.applyDelta(bytes);
    return workflow;
  }

  transition(task: string, state: string): void {
    const rank = this.states.indexOf(state);
    if (rank < 0) throw new RangeError(`unknown workflow state ${JSON.stringify(state)}`);
    this.queue(1, task, new Uint8Array(new Uint32Array([rank]).buffer));
  }

  private stateOf(bytes: Uint8Array): string {
    return this.states[new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true)] ?? '?';
  }

  state(task: string): string | undefined {
    const bytes = this.lookupBytes(task);
    return bytes === undefined ? undefined : this.stateOf(bytes);
  }

  tasks(): [string, string][] { return this.readAll(true, (bytes) => this.stateOf(bytes)); }
}

/** Append-only time series: (time, value) integer points from every replica; windowed aggregates. */
export class TimeSeries extends Replica {
  readonly core: CrdtCore;
  readonly handle: number;
  readonly replicaId: number;
  protected readonly name = 'TimeSeries';

  constructor(replicaId: number, options: { core?: CrdtCore; coreOptions?: CrdtCoreOptions; pointsMax?: number } = {}) {
    super();
    checkReplicaId(replicaId);
    this.replicaId = replicaId;
    this.core = options.core ?? privateCrdtCore(options.coreOptions);
    this.handle = check(this.core.exports.crdtSeriesCreate(replicaId >>> 0, options.pointsMax ?? 1 << 16), 'TimeSeries');
  }

  static fromState(bytes: Uint8Array, replicaId: number, options: { pointsMax?: number } = {}): TimeSeries {
    const series = new TimeSeries(replicaId, options);
    series.applyDelta(bytes);
    return series;
  }

  flush(): void { this.core.claimIo(this); this.core.releaseIo(this); }
  protected stateVectorRaw(): number { return this.core.exports.crdtSeriesStateVector(this.handle); }
  protected encodeRaw(svBytes: number): number { return this.core.exports.crdtSeriesEncode(this.handle, svBytes); }
  protected applyRaw(bytes: number): number { return this.core.exports.crdtSeriesApply(this.handle, bytes); }

  /** Appends a point: time (ticks) a safe non-negative integer, value a safe integer. */
  append(time: number, value: number): void {
    if (!Number.isSafeInteger(time) || time < 0) throw new RangeError(`time must be a safe non-negative integer, got ${time}`);
    if (!Number.isSafeInteger(value)) throw new RangeError(`value must be a safe integer, got ${value}`);
    const v = BigInt.asUintN(64, BigInt(value));
    check(this.core.exports.crdtSeriesAppend(this.handle, time >>> 0, Math.floor(time / 2 ** 32) >>> 0,
      Number(v & 0xffffffffn), Number(v >> 32n)), 'TimeSeries.append');
  }

  get count(): number { return check(this.core.exports.crdtSeriesCount(this.handle), 'TimeSeries.count'); }

  /** count, sum, min, max of the points with from <= time < to (min = max = 0 when empty). */
  aggregate(from: number, to: number): { count: number; sum: number; min: number; max: number } {
    this.flush();
    check(this.core.exports.crdtSeriesAggregate(this.handle, from >>> 0, Math.floor(from / 2 ** 32) >>> 0, to >>> 0, Math.floor(to / 2 ** 32) >>> 0), 'TimeSeries.aggregate');
    const io = this.core.io8();
    const view = new DataView(io.buffer, io.byteOffset, 32);
    return {
      count: Number(view.getBigInt64(0, true)),
      sum: Number(view.getBigInt64(8, true)),
      min: Number(view.getBigInt64(16, true)),
      max: Number(view.getBigInt64(24, true)),
    };
  }

  hash(): bigint { return BigInt.asUintN(64, this.core.exports.crdtSeriesHash(this.handle)); }
}
