// Graph: add-wins vertices and edges, as two OR-sets in one core (a product of CRDTs, so the
// merge laws carry over). Adding an edge adds its two vertices; an edge whose endpoint is
// removed is hidden (kept, and visible again if the vertex is added again).
// Encoding: [1 (version), 7 (graph), varint vertexBytes, vertex-set encoding, edge-set encoding].
import type { CrdtCore, CrdtCoreOptions } from './core';
import { CrdtError, privateCrdtCore } from './core';
import { tryApply } from './replica';
import { OrSet, type KeyedOptions } from './keyed';

const GRAPH_KIND = 7;
const SEPARATOR = '\u0000';

function pack(first: Uint8Array, second: Uint8Array): Uint8Array {
  const head = [1, GRAPH_KIND];
  let length = first.length;
  do { head.push((length & 0x7f) | (length > 0x7f ? 0x80 : 0)); length >>>= 7; } while (length > 0);
  const out = new Uint8Array(head.length + first.length + second.length);
  out.set(head);
  out.set(first, head.length);
  out.set(second, head.length + first.length);
  return out;
}

function unpack(bytes: Uint8Array): [Uint8Array, Uint8Array] {
  if (bytes.length < 3) throw new CrdtError(-7, 'Graph.applyDelta');
  if (bytes[0] !== 1) throw new CrdtError(-14, 'Graph.applyDelta');
  if (bytes[1] !== GRAPH_KIND) throw new CrdtError(-11, 'Graph.applyDelta');
  let at = 2, length = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (at >= bytes.length) throw new CrdtError(-7, 'Graph.applyDelta');
    const byte = bytes[at++];
    length += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) break;
  }
  if (at + length > bytes.length) throw new CrdtError(-7, 'Graph.applyDelta');
  return [bytes.subarray(at, at + length), bytes.subarray(at + length)];
}

export class Graph {
  readonly core: CrdtCore;
  readonly vertexSet: OrSet;
  readonly edgeSet: OrSet;

  constructor(readonly replicaId: number, options: KeyedOptions & { core?: CrdtCore; coreOptions?: CrdtCoreOptions } = {}) {
    this.core = options.core ?? privateCrdtCore(options.coreOptions);
    this.vertexSet = new OrSet(replicaId, { ...options, core: this.core });
    this.edgeSet = new OrSet(replicaId, { ...options, core: this.core });
  }

  static fromState(bytes: Uint8Array, replicaId: number, options: KeyedOptions = {}): Graph {
    const graph = new Graph(replicaId, options);
    graph.applyDelta(bytes);
    return graph;
  }

  private static edgeKey(from: string, to: string): string {
    if (from.includes(SEPARATOR)) throw new RangeError('vertex names cannot contain U+0000');
    return from + SEPARATOR + to;
  }

  addVertex(vertex: string): void { this.vertexSet.add(vertex); }
  removeVertex(vertex: string): void { this.vertexSet.remove(vertex); }
  hasVertex(vertex: string): boolean { return this.vertexSet.has(vertex); }

  addEdge(from: string, to: string): void {
    const key = Graph.edgeKey(from, to);
    this.vertexSet.add(from);
    this.vertexSet.add(to);
    this.edgeSet.add(key);
  }
  removeEdge(from: string, to: string): void { this.edgeSet.remove(Graph.edgeKey(from, to)); }
  hasEdge(from: string, to: string): boolean {
    return this.edgeSet.has(Graph.edgeKey(from, to)) && this.vertexSet.has(from) && this.vertexSet.has(to);
  }

  vertices(): string[] { return this.vertexSet.values(); }

  /** Visible edges (both endpoints present), sorted. */
  edges(): [string, string][] {
    const vertices = new Set(this.vertexSet.values());
    return this.edgeSet.values()
      .map((key) => key.split(SEPARATOR) as [string, string])
      .filter(([from, to]) => vertices.has(from) && vertices.has(to));
  }

  encodeState(): Uint8Array { return pack(this.vertexSet.encodeState(), this.edgeSet.encodeState()); }
  stateVector(): Uint8Array { return pack(this.vertexSet.stateVector(), this.edgeSet.stateVector()); }
  encodeDelta(remote: Uint8Array): Uint8Array {
    const [vertices, edges] = unpack(remote);
    return pack(this.vertexSet.encodeDelta(vertices), this.edgeSet.encodeDelta(edges));
  }
  /** Vertices first; if the edges are not ready yet, applying the whole delta again later is safe. */
  applyDelta(bytes: Uint8Array): void {
    const [vertices, edges] = unpack(bytes);
    this.vertexSet.applyDelta(vertices);
    this.edgeSet.applyDelta(edges);
  }
  tryApplyDelta(bytes: Uint8Array): boolean { return tryApply(() => this.applyDelta(bytes)); }

  /** 64-bit FNV-1a of the observable graph (sorted vertices, then visible edges). */
  hash(): bigint {
    let hash = 0xcbf29ce484222325n;
    const mix = (text: string) => {
      for (let i = 0; i < text.length; i++) hash = BigInt.asUintN(64, (hash ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n);
      hash = BigInt.asUintN(64, (hash ^ 0x10000n) * 0x100000001b3n);
    };
    for (const vertex of this.vertices()) mix(vertex);
    mix('');
    for (const [from, to] of this.edges()) { mix(from); mix(to); }
    return hash;
  }
}
