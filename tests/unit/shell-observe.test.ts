// The shell's `mark` and `query` (ui/shell/observe-commands.ts): what they ask the host and what
// they print: marks with their count, the first seqs and the limit when reached; a query's table
// with at most QUERY_ROWS_SHOWN rows and how many more; errors with a caret at their place.
import { describe, expect, it } from 'vitest';
import { COMMANDS, execute, type CheckpointHost, type ShellHost } from '../../src/ui/shell/commands';
import { formatTable, MARKS_LISTED, QUERY_ROWS_SHOWN } from '../../src/ui/shell/observe-commands';
import type { BisectCondition, HoldMarks, KernelStatus, Outcome } from '../../src/worker/api';
import type { QueryAnswer } from '../../src/query/query.worker';
import type { ResultTable } from '../../src/query/columns';
import { QUERY_TABLES } from '../../src/query/schema';

const status: KernelStatus = { loaded: true, name: 't', cursor: 10, events: 5000, tick: 50, stateHash: 'x', stopped: 'events', journalEventsMax: 100_000 };
const noCheckpoints: CheckpointHost = { rows: [], message: undefined, refresh: async () => {}, save: async () => {}, restore: async () => {} };

function host(answers: { marks?: Outcome<HoldMarks | undefined>; query?: QueryAnswer }) {
  const calls: string[] = [];
  const partial = {
    status, processes: [], busy: false as const, notice: undefined, causeChain: [],
    async markHolds(condition: BisectCondition | undefined) { calls.push(`mark ${JSON.stringify(condition)}`); return answers.marks ?? { ok: true, value: undefined }; },
    async queryAnswer(sql: string) { calls.push(`query ${sql}`); return answers.query!; },
  };
  return { host: partial as unknown as ShellHost, calls };
}

const table = (rows: number, truncated = false): ResultTable => ({
  columns: [
    { name: 'type', values: Array.from({ length: rows }, (_, i) => `type/${i}`) },
    { name: 'events', numbers: Float64Array.from({ length: rows }, (_, i) => 1000 - i) },
  ],
  rowCount: rows, truncated, ms: 12.4,
});

describe('shell: mark', () => {
  it('marks where an expression becomes true: the count, the first seqs, the limit; off clears', async () => {
    const seqs = Array.from({ length: 1000 }, (_, i) => 3 + i * 4);
    const marks: HoldMarks = { expr: 'event.type == "ipc/sent"', seqs, spans: seqs.map((s) => [s, s + 1]), scanned: 4001, events: 5000, truncated: true };
    const { host: h, calls } = host({ marks: { ok: true, value: marks } });
    const result = await execute('mark event.type == "ipc/sent"', h, noCheckpoints);
    expect(calls).toEqual(['mark {"kind":"expr","expr":"event.type == \\"ipc/sent\\""}']);
    expect(result.error).toBe(false);
    expect(result.lines[0]).toBe(`marked 1,000 events where 'event.type == "ipc/sent"' becomes true (false before, true after): ${seqs.slice(0, MARKS_LISTED).map((s) => `#${s}`).join(', ')}, … (988 more)`);
    expect(result.lines[1]).toBe('stopped at 1,000 marks (the limit), at event 4,001 of 5,000');
    expect((await execute('mark off', h, noCheckpoints)).lines).toEqual(['marks cleared']);
    expect(calls[1]).toBe('mark undefined');
  });
  it('says when nothing becomes true, and points at a bad expression', async () => {
    const none: HoldMarks = { expr: 'tick < 0', seqs: [], spans: [], scanned: 5000, events: 5000, truncated: false };
    expect((await execute('mark tick < 0', host({ marks: { ok: true, value: none } }).host, noCheckpoints)).lines).toEqual([
      "'tick < 0' becomes true at no event of this branch (#0..#4999); nothing to mark",
    ]);
    const bad = await execute('mark agents.mapperr.failed > 0', host({ marks: { ok: false, error: "unknown agent 'mapperr' (did you mean \"mapper\"?) at column 8" } }).host, noCheckpoints);
    expect(bad).toEqual({ error: true, lines: ["mark: unknown agent 'mapperr' (did you mean \"mapper\"?) at column 8", '  agents.mapperr.failed > 0', '         ^'] });
    expect((await execute('mark', host({}).host, noCheckpoints)).error).toBe(true);
  });
});

describe('shell: query', () => {
  it(`prints at most ${QUERY_ROWS_SHOWN} rows and how many more, numbers right-aligned`, async () => {
    const { host: h, calls } = host({ query: { ok: true, value: { ...table(57), cursor: 1234 } } });
    const result = await execute("query SELECT type, count(*) AS events FROM events WHERE type <> 'x' GROUP BY type", h, noCheckpoints);
    expect(calls).toEqual(["query SELECT type, count(*) AS events FROM events WHERE type <> 'x' GROUP BY type"]);
    expect(result.lines.slice(0, 4)).toEqual(['type     events', '-------  ------', 'type/0     1000', 'type/1      999']);
    expect(result.lines).toHaveLength(2 + QUERY_ROWS_SHOWN + 2);
    expect(result.lines.at(-2)).toBe('57 rows in 12 ms; 37 more not shown (the Query panel shows them all)');
    expect(result.lines.at(-1)).toBe('(state tables at event 1,234)');
    expect(formatTable(table(3)).at(-1)).toBe('3 rows in 12 ms');
    expect(formatTable(table(3, true)).at(-1)).toBe('3 rows in 12 ms (and more the engine did not return)');
  });
  it('an error names its line and column with a caret under it', async () => {
    const answer: QueryAnswer = { ok: false, error: { message: 'no such column: nope', line: 2, column: 3, offset: 16 } };
    const result = await execute('query SELECT type,\n  nope FROM events', host({ query: answer }).host, noCheckpoints);
    expect(result).toEqual({ error: true, lines: ['query: line 2, column 3: no such column: nope', '    nope FROM events', '    ^'] });
    const bare = await execute('query', host({}).host, noCheckpoints);
    expect(bare.error).toBe(true);
    // It names every table there is (decisions was missing).
    expect(bare.lines[0]).toContain(`tables: ${Object.keys(QUERY_TABLES).join(', ')}`);
  });
  it('mark and query are in help and in the palette (they take an argument: the palette types them into the Shell)', () => {
    for (const name of ['mark', 'query']) expect(COMMANDS.find((command) => command.name === name)?.bare).toBe(false);
  });
});
