// What the query side may ask the kernel side: the journal's head, events in batches, the state
// tables at the cursor. `kernelSource` answers from a Kernel; the kernel worker exposes it on a
// MessagePort given to the query worker (so events go worker to worker, not through the page),
// and the CLI calls it directly. Each answer is small or a batch of transferable columns.
import type { Kernel } from '../kernel/kernel';
import { eventBatch, stateTables, type EventBatch, type StateTables } from './tables';
import { watchTable, type WatchTable } from '../kernel/watches';

export interface SourceHead {
  /** Events in the journal of the current branch (they may run past the cursor). */
  events: number;
  cursor: number;
  /** The run's key at `loaded` events ('' if the journal is now shorter): equal keys, equal events. */
  loadedKey: string;
  /** Agent names by index, to name each event's process. */
  agents: string[];
}

export interface EventsAnswer {
  batch: EventBatch;
  /** The run's key at the end of the batch. */
  key: string;
}

/** Answers may come back directly (the CLI) or through a port (the worker). */
export interface QuerySource {
  head(loaded: number): SourceHead | undefined | Promise<SourceHead | undefined>;
  /** Events from..from+count-1 (at most one batch); undefined when the journal no longer has them. */
  events(from: number, count: number): EventsAnswer | undefined | Promise<EventsAnswer | undefined>;
  state(): StateTables | undefined | Promise<StateTables | undefined>;
  /** The `watches` table; `{ key }` alone when it is still the one with key `known`. */
  watches(known: string): WatchAnswer | undefined | Promise<WatchAnswer | undefined>;
}

export type WatchAnswer = WatchTable | { key: string; seq?: undefined };

export interface KernelQuerySource extends QuerySource {
  head(loaded: number): SourceHead | undefined;
  events(from: number, count: number): EventsAnswer | undefined;
  state(): StateTables | undefined;
  watches(known: string): WatchAnswer | undefined;
}

/** A source over whatever kernel `current` returns when asked (the worker's kernel changes). */
export function kernelSource(current: () => Kernel | undefined): KernelQuerySource {
  return {
    head(loaded) {
      const kernel = current();
      if (!kernel) return undefined;
      const events = kernel.machine.journal.length;
      return {
        events, cursor: kernel.cursor,
        loadedKey: loaded <= events ? kernel.runKey(loaded) : '',
        agents: kernel.spec.agents.map((agent) => agent.name),
      };
    },
    events(from, count) {
      const kernel = current();
      if (!kernel || from < 0 || from + count > kernel.machine.journal.length) return undefined;
      const batch = eventBatch(kernel, from, count);
      return { batch, key: kernel.runKey(from + batch.count) };
    },
    state() {
      const kernel = current();
      return kernel ? stateTables(kernel) : undefined;
    },
    watches(known) {
      const kernel = current();
      if (!kernel) return undefined;
      const table = watchTable(kernel);
      return table.key === known ? { key: table.key } : table;
    },
  };
}
