// The e2e main-thread budget (tests/e2e/long-tasks.ts) judges each task of the page by its CPU time
// in a Chromium trace; a task that is mostly a script Playwright evaluated over the DevTools
// protocol (an EvaluateScript with no script URL: its selector engine, expect's polling, its trace
// recorder's DOM snapshots) is the tool's, listed apart. Every other task is the page's, however
// it starts (a timer, a message, a frame, a classic script with its URL).
import { describe, expect, it } from 'vitest';
import { analyzeTrace, mainThreadCpu } from '../e2e/trace-long-tasks';

const MAIN = { pid: 1, tid: 10 }, WORKER = { pid: 1, tid: 20 };
const meta = [
  { name: 'thread_name', ph: 'M', ts: 0, pid: 1, tid: 10, args: { name: 'CrRendererMain' } },
  { name: 'thread_name', ph: 'M', ts: 0, pid: 1, tid: 20, args: { name: 'DedicatedWorker thread' } },
];
/** A task at `at` ms lasting `ms` of CPU, with children [name, start offset ms, cpu ms, data]. */
const task = (thread: typeof MAIN, at: number, ms: number, children: [string, number, number, Record<string, unknown>?][]) => [
  { name: 'RunTask', ph: 'X', ts: at * 1000, dur: ms * 1000 + 500, tdur: ms * 1000, ...thread },
  ...children.map(([name, offset, cpu, data]) => ({ name, ph: 'X', ts: (at + offset) * 1000, dur: cpu * 1000, tdur: cpu * 1000, ...thread, args: data ? { data } : {} })),
];

describe('mainThreadCpu', () => {
  const trace = JSON.stringify({
    traceEvents: [
      ...meta,
      ...task(MAIN, 0, 62, [['EvaluateScript', 0.1, 61]]), // Playwright: a DOM snapshot
      ...task(MAIN, 100, 70, [['TimerBase::run', 0.1, 69], ['FunctionCall', 0.2, 68, { functionName: 'flush', url: 'http://localhost/assets/index.js' }]]),
      ...task(MAIN, 200, 55, [['EvaluateScript', 0.1, 54, { url: 'http://localhost/registerSW.js', lineNumber: 1 }]]), // the page's classic script
      ...task(MAIN, 300, 80, [['EvaluateScript', 0.1, 12], ['Document::UpdateStyleAndLayout', 20, 60]]), // mostly the page's layout
      ...task(MAIN, 400, 30, [['EvaluateScript', 0.1, 14], ['EvaluateScript', 1, 5]]), // nested: counted once, so under half
      ...task(WORKER, 500, 900, [['FunctionCall', 0.1, 899]]), // a sweep worker: not the page's thread
    ],
  });

  it('lists every task of the page\'s main thread in order, with its CPU time', () => {
    expect(mainThreadCpu(trace).map((t) => t.ms)).toEqual([62, 70, 55, 80, 30]);
  });

  it('tells Playwright\'s evaluated scripts from the page\'s own work', () => {
    expect(mainThreadCpu(trace).map((t) => t.tool)).toEqual([true, false, false, false, false]);
  });

  it('reads a bare array of events too', () => {
    const events = JSON.parse(trace).traceEvents;
    expect(mainThreadCpu(JSON.stringify(events))).toEqual(mainThreadCpu(trace));
  });

  it('says where a long task of CPU time went, from the trace events alone (what a failing e2e test prints)', () => {
    const report = analyzeTrace(trace, 50, 'cpu');
    expect(report).toMatch(/^4 main-thread task\(s\) over 50 ms of thread CPU time/);
    expect(report).toMatch(/== task 70\.5 ms at 100 ms \(thread CPU time 70\.0 ms\)\n  trace events, self time:\n +68\.0 ms  FunctionCall flush index\.js/);
    expect(report).toMatch(/== task 80\.5 ms at 300 ms \(thread CPU time 80\.0 ms\)\n  trace events, self time:\n +60\.0 ms  Document::UpdateStyleAndLayout/);
    expect(report).not.toMatch(/== task 30\.5 ms/);
    expect(report).not.toMatch(/JS functions/); // no JS samples in this trace: no empty sections
  });
});
