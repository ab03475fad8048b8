// stateHash: 64 bits over a canonical encoding of the kernel state (its typed arrays in a fixed
// order, as little-endian bytes) and the core's state (its regions and the PRNG's 16 bytes).
// Two independent 32-bit lanes (murmur3-style mixing with different seeds), printed as 16 hex digits.
import { HASHED_WHEN_NOT_EMPTY, STATE_ARRAYS, type KernelState } from './state';

export interface HashableCore {
  /** The core's state as byte streams, in address order; each stream is hashed as the bytes of its chunks in a row. */
  stateChunks(): Array<Iterable<Uint8Array>>;
}

export class Hash64 {
  high = 0x9747b28c;
  low = 0x2b5e7a91;
  length = 0;

  word(value: number): void {
    this.high = mix(this.high, value, 0xcc9e2d51);
    this.low = mix(this.low, value, 0x85ebca6b);
    this.length++;
  }

  bytes(bytes: Uint8Array): void {
    this.words(bytes);
    let tail = 0;
    for (let i = bytes.length & ~3; i < bytes.length; i++) tail = (tail << 8) | bytes[i];
    this.word(tail ^ (bytes.length << 24));
  }

  /**
   * bytes() of the chunks' concatenation, without making it: each chunk is read as it comes (a
   * chunk may be reused for the next one), and only the last may end in a partial word.
   */
  stream(chunks: Iterable<Uint8Array>): void {
    let length = 0;
    const tail: number[] = [];
    for (const chunk of chunks) {
      if (chunk.length === 0) continue;
      if (tail.length > 0) throw new Error('Hash64.stream: only the last chunk may end in a partial word');
      this.words(chunk);
      for (let i = chunk.length & ~3; i < chunk.length; i++) tail.push(chunk[i]);
      length += chunk.length;
    }
    let word = 0;
    for (const byte of tail) word = (word << 8) | byte;
    this.word(word ^ (length << 24));
  }

  private words(bytes: Uint8Array): void {
    const words = bytes.length >>> 2;
    const view = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, words) : new Uint32Array(bytes.slice(0, words * 4).buffer);
    for (let i = 0; i < words; i++) this.word(view[i]);
  }

  hex(): string {
    const finalize = (h: number) => {
      h ^= this.length;
      h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      return (h >>> 0).toString(16).padStart(8, '0');
    };
    return finalize(this.high) + finalize(this.low ^ this.high);
  }
}

function mix(h: number, value: number, c1: number): number {
  let k = Math.imul(value, c1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

export function stateHash(state: KernelState, core: HashableCore): string {
  const hash = new Hash64();
  for (const key of STATE_ARRAYS) {
    const array = state[key] as unknown as ArrayBufferView;
    if (array.byteLength === 0 && HASHED_WHEN_NOT_EMPTY.has(key)) continue;
    hash.bytes(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }
  for (const chunks of core.stateChunks()) hash.stream(chunks);
  return hash.hex();
}

/** 64 bits over a text's UTF-8 bytes (the same two lanes): identifies a run's inputs, not its state. */
export function textHash(text: string): string {
  const hash = new Hash64();
  hash.bytes(new TextEncoder().encode(text));
  return hash.hex();
}
