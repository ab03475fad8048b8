// "sweep: 2 jobs vs 1": the same experiment swept with --jobs 2 (two child processes) and --jobs 1
// (in process), wall time for the whole sweep, child start-up included. design.md's goal: at least
// 1.7x on two cores. The machine's load average and core count go in the note, since on a shared
// machine the second core may not be free; both runs must write the same lines.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCoreFromDisk } from '../../src/core/node';
import { sweep, type PoolEvent } from '../../src/cli/sweep';
import type { BenchSuite } from './harness';

// The sweep issue 12's "done when" names: fair vs eevdf vs round-robin on the starvation example,
// 10 seeds each (30 trials), each run to a million events so the sweep is worth parallelising (about
// 10 s on one job). A second job costs a fixed ~0.3 s of CPU to start (node, the bundled worker,
// the wasm core) plus a first trial at cold JIT speed, so very short sweeps gain less: a sweep of
// 8 such trials measured 1.3x at load 2.
const SEEDS = 10;
const VARIANTS = ['fair', 'eevdf', 'round-robin'];
const TRIALS = SEEDS * VARIANTS.length;
/** Runs of --jobs 1 and --jobs 2 side by side; the row is the median pair's. */
const PAIRS = 3;
const EVENTS = 1_000_000;
const PLAN = `agentos-experiment: 1
name: sweep bench
spec: priority-starvation.yaml
seeds: ${SEEDS}
stop: { events: ${EVENTS} }
variants:
${VARIANTS.map((name) => `  - { name: ${name}, set: { kernel.scheduler: ${name}, agents.pool.args.work: 500us..1500us } }`).join('\n')}
metrics:
  jobs: agents.pool.received
`;

/**
 * CPU seconds this process and its reaped children have used (Linux /proc/self/stat: utime,
 * stime, cutime, cstime, in clock ticks of 1/100 s), or null elsewhere.
 */
function cpuSeconds(): { own: number; children: number } | null {
  if (!existsSync('/proc/self/stat')) return null;
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return { own: (Number(fields[11]) + Number(fields[12])) / 100, children: (Number(fields[13]) + Number(fields[14])) / 100 };
}

/** Linux's autogroup scheduling: a session's processes share one CPU share on a busy machine. */
function autogroup(): string {
  try {
    return readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1' ? 'autogroup scheduling on (one session shares one CPU share when the machine is saturated)' : 'autogroup off';
  } catch {
    return 'autogroup unknown';
  }
}

/**
 * This machine's ceiling for two-way parallel work: the plan's two shards, each in a process of
 * its own that has already started (so no start-up is counted), released together, against both
 * shards one after the other in one of those processes. No scheduling of ours is involved, so a
 * sweep cannot beat this ratio here; a VM whose two vCPUs share a physical core's caches and
 * memory bandwidth stays under 2x on it.
 */
async function ceiling(planPath: string, dir: string): Promise<{ alone: number; together: number }> {
  const start = (index: number, count: number, name: string) => {
    const child = spawn(process.execPath, ['--import', 'tsx', new URL('./sweep-shard-process.ts', import.meta.url).pathname, planPath, String(index), String(count), join(dir, name)],
      { stdio: ['pipe', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.setEncoding('utf8');
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => { text += chunk; if (text.startsWith('ready\n')) resolve(); });
      child.once('exit', (code) => reject(new Error(`sweep bench: a shard process exited (${code}) before it was ready`)));
    });
    const done = new Promise<{ start: number; end: number }>((resolve, reject) => {
      child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(text.split('\n')[1])) : reject(new Error(`sweep bench: a shard process failed (${code})`))));
    });
    return { ready, done, go: () => child.stdin.end('go\n') };
  };
  // alone: one process sweeps the whole plan (shard 0/1)
  const one = start(0, 1, 'alone.jsonl');
  await one.ready;
  one.go();
  const alone = await one.done;
  // together: two processes, one shard each, released at once
  const shards = [start(0, 2, 'half0.jsonl'), start(1, 2, 'half1.jsonl')];
  await Promise.all(shards.map((shard) => shard.ready));
  for (const shard of shards) shard.go();
  const halves = await Promise.all(shards.map((shard) => shard.done));
  const together = Math.max(...halves.map((half) => half.end)) - Math.min(...halves.map((half) => half.start));
  const lines = (name: string) => readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean);
  if ([...lines('half0.jsonl'), ...lines('half1.jsonl')].sort().join('\n') !== lines('alone.jsonl').sort().join('\n')) {
    throw new Error('sweep bench: the two shards did not write the lines of the whole sweep');
  }
  return { alone: (alone.end - alone.start) / 1000, together: together / 1000 };
}

