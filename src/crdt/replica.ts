// What every replicated doc class shares: the delta protocol over the core's IO buffer
// (encodeState, stateVector, encodeDelta, applyDelta, tryApplyDelta), the replica id check, and
// the one place that tells a not-ready delta (keep it, apply it again later) from a real error.
// Each doc kind only names its three raw exports and how it flushes batched edits.
import { CrdtError, check, CRDT_ERR_NOT_READY, type CrdtCore } from './core';

export function checkReplicaId(replicaId: number): void {
  if (!Number.isInteger(replicaId) || replicaId < 0 || replicaId > 0xffffffff) {
    throw new RangeError(`replicaId must be an integer in 0..2^32-1, got ${replicaId}`);
  }
}

/** Runs `apply`; false when it threw a not-ready CrdtError, which it swallows; other errors pass. */
export function tryApply(apply: () => void): boolean {
  try {
    apply();
    return true;
  } catch (error) {
    if (error instanceof CrdtError && error.code === CRDT_ERR_NOT_READY) return false;
    throw error;
  }
}

/** Delta plumbing shared by the doc classes backed by one core doc handle. */
export abstract class Replica {
  abstract readonly core: CrdtCore;
  abstract readonly handle: number;
  protected abstract readonly name: string;
  protected abstract stateVectorRaw(): number;
  protected abstract encodeRaw(svBytes: number): number;
  protected abstract applyRaw(bytes: number): number;
  /** Applies batched local edits (and claims the IO buffer) before anything else uses it. */
  abstract flush(): void;
  /** After applyRaw, whether it succeeded or not: re-read what the class caches. */
  protected applied(): void {}

  encodeState(): Uint8Array {
    this.flush();
    return this.core.takeBytes(check(this.core.withRoom(() => this.encodeRaw(0)), `${this.name}.encodeState`));
  }

  stateVector(): Uint8Array {
    this.flush();
    return this.core.takeBytes(check(this.core.withRoom(() => this.stateVectorRaw()), `${this.name}.stateVector`));
  }

  encodeDelta(remoteStateVector: Uint8Array): Uint8Array {
    this.flush();
    // a growable core that runs out of IO moves it: the state vector is put again each time
    const run = () => { this.core.putBytes(remoteStateVector, `${this.name}.encodeDelta`); return this.encodeRaw(remoteStateVector.length); };
    return this.core.takeBytes(check(this.core.withRoom(run), `${this.name}.encodeDelta`));
  }

  /**
   * Applies a state or delta. Throws a CrdtError with code -8 (CRDT_ERR_NOT_READY) when it builds
   * on changes this replica has not seen; keep it and apply it again after those arrive.
   */
  applyDelta(bytes: Uint8Array): void {
    this.flush();
    this.core.putBytes(bytes, `${this.name}.applyDelta`);
    const result = this.core.withRoom(() => this.applyRaw(bytes.length), false);
    this.applied();
    check(result, `${this.name}.applyDelta`);
  }

  /** Like applyDelta, but returns false instead of throwing when the delta is not ready. */
  tryApplyDelta(bytes: Uint8Array): boolean {
    return tryApply(() => this.applyDelta(bytes));
  }
}
