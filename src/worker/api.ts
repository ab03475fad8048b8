// The one interface shared by both sides of the worker boundary: kernel.worker.ts implements it,
// ui/kernel-client.svelte.ts calls it through Comlink. Arguments and results are structured-
// cloneable plain data.

export interface CoreInfo {
  /** The core's engine version, read from the wasm export (not from package.json). */
  coreVersion: string;
  assertionsEnabled: boolean;
  /** A few PRNG draws from a fixed seed: proof the wasm executed, not just loaded. */
  prngProbe: number[];
}

export interface KernelApi {
  /** Loads the wasm core (once) and reports what was loaded. Rejects with the load error. */
  boot(): Promise<CoreInfo>;
  /** Answers immediately: the UI's heartbeat for noticing a hung worker. */
  ping(nonce: number): number;
}
