// The worker's entry: the only file that knows about postMessage. It exposes the API first and
// loads the wasm core lazily on the first call, so a message sent while the wasm is still
// loading is never lost (a handler registered after a top-level await would miss it).
import { ParentIndex } from './process-parents';
import { autonomyMode, healthView } from './health-views';
import * as Comlink from 'comlink';
import type { Core } from '../core/core';
import { loadCoreInBrowser } from '../core/browser';
import { Kernel } from '../kernel/kernel';
import type { Journal } from '../kernel/journal/journal';
import { parseSpec } from '../spec/index';
import { textWithSeed } from '../spec/seeded-text';
import { engineVersion } from '../kernel/version';
import type { CoreInfo, EventRow, KernelApi, KernelStatus, LoadResult, Outcome, ProcessRow, RunRequest } from './api';
import { EVENT_ROWS_MAX, RUN_KEYS_MAX } from './api';
import { branchRows } from './branch-rows';
import { densityStrip, failureWalk, nearestFailure } from './density';
import { causeChain, eventRow, eventsBefore } from './event-rows';
import { createWatchApi } from './watch-views';
import { createAuditApi } from './audit-views';
import { createMarkApi } from './mark-views';
import { EVENT_SCHEMA, EventCode, type EventType } from '../kernel/events';
import { Scalar, STATUS_NAMES } from '../kernel/state';
import { cpuTicksAt } from '../kernel/reducers/cpu';
import { encodeSessionLink, readSessionLink } from '../share/link';
import { Kernel as KernelClass, RootMismatchError, type CheckpointRestore } from '../kernel/kernel';
import { checksummedBytes, decodeCheckpoint, encodeCheckpoint } from '../persist/checkpoint';
import { CRC32_START, crc32, crc32Final, crc32Update } from '../persist/checksum';
import { memoryView, metricsView, profileView } from './views';
import { createShellApi } from './shell-api';
import { compareView, ipcView, processDetail } from './ipc-views';
import { deadlockWords } from './deadlock-words';
import { userKillSeq } from './event-text';
import { sharedView } from './shared-views';
import { longWork, SLICE_MS, yieldToMessages } from './long-work';
import { Pacer } from './pacing';
import { specCheckApi } from './spec-check';
import { serveQuerySource } from '../query/serve';
import { validateSession } from '../kernel/session';
import { supervisorRows } from './supervisor-view';

const PROBE_SEED = 1;
const PROBE_DRAWS = 3;

let corePromise: Promise<Core> | undefined;
function core(): Promise<Core> {
  // A failed load is not cached: the next call tries again (e.g. after coming back online).
  corePromise ??= loadCoreInBrowser().catch((error) => {
    corePromise = undefined;
    throw error;
  });
  return corePromise;
}

let spareCorePromise: Promise<Core> | undefined;
/**
 * A core no live kernel uses. Cores are not shared: booting a kernel resets its core. A restore
 * boots its kernel on this one, so the current session stays intact until the restore completed
 * (and after a cancel). At most two cores are ever loaded.
 */
async function freeCore(): Promise<Core> {
  const primary = await core();
  if (kernel?.core !== primary) return primary;
  spareCorePromise ??= loadCoreInBrowser().catch((error) => {
    spareCorePromise = undefined;
    throw error;
  });
  return spareCorePromise;
}

let scratchCorePromise: Promise<Core> | undefined;
/** A core for history views (heap-history.ts replays the heap events on it); never a kernel's. */
function scratchCore(): Promise<Core> {
  scratchCorePromise ??= loadCoreInBrowser().catch((error) => {
    scratchCorePromise = undefined;
    throw error;
  });
  return scratchCorePromise;
}

let kernel: Kernel | undefined;
/** Each process's parent, for the Processes panel's tree (process-parents.ts). */
const parents = new ParentIndex();
let stopped: KernelStatus['stopped'] = 'idle';
/** Where the last run found nothing left to do: only there is the session quiescent. */
let quiescentAt: { journal: object; length: number } | undefined;

