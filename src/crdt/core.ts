// The CRDT part of the wasm core, typed: one CrdtCore per wasm instance, holding any number of
// docs (handles). Every CRDT class (TextDoc, ...) uses one; by default each creates a private
// instance (`privateCrdtCore()`), the kernel passes the shared core it snapshots instead.
import type { CoreExports } from '../core/exports';
import { CoreAssertionError, CoreLoadError } from '../core/errors';

export const CRDT_ERRORS: Record<number, string> = {
  [-1]: 'no such doc handle',
  [-2]: 'the doc is full: no free items (create it with a larger itemsMax)',
  [-3]: 'the doc is full: no room for more characters (create it with a larger charsMax)',
  [-4]: 'the doc id index is full',
  [-5]: 'the doc knows 64 replicas already, its most',
  [-6]: 'the result does not fit the CRDT IO buffer (create the core with a larger ioBytes)',
  [-7]: 'malformed CRDT encoding',
  [-8]: 'the delta builds on changes this replica has not seen yet',
  [-9]: 'the encoding has more records than the decode scratch holds (larger recordsMax)',
  [-10]: 'bad argument',
  [-11]: 'the encoding or handle is of another CRDT kind',
  [-12]: 'the CRDT core is not initialized (crdtInit)',
  [-13]: 'the core holds 256 docs already, its most',
  [-14]: 'unsupported CRDT format version',
  [-15]: 'the core cannot reserve memory for this',
};
export const CRDT_ERR_NOT_READY = -8;
export const CRDT_ERR_IO_FULL = -6;
export const CRDT_ERR_SCRATCH_FULL = -9;

/** Where a private core's IO buffer and decode scratch start (they grow to the sizes asked for). */
const PRIVATE_IO_START = 1 << 16;
const PRIVATE_RECORDS_START = 1 << 10;

/** A CRDT call failed; `code` is the core's error code. */
export class CrdtError extends Error {
  constructor(readonly code: number, context: string) {
    super(`${context}: ${CRDT_ERRORS[code] ?? `error ${code}`}`);
    this.name = 'CrdtError';
  }
}

export interface CrdtCoreOptions {
  /** Bytes of the shared IO buffer: the largest encoding or op batch passed at once. */
  ioBytes?: number;
  /** Items (text runs, map entries, ...) one decode can hold. */
  recordsMax?: number;
  /**
   * Start with a small IO buffer and scratch and grow them, up to ioBytes and recordsMax, when a
   * call needs more (private cores: a doc's memory follows what it exchanges, not the sizes it
   * may need). Never for the kernel's core, whose layout must not move after configuration.
   */
  growable?: boolean;
}

export interface IoOwner { flush(): void }

export class CrdtCore {
  readonly exports: CoreExports;
  private buffer: ArrayBuffer | undefined;
  private u8: Uint8Array = new Uint8Array(0);
  private u16: Uint16Array = new Uint16Array(0);
  private u32: Uint32Array = new Uint32Array(0);
  private ioPtrNow: number;
  private ioBytesNow: number;
  private recordsNow: number;
  private readonly ioBytesMax: number;
  private readonly recordsLimit: number;
  /** A private core: its IO buffer, scratch and text docs grow on demand (never the kernel's). */
  readonly growable: boolean;

  constructor(exports: CoreExports, options: CrdtCoreOptions = {}) {
    this.exports = exports;
    this.ioBytesMax = options.ioBytes ?? 1 << 20;
    this.recordsLimit = options.recordsMax ?? 1 << 16;
    this.growable = options.growable === true;
    const ioBytes = this.growable ? Math.min(this.ioBytesMax, PRIVATE_IO_START) : this.ioBytesMax;
    const recordsMax = this.growable ? Math.min(this.recordsLimit, PRIVATE_RECORDS_START) : this.recordsLimit;
    check(exports.crdtInit(ioBytes, recordsMax), 'crdtInit');
    this.ioPtrNow = exports.crdtIoPtr();
    this.ioBytesNow = exports.crdtIoBytes();
    this.recordsNow = recordsMax;
  }

