// Plain TypeScript model of one node's simulated heap (assembly/heap/): the same TLSF, buddy,
// first-fit and best-fit allocators (and realloc, and live policy switches) over the same block-record pool (same ids, same addresses, same list orders), on
// typed arrays. Oracle of the differential tests and the "same algorithm in TypeScript" peer of
// the allocator benchmark.

export const NONE = 0xffffffff;
export const ALLOCATOR_TLSF = 1, ALLOCATOR_BUDDY = 2, ALLOCATOR_FIRST_FIT = 3, ALLOCATOR_BEST_FIT = 4;
export const HEAP_OK = 0, HEAP_E_OWNER = -2, HEAP_E_SIZE = -3, HEAP_E_OUT_OF_MEMORY = -4, HEAP_E_BLOCKS_FULL = -5,
  HEAP_E_BLOCK = -6, HEAP_E_CONFIG = -8, HEAP_E_BUSY = -13;
const FLAG_LIVE = 1, FLAG_FREE = 2;
const SL_BITS = 4, SL_COUNT = 16, SB_BITS = 8, SB_SIZE = 256, FL_COUNT = 31 - SB_BITS + 2, ORDER_MAX = 31;
const GRANULES = [16, 8];
const FINE_BYTES_MAX = 2 ** 30; // a heap of 8-byte granules
const HEAP_BYTES_MAX = 2 ** 31;

const fls = (x: number) => 31 - Math.clz32(x);
const ctz = (x: number) => 31 - Math.clz32(x & -x);
/** TLSF's list of a size; `fine` 1 on a heap of 8-byte granules: 8-byte classes below 128, a class per 1/16 of a power of two above. */
function tlsfList(size: number, fine: number): number {
  if (fine === 1) {
    if (size < 128) return size / 8;
    const f = fls(size);
    return (f - 6) * SL_COUNT + (((size >>> (f - SL_BITS)) ^ (1 << SL_BITS)) >>> 0);
  }
  if (size < SB_SIZE) return size >>> 4;
  const f = fls(size);
  return (f - (SB_BITS - 1)) * SL_COUNT + (((size >>> (f - SL_BITS)) ^ (1 << SL_BITS)) >>> 0);
}
const orderFor = (size: number) => (size <= 8 ? 3 : 32 - Math.clz32(size - 1));

export class HeapModel {
  readonly blocksMax: number;
  readonly ownersMax: number;
  allocator = 0;
  heapBytes = 0;
  freeBytes = 0;
  usedBlocks = 0;
  freeBlocks = 0;
  highWater = 0;
  recordFreeHead = NONE;
  firstBlock = NONE;
  flMap = 0;
  failedAllocs = 0;
  peakUsedBytes = 0;
  /** Blocks are whole granules: 16 or 8 bytes. */
  granule = 16;
  readonly slMap = new Uint32Array(FL_COUNT);
  readonly heads = new Uint32Array(FL_COUNT * SL_COUNT);
  readonly address: Uint32Array;
  readonly size: Uint32Array;
  readonly prevPhys: Uint32Array;
  readonly nextPhys: Uint32Array;
  readonly prevLink: Uint32Array;
  readonly nextLink: Uint32Array;
  readonly owner: Uint32Array;
  readonly flags: Uint32Array;
  readonly ownerBytes: Uint32Array;
  readonly ownerPeak: Uint32Array;
  readonly ownerBlocks: Uint32Array;
  readonly ownerFirst: Uint32Array;

  constructor(blocksMax: number, ownersMax: number) {
    this.blocksMax = blocksMax;
    this.ownersMax = ownersMax;
    this.address = new Uint32Array(blocksMax);
    this.size = new Uint32Array(blocksMax);
    this.prevPhys = new Uint32Array(blocksMax);
    this.nextPhys = new Uint32Array(blocksMax);
    this.prevLink = new Uint32Array(blocksMax);
    this.nextLink = new Uint32Array(blocksMax);
    this.owner = new Uint32Array(blocksMax);
    this.flags = new Uint32Array(blocksMax);
    this.ownerBytes = new Uint32Array(ownersMax);
    this.ownerPeak = new Uint32Array(ownersMax);
    this.ownerBlocks = new Uint32Array(ownersMax);
    this.ownerFirst = new Uint32Array(ownersMax).fill(NONE);
  }

  private get fine(): number { return this.granule === 8 ? 1 : 0; }