/** The stop reason as it holds at the cursor: "quiescent" only at the very event where the run found nothing to do. */
function stoppedAtCursor(current: Kernel): KernelStatus['stopped'] {
  if (stopped !== 'quiescent') return stopped;
  const journal = current.machine.journal;
  const there = quiescentAt?.journal === journal && quiescentAt.length === journal.length && current.cursor === journal.length;
  return there ? 'quiescent' : 'events';
}

/**
 * Why a session that was replayed (a link, a checkpoint) rests at its cursor: a run that had ended
 * there (quiescent, deadlocked, journal full) is still over, not "paused" with a Run that can do
 * nothing. Sets `quiescentAt` as a run that stopped there would have.
 */
function restingStop(current: Kernel): KernelStatus['stopped'] {
  const journal = current.machine.journal;
  if (current.cursor !== journal.length) return 'events';
  const stop = current.stopReasonAt('events');
  if (stop === 'quiescent') quiescentAt = { journal, length: journal.length };
  return stop === 'quiescent' || stop === 'journal-full' ? stop : 'events';
}

/** The cycle the quiescent run rests in, in words, kept for the journal and cursor it was asked at. */
let deadlockAsked: { journal: object; cursor: number; words: string | undefined } | undefined;
function deadlockAtRest(current: Kernel, stop: KernelStatus['stopped']): { deadlock?: string } {
  if (stop !== 'quiescent') return {};
  const journal = current.machine.journal;
  if (deadlockAsked?.journal !== journal || deadlockAsked.cursor !== current.cursor) deadlockAsked = { journal, cursor: current.cursor, words: deadlockWords(current) };
  return deadlockAsked.words === undefined ? {} : { deadlock: deadlockAsked.words };
}

function status(): KernelStatus {
  const work = longWork.progress ? { work: { ...longWork.progress } } : {};
  if (!kernel) return { loaded: false, name: '', cursor: 0, events: 0, tick: 0, stateHash: '', stopped, journalEventsMax: 0, ...work };
  return {
    ...work,
    loaded: true,
    name: kernel.spec.name,
    cursor: kernel.cursor,
    events: kernel.machine.journal.length,
    branch: kernel.timeline.current,
    tick: kernel.tick,
    stateHash: kernel.stateHash(),
    stopped: stoppedAtCursor(kernel),
    ...deadlockAtRest(kernel, stoppedAtCursor(kernel)),
    journalEventsMax: kernel.machine.journal.eventsMax,
    canUndo: kernel.timeline.canUndo,
    canRedo: kernel.timeline.canRedo,
    root: rootNow(kernel),
    ...(rootProblem ? { rootProblem } : {}),
  };
}

/** Time status() may spend extending the Merkle tree; past it the root shows as pending (''). */
const STATUS_ROOT_MS = 4;

/** The Merkle root at the cursor if the tree reaches it (or can within STATUS_ROOT_MS), else ''. */
function rootNow(current: Kernel): string {
  const journal = current.machine.journal;
  const end = performance.now() + STATUS_ROOT_MS;
  return current.audit.catchUp(journal, current.cursor, () => performance.now() > end) ? current.rootAt() : '';
}

/** Builds the Merkle trees of these journals (a link's, a checkpoint's branches) a slice at a time, answering other calls in between. */
async function treesSliced(current: Kernel, journals: readonly Journal[]): Promise<void> {
  for (const journal of journals) {
    for (;;) {
      const end = performance.now() + SLICE_MS;
      if (current.audit.catchUp(journal, journal.length, () => performance.now() > end)) break;
      await yieldToMessages();
    }
  }
}

/** Events of a checkpoint whose Merkle roots are checked before it is shown (past it: in the background). */
const RESTORE_HASH_EVENTS_MAX = 250_000;
/** A root a large restored checkpoint carries that its journal did not reach (found in the background). */
let rootProblem: string | undefined;

