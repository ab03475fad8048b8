// A failure over the memory limit is worded with the limit in force at it: after healing raised
// the agent's limit (heal/limitRaised), not the spec's; and not the limit at the cursor either,
// since a raise follows the failure that asked for it (kernel/autonomy/limits.ts).
import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { events, pidsOf } from '../helpers/queries';
import { eventText, failedText } from '../../src/worker/event-text';
import { memoryView } from '../../src/worker/views';
import { memoryLimitAt } from '../../src/kernel/autonomy/limits';

// The crash-loop example with an image too large for any raise (300 KiB; the limit doubles from
// 64 KiB to at most 4x): healing raises the limit twice (to 256 KiB) and the resizer still fails over it, until
// its restarts run out.
const text = exampleText('crash-loop.yaml').replace('size: 96KiB', 'size: 300KiB').replace('max: 100', 'max: 12');
const KiB = 1024;

describe('a failure over a memory limit healing raised', () => {
  it('names the limit in force at the failure, in the event rows, the process state and the Memory panel', async () => {
    const kernel = await kernelFor(text);
    kernel.run({ ticks: 400_000 });
    const raised = events(kernel, 'heal/limitRaised');
    expect(raised.map((event) => event.limit)).toEqual([128 * KiB, 256 * KiB]);
    const agent = kernel.spec.agents.findIndex((entry) => entry.name === 'resizer');
    const limitAt = (seq: number) => raised.filter((event) => event.seq < seq).at(-1)?.limit ?? 64 * KiB;
    const overLimit = events(kernel, 'heap/exhausted').filter((event) => event.why === 0);
    // Failures under each of the three limits, each worded with its own.
    expect(new Set(overLimit.map((event) => limitAt(event.seq)))).toEqual(new Set([64 * KiB, 128 * KiB, 256 * KiB]));
    for (const event of overLimit) {
      expect(eventText(kernel, event.seq)).toBe(`allocation of 300 KiB failed: over its memory limit of ${limitAt(event.seq) / KiB} KiB`);
      expect(memoryLimitAt(kernel.machine.journal, kernel.spec, agent, event.seq)).toBe(limitAt(event.seq));
    }
    for (const event of events(kernel, 'process/failed')) {
      expect(eventText(kernel, event.seq)).toMatch(new RegExp(`^failed: over its memory limit of ${limitAt(event.seq) / KiB} KiB( \\(exit code \\d+\\))?$`));
    }
    // A resizer whose restarts ran out stays failed: its state names the limit of its last failure.
    const ended = pidsOf(kernel, 'resizer').filter((pid) => kernel.statusOf(pid) === 'failed');
    expect(ended.length).toBeGreaterThan(0);
    for (const pid of ended) {
      const at = kernel.machine.state.procLastSeq[pid];
      expect(limitAt(at)).toBeGreaterThan(64 * KiB);
      expect(failedText(kernel, pid)).toBe(`failed: over its memory limit of ${limitAt(at) / KiB} KiB (event #${at})`);
    }
    // The Memory panel's last failed allocation, at the end (over 256 KiB) and just after the
    // second raise, where it was refused against 128 KiB though the limit is 256 KiB now.
    const last = memoryView(kernel, 0).lastFailedAlloc!;
    expect(last).toMatchObject({ why: 'limit', limitBytes: 256 * KiB });
    kernel.seek(raised[1].seq + 1);
    expect(memoryView(kernel, 0).lastFailedAlloc).toMatchObject({ why: 'limit', limitBytes: 128 * KiB });
    // Rewound to before the first raise: the spec's limit again.
    kernel.seek(raised[0].seq);
    expect(memoryView(kernel, 0).lastFailedAlloc!.limitBytes).toBe(64 * KiB);
  });
});
