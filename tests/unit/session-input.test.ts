// Sessions from untrusted places (a link, a file) are read and refused alike by every reader:
// the worker opens links with readSessionLink, the CLI reads files with readSessionText; both
// end in validateSession.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeSessionLink, LINK_JSON_BYTES_MAX, LinkError, readSessionLink, toBase64Url, UNCHECKED_LINK_WARNING } from '../../src/share/link';
import { readSessionText, SESSION_FILE_BYTES_MAX } from '../../src/share/session-text';
import { INTERVENTIONS_MAX, SESSION_EVENTS_MAX, SESSION_FORMAT, SessionFormatError, validateSession, type Session } from '../../src/kernel/session';
import { exampleText } from '../helpers/kernel';

const session = (overrides: Partial<Session> = {}): Session => ({
  format: SESSION_FORMAT,
  engine: 'kernel 1.1 core 0.1.0',
  spec: exampleText('priority-starvation.yaml'),
  seed: 42,
  interventions: [{ atSeq: 100, tick: 900, command: { kind: 'nice', pid: 1, nice: 19 } }],
  cursor: 500,
  ...overrides,
});

/** A format-1 link (no checksum), as links were made before format 2. */
async function formatOneLink(value: unknown): Promise<string> {
  const stream = new Blob([JSON.stringify(value)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return `http://x/#s=${toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()))}`;
}

function agentos(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('one validation for every session reader', () => {
  it('an intervention at or past the cursor is refused by the link reader and the file reader alike', async () => {
    for (const atSeq of [500, 501, 4000]) {
      const bad = session({ interventions: [{ atSeq, tick: 0, command: { kind: 'kill', pid: 1 } }] });
      const message = `interventions[0].atSeq: event ${atSeq} is not before the session's cursor (500)`;
      expect(() => validateSession(bad, 'x')).toThrow(message);
      await expect(readSessionLink(await encodeSessionLink(bad, 'http://x/'))).rejects.toThrow(message);
      await expect(readSessionText(JSON.stringify(bad), 'run.json')).rejects.toThrow(`run.json: ${message}`);
    }
    // A checkpoint's session keeps the branch's later interventions: its journal holds them.
    const later = session({ interventions: [{ atSeq: 800, tick: 0, command: { kind: 'kill', pid: 1 } }] });
    expect(validateSession(later, 'x', { interventionsAfterCursor: true })).toEqual(later);
  });

  it('says what the format is when it is not the number 1', () => {
    expect(() => validateSession({ ...session(), format: '1' }, 's.json')).toThrow('s.json: format: expected the number 1, got the string "1"');
    expect(() => validateSession({ ...session(), format: undefined }, 's.json')).toThrow('the session format version is missing');
    expect(() => validateSession({ ...session(), format: [1] }, 's.json')).toThrow('format: expected the number 1, got a list');
  });

  it('bounds what a session may ask for, and says the bound', async () => {
    await expect(readSessionLink(await encodeSessionLink(session({ cursor: 16_000_000 }), 'http://x/')))
      .rejects.toThrow(`cursor: event 16000000 is past what a session may ask for (at most ${SESSION_EVENTS_MAX} events`);
    const many = Array.from({ length: INTERVENTIONS_MAX + 1 }, (_, index) => ({ atSeq: index + 1, tick: 0, command: { kind: 'pause' as const, pid: 0 } }));
    await expect(readSessionLink(await encodeSessionLink(session({ interventions: many, cursor: 1000 }), 'http://x/')))
      .rejects.toThrow(`interventions: ${INTERVENTIONS_MAX + 1} are more than a session may hold (at most ${INTERVENTIONS_MAX}`);
    await expect(readSessionLink(await encodeSessionLink(session({ spec: 'x'.repeat(1024 * 1024 + 1) }), 'http://x/'))).rejects.toThrow(/spec: longer than/);
    // A short link that would inflate past the cap is stopped while inflating.
    const bomb = await encodeSessionLink(session({ spec: ' '.repeat(LINK_JSON_BYTES_MAX) }), 'http://x/');
    expect(bomb.length).toBeLessThan(20_000);
    await expect(readSessionLink(bomb)).rejects.toThrow(`expands to more than ${LINK_JSON_BYTES_MAX} bytes (a link may hold at most ${LINK_JSON_BYTES_MAX})`);
  });
});

describe('reading a link as people pass it around', () => {
  it('"+" and "/" (standard base64), percent-escapes, padding and line breaks do not change what a link opens', async () => {
    const link = await encodeSessionLink(session(), 'http://x/');
    expect(link).toMatch(/[-_]/);
    const variants = [
      link.replace(/-/g, '+').replace(/_/g, '/'),
      encodeURIComponent(link),
      link.replace(/-/g, '%2D').replace('#', '%23'),
      `${link}==`,
      `  ${link.slice(0, 60)}\n${link.slice(60)}  `,
    ];
    for (const variant of variants) expect((await readSessionLink(variant)).session).toEqual(session());
    await expect(readSessionLink(`${link}%4`)).rejects.toThrow(/the "%" at position \d+ is not followed by two hexadecimal digits/);
  });

  it('opens a format-1 link (no checksum) and says plainly that it could not be checked', async () => {
    expect(await readSessionLink(await formatOneLink(session()))).toEqual({ session: session(), format: 1, warning: UNCHECKED_LINK_WARNING });
  });

  it('refuses a newer link format, and a format-2 payload under the format-1 key, at once', async () => {
    const link = await encodeSessionLink(session(), 'http://x/');
    await expect(readSessionLink(link.replace('#s2=', '#s3='))).rejects.toThrow('link format 3; this app reads up to 2');
    await expect(readSessionLink(link.replace('#s2=', '#s='))).rejects.toThrow('could not be decompressed');
    await expect(readSessionLink(`${link}&s2=AAAA`)).rejects.toThrow('more than one session');
  });
});

describe('session files', () => {
  it('a file holding a link is read as a link; JSON errors name the file; anything else says what it is not', async () => {
    const link = await encodeSessionLink(session(), 'http://x/');
    expect((await readSessionText(`${link}\n`, 'link.txt')).session).toEqual(session());
    await expect(readSessionText(`${link.slice(0, -4)}\n`, 'link.txt')).rejects.toThrow(/^link\.txt: The link is damaged or truncated/);
    await expect(readSessionText('{"format": 1,', 'run.json')).rejects.toThrow(/^run\.json: not valid JSON/);
    await expect(readSessionText('hello', 'notes.txt')).rejects.toThrow('notes.txt: neither a session (JSON starting with "{") nor a share link');
    await expect(readSessionText('hello', 'notes.txt')).rejects.toBeInstanceOf(SessionFormatError);
    await expect(readSessionText('#s2=@', 'x.txt')).rejects.toBeInstanceOf(LinkError);
  });

  it('agentos replay refuses an oversized file from its size, before reading it, and replays a file holding a link', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentos-session-'));
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, '{');
    truncateSync(huge, 200 * 1024 * 1024); // sparse: 200 MB that take no disk and would take memory to read
    const refused = agentos('replay', huge);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`huge.json is 209715200 bytes: a session file is at most ${SESSION_FILE_BYTES_MAX} bytes`);

    const file = join(dir, 'link.txt');
    writeFileSync(file, `${await encodeSessionLink(session(), 'http://x/')}\n`);
    const replayed = agentos('replay', file, '--json');
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(JSON.parse(replayed.stdout)).toMatchObject({ events: 500 });

    const past = join(dir, 'past.json');
    writeFileSync(past, JSON.stringify(session({ interventions: [{ atSeq: 600, tick: 0, command: { kind: 'kill', pid: 1 } }] })));
    expect(agentos('replay', past).stderr).toContain('past.json: interventions[0].atSeq: event 600 is not before the session\'s cursor (500)');
  });
});
