import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/kernel/kernel';
import { validateSession } from '../../src/kernel/session';
import { loadDebugCore } from '../helpers/core';

const DIR = new URL('./', import.meta.url);
const files = readdirSync(DIR).filter((file) => file.endsWith('.session.json')).sort();

describe('golden sessions replay to their recorded state', () => {
  it('has golden sessions', () => expect(files.length).toBeGreaterThanOrEqual(5));
  for (const file of files) {
    it(file, async () => {
      const golden = JSON.parse(readFileSync(new URL(file, DIR), 'utf8'));
      const session = validateSession(golden.session, file);
      const kernel = Kernel.fromSession(session, await loadDebugCore());
      expect({ events: kernel.cursor, tick: kernel.tick, stateHash: kernel.stateHash() }).toEqual(golden.expect);
    });
  }
});
