// One benchmark process for one CRDT implementation (ours or a peer), so each runs alone with
// its own heap, JIT and rss. Spawned by crdt-text.bench.ts / crdt-map.bench.ts:
//   node --expose-gc --import tsx tests/bench/crdt-peer-process.ts <peer> <mode> <runs>
// peer: agentos | yjs | automerge | loro;  mode: text | concurrent | map | set
// (agentos | yjs) real-seq <trace> | real-concurrent <trace>: the real traces in ../shared/data/
// Prints one JSON line: { peer, mode, samples: {name: number[]}, values: {name: number} }.
import * as Y from 'yjs';
import * as A from '@automerge/automerge';
import { LoroDoc } from 'loro-crdt';
import { TextDoc, LwwMap, OrSet, setDefaultCrdtBuild } from '../../src/crdt/index';
import { loadTrace, loadConcurrentTrace, type Patch } from '../helpers/trace';
import { replayAllDeltas, replayConcurrent, type ConcurrentPeer } from '../helpers/concurrent-replay';
import { agentosPeer, yjsPeer } from '../helpers/text-peers';

setDefaultCrdtBuild('release');
const [peer, mode, runsArg, traceName] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

const TEXT_CAPACITY = { itemsMax: 1 << 15, charsMax: 1 << 17, coreOptions: { ioBytes: 1 << 18, recordsMax: 1 << 14 } };

interface TextPeer {
  create(replica: number): unknown;
  insert(doc: unknown, pos: number, text: string): void;
  remove(doc: unknown, pos: number, count: number): void;
  read(doc: unknown): string;
  encode(doc: unknown): Uint8Array;
  load(bytes: Uint8Array): unknown;
  /** Brings `into` up to date with `from` (what `into` misses, as one message). */
  merge(into: unknown, from: unknown): void;
  /** For Automerge, whose docs are immutable values: the current doc. */
  current?(doc: unknown): unknown;
}

let automergeBaseDoc: A.Doc<{ text: string }> | undefined;
function automergeBase(): A.Doc<{ text: string }> {
  automergeBaseDoc ??= A.change(A.init<{ text: string }>({ actor: '00000000' }), (d) => { d.text = ''; });
  return automergeBaseDoc;
}

class AutomergeBox { constructor(public doc: A.Doc<{ text: string }>) {} }

const textPeers: Record<string, TextPeer> = {
  agentos: {
    // capacity given at creation (no allocation after it): enough for this trace
    create: (replica) => new TextDoc(replica, TEXT_CAPACITY),
    insert: (doc, pos, text) => (doc as TextDoc).insert(pos, text),
    remove: (doc, pos, count) => (doc as TextDoc).delete(pos, count),
    read: (doc) => (doc as TextDoc).toString(),
    encode: (doc) => (doc as TextDoc).encodeState(),
    load: (bytes) => TextDoc.fromState(bytes, 99, TEXT_CAPACITY),
    merge: (into, from) => (into as TextDoc).applyDelta((from as TextDoc).encodeDelta((into as TextDoc).stateVector())),
  },
  yjs: {
    create: (replica) => { const doc = new Y.Doc(); doc.clientID = replica; return doc; },
    insert: (doc, pos, text) => (doc as Y.Doc).getText('t').insert(pos, text),
    remove: (doc, pos, count) => (doc as Y.Doc).getText('t').delete(pos, count),
    read: (doc) => (doc as Y.Doc).getText('t').toString(),
    encode: (doc) => Y.encodeStateAsUpdate(doc as Y.Doc),
    load: (bytes) => { const doc = new Y.Doc(); Y.applyUpdate(doc, bytes); return doc; },
    merge: (into, from) => Y.applyUpdate(into as Y.Doc, Y.encodeStateAsUpdate(from as Y.Doc, Y.encodeStateVector(into as Y.Doc))),
  },
  automerge: {
    // every replica forks one base doc, so they share the text object (as a named root does
    // in Yjs and Loro)
    create: (replica) => new AutomergeBox(A.clone(automergeBase(), { actor: replica.toString(16).padStart(8, '0') })),
    insert: (box, pos, text) => { const b = box as AutomergeBox; b.doc = A.change(b.doc, (d) => { A.splice(d, ['text'], pos, 0, text); }); },
    remove: (box, pos, count) => { const b = box as AutomergeBox; b.doc = A.change(b.doc, (d) => { A.splice(d, ['text'], pos, count); }); },
    read: (box) => (box as AutomergeBox).doc.text,
    encode: (box) => A.save((box as AutomergeBox).doc),
    load: (bytes) => new AutomergeBox(A.load<{ text: string }>(bytes)),
    merge: (into, from) => { const b = into as AutomergeBox; b.doc = A.merge(b.doc, A.clone((from as AutomergeBox).doc)); },
  },
  loro: {
    create: (replica) => { const doc = new LoroDoc(); doc.setPeerId(replica); doc.getText('t'); return doc; },
    insert: (doc, pos, text) => (doc as LoroDoc).getText('t').insert(pos, text),
    remove: (doc, pos, count) => (doc as LoroDoc).getText('t').delete(pos, count),
    read: (doc) => (doc as LoroDoc).getText('t').toString(),
    encode: (doc) => (doc as LoroDoc).export({ mode: 'snapshot' }),
    load: (bytes) => LoroDoc.fromSnapshot(bytes),
    merge: (into, from) => { (into as LoroDoc).import((from as LoroDoc).export({ mode: 'update', from: (into as LoroDoc).oplogVersion() })); },
  },
};

