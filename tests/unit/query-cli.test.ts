// `agentos query`: the same engine headless. Its min(seq) agrees with the kernel's own scan of the
// journal; --json and --csv print the same rows; a bad query exits 1 naming its line and column.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { exampleText, kernelFor } from '../helpers/kernel';

function agentos(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('agentos query', () => {
  it('min(seq) of a type is the first such event of the journal, in JSON and CSV; a link replays to the same answer', async () => {
    const kernel = await kernelFor(exampleText('partition-crdt.yaml'));
    kernel.run({ events: 2000 });
    const journal = kernel.machine.journal;
    let first = -1;
    for (let seq = 0; seq < journal.length && first < 0; seq++) if (journal.event(seq).type === 'net/healed') first = seq;
    expect(first).toBeGreaterThan(0);

    const sql = "SELECT min(seq) AS first FROM events WHERE type = 'net/healed'";
    const json = agentos('query', 'public/examples/partition-crdt.yaml', sql, '--events', '2000', '--json');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ columns: ['first'], rows: [[first]], truncated: false });

    const csv = agentos('query', 'public/examples/partition-crdt.yaml', "SELECT seq, type FROM events WHERE seq IN (0, 1) ORDER BY seq", '--events', '2000', '--csv');
    expect(csv.stdout.trim().split('\r\n')).toEqual(['seq,type', `0,${journal.event(0).type}`, `1,${journal.event(1).type}`]);

    const link = agentos('link', 'public/examples/partition-crdt.yaml', '--events', '2000');
    const fromLink = agentos('query', link.stdout.trim(), sql, '--json');
    expect(fromLink.code, fromLink.stderr).toBe(0);
    expect(JSON.parse(fromLink.stdout).rows).toEqual([[first]]);
  });

  it('a bad query exits 1 with its line, column and a caret; a missing SQL argument is a usage error', () => {
    const bad = agentos('query', 'public/examples/partition-crdt.yaml', 'SELECT seq\nFROM eventz', '--events', '100');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('query error at 2:6: no such table: eventz');
    expect(bad.stderr).toContain('  FROM eventz\n       ^');
    const usage = agentos('query', 'public/examples/partition-crdt.yaml');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/query needs/);
  });
});

describe('the README\'s query examples', () => {
  it('run as written, and each row can be told from the others (no two rows alike)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const examples = [...readme.matchAll(/agentos -- query (\S+) "([^"]+)"(?: --events (\d+))?/g)];
    expect(examples.length).toBeGreaterThan(0);
    for (const [, file, sql, events] of examples) {
      const run = agentos('query', file, sql, ...(events ? ['--events', events] : []), '--json');
      expect(run.code, `${sql}: ${run.stderr}`).toBe(0);
      const rows = (JSON.parse(run.stdout) as { rows: unknown[][] }).rows.map((row) => JSON.stringify(row));
      expect(new Set(rows).size, `${sql}: rows that look the same`).toBe(rows.length);
    }
  });
});
