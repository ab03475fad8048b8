// Every limit and version number of the core, in one place, with the relations they must keep.
// The kernel reads the same numbers through exports in index.ts; nothing else hard-codes them.

// Engine version of the core. Bump MINOR when behaviour changes in a way a recorded journal
// could notice (determinism contract: same session + same engine = same journal).
export const CORE_VERSION_MAJOR: u32 = 0;
export const CORE_VERSION_MINOR: u32 = 1;
export const CORE_VERSION_PATCH: u32 = 0;

// Longest batch one boundary call may fill (u32 words): the kernel passes a view of at most
// this many words, so a bad count can never run past the batch buffer.
export const PRNG_BATCH_WORDS_MAX: u32 = 4096;

// Exclusive bound for prngBelow: 0 has no valid draw.
export const PRNG_BOUND_MIN: u32 = 1;

// Linear memory the core may use in all (wasm32 allows 4 GiB; browsers give less). Regions
// reserved past it fail with an error code instead of trapping.
export const MEMORY_BYTES_MAX: u32 = 1024 * 1024 * 1024;

// Snapshot granularity: the kernel copies changed pages of this size (4 KiB, like an OS page).
export const SNAPSHOT_PAGE_BITS: u32 = 12;
export const SNAPSHOT_PAGE_BYTES: u32 = 1 << SNAPSHOT_PAGE_BITS;
export const SNAPSHOT_PAGES_MAX: u32 = MEMORY_BYTES_MAX >> SNAPSHOT_PAGE_BITS;

// Relations the code relies on.
assert(SNAPSHOT_PAGES_MAX % 32 == 0, "the dirty bitmap holds whole u32 words");
assert(MEMORY_BYTES_MAX % (1 << 16) == 0, "MEMORY_BYTES_MAX is whole wasm pages");

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
