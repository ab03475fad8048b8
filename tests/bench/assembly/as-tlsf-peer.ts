// Benchmark peer, not part of the core: AssemblyScript's own TLSF allocator (std/assembly/rt/
// tlsf.ts, reached through heap.alloc / heap.realloc / heap.free in a --runtime minimal module),
// driven by the same command batches as the core's heapBatch (assembly/heap/heap.ts): 16-byte
// commands [op | node << 8, pid, arg, arg2] with op 1 = alloc(arg bytes) -> pointer, 2 = free(arg
// = pointer), 4 = realloc(arg = pointer, arg2 bytes) -> pointer; arg may be REF | the index of an
// earlier command of the batch, whose result it means. Results in place: [result, 0, 0, 0].
// Unlike the core's simulated heap, these blocks are real memory (with TLSF's 4-byte header and
// 16-byte alignment), and a realloc that moves copies its bytes.
// Built by scripts/build-core.mjs into build/bench/as-tlsf-peer.wasm.

const BATCH_OPS_MAX: u32 = 1024;
const BATCH: usize = memory.data(<i32>(BATCH_OPS_MAX << 4), 16);
const REF: u32 = 0x80000000;

export function peerBatchPtr(): usize { return BATCH; }

export function peerBatch(count: u32): i32 {
  if (count > BATCH_OPS_MAX) return -1;
  for (let i: u32 = 0; i < count; i++) {
    const cmd = BATCH + ((<usize>i) << 4);
    const op = load<u32>(cmd, 0) & 0xff;
    let arg = load<u32>(cmd, 8);
    if ((arg & REF) != 0 && op != 1) arg = load<u32>(BATCH + ((<usize>(arg & ~REF)) << 4), 0);
    let result: u32 = 0;
    if (op == 1) result = <u32>heap.alloc(<usize>arg);
    else if (op == 2) heap.free(<usize>arg);
    else if (op == 4) result = <u32>heap.realloc(<usize>arg, <usize>load<u32>(cmd, 12));
    store<u32>(cmd, result, 0);
    store<u32>(cmd, 0, 4);
    store<u32>(cmd, 0, 8);
    store<u32>(cmd, 0, 12);
  }
  return <i32>count;
}

/** Bytes of linear memory in use (grows on demand; never shrinks). */
export function peerMemoryBytes(): usize { return (<usize>memory.size()) << 16; }
