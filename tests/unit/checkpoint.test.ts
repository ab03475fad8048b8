import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { exampleText, kernelFor } from '../helpers/kernel';
import { loadDebugCore } from '../helpers/core';
import { Kernel, RestoreError } from '../../src/kernel/kernel';
import { CHECKPOINT_VERSION, decodeCheckpoint, encodeCheckpoint } from '../../src/persist/checkpoint';
import { openPersistence } from '../../src/persist/database';
import { PersistError } from '../../src/persist/errors';
import { DivergenceError } from '../../src/kernel/sim/machine';

async function sampleCheckpoint() {
  const kernel = await kernelFor(exampleText('priority-starvation.yaml'));
  kernel.run({ events: 3000 });
  kernel.intervene({ kind: 'nice', pid: 2, nice: 10 });
  kernel.run({ events: 6000 });
  kernel.seek(4500);
  return { kernel, bytes: encodeCheckpoint(kernel.checkpointData()) };
}

describe('checkpoints', () => {
  it('save to IndexedDB, load, and restore to the same cursor and hash; the later events are still there', async () => {
    const { kernel, bytes } = await sampleCheckpoint();
    const db = await openPersistence({ factory: new IDBFactory() });
    await db.saveBytes('checkpoints', 'c1', 'checkpoint', bytes);
    const loaded = await db.load<Uint8Array>('checkpoints', 'c1');
    const restored = Kernel.fromCheckpoint(decodeCheckpoint(loaded!, 'checkpoint "c1"'), await loadDebugCore());
    expect(restored.cursor).toBe(4500);
    expect(restored.stateHash()).toBe(kernel.stateHash());
    restored.seek(6000);
    kernel.seek(6000);
    expect(restored.stateHash()).toBe(kernel.stateHash());
    db.close();
  });

  it('refuses a corrupted, truncated, foreign or too-new file with a message naming it', async () => {
    const { bytes } = await sampleCheckpoint();
    const flipped = bytes.slice();
    flipped[flipped.length - 7] ^= 0x10;
    expect(() => decodeCheckpoint(flipped, 'the file run.agentos')).toThrow(/the file run.agentos is corrupt: checksum 0x[0-9a-f]{8} does not match/);
    expect(() => decodeCheckpoint(bytes.slice(0, 10), 'the file run.agentos')).toThrow(/not an AgentOS checkpoint: it is only 10 bytes/);
    expect(() => decodeCheckpoint(new TextEncoder().encode('PK\u0003\u0004 this is a zip file....'), 'the file notes.zip')).toThrow(/not an AgentOS checkpoint \(it does not start with "AOSC"\)/);
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(4, CHECKPOINT_VERSION + 1, true);
    const error = (() => { try { decodeCheckpoint(newer, 'the file run.agentos'); } catch (e) { return e as PersistError; } })();
    expect(error?.code).toBe('too-new');
  });

  it('a journal this engine does not reproduce is reported as a divergence, not silently accepted', async () => {
    const { kernel } = await sampleCheckpoint();
    const data = kernel.checkpointData();
    const journal = data.branches[0].events.slice();
    // Change one event's tick column (the first column): event 2000's tick.
    const view = new DataView(journal.buffer);
    view.setFloat64(2000 * 8, view.getFloat64(2000 * 8, true) + 1, true);
    const branches = [{ ...data.branches[0], events: journal }, ...data.branches.slice(1)];
    const error = (() => { try { Kernel.fromCheckpoint({ ...data, branches }, kernel.core, { source: 'the file run.agentos' }); } catch (e) { return e as Error; } })();
    expect(error).toBeInstanceOf(RestoreError);
    expect(error?.message).toMatch(/^the file run\.agentos: it does not replay on this engine: re-execution diverged at event 2000/);
    expect(error?.cause).toBeInstanceOf(DivergenceError);
  });
});
