// Replays a concurrent editing trace the way collaborating writers live it (issue 14): one
// replica per writer; before each transaction its writer's replica receives exactly the
// transactions in its parents' closure it has not seen yet, as the deltas their authors
// produced, in causal order; then the transaction's patches apply locally and the delta its
// author produced is recorded. Generic over the CRDT (ours, Yjs) so both run the same harness.
import type { ConcurrentTrace, Patch } from './trace';

export interface ConcurrentPeer<Doc> {
  create(agent: number): Doc;
  /** Applies a delta another writer produced. */
  receive(doc: Doc, delta: Uint8Array): void;
  /** Applies one transaction's patches locally and returns the delta it produced. */
  transact(doc: Doc, patches: Patch[]): Uint8Array;
  read(doc: Doc): string;
}

export interface ConcurrentReplay<Doc> {
  replicas: Doc[];
  deltas: Uint8Array[];
  /** Deltas delivered to replicas (each transaction's delta to each writer that needed it). */
  deliveries: number;
  deltaBytes: number;
}

export function replayConcurrent<Doc>(peer: ConcurrentPeer<Doc>, trace: ConcurrentTrace): ConcurrentReplay<Doc> {
  const { txns, numAgents } = trace;
  const replicas = Array.from({ length: numAgents }, (_, agent) => peer.create(agent));
  // seen[agent][txn]: the replica has the transaction (a causally closed set: it only grows by
  // whole closures), so a walk from the parents stops at anything seen
  const seen = Array.from({ length: numAgents }, () => new Uint8Array(txns.length));
  const deltas: Uint8Array[] = new Array(txns.length);
  const stack: number[] = [];
  const missing: number[] = [];
  let deliveries = 0;
  let deltaBytes = 0;
  for (let index = 0; index < txns.length; index++) {
    const txn = txns[index];
    const mine = seen[txn.agent];
    missing.length = 0;
    for (const parent of txn.parents) if (!mine[parent]) { mine[parent] = 1; stack.push(parent); }
    while (stack.length > 0) {
      const at = stack.pop()!;
      missing.push(at);
      for (const parent of txns[at].parents) if (!mine[parent]) { mine[parent] = 1; stack.push(parent); }
    }
    // causal order: the trace lists parents before children, so index order is one
    missing.sort((a, b) => a - b);
    const doc = replicas[txn.agent];
    for (const at of missing) peer.receive(doc, deltas[at]);
    deliveries += missing.length;
    deltas[index] = peer.transact(doc, txn.patches);
    deltaBytes += deltas[index].length;
    mine[index] = 1;
  }
  // the session ends: every writer receives what it has not seen yet
  for (let agent = 0; agent < numAgents; agent++) {
    for (let index = 0; index < txns.length; index++) {
      if (seen[agent][index]) continue;
      peer.receive(replicas[agent], deltas[index]);
      deliveries++;
    }
  }
  return { replicas, deltas, deliveries, deltaBytes };
}

/** A fresh replica fed every delta in trace order. */
export function replayAllDeltas<Doc>(peer: ConcurrentPeer<Doc>, deltas: Uint8Array[], agent: number): Doc {
  const doc = peer.create(agent);
  for (const delta of deltas) peer.receive(doc, delta);
  return doc;
}