  /** Where the IO buffer is now (a growable core moves it when it grows). */
  get ioPtr(): number { return this.ioPtrNow; }
  /** Bytes the IO buffer holds now (a growable core: up to the ioBytes it was created with). */
  get ioBytes(): number { return this.ioBytesNow; }
  /** The most the IO buffer may hold (a growable core grows up to it; a fixed one has it). */
  get ioBytesLimit(): number { return this.growable ? this.ioBytesMax : this.ioBytesNow; }

  /**
   * A growable core: a larger IO buffer (at least `bytes`, four times the current size or more,
   * at most the ioBytes asked for), after the IO owner flushed its batched edits (the buffer
   * moves: its bytes are not kept). False when it cannot grow.
   */
  growIo(bytes = 0): boolean {
    if (!this.growable || this.ioBytesNow >= this.ioBytesMax || bytes > this.ioBytesMax) return false;
    if (this.ioOwner !== undefined) this.ioOwner.flush();
    const next = Math.min(this.ioBytesMax, Math.max(bytes, this.ioBytesNow * 4));
    check(this.exports.crdtGrowIo(next, 0), 'CrdtCore.growIo');
    this.ioPtrNow = this.exports.crdtIoPtr();
    this.ioBytesNow = this.exports.crdtIoBytes();
    this.buffer = undefined;
    return true;
  }

  /** A growable core: room for four times the records in one decode (the IO buffer stays). */
  growRecords(): boolean {
    if (!this.growable || this.recordsNow >= this.recordsLimit) return false;
    const next = Math.min(this.recordsLimit, this.recordsNow * 4);
    check(this.exports.crdtGrowIo(0, next), 'CrdtCore.growRecords');
    this.recordsNow = next;
    return true;
  }

  /**
   * Runs a call that fills IO or decodes into scratch, growing what it ran out of and again.
   * `ioMayMove` false: the call reads its input from IO (a decode), which a larger IO buffer
   * would not hold, so only the scratch grows.
   */
  withRoom(run: () => number, ioMayMove = true): number {
    for (;;) {
      const result = run();
      if (result === CRDT_ERR_IO_FULL && ioMayMove && this.growIo()) continue;
      if (result === CRDT_ERR_SCRATCH_FULL && this.growRecords()) continue;
      return result;
    }
  }

  private refresh(): void {
    // Growing wasm memory detaches the old buffer (its byteLength becomes 0): while the cached
    // one is attached it is current, and reading `memory.buffer` (a call into the engine, once
    // per edit) is skipped.
    if (this.buffer !== undefined && this.buffer.byteLength !== 0) return;
    const buffer = this.exports.memory.buffer;
    if (buffer === this.buffer) return;
    this.buffer = buffer;
    this.u8 = new Uint8Array(buffer, this.ioPtr, this.ioBytes);
    this.u16 = new Uint16Array(buffer, this.ioPtr, this.ioBytes >>> 1);
    this.u32 = new Uint32Array(buffer, this.ioPtr, this.ioBytes >>> 2);
  }

  /**
   * A doc that batches edits in IO claims it; anyone else using IO first makes the claimant
   * flush, so docs sharing a core never overwrite each other's pending edits.
   */
  claimIo(owner: IoOwner): void {
    if (this.ioOwner !== undefined && this.ioOwner !== owner) this.ioOwner.flush();
    this.ioOwner = owner;
  }
  releaseIo(owner: IoOwner): void {
    if (this.ioOwner === owner) this.ioOwner = undefined;
  }
  private ioOwner: IoOwner | undefined;

  /** Views over the IO buffer (valid until memory grows: call again after creating docs). */
  io8(): Uint8Array { this.refresh(); return this.u8; }
  io16(): Uint16Array { this.refresh(); return this.u16; }
  io32(): Uint32Array { this.refresh(); return this.u32; }

  /** Copies `bytes` into IO (for a decode); throws if they do not fit. */
  putBytes(bytes: Uint8Array, context: string): void {
    if (this.ioOwner !== undefined) this.ioOwner.flush();
    if (bytes.length > this.ioBytes && !this.growIo(bytes.length)) throw new CrdtError(-6, `${context} (${bytes.length} bytes)`);
    this.io8().set(bytes);
  }

