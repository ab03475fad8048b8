import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/kernel/kernel';
import { validateSession } from '../../src/kernel/session';
import { loadDebugCore } from '../helpers/core';
import { crc32, hex32 } from '../../src/persist/checksum';

const DIR = new URL('./', import.meta.url);
const files = readdirSync(DIR).filter((file) => file.endsWith('.session.json')).sort();

/**
 * Files of an older engine whose run a later KERNEL_VERSION changed on purpose, and why. They stay
 * as they were recorded (never edited); each must still replay differently (so an entry cannot
 * outlive its reason), and a file of the newer engine records the new run.
 */
const SUPERSEDED: Record<string, { by: string; why: string }> = {
  'crash-restart.session.json': { by: 'crash-restart-v2.session.json', why: 'kernel 2: a kill is no longer undone by the restart policy' },
  'partition-crdt.session.json': { by: 'partition-crdt-v2.session.json', why: 'core 0.2: the text CRDT keeps a position index and a delete log, so the state (and its hash) changed; the journal did not' },
};

async function replay(file: string) {
  const golden = JSON.parse(readFileSync(new URL(file, DIR), 'utf8'));
  const session = validateSession(golden.session, file);
  const kernel = Kernel.fromSession(session, await loadDebugCore());
  // The journal's checksum pins behaviour (events); the stateHash also pins the state's layout.
  const got = { events: kernel.cursor, tick: kernel.tick, journalCrc32: hex32(crc32(kernel.machine.journal.encode())), stateHash: kernel.stateHash() };
  return { golden, session, got, engine: kernel.engine };
}

describe('golden sessions replay to their recorded state', () => {
  it('has golden sessions', () => expect(files.length - Object.keys(SUPERSEDED).length).toBeGreaterThanOrEqual(5));
  for (const file of files) {
    const superseded = SUPERSEDED[file];
    if (superseded) {
      it(`${file} (superseded: ${superseded.why})`, async () => {
        const { golden, session, got, engine } = await replay(file);
        expect(session.engine).not.toBe(engine);
        expect(got).not.toEqual(golden.expect);
        expect(files).toContain(superseded.by);
      });
      continue;
    }
    it(file, async () => {
      const { golden, got } = await replay(file);
      expect(got).toEqual(golden.expect);
    });
  }
});
