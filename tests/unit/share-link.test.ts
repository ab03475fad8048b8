import { describe, expect, it } from 'vitest';
import { decodeSessionLink, encodeSessionLink, LinkError, toBase64Url } from '../../src/share/link';
import { SESSION_FORMAT, type Session } from '../../src/kernel/session';
import { exampleText } from '../helpers/kernel';

const session = (overrides: Partial<Session> = {}): Session => ({
  format: SESSION_FORMAT,
  engine: 'kernel 1.1 core 0.1.0',
  spec: exampleText('map-reduce.yaml'),
  seed: 42,
  interventions: Array.from({ length: 10 }, (_, index) => ({ atSeq: 100 + index * 50, tick: 1000 + index, command: { kind: 'nice' as const, pid: index % 4, nice: (index % 20) - 10 } })),
  cursor: 5000,
  ...overrides,
});

async function deflateJson(text: string): Promise<string> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

describe('share links', () => {
  it('round-trips a session, and an example with ten interventions fits in 2,000 characters', async () => {
    const link = await encodeSessionLink(session(), 'http://localhost:4173/');
    expect(link.startsWith('http://localhost:4173/#s2=')).toBe(true);
    expect(link.length).toBeLessThan(2000);
    expect(await decodeSessionLink(link)).toEqual(session());
  });

  it('refuses a truncated link with a clear message', async () => {
    const link = await encodeSessionLink(session(), 'http://localhost:4173/');
    await expect(decodeSessionLink(link.slice(0, link.length - 40))).rejects.toThrow(/damaged or truncated: its checksum does not match/);
  });

  it('names a bad character and its position', async () => {
    await expect(decodeSessionLink('http://x/#s=abc$def')).rejects.toThrow('"$" at position 4');
  });

  it('refuses a link without a session, and junk that is not a session', async () => {
    await expect(decodeSessionLink('http://x/#other=1')).rejects.toThrow(/has no session in it/);
    await expect(decodeSessionLink(`http://x/#s=${await deflateJson('not json')}`)).rejects.toThrow(/not valid JSON/);
    await expect(decodeSessionLink(`http://x/#s=${await deflateJson('[1,2]')}`)).rejects.toThrow(/expected a session object/);
  });

  it('refuses a session from a newer AgentOS and names the field that is wrong', async () => {
    const newer = JSON.stringify({ ...session(), format: SESSION_FORMAT + 1 });
    await expect(decodeSessionLink(`#s=${await deflateJson(newer)}`)).rejects.toThrow(`session format ${SESSION_FORMAT + 1}; this app reads up to ${SESSION_FORMAT}`);
    const badSeed = JSON.stringify({ ...session(), seed: -1 });
    await expect(decodeSessionLink(`#s=${await deflateJson(badSeed)}`)).rejects.toThrow(/seed: expected an integer/);
    const badCommand = JSON.stringify({ ...session(), interventions: [{ atSeq: 5, tick: 0, command: { kind: 'format-disk' } }] });
    await expect(decodeSessionLink(`#s=${await deflateJson(badCommand)}`)).rejects.toThrow(/interventions\[0\]\.command\.kind/);
  });

  it('refuses a decompression bomb instead of expanding it', async () => {
    const huge = '{"spec":"' + 'a'.repeat(9 * 1024 * 1024) + '"}';
    await expect(decodeSessionLink(`#s=${await deflateJson(huge)}`)).rejects.toBeInstanceOf(LinkError);
  });
});
