// The editing traces shared by the CRDT tests and benchmarks: ../shared/data/ from the repo root
// (josephg/editing-traces format, described in ../shared/README.md).
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { sharedDataDir } from './shared-dir';

/** [pos, deleteCount, insertText], positions in code points. */
export type Patch = [number, number, string];

export interface EditTrace {
  startContent: string;
  endContent: string;
  patches: Patch[];
}

export interface ConcurrentTxn {
  /** Indexes of earlier transactions this one builds on (the document it edits is their merge). */
  parents: number[];
  agent: number;
  patches: Patch[];
}

export interface ConcurrentTrace {
  endContent: string;
  numAgents: number;
  txns: ConcurrentTxn[];
}

/** The real sequential traces (one writer) in ../shared/data/. */
export const SEQUENTIAL_TRACES = ['sveltecomponent', 'json-crdt-patch', 'json-crdt-blog-post'] as const;
/** The real concurrent traces (several writers, with parents) in ../shared/data/. */
export const CONCURRENT_TRACES = ['clownschool'] as const;

/** ../shared/data beside the repo, or where AGENTOS_SHARED says (tests/helpers/shared-dir.ts). */
export const tracePath = (name: string): string => `${sharedDataDir()}/${name}.json.gz`;
export const TRACE_PATH = tracePath('sveltecomponent');

export function traceAvailable(name = 'sveltecomponent'): boolean {
  return existsSync(tracePath(name));
}

export const traceMissing = (name: string): string =>
  `editing trace not found at ${tracePath(name)} (expected ../shared/data/${name}.json.gz next to the repo)`;
export const TRACE_MISSING = traceMissing('sveltecomponent');

const cache = new Map<string, unknown>();
function read(name: string): unknown {
  if (!traceAvailable(name)) throw new Error(traceMissing(name));
  if (!cache.has(name)) cache.set(name, JSON.parse(gunzipSync(readFileSync(tracePath(name))).toString('utf8')));
  return cache.get(name);
}

/** A sequential trace, its transactions' patches flattened (default: sveltecomponent). */
export function loadTrace(name = 'sveltecomponent'): EditTrace {
  const json = read(name) as { startContent?: string; endContent: string; txns: { patches: Patch[] }[] };
  return { startContent: json.startContent ?? '', endContent: json.endContent, patches: json.txns.flatMap((txn) => txn.patches) };
}

export function loadConcurrentTrace(name = 'clownschool'): ConcurrentTrace {
  const json = read(name) as { endContent: string; numAgents: number; txns: ConcurrentTxn[] };
  json.txns.forEach((txn, index) => {
    for (const parent of txn.parents) {
      if (!Number.isInteger(parent) || parent < 0 || parent >= index) throw new Error(`${name}: transaction ${index} has parent ${parent} (parents must come first)`);
    }
    if (!Number.isInteger(txn.agent) || txn.agent < 0 || txn.agent >= json.numAgents) throw new Error(`${name}: transaction ${index} has agent ${txn.agent}`);
  });
  return json;
}