  init(allocator: number, heapBytes: number, granule = 16): number {
    if (!GRANULES.includes(granule)) return HEAP_E_CONFIG;
    if (heapBytes < granule || heapBytes > (granule === 8 ? FINE_BYTES_MAX : HEAP_BYTES_MAX) || heapBytes % granule !== 0) return HEAP_E_SIZE;
    this.granule = granule;
    for (const a of [this.address, this.size, this.prevPhys, this.nextPhys, this.prevLink, this.nextLink, this.owner, this.flags]) a.fill(0);
    this.ownerBytes.fill(0); this.ownerPeak.fill(0); this.ownerBlocks.fill(0); this.ownerFirst.fill(NONE);
    this.slMap.fill(0); this.heads.fill(NONE);
    this.flMap = 0; this.failedAllocs = 0; this.peakUsedBytes = 0; this.usedBlocks = 0; this.freeBlocks = 0; this.highWater = 0;
    this.allocator = allocator; this.heapBytes = heapBytes; this.freeBytes = heapBytes;
    this.recordFreeHead = NONE; this.firstBlock = NONE;
    if (allocator !== ALLOCATOR_BUDDY) {
      this.insertFree(this.newFreeBlock(NONE, 0, heapBytes));
      this.freeBlocks = 1;
    } else {
      let address = 0, last = NONE, tiles = 0;
      while (address < heapBytes && tiles <= ORDER_MAX) {
        const size = 2 ** fls(heapBytes - address);
        last = this.newFreeBlock(last, address, size);
        this.buddyInsert(last);
        address += size;
        tiles++;
      }
      this.freeBlocks = tiles;
    }
    return HEAP_OK;
  }

  // ── records ──
  private newRecord(): number {
    const head = this.recordFreeHead;
    if (head !== NONE) { this.recordFreeHead = this.nextLink[head]; return head; }
    if (this.highWater < this.blocksMax) return this.highWater++;
    return NONE;
  }
  private recordsAvailable(): number { return this.blocksMax - this.usedBlocks - this.freeBlocks; }
  private releaseRecord(block: number): void {
    this.address[block] = 0; this.size[block] = 0; this.prevPhys[block] = 0; this.nextPhys[block] = 0;
    this.prevLink[block] = 0; this.owner[block] = 0; this.flags[block] = 0;
    this.nextLink[block] = this.recordFreeHead;
    this.recordFreeHead = block;
  }
  private newFreeBlock(after: number, address: number, size: number): number {
    const block = this.newRecord();
    if (block === NONE) throw new Error('caller checked that a record is available');
    this.address[block] = address; this.size[block] = size; this.owner[block] = NONE; this.flags[block] = FLAG_LIVE | FLAG_FREE;
    this.prevPhys[block] = after;
    if (after === NONE) { this.nextPhys[block] = NONE; this.firstBlock = block; }
    else {
      const next = this.nextPhys[after];
      this.nextPhys[block] = next;
      if (next !== NONE) this.prevPhys[next] = block;
      this.nextPhys[after] = block;
    }
    return block;
  }
  private unlinkPhysical(block: number): void {
    const prev = this.prevPhys[block], next = this.nextPhys[block];
    if (prev === NONE) this.firstBlock = next; else this.nextPhys[prev] = next;
    if (next !== NONE) this.prevPhys[next] = prev;
  }