export const benches: BenchSuite[] = [
  {
    name: `Experiments: a sweep of ${TRIALS} trials of ${EVENTS.toLocaleString('en')} events (priority-starvation)`,
    async run() {
      const dir = mkdtempSync(join(tmpdir(), 'agentos-sweep-bench-'));
      copyFileSync(new URL('../../public/examples/priority-starvation.yaml', import.meta.url), join(dir, 'priority-starvation.yaml'));
      const planPath = join(dir, 'plan.yaml');
      writeFileSync(planPath, PLAN);
      const timed = async (jobs: number) => {
        const out = join(dir, `jobs${jobs}.jsonl`);
        const events: PoolEvent[] = [];
        const start = performance.now();
        const cpuStart = cpuSeconds();
        await sweep({ planPath, jobs, out, quiet: true, onPool: (event) => events.push(event) }, () => loadCoreFromDisk('release'));
        const cpuEnd = cpuSeconds();
        const cpu = cpuStart === null || cpuEnd === null ? null : { own: cpuEnd.own - cpuStart.own, children: cpuEnd.children - cpuStart.children };
        return { seconds: (performance.now() - start) / 1000, cpu, text: readFileSync(out, 'utf8'), events };
      };
      // Alternating 1, 2, 1, 2, 1, 2, and the median of the three pairs' ratios: this VM's speed
      // drifts by a third over minutes (a trial took 290 ms, then 450 ms, at the same load), so the
      // faster of each kind (what this row took before) could pair a fast phase with a slow one
      // (1.36x at a ceiling of 1.90x); two runs side by side see the same phase.
      const loadBefore = loadavg()[0];
      const runs: Awaited<ReturnType<typeof timed>>[] = [];
      for (let pair = 0; pair < PAIRS; pair++) runs.push(await timed(1), await timed(2));
      const loadAfter = loadavg()[0];
      if (runs.some((run) => run.text !== runs[0].text)) throw new Error('sweep bench: the runs wrote different lines');
      const pairs = Array.from({ length: PAIRS }, (_, pair) => ({ one: runs[2 * pair], two: runs[2 * pair + 1], ratio: runs[2 * pair].seconds / runs[2 * pair + 1].seconds }));
      const { one, two, ratio } = [...pairs].sort((a, b) => a.ratio - b.ratio)[PAIRS >> 1];
      // On a loaded machine wall time measures the wait; each job's CPU time does not: with a core
      // each, --jobs 2 would take as long as its busier process (the child's start-up included).
      const total = (cpu: { own: number; children: number } | null) => (cpu ? cpu.own + cpu.children : NaN);
      const idle = one.cpu && two.cpu ? total(one.cpu) / Math.max(two.cpu.own, two.cpu.children) : NaN;
      // Where the 2-job run's time went: when the child could take a trial, how far apart the two
      // jobs finished (the tail), how many trials a job took back from the child at the end.
      const ready = two.events.find((event) => 'ready' in event)?.at;
      const ends = [0, 1].map((job) => Math.max(...two.events.filter((event) => event.job === job && 'done' in event).map((event) => event.at)));
      const pool = `the child ready at ${ready === undefined ? '?' : (ready / 1000).toFixed(2)} s, ran ${two.events.filter((event) => event.job === 1 && 'done' in event).length} trials, the jobs finished ${(Math.abs(ends[0] - ends[1]) / 1000).toFixed(2)} s apart, ${two.events.filter((event) => 'taken' in event).length} trial(s) taken back`;
      const machine = await ceiling(planPath, dir);
      const loadCeiling = loadavg()[0];
      return [{
        name: 'sweep: 2 jobs vs 1',
        value: TRIALS / two.seconds,
        unit: 'trials/s',
        peer: '--jobs 1 (same plan, same run)',
        peerValue: TRIALS / one.seconds,
        ratio,
        goal: '>= 1.7x on two cores',
        note: `${two.seconds.toFixed(1)} s vs ${one.seconds.toFixed(1)} s wall (the median of ${PAIRS} pairs run side by side, alternated; the pairs: ${pairs.map((pair) => `${pair.ratio.toFixed(2)}x`).join(', ')}), child start-up included; CPU ${total(two.cpu).toFixed(1)} s (this process ${two.cpu?.own.toFixed(1) ?? '?'} s, the child ${two.cpu?.children.toFixed(1) ?? '?'} s) vs ${total(one.cpu).toFixed(1)} s, so about ${idle.toFixed(2)}x with a free core each; ${availableParallelism()} cores, load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after; ${autogroup()}; lines identical; ${pool}; this machine's own ceiling for the same work (next row): ${(machine.alone / machine.together).toFixed(2)}x`,
      }, {
        name: "sweep: this machine's ceiling, 2 independent processes vs 1",
        value: TRIALS / machine.together,
        unit: 'trials/s',
        peer: 'the same trials in one process (same run)',
        peerValue: TRIALS / machine.alone,
        ratio: machine.alone / machine.together,
        goal: 'context for the row above: no sweep can beat it here',
        note: `the plan's two shards, each in a process of its own already started, released together: ${machine.together.toFixed(1)} s vs ${machine.alone.toFixed(1)} s for both in one process; start-up not counted; load average ${loadCeiling.toFixed(1)} after; sweep: 2 jobs vs 1 reaches ${(ratio / (machine.alone / machine.together) * 100).toFixed(0)}% of it`,
      }];
    },
  },
];
