// The only code on the main thread that talks to the kernel worker. Components read its reactive
// fields and call its methods; they never see the worker or Comlink. The worker sends what is in
// view (a window of events, the process rows), never whole states.
import type { SpecCheck } from '../worker/spec-check';
import * as Comlink from 'comlink';
import type {
  BranchRow, CoreInfo, EventFilter, EventRow, SessionInfo, TimelineStrip, InterventionRequest, KernelApi, KernelStatus, Outcome, ProcessRow, SpecProblem, SupervisorRow,
  MemoryView,
} from '../worker/api';
import type { BisectCondition, ChannelRow, FailureWalk, HoldMarks, WatchRow } from '../worker/api';
import type { AuditFiles, SharedView } from '../worker/api';
import { RUN_KEYS_MAX } from '../worker/api';
import { runOverReason, stopWords } from './run-state';
import { Held, historyKey, momentKey } from './moment.svelte';
import type { SavedQuery } from '../kernel/session';
import type { QueryAnswer } from '../query/query.worker';

import { PanelViews } from './panels/views.svelte';
export { SYSTEM_TABS, type SystemTab } from './panels/views.svelte';

/** A message for the user, with at most one action (e.g. resume the last session). */
export interface Notice {
  text: string;
  tone: 'info' | 'error';
  action?: { label: string; run: () => unknown };
  /** The moment (client.moment) the notice is about: it goes when the screen leaves it. */
  at?: string;
}

export type ClientPhase = 'starting' | 'ready' | 'failed';
/** Cancellable work in progress: a run, opening a link, restoring a checkpoint, a `find` scan. */
export type BusyKind = 'running' | 'opening' | 'restoring' | 'finding';

/** How long the worker and the wasm core get to answer before the UI says they did not. */
export const BOOT_TIMEOUT_MS = 15_000;
/** While running, how often the status bar and panels refresh. */
const PROGRESS_MS = 500;
const SLOW_PROGRESS_MS = 100;
/** How often a run's recovery point is made again from a fresh link (between, its progress is kept as `runTo`). */
const RUN_LINK_MS = 3000;
/** The heartbeat: a ping this often; no answer within the timeout means the worker is gone. */
export const HEARTBEAT_MS = 1000;
export const HEARTBEAT_TIMEOUT_MS = 4000;
/** Events shown before the cursor in the events panel. */
export const EVENT_WINDOW = 100;
/** Columns of the timeline's density strip. */
export const DENSITY_BUCKETS = 400;

export type WorkerFactory = () => Worker;

/** Where a checkpoint was saved: the run (see Kernel.runKey) and the event. */
export interface CheckpointPlace {
  runKey: string;
  seq: number;
}

const createKernelWorker: WorkerFactory = () =>
  new Worker(new URL('../worker/kernel.worker.ts', import.meta.url), { type: 'module', name: 'agentos-kernel' });

