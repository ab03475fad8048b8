// CRDT format v1 golden encodings: bytes written by format version 1 must decode, forever, to
// the same value and the same 64-bit hash (the hash feeds the kernel's stateHash, so a change
// to it changes journals). Add a block here for every future format version; never edit one.
import { describe, expect, it } from 'vitest';
import { TextDoc, LwwMap, OrSet, PNCounter, TimeSeries, Workflow, Graph, setDefaultCrdtBuild } from '../../src/crdt/index';

setDefaultCrdtBuild('debug');
const bytes = (hex: string) => Uint8Array.from(hex.match(/../g)!.map((pair) => parseInt(pair, 16)));

describe('CRDT binary format v1 (golden)', () => {
  it('text', () => {
    const doc = TextDoc.fromState(bytes('01010201001202000405d201001e02cc02230000af01009202010020900400000201011498808080003e3e2048656c6c6f6269672077c3b6726c6420f09f98802100'), 100);
    expect(doc.toString()).toEqual(">> Hellobig wörld 😀!");
    expect(doc.hash()).toBe(14354250529795015743n);
  });
  it('map', () => {
    const doc = LwwMap.fromState(bytes('0103010300040300020201780000010201790474776f000302017a03c3a9'), 100);
    expect(doc.entries()).toEqual([["y","two"],["z","é"]]);
    expect(doc.hash()).toBe(862419779957580010n);
  });
  it('set', () => {
    const doc = OrSet.fromState(bytes('010401040004030000016100010162000301630100020000'), 100);
    expect(doc.values()).toEqual(["b","c"]);
    expect(doc.hash()).toBe(10227721900908930631n);
  });
  it('counter', () => {
    const doc = PNCounter.fromState(bytes('01020105020702'), 100);
    expect(doc.value).toEqual(5);
    expect(doc.hash()).toBe(585901192238661664n);
  });
  it('series', () => {
    const doc = TimeSeries.fromState(bytes('01060106000202000a0900140e'), 100);
    expect(doc.count).toEqual(2);
    expect(doc.hash()).toBe(13657955502190812226n);
  });
  it('workflow', () => {
    const doc = Workflow.fromState(bytes('0105010700020200000202743105010000000001020274320502000000'), 100, ['pending', 'running', 'done']);
    expect(doc.tasks()).toEqual([["t1","running"],["t2","done"]]);
    expect(doc.hash()).toBe(17035927875483370499n);
  });
  it('graph', () => {
    const doc = Graph.fromState(bytes('0107180104010800040300000175000101760002017701000300000104010800010100000375007600'), 100);
    expect([doc.vertices(), doc.edges()]).toEqual([["v","w"],[]]);
    expect(doc.hash()).toBe(17384812302661065492n);
  });
});
