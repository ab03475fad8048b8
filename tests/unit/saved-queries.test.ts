// Saved KernelQL queries travel with the session: in its link and its checkpoint, optional (a
// session without them is unchanged), bounded and checked like any other field of untrusted data.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Kernel } from '../../src/kernel/kernel';
import { SAVED_QUERIES_MAX, SAVED_QUERY_SQL_CHARS_MAX, SessionFormatError, validateSession, type Session } from '../../src/kernel/session';
import { decodeSessionLink, encodeSessionLink } from '../../src/share/link';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/persist/checkpoint';
import { loadDebugCore } from '../helpers/core';
import { exampleText } from '../helpers/kernel';

const QUERIES = [{ name: 'by type', sql: 'SELECT type, count(*) FROM events GROUP BY type' }, { name: 'visits', sql: "SELECT node, value FROM shared WHERE object = 'visits'" }];

describe('saved queries in the session', () => {
  it('a link and a checkpoint carry them; a session without them has no queries field', async () => {
    const core = await loadDebugCore();
    const kernel = Kernel.fromText(exampleText('partition-crdt.yaml'), core);
    kernel.run({ events: 500 });
    expect('queries' in kernel.toSession()).toBe(false);
    kernel.savedQueries = QUERIES;
    const link = await encodeSessionLink(kernel.toSession(), 'https://example.test/');
    const session = await decodeSessionLink(link);
    expect(session.queries).toEqual(QUERIES);
    expect(Kernel.fromSession(session, core).savedQueries).toEqual(QUERIES);
    const checkpoint = decodeCheckpoint(encodeCheckpoint(kernel.checkpointData()), 'test');
    expect(Kernel.fromCheckpoint(checkpoint, core).savedQueries).toEqual(QUERIES);
  });

  it('bad queries fields are refused naming the field; good ones pass (fast-check)', () => {
    const base: Session = { format: 1, engine: 'x', spec: 'agentos: 1', seed: 1, interventions: [], cursor: 0 };
    const reject = (queries: unknown, field: RegExp) => expect(() => validateSession({ ...base, queries }, 'link')).toThrow(field);
    reject('SELECT 1', /queries: expected a list/);
    reject([{ name: '', sql: 'SELECT 1' }], /queries\[0\]\.name/);
    reject([{ name: 'a', sql: 'x'.repeat(SAVED_QUERY_SQL_CHARS_MAX + 1) }], /queries\[0\]\.sql/);
    reject([{ name: 'a', sql: 'SELECT 1', run: 'alert(1)' }], /queries\[0\]: expected \{name, sql\}/);
    reject(Array.from({ length: SAVED_QUERIES_MAX + 1 }, (_, index) => ({ name: `q${index}`, sql: '' })), /more than/);
    fc.assert(fc.property(fc.anything(), (queries) => {
      try {
        const session = validateSession({ ...base, queries }, 'link');
        expect(Array.isArray(session.queries) || session.queries === undefined).toBe(true);
      } catch (error) {
        expect(error).toBeInstanceOf(SessionFormatError);
      }
    }), { numRuns: 300, seed: 5 });
  });
});
