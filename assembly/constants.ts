// Every limit and version number of the core, in one place, with the relations they must keep.
// The kernel reads the same numbers through exports in index.ts; nothing else hard-codes them.

// Engine version of the core. Bump MINOR when behaviour changes in a way a recorded journal
// could notice (determinism contract: same session + same engine = same journal), or when the
// layout of its state changes (a stateHash covers its memory). 0.2: the text CRDT's new layout
// (position index, delete log), realloc and the first-fit and best-fit allocators. 0.3: text
// replicas collect their tombstones when every replica of an object holds the same state (the
// journal is the same; the state, and so the stateHash, after such a sync is not). 0.3.1: the
// allocator's records live in slots with an id index (raw memory and heap exportState differ;
// journals and every stateHash are the same: stateHash reads the records' canonical image by id).
// 0.3.2: heapInit takes the heap's granule (16 as before, or 8); a heap of 16-byte granules is byte
// for byte what 0.3.1 made, so journals and stateHashes are the same.
export const CORE_VERSION_MAJOR: u32 = 0;
export const CORE_VERSION_MINOR: u32 = 3;
export const CORE_VERSION_PATCH: u32 = 2;

// Longest batch one boundary call may fill (u32 words): the kernel passes a view of at most
// this many words, so a bad count can never run past the batch buffer.
export const PRNG_BATCH_WORDS_MAX: u32 = 4096;

// Exclusive bound for prngBelow: 0 has no valid draw.
export const PRNG_BOUND_MIN: u32 = 1;

// Linear memory the core may use in all (wasm32 allows 4 GiB; browsers give less). Regions
// reserved past it fail with an error code instead of trapping.
export const MEMORY_BYTES_MAX: u32 = 1024 * 1024 * 1024;

// Where the first state region starts: a fixed address above all static data, so that the debug
// and release builds (whose static data differ in size) lay out identical state at identical
// addresses, and a stateHash over it is the same for both.
export const REGIONS_BASE: u32 = 1 << 20;

// Snapshot granularity: the kernel copies changed pages of this size (4 KiB, like an OS page).
export const SNAPSHOT_PAGE_BITS: u32 = 12;
export const SNAPSHOT_PAGE_BYTES: u32 = 1 << SNAPSHOT_PAGE_BITS;
export const SNAPSHOT_PAGES_MAX: u32 = MEMORY_BYTES_MAX >> SNAPSHOT_PAGE_BITS;

// Relations the code relies on.
assert(SNAPSHOT_PAGES_MAX % 32 == 0, "the dirty bitmap holds whole u32 words");
assert(MEMORY_BYTES_MAX % (1 << 16) == 0, "MEMORY_BYTES_MAX is whole wasm pages");

// ── Scheduler and allocator (assembly/sched, assembly/heap) ─────────────────────────────────────

// Nodes of a cluster: each has its own scheduler and its own simulated heap.
export const NODES_MAX: u32 = 16;

// Process-table capacity per node. A pid is the index of its slot in its node's table, so pids
// run 0 .. procsPerNode-1 (the kernel assigns and reuses them, like Linux's pid_max); a pid at or
// past the configured capacity is the "table full" error, never a trap.
export const PROCS_PER_NODE_MAX: u32 = 1 << 17;

// Nice values (Linux): -20 is the most favoured, 19 the least; priority levels are nice + 20.
export const NICE_MIN: i32 = -20;
export const NICE_MAX: i32 = 19;
export const SCHED_LEVELS: u32 = 40;

// Commands one sched/heap batch call may carry (4 u32 words in, 4 u32 words out, in place).
export const SCHED_BATCH_OPS_MAX: u32 = 1024;
export const HEAP_BATCH_OPS_MAX: u32 = 1024;

// Simulated heap per node: its bytes are never materialized, only block metadata is. Addresses
// and sizes are bytes in u32 and addresses stay below 2^31 so they are non-negative i32 results.
// Blocks are whole granules: 16 bytes by default, or 8 (a heap started with granule 8, core 0.3.2).
export const HEAP_GRANULE_BYTES: u32 = 16;
export const HEAP_GRANULE_MIN: u32 = 8;
// A heap of 8-byte granules files a block under twice its size (assembly/heap/tlsf.ts), so its
// blocks stay within a u32's range doubled and rounded up to a class: at most 1 GiB.
export const HEAP_FINE_BYTES_MAX: u32 = 1 << 30;
export const HEAP_BYTES_MAX: u32 = 1 << 31;
// Block records per heap (free and used blocks together). Running out is an error code.
export const HEAP_BLOCKS_MAX: u32 = 1 << 20;
// Owners (pids) with per-process accounting per heap: the same pid space as the scheduler.
export const HEAP_OWNERS_MAX: u32 = PROCS_PER_NODE_MAX;

assert(SCHED_LEVELS == <u32>(NICE_MAX - NICE_MIN + 1), "one priority level per nice value");
assert(SCHED_LEVELS <= 64, "the level bitmap is one u64");
assert(PROCS_PER_NODE_MAX < 0x7fffffff, "a pid is a non-negative i32 result");
assert(HEAP_BYTES_MAX % HEAP_GRANULE_BYTES == 0, "the heap is whole granules");
// Everything reserved at the maximum configuration still fits in linear memory (64 B per process,
// 16 B per fair-queue entry and 4 B per fair-queue slot; 32 B per block record, 16 B per owner).
assert(<u64>NODES_MAX * PROCS_PER_NODE_MAX * (64 + 16 + 4) + <u64>NODES_MAX * HEAP_BLOCKS_MAX * 32
  + <u64>NODES_MAX * HEAP_OWNERS_MAX * 16 < <u64>MEMORY_BYTES_MAX, "max configuration fits in memory");
// ── CRDT merge core (assembly/crdt/) ───────────────────────────────────────────────────────────
// Docs (text, counters, maps, sets) one core instance holds at once.
export const CRDT_DOCS_MAX: u32 = 256;
// Replicas one doc can know (slots in its replica table; the kernel has one per node).
export const CRDT_REPLICAS_MAX: u32 = 64;
// Upper bound on a text doc's items and code points, whatever capacity the caller asks for;
// an item's length must fit the 26 bits the encoding gives it.
export const CRDT_TEXT_ITEMS_MAX: u32 = 1 << 24;
export const CRDT_TEXT_CHARS_MAX: u32 = 1 << 25;
// Entries (keys or elements) of one LWW-map / OR-set doc, and bytes of their keys and values.
export const CRDT_ENTRIES_MAX: u32 = 1 << 24;
export const CRDT_BYTES_MAX: u32 = 1 << 28;

assert(CRDT_REPLICAS_MAX <= 0xffff, "a replica slot fits the u16 an item keeps");
assert(CRDT_TEXT_CHARS_MAX < (1 << 26), "an item length fits 26 bits of the encoded header");
