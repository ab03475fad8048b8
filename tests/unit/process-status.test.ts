// A kill is a kill: a process the user killed is "killed by the user at event #N" in the Inspector
// and "killed #N" in `ps` and the Processes panel, not "failed" (src/ui/process-status.ts, the
// worker's userKillSeq); one that failed on its own still says failed.
import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { userKillSeq } from '../../src/worker/event-text';
import { processStatusLong, processStatusShort } from '../../src/ui/process-status';
import { formatProcesses } from '../../src/ui/shell/commands';
import { STATUS_NAMES } from '../../src/kernel/state';
import type { ProcessRow } from '../../src/worker/api';

function rowOf(kernel: Awaited<ReturnType<typeof kernelFor>>, pid: number): ProcessRow {
  const { state } = kernel.machine;
  const killedAt = userKillSeq(kernel, pid);
  return {
    pid, agent: kernel.spec.agents[state.procAgent[pid]].name, replica: state.procReplica[pid], node: state.procNode[pid],
    status: STATUS_NAMES[state.procStatus[pid]], nice: 0, cpuTicks: 0, heapBytes: 0, sent: 0, received: 0, restarts: 0, parent: -1,
    ...(killedAt === undefined ? {} : { killedAt }),
  };
}

describe('a killed process', () => {
  it('is killed by the user at its kill event, in ps and the Inspector alike', async () => {
    const kernel = await kernelFor(exampleText('map-reduce.yaml'));
    kernel.run({ events: 500 });
    kernel.intervene({ kind: 'kill', pid: 1 });
    kernel.run({ events: 600 });
    expect(userKillSeq(kernel, 1)).toBe(500);
    const row = rowOf(kernel, 1);
    expect(row.status).toBe('failed');
    expect(processStatusLong(row)).toBe('killed by the user at event #500');
    expect(processStatusShort(row)).toBe('killed #500');
    const ps = formatProcesses([row]);
    expect(ps[1]).toContain('killed #500');
    expect(ps[1]).not.toContain('failed');
    // Others, untouched, are as they are.
    expect(userKillSeq(kernel, 0)).toBeUndefined();
    expect(processStatusLong(rowOf(kernel, 0))).toBe(STATUS_NAMES[kernel.machine.state.procStatus[0]]);
  });

  it('a process that failed on its own still says failed', async () => {
    const leak = await kernelFor(exampleText('memory-leak.yaml'));
    leak.run({ events: 5000 });
    expect(leak.machine.state.procStatus[0]).not.toBe(undefined);
    expect(STATUS_NAMES[leak.machine.state.procStatus[0]]).toBe('failed');
    expect(userKillSeq(leak, 0)).toBeUndefined();
    expect(processStatusShort(rowOf(leak, 0))).toBe('failed');
  });
});
