// src/crdt: the TypeScript face of the CRDT merge core (assembly/crdt/). Owns the doc classes
// the kernel's `shared` objects and the benchmarks use; imports only src/core/.
export { TextDoc, collectTombstones, type TextDocOptions } from './text';
export {
  CrdtCore, CrdtError, privateCrdtCore, setDefaultCrdtBuild, setCrdtWasmModule, CRDT_ERR_NOT_READY,
  type CrdtCoreOptions,
} from './core';
export { LwwMap, LwwRegister, OrSet, PNCounter, GCounter, type KeyedOptions } from './keyed';
export { Workflow, TimeSeries } from './keyed';
export { Graph } from './graph';
