// Where a long task's time goes, from a Chromium performance trace (the one DevTools records):
// for every main-thread task over 50 ms, its own time by trace event (script, style, layout, paint,
// GC) and by JS function (from the V8 sampling profiler in the same trace). Used by long-tasks.ts
// when TRACE_LONG_TASKS is set; also runnable on a saved trace: `npx tsx tests/e2e/trace-long-tasks.ts trace.json [ms] [cpu]`.
import { readFileSync } from 'node:fs';

interface TraceEvent {
  name: string; ph: string; ts: number; dur?: number; tdur?: number; pid: number; tid: number; id?: string;
  args?: { name?: string; data?: Record<string, unknown> };
}
interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; parent?: number }

/** The categories to record: the timeline DevTools shows, with JS samples. */
export const TRACE_CATEGORIES = [
  'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing',
  'disabled-by-default-v8.cpu_profiler', 'v8', 'blink',
];

const top = (totals: Map<string, number>, count: number) =>
  [...totals].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, us]) => `${(us / 1000).toFixed(1).padStart(6)} ms  ${name}`);

const frameName = (frame: CallFrame) => {
  const file = (frame.url ?? '').replace(/^.*\//, '');
  return `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
};

/** A report of every main-thread task over `thresholdMs` in a trace. */
export function analyzeTrace(traceText: string, thresholdMs = 50, by: 'wall' | 'cpu' = 'wall'): string {
  const parsed = JSON.parse(traceText) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mainThreads = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const onMain = (e: TraceEvent) => mainThreads.has(`${e.pid}:${e.tid}`);

  // JS samples: [time, stack leaf node] on main threads, with each profile's nodes.
  const samples: { ts: number; thread: string; stack: string[] }[] = [];
  const profiles = new Map<string, { thread: string; startTime: number; nodes: Map<number, ProfileNode>; last: number }>();
  for (const e of events) {
    if (e.name === 'Profile' && e.id) profiles.set(`${e.pid}:${e.id}`, { thread: `${e.pid}:${e.tid}`, startTime: Number(e.args?.data?.startTime ?? e.ts), nodes: new Map(), last: Number(e.args?.data?.startTime ?? e.ts) });
  }
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || !e.id) continue;
    const profile = profiles.get(`${e.pid}:${e.id}`);
    if (!profile) continue;
    const data = e.args?.data as { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] } | undefined;
    for (const node of data?.cpuProfile?.nodes ?? []) profile.nodes.set(node.id, node);
    const ids = data?.cpuProfile?.samples ?? [];
    const deltas = data?.timeDeltas ?? [];
    for (let i = 0; i < ids.length; i++) {
      profile.last += deltas[i] ?? 0;
      const stack: string[] = [];
      for (let node = profile.nodes.get(ids[i]); node && stack.length < 200; node = node.parent === undefined ? undefined : profile.nodes.get(node.parent)) stack.push(frameName(node.callFrame));
      samples.push({ ts: profile.last, thread: profile.thread, stack });
    }
  }
  samples.sort((a, b) => a.ts - b.ts);

  const tasks = events.filter((e) => e.ph === 'X' && e.name === 'RunTask' && onMain(e) && ((by === 'cpu' ? e.tdur : e.dur) ?? 0) > thresholdMs * 1000).sort((a, b) => a.ts - b.ts);
  const all = events.filter((e) => e.ph === 'X' && e.name === 'RunTask' && onMain(e));
  const cpuMs = all.reduce((sum, e) => sum + (e.tdur ?? 0), 0) / 1000, wallMs = all.reduce((sum, e) => sum + (e.dur ?? 0), 0) / 1000;
  const lines: string[] = [`${tasks.length} main-thread task(s) over ${thresholdMs} ms${by === 'cpu' ? ' of thread CPU time' : ''}; all ${all.length} tasks: ${wallMs.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms thread CPU time`];
  for (const task of tasks) {
    const end = task.ts + task.dur!;
    const inside = events.filter((e) => e.ph === 'X' && e.pid === task.pid && e.tid === task.tid && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end && e !== task)
      .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    // Self time per event name: its duration less its direct children's.
    const self = new Map<string, number>();
    const open: TraceEvent[] = [];
    const label = (e: TraceEvent) => {
      const data = e.args?.data as { functionName?: string; url?: string; type?: string } | undefined;
      if (e.name === 'FunctionCall' && data) return `FunctionCall ${data.functionName || ''} ${String(data.url ?? '').replace(/^.*\//, '')}`;
      if (e.name === 'EventDispatch' && data?.type) return `EventDispatch ${data.type}`;
      return e.name;
    };
    const selfOf = new Map<TraceEvent, number>();
    for (const e of inside) {
      while (open.length && open[open.length - 1].ts + (open[open.length - 1].dur ?? 0) <= e.ts) open.pop();
      const parent = open[open.length - 1];
      if (parent) selfOf.set(parent, (selfOf.get(parent) ?? (parent.dur ?? 0)) - (e.dur ?? 0));
      open.push(e);
      if (!selfOf.has(e)) selfOf.set(e, e.dur ?? 0);
    }
    for (const [e, us] of selfOf) self.set(label(e), (self.get(label(e)) ?? 0) + us);
    const selfJs = new Map<string, number>();
    const inclusiveJs = new Map<string, number>();
    const thread = `${task.pid}:${task.tid}`;
    const within = samples.filter((s) => s.thread === thread && s.ts >= task.ts && s.ts <= end);
    for (let i = 0; i < within.length; i++) {
      const us = i + 1 < within.length ? within[i + 1].ts - within[i].ts : 0;
      const [leaf] = within[i].stack;
      if (leaf) selfJs.set(leaf, (selfJs.get(leaf) ?? 0) + us);
      for (const frame of new Set(within[i].stack)) inclusiveJs.set(frame, (inclusiveJs.get(frame) ?? 0) + us);
    }
    // Playwright's own work in the page (its trace recorder's DOM snapshots, its selector engine)
    // runs on the page's main thread too and is counted by the Long Tasks API: named, not detailed.
    const tool = [...inclusiveJs].filter(([frame]) => /^(captureSnapshot|querySelectorAll|_queryCSS|evaluate) :/.test(frame)).reduce((sum, [, us]) => Math.max(sum, us), 0);
    if (tool > task.dur! / 2) {
      lines.push(`\n== task ${(task.dur! / 1000).toFixed(1)} ms at ${(task.ts / 1000).toFixed(0)} ms: Playwright's own work in the page (${(tool / 1000).toFixed(1)} ms)`);
      continue;
    }
    // Wall time (what the Long Tasks API reports) and the main thread's own CPU time in it: on a
    // loaded machine the difference is time the thread was waiting to be scheduled.
    lines.push(`\n== task ${(task.dur! / 1000).toFixed(1)} ms at ${(task.ts / 1000).toFixed(0)} ms (thread CPU time ${((task.tdur ?? 0) / 1000).toFixed(1)} ms)`);
    lines.push('  trace events, self time:', ...top(self, 12).map((l) => `    ${l}`));
    if (samples.length === 0) continue; // a trace without JS sampling (the e2e budget's light one)
    lines.push('  JS functions, self time:', ...top(selfJs, 15).map((l) => `    ${l}`));
    lines.push('  JS functions, inclusive:', ...top(inclusiveJs, 25).map((l) => `    ${l}`));
  }
  return lines.join('\n');
}

/**
 * The thread CPU time (ms) of every task on the page's main thread in a trace, in order; `tool`:
 * a task that is a script evaluated over the DevTools protocol (Playwright's: an EvaluateScript
 * with no script URL; the page's own scripts are modules, or classic scripts with their URL),
 * most of its CPU time inside that script.
 */
export function mainThreadCpu(traceText: string): { ms: number; tool: boolean }[] {
  const parsed = JSON.parse(traceText) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const onMain = events.filter((e) => e.ph === 'X' && main.has(`${e.pid}:${e.tid}`)).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const tasks: { ms: number; tool: boolean }[] = [];
  for (let i = 0; i < onMain.length; i++) {
    const task = onMain[i];
    if (task.name !== 'RunTask') continue;
    const end = task.ts + (task.dur ?? 0);
    let evaluated = 0, inside = -1;
    for (let j = i + 1; j < onMain.length && onMain[j].ts <= end; j++) {
      const e = onMain[j];
      if (e.name !== 'EvaluateScript' || e.args?.data?.url || e.pid !== task.pid || e.tid !== task.tid || e.ts < inside) continue;
      evaluated += e.tdur ?? 0;
      inside = e.ts + (e.dur ?? 0);
    }
    tasks.push({ ms: (task.tdur ?? 0) / 1000, tool: evaluated > (task.tdur ?? 0) / 2 });
  }
  return tasks;
}

if (process.argv[1]?.endsWith('trace-long-tasks.ts') && process.argv[2]) {
    // A third argument `cpu` picks tasks by the main thread's CPU time (on a loaded machine, wall time is mostly waiting).
  console.log(analyzeTrace(readFileSync(process.argv[2], 'utf8'), Number(process.argv[3] ?? 50), process.argv[4] === 'cpu' ? 'cpu' : 'wall'));
}