  // ── free lists ──
  private pushList(list: number, block: number): void {
    const head = this.heads[list];
    this.prevLink[block] = NONE;
    this.nextLink[block] = head;
    if (head !== NONE) this.prevLink[head] = block;
    this.heads[list] = block;
  }
  private unlinkList(list: number, block: number): boolean {
    const prev = this.prevLink[block], next = this.nextLink[block];
    if (prev !== NONE) this.nextLink[prev] = next;
    if (next !== NONE) this.prevLink[next] = prev;
    let emptied = false;
    if (this.heads[list] === block) { this.heads[list] = next; emptied = next === NONE; }
    this.prevLink[block] = NONE;
    this.nextLink[block] = NONE;
    return emptied;
  }
  private tlsfInsert(block: number): void {
    const list = tlsfList(this.size[block], this.fine);
    const fl = (list / SL_COUNT) | 0, sl = list % SL_COUNT;
    this.pushList(list, block);
    this.flMap = (this.flMap | (1 << fl)) >>> 0;
    this.slMap[fl] |= 1 << sl;
  }
  private tlsfRemove(block: number): void {
    const list = tlsfList(this.size[block], this.fine);
    const fl = (list / SL_COUNT) | 0, sl = list % SL_COUNT;
    if (this.unlinkList(list, block)) {
      this.slMap[fl] &= ~(1 << sl);
      if (this.slMap[fl] === 0) this.flMap = (this.flMap & ~(1 << fl)) >>> 0;
    }
  }
  private tlsfSearch(size: number): number {
    if (this.fine === 1 && size >= 256) {
      // 8-byte granules: a class from 256 up holds several sizes; its head is tried before the rounded search.
      const head = this.heads[tlsfList(size, 1)];
      if (head !== NONE && this.size[head] >= size) return head;
    }
    let request = size;
    if (request >= SB_SIZE >>> this.fine) request += 2 ** (fls(request) - SL_BITS) - 1;
    const list = tlsfList(request, this.fine);
    let fl = (list / SL_COUNT) | 0;
    const sl = list % SL_COUNT;
    if (fl >= FL_COUNT) return NONE;
    let slMap = (this.slMap[fl] & (0xffffffff << sl)) >>> 0;
    if (slMap === 0) {
      const flMap = fl + 1 >= 32 ? 0 : (this.flMap & (0xffffffff << (fl + 1))) >>> 0;
      if (flMap === 0) return NONE;
      fl = ctz(flMap);
      slMap = this.slMap[fl];
    }
    return this.heads[fl * SL_COUNT + ctz(slMap)];
  }
  private buddyInsert(block: number): void {
    const order = fls(this.size[block]);
    this.pushList(order, block);
    this.flMap = (this.flMap | (1 << order)) >>> 0;
  }
  private buddyRemove(block: number): void {
    const order = fls(this.size[block]);
    if (this.unlinkList(order, block)) this.flMap = (this.flMap & ~(1 << order)) >>> 0;
  }

  // First fit: heads[0] / heads[1] = the lowest / highest-address free block, linked in address order.
  private ffLinkAfter(block: number, before: number): void {
    const after = before === NONE ? this.heads[0] : this.nextLink[before];
    this.prevLink[block] = before;
    this.nextLink[block] = after;
    if (before === NONE) this.heads[0] = block; else this.nextLink[before] = block;
    if (after === NONE) this.heads[1] = block; else this.prevLink[after] = block;
  }
  private ffRemove(block: number): void {
    const prev = this.prevLink[block], next = this.nextLink[block];
    if (prev === NONE) this.heads[0] = next; else this.nextLink[prev] = next;
    if (next === NONE) this.heads[1] = prev; else this.prevLink[next] = prev;
    this.prevLink[block] = NONE;
    this.nextLink[block] = NONE;
  }
  private ffReplace(old: number, block: number): void {
    const prev = this.prevLink[old];
    this.ffRemove(old);
    this.ffLinkAfter(block, prev);
  }
  /** Straightforward: the last listed block below the address (the core walks neighbours first). */
  private ffInsert(block: number): void {
    let before = NONE;
    for (let at = this.heads[0]; at !== NONE && this.address[at] < this.address[block]; at = this.nextLink[at]) before = at;
    this.ffLinkAfter(block, before);
  }
  private insertFree(block: number): void {
    if (this.allocator === ALLOCATOR_FIRST_FIT) this.ffInsert(block);
    else if (this.allocator === ALLOCATOR_BUDDY) this.buddyInsert(block);
    else this.tlsfInsert(block);
  }
  private removeFree(block: number): void {
    if (this.allocator === ALLOCATOR_FIRST_FIT) this.ffRemove(block);
    else if (this.allocator === ALLOCATOR_BUDDY) this.buddyRemove(block);
    else this.tlsfRemove(block);
  }
  private resizeFree(block: number, address: number, size: number): void {
    if (this.allocator === ALLOCATOR_FIRST_FIT) { this.address[block] = address; this.size[block] = size; return; }
    this.tlsfRemove(block);
    this.address[block] = address;
    this.size[block] = size;
    this.tlsfInsert(block);
  }
  /** The smallest block of a list holding `size` bytes (the first of equals). */
  private smallestIn(list: number, size: number): number {
    let best = NONE, bestSize = Infinity;
    for (let at = this.heads[list]; at !== NONE; at = this.nextLink[at]) {
      if (this.size[at] >= size && this.size[at] < bestSize) { best = at; bestSize = this.size[at]; if (bestSize === size) break; }
    }
    return best;
  }
  private search(size: number): number {
    if (this.allocator === ALLOCATOR_FIRST_FIT) {
      for (let at = this.heads[0]; at !== NONE; at = this.nextLink[at]) if (this.size[at] >= size) return at;
      return NONE;
    }
    const list = tlsfList(size, this.fine);
    if (list >= FL_COUNT * SL_COUNT) return NONE;
    if (this.allocator === ALLOCATOR_TLSF) {
      const found = this.tlsfSearch(size);
      if (found !== NONE) return found;
      for (let at = this.heads[list]; at !== NONE; at = this.nextLink[at]) if (this.size[at] >= size) return at;
      return NONE;
    }
    // best fit: the own class (may hold smaller blocks), else the smallest of the next non-empty class
    const own = this.smallestIn(list, size);
    if (own !== NONE) return own;
    for (let next = list + 1; next < FL_COUNT * SL_COUNT; next++) if (this.heads[next] !== NONE) return this.smallestIn(next, size);
    return NONE;
  }

