// A process's state in words: one function for the whole app, kept in the worker (its Compare
// says them too, src/worker/compare-names.ts); the UI's panels and shell take it from here.
export { processStatusLong, processStatusShort } from '../worker/process-status';
