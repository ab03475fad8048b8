// Where a browser sweep's time went, from the pool's timeline (src/ui/lab/sweep.svelte.ts,
// `PoolTimeline`: the page's and each worker's timestamps) and, if given, a light performance
// trace of the sweep (the main thread's and the workers' CPU). Used by experiments-scaling.spec.ts.
import type { PoolTimeline } from '../../src/ui/lab/sweep.svelte';

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; tdur?: number; pid: number; tid: number; args?: { name?: string } }

export interface WorkerSpan {
  /** From the click to its first trial's start (spawn, wasm fetch and compile, prepare). */
  startupMs: number;
  /** Its trials' own time (in the worker, start to end of each). */
  busyMs: number;
  /** Between its trials (from one trial's end to the next one's start: round trip, the page's work). */
  gapsMs: number;
  /** From its last trial's end to the sweep's end (the other worker's tail). */
  tailMs: number;
  trials: number;
}

export interface SweepAnalysis {
  workers: number;
  trials: number;
  /** The click to the last line in. */
  wallMs: number;
  /** The pool's own: from Run handled (Sweep.start) to the last line in (no click, no Playwright). */
  poolMs: number;
  perWorker: WorkerSpan[];
  /** Every trial's own time, added up (in the workers). */
  trialMs: number;
  /** Per line, from the trial's end in the worker to the line's arrival on the page, on average. */
  deliveryMs: number;
  /** Per worker, from the click to its core being loaded (or when it was, if before the click: negative). */
  coreReadyMs: number[];
  /** Per worker, how long loading its core took (fetch and compile of the wasm). */
  coreLoadMs: number[];
  /** From the click to the pool's start (the page handling Run: the click itself, the plan checked, the run saved). */
  toStartMs: number;
  /** From the trace: the page's main-thread CPU during the sweep (Playwright's own tasks left out), and per trial. */
  mainCpuMs?: number;
  /** From the trace: the page's main-thread CPU after the sweep's end (drawing the results). */
  afterCpuMs?: number;
  /** From the trace: the workers' CPU, added up. */
  workerCpuMs?: number;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export function analyzeSweep(timeline: PoolTimeline, clickedAt: number, trace?: string): SweepAnalysis {
  const end = timeline.end;
  const perWorker: WorkerSpan[] = timeline.workers.map((worker) => {
    // A worker kept from an earlier sweep also holds that sweep's trials: only this one's count.
    const own = (worker.own?.trials ?? []).filter(([, start]) => start >= clickedAt).sort((a, b) => a[1] - b[1]);
    let gaps = 0;
    for (let i = 1; i < own.length; i++) gaps += own[i][1] - own[i - 1][2];
    return {
      startupMs: own.length > 0 ? own[0][1] - clickedAt : end - clickedAt,
      busyMs: sum(own.map(([, start, stop]) => stop - start)),
      gapsMs: gaps,
      tailMs: own.length > 0 ? end - own[own.length - 1][2] : 0,
      trials: own.length,
    };
  });
  const ends = new Map<number, number>();
  for (const worker of timeline.workers) for (const [k, start, stop] of worker.own?.trials ?? []) if (start >= clickedAt) ends.set(k, stop);
  const lines = timeline.workers.flatMap((worker) => worker.trials);
  const analysis: SweepAnalysis = {
    workers: timeline.workers.length,
    trials: lines.length,
    wallMs: end - clickedAt,
    poolMs: end - timeline.start,
    perWorker,
    trialMs: sum(perWorker.map((worker) => worker.busyMs)),
    deliveryMs: sum(lines.map(([k, , arrived]) => arrived - (ends.get(k) ?? arrived))) / Math.max(1, lines.length),
    coreReadyMs: timeline.workers.map((worker) => (worker.own?.core ? worker.own.core[1] - clickedAt : NaN)),
    coreLoadMs: timeline.workers.map((worker) => (worker.own?.core ? worker.own.core[1] - worker.own.core[0] : NaN)),
    toStartMs: timeline.start - clickedAt,
  };
  if (trace) {
    const parsed = JSON.parse(trace) as { traceEvents: TraceEvent[] } | TraceEvent[];
    const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
    const named = (name: string) => new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === name).map((e) => `${e.pid}:${e.tid}`));
    const main = named('CrRendererMain'), workers = named('DedicatedWorker thread');
    // The sweep's end in the trace's clock (the pool marks it): the page's CPU up to there is the
    // sweep's; after it, drawing the results.
    const mark = events.find((e) => e.name === 'agentos-sweep-end');
    const endTs = mark ? mark.ts : Infinity, startTs = mark ? mark.ts - (end - clickedAt) * 1000 : -Infinity;
    const during = (e: TraceEvent) => e.ts >= startTs && e.ts <= endTs;
    const cpu = (threads: Set<string>, name: string, when: (e: TraceEvent) => boolean) => sum(events.filter((e) => e.ph === 'X' && e.name === name && threads.has(`${e.pid}:${e.tid}`) && when(e)).map((e) => (e.tdur ?? 0) / 1000));
    // Playwright's own scripts (the click, its polling of the progress text) run on the main
    // thread too: scripts evaluated with no URL are the tool's, not the page's.
    const tool = (e: TraceEvent) => !(e.args as { data?: { url?: string } } | undefined)?.data?.url;
    const mainCpu = (when: (e: TraceEvent) => boolean) => cpu(main, 'RunTask', when) - cpu(main, 'EvaluateScript', (e) => when(e) && tool(e));
    analysis.mainCpuMs = mainCpu(during);
    analysis.afterCpuMs = mainCpu((e) => e.ts > endTs);
    analysis.workerCpuMs = cpu(workers, 'RunTask', () => true);
  }
  return analysis;
}

/** One line: `2 workers: 2.61 s; ideal 1.66 s (64%); w0 startup 310 ms busy 1580 gaps 40 tail 0 · …`. */
export function describeSweep(a: SweepAnalysis, idealMs: number): string {
  const workers = a.perWorker.map((w, i) => `w${i}: ${w.trials} trials, start-up ${w.startupMs.toFixed(0)}, busy ${w.busyMs.toFixed(0)}, gaps ${w.gapsMs.toFixed(0)}, tail ${w.tailMs.toFixed(0)}, idle ${(a.wallMs - w.busyMs).toFixed(0)}`).join('; ');
  const cpu = a.mainCpuMs === undefined ? '' : `; page main-thread CPU ${a.mainCpuMs.toFixed(0)} ms during the sweep (${(a.mainCpuMs / Math.max(1, a.trials)).toFixed(2)} ms/trial) and ${a.afterCpuMs!.toFixed(0)} ms after it, workers' CPU ${a.workerCpuMs!.toFixed(0)} ms`;
  return `${a.workers} worker${a.workers === 1 ? '' : 's'}: ${a.wallMs.toFixed(0)} ms wall, ideal ${idealMs.toFixed(0)} ms (${((idealMs / a.wallMs) * 100).toFixed(0)}%); trials ${a.trialMs.toFixed(0)} ms in all; line delivered ${a.deliveryMs.toFixed(1)} ms after its trial's end; pool started ${a.toStartMs.toFixed(0)} ms after the click; cores ready at ${a.coreReadyMs.map((ms) => ms.toFixed(0)).join(', ')} ms (loaded in ${a.coreLoadMs.map((ms) => ms.toFixed(0)).join(', ')} ms)${cpu} [ms; ${workers}]`;
}
