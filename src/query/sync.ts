// Brings a QueryEngine up to date with a QuerySource: appends the events recorded since the last
// query when the loaded ones are still a prefix of the journal (same run key), reloads them when
// not (a seek to another branch, a new spec), and always refreshes the state tables (and the
// watches table when the branch or the watches changed).
import type { QueryEngine } from './engine';
import type { QuerySource } from './source';
import { EVENT_BATCH_MAX } from './tables';

/** Tries when the journal changes under a load (another branch was chosen mid-way). */
const SYNC_TRIES = 3;

export interface SyncProgress {
  loaded: number;
  total: number;
}

export class NothingLoadedError extends Error {
  constructor() {
    super('no session is loaded: load a spec or open a link, then query it');
  }
}

/**
 * Loads what changed. `onBatch` is told after each batch (the worker reports progress and lets
 * other messages in there). At most `eventsMax` events are loaded (the CLI's --events).
 */
export async function syncEngine(engine: QueryEngine, source: QuerySource, onBatch?: (progress: SyncProgress) => void | Promise<void>): Promise<{ cursor: number }> {
  for (let attempt = 0; attempt < SYNC_TRIES; attempt++) {
    const head = await source.head(engine.events);
    if (!head) throw new NothingLoadedError();
    if (engine.events === 0 || head.loadedKey !== engine.key) engine.reset(head.agents);
    const total = head.events;
    let key = engine.key;
    let stale = false;
    if (engine.events < total) {
      engine.beginAppend(total - engine.events);
      try {
        while (engine.events < total) {
          const answer = await source.events(engine.events, Math.min(EVENT_BATCH_MAX, total - engine.events));
          if (!answer || answer.batch.count === 0) {
            stale = true;
            break;
          }
          engine.appendEvents(answer.batch);
          key = answer.key;
          await onBatch?.({ loaded: engine.events, total });
        }
      } finally {
        engine.endAppend(stale ? '' : key);
      }
    }
    if (stale) {
      engine.reset(head.agents);
      continue;
    }
    const state = await source.state();
    if (!state) throw new NothingLoadedError();
    engine.setState(state);
    const watches = await source.watches(engine.watchesKey);
    if (watches?.seq) engine.setWatchTable(watches);
    return { cursor: state.cursor };
  }
  throw new Error('the journal kept changing while it was loading; pause the run and query again');
}
