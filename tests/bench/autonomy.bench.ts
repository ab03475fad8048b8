// The autonomy's cost: events/s on the thousand-agent swarm with every detector watching
// (`autonomy: { heal: off }`: the same run plus the reports) against the plain swarm, alternating
// in one process so a burst of load elsewhere hits both. Detectors are incremental (a bounded
// amount of work per event), so the ratio should not fall with the run's size.
import { readFileSync } from 'node:fs';
import { loadCoreFromDisk } from '../../src/core/node';
import { Kernel } from '../../src/kernel/kernel';
import { median, type BenchSuite } from './harness';
import { EventCode as E } from '../../src/kernel/events';

const SWARM = readFileSync(new URL('../../public/examples/swarm.yaml', import.meta.url), 'utf8');
const WATCHED = `${SWARM.trimEnd()}\nautonomy: { heal: off }\n`;
const EVENTS = 500_000;
const RUNS = 3;

export const benches: BenchSuite[] = [
  {
    name: `Autonomy: the 1,000-agent swarm with every detector on, ${EVENTS.toLocaleString('en')} events (release core)`,
    async run() {
      const core = await loadCoreFromDisk('release');
      const plain: number[] = [], watched: number[] = [];
      let anomalies = 0;
      for (let run = 0; run < RUNS; run++) {
        for (const [text, rates] of [[SWARM, plain], [WATCHED, watched]] as const) {
          const kernel = Kernel.fromText(text, core);
          const start = performance.now();
          kernel.run({ events: EVENTS });
          rates.push((kernel.cursor / (performance.now() - start)) * 1000);
          if (text === WATCHED) {
            const journal = kernel.machine.journal;
            anomalies = 0;
            for (let seq = 0; seq < journal.length; seq++) if (journal.type(seq) === E['anomaly/detected'] || journal.type(seq) === E['anomaly/predicted']) anomalies++;
          }
        }
      }
      const off = median(plain), on = median(watched);
      return [
        { name: 'events/s with autonomy (every detector, heal off)', value: on, unit: 'events/s', peer: 'the same swarm without autonomy (same run)', peerValue: off, ratio: on / off, goal: '>= 0.70x', note: `${anomalies} anomaly events` },
      ];
    },
  },
];
