// `agentos sweep` and `agentos report`: --jobs and --shard never change a line (the shards'
// lines, concatenated and sorted by trial, are one --jobs 1 run byte for byte), and the report
// reads them back.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function agentos(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const PLAN = `agentos-experiment: 1
name: shards
spec: priority-starvation.yaml
seeds: 3
stop: { events: 1500 }
variants:
  - { name: fair,  set: { kernel.scheduler: fair, agents.pool.args.work: 500us..1500us } }
  - { name: eevdf, set: { kernel.scheduler: eevdf, agents.pool.args.work: 500us..1500us } }
grid:
  kernel.quantum: [500us, 1ms]
metrics:
  jobs: agents.pool.received
  auditor: agents.auditor.cpuTicks
objective: { maximize: [jobs, auditor] }
`;

function planDir(text = PLAN): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentos-sweep-'));
  copyFileSync('public/examples/priority-starvation.yaml', join(dir, 'priority-starvation.yaml'));
  writeFileSync(join(dir, 'plan.yaml'), text);
  return dir;
}

const sortedByTrial = (text: string) => text.split('\n').filter(Boolean).sort((a, b) => JSON.parse(a).trial - JSON.parse(b).trial).map((line) => `${line}\n`).join('');

describe('agentos sweep and report', () => {
  it('the shards of a sweep (each with 2 jobs), concatenated and sorted, are one --jobs 1 run byte for byte; the report reads them', () => {
    const dir = planDir();
    const plan = join(dir, 'plan.yaml');
    const whole = agentos('sweep', plan, '--jobs', '1');
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stderr).toMatch(/sweep: 12\/12 trials/);
    const lines = whole.stdout.split('\n').filter(Boolean);
    expect(lines.map((line) => JSON.parse(line).trial)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

    const shard0 = agentos('sweep', plan, '--shard', '0/2', '--jobs', '2', '--out', join(dir, 'shard0.jsonl'));
    const shard1 = agentos('sweep', plan, '--shard', '1/2', '--out', join(dir, 'shard1.jsonl'));
    expect(shard0.code, shard0.stderr).toBe(0);
    expect(shard1.code, shard1.stderr).toBe(0);
    const text0 = readFileSync(join(dir, 'shard0.jsonl'), 'utf8'), text1 = readFileSync(join(dir, 'shard1.jsonl'), 'utf8');
    expect(text0.split('\n').filter(Boolean).map((line) => JSON.parse(line).trial)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(sortedByTrial(text1 + text0)).toBe(whole.stdout);

    const report = agentos('report', join(dir, 'shard1.jsonl'), join(dir, 'shard0.jsonl'), '--plan', plan, '--md', '--html', join(dir, 'report.html'));
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/^# shards\n/);
    expect(report.stdout).toMatch(/^- eevdf: jobs .* than fair \(95% CI .*, 6 seeds each\)/m);
    expect(report.stdout).toContain('## Configurations');
    expect(report.stdout).toMatch(/## Best\n\nBy the objective \(maximize jobs\): \*\*(fair|eevdf) kernel\.quantum=(500us|1ms)\*\*/);
    expect(report.stdout).toContain('## Pareto front');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link |src="http|@import/i); // self-contained, nothing to fetch or run
    expect((html.match(/<svg class="strip"/g) ?? []).length).toBe(4); // per variant and per configuration, for each metric
    expect((html.match(/<svg class="strip parallel"/g) ?? []).length).toBe(1); // the grid's trials as parallel coordinates
    expect(html).toContain(`href="${JSON.parse(lines[0]).link}"`);
  }, 240_000);

  it('the report of many trials groups its numbers by thousands, on stderr and in the Markdown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentos-report-'));
    const runs = Array.from({ length: 1200 }, (_, trial) => JSON.stringify({
      trial, variant: trial < 600 ? 'fair' : 'eevdf', params: {}, seed: (trial % 600) + 1, events: 18948, ticks: 1951354, stateHash: '0123456789abcdef',
      metrics: { jobs: 70000 + (trial % 600) * 7 + (trial < 600 ? 0 : 9000) }, link: `https://agentos.test/#s2=t${trial}`,
    })).join('\n');
    writeFileSync(join(dir, 'runs.jsonl'), `${runs}\n`);
    const report = agentos('report', join(dir, 'runs.jsonl'), '--md', '--html', join(dir, 'report.html'));
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).toBe(`report: 1,200 trials -> ${join(dir, 'report.html')}\n`);
    expect(report.stdout).toContain('1,200 trials, 2 variants (fair, eevdf), 600 trials per variant.');
    expect(report.stdout).toMatch(/^\| fair \| 600 \| 72,097 \| 71,9\d\d to 72,1\d\d \| 1,21\d \| 70,000 \| 71,048 \| 72,097 \| 73,145 \| 74,193 \|$/m);
  }, 120_000);

  it('a bad plan, shard or runs file is said plainly, and nothing is written', () => {
    const dir = planDir(PLAN.replace('kernel.scheduler: eevdf', 'kernel.schedular: eevdf'));
    const bad = agentos('sweep', join(dir, 'plan.yaml'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/plan\.yaml: the plan has 1 error:\nvariants\[1\]\.set\.kernel\.schedular: unknown path "kernel\.schedular".*did you mean "kernel\.scheduler".* at 8:27/);
    expect(bad.stdout).toBe('');
    expect(agentos('sweep', join(dir, 'plan.yaml'), '--shard', '2/2').stderr).toMatch(/--shard: expected a shard i\/n with 0 <= i < n/);
    writeFileSync(join(dir, 'runs.jsonl'), '{"trial":0}\n');
    const report = agentos('report', join(dir, 'runs.jsonl'));
    expect(report.code).toBe(1);
    expect(report.stderr).toMatch(/runs\.jsonl:1: variant: expected a variant name/);
  }, 120_000);
});
