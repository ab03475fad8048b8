// Each detector fires when it should and not when it should not, on the examples and on generated
// programs; the classifier's hysteresis never lets it oscillate.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exampleText, kernelFor } from '../helpers/kernel';
import { events, pidsOf } from '../helpers/queries';
import { eventText } from '../../src/worker/event-text';
import { AnomalyKind, kindOf, subjectOf } from '../../src/kernel/autonomy/codes';
import { classify, hysteresis, TUNE_COOLDOWN_WINDOWS, TUNE_HOLD_WINDOWS, type TuneState } from '../../src/kernel/autonomy/watch';
import type { Kernel } from '../../src/kernel/kernel';
import { parseSpec } from '../../src/spec';

const anomalies = (kernel: Kernel, kind: number) => events(kernel, 'anomaly/detected').filter((event) => kindOf(event.anomaly) === kind);

describe('leak', () => {
  it('fires for the leaking cache, never for the service that frees what it allocates', async () => {
    const kernel = await kernelFor(`${exampleText('memory-leak.yaml')}\nautonomy: { heal: off }\n`);
    kernel.run({ ticks: 60_000 });
    const [cache] = pidsOf(kernel, 'cache');
    const found = anomalies(kernel, AnomalyKind.leak);
    expect(found.map((event) => event.pid)).toEqual([cache]);
    expect(found[0].value).toBeGreaterThan(0); // the growth seen ...
    expect(found[0].threshold).toBeGreaterThanOrEqual(found[0].value); // ... of what it allocated
  });

  it('generated programs: one that frees each block never leaks; the same that rebinds without freeing does', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 900 }), fc.integer({ min: 1, max: 900 }),
      async (kib, computeUs, sleepUs) => {
        const program = (free: boolean) => `agentos: 1
autonomy: { heal: off, detect: [leak] }
agents:
  a:
    memory: 64MiB
    program:
      - repeat: forever
        do:
          - alloc: { size: ${kib}KiB, as: buf }
          - compute: ${computeUs}us
${free ? '          - free: buf\n' : ''}          - sleep: ${sleepUs}us
`;
        const balanced = await kernelFor(program(true));
        balanced.run({ ticks: 60_000 });
        expect(anomalies(balanced, AnomalyKind.leak)).toHaveLength(0);
        const leaking = await kernelFor(program(false));
        leaking.run({ ticks: 60_000 });
        expect(anomalies(leaking, AnomalyKind.leak)).toHaveLength(1);
      },
    ), { numRuns: 8, seed: 13 });
  });
});

describe('hog', () => {
  const spec = (scheduler: string, hogPriority: number) => `agentos: 1
kernel: { scheduler: ${scheduler} }
autonomy: { detect: [hog] }
agents:
  hog: { priority: ${hogPriority}, program: [{ repeat: forever, do: [{ compute: 5ms }] }] }
  victim: { program: [{ repeat: forever, do: [{ compute: 1ms }] }] }
`;
  it('fires for a process holding the CPU while another waits, and heals by lowering its priority', async () => {
    const kernel = await kernelFor(spec('priority', -20));
    kernel.run({ ticks: 100_000 });
    const [hog] = pidsOf(kernel, 'hog');
    const found = anomalies(kernel, AnomalyKind.hog);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((event) => event.pid === hog)).toBe(true);
    expect(found[0].value * 10).toBeGreaterThanOrEqual(found[0].threshold * 9);
    const reniced = events(kernel, 'heal/reniced');
    expect(reniced[0]).toMatchObject({ pid: hog, nice: -15, cause: found[0].seq });
    expect(eventText(kernel, reniced[0].seq)).toMatch(/^healed: set hog\[0\]'s nice to -15 because it used \d+% of n0's CPU over [\d.]+ ms while others waited/);
  });

  it('does not fire when two processes share the CPU fairly', async () => {
    const kernel = await kernelFor(spec('fair', 0));
    kernel.run({ ticks: 100_000 });
    expect(anomalies(kernel, AnomalyKind.hog)).toHaveLength(0);
  });
});

