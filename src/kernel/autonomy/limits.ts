// The memory limit an allocation was held to: its agent's spec limit, raised by healing
// (heal/limitRaised) as the journal goes. Words about a failure over the limit (the event rows,
// the IPC panel's process state, the Memory panel's last failed allocation) and about a leak
// predicted to reach it name the limit in force at that event: not the spec's once healing raised
// it, and not the one at the cursor either (a raise usually follows the failure that asked for it).
// Read-only: an index of the raises per journal and agent, found by one scan and extended as the
// journal grows (a journal only grows; a rewound branch forks a new one). Bounded by the journal.
import type { Spec } from '../../spec/types';
import type { Journal } from '../journal/journal';
import { EventCode } from '../events';

const RAISED = EventCode['heal/limitRaised'];

/** Per agent, the seqs of its heal/limitRaised events in order (count used of each array). */
interface Index { scanned: number; seqs: Uint32Array[]; counts: number[] }
const indexes = new WeakMap<Journal, Index>();

function raisedIndex(journal: Journal): Index {
  let index = indexes.get(journal);
  if (!index || index.scanned > journal.length) index = { scanned: 0, seqs: [], counts: [] };
  for (let seq = index.scanned; seq < journal.length; seq++) {
    if (journal.type(seq) !== RAISED) continue;
    const agent = journal.b(seq);
    let list = index.seqs[agent] ?? new Uint32Array(4);
    const count = index.counts[agent] ?? 0;
    if (count === list.length) {
      const grown = new Uint32Array(list.length * 2);
      grown.set(list);
      list = grown;
    }
    list[count] = seq;
    index.seqs[agent] = list;
    index.counts[agent] = count + 1;
  }
  index.scanned = journal.length;
  indexes.set(journal, index);
  return index;
}

/** The memory limit each process of `agent` had at event `seq`: the last raise before it, else the spec's. */
export function memoryLimitAt(journal: Journal, spec: Spec, agent: number, seq: number): number {
  const index = raisedIndex(journal);
  const list = index.seqs[agent], count = index.counts[agent] ?? 0;
  let low = 0, high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle] < seq) low = middle + 1;
    else high = middle;
  }
  return low > 0 ? journal.c(list[low - 1]) : (spec.agents[agent]?.memoryBytes ?? 0);
}
