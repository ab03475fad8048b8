// The columnar event log. Events are appended into fixed-size chunks of typed arrays (one array a
// column), never as one object each; full chunks are immutable, so a fork shares them with its
// parent branch instead of copying. The total is bounded by `eventsMax`, which the user sees.
//
//   chunk k holds seq k*CHUNK_EVENTS .. (k+1)*CHUNK_EVENTS-1
//   ┌──────────┬──────┬──────┬───────┬───────┬─────┬─────┬─────┐
//   │ tick f64 │ type │ node │ pid   │ cause │  a  │  b  │  c  │   per event: 30 bytes
//   │          │  u8  │  u8  │  i32  │  i32  │ i32 │ i32 │ i32 │
//   └──────────┴──────┴──────┴───────┴───────┴─────┴─────┴─────┘

import { EVENT_SCHEMA, EVENT_TYPES, type KernelEvent } from '../events';

export const CHUNK_BITS = 16;
export const CHUNK_EVENTS = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_EVENTS - 1;
export const EVENT_BYTES = 8 + 1 + 1 + 4 * 5;

/** Default and hard limits on events kept in one journal (the user can lower, not raise, the cap). */
export const JOURNAL_EVENTS_DEFAULT = 4_000_000;
export const JOURNAL_EVENTS_MAX = 16_000_000;

interface Chunk {
  tick: Float64Array;
  type: Uint8Array;
  node: Uint8Array;
  pid: Int32Array;
  cause: Int32Array;
  a: Int32Array;
  b: Int32Array;
  c: Int32Array;
}

function newChunk(): Chunk {
  return {
    tick: new Float64Array(CHUNK_EVENTS),
    type: new Uint8Array(CHUNK_EVENTS),
    node: new Uint8Array(CHUNK_EVENTS),
    pid: new Int32Array(CHUNK_EVENTS),
    cause: new Int32Array(CHUNK_EVENTS),
    a: new Int32Array(CHUNK_EVENTS),
    b: new Int32Array(CHUNK_EVENTS),
    c: new Int32Array(CHUNK_EVENTS),
  };
}

function copyChunk(chunk: Chunk, count: number): Chunk {
  const copy = newChunk();
  for (const key of Object.keys(chunk) as (keyof Chunk)[]) (copy[key] as Int32Array).set((chunk[key] as Int32Array).subarray(0, count));
  return copy;
}

export class Journal {
  #chunks: Chunk[] = [];
  #length = 0;

  constructor(readonly eventsMax: number = JOURNAL_EVENTS_DEFAULT) {
    if (!Number.isInteger(eventsMax) || eventsMax < 1 || eventsMax > JOURNAL_EVENTS_MAX) {
      throw new RangeError(`journal size must be 1..${JOURNAL_EVENTS_MAX} events, got ${eventsMax}`);
    }
  }

  get length(): number {
    return this.#length;
  }

  get full(): boolean {
    return this.#length >= this.eventsMax;
  }

  /** Bytes held by the columns (allocated chunks, not just used events). */
  get bytes(): number {
    return this.#chunks.length * CHUNK_EVENTS * EVENT_BYTES;
  }

  /** Appends one event and returns its seq. The caller checks `full` first. */
  append(tick: number, type: number, node: number, pid: number, cause: number, a: number, b: number, c: number): number {
    const seq = this.#length;
    const index = seq & CHUNK_MASK;
    if (index === 0) this.#chunks.push(newChunk());
    const chunk = this.#chunks[seq >>> CHUNK_BITS];
    chunk.tick[index] = tick;
    chunk.type[index] = type;
    chunk.node[index] = node;
    chunk.pid[index] = pid;
    chunk.cause[index] = cause;
    chunk.a[index] = a;
    chunk.b[index] = b;
    chunk.c[index] = c;
    this.#length = seq + 1;
    return seq;
  }

