// Plain TypeScript xoshiro128** with the same seeding as assembly/prng/xoshiro128.ts: the
// reference for differential tests and the peer for the PRNG benchmark.

export class Xoshiro128 {
  private s = new Uint32Array(4);

  constructor(seed?: number) {
    if (seed !== undefined) this.seed(seed);
  }

  seed(seed: number): void {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      this.s[i] = splitmix32(x);
    }
  }

  setState(s0: number, s1: number, s2: number, s3: number): void {
    this.s.set([s0, s1, s2, s3]);
  }

  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  below(bound: number): number {
    let m = BigInt(this.nextU32()) * BigInt(bound);
    let low = Number(m & 0xffffffffn);
    if (low < bound) {
      const threshold = (0x100000000 - bound) % bound;
      for (let retry = 0; low < threshold && retry < 64; retry++) {
        m = BigInt(this.nextU32()) * BigInt(bound);
        low = Number(m & 0xffffffffn);
      }
    }
    return Number(m >> 32n);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function splitmix32(input: number): number {
  let x = (input + 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97) >>> 0;
  return (x ^ (x >>> 15)) >>> 0;
}