function replay(impl: TextPeer, patches: Patch[], replica: number, start: string): unknown {
  const doc = impl.create(replica);
  if (start) impl.insert(doc, 0, start);
  for (const [pos, del, text] of patches) {
    if (del) impl.remove(doc, pos, del);
    if (text) impl.insert(doc, pos, text);
  }
  return doc;
}

/** The second half of the trace, replayed from scratch: positions clamped to the doc. */
function replayClamped(impl: TextPeer, patches: Patch[], replica: number): unknown {
  const doc = impl.create(replica);
  let length = 0;
  for (const [pos, del, text] of patches) {
    const at = Math.min(pos, length);
    const count = Math.min(del, length - at);
    if (count) { impl.remove(doc, at, count); length -= count; }
    if (text) { impl.insert(doc, at, text); length += [...text].length; }
  }
  return doc;
}

// Capacity for the real traces (the long session has ~880k inserted code points).
const REAL_CAPACITY = { itemsMax: 1 << 18, charsMax: 1 << 20, coreOptions: { ioBytes: 1 << 22, recordsMax: 1 << 18 } };
const FRESH_CAPACITY = { ...REAL_CAPACITY, coreOptions: { ...REAL_CAPACITY.coreOptions, growable: true } };

/**
 * A sequential trace by name; "long-session": the three sequential traces one after another,
 * four times, each appended at the end of the text so far (~240k patches, like the longest
 * public traces).
 */
function realTrace(name: string): { startContent: string; endContent: string; patches: Patch[] } {
  if (name !== 'long-session') return loadTrace(name);
  const parts = ['sveltecomponent', 'json-crdt-patch', 'json-crdt-blog-post'].map((part) => loadTrace(part));
  const patches: Patch[] = [];
  let text = '';
  for (let round = 0; round < 4; round++) {
    for (const part of parts) {
      const offset = [...text].length;
      for (const [pos, del, insert] of part.patches) patches.push([pos + offset, del, insert]);
      text += part.endContent;
    }
  }
  return { startContent: '', endContent: text, patches };
}

/** CPU milliseconds of this process (user + system): less moved by other processes than wall time. */
const cpuMs = (): number => { const usage = process.cpuUsage(); return (usage.user + usage.system) / 1000; };

const samples: Record<string, number[]> = {};
const values: Record<string, number | string | boolean> = {};
const sample = (name: string, value: number) => (samples[name] ??= []).push(value);

