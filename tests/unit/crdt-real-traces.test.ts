// The text CRDT on the real editing traces in ../shared/data/ (sequential and concurrent):
// every replica ends at the trace's endContent, and so does a doc loaded from the encoding.
import { describe, expect, it } from 'vitest';
import { TextDoc, setDefaultCrdtBuild } from '../../src/crdt/index';
import { CONCURRENT_TRACES, SEQUENTIAL_TRACES, loadConcurrentTrace, loadTrace, traceAvailable, traceMissing } from '../helpers/trace';
import { replayAllDeltas, replayConcurrent } from '../helpers/concurrent-replay';
import { agentosPeer } from '../helpers/text-peers';

setDefaultCrdtBuild('debug');
const OPTIONS = { itemsMax: 1 << 16, charsMax: 1 << 18, coreOptions: { ioBytes: 1 << 20, recordsMax: 1 << 16 } };

describe('text CRDT on real sequential traces', () => {
  for (const name of SEQUENTIAL_TRACES) {
    it.runIf(traceAvailable(name))(`${name}: replays to endContent, and its encoding loads to the same text`, () => {
      const trace = loadTrace(name);
      const doc = new TextDoc(1, OPTIONS);
      if (trace.startContent) doc.insert(0, trace.startContent);
      for (const [pos, del, text] of trace.patches) {
        if (del) doc.delete(pos, del);
        if (text) doc.insert(pos, text);
      }
      expect(doc.toString()).toBe(trace.endContent);
      doc.checkIndex();
      const loaded = TextDoc.fromState(doc.encodeState(), 2, OPTIONS);
      expect(loaded.toString()).toBe(trace.endContent);
      expect(loaded.hash()).toBe(doc.hash());
      // the loaded doc keeps editing and merging like the original
      loaded.insert(0, 'x');
      doc.applyDelta(loaded.encodeDelta(doc.stateVector()));
      expect(doc.toString()).toBe('x' + trace.endContent);
    }, 60_000);
    it.skipIf(traceAvailable(name))(`${name}: the trace is missing`, () => { throw new Error(traceMissing(name)); });
  }
});

describe('text CRDT on real concurrent traces (a replica per writer, each transaction a delta)', () => {
  for (const name of CONCURRENT_TRACES) {
    it.runIf(traceAvailable(name))(`${name}: every writer's replica, and a fresh one fed every delta, ends at endContent`, () => {
      const trace = loadConcurrentTrace(name);
      const peer = agentosPeer(OPTIONS);
      const run = replayConcurrent(peer, trace);
      run.replicas.forEach((doc, agent) => { expect(doc.toString(), `writer ${agent}`).toBe(trace.endContent); doc.checkIndex(); });
      const fresh = replayAllDeltas(peer, run.deltas, trace.numAgents);
      expect(fresh.toString()).toBe(trace.endContent);
      expect(fresh.hash()).toBe(run.replicas[0].hash());
    }, 120_000);
    it.skipIf(traceAvailable(name))(`${name}: the trace is missing`, () => { throw new Error(traceMissing(name)); });
  }
});
