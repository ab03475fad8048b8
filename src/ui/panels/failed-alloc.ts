// The Memory panel's sentence about the latest failed allocation, after "asked N B": why it
// failed and what the process holds now. A process's heap figure (the Processes table's heap B)
// is what it asked for; its blocks in the map are rounded up (to whole granules, or to a power of
// two under buddy), so when the two differ both are said: "it holds 217 KiB now" beside a map whose
// legend gives it 256 KiB read as a contradiction (small-objects example, 16-byte granules).
import { formatBytes } from './viz';

export interface FailedAllocWords {
  why: 'limit' | 'heap' | 'table';
  limitBytes: number;
  /** What the process asked for and still holds (its heap figure). */
  heldBytes: number;
  status: string;
}

/** From "over its … limit" to the end of the sentence; `blockBytes` is the process's bytes in the map, when it has any. */
export function failedAllocTail(failed: FailedAllocWords, blockBytes?: number): string {
  const why = failed.why === 'limit' ? `over its ${formatBytes(failed.limitBytes)} limit` : failed.why === 'table' ? 'with the block table full' : 'and the heap had no room';
  if (failed.status === 'failed' || failed.status === 'restarting') return `${why}; ${failed.heldBytes === 0 ? 'the process failed and its blocks were freed.' : 'the process failed.'}`;
  const rounded = blockBytes !== undefined && formatBytes(blockBytes) !== formatBytes(failed.heldBytes)
    ? ` (its blocks take ${formatBytes(blockBytes)}: each is rounded up)` : '';
  return `${why}; it holds ${formatBytes(failed.heldBytes)} now${rounded}.`;
}
