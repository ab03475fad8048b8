// KernelQL's tables: their names and columns, in one place. The engine's DDL, the editor's
// completion and the README are made from these lists, so they cannot disagree.
import { DECISION_COLUMNS } from './decisions';
import { EVENT_SCHEMA } from '../kernel/events';

/** Columns every event has, before the fields of its type. */
export const EVENT_BASE_COLUMNS = ['seq', 'tick', 'type', 'node', 'pid', 'agent', 'cause'] as const;

/**
 * The events' fields by name, in catalog order, each once (a name several types use is one
 * column). `agent` of process/spawned is left out: the `agent` column already names the agent.
 */
export const EVENT_FIELD_COLUMNS: readonly string[] = (() => {
  const names: string[] = [];
  for (const [, ...fields] of EVENT_SCHEMA) {
    for (const field of fields) {
      if (field && !names.includes(field) && !(EVENT_BASE_COLUMNS as readonly string[]).includes(field)) names.push(field);
    }
  }
  return names;
})();

/** For each field column: the type codes where it is field a, b or c. */
export function fieldSlots(field: string): { a: number[]; b: number[]; c: number[] } {
  const slots = { a: [] as number[], b: [] as number[], c: [] as number[] };
  EVENT_SCHEMA.forEach(([, a, b, c], code) => {
    if (a === field) slots.a.push(code);
    if (b === field) slots.b.push(code);
    if (c === field) slots.c.push(code);
  });
  return slots;
}

export const PROCESS_COLUMNS = ['pid', 'agent', 'replica', 'node', 'status', 'nice', 'cpu_ticks', 'heap_bytes', 'sent', 'received', 'restarts'] as const;
export const CHANNEL_COLUMNS = ['channel', 'name', 'sender', 'receiver', 'capacity', 'queued', 'in_flight', 'sent', 'delivered', 'dropped'] as const;
export const NODE_COLUMNS = ['node', 'name', 'up', 'grp', 'runnable', 'running_pid', 'heap_used_bytes', 'heap_free_bytes'] as const;
export const HEAP_BLOCK_COLUMNS = ['node', 'address', 'size', 'pid', 'agent'] as const;
export const SHARED_COLUMNS = ['object', 'type', 'node', 'value', 'text'] as const;
export const WATCH_COLUMNS = ['seq', 'tick', 'name', 'value'] as const;

/** Every table a query can read, with its columns: what the editor completes. */
export const QUERY_TABLES: Readonly<Record<string, readonly string[]>> = {
  events: [...EVENT_BASE_COLUMNS, ...EVENT_FIELD_COLUMNS],
  processes: PROCESS_COLUMNS,
  channels: CHANNEL_COLUMNS,
  nodes: NODE_COLUMNS,
  heap_blocks: HEAP_BLOCK_COLUMNS,
  shared: SHARED_COLUMNS,
  watches: WATCH_COLUMNS,
  decisions: DECISION_COLUMNS,
};

/** Quotes an identifier for SQL (`from` and `to` are field names and keywords). */
export const quoteName = (name: string): string => `"${name.replaceAll('"', '""')}"`;
