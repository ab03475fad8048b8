// The core's ABI: the only exports the kernel calls (src/core/ wraps them with types).
// Everything here is integers in, integers out; state lives in linear memory so a snapshot is a
// copy of bytes.

import {
  CORE_VERSION_MAJOR, CORE_VERSION_MINOR, CORE_VERSION_PATCH, PRNG_BATCH_WORDS_MAX, SNAPSHOT_PAGE_BYTES,
} from "./constants";

export { prngSeed, prngSetState, prngNextU32, prngBelow, prngFill, prngStatePtr } from "./prng/xoshiro128";
export {
  reserveRegion, releaseAllRegions, regionsBase, regionsTop, dirtyBitmapPtr, dirtyBitmapBytes, dirtyBitmapWords, clearDirty, markAllDirty,
} from "./memory/regions";

/** (major << 16) | (minor << 8) | patch. */
export function coreVersion(): u32 {
  return (CORE_VERSION_MAJOR << 16) | (CORE_VERSION_MINOR << 8) | CORE_VERSION_PATCH;
}

/** 1 in the debug build (assertions on), 0 in the release build. */
export function coreAssertionsEnabled(): u32 {
  return ASC_NO_ASSERT ? 0 : 1;
}

export function snapshotPageBytes(): u32 { return SNAPSHOT_PAGE_BYTES; }

// Scratch buffer for batched calls (PRNG_BATCH_WORDS_MAX u32 words), at a fixed address.
const BATCH: usize = memory.data(<i32>(PRNG_BATCH_WORDS_MAX << 2), 16);
export function batchPtr(): usize { return BATCH; }
export function batchWordsMax(): u32 { return PRNG_BATCH_WORDS_MAX; }
export {
  schedConfigure, schedSetTiming, schedSwitch, schedAdd, schedRemove, schedBlock, schedWake, schedRequeue, schedCharge, schedPick,
  schedSetNice, schedSetPolicy, schedBatchPtr, schedBatchOpsMax, schedBatch, schedPolicy, schedQueuedCount,
  schedProcCount, schedRunningPid, schedClockTicks, schedLastPid, schedLastReason, schedLastSliceTicks, schedLastValue,
  schedPickCount, schedProcState, schedProcNice, schedProcLevel, schedProcVruntime, schedProcDeadline,
  schedAverageVruntime, schedTotalWeight, schedMinVruntime, schedStatePtr, schedStateBytes, schedRestored,
  schedCheckInvariants,
} from "./sched/sched";
export {
  heapConfigure, heapInit, heapSetAllocator, heapAlloc, heapFree, heapRealloc, heapFreeAll, heapBatchPtr, heapBatchOpsMax, heapBatch,
  heapBlockAddress, heapBlockSize, heapBlockOwner, heapAllocator, heapBytes, heapFreeBytes, heapPeakUsedBytes,
  heapUsedBlocks, heapFreeBlocks, heapFailedAllocs, heapGranule, heapOwnerBytes, heapOwnerPeakBytes, heapOwnerBlocks,
  heapLargestFree, heapFragmentationPermille, heapMapExport, heapStatePtr, heapStateBytes, heapRestored,
  heapIndexPtr, heapIndexBytes, heapIndexFloor, heapImagePtr, heapImageBytesMax, heapImage,
  heapCheckInvariants,
} from "./heap/heap";

// CRDT merge core (assembly/crdt/): docs are handles; data travels through crdtIoPtr().
export { crdtInit, crdtGrowIo, crdtReset, crdtScratchPtr, crdtScratchBytes, crdtIoPtr, crdtIoBytes, crdtDocKind } from "./crdt/common";
export {
  crdtTextCreate, crdtTextApplyOps, crdtTextLength, crdtTextItemCount, crdtTextHash, crdtTextRead, crdtTextReadUtf8, crdtLastSurrogate, crdtLastUnits,
  crdtTextStateVector, crdtTextEncode, crdtTextTakeChanges, crdtTextApply, crdtTextCheckIndex,
  crdtTextCollect, crdtTextCollected, crdtTextCharsUsed, crdtTextTombstones, crdtTextDeleteDigest, crdtTextGrow, crdtTextCapacity, crdtTextApplyGrowing, crdtTextReset, crdtTextLinkedWhole,
} from "./crdt/text";
export {
  crdtMapCreate, crdtJoinMapCreate, crdtSetCreate, crdtKeyedApplyOps, crdtKeyedGet, crdtKeyedSize, crdtKeyedHash, crdtKeyedRead,
  crdtKeyedLastBytes, crdtKeyedStateVector, crdtKeyedEncode, crdtKeyedApply,
} from "./crdt/keyed";
export {
  crdtCounterCreate, crdtCounterAdd, crdtCounterValue, crdtCounterHash, crdtCounterStateVector, crdtCounterEncode,
  crdtCounterApply,
} from "./crdt/counter";
export {
  crdtSeriesCreate, crdtSeriesAppend, crdtSeriesCount, crdtSeriesAggregate, crdtSeriesHash, crdtSeriesStateVector,
  crdtSeriesEncode, crdtSeriesApply,
} from "./crdt/timeseries";
