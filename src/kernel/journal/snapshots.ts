// Snapshots for time travel: the kernel state (a copy of its typed arrays) plus the core's memory,
// stored incrementally: snapshot 0 holds every page of the core, each later one only the pages
// the core's dirty bitmap says changed since the previous snapshot. Restoring snapshot k copies,
// for each page that may differ, its latest version at or before k.
import { cloneState, restoreState, stateBytes, type KernelState } from '../state';

export interface CoreMemory {
  /** The core's whole linear memory (re-read after any call: it may have grown). */
  bytes(): Uint8Array;
  pageBytes: number;
  /** Pages written since the last clear, as page indices in ascending order. */
  dirtyPages(): number[];
  clearDirty(): void;
  /** Pages never to save or restore (the dirty bitmap itself, scratch buffers). */
  excluded(page: number): boolean;
}

interface Snapshot {
  seq: number;
  state: KernelState;
  /** Page indices stored with this snapshot, ascending. */
  pages: Int32Array;
  /** Their bytes, pages.length * pageBytes. */
  data: Uint8Array;
}

export class SnapshotStore {
  #snapshots: Snapshot[] = [];
  /** For each page, the snapshot indices that stored it, ascending. */
  #versions: number[][] = [];
  /** The snapshot the core's memory equals, apart from pages dirtied since. */
  #base = -1;
  #bytes = 0;

  constructor(private readonly memory: CoreMemory, readonly budgetBytes: number) {}

  get count(): number { return this.#snapshots.length; }
  get bytes(): number { return this.#bytes; }
  get lastSeq(): number { return this.#snapshots.length ? this.#snapshots[this.#snapshots.length - 1].seq : -1; }
  seqAt(index: number): number { return this.#snapshots[index].seq; }

  /** Records the state at `seq` (must be after the last snapshot). */
  take(seq: number, state: KernelState): void {
    if (seq <= this.lastSeq) throw new RangeError(`snapshot at ${seq} is not after the last one (${this.lastSeq})`);
    const memory = this.memory.bytes();
    const pageBytes = this.memory.pageBytes;
    const index = this.#snapshots.length;
    let pages: number[];
    if (index === 0) {
      pages = [];
      for (let page = 0; page * pageBytes < memory.length; page++) if (!this.memory.excluded(page)) pages.push(page);
    } else {
      // Pages that may differ from the last snapshot: dirtied since the base was restored, plus
      // pages that changed between the base and the last snapshot (re-execution after a seek).
      const marks = this.#changedBetween(this.#base, index - 1);
      for (const page of this.memory.dirtyPages()) if (!this.memory.excluded(page)) marks.add(page);
      pages = [...marks].sort((x, y) => x - y);
    }
    const data = new Uint8Array(pages.length * pageBytes);
    pages.forEach((page, i) => data.set(memory.subarray(page * pageBytes, (page + 1) * pageBytes), i * pageBytes));
    for (const page of pages) (this.#versions[page] ??= []).push(index);
    const snapshot = { seq, state: cloneState(state), pages: Int32Array.from(pages), data };
    this.#snapshots.push(snapshot);
    this.#bytes += data.byteLength + stateBytes(snapshot.state);
    this.memory.clearDirty();
    this.#base = index;
  }

  /** Index of the last snapshot at or before seq (-1 if none). */
  nearest(seq: number): number {
    let low = 0, high = this.#snapshots.length - 1, found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.#snapshots[middle].seq <= seq) { found = middle; low = middle + 1; } else high = middle - 1;
    }
    return found;
  }

  /** Puts the core's memory and `state` back to snapshot `index`. `full` copies every page. */
  restore(index: number, state: KernelState, full = false): number {
    const snapshot = this.#snapshots[index];
    const memory = this.memory.bytes();
    const pageBytes = this.memory.pageBytes;
    let pages: Iterable<number>;
    if (full || this.#base < 0) {
      pages = this.#versions.keys();
    } else {
      const marks = this.#changedBetween(Math.min(this.#base, index), Math.max(this.#base, index));
      for (const page of this.memory.dirtyPages()) if (!this.memory.excluded(page)) marks.add(page);
      pages = marks;
    }
    let copied = 0;
    for (const page of pages) {
      const versions = this.#versions[page];
      if (!versions) continue;
      const version = latestAtOrBefore(versions, index);
      if (version < 0) continue;
      const source = this.#snapshots[version];
      const at = binarySearch(source.pages, page);
      memory.set(source.data.subarray(at * pageBytes, (at + 1) * pageBytes), page * pageBytes);
      copied++;
    }
    restoreState(state, snapshot.state);
    this.memory.clearDirty();
    this.#base = index;
    return copied;
  }

  /** A store for a new branch: the snapshots up to and including seq, shared, not copied. */
  fork(seq: number): SnapshotStore {
    const keep = this.nearest(seq) + 1;
    const forked = new SnapshotStore(this.memory, this.budgetBytes);
    forked.#snapshots = this.#snapshots.slice(0, keep);
    forked.#versions = this.#versions.map((versions) => versions.filter((index) => index < keep));
    forked.#bytes = forked.#snapshots.reduce((sum, s) => sum + s.data.byteLength + stateBytes(s.state), 0);
    // The core's memory is not known relative to the new store until a full restore.
    forked.#base = -1;
    return forked;
  }

  /** Forget which snapshot the memory equals (another store touched the memory). */
  invalidateBase(): void {
    this.#base = -1;
  }

  #changedBetween(from: number, to: number): Set<number> {
    const marks = new Set<number>();
    for (let index = Math.max(0, from) + 1; index <= to; index++) for (const page of this.#snapshots[index].pages) marks.add(page);
    return marks;
  }
}

function latestAtOrBefore(versions: number[], index: number): number {
  let low = 0, high = versions.length - 1, found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (versions[middle] <= index) { found = versions[middle]; low = middle + 1; } else high = middle - 1;
  }
  return found;
}

function binarySearch(sorted: Int32Array, value: number): number {
  let low = 0, high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] === value) return middle;
    if (sorted[middle] < value) low = middle + 1; else high = middle - 1;
  }
  throw new Error(`snapshot store: page ${value} missing from the snapshot that lists it`);
}
