// The editing trace shared by the CRDT tests and benchmarks: ../shared/data/ from the repo root.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export interface EditTrace {
  startContent: string;
  endContent: string;
  /** [pos, deleteCount, insertText], positions in code points. */
  patches: [number, number, string][];
}

export const TRACE_PATH = fileURLToPath(new URL('../../../shared/data/sveltecomponent.json.gz', import.meta.url));

export function traceAvailable(): boolean {
  return existsSync(TRACE_PATH);
}

export const TRACE_MISSING = `editing trace not found at ${TRACE_PATH} (expected ../shared/data/sveltecomponent.json.gz next to the repo)`;

let cached: EditTrace | undefined;
export function loadTrace(): EditTrace {
  if (cached) return cached;
  if (!traceAvailable()) throw new Error(TRACE_MISSING);
  const json = JSON.parse(gunzipSync(readFileSync(TRACE_PATH)).toString('utf8')) as {
    startContent: string; endContent: string; txns: { patches: [number, number, string][] }[];
  };
  cached = { startContent: json.startContent, endContent: json.endContent, patches: json.txns.flatMap((txn) => txn.patches) };
  return cached;
}