  /** Takes a free block for `size` bytes out of the lists: its id or an error (no accounting). */
  private carve(size: number): number {
    let block: number;
    if (this.allocator !== ALLOCATOR_BUDDY) {
      block = this.search(size);
      if (block === NONE) return HEAP_E_OUT_OF_MEMORY;
      const remainder = this.size[block] - size;
      if (remainder >= this.granule) {
        if (this.recordsAvailable() === 0) return HEAP_E_BLOCKS_FULL;
        if (this.allocator === ALLOCATOR_FIRST_FIT) {
          this.size[block] = size;
          this.ffReplace(block, this.newFreeBlock(block, this.address[block] + size, remainder));
        } else {
          this.tlsfRemove(block);
          this.size[block] = size;
          this.tlsfInsert(this.newFreeBlock(block, this.address[block] + size, remainder));
        }
      } else {
        this.removeFree(block);
        this.freeBlocks--;
      }
    } else {
      const order = orderFor(size);
      const map = order > ORDER_MAX ? 0 : (this.flMap & (0xffffffff << order)) >>> 0;
      if (map === 0) return HEAP_E_OUT_OF_MEMORY;
      let found = ctz(map);
      if (this.recordsAvailable() < found - order) return HEAP_E_BLOCKS_FULL;
      block = this.heads[found];
      this.buddyRemove(block);
      this.freeBlocks--;
      while (found > order) {
        found--;
        const half = 2 ** found;
        this.size[block] = half;
        this.buddyInsert(this.newFreeBlock(block, this.address[block] + half, half));
        this.freeBlocks++;
      }
    }
    return block;
  }

  private grant(block: number, pid: number): void {
    const granted = this.size[block];
    this.flags[block] = FLAG_LIVE;
    this.owner[block] = pid;
    const first = this.ownerFirst[pid];
    this.prevLink[block] = NONE;
    this.nextLink[block] = first;
    if (first !== NONE) this.prevLink[first] = block;
    this.ownerFirst[pid] = block;
    const ownerBytes = this.ownerBytes[pid] + granted;
    this.ownerBytes[pid] = ownerBytes;
    if (ownerBytes > this.ownerPeak[pid]) this.ownerPeak[pid] = ownerBytes;
    this.ownerBlocks[pid]++;
    this.usedBlocks++;
    this.freeBytes -= granted;
    const usedBytes = this.heapBytes - this.freeBytes;
    if (usedBytes > this.peakUsedBytes) this.peakUsedBytes = usedBytes;
  }

  // ── operations ──
  alloc(pid: number, bytes: number): number {
    if (pid >= this.ownersMax) return HEAP_E_OWNER;
    if (bytes === 0 || bytes > HEAP_BYTES_MAX) return HEAP_E_SIZE;
    const size = Math.ceil(bytes / this.granule) * this.granule;
    const block = this.carve(size);
    if (block < 0) { this.failedAllocs++; return block; }
    this.grant(block, pid);
    return block;
  }

  private accountResize(block: number, newSize: number): void {
    const old = this.size[block], pid = this.owner[block];
    this.size[block] = newSize;
    this.ownerBytes[pid] = this.ownerBytes[pid] - old + newSize;
    if (this.ownerBytes[pid] > this.ownerPeak[pid]) this.ownerPeak[pid] = this.ownerBytes[pid];
    this.freeBytes = this.freeBytes + old - newSize;
    const usedBytes = this.heapBytes - this.freeBytes;
    if (usedBytes > this.peakUsedBytes) this.peakUsedBytes = usedBytes;
  }

