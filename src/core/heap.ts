// Typed wrapper over the wasm allocator (assembly/heap/): one simulated heap per node (TLSF,
// buddy, first fit or best fit; chosen at boot, switchable live with setAllocator). alloc returns a block id (>= 0) or a negative HeapCode; out of memory
// is a code the kernel turns into an event, never an exception.
import type { CoreExports } from './exports';

export const HEAP_ALLOCATORS = ['tlsf', 'buddy', 'first-fit', 'best-fit'] as const;
export type HeapAllocator = (typeof HEAP_ALLOCATORS)[number];
/** A heap's granule in bytes: every block is a whole number of them (heapInit; 16 unless a spec says `granule: 8B`). */
export const HEAP_GRANULES = [16, 8] as const;
export type HeapGranule = (typeof HEAP_GRANULES)[number];

export const HeapCode = {
  ok: 0,
  badNode: -1,
  badOwner: -2,
  badSize: -3,
  outOfMemory: -4,
  blocksFull: -5, // no block record left (raise blocksPerHeap)
  badBlock: -6,
  notConfigured: -7,
  badConfig: -8,
  badOp: -9,
  batchTooLong: -10,
  notInitialized: -11,
  badBuffer: -12,
  busy: -13, // switching to buddy needs an empty heap
} as const;
const CODE_NAMES = new Map<number, string>(Object.entries(HeapCode).map(([name, code]) => [code, name]));
export function heapCodeName(code: number): string { return CODE_NAMES.get(code) ?? `code ${code}`; }

export const HeapOp = { alloc: 1, free: 2, freeAll: 3, realloc: 4 } as const;
export const HEAP_FREE_OWNER = 0xffffffff;

const INVARIANT_NAMES: Record<number, string> = {
  1: 'blocks do not tile the heap in address order',
  2: 'two free neighbours were not coalesced',
  3: 'used/free block or byte counts disagree',
  4: 'a free list holds a wrong block or misses one',
  5: 'a bitmap bit disagrees with its list',
  6: "an owner's block list or accounting is wrong",
  7: 'a buddy block is not a power of two or is misaligned',
  8: "a block's id does not map to its slot, or its slot is marked spare",
};

export interface HeapStats {
  heapBytes: number;
  freeBytes: number;
  usedBytes: number;
  peakUsedBytes: number;
  usedBlocks: number;
  freeBlocks: number;
  largestFreeBytes: number;
  /** 1000 * (1 - largest free / free): 0 = all free space in one block. */
  fragmentationPermille: number;
  failedAllocs: number;
  /** Every block is a whole number of these: 16 or 8 bytes. */
  granuleBytes: number;
}

export interface HeapOwnerStats { bytesInUse: number; peakBytes: number; blockCount: number }

/** One range of the memory map: owner null = free. */
export interface HeapRange { address: number; size: number; owner: number | null }

export interface HeapBatch {
  readonly length: number;
  /** arg: bytes (alloc) or the block (free, realloc); arg2: realloc's new bytes. */
  push(op: number, node: number, pid: number, arg?: number, arg2?: number): void;
  /** 4 words per command: result (block id or code), address, size, 0. */
  run(): Int32Array;
}

export interface Heap {
  configure(nodeCount: number, blocksPerHeap: number, ownersPerHeap: number): void;
  /** Starts a node's heap, all free; blocks are whole granules of 16 bytes (the default) or 8. */
  init(node: number, allocator: HeapAllocator, heapBytes: number, granule?: HeapGranule): void;
  /** Switches the policy, blocks staying where they are; 0, or busy (to buddy needs an empty heap). */
  setAllocator(node: number, allocator: HeapAllocator): number;
  allocator(node: number): HeapAllocator | null;
  alloc(node: number, pid: number, bytes: number): number;
  /** The block's id after the resize (another id when it moved) or a negative HeapCode. */
  realloc(node: number, pid: number, block: number, bytes: number): number;
  free(node: number, pid: number, block: number): number;
  freeAll(node: number, pid: number): number;
  blockAddress(node: number, block: number): number;
  blockSize(node: number, block: number): number;
  stats(node: number): HeapStats;
  owner(node: number, pid: number): HeapOwnerStats;
  /** The memory map, merged by owner, at most maxRanges ranges from fromAddress. */
  map(node: number, maxRanges?: number, fromAddress?: number): HeapRange[];
  batch(): HeapBatch;
  checkInvariants(node: number): void;
  /** The main region then the id index, raw (what a restore puts back). */
  exportState(): Uint8Array;
  importState(bytes: Uint8Array): void;
  /** The canonical image of the main region (what stateHash hashes), in chunks of at most heapImageBytesMax bytes. */
  imageChunks(): Generator<Uint8Array>;
}

/** The canonical image of the allocator's main region, chunk by chunk (each chunk valid until the next is asked for). */
export function* heapImageChunks(exports: CoreExports): Generator<Uint8Array> {
  const total = exports.heapStateBytes(), max = exports.heapImageBytesMax();
  for (let from = 0; from < total; from += max) {
    const bytes = Math.min(max, total - from);
    const code = exports.heapImage(from, bytes);
    if (code !== bytes) throw new Error(`heap image [${from}, ${from + bytes}) failed: ${heapCodeName(code)}`);
    yield new Uint8Array(exports.memory.buffer, exports.heapImagePtr(), bytes);
  }
}

