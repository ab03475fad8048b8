import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/kernel/kernel';
import { validateSession } from '../../src/kernel/session';
import { loadDebugCore } from '../helpers/core';
import { crc32, hex32 } from '../../src/persist/checksum';

const DIR = new URL('./', import.meta.url);
const files = readdirSync(DIR).filter((file) => file.endsWith('.session.json')).sort();

describe('golden sessions replay to their recorded state', () => {
  it('has golden sessions', () => expect(files.length).toBeGreaterThanOrEqual(5));
  for (const file of files) {
    it(file, async () => {
      const golden = JSON.parse(readFileSync(new URL(file, DIR), 'utf8'));
      const session = validateSession(golden.session, file);
      const kernel = Kernel.fromSession(session, await loadDebugCore());
      // The journal's checksum pins behaviour (events); the stateHash also pins the state's layout.
      expect({
        events: kernel.cursor, tick: kernel.tick, journalCrc32: hex32(crc32(kernel.machine.journal.encode())), stateHash: kernel.stateHash(),
      }).toEqual(golden.expect);
    });
  }
});
