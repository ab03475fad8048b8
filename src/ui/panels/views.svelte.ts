// The System panels' views of the session at the cursor (Memory, Metrics and its watches, Profile,
// Health, IPC, Shared), the Inspector's process details and the comparison of two points: fetched
// from the kernel worker for the visible tab only. KernelClient owns one (`client.views`), tells it
// when the cursor moved (refresh) and when a new session replaced the old one (reset); the panels
// read its fields and call its methods. Split out of kernel-client.svelte.ts, which keeps the
// session itself (load, run, seek, branches, links, checkpoints, recovery).
import type * as Comlink from 'comlink';
import type { CompareView, ComparePoint, HealthView, IpcView, KernelApi, MemoryView, MetricsView, ProcessDetail, ProfileView, SharedView, WatchesView } from '../../worker/api';

/** The tabs of the System area; only the visible one's view is fetched. */
export const SYSTEM_TABS = ['overview', 'memory', 'metrics', 'profile', 'ipc', 'shared', 'health', 'shell', 'query', 'experiments'] as const;
export type SystemTab = (typeof SYSTEM_TABS)[number];
/** Points asked for per metrics series (the worker caps it at METRICS_POINTS_MAX). */
export const METRICS_POINTS = 512;

/** What the views need of the client: the worker's API (undefined while none is up), whether a session is loaded, whether it is busy. */
export interface ViewsHost {
  api(): Comlink.Remote<KernelApi> | undefined;
  loaded(): boolean;
  busy(): boolean;
}

export class PanelViews {
  constructor(private readonly host: ViewsHost) {}

  systemTab = $state<SystemTab>('overview');
  memoryNode = $state(0);
  memory = $state.raw<MemoryView | undefined>(undefined);
  memoryError = $state<string | undefined>(undefined);
  metrics = $state.raw<MetricsView | undefined>(undefined);
  profile = $state.raw<ProfileView | undefined>(undefined);
  health = $state.raw<HealthView | undefined>(undefined);
  // Watches (worker/watch-views.ts): shown in Metrics; the shell's `watch` adds and lists them.
  watches = $state.raw<WatchesView | undefined>(undefined);

  // The IPC panel and the Inspector's details (worker/ipc-views.ts).
  ipc = $state.raw<IpcView | undefined>(undefined);
  /** Width of the IPC panel's rate window, in ms of virtual time. */
  ipcWindowMs = $state(10);
  /** The process the Inspector shows, and its details at the cursor. */
  inspectedPid = $state<number | undefined>(undefined);
  processDetail = $state.raw<ProcessDetail | undefined>(undefined);
  processDetailError = $state<string | undefined>(undefined);
  comparison = $state.raw<CompareView | undefined>(undefined);
  comparisonError = $state<string | undefined>(undefined);

  // The Shared panel (worker/shared-views.ts): every replica of every shared object at the cursor.
  shared = $state.raw<SharedView | undefined>(undefined);
  /** The first element each object's page shows (by object index). */
  sharedOffsets = $state.raw<number[]>([]);

  /** A new session: every view goes back to its start (the tab stays). */
  reset(): void {
    this.memory = undefined;
    this.memoryError = undefined;
    this.memoryNode = 0;
    this.metrics = undefined;
    this.profile = undefined;
    this.health = undefined;
    this.ipc = undefined;
    this.shared = undefined;
    this.sharedOffsets = [];
    this.inspectedPid = undefined;
    this.processDetail = undefined;
    this.processDetailError = undefined;
    this.comparison = undefined;
    this.comparisonError = undefined;
  }

  /** Shows a System tab and fetches its view. */
  async showSystemTab(tab: SystemTab): Promise<void> {
    this.systemTab = tab;
    await this.refresh();
  }

  async showMemoryNode(node: number): Promise<void> {
    this.memoryNode = node;
    await this.refresh();
  }

  async showIpcWindow(ms: number): Promise<void> {
    this.ipcWindowMs = ms;
    await this.refresh();
  }

  async pageShared(object: number, offset: number): Promise<void> {
    const offsets = [...this.sharedOffsets];
    offsets[object] = Math.max(0, offset);
    this.sharedOffsets = Array.from(offsets, (value) => value ?? 0);
    await this.refresh();
  }

  /** Fetches the view of the visible System tab (none for the overview) and the Inspector's. */
  async refresh(): Promise<void> {
    const api = this.host.api();
    if (!api || !this.host.loaded()) return;
    switch (this.systemTab) {
      case 'memory': {
        const outcome = await api.memory(this.memoryNode);
        if (outcome.ok) {
          this.memory = outcome.value;
          this.memoryError = undefined;
        } else if (this.memoryNode !== 0) {
          // A node of an earlier spec: back to node 0, which every cluster has.
          this.memoryNode = 0;
          await this.refresh();
        } else this.memoryError = outcome.error;
        // The fragmentation series under the map is part of the metrics view.
        this.metrics = await api.metrics(METRICS_POINTS);
        break;
      }
      case 'metrics':
        this.metrics = await api.metrics(METRICS_POINTS);
        this.watches = await api.watches(METRICS_POINTS);
        break;
      case 'profile':
        this.profile = await api.profile();
        break;
      case 'health':
        this.health = await api.health();
        break;
      case 'ipc':
        this.ipc = await api.ipc(this.ipcWindowMs);
        break;
      case 'shared':
        this.shared = await api.shared(this.sharedOffsets);
        break;
    }
    await this.#refreshInspector();
  }

  /** The Metrics tab's watches again (a watch was added or removed), when it is the tab on screen. */
  async refreshWatches(): Promise<void> {
    const api = this.host.api();
    if (api && this.systemTab === 'metrics') this.watches = await api.watches(METRICS_POINTS);
  }

  /** Shows one process in the Inspector (undefined: none) and fetches its details. */
  async inspect(pid: number | undefined): Promise<void> {
    this.inspectedPid = pid;
    await this.#refreshInspector();
  }

  async #refreshInspector(): Promise<void> {
    const api = this.host.api();
    const pid = this.inspectedPid;
    if (pid === undefined || !api || !this.host.loaded()) {
      this.processDetail = undefined;
      this.processDetailError = undefined;
      return;
    }
    const outcome = await api.processDetail(pid);
    if (pid !== this.inspectedPid) return;
    this.processDetail = outcome.ok ? outcome.value : undefined;
    this.processDetailError = outcome.ok ? undefined : outcome.error;
  }

  /** The state difference between two points (the cursor does not move). */
  async compare(a: ComparePoint, b: ComparePoint): Promise<void> {
    const api = this.host.api();
    if (!api || !this.host.loaded() || this.host.busy()) return;
    const outcome = await api.compare(a, b);
    this.comparison = outcome.ok ? outcome.value : undefined;
    this.comparisonError = outcome.ok ? undefined : outcome.error;
  }
}
