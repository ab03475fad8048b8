export type PersistErrorCode =
  | 'corrupt'          // a stored record fails its checksum or cannot be decoded
  | 'too-new'          // a record written by a newer AgentOS
  | 'newer-database'   // the database schema on disk is newer than this app
  | 'quota'            // the browser refused to store more
  | 'unavailable'      // IndexedDB is missing or blocked (private mode, policy)
  | 'not-found';

/** Every storage failure the user can see: a code for the UI, and a message naming what and where. */
export class PersistError extends Error {
  constructor(readonly code: PersistErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PersistError';
  }
}
