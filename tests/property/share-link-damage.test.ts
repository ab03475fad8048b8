// Every single-character change to real share links: each is refused with a LinkError, or (when
// the character cannot change the payload: the address before "#", white space, "+" for "-")
// opens exactly the same session. None may open another run, checked or not.
import { describe, expect, it } from 'vitest';
import { encodeSessionLink, LinkError, readSessionLink } from '../../src/share/link';
import { exampleText, kernelFor } from '../helpers/kernel';
import type { Session } from '../../src/kernel/session';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** What a substitution or insertion may put in: the link alphabet, and what mangled links contain. */
const CHARACTERS = BASE64URL + '+/=%&#. ~?\n';

async function realSessions(): Promise<Session[]> {
  const starvation = await kernelFor(exampleText('priority-starvation.yaml'));
  starvation.run({ events: 700 });
  starvation.intervene({ kind: 'nice', pid: 1, nice: 19 });
  starvation.run({ events: 1200 });
  starvation.intervene({ kind: 'policy', node: 0, policy: 'round-robin' });
  starvation.run({ events: 2000 });
  const mapReduce = await kernelFor(exampleText('map-reduce.yaml'));
  mapReduce.run({ events: 3000 });
  mapReduce.intervene({ kind: 'kill', pid: 2 });
  mapReduce.run({ events: 3500 });
  const tiny = await kernelFor('agentos: 1\nname: t\nseed: 42\nkernel: { quantum: 1ms }\nagents:\n  a: { program: idle }\n');
  tiny.run({ events: 3 });
  return [starvation.toSession(), mapReduce.toSession(), tiny.toSession()];
}

function* mutations(link: string): Generator<{ text: string; what: string }> {
  for (let i = 0; i <= link.length; i++) {
    if (i < link.length) {
      yield { text: link.slice(0, i) + link.slice(i + 1), what: `delete ${JSON.stringify(link[i])} at ${i}` };
      for (const c of CHARACTERS) {
        if (c !== link[i]) yield { text: link.slice(0, i) + c + link.slice(i + 1), what: `replace ${JSON.stringify(link[i])} at ${i} by ${JSON.stringify(c)}` };
      }
    }
    for (const c of CHARACTERS) yield { text: link.slice(0, i) + c + link.slice(i), what: `insert ${JSON.stringify(c)} at ${i}` };
  }
}

describe('a damaged share link never opens another run', () => {
  it('every one-character substitution, deletion and insertion of three real links is refused or opens the same session', async () => {
    const sessions = await realSessions();
    let refused = 0, same = 0;
    for (const session of sessions) {
      const link = await encodeSessionLink(session, 'http://localhost:4173/');
      expect(await readSessionLink(link)).toEqual({ session, format: 2 });
      const payloadStart = link.indexOf('#s2=') + 4;
      for (const { text, what } of mutations(link)) {
        let opened;
        try {
          opened = await readSessionLink(text);
        } catch (error) {
          if (!(error instanceof LinkError)) throw new Error(`${what}: ${String(error)}`);
          refused++;
          continue;
        }
        // Opened: it must be the very same session, from a checked link.
        expect(opened, what).toEqual({ session, format: 2 });
        same++;
      }
      // Every substitution of a payload character by another base64url character changes the
      // payload's bits, so each one must be refused (the CRC-32 catches all of them).
      for (let i = payloadStart; i < link.length; i++) {
        for (const c of 'AQgw') {
          if (c === link[i]) continue;
          const damaged = link.slice(0, i) + c + link.slice(i + 1);
          if (i === link.length - 1) continue; // the last character may carry unused bits
          await expect(readSessionLink(damaged), `replace at ${i} by ${c}`).rejects.toBeInstanceOf(LinkError);
        }
      }
    }
    expect(refused).toBeGreaterThan(100_000);
    expect(same).toBeGreaterThan(1000); // the address before "#", "+" for "-", white space, ...
  }, 600_000);
});
