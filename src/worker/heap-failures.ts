// Failed allocations as the journal tells them (heap/exhausted: over the agent's memory limit, or
// the node's heap or block table could not satisfy it), for the Memory panel and the shell's
// `mem`. The core's own counter sees only the allocations that reached the allocator, so a limit
// failure (the kernel refuses it first) would read as 0; the journal has them all.
// An index per journal, found by one scan and extended as it grows (like density.ts's failures).
import type { Kernel } from '../kernel/kernel';
import { EventCode, ExhaustedWhy } from '../kernel/events';
import { SeqList } from './seq-list';

const EXHAUSTED = EventCode['heap/exhausted'];

/** Per node, the seqs of its heap/exhausted events in order (a journal only grows: a rewound branch forks a new one). */
interface Index { scanned: number; nodes: SeqList[] }
const indexes = new WeakMap<object, Index>();

function exhaustedIndex(kernel: Kernel): Index {
  const journal = kernel.machine.journal;
  let index = indexes.get(journal);
  if (!index || index.scanned > journal.length) index = { scanned: 0, nodes: [] };
  for (let seq = index.scanned; seq < journal.length; seq++) {
    if (journal.type(seq) !== EXHAUSTED) continue;
    (index.nodes[journal.node(seq)] ??= new SeqList()).push(seq);
  }
  index.scanned = journal.length;
  indexes.set(journal, index);
  return index;
}

export interface FailedAlloc {
  seq: number;
  pid: number;
  sizeBytes: number;
  why: 'limit' | 'heap' | 'table';
}

export interface HeapFailures {
  /** Failed allocations on the node before the cursor. */
  count: number;
  /** The latest of them, or undefined. */
  last: FailedAlloc | undefined;
}

/** The failed allocations on `node` among the events before the cursor. */
export function heapFailures(kernel: Kernel, node: number): HeapFailures {
  const journal = kernel.machine.journal;
  const list = exhaustedIndex(kernel).nodes[node];
  if (!list) return { count: 0, last: undefined };
  const low = list.below(kernel.cursor);
  if (low === 0) return { count: 0, last: undefined };
  const seq = list.seqs[low - 1];
  const why = journal.b(seq);
  return {
    count: low,
    last: { seq, pid: journal.pid(seq), sizeBytes: journal.a(seq), why: why === ExhaustedWhy.limit ? 'limit' : why === ExhaustedWhy.table ? 'table' : 'heap' },
  };
}
