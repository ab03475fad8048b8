// Watches added in the UI or the shell travel with the session: in its link and its checkpoint,
// optional (a session without them is unchanged), bounded and checked like any untrusted field.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Kernel } from '../../src/kernel/kernel';
import { SESSION_WATCHES_MAX, validateSession, type Session } from '../../src/kernel/session';
import { decodeSessionLink, encodeSessionLink } from '../../src/share/link';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/persist/checkpoint';
import { createWatchApi } from '../../src/worker/watch-views';
import { loadDebugCore } from '../helpers/core';
import { exampleText } from '../helpers/kernel';

describe('added watches in the session', () => {
  it('a watch added through the worker api is in the link and the checkpoint, and shows again after opening them', async () => {
    const core = await loadDebugCore();
    let kernel = Kernel.fromText(exampleText('partition-crdt.yaml'), core);
    kernel.run({ events: 700 });
    const api = createWatchApi(() => kernel);
    expect('watches' in kernel.toSession()).toBe(false);
    const added = api.addWatch('drift', 'shared.visits.n0 - shared.visits.n1');
    expect(added.ok).toBe(true);
    const valueAt700 = api.watches(0)!.rows.find((row) => row.name === 'drift')!.value;
    expect(valueAt700).not.toBe(0); // inside the partition the replicas drift apart
    expect(kernel.toSession().watches).toEqual([{ name: 'drift', expr: 'shared.visits.n0 - shared.visits.n1' }]);

    const session = await decodeSessionLink(await encodeSessionLink(kernel.toSession(), 'https://example.test/'));
    kernel = Kernel.fromSession(session, core);
    expect(api.watches(0)!.rows.map(({ name, source, value }) => ({ name, source, value }))).toEqual([{ name: 'drift', source: 'session', value: valueAt700 }]);

    const checkpoint = decodeCheckpoint(encodeCheckpoint(kernel.checkpointData()), 'test');
    kernel = Kernel.fromCheckpoint(checkpoint, core);
    expect(api.watches(0)!.rows.map((row) => row.name)).toEqual(['drift']);
    expect(api.removeWatch('drift').ok).toBe(true);
    expect('watches' in kernel.toSession()).toBe(false);
  });

  it('bad watches fields are refused naming the field; anything else never throws anything but a format error (fast-check)', () => {
    const base: Session = { format: 1, engine: 'x', spec: 'agentos: 1', seed: 1, interventions: [], cursor: 0 };
    const reject = (watches: unknown, field: RegExp) => expect(() => validateSession({ ...base, watches }, 'link')).toThrow(field);
    reject('tick', /watches: expected a list/);
    reject([{ name: '1x', expr: 'tick' }], /watches\[0\]\.name/);
    reject([{ name: 'a', expr: '' }], /watches\[0\]\.expr/);
    reject([{ name: 'a', expr: 'tick', run: 'alert(1)' }], /watches\[0\]: expected \{name, expr\}/);
    reject([{ name: 'a', expr: 'tick' }, { name: 'a', expr: 'seq' }], /listed twice/);
    reject(Array.from({ length: SESSION_WATCHES_MAX + 1 }, (_, index) => ({ name: `w${index}`, expr: 'tick' })), /more than/);
    fc.assert(fc.property(fc.anything(), (watches) => {
      try {
        const session = validateSession({ ...base, watches }, 'link');
        expect(Array.isArray(session.watches) || session.watches === undefined).toBe(true);
      } catch (error) {
        expect((error as Error).message).toMatch(/watches/);
      }
    }), { numRuns: 300, seed: 20261206 });
  });
});