  /** Copies the first `count` IO bytes out. */
  takeBytes(count: number): Uint8Array {
    return this.io8().slice(0, count);
  }
}

export function check(result: number, context: string): number {
  if (result < 0) throw new CrdtError(result, context);
  return result;
}

// ── private cores: one wasm instance each, compiled once per process ─────────────────────────

let compiled: WebAssembly.Module | undefined;
let defaultBuild: 'release' | 'debug' = 'release';

/** Which build private cores use in Node (tests: 'debug', assertions on). */
export function setDefaultCrdtBuild(build: 'release' | 'debug'): void {
  if (build !== defaultBuild) { compiled = undefined; recycled.length = 0; }
  defaultBuild = build;
}

/** In the browser or worker, hand over the compiled core once (no synchronous file access). */
export function setCrdtWasmModule(module: WebAssembly.Module): void {
  if (module !== compiled) recycled.length = 0;
  compiled = module;
}

// ── recycled private cores ───────────────────────────────────────────────────────────────────

/**
 * Private cores whose one doc was disposed (`TextDoc.dispose`), waiting for the next private doc
 * of the same kind and core options: at most this many, the latest (each keeps the wasm memory its
 * doc grew to; older ones are left to the garbage collector).
 */
export const RECYCLED_CORES_MAX = 2;
interface Recycled { core: CrdtCore; handle: number; key: string }
const recycled: Recycled[] = [];
const recycleKey = (kind: string, options: CrdtCoreOptions | undefined): string =>
  `${kind} ${options?.ioBytes ?? '-'} ${options?.recordsMax ?? '-'} ${options?.growable ?? '-'}`;

/** Hands a private core and its one doc on; when the pool is full, the longest waiting is dropped. */
export function recyclePrivateCore(kind: string, options: CrdtCoreOptions | undefined, core: CrdtCore, handle: number): void {
  if (recycled.length >= RECYCLED_CORES_MAX) recycled.shift();
  recycled.push({ core, handle, key: recycleKey(kind, options) });
}

/** The last recycled private core of this kind and options whose doc `fits`, taken out of the pool. */
export function takeRecycledCore(kind: string, options: CrdtCoreOptions | undefined, fits: (core: CrdtCore, handle: number) => boolean): Recycled | undefined {
  const key = recycleKey(kind, options);
  for (let i = recycled.length - 1; i >= 0; i--) {
    const entry = recycled[i];
    if (entry.key === key && fits(entry.core, entry.handle)) { recycled.splice(i, 1); return entry; }
  }
  return undefined;
}

function wasmModule(): WebAssembly.Module {
  if (compiled) return compiled;
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process?.getBuiltinModule;
  if (!getBuiltin) throw new CoreLoadError('no compiled CRDT core: call setCrdtWasmModule(module) first (browser)');
  const fs = getBuiltin('node:fs') as typeof import('node:fs');
  // Node only; a path in a variable keeps the bundler from shipping both builds to the browser.
  const path = `../../build/core/${defaultBuild}.wasm`;
  const url = new URL(/* @vite-ignore */ path, import.meta.url);
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(url);
  } catch (error) {
    throw new CoreLoadError(`the wasm core is not built (${url.pathname}); run: npm run build:core`, { cause: error });
  }
  compiled = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  return compiled;
}

function readAsString(memory: WebAssembly.Memory | undefined, ptr: number): string {
  if (!memory || ptr === 0) return '?';
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}

/** A fresh wasm instance of the core with its CRDT part initialized. */
export function privateCrdtCore(options: CrdtCoreOptions = {}): CrdtCore {
  let memory: WebAssembly.Memory | undefined;
  const instance = new WebAssembly.Instance(wasmModule(), {
    env: {
      abort(messagePtr: number, filePtr: number, line: number, column: number): never {
        throw new CoreAssertionError(readAsString(memory, messagePtr), readAsString(memory, filePtr), line, column);
      },
    },
  });
  const exports = instance.exports as unknown as CoreExports;
  memory = exports.memory;
  return new CrdtCore(exports, { growable: true, ...options });
}
