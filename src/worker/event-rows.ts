// Journal events as the UI's rows, and the backward filtered search behind the events panel and
// the shell's `trace` / `events` commands.
import type { Kernel } from '../kernel/kernel';
import { EVENT_SCHEMA, EventCode, type EventType } from '../kernel/events';
import { EVENT_SEARCH_MAX, type EventFilter, type EventRow } from './api';

export function eventRow(kernel: Kernel, seq: number): EventRow {
  const journal = kernel.machine.journal;
  const [name, a, b, c] = EVENT_SCHEMA[journal.type(seq)];
  const fields: Record<string, number> = {};
  if (a) fields[a] = journal.a(seq);
  if (b) fields[b] = journal.b(seq);
  if (c) fields[c] = journal.c(seq);
  return { seq, tick: journal.tick(seq), type: name, node: journal.node(seq), pid: journal.pid(seq), cause: journal.cause(seq), fields };
}

/** Up to `count` events before `before` that pass the filter, newest first; and where the search stopped. */
export function eventsBefore(kernel: Kernel, before: number, count: number, filter: EventFilter): { rows: EventRow[]; searchedFrom: number } {
  const journal = kernel.machine.journal;
  const code = filter.type ? EventCode[filter.type as EventType] : undefined;
  const rows: EventRow[] = [];
  const start = Math.min(before, journal.length) - 1;
  const stop = Math.max(0, start - EVENT_SEARCH_MAX);
  let seq = start;
  for (; seq >= stop && rows.length < count; seq--) {
    if (code !== undefined && journal.type(seq) !== code) continue;
    if (filter.pid !== undefined && journal.pid(seq) !== filter.pid) continue;
    if (filter.node !== undefined && journal.node(seq) !== filter.node) continue;
    rows.push(eventRow(kernel, seq));
  }
  return { rows, searchedFrom: Math.max(0, seq + 1) };
}
