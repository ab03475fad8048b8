// `agentos evolve`: the hall of fame is the same, byte for byte, with --jobs 1 and --jobs 2 (the
// trials of each batch split between this process and a child); each champion's and each
// adversary's link replays the genome against the test; a bad plan is refused with line:column.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSessionLink } from '../../src/share/link';
import type { Hall } from '../../src/lab/evolve/index';
import { planText } from '../helpers/evolve';

function agentos(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('agentos evolve', () => {
  it('writes the same hall of fame with --jobs 1 and --jobs 2; its links replay the champion against each test', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentos-evolve-'));
    const plan = join(dir, 'plan.evolve.yaml');
    writeFileSync(plan, planText({ pool: 4, forge: 4 }));
    const one = agentos('evolve', plan, '--generations', '2', '--jobs', '1', '--out', join(dir, 'one.json'), '--base', 'http://localhost:4315/');
    expect(one.code, one.stderr).toBe(0);
    expect(one.stderr).toMatch(/evolve: generation 2\/2: champion b\d+ scores/);
    const two = agentos('evolve', plan, '--generations', '2', '--jobs', '2', '--out', join(dir, 'two.json'), '--base', 'http://localhost:4315/');
    expect(two.code, two.stderr).toBe(0);
    const text = readFileSync(join(dir, 'one.json'), 'utf8');
    expect(readFileSync(join(dir, 'two.json'), 'utf8')).toBe(text);
    const hall = JSON.parse(text) as Hall;
    expect(hall.entries).toHaveLength(2);
    expect(hall.final?.scores).toHaveLength(2);
    const entry = hall.entries[1];
    const champion = await decodeSessionLink(entry.champion.link);
    expect(champion.spec).toContain(`replicas: ${entry.champion.genes['agents.worker.replicas']}`);
    for (const test of [...entry.defeated, ...entry.defeatedBy]) {
      const session = await decodeSessionLink(test.link);
      expect(test.link.startsWith('http://localhost:4315/#s2=')).toBe(true);
      for (const fault of test.faults) expect(session.spec).toContain(fault.kind === 'crash' ? `crash: ${fault.node}` : `partition:`);
    }
    // Without --out: the hall on stdout.
    const stdout = agentos('evolve', plan, '--generations', '2', '--base', 'http://localhost:4315/');
    expect(stdout.stdout).toBe(text);
  }, 300_000);

  it('refuses a bad plan with every error at its line:column, and a bad --generations', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentos-evolve-'));
    const plan = join(dir, 'bad.evolve.yaml');
    writeFileSync(plan, planText().replace('pass: 40', 'pass: lots').replace('budget: 3', 'budget: many'));
    const bad = agentos('evolve', plan);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/the evolve plan has 2 errors:/);
    expect(bad.stderr).toMatch(/\npass: expected the passing score: a number .* at \d+:7\n/);
    expect(bad.stderr).toMatch(/\nred\.budget: expected faults per test at most: an integer from 1 to 16 at \d+:11\n/);
    writeFileSync(plan, planText().replace('channels.0.capacity:', 'channels.0.capacty:'));
    expect(agentos('evolve', plan).stderr).toMatch(/unknown path "channels\.0\.capacty": .*did you mean "channels\.0\.capacity"/);
    writeFileSync(plan, planText());
    expect(agentos('evolve', plan, '--generations', '0').stderr).toMatch(/--generations expects a whole number from 1 to 200/);
    expect(agentos('help').stdout).toMatch(/evolve <plan\.yaml> \[--generations N\]/);
  }, 120_000);
});
