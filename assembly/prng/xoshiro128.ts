// xoshiro128** (Blackman & Vigna, 2018): the one PRNG the kernel owns. Its state lives in linear
// memory, not in globals, so a snapshot of memory captures it with everything else.
//
// Memory layout (16 bytes, static data segment):
//
//   byte  0        4        8        12       16
//         ├────────┼────────┼────────┼────────┤
//         │   s0   │   s1   │   s2   │   s3   │   u32 each, little-endian
//         └────────┴────────┴────────┴────────┘
//
// Seeding expands a u32 seed with splitmix32 so that nearby seeds give unrelated streams and the
// state is never all zero (the one state xoshiro cannot leave).

import { PRNG_BATCH_WORDS_MAX, PRNG_BOUND_MIN } from "../constants";
import { markDirty } from "../memory/regions";

const STATE: usize = memory.data(16, 16);

// @ts-ignore: decorator
@inline function getS(index: u32): u32 { return load<u32>(STATE + ((<usize>index) << 2)); }
// @ts-ignore: decorator
@inline function setS(index: u32, value: u32): void { store<u32>(STATE + ((<usize>index) << 2), value); }

/** The state's address, so the kernel can snapshot or restore exactly these 16 bytes. */
export function prngStatePtr(): usize { return STATE; }

function splitmix32(x: u32): u32 {
  x += 0x9e3779b9;
  x = (x ^ (x >>> 16)) * 0x21f0aaad;
  x = (x ^ (x >>> 15)) * 0x735a2d97;
  return x ^ (x >>> 15);
}

export function prngSeed(seed: u32): void {
  let x = seed;
  for (let i: u32 = 0; i < 4; i++) {
    x += 0x9e3779b9;
    setS(i, splitmix32(x));
  }
  markDirty(STATE);
  // splitmix32 is a bijection on distinct inputs, so four draws cannot all be zero; keep the
  // check anyway because an all-zero state would silently emit zeros forever.
  assert((getS(0) | getS(1) | getS(2) | getS(3)) != 0, "xoshiro state must not be all zero");
}

/** Sets the raw state words (known-answer tests, restore). Refuses the all-zero state. */
export function prngSetState(s0: u32, s1: u32, s2: u32, s3: u32): bool {
  if ((s0 | s1 | s2 | s3) == 0) return false;
  setS(0, s0); setS(1, s1); setS(2, s2); setS(3, s3);
  markDirty(STATE);
  return true;
}

export function prngNextU32(): u32 {
  const s0 = getS(0), s1 = getS(1), s2 = getS(2), s3 = getS(3);
  const result = rotl<u32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  setS(1, s1 ^ n2);
  setS(0, s0 ^ n3);
  setS(2, n2 ^ t);
  setS(3, rotl<u32>(n3, 11));
  markDirty(STATE);
  return result;
}

/**
 * Uniform integer in [0, bound), unbiased (Lemire's multiply-shift with rejection). Returns
 * u32.MAX_VALUE for bound 0, which has no valid draw; the kernel validates bounds before calling.
 */
export function prngBelow(bound: u32): u32 {
  if (bound < PRNG_BOUND_MIN) return u32.MAX_VALUE;
  let m = <u64>prngNextU32() * <u64>bound;
  let low = <u32>m;
  if (low < bound) {
    const threshold: u32 = (<u32>0 - bound) % bound;
    // Each retry has probability < 1/2, so 64 retries failing is ~2^-64; the limit only exists
    // so no loop in the core is unbounded.
    for (let retry = 0; low < threshold && retry < 64; retry++) {
      m = <u64>prngNextU32() * <u64>bound;
      low = <u32>m;
    }
  }
  return <u32>(m >>> 32);
}

/**
 * Fills `count` u32 draws at `ptr` in one boundary crossing. Returns how many were written
 * (0 if count exceeds PRNG_BATCH_WORDS_MAX).
 */
export function prngFill(ptr: usize, count: u32): u32 {
  if (count > PRNG_BATCH_WORDS_MAX) return 0;
  for (let i: u32 = 0; i < count; i++) store<u32>(ptr + ((<usize>i) << 2), prngNextU32());
  return count;
}