  realloc(pid: number, block: number, bytes: number): number {
    if (pid >= this.ownersMax) return HEAP_E_OWNER;
    if (bytes === 0 || bytes > HEAP_BYTES_MAX) return HEAP_E_SIZE;
    if (block >= this.highWater || this.flags[block] !== FLAG_LIVE || this.owner[block] !== pid) return HEAP_E_BLOCK;
    const size = Math.ceil(bytes / this.granule) * this.granule;
    const current = this.size[block];
    const right = this.nextPhys[block];
    const rightFree = right !== NONE && (this.flags[right] & FLAG_FREE) !== 0;
    if (this.allocator === ALLOCATOR_BUDDY) {
      if (orderFor(size) === fls(current)) return block;
    } else if (size <= current) {
      const tail = current - size;
      if (tail === 0) return block;
      if (rightFree) {
        this.resizeFree(right, this.address[right] - tail, this.size[right] + tail);
        this.accountResize(block, size);
        return block;
      }
      if (this.recordsAvailable() === 0) return block;
      this.accountResize(block, size);
      this.insertFree(this.newFreeBlock(block, this.address[block] + size, tail));
      this.freeBlocks++;
      return block;
    } else if (rightFree && this.size[right] >= size - current) {
      const need = size - current, left = this.size[right] - need;
      if (left > 0) this.resizeFree(right, this.address[right] + need, left);
      else {
        this.removeFree(right);
        this.freeBlocks--;
        this.unlinkPhysical(right);
        this.releaseRecord(right);
      }
      this.accountResize(block, size);
      return block;
    }
    const moved = this.carve(size);
    if (moved < 0) { this.failedAllocs++; return moved; }
    this.grant(moved, pid);
    this.releaseBlock(block);
    return moved;
  }

  setAllocator(allocator: number): number {
    if (allocator < 1 || allocator > 4) return HEAP_E_CONFIG;
    if (allocator === this.allocator) return HEAP_OK;
    if (allocator === ALLOCATOR_BUDDY) return this.usedBlocks !== 0 ? HEAP_E_BUSY : this.init(allocator, this.heapBytes, this.granule);
    this.heads.fill(NONE); this.slMap.fill(0); this.flMap = 0;
    this.allocator = allocator;
    let free = 0;
    for (let at = this.firstBlock; at !== NONE; at = this.nextPhys[at]) {
      if ((this.flags[at] & FLAG_FREE) === 0) continue;
      for (let right = this.nextPhys[at]; right !== NONE && (this.flags[right] & FLAG_FREE) !== 0; right = this.nextPhys[at]) {
        this.size[at] += this.size[right];
        this.unlinkPhysical(right);
        this.releaseRecord(right);
      }
      if (allocator === ALLOCATOR_FIRST_FIT) this.ffLinkAfter(at, this.heads[1]); else this.tlsfInsert(at);
      free++;
    }
    this.freeBlocks = free;
    return HEAP_OK;
  }

