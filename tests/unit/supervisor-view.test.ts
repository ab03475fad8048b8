import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { supervisorRows } from '../../src/worker/supervisor-view';
import { EventCode as E } from '../../src/kernel/events';

describe('supervisor tree view', () => {
  it('lists the supervision example as a tree in start order with the state\'s restart counts', async () => {
    const kernel = await kernelFor(exampleText('supervision.yaml'));
    kernel.run({ events: 2200 }); // past pipeline's first giving up (about event 2188)
    const rows = supervisorRows(kernel);
    const outline = rows.map((row) => `${' '.repeat(row.depth)}${row.kind === 'supervisor' ? row.name : row.kind === 'process' ? row.name : 'more'}`);
    expect(outline).toEqual(['app', ' pipeline', '  mapper[0]', '  mapper[1]', '  reducer[0]', ' logger[0]']);
    const { state } = kernel.machine;
    const journal = kernel.machine.journal;
    let decisions = 0, gaveUp = 0;
    for (let seq = 0; seq < kernel.cursor; seq++) {
      if (journal.type(seq) === E['supervisor/restarting'] && journal.a(seq) === 1) decisions++;
      if (journal.type(seq) === E['supervisor/gaveUp'] && journal.a(seq) === 1) gaveUp++;
    }
    const pipeline = rows[1];
    if (pipeline.kind !== 'supervisor') throw new Error('pipeline is not a supervisor row');
    expect(pipeline.restarts).toBe(decisions);
    expect(pipeline.gaveUp).toBe(gaveUp);
    expect(gaveUp).toBeGreaterThan(0);
    for (const row of rows) if (row.kind === 'process') expect(row.restarts).toBe(state.procRestarts[row.pid]);
  });

  it('is empty without supervisors', async () => {
    expect(supervisorRows(await kernelFor(exampleText('crash-restart.yaml')))).toEqual([]);
  });
});