if (mode === 'text' || mode === 'concurrent' || mode === 'memory') {
  const impl = textPeers[peer];
  if (!impl) throw new Error(`unknown peer ${peer}`);
  const trace = loadTrace();
  if (mode === 'memory') {
    // rss before and after one replay, each after a full GC and a pause (V8 returns freed
    // pages lazily); the doc stays alive. A process of its own per sample.
    const settle = async () => { gc(); await new Promise((resolve) => setTimeout(resolve, 200)); gc(); };
    replay(impl, trace.patches.slice(0, 50), 7, 'warm up the code paths');
    await settle();
    const before = process.memoryUsage().rss;
    const kept = replay(impl, trace.patches, 1, trace.startContent);
    await settle();
    values.rssBytes = process.memoryUsage().rss - before;
    values.correct = impl.read(kept) === trace.endContent;
  } else if (mode === 'text') {
    for (let run = 0; run < runs + 1; run++) {
      gc();
      const t0 = performance.now();
      const doc = replay(impl, trace.patches, 1, trace.startContent);
      const text = impl.read(doc);
      const t1 = performance.now();
      const bytes = impl.encode(doc);
      const t2 = performance.now();
      const loaded = impl.load(bytes);
      const loadedText = impl.read(loaded);
      const t3 = performance.now();
      if (text !== trace.endContent || loadedText !== trace.endContent) throw new Error(`${peer}: wrong text after replay or load`);
      values.encodedBytes = bytes.length;
      if (run === 0) continue; // warm-up
      if (peer === 'agentos') {
        // the same load into a doc created beforehand (what the kernel does: its core and
        // docs exist already), without the fresh wasm instance and region zeroing
        const target = new TextDoc(98, TEXT_CAPACITY);
        const t4 = performance.now();
        target.applyDelta(bytes as Uint8Array);
        const same = target.toString() === trace.endContent;
        sample('loadIntoDocMs', performance.now() - t4);
        if (!same) throw new Error('agentos: wrong text after loading into an existing doc');
      }
      sample('replayMs', t1 - t0);
      sample('encodeMs', t2 - t1);
      sample('loadMs', t3 - t2);
    }
  } else {
    const half = trace.patches.length >> 1;
    for (let run = 0; run < runs + 1; run++) {
      const a = replay(impl, trace.patches.slice(0, half), 1, trace.startContent);
      const b = replayClamped(impl, trace.patches.slice(half), 2);
      gc();
      const t0 = performance.now();
      impl.merge(a, b);
      impl.merge(b, a);
      const textA = impl.read(a);
      const t1 = performance.now();
      if (textA !== impl.read(b)) throw new Error(`${peer}: replicas differ after merging both ways`);
      values.mergedLength = [...textA].length;
      if (run > 0) sample('mergeMs', t1 - t0);
    }
  }
} else if (mode === 'real-seq') {
  // a real sequential trace: replay, encode (Yjs: V2), load the encoding into a new doc
  const trace = realTrace(traceName);
  for (let run = 0; run < runs + 1; run++) {
    gc();
    const t0 = performance.now();
    const c0 = cpuMs();
    let bytes: Uint8Array, text: string;
    if (peer === 'agentos') {
      const doc = new TextDoc(1, REAL_CAPACITY);
      if (trace.startContent) doc.insert(0, trace.startContent);
      for (const [pos, del, insert] of trace.patches) { if (del) doc.delete(pos, del); if (insert) doc.insert(pos, insert); }
      text = doc.toString();
      sample('replayMs', performance.now() - t0);
      sample('replayCpuMs', cpuMs() - c0);
      bytes = doc.encodeState();
      values.items = doc.itemCount();
      // done with it: its core and region serve the next private doc (TextDoc.dispose)
      doc.dispose();
      // a load into a fresh wasm instance (other core options: never a disposed doc's); it stays
      // referenced until the run ends, so tearing its memory down falls in neither timing
      gc();
      const t2 = performance.now();
      const c2 = cpuMs();
      const fresh = TextDoc.fromState(bytes, 3, FRESH_CAPACITY);
      const freshText = fresh.toString();
      sample('loadFreshMs', performance.now() - t2);
      sample('loadFreshCpuMs', cpuMs() - c2);
      if (freshText !== trace.endContent) throw new Error(`agentos: ${traceName}: wrong text after a load into a fresh core`);
      // the load itself, into the replay doc's core
      gc();
      const t1 = performance.now();
      const c1 = cpuMs();
      const loaded = TextDoc.fromState(bytes, 2, REAL_CAPACITY);
      const loadedText = loaded.toString();
      sample('loadMs', performance.now() - t1);
      sample('loadCpuMs', cpuMs() - c1);
      if (loadedText !== trace.endContent) throw new Error(`agentos: ${traceName}: wrong text after load`);
      loaded.dispose();
    } else if (peer === 'yjs') {
      const doc = new Y.Doc(); doc.clientID = 1;
      const ytext = doc.getText('t');
      if (trace.startContent) ytext.insert(0, trace.startContent);
      for (const [pos, del, insert] of trace.patches) { if (del) ytext.delete(pos, del); if (insert) ytext.insert(pos, insert); }
      text = ytext.toString();
      sample('replayMs', performance.now() - t0);
      sample('replayCpuMs', cpuMs() - c0);
      bytes = Y.encodeStateAsUpdateV2(doc);
      gc();
      const t1 = performance.now();
      const c1 = cpuMs();
      const loaded = new Y.Doc();
      Y.applyUpdateV2(loaded, bytes);
      const loadedText = loaded.getText('t').toString();
      sample('loadMs', performance.now() - t1);
      sample('loadCpuMs', cpuMs() - c1);
      if (loadedText !== trace.endContent) throw new Error(`yjs: ${traceName}: wrong text after load`);
    } else {
      throw new Error(`no real-trace benchmark for ${peer}`);
    }
    if (text !== trace.endContent) throw new Error(`${peer}: ${traceName}: wrong text after replay`);
    values.encodedBytes = bytes.length;
    values.patches = trace.patches.length;
    if (run === 0) for (const name of Object.keys(samples)) samples[name] = []; // warm-up
  }
} else if (mode === 'real-concurrent') {
  // a replica per writer, each transaction's delta to the writers that need it (issue 14)
  const trace = loadConcurrentTrace(traceName);
  const impl = (peer === 'agentos' ? agentosPeer(REAL_CAPACITY) : peer === 'yjs' ? yjsPeer() : undefined) as ConcurrentPeer<unknown> | undefined;
  if (!impl) throw new Error(`no concurrent-trace benchmark for ${peer}`);
  for (let run = 0; run < runs + 1; run++) {
    gc();
    const t0 = performance.now();
    const c0 = cpuMs();
    const result = replayConcurrent(impl, trace);
    const ms = performance.now() - t0;
    const cpu = cpuMs() - c0;
    for (const doc of result.replicas) if (impl.read(doc) !== trace.endContent) throw new Error(`${peer}: ${traceName}: a replica differs from endContent`);
    if (run === 0 && impl.read(replayAllDeltas(impl, result.deltas, trace.numAgents)) !== trace.endContent) {
      throw new Error(`${peer}: ${traceName}: a fresh replica fed every delta differs from endContent`);
    }
    values.deliveries = result.deliveries;
    values.deltaBytes = result.deltaBytes;
    if (run > 0) { sample('replayMs', ms); sample('replayCpuMs', cpu); }
  }
} else if (mode === 'map') {
  const KEYS = 100_000;
  const keys = Array.from({ length: KEYS }, (_, i) => `key${i}`);
  for (let run = 0; run < runs + 1; run++) {
    let ms = 0;
    let size = 0;
    if (peer === 'agentos') {
      const mapOptions = { entriesMax: 1 << 18, bytesMax: 1 << 23, coreOptions: { ioBytes: 1 << 23, recordsMax: 16 } };
      const a = new LwwMap(1, mapOptions);
      const b = new LwwMap(2, mapOptions);
      for (let i = 0; i < KEYS; i++) { a.set(keys[i], `a${i}`); b.set(keys[i], `b${i}`); }
      const state = b.encodeState();
      gc();
      const t0 = performance.now();
      a.applyDelta(state);
      ms = performance.now() - t0;
      size = a.size;
      if (a.get(keys[7]) !== 'b7') throw new Error('agentos: replica 2 should win every key (higher id, same time)');
    } else if (peer === 'yjs') {
      const a = new Y.Doc(); a.clientID = 1;
      const b = new Y.Doc(); b.clientID = 2;
      const ma = a.getMap<string>('m'), mb = b.getMap<string>('m');
      a.transact(() => { for (let i = 0; i < KEYS; i++) ma.set(keys[i], `a${i}`); });
      b.transact(() => { for (let i = 0; i < KEYS; i++) mb.set(keys[i], `b${i}`); });
      const state = Y.encodeStateAsUpdate(b);
      gc();
      const t0 = performance.now();
      Y.applyUpdate(a, state);
      ms = performance.now() - t0;
      size = ma.size;
    } else if (peer === 'loro') {
      const a = new LoroDoc(); a.setPeerId(1);
      const b = new LoroDoc(); b.setPeerId(2);
      const ma = a.getMap('m'), mb = b.getMap('m');
      for (let i = 0; i < KEYS; i++) { ma.set(keys[i], `a${i}`); mb.set(keys[i], `b${i}`); }
      a.commit(); b.commit();
      const state = b.export({ mode: 'snapshot' });
      gc();
      const t0 = performance.now();
      a.import(state);
      ms = performance.now() - t0;
      size = ma.size;
    } else {
      throw new Error(`no map benchmark for ${peer}`);
    }
    if (size !== KEYS) throw new Error(`${peer}: ${size} keys after merge, expected ${KEYS}`);
    if (run > 0) sample('mergeMs', ms);
  }
} else if (mode === 'set' && peer === 'agentos') {
  // two replicas of 1,000,000 elements; concurrently each removes a different 10%, and the
  // second re-adds 1% of what the first removes (add wins): 810,000 elements after the merge
  const ELEMENTS = 1_000_000;
  const options = {
    entriesMax: 1 << 21, recordsMax: 1 << 21, bytesMax: 1 << 24,
    coreOptions: { ioBytes: 1 << 25, recordsMax: 16 },
  };
  const elements = Array.from({ length: ELEMENTS }, (_, i) => `e${i}`);
  for (let run = 0; run < runs + 1; run++) {
    const a = new OrSet(1, options);
    for (const element of elements) a.add(element);
    const b = OrSet.fromState(a.encodeState(), 2, options);
    for (let i = 0; i < ELEMENTS; i += 10) a.remove(elements[i]);
    for (let i = 5; i < ELEMENTS; i += 10) b.remove(elements[i]);
    for (let i = 0; i < ELEMENTS; i += 100) b.add(elements[i]);
    const delta = b.encodeDelta(a.stateVector());
    const state = b.encodeState();
    gc();
    const t0 = performance.now();
    a.applyDelta(delta);
    const t1 = performance.now();
    const c = OrSet.fromState(a.encodeState(), 3, options);
    gc();
    const t2 = performance.now();
    c.applyDelta(state); // the full state of b: every element already known, only news applied
    const t3 = performance.now();
    if (a.size !== 810_000 || c.size !== 810_000 || a.hash() !== c.hash()) throw new Error(`agentos: ${a.size} / ${c.size} elements after merge, expected 810000`);
    values.deltaBytes = delta.length;
    values.stateBytes = state.length;
    if (run > 0) { sample('deltaMergeMs', t1 - t0); sample('stateMergeMs', t3 - t2); }
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}

process.stdout.write(JSON.stringify({ peer, mode, samples, values }) + '\n');
