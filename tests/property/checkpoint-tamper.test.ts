// Tampered checkpoint files whose CRC was recomputed (so the checksum cannot catch them): each is
// either restored (the engine reproduced what it holds) or refused with a PersistError or a
// RestoreError that names the file. Never a raw DivergenceError, RangeError or TypeError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { loadDebugCore } from '../helpers/core';
import { Kernel, RestoreError } from '../../src/kernel/kernel';
import { CHECKPOINT_VERSION, decodeCheckpoint, encodeCheckpoint } from '../../src/persist/checkpoint';
import { crc32 } from '../../src/persist/checksum';
import { PersistError } from '../../src/persist/errors';
import { EVENT_BYTES } from '../../src/kernel/journal/journal';

const SOURCE = 'the file tampered.agentos';

async function sample(branched = true): Promise<Uint8Array> {
  const kernel = await kernelFor(exampleText('priority-starvation.yaml'));
  kernel.run({ events: 1500 });
  if (!branched) return encodeCheckpoint(kernel.checkpointData());
  kernel.seek(600);
  kernel.intervene({ kind: 'nice', pid: 1, nice: 19 });
  kernel.run({ events: 1200 });
  kernel.seek(900);
  kernel.intervene({ kind: 'kill', pid: 2 });
  kernel.run({ events: 1100 });
  kernel.seek(1000);
  return encodeCheckpoint(kernel.checkpointData());
}

/** The file with a new meta text and journals, header fixed up (length, CRC) as a careful forger would. */
function rebuilt(meta: string, journals: Uint8Array, version = CHECKPOINT_VERSION): Uint8Array {
  const metaBytes = new TextEncoder().encode(meta);
  const out = new Uint8Array(16 + metaBytes.length + journals.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x43534f41, true);
  view.setUint32(4, version, true);
  view.setUint32(12, metaBytes.length, true);
  out.set(metaBytes, 16);
  out.set(journals, 16 + metaBytes.length);
  view.setUint32(8, crc32(out.subarray(12)), true);
  return out;
}

function split(bytes: Uint8Array): { meta: string; journals: Uint8Array } {
  const metaLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  return { meta: new TextDecoder().decode(bytes.subarray(16, 16 + metaLength)), journals: bytes.slice(16 + metaLength) };
}

type Mutation =
  | { kind: 'number'; index: number; value: number }
  | { kind: 'byte'; offset: number; xor: number }
  | { kind: 'word'; event: number; column: number; value: number }
  | { kind: 'cut'; offset: number; count: number }
  | { kind: 'meta-byte'; offset: number; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('number' as const), index: fc.nat(), value: fc.oneof(fc.integer({ min: -2, max: 3000 }), fc.constantFrom(0, 1, 2, 255, 256, 65536, 2 ** 31, 4_000_001, 1e300)) }),
  fc.record({ kind: fc.constant('byte' as const), offset: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('word' as const), event: fc.nat(), column: fc.integer({ min: 0, max: 7 }), value: fc.integer({ min: -1, max: 70_000 }) }),
  fc.record({ kind: fc.constant('cut' as const), offset: fc.nat(), count: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('meta-byte' as const), offset: fc.nat(), value: fc.integer({ min: 32, max: 126 }) }),
);

function tamper(original: Uint8Array, m: Mutation): Uint8Array {
  const { meta, journals } = split(original);
  switch (m.kind) {
    case 'number': {
      // One number of the meta (a cursor, forkSeq, atSeq, pid, nice, a count, ...) changed.
      const numbers = [...meta.matchAll(/-?\d+/g)];
      const found = numbers[m.index % numbers.length];
      return rebuilt(meta.slice(0, found.index) + String(m.value) + meta.slice(found.index! + found[0].length), journals);
    }
    case 'meta-byte': {
      const at = m.offset % meta.length;
      return rebuilt(meta.slice(0, at) + String.fromCharCode(m.value) + meta.slice(at + 1), journals);
    }
    case 'byte': {
      const copy = journals.slice();
      copy[m.offset % copy.length] ^= m.xor;
      return rebuilt(meta, copy);
    }
    case 'word': {
      // One column of one event (columns: tick f64, type u8, node u8, pid, cause, a, b, c i32).
      const events = journals.length / EVENT_BYTES;
      const event = m.event % events;
      const copy = journals.slice();
      const view = new DataView(copy.buffer);
      const starts = [0, 8, 9, 10, 14, 18, 22, 26].map((bytes) => bytes * events);
      const at = starts[m.column] + event * [8, 1, 1, 4, 4, 4, 4, 4][m.column];
      if (m.column === 0) view.setFloat64(at, m.value, true);
      else if (m.column <= 2) view.setUint8(at, m.value & 0xff);
      else view.setInt32(at, m.value, true);
      return rebuilt(meta, copy);
    }
    case 'cut': {
      const at = m.offset % journals.length;
      return rebuilt(meta, new Uint8Array([...journals.subarray(0, at), ...journals.subarray(at + m.count)]));
    }
  }
}

describe('tampered checkpoint files (CRC recomputed)', () => {
  it('restore, or are refused with a message naming the file; never a raw error', async () => {
    const original = await sample();
    const core = await loadDebugCore();
    const outcomes = { restored: 0, refusedFile: 0, refusedRestore: 0 };
    await fc.assert(fc.asyncProperty(mutation, async (m) => {
      const bytes = tamper(original, m);
      try {
        const data = decodeCheckpoint(bytes, SOURCE);
        Kernel.fromCheckpoint(data, core, { source: SOURCE });
        outcomes.restored++;
      } catch (error) {
        if (error instanceof PersistError) outcomes.refusedFile++;
        else if (error instanceof RestoreError) outcomes.refusedRestore++;
        else throw new Error(`${JSON.stringify(m)}: raw ${(error as Error).name}: ${(error as Error).message}`);
        expect((error as Error).message, JSON.stringify(m)).toContain(SOURCE);
      }
    }), { numRuns: 150, seed: 20261206, endOnFailure: true });
    // The mutations reach every layer: the file checks, and the re-execution behind them.
    expect(outcomes.refusedFile).toBeGreaterThan(10);
    expect(outcomes.refusedRestore).toBeGreaterThan(10);
  }, 300_000);

  it('an event changed in the journal names the file, the event and both versions of it', async () => {
    const original = await sample(false); // one branch: the journals are one journal's columns
    const bytes = tamper(original, { kind: 'word', event: 700, column: 6, value: 12345 });
    const core = await loadDebugCore();
    expect(() => Kernel.fromCheckpoint(decodeCheckpoint(bytes, SOURCE), core, { source: SOURCE }))
      .toThrow(/^the file tampered\.agentos: it does not replay on this engine: re-execution diverged at event 700: the journal has \{.*\}, re-execution produced \{.*\}\. It was not restored\.$/);
  });
});
