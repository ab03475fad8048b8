// The Shell (src/ui/shell) and its worker side (src/worker/shell-api.ts): the parser, completion,
// suggestions, the bisect condition language, the executor's argument checks against a fake
// host, and the bisect predicates against a real kernel (the memory-leak example).
import { describe, expect, it } from 'vitest';
import { sharedView } from '../../src/worker/shared-views';
import {
  COMMANDS, checkpointId, formatEvent, complete, completions, execute, parseCondition, suggest, tokenize, ShellError,
  type CheckpointHost, type ShellHost,
} from '../../src/ui/shell/commands';
import { filterActions } from '../../src/ui/shell/palette';
import { createShellApi, predicateOf } from '../../src/worker/shell-api';
import { CAUSE_CHAIN_MAX, type InterventionRequest, type KernelStatus, type MemoryView, type ProcessRow, type WatchRow } from '../../src/worker/api';
import { exampleText, kernelFor } from '../helpers/kernel';
import { Status } from '../../src/kernel/state';

describe('tokenize', () => {
  it('splits on spaces and keeps quoted words together', () => {
    expect(tokenize('  kill   3 ')).toEqual(['kill', '3']);
    expect(tokenize('restore "map @ event 5" x')).toEqual(['restore', 'map @ event 5', 'x']);
    expect(tokenize('')).toEqual([]);
  });
});