export class KernelClient {
  phase = $state<ClientPhase>('starting');
  core = $state.raw<CoreInfo | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  #status = $state.raw<KernelStatus | undefined>(undefined);
  /** The session's position, as the worker last reported it. A notice about another moment goes. */
  get status(): KernelStatus | undefined {
    return this.#status;
  }
  set status(value: KernelStatus | undefined) {
    this.#status = value;
    if (this.notice?.at !== undefined && this.notice.at !== this.moment) this.notice = undefined;
    // Every cursor a run shows is kept for recovery: a reload must not offer less than the page showed.
    if (value?.loaded && this.busy === 'running') this.onRunProgress?.(value.cursor);
  }
  /** Where the screen is: session, branch and cursor (moment.svelte.ts); views of one moment hold its key. */
  get moment(): string {
    return momentKey(this.generation, this.#status);
  }
  /** The session and branch on screen: views of the branch's events (the cause chain) hold this key. */
  get history(): string {
    return historyKey(this.generation, this.#status);
  }
  specProblems = $state.raw<SpecProblem[]>([]);
  processes = $state.raw<ProcessRow[]>([]);
  /** The supervisor trees at the cursor (Processes panel); [] without supervisors. */
  supervisors = $state.raw<SupervisorRow[]>([]);
  events = $state.raw<EventRow[]>([]);
  branches = $state.raw<BranchRow[]>([]);
  /** Work in progress that can be cancelled (pause() cancels it); status.work says how far it got. */
  busy = $state<false | BusyKind>(false);
  /** Nodes, their policies and the channels: for the intervention controls. */
  session = $state.raw<SessionInfo | undefined>(undefined);
  /** The speed the user chose last (the Speed control): events per second, undefined for as fast as it goes. */
  #chosenSpeed = $state<number | undefined>(undefined);
  /** The loaded example's own speed (useSpeedOf); a load of anything else ends it. */
  #ownSpeed = $state.raw<{ speed: number } | undefined>(undefined);
  /** Run speed: events per second of wall time, or undefined for as fast as it goes. Setting it is the user's choice. */
  get speed(): number | undefined {
    return this.#ownSpeed ? this.#ownSpeed.speed : this.#chosenSpeed;
  }
  set speed(value: number | undefined) {
    this.#chosenSpeed = value;
    this.#ownSpeed = undefined;
    // A run going on takes the new speed at once (and its progress reports the new pace's way).
    if (this.busy === 'running' && this.#api) {
      void this.#api.setSpeed(value);
      this.#startProgress();
    }
  }
  /** The loaded spec runs at `speed` (an example's declared pace) until the next load or the user's choice. */
  useSpeedOf(speed: number): void {
    this.#ownSpeed = { speed };
  }
  /** The run going on (run()), so a caller can wait for it to end after pause(). */
  #running: Promise<void> | undefined;
  /** The events panel's filter; with one set, the panel searches back from the cursor. */
  eventFilter = $state.raw<EventFilter>({});
  /** How far back the filtered search looked, or why it could not search (an unknown agent). */
  eventSearch = $state.raw<{ searchedFrom: number; error?: string } | undefined>(undefined);
  readonly #causeChain = new Held<EventRow[]>(() => this.history);
  /** The selected event and the events that caused it (newest first), on the branch it was asked on: none on another. */
  get causeChain(): EventRow[] {
    return this.#causeChain.value ?? [];
  }
  set causeChain(rows: EventRow[]) {
    this.#causeChain.set(rows);
  }
  /** The branch's failures seen from the cursor: the timeline's count and its ‹ › walk. */
  failures = $state.raw<FailureWalk | undefined>(undefined);
  /** Events per slice of virtual time, for the timeline's density strip. */
  density = $state.raw<TimelineStrip | undefined>(undefined);
  /** Stored checkpoints that are states of the current branch: the timeline marks them. */
  checkpointMarks = $state.raw<Array<{ id: string; seq: number }>>([]);
  /** A short message for the user about the last action (share, intervene, ...). */
  notice = $state<Notice | undefined>(undefined);
  /**
   * Told each time the session comes to rest, and every few seconds of a run (link, name, cursor):
   * the recovery point. `live`: the link was made at the end of its journal, so a run on from it
   * only appends (see onRunProgress).
   */
  onRest: ((point: { link: string; name: string; cursor: number }, live: boolean) => void) | undefined;
  /** Told every cursor a run shows (from the status setter): how far the session has got since the last recovery point. */
  onRunProgress: ((cursor: number) => void) | undefined;
  /** Told the spec text of a run that was opened from a link or a recovery point (for the editor), and what it was (openLink's title). */
  onSpecOpened: ((specText: string, title: string) => void) | undefined;
  /**
   * Counts the sessions this page has had: a load, an opened link or a restored checkpoint starts
   * a new one. Views keyed on it (the workbench's panels) start afresh, so nothing of the old
   * session can stay on screen; `onSessionReplaced` tells the page's own UI state (the selection).
   */
  generation = $state(0);
  /**
   * Asked before a restore, an opened link or trial, or an example replaces the session, with
   * what would replace it; false keeps the session as it is (src/ui/session-keep). Unset: never asks.
   */
  confirmReplace: ((title: string) => Promise<boolean>) | undefined;
  /** Whether the session may be replaced by `title` (see confirmReplace). */
  async mayReplace(title: string): Promise<boolean> {
    return this.confirmReplace ? this.confirmReplace(title) : true;
  }
  #replacedListeners = new Set<() => void>();
  /**
   * Tells `listener` each time a new session replaces the old one, right where this client resets
   * its own views: the page's state kept outside it (the selection, the Query panel's result, the
   * Shell's transcript) starts afresh at the same moment. Returns the unsubscribe.
   */
  onSessionReplaced(listener: () => void): () => void {
    this.#replacedListeners.add(listener);
    return () => this.#replacedListeners.delete(listener);
  }

  /** The System panels' views at the cursor (Memory, Metrics, IPC, ...), the Inspector's, the comparison: panels/views.svelte.ts. */
  readonly views = new PanelViews({ api: () => this.#api, loaded: () => this.loaded, busy: () => this.busy !== false });

  #worker: Worker | undefined;
  #api: Comlink.Remote<KernelApi> | undefined;
  #seekTarget: number | undefined;
  #seeking = false;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #densityKey = '';
  #pingInFlight = false;
  #recovering = false;
  /** The session as a link, refreshed when the run stops: what a restarted worker replays. */
  #lastSession: string | undefined;

  /**
   * Replays a recovery point from an earlier page (a link of this origin's format), then runs on
   * (as fast as it goes) to `runTo`, the event its run had got to when the page went away.
   */
  async resume(point: { link: string; runTo?: number }): Promise<void> {
    await this.openLink(point.link, 'your last session');
    const api = this.#ready();
    const from = this.status?.cursor;
    if (!api || !this.loaded || this.busy || point.runTo === undefined || from === undefined || from >= point.runTo) return;
    this.busy = 'running';
    const running = this.#run(api, from, point.runTo, undefined);
    this.#running = running;
    await running;
    const after = this.status;
    if (!after?.loaded || (this.notice && (this.notice.tone === 'error' || this.notice.action))) return;
    this.notice = after.cursor === point.runTo
      ? { text: `Resumed your last session at event ${after.cursor.toLocaleString('en')} (replayed to event ${from.toLocaleString('en')}, then run on to where it had got)`, tone: 'info' }
      : { text: `Resumed your last session: its run stopped at event ${after.cursor.toLocaleString('en')} (${stopWords(after)}), before event ${point.runTo.toLocaleString('en')}`, tone: 'info' };
  }

  constructor(private readonly createWorker: WorkerFactory = createKernelWorker) {}

  /** Starts the worker and boots the core; resolves when the status is ready or failed. */
  async start(): Promise<void> {
    this.dispose();
    this.phase = 'starting';
    this.error = undefined;
    let worker: Worker;
    try {
      worker = this.createWorker();
    } catch (error) {
      return this.#fail(`The kernel worker could not be created: ${messageOf(error)}`);
    }
    this.#worker = worker;
    this.#api = Comlink.wrap<KernelApi>(worker);
    const workerFailed = new Promise<never>((_, reject) => {
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        reject(new Error(event.message || 'the worker script failed to load'));
      });
    });
    try {
      this.core = await withTimeout(Promise.race([this.#api.boot(), workerFailed]), BOOT_TIMEOUT_MS);
      this.phase = 'ready';
      this.workerStarts++;
      worker.addEventListener('error', () => void this.#recover('the kernel worker crashed'));
      this.#heartbeat = setInterval(() => void this.#beat(), HEARTBEAT_MS);
    } catch (error) {
      this.#fail(`The kernel did not start: ${messageOf(error)}`);
    }
  }

  get loaded(): boolean {
    return this.status?.loaded === true;
  }

  /**
   * Checks spec text as it is typed (in the worker, without loading it); null when no worker can
   * answer: none is up, or the one asked was replaced (a crash, a missed heartbeat) before it
   * answered. A check sent to a worker that is gone never waits forever: `workerStarts` says when
   * to ask again.
   */
  async checkSpec(text: string): Promise<SpecCheck | null> {
    const api = this.#api;
    if (!api) return null;
    return new Promise<SpecCheck | null>((resolve, reject) => {
      const settle = (check: SpecCheck | null) => {
        this.#pendingChecks.delete(settle);
        resolve(check);
      };
      this.#pendingChecks.add(settle);
      api.checkSpec(text).then(settle, (error: unknown) => {
        this.#pendingChecks.delete(settle);
        reject(error);
      });
    });
  }
  /** Checks waiting for the worker now running: answered null when it is disposed. */
  readonly #pendingChecks = new Set<(check: null) => void>();
  /** How many times a worker became ready: what could not be asked of a worker before is asked again when it changes. */
  workerStarts = $state(0);

  /** Parses and boots the spec (cursor 0); its errors, if any, go to specProblems. */
  async load(specText: string): Promise<boolean> {
    const api = this.#ready();
    if (!api) return false;
    this.#ownSpeed = undefined; // another spec: not the last example's pace
    const loaded = await api.load(specText);
    if (!loaded.ok) {
      this.specProblems = loaded.errors;
      return false;
    }
    this.specProblems = [];
    this.#sessionReplaced();
    await this.refresh();
    return true;
  }

  /** Goes to event `target`: a seek within the recorded events, a run (cancellable) past them. */
  async goTo(target: number): Promise<void> {
    const status = this.status;
    if (!status?.loaded || this.busy || !Number.isInteger(target) || target < 0) return;
    if (target <= status.events) return this.seek(target);
    if (target > status.journalEventsMax) {
      this.notice = { text: `Event ${target.toLocaleString('en')} is past the journal's limit of ${status.journalEventsMax.toLocaleString('en')} events`, tone: 'error' };
      return;
    }
    await this.run(target);
    const after = this.status;
    if (after && after.cursor < target) this.notice = { text: `The run stopped at event ${after.cursor.toLocaleString('en')} (${stopWords(after)}), before event ${target.toLocaleString('en')}`, tone: 'info', at: this.moment };
  }

  /** Loads the spec and runs it until it stops (or `events` events). */
  async loadAndRun(specText: string, events?: number): Promise<void> {
    if (await this.load(specText)) await this.run(events);
  }

  /** Runs from the cursor until the run stops, `events` is reached, or pause() is called. */
  run(events?: number): Promise<void> {
    const api = this.#ready();
    if (!api || !this.loaded || this.busy) return Promise.resolve();
    // At the end of a run that rests, Run (a key, the palette, the shell) has nothing to do: it says so.
    const over = runOverReason(this.status);
    if (over) {
      this.notice = { text: over, tone: 'info' };
      return Promise.resolve();
    }
    this.busy = 'running';
    const running = this.#run(api, this.status?.cursor, events);
    this.#running = running;
    return running;
  }

  /** Pauses the run going on, if any, and resolves once it has stopped. */
  async stopRunning(): Promise<void> {
    if (this.busy !== 'running') return;
    await this.pause();
    await this.#running;
  }

  async #run(api: Comlink.Remote<KernelApi>, from: number | undefined, events?: number, eventsPerSecond = this.speed): Promise<void> {
    // What the last notice said about the session at rest ("X loaded", "kill applied …") is old
    // news once it runs on; an error, or a notice that offers an action, stays.
    if (this.notice?.tone === 'info' && !this.notice.action) this.notice = undefined;
    this.#startProgress();
    try {
      this.status = await api.run({ events, eventsPerSecond });
      // Where it stopped is kept first, before the views are fetched: a reload right after loses nothing.
      void this.#rememberSession();
    } catch (error) {
      this.notice = { text: `The kernel failed: ${messageOf(error)}`, tone: 'error' };
    } finally {
      this.#stopProgress();
      this.busy = false;
      await this.refresh();
    }
    // A run that found nothing to do (a session opened at its end) says why, not nothing.
    const overNow = this.status?.cursor === from ? runOverReason(this.status) : undefined;
    if (overNow && this.status?.stopped !== 'journal-full') this.notice = { text: overNow, tone: 'info' };
    if (this.status?.stopped === 'journal-full') {
      this.notice = {
        text: `The journal is full (${this.status.journalEventsMax.toLocaleString('en')} events), so the run stopped there. Everything recorded can still be scrubbed, inspected, branched and saved.`,
        tone: 'info',
      };
    }
  }

  async pause(): Promise<void> {
    await this.#api?.cancel();
  }

  /** One event forward (re-executing the recorded future, or running on at its end). */
  async step(): Promise<void> {
    const status = this.status;
    if (!status?.loaded || this.busy) return;
    if (status.cursor < status.events) await this.seek(status.cursor + 1);
    else await this.run(status.cursor + 1);
  }

  async stepBack(): Promise<void> {
    const status = this.status;
    if (!status?.loaded || this.busy || status.cursor === 0) return;
    await this.seek(status.cursor - 1);
  }

  /** Seeks to `seq`; while a seek is in flight only the latest request is kept (dragging). */
  async seek(seq: number): Promise<void> {
    const api = this.#ready();
    if (!api || !this.loaded) return;
    this.#seekTarget = seq;
    if (this.#seeking) return;
    this.#seeking = true;
    try {
      // A seek asked for while the views refresh is taken up after them, never dropped.
      do {
        while (this.#seekTarget !== undefined) {
          const target = this.#seekTarget;
          this.#seekTarget = undefined;
          this.status = await api.seek(target);
        }
        await this.refreshViews();
      } while (this.#seekTarget !== undefined);
    } catch (error) {
      this.notice = { text: messageOf(error), tone: 'error' };
    } finally {
      this.#seeking = false;
    }
  }

  /**
   * Moves the cursor to just after the next (1) or previous (-1) failure; says so if there is none.
   * Asks the same index as the timeline's count (`failures`), so the two never disagree.
   */
  async seekFailure(direction: 1 | -1): Promise<void> {
    const api = this.#ready();
    const status = this.status;
    if (!api || !status?.loaded || this.busy) return;
    const walk = await api.failureWalk(status.cursor);
    this.failures = walk;
    const target = direction === 1 ? walk.next : walk.previous;
    if (target !== null) return this.seek(target);
    const where = walk.atFailure ? `failure ${walk.passed} of ${walk.count} is the ${direction === 1 ? 'last' : 'first'}` : `no failure ${direction === 1 ? 'after' : 'before'} event ${status.cursor}`;
    this.notice = { text: `On this branch, ${where}`, tone: 'info', at: this.moment };
  }

  async intervene(request: InterventionRequest): Promise<void> {
    // Named by the event it became (#cursor), so it matches the events panel and the branch tree.
    const at = this.status?.cursor;
    await this.#outcome((api) => api.intervene(request), `${request.kind === 'killTree' ? 'kill subtree' : request.kind} applied at event #${at} (a new branch); the old future stays on its branch`);
  }

  async undo(): Promise<void> {
    if (this.status?.loaded && !this.status.canUndo) {
      this.notice = { text: 'Nothing to undo: this branch has no earlier intervention', tone: 'info' };
      return;
    }
    await this.#outcome((api) => api.undo(), 'Undone: back on the branch before the intervention');
  }

  async redo(): Promise<void> {
    if (this.status?.loaded && !this.status.canRedo) {
      this.notice = { text: 'Nothing to redo', tone: 'info' };
      return;
    }
    await this.#outcome((api) => api.redo(), 'Redone');
  }

  async switchBranch(id: number): Promise<void> {
    await this.#outcome((api) => api.switchBranch(id), `On branch ${id}`);
  }

  /** The share link of this moment: copied to the clipboard when the browser allows it. */
  async share(): Promise<string | undefined> {
    const api = this.#ready();
    if (!api || !this.loaded) return undefined;
    const base = `${location.origin}${location.pathname}`;
    const link = await api.shareLink(base);
    try {
      await navigator.clipboard.writeText(link);
      this.notice = { text: `Link copied (${link.length} characters)`, tone: 'info', at: this.moment };
    } catch {
      this.notice = { text: 'Copy the link below (the browser did not allow copying it).', tone: 'info', at: this.moment };
    }
    return link;
  }

  /** The audit report at the cursor (worker/audit-views.ts), for the Audit button. */
  async auditReport(): Promise<Outcome<AuditFiles> | undefined> {
    const api = this.#ready();
    return api && this.loaded && !this.busy ? api.auditReport() : undefined;
  }

  /**
   * Opens a share link: replays its session to its cursor. A bad link loads nothing. `title` names
   * what it is in the notice (`trial 7 (variant eevdf, seed 3)`); by default "the shared run".
   * Resolves whether it opened (not when the user chose to keep the session, see confirmReplace).
   */
  async openLink(link: string, title = 'the shared run', options: { ask?: boolean } = {}): Promise<boolean> {
    if (!this.#ready() || (options.ask !== false && !(await this.mayReplace(title)))) return false;
    const api = this.#ready(); // again: the worker may have gone while the question waited
    if (!api) return false;
    this.busy = 'opening';
    this.#startProgress();
    try {
      const outcome = await api.openLink(link);
      if (outcome.ok) {
        this.#sessionReplaced();
        this.notice = outcome.warning
          ? { text: `Opened ${title} at event ${outcome.value.cursor}. ${outcome.warning}`, tone: 'error' }
          : { text: `Opened ${title} at event ${outcome.value.cursor.toLocaleString('en')}`, tone: 'info' };
        this.onSpecOpened?.(await api.specText(), title);
        return true;
      } else {
        this.notice = { text: outcome.error, tone: 'error' };
        return false;
      }
    } finally {
      this.#stopProgress();
      this.busy = false;
      await this.refresh();
    }
  }

  /**
   * The one place where a new session replaces the old one's views: every field below that shows
   * something of a session goes back to its start, and `generation` moves on (keyed views remount).
   */
  #sessionReplaced(): void {
    this.generation++;
    this.notice = undefined; // "journal full", "kill applied at event #…", the offer to resume: old news
    this.eventFilter = {}; // names agents of the old spec
    this.eventSearch = undefined;
    this.causeChain = [];
    this.events = [];
    this.processes = [];
    this.supervisors = [];
    this.branches = [];
    this.density = undefined;
    this.failures = undefined;
    this.#densityKey = '';
    this.checkpointMarks = [];
    this.marks = undefined;
    this.views.reset();
    for (const listener of this.#replacedListeners) listener();
  }

  #progress: ReturnType<typeof setInterval> | undefined;
  #startProgress(): void {
    this.#stopProgress();
    let tick = 0;
    // The status every time; the panels' rows every third time (they are the heavier part), or
    // every time when the user slowed the run down to watch it.
    const panelsEvery = this.speed === undefined ? 3 : 1;
    // At 100 events/s or slower, often enough that the events are seen at the pace they happen (one at a time at 10/s).
    const every = this.speed !== undefined && this.speed <= 100 ? SLOW_PROGRESS_MS : PROGRESS_MS;
    let linkAt = performance.now();
    this.#progress = setInterval(() => {
      void (tick++ % panelsEvery === panelsEvery - 1 ? this.refresh() : this.refreshStatus()).then(() => {
        // (the cursor itself reached onRunProgress through the status setter)
        if (this.busy !== 'running' || !this.status?.loaded) return;
        // A run that goes on a long while (or replays a recorded future) is kept as a link now and then too.
        if (performance.now() - linkAt < RUN_LINK_MS) return;
        linkAt = performance.now();
        void this.#rememberSession();
      });
    }, every);
  }

  async refreshStatus(): Promise<void> {
    const api = this.#api;
    if (api) this.status = await api.status();
    this.#awaitRoot();
  }

  /** While the worker is still hashing the journal (status.root ''), asks again for the status, until the root is there. */
  #rootPoll: ReturnType<typeof setTimeout> | undefined;
  #awaitRoot(): void {
    if (this.status?.root !== '' || this.#rootPoll !== undefined) return;
    this.#rootPoll = setTimeout(() => {
      this.#rootPoll = undefined;
      void this.refreshStatus();
    }, PROGRESS_MS);
  }
  #stopProgress(): void {
    clearInterval(this.#progress);
    this.#progress = undefined;
  }

  /** The current branch as checkpoint bytes, or undefined (with a notice saying why). */
  async checkpointBytes(): Promise<{ bytes: Uint8Array; name: string; cursor: number; events: number; runKey: string } | undefined> {
    const api = this.#ready();
    if (!api || !this.loaded || this.busy) return undefined;
    const outcome = await api.checkpoint();
    if (outcome.ok) return outcome.value;
    this.notice = { text: outcome.error, tone: 'error' };
    return undefined;
  }

  /**
   * Restores a checkpoint (re-executing and checking its journal, with progress; pause() cancels
   * it and the session stays as it was); returns its spec text.
   */
  async restoreCheckpoint(body: Uint8Array | Blob, source: string): Promise<string | undefined> {
    if (!this.#ready() || this.busy || !(await this.mayReplace(source))) return undefined;
    const api = this.#ready(); // again, as in openLink
    if (!api || this.busy) return undefined;
    this.busy = 'restoring';
    this.#startProgress();
    try {
      // Bytes are transferred; a Blob (a File) goes by reference and the worker reads it.
      const outcome = await api.restoreCheckpoint(body instanceof Blob ? body : Comlink.transfer(body, [body.buffer]), source);
      if (!outcome.ok) {
        this.notice = { text: capitalize(outcome.error), tone: outcome.cancelled ? 'info' : 'error' };
        return undefined;
      }
      this.status = outcome.value;
      // A checkpoint holds the whole branch tree, with Undo and Redo.
      this.#sessionReplaced();
      this.notice = { text: `Restored ${source} at event ${outcome.value.cursor}`, tone: 'info' };
      return await api.specText();
    } finally {
      this.#stopProgress();
      this.busy = false;
      await this.refresh();
    }
  }

  async refresh(): Promise<void> {
    const api = this.#api;
    if (!api) return;
    this.status = await api.status();
    this.#awaitRoot();
    await this.refreshViews();
  }

  async refreshViews(): Promise<void> {
    const api = this.#api;
    const status = this.status;
    if (!api || !status?.loaded) return;
    const filter = this.eventFilter;
    const filtered = filter.type !== undefined || filter.pid !== undefined || filter.node !== undefined || filter.agent !== undefined;
    let search: { searchedFrom: number; error?: string } | undefined;
    const [processes, events, branches, session, density, failures, supervisors] = await Promise.all([
      api.processes(),
      filtered
        ? api.eventsBefore(status.cursor, EVENT_WINDOW, filter).then((found) => {
          search = { searchedFrom: found.searchedFrom, error: found.error };
          return found.rows.reverse();
        })
        : api.events(Math.max(0, status.cursor - EVENT_WINDOW), Math.min(EVENT_WINDOW, status.cursor)),
      api.branches(),
      api.sessionInfo(),
      // The strip depends on the branch's events, not on the cursor: fetched when those change.
      this.#densityKey === `${status.events}:${this.branches.find((b) => b.current)?.id}` ? Promise.resolve(this.density) : api.density(DENSITY_BUCKETS),
      api.failureWalk(status.cursor),
      api.supervisors(),
    ]);
    this.failures = failures;
    this.processes = processes;
    this.supervisors = supervisors;
    this.events = events;
    this.eventSearch = search;
    this.branches = branches;
    this.session = session;
    this.density = density;
    const densityKey = `${status.events}:${branches.find((b) => b.current)?.id}`;
    if (densityKey !== this.#densityKey) await this.#refreshCheckpointMarks();
    this.#densityKey = densityKey;
    await this.views.refresh();
    if (!this.busy) await this.#rememberSession();
  }

  #checkpointPlaces: Array<CheckpointPlace & { id: string }> = [];

  /** The file restored last, as a Blob copy and its crc32 (made in the worker); asked once. */
  async restoredFileCopy(): Promise<{ blob: Blob; checksum: number } | undefined> {
    return this.#api?.restoredFileCopy();
  }

  /** The place of the cursor (for a checkpoint kept from a file): undefined if nothing is loaded. */
  async placeOfCursor(): Promise<CheckpointPlace | undefined> {
    const api = this.#api;
    const status = this.status;
    if (!api || !status?.loaded) return undefined;
    const [runKey] = await api.runKeys([status.cursor]);
    return runKey ? { runKey, seq: status.cursor } : undefined;
  }

  /** Takes the stored checkpoints' places and marks those on the current branch. */
  async markCheckpoints(places: Array<CheckpointPlace & { id: string }>): Promise<void> {
    this.#checkpointPlaces = places;
    await this.#refreshCheckpointMarks();
  }

  async #refreshCheckpointMarks(): Promise<void> {
    const api = this.#api;
    const status = this.status;
    if (!api || !status?.loaded) {
      this.checkpointMarks = [];
      return;
    }
    const places = this.#checkpointPlaces.filter((place) => place.seq <= status.events).slice(0, RUN_KEYS_MAX);
    const keys = places.length ? await api.runKeys(places.map((place) => place.seq)) : [];
    this.checkpointMarks = places.filter((place, i) => keys[i] === place.runKey).map(({ id, seq }) => ({ id, seq }));
  }

  /** Filters the events panel (by type, agent or replica, pid, node) and fetches the matching events. */
  async filterEvents(filter: EventFilter): Promise<void> {
    this.eventFilter = filter;
    await this.refreshViews();
  }

  /** Selects an event: shows what led to it. */
  async showCause(seq: number): Promise<void> {
    const asked = this.history;
    this.#causeChain.set((await this.#api?.causeChain(seq)) ?? [], asked);
  }


  /** Test hook: makes the worker stop answering, to exercise recovery. */
  /** KernelQL: gives the kernel worker one end of a channel to the query worker (src/query/serve.ts). */
  async connectQuery(port: MessagePort): Promise<void> {
    const api = this.#ready();
    if (!api) throw new Error('the kernel is not running yet');
    await api.queryPort(Comlink.transfer(port, [port]));
  }

  /** The session's saved queries (the Query panel's), and replacing them: they travel with its link. */
  async savedQueries(): Promise<SavedQuery[]> {
    return (await this.#ready()?.savedQueries()) ?? [];
  }

  async setSavedQueries(queries: SavedQuery[]): Promise<Outcome<null>> {
    const api = this.#ready();
    return api ? api.setSavedQueries(queries) : { ok: false, error: 'the kernel is not running yet' };
  }

  async debugCrash(): Promise<void> {
    await this.#api?.debugCrash();
  }

  async #beat(): Promise<void> {
    const api = this.#api;
    if (!api || this.#pingInFlight || this.#recovering) return;
    this.#pingInFlight = true;
    try {
      await withTimeout(api.ping(Date.now()), HEARTBEAT_TIMEOUT_MS);
    } catch {
      await this.#recover(`the kernel stopped answering for ${HEARTBEAT_TIMEOUT_MS / 1000} s`);
    } finally {
      this.#pingInFlight = false;
    }
  }

  /** A crashed or hung worker: start a new one and replay the last session into it. */
  async #recover(why: string): Promise<void> {
    if (this.#recovering) return;
    this.#recovering = true;
    const session = this.#lastSession;
    this.#stopProgress();
    this.busy = false;
    try {
      await this.start();
      if (this.phase !== 'ready') return;
      if (session) {
        await this.openLink(session, undefined, { ask: false }); // the same session again: nothing to ask
        this.notice = { text: `${capitalize(why)}; it was restarted and the session restored from its recovery point, event ${this.status?.cursor ?? 0}. Saved checkpoints and drafts are untouched.`, tone: 'error' };
      } else {
        this.notice = { text: `${capitalize(why)}; it was restarted (there was no session to restore).`, tone: 'error' };
      }
    } finally {
      this.#recovering = false;
    }
  }

  /** Remembers the session (spec, seed, interventions, cursor) for recovery. */
  async #rememberSession(): Promise<void> {
    const api = this.#api;
    if (!api || !this.loaded) return;
    try {
      // A recovery point, kept at once: without the Merkle root, whose tree can take a while to build.
      const point = await api.recoveryLink(`${location.origin}${location.pathname}`);
      if (!point || !this.loaded) return;
      this.#lastSession = point.link;
      this.onRest?.({ link: point.link, name: point.name, cursor: point.cursor }, point.atEnd);
      // Mid-run, the link was made a moment ago: the run may have been shown further since, and
      // that progress stays kept (a reload now must not offer less than the page showed).
      if (this.busy === 'running' && this.status?.loaded) this.onRunProgress?.(this.status.cursor);
    } catch {
      // Keeping the previous one is the best we can do; the next stop tries again.
    }
  }

  dispose(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    this.#api?.[Comlink.releaseProxy]();
    this.#worker?.terminate();
    // Their worker is gone and will never answer.
    for (const settle of [...this.#pendingChecks]) settle(null);
    this.#api = undefined;
    this.#worker = undefined;
  }

  #ready(): Comlink.Remote<KernelApi> | undefined {
    return this.phase === 'ready' ? this.#api : undefined;
  }

  async #outcome(call: (api: Comlink.Remote<KernelApi>) => Promise<Outcome<KernelStatus>>, success: string): Promise<void> {
    const api = this.#ready();
    if (!api || !this.loaded || this.busy) return;
    const outcome = await call(api);
    if (outcome.ok) {
      this.status = outcome.value;
      this.notice = { text: success, tone: 'info' };
      await this.refreshViews();
    } else {
      this.notice = { text: outcome.error, tone: 'error' };
    }
  }

  #fail(message: string): void {
    this.phase = 'failed';
    this.error = message;
    this.core = undefined;
  }

  // ---- Shell (ui/shell): queries and bisect; the shell's other commands call the methods above. ----

  /** Moves the cursor to the first event at which `condition` holds; null: it never does. */
  async bisect(condition: BisectCondition): Promise<Outcome<number | null>> {
    const api = this.#ready();
    if (!api || !this.loaded) return { ok: false, error: 'load a spec first' };
    if (this.busy) return { ok: false, error: 'the kernel is busy (pause it first)' };
    const outcome = await api.bisect(condition);
    if (!outcome.ok) return outcome;
    this.status = outcome.value.status;
    await this.refreshViews();
    return { ok: true, value: outcome.value.seq };
  }

  /**
   * Scans forward event by event for the first event at which `condition` holds (from the cursor,
   * or from event 0), with progress; pause() cancels it and the cursor goes back.
   */
  async find(condition: BisectCondition, fromStart = false): Promise<Outcome<{ seq: number | null; from: number }>> {
    const api = this.#ready();
    if (!api || !this.loaded) return { ok: false, error: 'load a spec first' };
    if (this.busy) return { ok: false, error: `the kernel is ${this.busy} (pause it first)` };
    this.busy = 'finding';
    this.#startProgress();
    try {
      const outcome = await api.find(condition, { fromStart });
      if (!outcome.ok) return outcome;
      this.status = outcome.value.status;
      return { ok: true, value: { seq: outcome.value.seq, from: outcome.value.from } };
    } finally {
      this.#stopProgress();
      this.busy = false;
      await this.refresh();
    }
  }

  /** Where an expression holds, marked on the timeline strip (worker/mark-views.ts); undefined: no marks. */
  marks = $state.raw<HoldMarks | undefined>(undefined);
  /** The branch (its current id and events) the marks were scanned on. */
  marksKey = $state('');

  /**
   * Marks every event at which `condition` becomes true on this branch (find's successive answers),
   * as long work like find (progress, pause cancels); undefined clears the marks. The cursor stays.
   */
  async markHolds(condition: BisectCondition | undefined): Promise<Outcome<HoldMarks | undefined>> {
    if (!condition) {
      this.marks = undefined;
      return { ok: true, value: undefined };
    }
    const api = this.#ready();
    if (!api || !this.loaded) return { ok: false, error: 'load a spec first' };
    if (this.busy) return { ok: false, error: `the kernel is ${this.busy} (pause it first)` };
    this.busy = 'finding';
    this.#startProgress();
    // Asked for this branch as it is now, answered or not: a cancelled or failed scan is not
    // started again by itself (MarkWhere follows the branch only when this key changes).
    const key = `${this.status?.events}:${this.branches.find((b) => b.current)?.id}`;
    try {
      const outcome = await api.markHolds(condition);
      // A refused expression replaces the marks of the last one (a cancelled scan leaves them).
      if (!outcome.ok) {
        if (!outcome.cancelled) this.marks = undefined;
        return outcome;
      }
      this.status = outcome.value.status;
      this.marks = outcome.value.marks;
      return { ok: true, value: outcome.value.marks };
    } finally {
      this.marksKey = key;
      this.#stopProgress();
      this.busy = false;
    }
  }

  /** KernelQL for the shell's `query`: the Query panel's engine (loaded on first use), its result left alone. */
  async queryAnswer(sql: string): Promise<QueryAnswer> {
    const { queryClientFor } = await import('./query-client.svelte');
    return queryClientFor(this).answer(sql);
  }

  async recentEvents(filter: { pid?: number; type?: string }, count: number): Promise<Outcome<EventRow[]>> {
    const api = this.#ready();
    if (!api || !this.loaded) return { ok: false, error: 'load a spec first' };
    return api.recentEvents(filter, count);
  }

  async channels(): Promise<ChannelRow[]> {
    const api = this.#ready();
    return api && this.loaded ? api.channels() : [];
  }

  /** Every watch and its value at the cursor (no series). */
  async watchRows(): Promise<Outcome<WatchRow[]>> {
    const api = this.#ready();
    if (!api || !this.loaded) return { ok: false, error: 'load a spec first' };
    const view = await api.watches(0);
    return view ? { ok: true, value: view.rows } : { ok: false, error: 'load a spec first' };
  }

  /** Adds (or replaces) a watch, or removes one (`expr` undefined); Metrics shows the change. */
  async setWatch(name: string, expr: string | undefined): Promise<Outcome<WatchRow[]>> {
    const api = this.#ready();
    if (!api || !this.loaded) return { ok: false, error: 'load a spec first' };
    const outcome = expr === undefined ? await api.removeWatch(name) : await api.addWatch(name, expr);
    if (outcome.ok) await this.views.refreshWatches();
    return outcome;
  }

  /** One node's memory figures (the Memory panel's view), without switching tabs. */
  async memoryOf(node: number): Promise<Outcome<MemoryView>> {
    const api = this.#ready();
    if (!api || !this.loaded) return { ok: false, error: 'load a spec first' };
    return api.memory(node);
  }

  /** The Shared view at the cursor, first pages (the shell's `shared`). */
  async sharedOf(): Promise<SharedView | undefined> {
    const api = this.#ready();
    return api && this.loaded ? api.shared([]) : undefined;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error) => { clearTimeout(timer); reject(error); },
    );
  });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
