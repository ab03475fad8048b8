// Kernel throughput and time travel on the thousand-agent swarm example (release core).
// Peers: the goals of design.md, and for seeking, the naive way (re-execute from event 0).
import { readFileSync } from 'node:fs';
import { loadCoreFromDisk } from '../../src/core/node';
import { Kernel } from '../../src/kernel/kernel';
import { median, percentile, type BenchSuite } from './harness';
import { nowMs } from './interleaved';

const SWARM = readFileSync(new URL('../../public/examples/swarm.yaml', import.meta.url), 'utf8');
const EVENTS = 1_000_000;
const SEEKS = 300;
/** Five invariants over the swarm (design.md: five of them may cost at most 30% of the events/s). */
export const SWARM_INVARIANTS = [
  'agents.queen.failed == 0',
  'nodes.n0.runnable <= 1000 && nodes.n1.up',
  'shared.food.n0 >= 0 && shared.food.n3 <= 1000000',
  'procs[0].heapBytes <= 1MiB',
  'tick < 60s || event.type != "process/failed"',
];
const SWARM_CHECKED = `${SWARM.trimEnd()}\ninvariants:\n${SWARM_INVARIANTS.map((always, i) => `  - { name: check-${i}, always: '${always}' }`).join('\n')}\n`;
const NAIVE_SEEKS = 5;

function lcg(seed: number) {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
}

export const benches: BenchSuite[] = [
  {
    name: 'Kernel: the 1,000-agent swarm, 1,000,000 events (release core)',
    async run() {
      const core = await loadCoreFromDisk('release');
      const rates: number[] = [];
      let kernel: Kernel | undefined;
      const checkedRates: number[] = [];
      // Alternating (plain, with invariants, plain, ...): a burst of load elsewhere hits both.
      // BENCH_CLOCK=cpu times them in CPU time (on a loaded machine wall time measures the wait).
      for (let run = 0; run < 3; run++) {
        kernel = Kernel.fromText(SWARM, core);
        let start = nowMs();
        kernel.run({ events: EVENTS });
        rates.push((kernel.cursor / (nowMs() - start)) * 1000);
        const checked = Kernel.fromText(SWARM_CHECKED, core);
        start = nowMs();
        checked.run({ events: EVENTS });
        checkedRates.push((checked.cursor / (nowMs() - start)) * 1000);
      }
      const k = kernel!;
      const eventsPerSecond = median(rates);
      const checkedPerSecond = median(checkedRates);

      const next = lcg(7);
      const seekMs: number[] = [];
      for (let i = 0; i < SEEKS; i++) {
        const target = next() % (k.machine.journal.length + 1);
        const start = performance.now();
        k.seek(target);
        seekMs.push(performance.now() - start);
      }
      const naiveMs: number[] = [];
      for (let i = 0; i < NAIVE_SEEKS; i++) {
        const target = next() % (k.machine.journal.length + 1);
        const start = performance.now();
        const fresh = Kernel.fromText(SWARM, core);
        fresh.run({ events: target });
        naiveMs.push(performance.now() - start);
      }
      const p50 = percentile(seekMs, 50), p99 = percentile(seekMs, 99);
      const snapshotMiB = k.machine.snapshots.bytes / 1048576;
      return [
        { name: 'events simulated per second', value: eventsPerSecond, unit: 'events/s', peer: 'goal', peerValue: 1_000_000, ratio: eventsPerSecond / 1_000_000, goal: '>= 1,000,000 events/s' },
        { name: 'invariants: events/s with 5 invariants', value: checkedPerSecond, unit: 'events/s', peer: 'events simulated per second (same run)', peerValue: eventsPerSecond, ratio: checkedPerSecond / eventsPerSecond, goal: '>= 0.70x', note: SWARM_INVARIANTS.join(' ; ') },
        { name: `seek to a random event, p50 (${SEEKS} seeks)`, value: p50, unit: 'ms', peer: 're-execute from event 0 (median)', peerValue: median(naiveMs), ratio: median(naiveMs) / p50 },
        { name: `seek to a random event, p99 (${SEEKS} seeks)`, value: p99, unit: 'ms', peer: 'goal', peerValue: 16, ratio: 16 / p99, goal: '< 16 ms' },
        { name: 'snapshot memory for the 1,000,000-event session', value: snapshotMiB, unit: 'MiB', peer: 'goal', peerValue: 256, ratio: 256 / snapshotMiB, goal: '< 256 MiB', note: `${k.machine.snapshots.count} snapshots; journal ${(k.machine.journal.bytes / 1048576).toFixed(1)} MiB` },
      ];
    },
  },
];
