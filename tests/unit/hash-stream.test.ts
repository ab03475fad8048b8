// stateHash reads the allocator's region as a stream of image chunks written one after another
// into one buffer (src/kernel/syscalls/core-ports.ts): Hash64.stream must give exactly what
// Hash64.bytes gives for the chunks' concatenation, or every recorded stateHash would change.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Hash64 } from '../../src/kernel/hash';

describe('Hash64.stream', () => {
  it('hashes chunks (every one but the last whole words, read as they come) as bytes() hashes their concatenation', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(80), { maxLength: 8 }), (bytes, cuts) => {
      const whole = new Hash64();
      whole.bytes(bytes);
      const points = [...new Set(cuts.map((cut) => Math.min(bytes.length, cut * 4)))].sort((a, b) => a - b);
      const shared = new Uint8Array(bytes.length); // one buffer reused for every chunk, as heapImage does
      function* chunks() {
        let from = 0;
        for (const to of [...points, bytes.length]) {
          if (to < from) continue;
          shared.set(bytes.subarray(from, to));
          yield shared.subarray(0, to - from);
          from = to;
        }
      }
      const streamed = new Hash64();
      streamed.stream(chunks());
      expect(streamed.hex()).toBe(whole.hex());
    }), { seed: 20261207, numRuns: 300 });
  });

  it('refuses a partial word before the last chunk', () => {
    expect(() => new Hash64().stream([new Uint8Array(3), new Uint8Array(4)])).toThrow(/partial word/);
  });
});
