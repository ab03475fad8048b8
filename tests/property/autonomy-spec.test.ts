// Hostile autonomy: values: any value under any autonomy key either parses or is an error with a
// line:column naming the key; a spec that parses runs without throwing (generated with fast-check).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSpec } from '../../src/spec';
import { keysOf } from '../../src/spec/reference';
import { kernelFor } from '../helpers/kernel';

const KEYS = keysOf('autonomy');
const value = fc.oneof(
  fc.constantFrom('on', 'off', 'all', 'none', '0', '1', '-1', '100%', '0%', '150%', '1us', '10ms', '99s', '1e9', '[]', '[leak, leak]', '[leak, hog, starvation]', '{}', 'null', '"x"', '4KiB', '2147483648', '0.5', '[deadlock]'),
  fc.integer({ min: -5, max: 100 }).map(String),
  fc.string({ maxLength: 6 }).map((text) => JSON.stringify(text)),
);

describe('hostile autonomy: values', () => {
  it('parse or fail with the key and a line:column; what parses runs', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...KEYS, 'bogus'), value), { maxLength: 5 }), async (pairs) => {
      const body = pairs.map(([key, text]) => `  ${key}: ${text}`).join('\n');
      const text = `agentos: 1\nautonomy:\n${body}\nagents:\n  a: { memory: 64KiB, program: leaker, args: { size: 1KiB, every: 100us } }\n`;
      const result = parseSpec(text);
      if (!result.ok) {
        for (const error of result.errors) {
          expect(error.line).toBeGreaterThan(0);
          expect(error.path === '' || error.path.startsWith('autonomy'), error.message).toBe(true); // '': YAML itself (a key written twice)
        }
        return;
      }
      const kernel = await kernelFor(text);
      kernel.run({ events: 1500 });
      expect(kernel.cursor).toBeGreaterThan(0);
    }), { numRuns: 60, seed: 13 });
  });
});