export function wrapHeap(exports: CoreExports): Heap {
  const opsMax = exports.heapBatchOpsMax();
  const mapEntriesMax = Math.floor((opsMax * 16) / 12);
  return {
    configure(nodeCount, blocksPerHeap, ownersPerHeap) {
      const code = exports.heapConfigure(nodeCount, blocksPerHeap, ownersPerHeap);
      if (code !== 0) throw new RangeError(`heap configure(${nodeCount}, ${blocksPerHeap}, ${ownersPerHeap}) failed: ${heapCodeName(code)}`);
    },
    init(node, allocator, heapBytes, granule = 16) {
      const code = exports.heapInit(node, HEAP_ALLOCATORS.indexOf(allocator) + 1, heapBytes >>> 0, granule);
      if (code !== 0) throw new RangeError(`heap init(${node}, ${allocator}, ${heapBytes}, granule ${granule}) failed: ${heapCodeName(code)}`);
    },
    setAllocator: (node, allocator) => exports.heapSetAllocator(node, HEAP_ALLOCATORS.indexOf(allocator) + 1),
    allocator: (node) => HEAP_ALLOCATORS[exports.heapAllocator(node) - 1] ?? null,
    alloc: (node, pid, bytes) => exports.heapAlloc(node, pid, bytes >>> 0),
    realloc: (node, pid, block, bytes) => exports.heapRealloc(node, pid, block, bytes >>> 0),
    free: (node, pid, block) => exports.heapFree(node, pid, block),
    freeAll: (node, pid) => exports.heapFreeAll(node, pid),
    blockAddress: (node, block) => exports.heapBlockAddress(node, block),
    blockSize: (node, block) => exports.heapBlockSize(node, block),
    stats(node) {
      const heapBytes = exports.heapBytes(node) >>> 0, freeBytes = exports.heapFreeBytes(node) >>> 0;
      return {
        heapBytes, freeBytes, usedBytes: heapBytes - freeBytes,
        peakUsedBytes: exports.heapPeakUsedBytes(node) >>> 0,
        usedBlocks: exports.heapUsedBlocks(node) >>> 0,
        freeBlocks: exports.heapFreeBlocks(node) >>> 0,
        largestFreeBytes: exports.heapLargestFree(node) >>> 0,
        fragmentationPermille: exports.heapFragmentationPermille(node) >>> 0,
        failedAllocs: exports.heapFailedAllocs(node) >>> 0,
        granuleBytes: exports.heapGranule(node),
      };
    },
    owner: (node, pid) => ({
      bytesInUse: exports.heapOwnerBytes(node, pid) >>> 0,
      peakBytes: exports.heapOwnerPeakBytes(node, pid) >>> 0,
      blockCount: exports.heapOwnerBlocks(node, pid) >>> 0,
    }),
    map(node, maxRanges = mapEntriesMax, fromAddress = 0) {
      const count = Math.min(maxRanges, mapEntriesMax);
      const ptr = exports.heapBatchPtr();
      const written = exports.heapMapExport(node, ptr, count, fromAddress >>> 0);
      if (written < 0) throw new RangeError(`heap map on node ${node}: ${heapCodeName(written)}`);
      const words = new Uint32Array(exports.memory.buffer, ptr, written * 3);
      const ranges: HeapRange[] = [];
      for (let i = 0; i < written; i++) {
        const owner = words[i * 3 + 2];
        ranges.push({ address: words[i * 3], size: words[i * 3 + 1], owner: owner === HEAP_FREE_OWNER ? null : owner });
      }
      return ranges;
    },
    batch() {
      let length = 0;
      return {
        get length() { return length; },
        push(op, node, pid, arg = 0, arg2 = 0) {
          if (length >= opsMax) throw new RangeError(`heap batch holds at most ${opsMax} commands`);
          const words = new Uint32Array(exports.memory.buffer, exports.heapBatchPtr() + length * 16, 4);
          words[0] = (op & 0xff) | (node << 8); words[1] = pid; words[2] = arg >>> 0; words[3] = arg2 >>> 0;
          length++;
        },
        run() {
          const count = length;
          length = 0;
          exports.heapBatch(count);
          return new Int32Array(exports.memory.buffer, exports.heapBatchPtr(), count * 4);
        },
      };
    },
    imageChunks: () => heapImageChunks(exports),
    checkInvariants(node) {
      const code = exports.heapCheckInvariants(node);
      if (code !== 0) throw new Error(`heap invariant broken on node ${node}: ${INVARIANT_NAMES[code] ?? heapCodeName(code)}`);
    },
    exportState() {
      const main = exports.heapStateBytes(), index = exports.heapIndexBytes();
      const out = new Uint8Array(main + index);
      out.set(new Uint8Array(exports.memory.buffer, exports.heapStatePtr(), main));
      out.set(new Uint8Array(exports.memory.buffer, exports.heapIndexPtr(), index), main);
      return out;
    },
    importState(bytes) {
      const main = exports.heapStateBytes(), index = exports.heapIndexBytes(), size = main + index;
      if (bytes.length !== size) throw new RangeError(`heap state is ${size} bytes, got ${bytes.length}`);
      new Uint8Array(exports.memory.buffer, exports.heapStatePtr(), main).set(bytes.subarray(0, main));
      new Uint8Array(exports.memory.buffer, exports.heapIndexPtr(), index).set(bytes.subarray(main));
      const code = exports.heapRestored();
      if (code !== 0) throw new RangeError(`heap state does not match this configuration: ${heapCodeName(code)}`);
    },
  };
}
