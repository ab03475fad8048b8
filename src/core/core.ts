// Typed wrapper over the wasm core: instantiation (from bytes or a fetch Response), the abort
// hook that turns a core assertion into a CoreAssertionError, and one small object per
// capability. Works unchanged in the browser, the worker and Node.

import type { CoreExports } from './exports';
import { CoreAssertionError, CoreLoadError } from './errors';
import { wrapSched, type Sched } from './sched';
import { wrapHeap, type Heap } from './heap';

export interface Prng {
  seed(seed: number): void;
  setState(state: readonly [number, number, number, number]): void;
  state(): [number, number, number, number];
  nextU32(): number;
  /** Uniform in [0, bound); bound must be an integer in 1 .. 2^32-1. */
  below(bound: number): number;
  /** `count` draws in one boundary crossing (count up to batchWordsMax). */
  fill(count: number): Uint32Array;
}

export interface Core {
  readonly version: string;
  readonly assertionsEnabled: boolean;
  readonly exports: CoreExports;
  readonly prng: Prng;
  /** Per-node schedulers (src/core/sched.ts). */
  readonly sched: Sched;
  /** Per-node simulated heaps (src/core/heap.ts). */
  readonly heap: Heap;
}

export function formatCoreVersion(packed: number): string {
  return `${(packed >>> 16) & 0xff}.${(packed >>> 8) & 0xff}.${packed & 0xff}`;
}

/** AssemblyScript strings (stub runtime): UTF-16 code units, byte length in the u32 before. */
function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return '(no message)';
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}

function importsFor(memoryRef: { memory?: WebAssembly.Memory }): WebAssembly.Imports {
  return {
    env: {
      abort(messagePtr: number, filePtr: number, line: number, column: number): never {
        const memory = memoryRef.memory;
        const message = memory ? readAsString(memory, messagePtr) : '(memory unavailable)';
        const file = memory ? readAsString(memory, filePtr) : '?';
        throw new CoreAssertionError(message, file, line, column);
      },
    },
  };
}

export async function instantiateCore(source: BufferSource | Response | Promise<Response>): Promise<Core> {
  const memoryRef: { memory?: WebAssembly.Memory } = {};
  const imports = importsFor(memoryRef);
  let instance: WebAssembly.Instance;
  try {
    // Bytes first: in Node the first touch of the global Response loads undici (fetch), ~37 ms of
    // a sweep child's ~280 ms start, for a core that comes from disk as bytes.
    if (!(source instanceof ArrayBuffer || ArrayBuffer.isView(source))) {
      const response = await source;
      if (!response.ok) throw new CoreLoadError(`fetching the wasm core failed: HTTP ${response.status} ${response.url}`);
      // instantiateStreaming needs the application/wasm MIME type; fall back to bytes if a
      // server sends another, rather than failing the whole app.
      const streamed = response.headers.get('content-type')?.startsWith('application/wasm')
        ? await WebAssembly.instantiateStreaming(response, imports)
        : await WebAssembly.instantiate(await response.arrayBuffer(), imports);
      instance = streamed.instance;
    } else {
      instance = (await WebAssembly.instantiate(source, imports)).instance;
    }
  } catch (error) {
    if (error instanceof CoreLoadError) throw error;
    throw new CoreLoadError(`the wasm core could not be instantiated: ${(error as Error).message}`, { cause: error });
  }
  const exports = instance.exports as unknown as CoreExports;
  memoryRef.memory = exports.memory;
  return wrapCore(exports);
}

function wrapCore(exports: CoreExports): Core {
  const batchWordsMax = exports.batchWordsMax();
  const stateWords = () => new Uint32Array(exports.memory.buffer, exports.prngStatePtr(), 4);
  const prng: Prng = {
    seed: (seed) => exports.prngSeed(seed >>> 0),
    setState(state) {
      if (!exports.prngSetState(state[0] >>> 0, state[1] >>> 0, state[2] >>> 0, state[3] >>> 0)) {
        throw new RangeError('PRNG state must not be all zero');
      }
    },
    state: () => Array.from(stateWords()) as [number, number, number, number],
    nextU32: () => exports.prngNextU32() >>> 0,
    below(bound) {
      if (!Number.isInteger(bound) || bound < 1 || bound > 0xffffffff) {
        throw new RangeError(`PRNG bound must be an integer in 1..4294967295, got ${bound}`);
      }
      return exports.prngBelow(bound) >>> 0;
    },
    fill(count) {
      if (!Number.isInteger(count) || count < 0 || count > batchWordsMax) {
        throw new RangeError(`PRNG batch must be 0..${batchWordsMax} words, got ${count}`);
      }
      const ptr = exports.batchPtr();
      exports.prngFill(ptr, count);
      return new Uint32Array(exports.memory.buffer, ptr, count).slice();
    },
  };
  return {
    version: formatCoreVersion(exports.coreVersion()),
    assertionsEnabled: exports.coreAssertionsEnabled() === 1,
    exports,
    prng,
    sched: wrapSched(exports),
    heap: wrapHeap(exports),
  };
}
