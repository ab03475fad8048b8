import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function agentos(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the CLI', () => {
  it('run --json prints events, ticks, stateHash and per-agent counts; --seek adds the hash there; link and replay agree', () => {
    const run = agentos('run', 'public/examples/map-reduce.yaml', '--events', '3000', '--seek', '1234', '--json');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ events: 3000, stopped: 'events', seek: 1234 });
    expect(summary.stateHash).toMatch(/^[0-9a-f]{16}$/);
    expect(summary.seekHash).toMatch(/^[0-9a-f]{16}$/);
    expect(summary.agents.map((row: { agent: string }) => row.agent)).toEqual(['source', 'mapper', 'reducer']);

    const link = agentos('link', 'public/examples/map-reduce.yaml', '--events', '3000', '--base', 'https://example.test/app/');
    expect(link.code, link.stderr).toBe(0);
    expect(link.stdout.trim()).toMatch(/^https:\/\/example\.test\/app\/#s2=[A-Za-z0-9_-]+$/);
    const replay = agentos('replay', link.stdout.trim(), '--json');
    expect(replay.code, replay.stderr).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ events: 3000, stateHash: summary.stateHash });
  });

  it('a bad spec prints every error with its line:column and exits non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentos-cli-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'agentos: 1\nname: bad\nagents:\n  w:\n    program: worker\n    memory: lots\n    replicas: many\n');
    const result = agentos('run', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the spec has 2 errors');
    expect(result.stderr).toMatch(/agents\.w\.memory: .* at 6:13/);
    expect(result.stderr).toMatch(/agents\.w\.replicas: .* at 7:15/);
  });

  it('usage errors exit 2 and say what is wrong', () => {
    expect(agentos('run').stderr).toContain('run needs a spec file');
    expect(agentos('run', 'public/examples/map-reduce.yaml', '--events', 'lots').code).toBe(2);
    expect(agentos('replay', 'http://x/#s=@@').stderr).toContain('not a base64url character');
  });
});
