// Benchmark peer, not part of the core: AssemblyScript's own TLSF allocator (std/assembly/rt/
// tlsf.ts, reached through heap.alloc / heap.free in a --runtime minimal module), driven by the
// same command batches as the core's heapBatch: [op, node, pid, arg] in, [result, ...] out, with
// op 1 = alloc(arg bytes) -> pointer and op 2 = free(arg = pointer). Unlike the core's simulated
// heap, these blocks are real memory (with TLSF's 4-byte header and 16-byte alignment).
// Built by scripts/build-core.mjs into build/bench/as-tlsf-peer.wasm.

const BATCH_OPS_MAX: u32 = 1024;
const BATCH: usize = memory.data(<i32>(BATCH_OPS_MAX << 4), 16);

export function peerBatchPtr(): usize { return BATCH; }

export function peerBatch(count: u32): i32 {
  if (count > BATCH_OPS_MAX) return -1;
  for (let i: u32 = 0; i < count; i++) {
    const cmd = BATCH + ((<usize>i) << 4);
    const op = load<u32>(cmd, 0), arg = load<u32>(cmd, 12);
    let result: u32 = 0;
    if (op == 1) result = <u32>heap.alloc(<usize>arg);
    else if (op == 2) heap.free(<usize>arg);
    store<u32>(cmd, result, 0);
  }
  return <i32>count;
}

/** Bytes of linear memory in use (grows on demand; never shrinks). */
export function peerMemoryBytes(): usize { return (<usize>memory.size()) << 16; }
