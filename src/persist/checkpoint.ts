// The checkpoint file format: a Session plus the whole branch tree (each branch's own events and
// interventions, where Undo and Redo go), in one binary blob for IndexedDB and for export/import
// as a file. Snapshots are not stored: restoring re-executes the journals, which rebuilds them
// and proves the journals still match this engine (a divergence is reported, not ignored).
//
//   byte 0      4          8          12          16                  16+M        16+M+J
//        ├──────┼──────────┼──────────┼───────────┼───────────────────┼───────────┤
//        │"AOSC"│ version  │ crc32 of │ meta      │ meta (UTF-8 JSON) │ journals  │
//        │      │ u32 LE   │ bytes 12…│ bytes M   │                   │           │
//
// Version 3: meta is {session, tree: {current, redo, branches: [{parent, forkSeq, events,
// interventions, root}]}}; the journals are each branch's own events (seq forkSeq on, `events` of
// them), branch after branch in id order, each as Journal.encode(forkSeq) writes them. `root` is
// the RFC 6962 Merkle root of the branch's whole journal and session.root that of the cursor
// (src/audit): a restore whose re-execution does not reach them is refused.
// Version 2 (still read): the same without the roots. Version 1 (still read): meta is the
// session of one branch, the journal is that branch's, whole.
import { crc32, hex32 } from './checksum';
import { PersistError } from './errors';
import {
  INTERVENTIONS_MAX, ROOT_PATTERN, validateInterventions, validateSession, SessionFormatError, type CheckpointBranch, type CheckpointContents, type Session,
} from '../kernel/session';
import { EVENT_BYTES } from '../kernel/journal/journal';

export const CHECKPOINT_MAGIC = 0x43534f41; // "AOSC" little-endian
export const CHECKPOINT_VERSION = 3;
/** Every version this app reads (1: one branch, no tree; 2: a tree without Merkle roots). */
const CHECKPOINT_VERSIONS_READ = [1, 2, 3];
export const CHECKPOINT_FILE_EXTENSION = '.agentos';
const HEADER_BYTES = 16;
/** Branches of one tree: each intervention opens one (Timeline's BRANCHES_MAX). */
const BRANCHES_MAX = INTERVENTIONS_MAX + 1;

export type CheckpointData = CheckpointContents;

interface TreeMeta {
  current: number;
  redo: number[];
  branches: { parent: number | null; forkSeq: number; events: number; interventions: CheckpointBranch['interventions']; root?: string }[];
}

export function encodeCheckpoint(data: CheckpointData): Uint8Array {
  const tree: TreeMeta = {
    current: data.current,
    redo: data.redo,
    branches: data.branches.map((branch) => ({
      parent: branch.parent, forkSeq: branch.forkSeq, events: branch.events.length / EVENT_BYTES, interventions: branch.interventions,
      ...(branch.root === undefined ? {} : { root: branch.root }),
    })),
  };
  const meta = new TextEncoder().encode(JSON.stringify({ session: data.session, tree }));
  const journalBytes = data.branches.reduce((sum, branch) => sum + branch.events.length, 0);
  const out = new Uint8Array(HEADER_BYTES + meta.length + journalBytes);
  const view = new DataView(out.buffer);
  view.setUint32(0, CHECKPOINT_MAGIC, true);
  view.setUint32(4, CHECKPOINT_VERSION, true);
  view.setUint32(12, meta.length, true);
  out.set(meta, HEADER_BYTES);
  let offset = HEADER_BYTES + meta.length;
  for (const branch of data.branches) {
    out.set(branch.events, offset);
    offset += branch.events.length;
  }
  view.setUint32(8, crc32(out.subarray(12)), true);
  return out;
}

/** The bytes a checkpoint's checksum covers: for a caller that computes it in slices (then passes it to decodeCheckpoint). */
export const checksummedBytes = (bytes: Uint8Array) => bytes.subarray(Math.min(12, bytes.length));

/**
 * Checks and splits a checkpoint; `source` names it in errors ("the file run.agentos").
 * `checksum`: crc32 of checksummedBytes(bytes), if the caller already computed it.
 */
