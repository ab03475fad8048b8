// What the run controls and the status bar say about long work in progress (a run, a replay, a
// restore, a find): one wording for both, from the client's busy kind and the worker's status.
import type { KernelStatus } from '../worker/api';
import type { BusyKind } from './kernel-client.svelte';

const count = (value: number) => value.toLocaleString('en');
const mebibytes = (bytes: number) => (bytes / 1048576).toFixed(1);

/** "Restoring 40,960 / 1,000,000 events" and the like; undefined when nothing long is going on. */
export function progressText(busy: false | BusyKind, status: KernelStatus | undefined): string | undefined {
  const work = status?.work;
  switch (busy) {
    case 'opening':
      return `Replaying… event ${count(status?.cursor ?? 0)}`;
    case 'restoring':
      if (work?.kind === 'restoring') return `Restoring ${count(work.done)} / ${count(work.total)} events`;
      if (work?.kind === 'decoding') return `Checking the checkpoint: ${mebibytes(work.done)} / ${mebibytes(work.total)} MiB`;
      if (work?.kind === 'hashing') return `Checking its Merkle roots: ${count(work.done)} / ${count(work.total)} events`;
      return 'Checking the checkpoint…';
    case 'finding':
      if (work?.kind === 'finding') return `Finding: ${count(work.done)} / ${count(work.total)} events checked`;
      return 'Finding…';
    default:
      return undefined;
  }
}

/** "1,434,624 / 2,000,000 events" for the status bar (next to the busy kind); undefined without work. */
export function progressCount(status: KernelStatus | undefined): string | undefined {
  const work = status?.work;
  if (!work) return undefined;
  if (work.kind === 'decoding') return `checking ${mebibytes(work.done)} / ${mebibytes(work.total)} MiB`;
  return `${count(work.done)} / ${count(work.total)} events${work.kind === 'finding' ? ' checked' : ''}`;
}

/** How far the work has got, 0..1, for a progress bar (undefined: not measurable). */
export function progressFraction(status: KernelStatus | undefined): number | undefined {
  const work = status?.work;
  return work && work.total > 0 ? Math.min(1, work.done / work.total) : undefined;
}
