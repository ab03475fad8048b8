// CRDT format v2 golden encodings (a version-1 text state, deflated: BINARY.md): bytes written
// by format version 2 must decode, forever, to the same value and hash. Never edit a block;
// add one for every later version.
import { describe, expect, it } from 'vitest';
import { deflateSync } from 'fflate';
import { TextDoc, CrdtError, setDefaultCrdtBuild } from '../../src/crdt/index';

setDefaultCrdtBuild('debug');
const bytes = (hex: string) => Uint8Array.from(hex.match(/../g)!.map((pair) => parseInt(pair, 16)));

const TEXT_V2 = '0201636266f8ccc8c220c17d8891512386893d9ec1979f8189fd1e23c31c267e14dcc0cac0c0c4c0f09e87615e06c307c68ea6860686e824d32493d8e8246320360262432036880dc94855282ccd4cce56c849acaa5448c94fd753f0c9cc4b5530b052283fbcad282745e1c3fc190d0a89e98999790a8979291016549121318a8c8851644c8c22136214991250c40000';

describe('CRDT binary format v2 (golden)', () => {
  it('text: a deflated state of two replicas with deletes and astral characters', () => {
    const doc = TextDoc.fromState(bytes(TEXT_V2), 100);
    const line = (i: number) => `Line ${i}: wörld 😀 again and again. `;
    expect(doc.toString()).toBe(`[b5b4][b3][b2][b1][b0]The quick lazy dog. ${[0, 1, 2, 3, 4, 5].map(line).join('')}`);
    expect(doc.hash()).toBe(5531015757285015439n);
    // and it re-encodes to the same bytes (the same engine writes the same state)
    expect(Buffer.from(doc.encodeState()).toString('hex')).toBe(TEXT_V2);
  });

  it('text: a corrupt or oversized deflated body is refused with a CrdtError', () => {
    const corrupt = bytes(TEXT_V2);
    corrupt[10] ^= 0xff;
    corrupt[11] ^= 0xff;
    expect(() => TextDoc.fromState(corrupt, 100)).toThrow(CrdtError);
    // a deflate bomb: 4 MiB of zeros in a few kB; the doc's IO buffer is 64 KiB
    const doc = new TextDoc(1, { coreOptions: { ioBytes: 1 << 16 } });
    const body = deflateSync(new Uint8Array(1 << 22));
    const wrapped = new Uint8Array(body.length + 2);
    wrapped.set([2, 1]);
    wrapped.set(body, 2);
    expect(() => doc.applyDelta(wrapped)).toThrow(/inflates past/);
    expect(doc.toString()).toBe('');
  });
});
