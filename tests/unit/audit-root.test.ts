// The Merkle root at a cursor is a pure function of the journal's first `cursor` events; links,
// session files and checkpoints carry it, and a replay that does not reach it is refused.
import { createHash } from 'node:crypto';
import { inflateRawSync, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Kernel, RestoreError, RootMismatchError } from '../../src/kernel/kernel';
import { encodeSessionLink, fromBase64Url, readSessionLink, toBase64Url } from '../../src/share/link';
import { crc32 } from '../../src/persist/checksum';
import { CHECKPOINT_MAGIC, decodeCheckpoint, encodeCheckpoint } from '../../src/persist/checkpoint';
import { EVENT_SCHEMA } from '../../src/kernel/events';
import type { Journal } from '../../src/kernel/journal/journal';
import { loadDebugCore } from '../helpers/core';
import { exampleText, testRandom } from '../helpers/kernel';
import { verifyConsistency } from '../helpers/rfc9162';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

/** The tree by the RFC's recursion, on node:crypto, over leaves encoded here from the journal's events. */
function referenceRoot(journal: Journal, n: number): string {
  const leaf = (seq: number) => {
    const event = journal.event(seq) as unknown as Record<string, number | string>;
    const [, fa, fb, fc] = EVENT_SCHEMA.find(([type]) => type === event.type)!;
    const bytes = Buffer.alloc(36);
    bytes[0] = 0; // the RFC 6962 leaf prefix
    bytes[1] = 1; // canonical event version
    bytes.writeUInt32LE(seq, 2);
    bytes.writeBigUInt64LE(BigInt(event.tick), 6);
    bytes[14] = EVENT_SCHEMA.findIndex(([type]) => type === event.type);
    bytes[15] = event.node as number;
    bytes.writeInt32LE(event.pid as number, 16);
    bytes.writeInt32LE(event.cause as number, 20);
    [fa, fb, fc].forEach((field, i) => bytes.writeInt32LE(field ? (event[field] as number) : journal[(['a', 'b', 'c'] as const)[i]](seq), 24 + 4 * i));
    return createHash('sha256').update(bytes).digest();
  };
  const mth = (start: number, count: number): Buffer => {
    if (count === 1) return leaf(start);
    let k = 1;
    while (k * 2 < count) k *= 2;
    return createHash('sha256').update(Buffer.from([1])).update(mth(start, k)).update(mth(start + k, count - k)).digest();
  };
  return n === 0 ? createHash('sha256').digest('hex') : mth(0, n).toString('hex');
}

