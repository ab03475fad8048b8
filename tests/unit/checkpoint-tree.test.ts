// A checkpoint holds the whole branch tree with Undo and Redo (version 2); version 1 files still
// restore; unknown versions are refused by number and file.
import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { loadDebugCore } from '../helpers/core';
import { Kernel } from '../../src/kernel/kernel';
import { CHECKPOINT_MAGIC, CHECKPOINT_VERSION, decodeCheckpoint, encodeCheckpoint } from '../../src/persist/checkpoint';
import { crc32 } from '../../src/persist/checksum';
import { PersistError } from '../../src/persist/errors';

/** main → (nice at 1000) branch 1 → (kill at 1500) branch 2; then Undo back to branch 1: Redo has branch 2. */
async function branchedKernel(): Promise<Kernel> {
  const kernel = await kernelFor(exampleText('priority-starvation.yaml'));
  kernel.run({ events: 3000 });
  kernel.seek(1000);
  kernel.intervene({ kind: 'nice', pid: 1, nice: 19 });
  kernel.run({ events: 2500 });
  kernel.seek(1500);
  kernel.intervene({ kind: 'kill', pid: 2 });
  kernel.run({ events: 2200 });
  expect(kernel.timeline.undo()).toBe(true); // branch 1 at 1500, Redo goes to branch 2
  kernel.seek(1800);
  return kernel;
}

/** Both kernels' hashes after the same moves. */
function walk(kernel: Kernel): string[] {
  const hashes = [kernel.stateHash()];
  kernel.timeline.undo();
  hashes.push(`${kernel.timeline.current}@${kernel.cursor}`, kernel.stateHash());
  kernel.timeline.redo();
  hashes.push(`${kernel.timeline.current}@${kernel.cursor}`, kernel.stateHash());
  kernel.timeline.redo();
  hashes.push(`${kernel.timeline.current}@${kernel.cursor}`, kernel.stateHash());
  kernel.seek(kernel.machine.journal.length);
  hashes.push(kernel.stateHash());
  kernel.timeline.switchTo(0, 3000);
  hashes.push(kernel.stateHash());
  return hashes;
}

/** A version-1 file, as AgentOS wrote it before the tree: the session of one branch and its whole journal. */
function versionOneFile(kernel: Kernel): Uint8Array {
  const session = kernel.toSession();
  session.interventions = kernel.machine.interventions.map((entry) => ({ atSeq: entry.atSeq, tick: kernel.machine.journal.tick(entry.atSeq), command: entry.intervention }));
  const meta = new TextEncoder().encode(JSON.stringify(session));
  const journal = kernel.machine.journal.encode();
  const out = new Uint8Array(16 + meta.length + journal.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, CHECKPOINT_MAGIC, true);
  view.setUint32(4, 1, true);
  view.setUint32(12, meta.length, true);
  out.set(meta, 16);
  out.set(journal, 16 + meta.length);
  view.setUint32(8, crc32(out.subarray(12)), true);
  return out;
}

describe('a checkpoint holds the whole branch tree', () => {
  it('restores every branch, the current one at its cursor, and Undo and Redo as they were', async () => {
    const kernel = await branchedKernel();
    const bytes = encodeCheckpoint(kernel.checkpointData());
    const restored = Kernel.fromCheckpoint(decodeCheckpoint(bytes, 'the file tree.agentos'), await loadDebugCore(), { source: 'the file tree.agentos' });
    expect(restored.timeline.info()).toEqual(kernel.timeline.info());
    expect(restored.timeline.info()).toHaveLength(3);
    expect(restored.timeline.current).toBe(1);
    expect(restored.cursor).toBe(1800);
    expect(restored.stateHash()).toBe(kernel.stateHash());
    expect([restored.timeline.canUndo, restored.timeline.canRedo]).toEqual([true, true]);
    expect(restored.runKey(1800)).toBe(kernel.runKey(1800));
    expect(walk(restored)).toEqual(walk(kernel));
  });

  it('a version-1 file (one branch) still restores, to the same cursor and hash', async () => {
    const kernel = await kernelFor(exampleText('priority-starvation.yaml'));
    kernel.run({ events: 1200 });
    kernel.intervene({ kind: 'nice', pid: 1, nice: 5 });
    kernel.run({ events: 2000 });
    kernel.seek(1500);
    const data = decodeCheckpoint(versionOneFile(kernel), 'old.agentos');
    expect(data.branches).toHaveLength(1);
    const restored = Kernel.fromCheckpoint(data, await loadDebugCore());
    expect([restored.cursor, restored.stateHash()]).toEqual([1500, kernel.stateHash()]);
    restored.seek(2000);
    kernel.seek(2000);
    expect(restored.stateHash()).toBe(kernel.stateHash());
  });

  it('refuses a version it never wrote (0), naming the version and the file', async () => {
    const kernel = await kernelFor(exampleText('priority-starvation.yaml'));
    kernel.run({ events: 100 });
    for (const version of [0, CHECKPOINT_VERSION + 1]) {
      const bytes = encodeCheckpoint(kernel.checkpointData());
      new DataView(bytes.buffer).setUint32(4, version, true);
      new DataView(bytes.buffer).setUint32(8, crc32(bytes.subarray(12)), true);
      const error = (() => { try { decodeCheckpoint(bytes, 'the file v.agentos'); } catch (e) { return e as PersistError; } })();
      expect(error).toBeInstanceOf(PersistError);
      expect(error?.message).toContain('the file v.agentos');
      expect(error?.message).toContain(`checkpoint version ${version}`);
      expect(error?.code).toBe(version === 0 ? 'corrupt' : 'too-new');
    }
  });
});
