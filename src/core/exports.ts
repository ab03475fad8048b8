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
  regionsTop(): number;
  dirtyBitmapPtr(): number;
  dirtyBitmapWords(): number;
  clearDirty(): void;
  markAllDirty(): void;
  // CRDT merge core (assembly/crdt/; typed wrapper in src/crdt/). Negative results are CRDT_ERR codes.
  crdtInit(ioBytes: number, recordsMax: number): number;
  crdtIoPtr(): number;
  crdtIoBytes(): number;
  crdtDocKind(doc: number): number;
  crdtTextCreate(replicaId: number, itemsMax: number, charsMax: number): number;
  crdtTextApplyOps(doc: number, words: number): number;
  crdtTextLength(doc: number): number;
  crdtTextItemCount(doc: number): number;
  crdtTextHash(doc: number): bigint;
  crdtTextRead(doc: number, start: number): number;
  crdtLastUnits(): number;
  crdtTextStateVector(doc: number): number;
  crdtTextEncode(doc: number, svBytes: number): number;
  crdtTextApply(doc: number, bytes: number): number;
  crdtMapCreate(replicaId: number, entriesMax: number, bytesMax: number): number;
  crdtSetCreate(replicaId: number, entriesMax: number, recordsMax: number, bytesMax: number): number;
  crdtKeyedApplyOps(doc: number, bytes: number): number;
  crdtKeyedGet(doc: number, keyBytes: number): number;
  crdtKeyedSize(doc: number): number;
  crdtKeyedHash(doc: number): bigint;
  crdtKeyedRead(doc: number, fromEntry: number): number;
  crdtKeyedLastBytes(): number;
  crdtKeyedStateVector(doc: number): number;
  crdtKeyedEncode(doc: number, svBytes: number): number;
  crdtKeyedApply(doc: number, bytes: number): number;
  crdtCounterCreate(replicaId: number): number;
  crdtCounterAdd(doc: number, amountLow: number, amountHigh: number, negative: number): number;
  crdtCounterValue(doc: number): bigint;
  crdtCounterHash(doc: number): bigint;
  crdtCounterStateVector(doc: number): number;
  crdtCounterEncode(doc: number, svBytes: number): number;
  crdtCounterApply(doc: number, bytes: number): number;
  crdtJoinMapCreate(replicaId: number, entriesMax: number, bytesMax: number): number;
  crdtSeriesCreate(replicaId: number, pointsMax: number): number;
  crdtSeriesAppend(doc: number, timeLow: number, timeHigh: number, valueLow: number, valueHigh: number): number;
  crdtSeriesCount(doc: number): number;
  crdtSeriesAggregate(doc: number, fromLow: number, fromHigh: number, toLow: number, toHigh: number): number;
  crdtSeriesHash(doc: number): bigint;
  crdtSeriesStateVector(doc: number): number;
  crdtSeriesEncode(doc: number, svBytes: number): number;
  crdtSeriesApply(doc: number, bytes: number): number;
}