describe('the Merkle root of the journal', () => {
  it('at any cursor is the RFC tree of the canonical events before it, and seeking back and re-executing gives the same roots', async () => {
    const core = await loadDebugCore();
    const kernel = Kernel.fromText(exampleText('map-reduce.yaml'), core);
    const cursors = [0, 1, 2, 31, 32, 33, 64, 100, 1023, 1024, 1500];
    const live = new Map<number, string>();
    for (const cursor of cursors) {
      kernel.run({ events: cursor });
      live.set(cursor, kernel.rootAt());
    }
    kernel.run({ events: 3000 });
    for (const cursor of [...cursors].reverse()) {
      kernel.seek(cursor);
      expect(kernel.rootAt(), `cursor ${cursor}`).toBe(live.get(cursor));
      expect(kernel.rootAt(), `cursor ${cursor}`).toBe(referenceRoot(kernel.machine.journal, cursor));
    }
    const random = testRandom(11);
    const core2 = await loadDebugCore();
    for (let i = 0; i < 8; i++) {
      const cursor = Math.floor(random() * 3001);
      kernel.seek(cursor);
      const fresh = Kernel.fromText(exampleText('map-reduce.yaml'), core2);
      fresh.run({ events: cursor });
      expect(fresh.rootAt(), `cursor ${cursor}`).toBe(kernel.rootAt());
    }
  });

  it('of a branch shares the parent tree before the fork and is the tree of its own journal after', async () => {
    const kernel = Kernel.fromText(exampleText('priority-starvation.yaml'), await loadDebugCore());
    kernel.run({ events: 2000 });
    const atFork = kernel.rootAt(1000);
    kernel.seek(1000);
    kernel.intervene({ kind: 'nice', pid: 1, nice: 19 });
    kernel.run({ events: 1800 });
    expect(kernel.timeline.current).toBe(1);
    expect(kernel.rootAt(1000)).toBe(atFork);
    expect(kernel.rootAt()).toBe(referenceRoot(kernel.machine.journal, 1800));
    // The shared prefix of the two branches: one old root, a consistency proof to each branch's end.
    const { shared, a: toMain, b: toBranch } = kernel.audit.sharedPrefix(0, 1);
    expect(shared).toBe(1000);
    expect(toMain.oldRoot).toBe(toBranch.oldRoot);
    expect(toMain.oldRoot).toBe(atFork);
    expect(toMain.newRoot).toBe(kernel.audit.rootAt(kernel.timeline.branches[0].journal, 2000));
    expect(toBranch.newRoot).toBe(kernel.rootAt(1800));
    for (const proof of [toMain, toBranch]) {
      expect(verifyConsistency(proof.from, proof.to, bytes(proof.oldRoot), bytes(proof.newRoot), proof.proof.map(bytes))).toBe(true);
    }
    // A grandchild forked from branch 1 before branch 1's fork point shares less with main.
    kernel.seek(1500);
    kernel.intervene({ kind: 'kill', pid: 2 });
    kernel.run({ events: 1700 });
    expect(kernel.audit.sharedPrefix(2, 0).shared).toBe(1000);
    expect(kernel.audit.sharedPrefix(2, 1).shared).toBe(1500);
    expect(kernel.audit.sharedPrefix(1, 1).shared).toBe(1800);
  });

  it('travels in a link: a link altered so its CRC still matches but the run differs is refused by its root', async () => {
    const core = await loadDebugCore();
    const kernel = Kernel.fromText(exampleText('map-reduce.yaml'), core);
    kernel.run({ events: 800 });
    const session = kernel.toSession();
    expect(session.root).toBe(kernel.rootAt());
    const link = await encodeSessionLink(session, 'http://x/');
    const opened = await readSessionLink(link);
    expect(opened.session.root).toBe(session.root);
    expect(Kernel.fromSession(opened.session, core).stateHash()).toBe(kernel.stateHash());

    // Change the seed inside the compressed JSON, keep the root bytes, and recompute the CRC.
    const bytes = fromBase64Url(link.slice(link.indexOf('#s2=') + 4));
    expect(bytes[1]).toBe(1); // the root flag
    const json = JSON.parse(inflateRawSync(bytes.subarray(34, bytes.length - 4)).toString('utf8'));
    expect(json.root).toBeUndefined(); // the root is in the header, not twice
    json.seed = 2;
    const body = deflateRawSync(Buffer.from(JSON.stringify(json)));
    const forged = new Uint8Array(34 + body.length + 4);
    forged.set(bytes.subarray(0, 34));
    forged.set(body, 34);
    new DataView(forged.buffer).setUint32(forged.length - 4, crc32(forged.subarray(0, forged.length - 4)), true);
    const forgedLink = `http://x/#s2=${toBase64Url(forged)}`;
    const read = await readSessionLink(forgedLink); // the CRC holds: the link reads
    expect(read.session.seed).toBe(2);
    expect(() => Kernel.fromSession(read.session, core, { source: 'The link' })).toThrow(RootMismatchError);
    expect(() => Kernel.fromSession(read.session, core, { source: 'The link' })).toThrow(/The link does not replay to the Merkle root it carries: at event 800/);

    // A link made before the root (flags 0) still opens.
    const { root: _root, ...old } = session;
    const oldLink = await encodeSessionLink(old, 'http://x/');
    expect(fromBase64Url(oldLink.slice(oldLink.indexOf('#s2=') + 4))[1]).toBe(0);
    expect(Kernel.fromSession((await readSessionLink(oldLink)).session, core).stateHash()).toBe(kernel.stateHash());
  });

  it('is in checkpoints (version 3): one whose journal does not reach its root is refused; version 2 files still restore', async () => {
    const core = await loadDebugCore();
    const kernel = Kernel.fromText(exampleText('priority-starvation.yaml'), core);
    kernel.run({ events: 1500 });
    kernel.seek(700);
    kernel.intervene({ kind: 'kill', pid: 2 });
    kernel.run({ events: 1200 });
    const data = kernel.checkpointData();
    expect(data.session.root).toBe(kernel.rootAt());
    expect(data.branches.map((branch) => branch.root)).toEqual(kernel.timeline.branches.map((branch) => kernel.audit.rootAt(branch.journal, branch.journal.length)));
    const restored = Kernel.fromCheckpoint(decodeCheckpoint(encodeCheckpoint(data), 'f'), core);
    expect(restored.rootAt()).toBe(kernel.rootAt());

    // The file's meta rewritten (a branch root swapped for another run's), its CRC recomputed.
    const rewrite = (edit: (meta: { session: { root?: string }; tree: { branches: { root?: string }[] } }) => void, version = 3) => {
      const bytes = encodeCheckpoint(data);
      const view = new DataView(bytes.buffer);
      const metaBytes = view.getUint32(12, true);
      const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + metaBytes)));
      edit(meta);
      const newMeta = new TextEncoder().encode(JSON.stringify(meta));
      const out = new Uint8Array(16 + newMeta.length + bytes.length - 16 - metaBytes);
      const outView = new DataView(out.buffer);
      outView.setUint32(0, CHECKPOINT_MAGIC, true);
      outView.setUint32(4, version, true);
      outView.setUint32(12, newMeta.length, true);
      out.set(newMeta, 16);
      out.set(bytes.subarray(16 + metaBytes), 16 + newMeta.length);
      outView.setUint32(8, crc32(out.subarray(12)), true);
      return out;
    };
    const otherRoot = 'ab'.repeat(32);
    const wrongBranch = rewrite((meta) => (meta.tree.branches[0].root = otherRoot));
    expect(() => Kernel.fromCheckpoint(decodeCheckpoint(wrongBranch, 'the file x.agentos'), core, { source: 'the file x.agentos' }))
      .toThrow(/the file x.agentos \(main\) does not replay to the Merkle root it carries/);
    const wrongCursor = rewrite((meta) => (meta.session.root = otherRoot));
    const error = (() => { try { Kernel.fromCheckpoint(decodeCheckpoint(wrongCursor, 'the file y.agentos'), core, { source: 'the file y.agentos' }); } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(RestoreError);
    expect((error as Error).message).toMatch(/^the file y.agentos does not replay to the Merkle root it carries: at event 1200/);
    // Version 3 without roots is corrupt; version 2 (no roots) restores as before.
    expect(() => decodeCheckpoint(rewrite((meta) => delete meta.tree.branches[1].root), 'z')).toThrow(/tree.branches\[1\].root: expected the Merkle root/);
    const versionTwo = rewrite((meta) => {
      delete meta.session.root;
      for (const branch of meta.tree.branches) delete branch.root;
    }, 2);
    expect(Kernel.fromCheckpoint(decodeCheckpoint(versionTwo, 'v2'), core).stateHash()).toBe(kernel.stateHash());
  });
});