function checkRootsInBackground(restored: Kernel, checks: ReturnType<CheckpointRestore['rootChecks']>): void {
  void (async () => {
    for (const check of checks) {
      for (;;) {
        if (kernel !== restored) return;
        const end = performance.now() + SLICE_MS;
        if (restored.audit.catchUp(check.journal, check.length, () => performance.now() > end)) break;
        await yieldToMessages();
      }
      try {
        check.verify();
      } catch (error) {
        if (kernel === restored) rootProblem = error instanceof Error ? error.message.replace(/; it was not opened\.$/, '.') : String(error);
        return;
      }
    }
  })();
}

let hashing = false;
/**
 * Extends the current branch's Merkle tree over its whole journal in the background, a slice at a
 * time between other calls (after a run or an intervention), until it holds every event of the
 * branch the kernel is on; status() shows the root once the tree reaches the cursor.
 */
function hashInBackground(): void {
  if (hashing) return;
  hashing = true;
  void (async () => {
    try {
      for (;;) {
        const current = kernel;
        if (!current) return;
        const journal = current.machine.journal;
        const end = performance.now() + SLICE_MS;
        const done = current.audit.catchUp(journal, journal.length, () => performance.now() > end);
        if (done && kernel === current && current.machine.journal === journal && current.audit.hashed(journal) === journal.length) return;
        await yieldToMessages();
      }
    } finally {
      hashing = false;
    }
  })();
}

/** The bytes of the file restored last, until the page asks for its copy (restoredFileCopy). */
let restoredFile: Uint8Array | undefined;

const checkpointApi: Pick<KernelApi, 'checkpoint' | 'restoreCheckpoint' | 'restoredFileCopy' | 'specText' | 'debugCrash'> = {
  async checkpoint() {
    if (!kernel) return { ok: false, error: 'load a spec before saving a checkpoint' };
    const current = kernel;
    await treesSliced(current, current.timeline.branches.map((branch) => branch.journal));
    if (current !== kernel) return { ok: false, error: 'the session changed while its checkpoint was being made; save it again' };
    const bytes = encodeCheckpoint(kernel.checkpointData());
    const value = { bytes, name: kernel.spec.name, cursor: kernel.cursor, events: kernel.machine.journal.length, runKey: kernel.runKey(kernel.cursor) };
    return { ok: true, value: Comlink.transfer(value, [bytes.buffer]) };
  },
  async restoreCheckpoint(body, source) {
    restoredFile = undefined;
    try {
      // A file is read here, not on the page: 100 MiB never pass through the main thread.
      if (body instanceof Blob) longWork.start({ kind: 'decoding', done: 0, total: body.size });
      const bytes = body instanceof Blob ? new Uint8Array(await body.arrayBuffer()) : body;
      longWork.start({ kind: 'decoding', done: 0, total: checksummedBytes(bytes).length });
      const checksum = await checksumSliced(bytes);
      if (checksum === undefined) return { ok: false, cancelled: true, error: 'Restore cancelled while checking the file; nothing changed.' };
      const data = decodeCheckpoint(bytes, source, checksum);
      const restore = KernelClass.beginRestore(data, await freeCore(), { source });
      const progress = { kind: 'restoring' as const, done: 0, total: restore.events };
      longWork.progress = progress;
      const completed = await longWork.sliced((deadline) => {
        const done = restore.advance(deadline);
        progress.done = restore.done;
        return done;
      });
      if (!completed) {
        const unchanged = kernel ? 'the previous session is unchanged' : 'nothing was loaded';
        return { ok: false, cancelled: true, error: `Restore cancelled at event ${progress.done.toLocaleString('en')} of ${progress.total.toLocaleString('en')}; ${unchanged}.` };
      }
      // The roots the file carries are checked on trees built in slices, not in one long call.
      const journals = restore.kernel.timeline.branches.map((branch) => branch.journal);
      const total = journals.reduce((sum, journal) => sum + journal.length, 0);
      // A checkpoint up to RESTORE_HASH_EVENTS_MAX events has its Merkle roots checked before it
      // shows; a larger one shows at once and is checked in the background (status.rootProblem).
      const checkNow = total <= RESTORE_HASH_EVENTS_MAX;
      const hashing = { kind: 'hashing' as const, done: 0, total };
      if (checkNow) longWork.progress = hashing;
      if (checkNow && !(await longWork.sliced((deadline) => {
        const done = restore.hashJournals(deadline);
        hashing.done = journals.reduce((sum, journal) => sum + restore.kernel.audit.hashed(journal), 0);
        return done;
      }))) {
        return { ok: false, cancelled: true, error: `Restore cancelled while checking its Merkle roots; ${kernel ? 'the previous session is unchanged' : 'nothing was loaded'}.` };
      }
      rootProblem = undefined;
      kernel = restore.finish({ checkRoots: checkNow });
      if (!checkNow) checkRootsInBackground(kernel, restore.rootChecks());
      stopped = restingStop(kernel);
      longWork.finish();
      if (body instanceof Blob) restoredFile = bytes;
      return { ok: true, value: status() };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    } finally {
      longWork.finish();
    }
  },
  async restoredFileCopy() {
    const bytes = restoredFile;
    restoredFile = undefined;
    if (!bytes) return undefined;
    // The copy and its checksum are made here; the Blob crosses to the page by reference.
    const copy = { blob: new Blob([bytes as Uint8Array<ArrayBuffer>]), checksum: crc32(bytes) };
    return copy;
  },
  // the text that reproduces the session: its seed written in when the session ran with another
  specText: () => (kernel ? textWithSeed(kernel.specText, kernel.spec.seed) : ''),
  debugCrash: () => self.close(),
};