export function decodeCheckpoint(bytes: Uint8Array, source: string, checksum?: number): CheckpointData {
  if (bytes.length < HEADER_BYTES) throw new PersistError('corrupt', `${source} is not an AgentOS checkpoint: it is only ${bytes.length} bytes long.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== CHECKPOINT_MAGIC) throw new PersistError('corrupt', `${source} is not an AgentOS checkpoint (it does not start with "AOSC").`);
  const version = view.getUint32(4, true);
  if (version > CHECKPOINT_VERSION) {
    throw new PersistError('too-new', `${source} was written by a newer AgentOS (checkpoint version ${version}; this app reads up to ${CHECKPOINT_VERSION}).`);
  }
  if (!CHECKPOINT_VERSIONS_READ.includes(version)) {
    throw new PersistError('corrupt', `${source} is corrupt: checkpoint version ${version} was never written by AgentOS (this app reads versions ${CHECKPOINT_VERSIONS_READ.join(' and ')}).`);
  }
  const expected = view.getUint32(8, true);
  const actual = checksum ?? crc32(bytes.subarray(12));
  if (expected !== actual) throw new PersistError('corrupt', `${source} is corrupt: checksum ${hex32(actual)} does not match the saved ${hex32(expected)}.`);
  const metaBytes = view.getUint32(12, true);
  if (HEADER_BYTES + metaBytes > bytes.length) throw new PersistError('corrupt', `${source} is truncated: its session needs ${metaBytes} bytes.`);
  let meta: unknown;
  try {
    meta = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + metaBytes)));
  } catch {
    throw new PersistError('corrupt', `${source} is corrupt: its session is not valid JSON.`);
  }
  const journals = bytes.subarray(HEADER_BYTES + metaBytes);
  try {
    if (version === 1) {
      // One branch, no tree: what version 1 wrote (Undo and Redo were not kept).
      const session = validateSession(meta, source, { interventionsAfterCursor: true });
      return { session, branches: [{ parent: null, forkSeq: 0, interventions: session.interventions, events: journals.slice() }], current: 0, redo: [] };
    }
    return decodeTree(meta, journals, source, version);
  } catch (error) {
    if (error instanceof SessionFormatError) throw new PersistError('corrupt', `${error.message}. It was not restored.`);
    throw error;
  }
}

/** Version 2's meta and journals, checked: every branch forks from an earlier one, within its events, sharing its interventions there. */
function decodeTree(meta: unknown, journals: Uint8Array, source: string, version: number): CheckpointData {
  const fail = (message: string): never => { throw new SessionFormatError(`${source} is corrupt: ${message}`); };
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return fail('expected {session, tree}');
  const { session: rawSession, tree } = meta as { session?: unknown; tree?: Partial<TreeMeta> };
  const session = validateSession(rawSession, source, { interventionsAfterCursor: true });
  if (version >= 3 && session.root === undefined) fail('session.root: expected the Merkle root at the cursor (checkpoint version 3)');
  if (typeof tree !== 'object' || tree === null || !Array.isArray(tree.branches)) return fail('tree.branches: expected a list');
  if (tree.branches.length < 1 || tree.branches.length > BRANCHES_MAX) fail(`tree.branches: expected 1..${BRANCHES_MAX} branches, found ${tree.branches.length}`);
  const branches: CheckpointBranch[] = [];
  const lengths: number[] = [];
  let offset = 0;
  tree.branches.forEach((entry, id) => {
    const where = `tree.branches[${id}]`;
    if (typeof entry !== 'object' || entry === null) fail(`${where}: expected a branch`);
    const { parent, forkSeq, events } = entry;
    if (id === 0 ? parent !== null || forkSeq !== 0 : !Number.isInteger(parent) || (parent as number) < 0 || (parent as number) >= id) {
      fail(`${where}.parent: expected ${id === 0 ? 'null (main, forking at 0)' : `an earlier branch (0..${id - 1})`}`);
    }
    const parentLength = id === 0 ? 0 : lengths[parent as number];
    if (!Number.isInteger(forkSeq) || forkSeq < (id === 0 ? 0 : 1) || forkSeq > parentLength) fail(`${where}.forkSeq: expected an event of its parent (1..${parentLength})`);
    if (!Number.isInteger(events) || events < 0 || offset + events * EVENT_BYTES > journals.length) fail(`${where}.events: expected its count of events (the file holds ${journals.length - offset} more bytes)`);
    const interventions = validateInterventions(entry.interventions, `${where}.interventions`, fail);
    if (id > 0) {
      // Before the fork the branch is its parent: it must say so (a seek there re-executes with these).
      const shared = (list: CheckpointBranch['interventions']) => JSON.stringify(list.filter((item) => item.atSeq < forkSeq).map((item) => [item.atSeq, item.command]));
      if (shared(interventions) !== shared(branches[parent as number].interventions)) fail(`${where}.interventions: before event ${forkSeq} they differ from branch ${parent}'s`);
    }
    const root = entry.root;
    if (version >= 3 ? typeof root !== 'string' || !ROOT_PATTERN.test(root) : root !== undefined) fail(`${where}.root: expected ${version >= 3 ? 'the Merkle root of its journal, 64 lowercase hexadecimal digits' : 'none (checkpoint version 2 has no roots)'}`);
    branches.push({ parent: id === 0 ? null : (parent as number), forkSeq, interventions, events: journals.slice(offset, offset + events * EVENT_BYTES), ...(root === undefined ? {} : { root }) });
    lengths.push(forkSeq + events);
    offset += events * EVENT_BYTES;
  });
  if (offset !== journals.length) fail(`${journals.length - offset} bytes after the last branch's events`);
  const current = tree.current;
  if (!Number.isInteger(current) || (current as number) < 0 || (current as number) >= branches.length) fail(`tree.current: expected a branch 0..${branches.length - 1}`);
  if (session.cursor > lengths[current as number]) fail(`session.cursor ${session.cursor} is past branch ${current}'s ${lengths[current as number]} events`);
  if (JSON.stringify(session.interventions) !== JSON.stringify(branches[current as number].interventions)) fail(`session.interventions differ from branch ${current}'s`);
  const redo = tree.redo;
  if (!Array.isArray(redo) || redo.length > branches.length || redo.some((id) => !Number.isInteger(id) || id < 1 || id >= branches.length)) {
    fail(`tree.redo: expected branch ids 1..${branches.length - 1}`);
  }
  return { session, branches, current: current as number, redo: redo as number[] };
}