describe('starvation', () => {
  it('fires for the priority-5 auditor under the priority scheduler and heals by switching the node to fair', async () => {
    const kernel = await kernelFor(`${exampleText('priority-starvation.yaml')}\nautonomy: { detect: [starvation], starvation: 20ms }\n`);
    kernel.run({ ticks: 300_000 });
    const [auditor] = pidsOf(kernel, 'auditor');
    const found = anomalies(kernel, AnomalyKind.starvation);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0].pid).toBe(auditor);
    expect(found[0].value).toBeGreaterThan(found[0].threshold);
    const switched = events(kernel, 'heal/policySwitched');
    expect(switched).toHaveLength(1);
    expect(eventText(kernel, switched[0].seq)).toMatch(/^healed: switched n0 to fair \(quantum 500 µs\) because auditor\[0\] waited [\d.]+ ms runnable since it last blocked, with under a quarter of an equal share of n0's CPU \(starvation past 20 ms\)/);
  });

  it('at the default 50ms bound too: aging lets the auditor run a slice now and then, and it still starves (1% of the CPU)', async () => {
    // Regression: the detector used to reset its clock at every slice, so a process that priority
    // aging runs once per ~40ms was never starving, at 1% of the CPU.
    const kernel = await kernelFor(`${exampleText('priority-starvation.yaml')}\nautonomy: { detect: [starvation] }\n`);
    kernel.run({ ticks: 200_000 });
    const [auditor] = pidsOf(kernel, 'auditor');
    const found = anomalies(kernel, AnomalyKind.starvation);
    expect(found.map((event) => event.pid)).toEqual([auditor]);
    expect(found[0].value).toBeGreaterThan(50_000);
    expect(events(kernel, 'heal/policySwitched')).toHaveLength(1);
  });

  it('does not fire under fair scheduling', async () => {
    const kernel = await kernelFor(`${exampleText('priority-starvation.yaml').replace('scheduler: priority', 'scheduler: fair')}\nautonomy: { detect: [starvation], starvation: 20ms }\n`);
    kernel.run({ ticks: 300_000 });
    expect(anomalies(kernel, AnomalyKind.starvation)).toHaveLength(0);
  });
});

describe('congestion', () => {
  it('fires for the swamped plain channel, not for the rate-limited one that stays short', async () => {
    const kernel = await kernelFor(`${exampleText('rate-limited-flood.yaml')}\nautonomy: { heal: off, detect: [congestion] }\n`);
    kernel.run({ ticks: 100_000 });
    const found = anomalies(kernel, AnomalyKind.congestion);
    expect(found.length).toBe(1);
    expect(subjectOf(found[0].anomaly)).toBe(1);
    expect(found[0].value * 10).toBeGreaterThanOrEqual(found[0].threshold * 9);
  });

  it('heals by adding a consumer (within the bound), then raising the capacity', async () => {
    const kernel = await kernelFor(`${exampleText('rate-limited-flood.yaml')}\nautonomy: { detect: [congestion], replicas: 1 }\n`);
    kernel.run({ ticks: 200_000 });
    const scaled = events(kernel, 'heal/scaled');
    expect(scaled).toHaveLength(1);
    expect(pidsOf(kernel, 'swamped')).toHaveLength(2);
    expect(events(kernel, 'heal/capacityRaised').every((event) => event.capacity <= 4 * 256)).toBe(true);
  });
});

