// Snapshots for time travel, all incremental:
// - the core's linear memory: snapshot 0 holds every page, each later one only the pages the
//   core's dirty bitmap marked since the previous snapshot;
// - the kernel state: its arrays laid end to end as one image, of which each snapshot keeps the
//   pages that differ from the previous snapshot's image.
// Restoring snapshot k copies, for each page that may differ, its latest version at or before k.
import { STATE_ARRAYS, type KernelState } from '../state';
import { PageHistory } from './page-history';

export interface CoreMemory {
  /** The core's whole linear memory (re-read after any call: it may have grown). */
  bytes(): Uint8Array;
  pageBytes: number;
  /** Pages written since the last clear, as page indices in ascending order. */
  dirtyPages(): number[];
  clearDirty(): void;
  /** Pages never to save or restore (the dirty bitmap itself). */
  excluded(page: number): boolean;
}

const STATE_PAGE_BYTES = 4096;

export class SnapshotStore {
  #seqs: number[] = [];
  #memory: PageHistory;
  #state = new PageHistory(STATE_PAGE_BYTES);
  /** The state image as of the last snapshot taken (to find the pages that changed). */
  #lastImage: Uint8Array | undefined;
  /** The snapshot the core's memory equals, apart from pages dirtied since (-1: unknown). */
  #base = -1;

  constructor(private readonly memory: CoreMemory, readonly budgetBytes: number) {
    this.#memory = new PageHistory(memory.pageBytes);
  }

  get count(): number { return this.#seqs.length; }
  get bytes(): number { return this.#memory.bytes + this.#state.bytes; }
  get lastSeq(): number { return this.#seqs.length ? this.#seqs[this.#seqs.length - 1] : -1; }
  seqAt(index: number): number { return this.#seqs[index]; }

  /** Records the state at `seq` (must be after the last snapshot). */
  take(seq: number, state: KernelState): void {
    if (seq <= this.lastSeq) throw new RangeError(`snapshot at ${seq} is not after the last one (${this.lastSeq})`);
    const index = this.#seqs.length;
    const memory = this.memory.bytes();
    let pages: number[];
    if (index === 0) {
      pages = [];
      for (let page = 0; page * this.memory.pageBytes < memory.length; page++) if (!this.memory.excluded(page)) pages.push(page);
    } else {
      // Pages that may differ from the last snapshot: dirtied since the base was restored, plus
      // pages that changed between the base and the last snapshot (re-execution after a seek).
      const marks = this.#base < 0 ? new Set(this.#memory.allPages()) : this.#memory.changedBetween(this.#base, index - 1);
      for (const page of this.memory.dirtyPages()) if (!this.memory.excluded(page)) marks.add(page);
      pages = [...marks].sort((x, y) => x - y);
    }
    this.#memory.record(pages, memory);

    const image = stateImage(state);
    const previous = this.#lastImage;
    const statePages: number[] = [];
    const words = new Uint32Array(image.buffer), before = previous ? new Uint32Array(previous.buffer) : undefined;
    const pageWords = STATE_PAGE_BYTES / 4;
    for (let page = 0; page * STATE_PAGE_BYTES < image.length; page++) {
      if (!before) { statePages.push(page); continue; }
      for (let w = page * pageWords, end = Math.min(words.length, w + pageWords); w < end; w++) {
        if (words[w] !== before[w]) { statePages.push(page); break; }
      }
    }
    this.#state.record(statePages, image);
    this.#lastImage = image;
    this.#seqs.push(seq);
    this.memory.clearDirty();
    this.#base = index;
  }

  /** Index of the last snapshot at or before seq (-1 if none). */
  nearest(seq: number): number {
    let low = 0, high = this.#seqs.length - 1, found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.#seqs[middle] <= seq) { found = middle; low = middle + 1; } else high = middle - 1;
    }
    return found;
  }

  /** Puts the core's memory and `state` back to snapshot `index`. `full` copies every page. */
  restore(index: number, state: KernelState, full = false): number {
    const memory = this.memory.bytes();
    let pages: Iterable<number>;
    if (full || this.#base < 0) {
      pages = this.#memory.allPages();
    } else {
      const marks = this.#memory.changedBetween(Math.min(this.#base, index), Math.max(this.#base, index));
      for (const page of this.memory.dirtyPages()) if (!this.memory.excluded(page)) marks.add(page);
      pages = marks;
    }
    let copied = 0;
    for (const page of pages) if (this.#memory.copyVersion(page, index, memory)) copied++;

    const image = new Uint8Array(imageBytes(state));
    for (let page = 0; page * STATE_PAGE_BYTES < image.length; page++) this.#state.copyVersion(page, index, image);
    loadStateImage(state, image);
    this.memory.clearDirty();
    this.#base = index;
    return copied;
  }

  /** A store for a new branch: the snapshots up to and including seq, shared, not copied. */
  fork(seq: number): SnapshotStore {
    const keep = this.nearest(seq) + 1;
    const forked = new SnapshotStore(this.memory, this.budgetBytes);
    forked.#seqs = this.#seqs.slice(0, keep);
    forked.#memory = this.#memory.fork(keep);
    forked.#state = this.#state.fork(keep);
    // Diffs stay small when the fork starts right after this store's last snapshot: the memory is
    // that snapshot plus the pages dirtied since, and the state image is the one to compare with.
    forked.#lastImage = keep === this.count ? this.#lastImage : undefined;
    forked.#base = this.#base >= 0 && this.#base < keep ? this.#base : -1;
    return forked;
  }

  /** Forget which snapshot the memory equals (another store touched the memory). */
  invalidateBase(): void {
    this.#base = -1;
  }
}

/** Bytes of the state's arrays laid end to end, each padded to 8 bytes. */
function imageBytes(state: KernelState): number {
  let bytes = 0;
  for (const key of STATE_ARRAYS) bytes += ((state[key] as unknown as ArrayBufferView).byteLength + 7) & ~7;
  return (bytes + STATE_PAGE_BYTES - 1) & ~(STATE_PAGE_BYTES - 1);
}

export function stateImage(state: KernelState): Uint8Array {
  const image = new Uint8Array(imageBytes(state));
  let offset = 0;
  for (const key of STATE_ARRAYS) {
    const array = state[key] as unknown as ArrayBufferView;
    image.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
    offset += (array.byteLength + 7) & ~7;
  }
  return image;
}

function loadStateImage(state: KernelState, image: Uint8Array): void {
  let offset = 0;
  for (const key of STATE_ARRAYS) {
    const array = state[key] as unknown as ArrayBufferView;
    new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(image.subarray(offset, offset + array.byteLength));
    offset += (array.byteLength + 7) & ~7;
  }
}
