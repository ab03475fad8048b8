// The raw ABI of the wasm core (assembly/index.ts), as TypeScript sees it. Only src/core/
// touches these; everything else goes through the typed wrapper in core.ts.

export interface CoreExports {
  readonly memory: WebAssembly.Memory;
  coreVersion(): number;
  coreAssertionsEnabled(): number;
  batchPtr(): number;
  batchWordsMax(): number;
  prngSeed(seed: number): void;
  prngSetState(s0: number, s1: number, s2: number, s3: number): number;
  prngNextU32(): number;
  prngBelow(bound: number): number;
  prngFill(ptr: number, count: number): number;
  prngStatePtr(): number;
  snapshotPageBytes(): number;
  /** Start-up only: zeroed, aligned memory for a module's state; 0 if over the limit. */
  reserveRegion(bytes: number, align: number): number;
  releaseAllRegions(): void;
  regionsBase(): number;
  regionsTop(): number;
  dirtyBitmapPtr(): number;
  dirtyBitmapBytes(): number;
  dirtyBitmapWords(): number;
  clearDirty(): void;
  markAllDirty(): void;

  // Scheduler (assembly/sched/sched.ts). u64 results arrive as bigint.
  schedConfigure(nodeCount: number, procsPerNode: number): number;
  schedSetTiming(node: number, quantumTicks: number, agingTicks: number): number;
  schedAdd(node: number, pid: number, nice: number): number;
  schedRemove(node: number, pid: number): number;
  schedBlock(node: number, pid: number): number;
  schedWake(node: number, pid: number): number;
  schedRequeue(node: number, pid: number): number;
  schedCharge(node: number, pid: number, ticks: number): number;
  schedPick(node: number): number;
  schedSwitch(node: number, ticks: number): number;
  schedSetNice(node: number, pid: number, nice: number): number;
  schedSetPolicy(node: number, policy: number): number;
  schedBatchPtr(): number;
  schedBatchOpsMax(): number;
  schedBatch(count: number): number;
  schedPolicy(node: number): number;
  schedQueuedCount(node: number): number;
  schedProcCount(node: number): number;
  schedRunningPid(node: number): number;
  schedClockTicks(node: number): bigint;
  schedLastPid(node: number): number;
  schedLastReason(node: number): number;
  schedLastSliceTicks(node: number): number;
  schedLastValue(node: number): bigint;
  schedPickCount(node: number): bigint;
  schedProcState(node: number, pid: number): number;
  schedProcNice(node: number, pid: number): number;
  schedProcLevel(node: number, pid: number): number;
  schedProcVruntime(node: number, pid: number): bigint;
  schedProcDeadline(node: number, pid: number): bigint;
  schedAverageVruntime(node: number): bigint;
  schedTotalWeight(node: number): bigint;
  schedMinVruntime(node: number): bigint;
  schedStatePtr(): number;
  schedStateBytes(): number;
  schedRestored(): number;
  schedCheckInvariants(node: number): number;
  // Allocator (assembly/heap/heap.ts). u32 results may arrive negative: use >>> 0.
  heapConfigure(nodeCount: number, blocksPerHeap: number, ownersPerHeap: number): number;
  heapInit(node: number, allocator: number, heapBytes: number): number;
  heapAlloc(node: number, pid: number, bytes: number): number;
  heapFree(node: number, pid: number, block: number): number;
  heapFreeAll(node: number, pid: number): number;
  heapBatchPtr(): number;
  heapBatchOpsMax(): number;
  heapBatch(count: number): number;
  heapBlockAddress(node: number, block: number): number;
  heapBlockSize(node: number, block: number): number;
  heapBlockOwner(node: number, block: number): number;
  heapAllocator(node: number): number;
  heapBytes(node: number): number;
  heapFreeBytes(node: number): number;
  heapPeakUsedBytes(node: number): number;
  heapUsedBlocks(node: number): number;
  heapFreeBlocks(node: number): number;
  heapFailedAllocs(node: number): number;
  heapOwnerBytes(node: number, pid: number): number;
  heapOwnerPeakBytes(node: number, pid: number): number;
  heapOwnerBlocks(node: number, pid: number): number;
  heapLargestFree(node: number): number;
  heapFragmentationPermille(node: number): number;
  heapMapExport(node: number, ptr: number, maxEntries: number, fromAddress: number): number;
  heapStatePtr(): number;
  heapStateBytes(): number;
  heapRestored(): number;
  heapCheckInvariants(node: number): number;
}
