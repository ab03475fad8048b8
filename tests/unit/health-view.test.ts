// The Health panel's view (src/worker/health-views.ts): rows (and their words) for the newest
// HEALTH_ROWS_MAX of each list only, the totals counting all; the leak signal against the limit
// in force, raised by healing (heal/limitRaised).
import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { healthView, HEALTH_ROWS_MAX } from '../../src/worker/health-views';
import { autonomyReport } from '../../src/kernel/autonomy/report';

describe('health view', () => {
  it('keeps the newest rows of each list, in words the same as the report\'s, and counts them all', async () => {
    const kernel = await kernelFor(exampleText('self-healing.yaml'));
    kernel.run({ events: 400_000 });
    const view = healthView(kernel)!;
    const report = autonomyReport({ spec: kernel.spec, journal: kernel.machine.journal, state: kernel.machine.state, boot: kernel.ctx.boot }, kernel.cursor, Number.MAX_SAFE_INTEGER);
    const actions = report.rows.filter((row) => row.kind.startsWith('heal/') || row.kind === 'tune/switched');
    expect(actions.length).toBeGreaterThan(HEALTH_ROWS_MAX); // long enough that the list is cut
    expect(view.totals.actions).toBe(actions.length);
    expect(view.actions).toEqual(actions.slice(-HEALTH_ROWS_MAX));
    const anomalies = report.rows.filter((row) => row.kind === 'anomaly/detected');
    expect(view.totals.anomalies).toBe(anomalies.length);
    expect(view.anomalies).toEqual(anomalies.slice(-HEALTH_ROWS_MAX));
    const predictions = report.rows.filter((row) => row.kind === 'anomaly/predicted');
    expect(view.totals.predictions).toBe(predictions.length);
    expect(view.predictions.map((row) => row.seq)).toEqual(predictions.slice(-HEALTH_ROWS_MAX).map((row) => row.seq));
    expect(view.detectors.find((d) => d.name === 'leak')!.findings).toBe(report.rows.filter((row) => row.detector === 'leak' && row.kind.startsWith('anomaly/')).length);
  }, 120_000);

  it('the leak signal is a share of the limit in force: after healing raised it, a 96 KiB buffer is 75% of 128 KiB, not 150% of 64', async () => {
    const kernel = await kernelFor(exampleText('crash-loop.yaml'));
    kernel.run({ ticks: 300_000 });
    const view = healthView(kernel)!;
    expect(view.actions.map((row) => row.kind)).toEqual(['heal/limitRaised']);
    const raisedAt = view.actions[0].tick;
    const leak = view.signals.find((signal) => signal.detector === 'leak')!;
    const after = leak.percent.slice(Math.ceil(raisedAt / view.bucketTicks) + 1);
    expect(Math.max(...after)).toBe(75);
  }, 60_000);

  it('a spec without autonomy: but with failover and readiness lists what they decided, and nothing else', async () => {
    const kernel = await kernelFor(exampleText('failover.yaml'));
    kernel.run({ ticks: 150_000 });
    const view = healthView(kernel)!;
    expect(view).toBeDefined();
    expect(view).toMatchObject({ mode: 'none', failover: true, readiness: true, detectors: [], signals: [], predictions: [], anomalies: [] });
    const kinds = new Set(view.actions.map((row) => row.kind));
    expect(kinds).toContain('process/migrated');
    expect(kinds).toContain('probe/ready');
    expect(view.totals.actions).toBe(view.actions.length);
    expect(view.actions.find((row) => row.kind === 'process/migrated')!.text).toMatch(/^trainer\[0\]: failed over from n1 \(crashed\) to n2/);
    // A spec with none of them has no Health view.
    const plain = await kernelFor(exampleText('priority-starvation.yaml'));
    plain.run({ events: 1000 });
    expect(healthView(plain)).toBeUndefined();
  }, 60_000);
});