  private releaseBlock(block: number): void {
    const pid = this.owner[block];
    const prev = this.prevLink[block], next = this.nextLink[block];
    if (prev === NONE) this.ownerFirst[pid] = next; else this.nextLink[prev] = next;
    if (next !== NONE) this.prevLink[next] = prev;
    const size = this.size[block];
    this.ownerBytes[pid] -= size;
    this.ownerBlocks[pid]--;
    this.usedBlocks--;
    this.freeBytes += size;
    this.flags[block] = FLAG_LIVE | FLAG_FREE;
    this.owner[block] = NONE;
    let freeBlocks = this.freeBlocks;
    if (this.allocator === ALLOCATOR_FIRST_FIT) {
      const left = this.prevPhys[block], right = this.nextPhys[block];
      const leftFree = left !== NONE && (this.flags[left] & FLAG_FREE) !== 0;
      const rightFree = right !== NONE && (this.flags[right] & FLAG_FREE) !== 0;
      if (leftFree) {
        this.size[left] += size;
        this.unlinkPhysical(block);
        this.releaseRecord(block);
        if (rightFree) {
          this.ffRemove(right);
          freeBlocks--;
          this.size[left] += this.size[right];
          this.unlinkPhysical(right);
          this.releaseRecord(right);
        }
      } else if (rightFree) {
        this.ffReplace(right, block);
        this.size[block] = size + this.size[right];
        this.unlinkPhysical(right);
        this.releaseRecord(right);
      } else {
        this.ffInsert(block);
        freeBlocks++;
      }
      this.freeBlocks = freeBlocks;
      return;
    }
    if (this.allocator !== ALLOCATOR_BUDDY) {
      const left = this.prevPhys[block];
      if (left !== NONE && (this.flags[left] & FLAG_FREE) !== 0) {
        this.tlsfRemove(left);
        freeBlocks--;
        this.size[left] += this.size[block];
        this.unlinkPhysical(block);
        this.releaseRecord(block);
        block = left;
      }
      const right = this.nextPhys[block];
      if (right !== NONE && (this.flags[right] & FLAG_FREE) !== 0) {
        this.tlsfRemove(right);
        freeBlocks--;
        this.size[block] += this.size[right];
        this.unlinkPhysical(right);
        this.releaseRecord(right);
      }
      this.tlsfInsert(block);
    } else {
      for (let guard = 0; guard <= ORDER_MAX; guard++) {
        const s = this.size[block];
        if ((this.address[block] & s) === 0) {
          const right = this.nextPhys[block];
          if (right === NONE || (this.flags[right] & FLAG_FREE) === 0 || this.size[right] !== s) break;
          this.buddyRemove(right);
          freeBlocks--;
          this.unlinkPhysical(right);
          this.releaseRecord(right);
          this.size[block] = s * 2;
        } else {
          const left = this.prevPhys[block];
          if (left === NONE || (this.flags[left] & FLAG_FREE) === 0 || this.size[left] !== s) break;
          this.buddyRemove(left);
          freeBlocks--;
          this.unlinkPhysical(block);
          this.releaseRecord(block);
          this.size[left] = s * 2;
          block = left;
        }
      }
      this.buddyInsert(block);
    }
    this.freeBlocks = freeBlocks + 1;
  }

  free(pid: number, block: number): number {
    if (pid >= this.ownersMax) return HEAP_E_OWNER;
    if (block >= this.highWater) return HEAP_E_BLOCK;
    if (this.flags[block] !== FLAG_LIVE || this.owner[block] !== pid) return HEAP_E_BLOCK;
    this.releaseBlock(block);
    return HEAP_OK;
  }

  freeAll(pid: number): number {
    if (pid >= this.ownersMax) return HEAP_E_OWNER;
    let freed = 0;
    for (let guard = 0; guard < this.blocksMax && this.ownerFirst[pid] !== NONE; guard++) {
      this.releaseBlock(this.ownerFirst[pid]);
      freed++;
    }
    return freed;
  }

  largestFree(): number {
    if (this.allocator === ALLOCATOR_BUDDY) return this.flMap === 0 ? 0 : 2 ** fls(this.flMap);
    if (this.allocator === ALLOCATOR_FIRST_FIT) {
      let best = 0;
      for (let at = this.heads[0]; at !== NONE; at = this.nextLink[at]) if (this.size[at] > best) best = this.size[at];
      return best;
    }
    if (this.flMap === 0) return 0;
    const fl = fls(this.flMap), sl = fls(this.slMap[fl]);
    let best = 0;
    for (let at = this.heads[fl * SL_COUNT + sl], guard = 0; at !== NONE && guard <= this.freeBlocks; at = this.nextLink[at], guard++) {
      if (this.size[at] > best) best = this.size[at];
    }
    return best;
  }

  fragmentationPermille(): number {
    if (this.freeBytes === 0) return 0;
    return 1000 - Math.floor((this.largestFree() * 1000) / this.freeBytes);
  }

  /** [address, size, owner (NONE = free)] ranges, adjacent same-owner blocks merged. */
  map(): Array<[number, number, number]> {
    const ranges: Array<[number, number, number]> = [];
    for (let at = this.firstBlock; at !== NONE; at = this.nextPhys[at]) {
      const owner = (this.flags[at] & FLAG_FREE) !== 0 ? NONE : this.owner[at];
      const last = ranges[ranges.length - 1];
      if (last && last[2] === owner) last[1] += this.size[at];
      else ranges.push([this.address[at], this.size[at], owner]);
    }
    return ranges;
  }
}
