// The System tabs' labels: the tab list (SystemTabList.svelte) and the panel's loading line (SystemTabs.svelte).
import type { SystemTab } from '../kernel-client.svelte';

export const SYSTEM_TAB_LABELS: Record<SystemTab, string> = {
  overview: 'Processes & Events', memory: 'Memory', metrics: 'Metrics', profile: 'Profile', ipc: 'IPC', shared: 'Shared',
  health: 'Health', shell: 'Shell', query: 'Query', experiments: 'Experiments',
};