describe('completion', () => {
  it('completes a unique prefix with a trailing space', () => {
    expect(complete('bis')).toEqual({ line: 'bisect ', candidates: ['bisect'] });
    expect(complete('ch')).toEqual({ line: 'checkpoint ', candidates: ['checkpoint'] });
  });
  it('extends an ambiguous prefix to the common part and lists the candidates', () => {
    expect(completions('re')).toEqual(['restart', 'rewind', 'redo', 'restore']);
    expect(complete('re')).toEqual({ line: 're', candidates: ['restart', 'rewind', 'redo', 'restore'] });
    expect(complete('s').candidates).toEqual(['shared', 'seek', 'step', 'share']);
  });
  it('does nothing past the first word or without a match', () => {
    expect(complete('kill 1')).toEqual({ line: 'kill 1', candidates: [] });
    expect(complete('zz')).toEqual({ line: 'zz', candidates: [] });
  });
  it('every command of the brief is in the table, once', () => {
    const names = COMMANDS.map((command) => command.name);
    for (const name of ['ps', 'top', 'kill', 'restart', 'nice', 'mem', 'ipc', 'trace', 'events', 'seek', 'step', 'back', 'rewind', 'bisect', 'undo', 'redo', 'policy', 'checkpoint', 'restore', 'share', 'help']) {
      expect(names).toContain(name);
    }
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('suggest', () => {
  it('names the command a typo was meant to be', () => {
    expect(suggest('pss')).toBe('ps');
    expect(suggest('kil')).toBe('kill');
    expect(suggest('bisct')).toBe('bisect');
    expect(suggest('qqqqqq')).toBeUndefined();
  });
});

describe('bisect conditions', () => {
  it('parses each form into data', () => {
    expect(parseCondition(['failed', '3'])).toEqual({ kind: 'failed', pid: 3 });
    expect(parseCondition(['status', '2', 'blocked'])).toEqual({ kind: 'status', pid: 2, status: 'blocked' });
    expect(parseCondition(['heap', '0', '>', '64KiB'])).toEqual({ kind: 'heap', pid: 0, op: '>', bytes: 65536 });
    expect(parseCondition(['heap', '0', '>=', '4096'])).toEqual({ kind: 'heap', pid: 0, op: '>=', bytes: 4096 });
    expect(parseCondition(['exited', 'cache'])).toEqual({ kind: 'exited', agent: 'cache' });
    expect(parseCondition(['event', 'heap/exhausted'])).toEqual({ kind: 'event', type: 'heap/exhausted' });
    expect(parseCondition(['event', 'ipc/sent', '3'])).toEqual({ kind: 'event', type: 'ipc/sent', pid: 3 });
  });
  it('rejects anything else with a message', () => {
    expect(() => parseCondition([])).toThrow(/expected a condition/);
    expect(() => parseCondition(['failed'])).toThrow(/failed <pid>/);
    expect(() => parseCondition(['failed', 'x'])).toThrow(/integer, got 'x'/);
    expect(() => parseCondition(['heap', '1', '<', '5'])).toThrow(/> or >=/);
    expect(() => parseCondition(['heap', '1', '>', '5 parsecs'])).toThrow(ShellError);
    expect(() => parseCondition(['alert("x")'])).toThrow(/unknown condition/);
    expect(() => parseCondition(['event'])).toThrow(/event <type> \[pid\]/);
    expect(() => parseCondition(['event', 'ipc/sent', 'me'])).toThrow(/integer, got 'me'/);
  });
});

describe('checkpointId', () => {
  const ids = ['leak @ event 9', 'leak @ event 3', 'swarm @ event 1'];
  it('takes a 1-based index, an exact name or a unique prefix', () => {
    expect(checkpointId('1', ids)).toBe('leak @ event 9');
    expect(checkpointId('3', ids)).toBe('swarm @ event 1');
    expect(checkpointId('swarm', ids)).toBe('swarm @ event 1');
    expect(checkpointId('leak @ event 3', ids)).toBe('leak @ event 3');
  });
  it('says why it cannot choose', () => {
    expect(() => checkpointId('4', ids)).toThrow('expected 1..3, got 4');
    expect(() => checkpointId('leak', ids)).toThrow(/names 2 checkpoints/);
    expect(() => checkpointId('x', ids)).toThrow(/no checkpoint named 'x'/);
    expect(() => checkpointId('1', [])).toThrow(/no checkpoints/);
  });
});

describe('palette filter', () => {
  const actions = ['Run', 'Pause', 'Step', 'Step back', 'Undo', 'Shell: step'].map((label) => ({ label }));
  it('keeps matches, the exact and prefix matches first', () => {
    expect(filterActions(actions, 'step').map((a) => a.label)).toEqual(['Step', 'Step back', 'Shell: step']);
    expect(filterActions(actions, 'back').map((a) => a.label)).toEqual(['Step back']);
    expect(filterActions(actions, '').length).toBe(actions.length);
    expect(filterActions(actions, 'zzz')).toEqual([]);
  });
});

/** A host recording the calls the commands make, as the KernelClient would receive them. */
function fakeHost(processes: Partial<ProcessRow>[] = [{ pid: 0, agent: 'a', status: 'running' }, { pid: 1, agent: 'b', status: 'blocked' }]) {
  const calls: string[] = [];
  const status: KernelStatus = { loaded: true, name: 't', cursor: 10, events: 100, tick: 50, stateHash: 'x', stopped: 'events', journalEventsMax: 1000 };
  const host: ShellHost & { calls: string[]; causeChain: ShellHost['causeChain'] } = {
    calls,
    status,
    processes: processes.map((p) => ({ pid: 0, agent: 'a', replica: 0, node: 0, status: 'running', nice: 0, cpuTicks: 0, heapBytes: 0, sent: 0, received: 0, restarts: 0, parent: -1, ...p })),
    busy: false,
    notice: undefined,
    async step() { calls.push('step'); },
    async run(events) { calls.push(`run ${events}`); },
    async pause() { calls.push('pause'); },
    async seek(seq) { calls.push(`seek ${seq}`); },
    async intervene(request: InterventionRequest) {
      calls.push(`intervene ${JSON.stringify(request)}`);
      host.notice = { text: `${request.kind} applied`, tone: 'info' };
    },
    async undo() { calls.push('undo'); host.notice = { text: 'nothing to undo', tone: 'error' }; },
    async redo() { calls.push('redo'); },
    async share() { calls.push('share'); return 'http://x/#s=1'; },
    async bisect(condition) { calls.push(`bisect ${JSON.stringify(condition)}`); return { ok: true, value: null }; },
    async find(condition, fromStart) { calls.push(`find ${JSON.stringify(condition)} ${fromStart}`); return { ok: true, value: { seq: null, from: fromStart ? 0 : 10 } }; },
    async recentEvents(filter, count) { calls.push(`events ${JSON.stringify(filter)} ${count}`); return { ok: true, value: [] }; },
    async channels() { return []; },
    async memoryOf() { return { ok: false, error: 'no node' }; },
    async sharedOf() { return undefined; },
    causeChain: [],
    async showCause(seq) {
      calls.push(`why ${seq}`);
      const row = (at: number, type: string, text: string, cause: number) => ({ seq: at, tick: at * 1000, type, node: 0, pid: 0, cause, fields: {}, agent: 'a', text });
      host.causeChain = [row(seq, 'invariant/violated', 'invariant ok broken: x', 4), row(4, 'crdt/applied', 'updated shared visits', -1)];
    },
    async markHolds(condition) { calls.push(`mark ${JSON.stringify(condition)}`); return { ok: true, value: undefined }; },
    async queryAnswer(sql) { calls.push(`query ${sql}`); return { ok: false, error: { message: 'no engine here' } }; },
    async watchRows() { return { ok: true, value: watches }; },
    async setWatch(name, expr) {
      calls.push(`watch ${name} ${expr}`);
      if (expr === 'agents.workr.sent') return { ok: false, error: `unknown agent 'workr' (did you mean "worker"?) at column 8` };
      if (expr === undefined) {
        const at = watches.findIndex((w) => w.name === name && w.source === 'session');
        if (at < 0) return { ok: false, error: `no watch '${name}'` };
        watches.splice(at, 1);
        return { ok: true, value: watches };
      }
      // As the worker: a name in use is replaced in place of a second watch.
      const row: WatchRow = { name, expr, source: 'session', value: 3 };
      const at = watches.findIndex((w) => w.name === name);
      if (at >= 0) watches.splice(at, 1, row);
      else watches.push(row);
      return { ok: true, value: watches };
    },
  };
  const watches: WatchRow[] = [{ name: 'drift', expr: 'shared.visits.n0 - shared.visits.n1', source: 'spec', value: -1 }];
  return host;
}
const noCheckpoints: CheckpointHost = { rows: [], message: undefined, refresh: async () => {}, save: async () => {}, restore: async () => {} };

describe('why and watch', () => {
  it('why prints the cause chain in words, newest first', async () => {
    const host = fakeHost();
    expect((await execute('why #7', host, noCheckpoints)).lines).toEqual([
      '#7 7.000ms invariant/violated a · pid 0 n0: invariant ok broken: x',
      '  ← because #4 4.000ms crdt/applied a · pid 0 n0: updated shared visits',
    ]);
    expect(await execute('why 100', host, noCheckpoints)).toEqual({ lines: ['why: no event #100 on this branch (it has #0..#99)'], error: true });
  });
  it('why says where a chain longer than the links shown goes on', async () => {
    const host = fakeHost();
    // As the worker: at most CAUSE_CHAIN_MAX links, the last one with a cause of its own.
    host.showCause = async (seq) => {
      host.causeChain = Array.from({ length: CAUSE_CHAIN_MAX }, (_, i) => ({ seq: seq - i, tick: 0, type: 'ipc/received', node: 0, pid: 0, cause: seq - i - 1, fields: {}, agent: 'a', text: '' }));
    };
    const lines = (await execute('why 60', host, noCheckpoints)).lines;
    expect(lines).toHaveLength(CAUSE_CHAIN_MAX + 1);
    expect(lines.at(-1)).toBe(`  ← … ${CAUSE_CHAIN_MAX} links shown; the chain goes on at #${60 - CAUSE_CHAIN_MAX} (why #${60 - CAUSE_CHAIN_MAX})`);
  });
  it('watch lists, adds (the expression as typed) and points at a bad column', async () => {
    const host = fakeHost();
    expect((await execute('watch', host, noCheckpoints)).lines).toEqual(['drift = -1   shared.visits.n0 - shared.visits.n1  (spec)']);
    expect((await execute('watch backlog channels["a.out->b.in"].queued', host, noCheckpoints)).lines).toEqual(['backlog = 3   channels["a.out->b.in"].queued']);
    expect(host.calls).toContain('watch backlog channels["a.out->b.in"].queued');
    expect((await execute('watch sent agents.workr.sent', host, noCheckpoints)).lines).toEqual([
      `watch: unknown agent 'workr' (did you mean "worker"?) at column 8`, '  agents.workr.sent', '         ^',
    ]);
  });
  it('watch with a name in use says it replaced it and what it was; the same expression again changes nothing; a bad one keeps the old', async () => {
    const host = fakeHost();
    await execute('watch backlog channels["a.out->b.in"].queued', host, noCheckpoints);
    expect(await execute('watch backlog channels["a.out->b.in"].sent', host, noCheckpoints)).toEqual({
      lines: ['replaced watch backlog (was: channels["a.out->b.in"].queued)', 'backlog = 3   channels["a.out->b.in"].sent'],
      error: false,
    });
    expect((await execute('watch', host, noCheckpoints)).lines.filter((line) => line.startsWith('backlog'))).toEqual(['backlog = 3   channels["a.out->b.in"].sent']);
    expect(await execute('watch backlog = channels["a.out->b.in"].sent', host, noCheckpoints)).toEqual({
      lines: ['backlog = 3   channels["a.out->b.in"].sent', 'watch backlog already watches this; unchanged'],
      error: false,
    });
    expect(await execute('watch backlog agents.workr.sent', host, noCheckpoints)).toEqual({
      lines: [`watch: unknown agent 'workr' (did you mean "worker"?) at column 8`, '  agents.workr.sent', '         ^', '(watch backlog is unchanged: channels["a.out->b.in"].sent)'],
      error: true,
    });
    expect(await execute('watch --remove backlog', host, noCheckpoints)).toEqual({ lines: ['removed watch backlog'], error: false });
    expect(await execute('watch --remove backlog', host, noCheckpoints)).toEqual({ lines: ["watch: no watch 'backlog'"], error: true });
  });
});

describe('autonomy', () => {
  it('switches the autonomy like the Autonomy control; anything but heal, detect or off is refused before the client', async () => {
    const host = fakeHost();
    expect((await execute('autonomy sideways', host, noCheckpoints)).lines).toEqual(["autonomy: expected heal, detect or off, got 'sideways'"]);
    expect(host.calls).toEqual([]);
    await execute('autonomy off', host, noCheckpoints);
    await execute('autonomy detect', host, noCheckpoints);
    expect(host.calls).toEqual(['intervene {"kind":"autonomy","mode":"off"}', 'intervene {"kind":"autonomy","mode":"detect"}']);
  });
});

describe('execute', () => {
  it('reports unknown commands with a suggestion', async () => {
    const result = await execute('pss', fakeHost(), noCheckpoints);
    expect(result.error).toBe(true);
    expect(result.lines[0]).toMatch(/^unknown command 'pss' — did you mean ps\?/);
  });
  it('checks pids and ranges before calling the client', async () => {
    const host = fakeHost();
    expect((await execute('kill 99', host, noCheckpoints)).lines).toEqual(['kill: no process 99']);
    expect((await execute('nice 1 40', host, noCheckpoints)).lines).toEqual(['nice: expected -20..19, got 40']);
    expect((await execute('policy n0 lottery', host, noCheckpoints)).lines[0]).toMatch(/^policy: expected round-robin, priority, fair, eevdf/);
    expect((await execute('seek -1', host, noCheckpoints)).lines).toEqual(['seek: expected >= 0, got -1']);
    expect((await execute('seek 1001', host, noCheckpoints)).lines).toEqual(["seek: event 1001 is past the journal's limit of 1000 events"]);
    expect((await execute('run to', host, noCheckpoints)).lines).toEqual(['run: expected an event number after to']);
    expect((await execute('find status 1', host, noCheckpoints)).lines).toEqual(["find: expected 'status <pid> <status>'"]);
    expect(host.calls).toEqual([]);
  });
  it('kill --tree: a pid or a name, each checked before the client is called', async () => {
    const host = fakeHost();
    expect((await execute('kill --tree 1', host, noCheckpoints)).lines).toEqual(['killTree applied']);
    expect((await execute('kill --tree pipeline', host, noCheckpoints)).lines).toEqual(['killTree applied']);
    expect((await execute('kill --tree worker[2]', host, noCheckpoints)).lines).toEqual(['killTree applied']);
    expect(host.calls).toEqual(['intervene {"kind":"killTree","pid":1}', 'intervene {"kind":"killTree","name":"pipeline"}', 'intervene {"kind":"killTree","name":"worker[2]"}']);
    host.calls.length = 0;
    expect((await execute('kill --tree 99', host, noCheckpoints)).lines).toEqual(['kill: no process 99']);
    expect((await execute('kill --tree', host, noCheckpoints)).lines[0]).toMatch(/^kill --tree: expected a pid or a name/);
    expect(host.calls).toEqual([]);
  });
  it('migrate <pid|name> <node>: a pid, agent[i] or an agent of one live process, and a node; checked before the client is called', async () => {
    const host = fakeHost([{ pid: 0, agent: 'a', status: 'running' }, { pid: 1, agent: 'w', replica: 0, status: 'blocked' }, { pid: 2, agent: 'w', replica: 1, status: 'runnable' }, { pid: 3, agent: 'w', replica: 2, status: 'exited' }]);
    expect((await execute('migrate 1 n1', host, noCheckpoints)).lines).toEqual(['migrate applied']);
    expect((await execute('migrate w[1] 2', host, noCheckpoints)).lines).toEqual(['migrate applied']);
    expect((await execute('migrate a n1', host, noCheckpoints)).lines).toEqual(['migrate applied']);
    expect(host.calls).toEqual(['intervene {"kind":"migrate","pid":1,"node":1}', 'intervene {"kind":"migrate","pid":2,"node":2}', 'intervene {"kind":"migrate","pid":0,"node":1}']);
    host.calls.length = 0;
    expect((await execute('migrate w n1', host, noCheckpoints)).lines).toEqual(['migrate: w has 2 live processes (w[0], w[1]); name one as w[i] or by pid']);
    expect((await execute('migrate 9 n1', host, noCheckpoints)).lines).toEqual(['migrate: no process 9']);
    expect((await execute('migrate nobody n1', host, noCheckpoints)).lines).toEqual(["migrate: no live process of an agent named 'nobody'"]);
    expect((await execute('migrate 1 nx', host, noCheckpoints)).lines[0]).toMatch(/^migrate: expected a node \(0 or n0\)/);
    expect((await execute('migrate 1', host, noCheckpoints)).lines).toEqual(["migrate: expected a process and a node (usage: migrate <pid|name> <node>), got '1'"]);
    expect(host.calls).toEqual([]);
  });
  it('calls the same client methods as the buttons', async () => {
    const host = fakeHost();
    expect((await execute('kill 1', host, noCheckpoints)).lines).toEqual(['kill applied']);
    expect((await execute('restart 1', host, noCheckpoints)).lines).toEqual(['restart applied']);
    await execute('nice 0 -5', host, noCheckpoints);
    await execute('policy n0 eevdf', host, noCheckpoints);
    await execute('step', host, noCheckpoints);
    await execute('step 5', host, noCheckpoints);
    await execute('step 500', host, noCheckpoints);
    await execute('back 20', host, noCheckpoints);
    await execute('rewind 30', host, noCheckpoints);
    await execute('trace 1 5', host, noCheckpoints);
    await execute('events message/sent 7', host, noCheckpoints);
    await execute('run 3', host, noCheckpoints);
    await execute('seek 40', host, noCheckpoints);
    await execute('seek 400', host, noCheckpoints);
    await execute('run to 500', host, noCheckpoints);
    await execute('run to 60', host, noCheckpoints);
    await execute('find status 1 blocked', host, noCheckpoints);
    await execute('find --from-start failed 0', host, noCheckpoints);
    expect(host.calls).toEqual([
      'intervene {"kind":"kill","pid":1}',
      'intervene {"kind":"restart","pid":1}',
      'intervene {"kind":"nice","pid":0,"nice":-5}',
      'intervene {"kind":"policy","node":0,"policy":"eevdf"}',
      'step',
      'seek 15',
      'run 510',
      'seek 0',
      'bisect {"kind":"tick","atLeast":20}',
      'events {"pid":1} 5',
      'events {"type":"message/sent"} 7',
      'run 13',
      'seek 40',
      'run 400',
      'run 500',
      'seek 60',
      'find {"kind":"status","pid":1,"status":"blocked"} false',
      'find {"kind":"failed","pid":0} true',
    ]);
    expect((await execute('pause', host, noCheckpoints)).lines).toEqual(['pause: nothing is running']);
  });
  it('passes the client\'s error notice on as the command\'s error', async () => {
    const result = await execute('undo', fakeHost(), noCheckpoints);
    expect(result).toEqual({ lines: ['undo: nothing to undo'], error: true });
  });
  it('bisect says when it cannot answer, and what its answer assumes; both point to find', async () => {
    const never = await execute('bisect failed 0', fakeHost(), noCheckpoints);
    expect(never.error).toBe(false);
    expect(never.lines).toEqual([
      `'procs[0].status == "failed"' does not hold at the end of this branch (after #99), so bisect cannot answer: it looks for a condition that stays true once true.`,
      'If it can stop holding, find --from-start failed 0 checks every event.',
      '(failed 0 is the expression procs[0].status == "failed")',
    ]);
    const host = fakeHost();
    host.bisect = async () => ({ ok: true, value: 42 });
    const found = await execute('bisect status 1 blocked', host, noCheckpoints);
    expect(found.lines[0]).toBe('holds from event #42 on (tick 50); the cursor is just after #42.');
    expect(found.lines[1]).toMatch(/^bisect assumes it stays true once true; .*find --from-start status 1 blocked checks every event\.$/);
    // Any expression, passed on as written (quotes kept).
    const calls: unknown[] = [];
    host.bisect = async (condition) => { calls.push(condition); return { ok: true, value: 7 }; };
    await execute('bisect channels["a.out->b.in"].queued >= 3', host, noCheckpoints);
    expect(calls).toEqual([{ kind: 'expr', expr: 'channels["a.out->b.in"].queued >= 3' }]);
    host.bisect = async () => ({ ok: false, error: `unknown agent 'workr' (did you mean "worker"?) at column 8` });
    expect(await execute('bisect agents.workr.failed > 0', host, noCheckpoints)).toEqual({
      lines: [`bisect: unknown agent 'workr' (did you mean "worker"?) at column 8`, '  agents.workr.failed > 0', '         ^'], error: true,
    });
  });
  it('an invariant short form is named in words, not as the pseudo-expression !(invariant x)', async () => {
    const never = await execute('bisect invariant drift-bounded', fakeHost(), noCheckpoints);
    expect(never.lines).toEqual([
      `'invariant drift-bounded broken' does not hold at the end of this branch (after #99), so bisect cannot answer: it looks for a condition that stays true once true.`,
      'If it can stop holding, find --from-start invariant drift-bounded checks every event.',
      '(invariant drift-bounded is broken where its always: condition in the spec is false)',
    ]);
    const host = fakeHost();
    host.find = async () => ({ ok: true, value: { seq: 451, from: 0 } });
    expect((await execute('find --from-start invariant drift-bounded', host, noCheckpoints)).lines).toEqual([
      'holds at event #451, from #0 (tick 50): false before it, true after it; the cursor is just after #451',
      '(invariant drift-bounded is broken where its always: condition in the spec is false)',
    ]);
  });
  it('find answers where it looked, and a cancel is not an error', async () => {
    const host = fakeHost();
    expect((await execute('find failed 1', host, noCheckpoints)).lines).toEqual([
      `'procs[1].status == "failed"' does not become true again after #9 (up to the end of the recorded run, #99); the cursor stays`,
      '(failed 1 is the expression procs[1].status == "failed")',
    ]);
    // No double negative ("never: … becomes true at no event"), from the start either.
    expect((await execute('find --from-start failed 1', host, noCheckpoints)).lines[0]).toBe(
      `'procs[1].status == "failed"' does not become true at any event of this branch (up to the end of the recorded run, #99); the cursor stays`,
    );
    host.find = async () => ({ ok: true, value: { seq: 7, from: 0 } });
    expect((await execute('find --from-start tick > 3ms', host, noCheckpoints)).lines).toEqual(['holds at event #7, from #0 (tick 50): false before it, true after it; the cursor is just after #7']);
    host.find = async () => ({ ok: false, cancelled: true, error: 'cancelled at event 60 (of 100); the cursor is back at event 10' });
    expect(await execute('find failed 1', host, noCheckpoints)).toEqual({ lines: ['find: cancelled at event 60 (of 100); the cursor is back at event 10'], error: false });
    host.find = async () => ({ ok: false, error: 'no process 1' });
    expect(await execute('find failed 1', host, noCheckpoints)).toEqual({ lines: ['find: no process 1'], error: true });
  });
  it('run to and seek past the end say whether they got there', async () => {
    const host: Omit<ShellHost, 'status'> & { status: KernelStatus | undefined } = fakeHost();
    host.run = async (events) => { host.status = { ...host.status!, cursor: events!, events: events!, stopped: 'events' }; };
    expect((await execute('run to 300', host, noCheckpoints)).lines).toEqual(['ran on past the recorded end (event 100) to event 300']);
    host.run = async () => { host.status = { ...host.status!, cursor: 350, events: 350, stopped: 'cancelled' }; };
    expect((await execute('seek 900', host, noCheckpoints)).lines).toEqual(['stopped at event 350 (cancelled) before event 900']);
  });
  it('run while running says it already runs; another command says how to pause', async () => {
    const host = { ...fakeHost(), busy: 'running' as const };
    expect((await execute('run', host, noCheckpoints)).lines).toEqual(['run: it is already running (pause, or Escape, stops it)']);
    expect((await execute('seek 3', host, noCheckpoints)).lines).toEqual(['seek: the kernel is running (pause it first: pause, or Escape)']);
  });
  it('autonomy without a mode says which it takes (not "got \'\'")', async () => {
    expect((await execute('autonomy', fakeHost(), noCheckpoints)).lines).toEqual(['autonomy: say which, heal, detect or off (usage: autonomy <heal|detect|off>)']);
  });
  it('pause cancels any long work', async () => {
    const host = { ...fakeHost(), busy: 'finding' as const };
    expect((await execute('pause', host, noCheckpoints)).lines).toEqual(['cancelling the find']);
    expect(host.calls).toEqual(['pause']);
  });
  it('help lists every command with a description', async () => {
    const { lines } = await execute('help', fakeHost(), noCheckpoints);
    expect(lines.length).toBe(COMMANDS.length);
    for (const command of COMMANDS) expect(lines.some((line) => line.startsWith(command.usage) && line.includes(command.summary))).toBe(true);
  });
  it('refuses commands that need a loaded spec', async () => {
    const host = { ...fakeHost(), status: undefined };
    expect((await execute('ps', host, noCheckpoints)).lines).toEqual(['ps: load a spec first']);
  });
});

describe('worker side: bisect predicates on the memory-leak example', () => {
  it('finds the first event at which the cache failed, and the heap threshold before it', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({ events: 20_000 });
    const end = kernel.cursor;
    const cache = kernel.spec.agents.findIndex((agent) => agent.name === 'cache');
    const { state } = kernel.machine;
    let pid = -1;
    for (let p = 0; p < 8; p++) if (state.procAgent[p] === cache) pid = p;
    expect(pid).toBeGreaterThanOrEqual(0);
    expect(state.procStatus[pid]).toBe(Status.failed);

    const api = createShellApi(() => kernel, () => ({ loaded: true, name: '', cursor: kernel.cursor, events: end, tick: kernel.tick, stateHash: '', stopped: 'events', journalEventsMax: 0 }));
    kernel.seek(0);
    const failed = api.bisect({ kind: 'failed', pid });
    if (!failed.ok) throw new Error(failed.error);
    const seq = failed.value.seq!;
    // The answer is the event that made it true: failed after it (the cursor is just after it), not before.
    expect(kernel.cursor).toBe(seq + 1);
    expect(state.procStatus[pid]).toBe(Status.failed);
    kernel.seek(seq);
    expect(kernel.machine.state.procStatus[pid]).not.toBe(Status.failed);

    // A failed process's heap is freed, so a heap condition holds only on a branch that ends
    // before the failure (bisect needs the condition to hold at the end): replay to just before.
    const before = await kernelFor(exampleText('memory-leak.yaml'));
    before.run({ events: seq - 1 });
    const beforeApi = createShellApi(() => before, () => ({}) as KernelStatus);
    const heap = beforeApi.bisect({ kind: 'heap', pid, op: '>=', bytes: 128 * 1024 });
    if (!heap.ok) throw new Error(heap.error);
    expect(heap.value.seq!).toBeLessThan(seq);
    expect(before.machine.state.procHeapBytes[pid]).toBeGreaterThanOrEqual(128 * 1024);
    before.seek(heap.value.seq!);
    expect(before.machine.state.procHeapBytes[pid]).toBeLessThan(128 * 1024);

    const exited = api.bisect({ kind: 'exited', agent: 'cache' });
    expect(exited.ok && exited.value.seq).toBe(seq);

    // Never: a heap no process reaches; the cursor stays where it was.
    kernel.seek(5);
    const never = api.bisect({ kind: 'heap', pid, op: '>', bytes: 1 << 30 });
    expect(never).toMatchObject({ ok: true, value: { seq: null } });
    expect(kernel.cursor).toBe(5);
  });

  it('rejects conditions that do not fit the spec', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({ events: 100 });
    expect(predicateOf(kernel, { kind: 'failed', pid: 99 })).toBe('no process 99');
    expect(predicateOf(kernel, { kind: 'status', pid: 0, status: 'sleepy' })).toMatch(/^unknown status 'sleepy'/);
    expect(predicateOf(kernel, { kind: 'exited', agent: 'nobody' })).toMatch(/^no agent 'nobody' \(agents: cache, service\)/);
  });

  it('events and trace print each event as the events panel does: time in ms, who, and the event in words', async () => {
    const row = { seq: 1204, tick: 4822, type: 'ipc/sent', node: 0, pid: 3, cause: 1203, fields: { channel: 0, size: 256, delay: 12 }, agent: 'pool[2]', text: 'sent 256 B on a.out → b.in (arrives in 12 µs)' };
    expect(formatEvent(row)).toBe('#1204 4.822ms ipc/sent pool[2] · pid 3 n0: sent 256 B on a.out → b.in (arrives in 12 µs) ← #1203');
    expect(formatEvent({ ...row, seq: 7, tick: 200_000, type: 'net/partitioned', node: 2, pid: -1, cause: -1, fields: {}, agent: '', text: 'the network partitioned' }))
      .toBe('#7 200.000ms net/partitioned n2: the network partitioned');
    // No words for it: the raw fields, never an empty line.
    expect(formatEvent({ ...row, text: '', agent: undefined })).toBe('#1204 4.822ms ipc/sent pid 3 n0: channel=0 size=256 delay=12 ← #1203');

    // Rows from the worker carry the words and the agent: no raw "name=value" fields printed.
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({ events: 500 });
    const api = createShellApi(() => kernel, () => ({}) as KernelStatus);
    const recent = api.recentEvents({}, 50);
    if (!recent.ok) throw new Error(recent.error);
    for (const line of recent.value.map(formatEvent)) {
      expect(line).toMatch(/^#\d+ \d+\.\d{3}ms [a-z]+\/[A-Za-z]+ (cache|service) · pid [01] n0: \S/);
      expect(line).not.toMatch(/\w=\-?\d/);
    }
  });

  it('recent events are the last ones up to the cursor, filtered by pid and type', async () => {
    const kernel = await kernelFor(exampleText('memory-leak.yaml'));
    kernel.run({ events: 500 });
    const api = createShellApi(() => kernel, () => ({}) as KernelStatus);
    const all = api.recentEvents({}, 10);
    if (!all.ok) throw new Error(all.error);
    expect(all.value.map((row) => row.seq)).toEqual([490, 491, 492, 493, 494, 495, 496, 497, 498, 499]);
    const ofPid = api.recentEvents({ pid: 0 }, 5);
    if (!ofPid.ok) throw new Error(ofPid.error);
    expect(ofPid.value.every((row) => row.pid === 0)).toBe(true);
    expect(ofPid.value.length).toBe(5);
    const type = all.value[0].type;
    const ofType = api.recentEvents({ type }, 3);
    expect(ofType.ok && ofType.value.every((row) => row.type === type)).toBe(true);
    expect(api.recentEvents({ type: 'nope' }, 3)).toEqual({ ok: false, error: "unknown event type 'nope'" });
  });
});

describe('shared', () => {
  it('prints every replica of every shared object, marks the one that differs, and names unknown objects', async () => {
    const kernel = await kernelFor(exampleText('partition-crdt.yaml'));
    kernel.run({ ticks: 100_000 }); // inside the partition
    const host = fakeHost();
    host.sharedOf = async () => sharedView(kernel);
    const lines = (await execute('shared', host, noCheckpoints)).lines;
    expect(lines[0]).toMatch(/^visits \(pn-counter\): replicas differ since #\d+$/);
    expect(lines.filter((line) => line.includes('(differs)')).length).toBeGreaterThan(0);
    expect(lines.find((line) => line.startsWith('seen'))).toBe('seen (or-set): replicas agree');
    expect(lines).toContain('  n0 3 elements: n0, n1, n2');
    const notes = (await execute('shared notes', host, noCheckpoints)).lines;
    expect(notes).toHaveLength(4);
    expect(notes[1]).toMatch(/^ {2}n0 (\(differs\) )?\d+ characters: [LMR]+$/);
    const unknown = await execute('shared note', host, noCheckpoints);
    expect(unknown.error).toBe(true);
    expect(unknown.lines).toEqual(['shared: no shared object "note"; the spec has visits, notes, seen']);
  });
});

describe('find and bisect over a spec invariant', () => {
  it('invariant <name> finds the event that broke it, as the invariant report says', async () => {
    const { invariantReports } = await import('../../src/cli/observe');
    const kernel = await kernelFor(exampleText('partition-invariant.yaml'));
    kernel.run({});
    const [report] = invariantReports(kernel);
    expect(report.firstViolatedAt).not.toBeNull();
    const end = kernel.cursor;
    const api = createShellApi(() => kernel, () => ({ loaded: true, name: '', cursor: kernel.cursor, events: end, tick: kernel.tick, stateHash: '', stopped: 'events', journalEventsMax: 0 }));
    expect(parseCondition(['invariant', 'drift-bounded'])).toEqual({ kind: 'invariant', name: 'drift-bounded' });
    const found = await api.find({ kind: 'invariant', name: 'drift-bounded' }, { fromStart: true });
    expect(found).toMatchObject({ ok: true, value: { seq: report.firstViolatedAt } });
    expect(predicateOf(kernel, { kind: 'invariant', name: 'nope' })).toBe("no invariant 'nope' (the spec has drift-bounded)");
  });
});

describe('mem', () => {
  it('says the granule and counts blocks in words: a heap with one free block says "1 block", not "1 blocks"', async () => {
    const host = fakeHost();
    // The small-objects trial opened at its stop point: the parser failed and its blocks were freed.
    const view = { node: 0, nodeCount: 1, heapBytes: 262144, usedBytes: 0, freeBytes: 262144, peakUsedBytes: 262144, largestFreeBytes: 262144,
      fragmentationPermille: 0, usedBlocks: 0, freeBlocks: 1, granuleBytes: 16, failedAllocs: 1 };
    host.memoryOf = async () => ({ ok: true, value: view as unknown as MemoryView });
    expect((await execute('mem', host, noCheckpoints)).lines).toEqual([
      'node n0 (of 1): heap 256 KiB (16 B granules), used 0 B in 0 blocks, free 256 KiB in 1 block',
      'peak used 256 KiB, largest free 256 KiB, fragmentation 0.0%, failed allocations 1',
    ]);
  });
});
