// The memory limit an allocation was held to: its agent's spec limit, raised by healing
// (heal/limitRaised) as the journal goes. Words about a failure over the limit (the event rows,
// the IPC panel's process state, the Memory panel's last failed allocation) name the limit in
// force at that event: not the spec's once healing raised it, and not the one at the cursor either
// (a raise usually follows the failure that asked for it). An index per journal of the raises, per
// agent, found by one scan and extended as the journal grows (like heap-failures.ts).
import type { Kernel } from '../kernel/kernel';
import { EventCode } from '../kernel/events';
import { SeqList } from './seq-list';

const RAISED = EventCode['heal/limitRaised'];

/** Per agent, the seqs of its heap/limitRaised events in order (a journal only grows: a rewound branch forks a new one). */
interface Index { scanned: number; agents: SeqList[] }
const indexes = new WeakMap<object, Index>();

function raisedIndex(kernel: Kernel): Index {
  const journal = kernel.machine.journal;
  let index = indexes.get(journal);
  if (!index || index.scanned > journal.length) index = { scanned: 0, agents: [] };
  for (let seq = index.scanned; seq < journal.length; seq++) {
    if (journal.type(seq) !== RAISED) continue;
    (index.agents[journal.b(seq)] ??= new SeqList()).push(seq);
  }
  index.scanned = journal.length;
  indexes.set(journal, index);
  return index;
}

/** The memory limit each process of `agent` had at event `seq`: the last raise before it, else the spec's. */
export function memoryLimitAt(kernel: Kernel, agent: number, seq: number): number {
  const list = raisedIndex(kernel).agents[agent];
  const before = list ? list.below(seq) : 0;
  return before > 0 ? kernel.machine.journal.c(list!.seqs[before - 1]) : (kernel.spec.agents[agent]?.memoryBytes ?? 0);
}