  /** Forgets every event from `seq` on (a rewind before re-executing on the same branch). */
  truncate(seq: number): void {
    if (seq < 0 || seq > this.#length) throw new RangeError(`truncate(${seq}) outside 0..${this.#length}`);
    this.#length = seq;
    const chunksNeeded = Math.ceil(seq / CHUNK_EVENTS);
    this.#chunks.length = chunksNeeded;
    // The last kept chunk may be shared with another branch: copy it before anyone appends to it.
    if (seq & CHUNK_MASK) this.#chunks[chunksNeeded - 1] = copyChunk(this.#chunks[chunksNeeded - 1], seq & CHUNK_MASK);
  }

  /** A journal holding events 0..seq-1 of this one: full chunks shared, the partial one copied. */
  fork(seq: number, eventsMax = this.eventsMax): Journal {
    if (seq < 0 || seq > this.#length) throw new RangeError(`fork(${seq}) outside 0..${this.#length}`);
    const forked = new Journal(eventsMax);
    const fullChunks = seq >>> CHUNK_BITS;
    forked.#chunks = this.#chunks.slice(0, fullChunks);
    if (seq & CHUNK_MASK) forked.#chunks.push(copyChunk(this.#chunks[fullChunks], seq & CHUNK_MASK));
    forked.#length = seq;
    return forked;
  }

  tick(seq: number): number { return this.#chunks[seq >>> CHUNK_BITS].tick[seq & CHUNK_MASK]; }
  type(seq: number): number { return this.#chunks[seq >>> CHUNK_BITS].type[seq & CHUNK_MASK]; }
  node(seq: number): number { return this.#chunks[seq >>> CHUNK_BITS].node[seq & CHUNK_MASK]; }
  pid(seq: number): number { return this.#chunks[seq >>> CHUNK_BITS].pid[seq & CHUNK_MASK]; }
  cause(seq: number): number { return this.#chunks[seq >>> CHUNK_BITS].cause[seq & CHUNK_MASK]; }
  a(seq: number): number { return this.#chunks[seq >>> CHUNK_BITS].a[seq & CHUNK_MASK]; }
  b(seq: number): number { return this.#chunks[seq >>> CHUNK_BITS].b[seq & CHUNK_MASK]; }
  c(seq: number): number { return this.#chunks[seq >>> CHUNK_BITS].c[seq & CHUNK_MASK]; }

  /** True if event `seq` has exactly these columns (re-execution checks every event it re-emits). */
  matches(seq: number, tick: number, type: number, node: number, pid: number, cause: number, a: number, b: number, c: number): boolean {
    const chunk = this.#chunks[seq >>> CHUNK_BITS];
    const i = seq & CHUNK_MASK;
    return chunk.tick[i] === tick && chunk.type[i] === type && chunk.node[i] === node && chunk.pid[i] === pid &&
      chunk.cause[i] === cause && chunk.a[i] === a && chunk.b[i] === b && chunk.c[i] === c;
  }

  /** One event as an object, for the UI, tests and error messages (not for hot paths). */
  event(seq: number): KernelEvent {
    if (seq < 0 || seq >= this.#length) throw new RangeError(`no event ${seq}; the journal holds 0..${this.#length - 1}`);
    const code = this.type(seq);
    const [type, fieldA, fieldB, fieldC] = EVENT_SCHEMA[code];
    const event: Record<string, number | string> = {
      type, seq, tick: this.tick(seq), node: this.node(seq), pid: this.pid(seq), cause: this.cause(seq),
    };
    if (fieldA) event[fieldA] = this.a(seq);
    if (fieldB) event[fieldB] = this.b(seq);
    if (fieldC) event[fieldC] = this.c(seq);
    return event as unknown as KernelEvent;
  }

  /**
   * Compact binary form (for checkpoints): the used part of each column, column after column.
   * `from`: only the events from that seq on (a branch's own events, after its fork point).
   */
  encode(from = 0): Uint8Array {
    if (!Number.isInteger(from) || from < 0 || from > this.#length) throw new RangeError(`encode(${from}) outside 0..${this.#length}`);
    const count = this.#length - from;
    const out = new Uint8Array(count * EVENT_BYTES);
    let offset = 0;
    const columns: (keyof Chunk)[] = ['tick', 'type', 'node', 'pid', 'cause', 'a', 'b', 'c'];
    for (const column of columns) {
      for (let seq = from; seq < this.#length;) {
        const index = seq & CHUNK_MASK;
        const n = Math.min(CHUNK_EVENTS - index, this.#length - seq);
        const array = this.#chunks[seq >>> CHUNK_BITS][column];
        const bytes = new Uint8Array(array.buffer, array.byteOffset + index * array.BYTES_PER_ELEMENT, n * array.BYTES_PER_ELEMENT);
        out.set(bytes, offset);
        offset += bytes.length;
        seq += n;
      }
    }
    return out;
  }

  /** Appends every event of `other` (a branch's own events, decoded apart) after this journal's. */
  appendAll(other: Journal): void {
    if (this.#length + other.length > this.eventsMax) throw new RangeError(`${this.#length + other.length} events are over the journal's limit of ${this.eventsMax}`);
    for (let seq = 0; seq < other.length; seq++) {
      this.append(other.tick(seq), other.type(seq), other.node(seq), other.pid(seq), other.cause(seq), other.a(seq), other.b(seq), other.c(seq));
    }
  }

  static decode(bytes: Uint8Array, eventsMax = JOURNAL_EVENTS_DEFAULT): Journal {
    if (bytes.length % EVENT_BYTES !== 0) throw new RangeError(`journal bytes (${bytes.length}) are not a whole number of events`);
    const count = bytes.length / EVENT_BYTES;
    if (count > eventsMax) throw new RangeError(`journal holds ${count} events, over the limit of ${eventsMax}`);
    const journal = new Journal(eventsMax);
    for (let k = 0; k * CHUNK_EVENTS < count; k++) journal.#chunks.push(newChunk());
    journal.#length = count;
    let offset = 0;
    const columns: (keyof Chunk)[] = ['tick', 'type', 'node', 'pid', 'cause', 'a', 'b', 'c'];
    for (const column of columns) {
      for (let k = 0; k * CHUNK_EVENTS < count; k++) {
        const n = Math.min(CHUNK_EVENTS, count - k * CHUNK_EVENTS);
        const array = journal.#chunks[k][column];
        const size = n * array.BYTES_PER_ELEMENT;
        // Copy through a byte view: `bytes` may not be aligned for the column's element size.
        new Uint8Array(array.buffer, array.byteOffset, size).set(bytes.subarray(offset, offset + size));
        offset += size;
      }
    }
    for (let seq = 0; seq < count; seq++) {
      if (journal.type(seq) >= EVENT_TYPES.length) throw new RangeError(`journal event ${seq} has unknown type code ${journal.type(seq)}`);
    }
    return journal;
  }
}