describe('crash loop', () => {
  it('fires for the flaky worker that keeps restarting, never for the fragile one that stays down', async () => {
    const kernel = await kernelFor(`${exampleText('crash-restart.yaml')}\nautonomy: { heal: off, detect: [crash-loop] }\n`);
    kernel.run({ events: 100_000 });
    const [flaky] = pidsOf(kernel, 'flaky');
    const found = anomalies(kernel, AnomalyKind.crashLoop);
    expect(found.map((event) => event.pid)).toEqual([flaky]);
    expect(found[0].value).toBe(3);
    expect(found[0].threshold).toBeLessThanOrEqual(100_000);
    // Its failures are injected, not over its memory limit: healing has nothing to raise.
    expect(events(kernel, 'heal/limitRaised')).toHaveLength(0);
  });

  it('a loop of failures over the memory limit: healing doubles the agent\'s limit (within memory: and the node\'s heap), and the failures stop', async () => {
    const text = exampleText('crash-loop.yaml');
    const on = await kernelFor(text);
    on.run({ ticks: 300_000 });
    const [resizer] = pidsOf(on, 'resizer');
    const raised = events(on, 'heal/limitRaised');
    expect(raised).toHaveLength(1);
    expect(raised[0].pid).toBe(resizer);
    expect(raised[0].limit).toBe(128 * 1024);
    expect(eventText(on, raised[0].seq)).toMatch(/^healed: raised resizer's memory limit to 128 KiB \(its last failure was over the limit\) because resizer\[0\] restarted 3 times in [\d.]+ ms \(a crash loop: 3 within 100 ms\)$/);
    const failedAfter = events(on, 'process/failed').filter((event) => event.seq > raised[0].seq);
    expect(failedAfter).toHaveLength(0);
    const off = await kernelFor(text.replace('heal: on', 'heal: off'));
    off.run({ ticks: 300_000 });
    expect(events(off, 'heal/limitRaised')).toHaveLength(0);
    expect(events(off, 'process/failed').length).toBeGreaterThan(10 * events(on, 'process/failed').length);
    // The bound: memory: 1 never raises; memory: 16 stops at the node's heap (1MiB).
    const never = await kernelFor(text.replace('heal: on', 'heal: on\n  memory: 1'));
    never.run({ ticks: 100_000 });
    expect(events(never, 'heal/limitRaised')).toHaveLength(0);
    const huge = await kernelFor(text.replace('heal: on', 'heal: on\n  memory: 16').replace('memory: 64KiB', 'memory: 768KiB').replace('size: 96KiB', 'size: 900KiB'));
    huge.run({ ticks: 300_000 });
    expect(events(huge, 'heal/limitRaised').map((event) => event.limit)).toEqual([1024 * 1024]);
  });
});

describe('detectors are off unless listed', () => {
  it('detect: none reports nothing', async () => {
    const kernel = await kernelFor(`${exampleText('memory-leak.yaml')}\nautonomy: { detect: none }\n`);
    kernel.run({ ticks: 100_000 });
    expect(events(kernel, 'anomaly/detected')).toHaveLength(0);
    expect(events(kernel, 'heap/exhausted')).toHaveLength(1);
  });

  it('bad autonomy keys are errors with line:column', () => {
    const result = parseSpec('agentos: 1\nautonomy: { detect: [leak, leek], heal: maybe }\nagents:\n  a: { program: idle }\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => `${error.path} ${error.message} ${error.line}:${error.column}`)).toEqual([
      'autonomy.detect[1] expected one of leak, hog, starvation, congestion, crash-loop, deadlock (did you mean "leak"?) 2:28',
      'autonomy.heal expected on or off 2:41',
    ]);
  });
});

describe('the workload classifier', () => {
  it('classify: cpu-bound, io-bound, interactive, or mixed', () => {
    expect(classify(95, 100, 0, 2, 9_500, 1000)).toBe(0);
    expect(classify(20, 10, 10, 0, 2_000, 1000)).toBe(1);
    expect(classify(10, 20, 0, 20, 1_000, 1000)).toBe(2);
    expect(classify(0, 0, 0, 0, 0, 1000)).toBe(-1);
  });

  const start: TuneState = { current: -1, candidate: -1, streak: 0, quiet: 0 };
  it('hysteresis: switches only after the same class held its windows, never closer than the cooldown, never on flip-flops', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -1, max: 2 }), { maxLength: 300 }), (classes) => {
      let state = start, lastSwitch = -Infinity;
      classes.forEach((found, window) => {
        const next = hysteresis(state, found);
        if (next.switched) {
          expect(window - lastSwitch).toBeGreaterThanOrEqual(TUNE_COOLDOWN_WINDOWS);
          expect(classes.slice(window - TUNE_HOLD_WINDOWS + 1, window + 1)).toEqual(Array(TUNE_HOLD_WINDOWS).fill(found));
          expect(next.current).toBe(found);
          lastSwitch = window;
        } else {
          expect(next.current).toBe(state.current);
        }
        state = next;
      });
    }), { seed: 13, numRuns: 300 });
    // Alternating classes never switch, however long.
    let state = start;
    for (let window = 0; window < 1000; window++) {
      const next = hysteresis(state, window % 2);
      expect(next.switched).toBe(false);
      state = next;
    }
  });

  it('in the kernel: a workload that flips between cpu and io every window is never retuned; a steady cpu-bound one once', async () => {
    const flipping = await kernelFor(`agentos: 1
autonomy: { tune: on, detect: none }
agents:
  a: { program: [{ repeat: forever, do: [{ compute: 10ms }, { io: 10ms }] }] }
`);
    flipping.run({ ticks: 500_000 });
    expect(events(flipping, 'tune/switched')).toHaveLength(0);
    const steady = await kernelFor(`agentos: 1
autonomy: { tune: on, detect: none }
agents:
  a: { program: [{ repeat: forever, do: [{ compute: 300us }] }] }
  b: { program: [{ repeat: forever, do: [{ compute: 300us }] }] }
`);
    steady.run({ ticks: 500_000 });
    const switched = events(steady, 'tune/switched');
    expect(switched).toHaveLength(1);
    expect(switched[0]).toMatchObject({ class: 0, quantum: 4000 });
    expect(eventText(steady, switched[0].seq)).toMatch(/^tuned: switched n0 to fair, quantum 4 ms because its workload has been cpu-bound \(busy \d+%, 0% io\)$/);
  });
});