const inspectionApi: Pick<KernelApi, 'sessionInfo' | 'eventsBefore' | 'causeChain'> = {
  sessionInfo() {
    if (!kernel) return undefined;
    const nodes = kernel.spec.cluster.nodeCount;
    return {
      nodes,
      policies: Array.from({ length: nodes }, (_, node) => kernel!.core.sched.policy(node)),
      autonomy: autonomyMode(kernel),
      allocators: Array.from({ length: nodes }, (_, node) => kernel!.core.heap.allocator(node) ?? 'tlsf'),
      channels: kernel.spec.channels.map((channel) => ({
        index: channel.index, name: `${channel.from.agent}.${channel.from.port} → ${channel.to.agent}.${channel.to.port}`, capacity: channel.capacity,
      })),
      agents: kernel.spec.agents.map((agent) => ({ name: agent.name, replicas: agent.replicas })),
    };
  },
  eventsBefore(before, count, filter) {
    return kernel ? eventsBefore(kernel, before, Math.min(count, EVENT_ROWS_MAX), filter) : { rows: [], searchedFrom: 0 };
  },
  causeChain(seq) {
    return kernel ? causeChain(kernel, seq) : [];
  },
};

const api: KernelApi = {
  ...specCheckApi,
  ...checkpointApi,
  ...inspectionApi,
  ...createShellApi(() => kernel, status),
  ...createWatchApi(() => kernel),
  ...createAuditApi(() => kernel),
  ...createMarkApi(() => kernel, status),
  ...ipcApi(),
  async boot(): Promise<CoreInfo> {
    const loaded = await core();
    loaded.prng.seed(PROBE_SEED);
    const probe = Array.from(loaded.prng.fill(PROBE_DRAWS));
    return {
      coreVersion: loaded.version,
      engine: engineVersion(loaded.version),
      assertionsEnabled: loaded.assertionsEnabled,
      prngProbe: probe,
    };
  },
  ping: (nonce) => nonce,
  queryPort: (port) => serveQuerySource(port, () => kernel),
  savedQueries: () => kernel?.savedQueries ?? [],
  setSavedQueries(queries) {
    if (!kernel) return { ok: false, error: 'load a spec first' };
    try {
      // The same check as a session from a link or a file: bounded, data only.
      validateSession({ ...kernel.toSession({ root: false }), queries }, 'saved queries');
      kernel.savedQueries = queries.map(({ name, sql }) => ({ name, sql }));
      return { ok: true, value: null };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  },
  async load(specText: string): Promise<LoadResult> {
    const result = parseSpec(specText);
    if (!result.ok) return { ok: false, errors: result.errors.map((e) => ({ path: e.path, line: e.line, column: e.column, message: e.message })) };
    kernel = new Kernel(result.spec, await core(), { specText });
    rootProblem = undefined;
    stopped = 'idle';
    return { ok: true, name: result.spec.name, processes: result.spec.processCount, nodes: result.spec.cluster.nodeCount };
  },
  async run(request: RunRequest): Promise<KernelStatus> {
    if (!kernel) throw new Error('load a spec before running it');
    longWork.cancelRequested = false;
    stopped = 'running';
    stopped = await runSliced(Math.min(request.events ?? Infinity, kernel.machine.journal.eventsMax), request.ticks, request.eventsPerSecond);
    quiescentAt = stopped === 'quiescent' ? { journal: kernel.machine.journal, length: kernel.machine.journal.length } : undefined;
    hashInBackground();
    return status();
  },
  setSpeed(eventsPerSecond) {
    speedAsked = { eventsPerSecond };
  },
  cancel() {
    longWork.cancelRequested = true;
  },
  async seek(seq: number): Promise<KernelStatus> {
    if (!kernel) throw new Error('load a spec before seeking');
    kernel.seek(seq);
    return status();
  },
  status,
  events(from, count, type) {
    if (!kernel) return [];
    const journal = kernel.machine.journal;
    const code = type ? EventCode[type as EventType] : undefined;
    const rows: EventRow[] = [];
    for (let seq = Math.max(0, from); seq < journal.length && rows.length < Math.min(count, EVENT_ROWS_MAX); seq++) {
      if (code === undefined || journal.type(seq) === code) rows.push(eventRow(kernel, seq));
    }
    return rows;
  },
  processes() {
    if (!kernel) return [];
    const { state } = kernel.machine;
    const rows: ProcessRow[] = [];
    const parentOf = parents.update(kernel.machine.journal, kernel.cursor);
    for (let pid = 0; pid < state.scalars[Scalar.nextPid]; pid++) {
      const killedAt = userKillSeq(kernel, pid);
      rows.push({
        ...(killedAt === undefined ? {} : { killedAt }),
        pid, agent: kernel.spec.agents[state.procAgent[pid]].name, replica: state.procReplica[pid], node: state.procNode[pid],
        status: STATUS_NAMES[state.procStatus[pid]], nice: state.procNice[pid], cpuTicks: cpuTicksAt(state, pid),
        heapBytes: state.procHeapBytes[pid], sent: state.procSent[pid], received: state.procReceived[pid], restarts: state.procRestarts[pid],
        parent: parentOf(pid),
      });
    }
    return rows;
  },
  supervisors: () => (kernel ? supervisorRows(kernel) : []),
  nearestFailure: (cursor, direction) => (kernel ? nearestFailure(kernel, cursor, direction) ?? null : null),
  failureWalk: (cursor) => (kernel ? failureWalk(kernel, cursor) : { count: 0, passed: 0, atFailure: false, previous: null, next: null }),
  density(buckets) {
    const strip = densityStrip(kernel, buckets);
    return Comlink.transfer(strip, [strip.rate.buffer, strip.errors.buffer, strip.interventions.buffer, strip.target.buffer]);
  },
  intervene(request) {
    return attempt(() => {
      kernel!.intervene(request);
      hashInBackground();
      return status();
    });
  },
  undo: () => attempt(() => {
    if (!kernel!.timeline.undo()) throw new Error('nothing to undo: this branch has no earlier intervention');
    return status();
  }),
  redo: () => attempt(() => {
    if (!kernel!.timeline.redo()) throw new Error('nothing to redo');
    return status();
  }),
  branches: () => (kernel ? branchRows(kernel) : []),
  runKeys(seqs) {
    const current = kernel;
    if (!current) return [];
    const length = current.machine.journal.length;
    return seqs.slice(0, RUN_KEYS_MAX).map((seq) => (Number.isInteger(seq) && seq >= 0 && seq <= length ? current.runKey(seq) : ''));
  },
  switchBranch: (id) => attempt(() => {
    kernel!.timeline.switchTo(id);
    return status();
  }),
  async shareLink(base, options = {}) {
    if (!kernel) throw new Error('load a spec before sharing it');
    if (options.root === false) return encodeSessionLink(kernel.toSession({ root: false }), base);
    await treesSliced(kernel, [kernel.machine.journal]);
    return encodeSessionLink(kernel.toSession(), base);
  },
  async recoveryLink(base) {
    const current = kernel;
    if (!current) return null;
    const session = current.toSession({ root: false });
    const atEnd = current.cursor === current.machine.journal.length;
    return { link: await encodeSessionLink(session, base), name: current.spec.name, cursor: session.cursor, atEnd };
  },
  async openLink(link): Promise<Outcome<KernelStatus>> {
    try {
      const { session, warning: unchecked } = await readSessionLink(link);
      const loaded = await core();
      const previous = kernel;
      const opened = KernelClass.fromText(session.spec, loaded, { seed: session.seed });
      opened.savedQueries = session.queries ?? [];
      opened.addedWatches = session.watches ?? [];
      kernel = opened;
      rootProblem = undefined;
      stopped = 'running';
      longWork.cancelRequested = false;
      for (const entry of session.interventions) {
        await runSliced(entry.atSeq);
        if (longWork.cancelRequested) return { ok: false, error: 'Opening the link was cancelled.' };
        opened.intervene(entry.command);
      }
      await runSliced(session.cursor);
      stopped = longWork.cancelRequested ? 'cancelled' : 'events';
      const warning = session.engine !== opened.engine ? ` (recorded with engine "${session.engine}"; this is "${opened.engine}")` : '';
      if (opened.cursor !== session.cursor) return { ok: false, error: `The link's run stopped at event ${opened.cursor}, before its cursor ${session.cursor}${warning}.` };
      if (session.root !== undefined && (await rootSliced(opened)) !== session.root) {
        // Refused: the page keeps what it had (the run replayed is not the one the link was made of).
        const error = new RootMismatchError('The link', opened.cursor, session.root, opened.rootAt()).message;
        kernel = previous;
        stopped = previous ? 'events' : 'idle';
        return { ok: false, error };
      }
      if (stopped === 'events') stopped = restingStop(opened);
      return unchecked ? { ok: true, value: status(), warning: unchecked } : { ok: true, value: status() };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  },

  // Views for the Memory, Metrics and Profile panels (columns are transferred, not copied).
  memory(node) {
    if (!kernel) return { ok: false, error: 'load a spec first' };
    try {
      const view = memoryView(kernel, node);
      return Comlink.transfer({ ok: true, value: view }, [view.address.buffer, view.size.buffer, view.pid.buffer, view.parts.buffer]);
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  },
  async metrics(points) {
    if (!kernel) return undefined;
    const scratch = await scratchCore();
    if (!kernel) return undefined;
    const view = metricsView(kernel, points, scratch);
    return Comlink.transfer(view, [view.tick.buffer, view.runnable.buffer, view.heapBytes.buffer, view.messagesPerMs.buffer, ...view.fragmentationPermille.map((series) => series.buffer)]);
  },
  profile: () => (kernel ? profileView(kernel) : undefined),
  health: () => (kernel ? healthView(kernel) : undefined),
  shared: (offsets) => (kernel ? sharedView(kernel, offsets) : undefined),
};


function attempt(action: () => KernelStatus): Outcome<KernelStatus> {
  if (!kernel) return { ok: false, error: 'load a spec first' };
  try {
    return { ok: true, value: action() };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Bytes the checksum of a checkpoint covers per call between two looks at the slice's deadline. */
const CHECKSUM_STEP_BYTES = 1 << 20;

/** A checkpoint's crc32 in slices (progress in longWork.progress.done); undefined: cancelled. */
async function checksumSliced(bytes: Uint8Array): Promise<number | undefined> {
  const part = checksummedBytes(bytes);
  let crc = CRC32_START, offset = 0;
  const completed = await longWork.sliced((deadline) => {
    do {
      crc = crc32Update(crc, part.subarray(offset, offset + CHECKSUM_STEP_BYTES));
      offset = Math.min(part.length, offset + CHECKSUM_STEP_BYTES);
    } while (offset < part.length && !deadline());
    if (longWork.progress) longWork.progress.done = offset;
    return offset >= part.length;
  });
  return completed ? crc32Final(crc) : undefined;
}

/** The Merkle root at the cursor, the tree built in slices (a long journal is hashed without blocking the worker). */
async function rootSliced(target: Kernel): Promise<string> {
  const journal = target.machine.journal, cursor = target.cursor;
  await longWork.sliced((deadline) => target.audit.catchUp(journal, cursor, deadline));
  return target.rootAt(cursor);
}

/** A speed asked for while a run goes on (setSpeed): the run takes it up at its next slice. */
type SpeedAsked = { eventsPerSecond: number | undefined } | undefined;
let speedAsked: SpeedAsked;

/** A speed limit spreads the events over wall time (pacing.ts): a slice runs those due, then waits for the next. */
function pacerFor(eventsPerSecond: number | undefined): Pacer | undefined {
  return eventsPerSecond ? new Pacer(eventsPerSecond, performance.now(), Math.max(1, Math.round((eventsPerSecond * SLICE_MS) / 1000))) : undefined;
}

/** Runs the current kernel to `events` in slices, answering other calls (cancel, setSpeed) in between. */
async function runSliced(events: number, ticks?: number, eventsPerSecond?: number): Promise<KernelStatus['stopped']> {
  let pacer = pacerFor(eventsPerSecond);
  speedAsked = undefined;
  for (;;) {
    if (!kernel) return 'idle';
    const asked = speedAsked as SpeedAsked; // set by setSpeed between two slices
    if (asked) {
      pacer = pacerFor(asked.eventsPerSecond);
      speedAsked = undefined;
    }
    const pace = pacer?.next(performance.now());
    if (pace && pace.events === 0) {
      await new Promise((resolve) => setTimeout(resolve, pace.waitMs));
      if (longWork.cancelRequested) return 'cancelled';
      continue;
    }
    const sliceEnd = performance.now() + SLICE_MS;
    const before = kernel.cursor;
    const target = Math.min(events, before + (pace?.events ?? Infinity));
    const outcome = kernel.machine.run({ events: target, ticks, deadline: () => performance.now() > sliceEnd });
    pacer?.ran(kernel.cursor - before);
    if (outcome !== 'events' || kernel.cursor >= events) return outcome;
    await yieldToMessages();
    if (longWork.cancelRequested) return 'cancelled';
  }
}



Comlink.expose(api);

/** The IPC panel's and the Inspector's views (ipc-views.ts); a function so the api literal can spread it. */
function ipcApi(): Pick<KernelApi, 'ipc' | 'processDetail' | 'compare'> {
  const outcome = <T>(make: () => T): Outcome<T> => {
    if (!kernel) return { ok: false, error: 'load a spec first' };
    try {
      return { ok: true, value: make() };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  };
  return {
    ipc: (windowMs) => (kernel ? ipcView(kernel, windowMs) : undefined),
    processDetail: (pid) => outcome(() => processDetail(kernel!, pid)),
    compare: (a, b) => outcome(() => compareView(kernel!, a, b)),
  };
}
