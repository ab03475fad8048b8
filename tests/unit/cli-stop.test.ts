// `run` and `replay` of the same session give one stop reason: it is a fact of the cursor, not of
// which command got there.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function agentos(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the stop reason', () => {
  it('is the same for run and for replay of its link, quiescent or not', () => {
    for (const [spec, events] of [['public/examples/deadlock.yaml', '100000'], ['public/examples/map-reduce.yaml', '2000']] as const) {
      const run = agentos('run', spec, '--events', events, '--json');
      expect(run.code, run.stderr).toBe(0);
      const summary = JSON.parse(run.stdout);
      const link = agentos('link', spec, '--events', events);
      expect(link.code, link.stderr).toBe(0);
      const replay = agentos('replay', link.stdout.trim(), '--json');
      expect(replay.code, replay.stderr).toBe(0);
      const replayed = JSON.parse(replay.stdout);
      expect(replayed).toMatchObject({ events: summary.events, stateHash: summary.stateHash, stopped: summary.stopped });
      expect(summary.stopped).toBe(spec.includes('deadlock') ? 'quiescent' : 'events');
      expect(replayed.deadlock).toBe(summary.deadlock);
    }
  });

  it('names a deadlock as the status bar does (worker/deadlock-words.ts, ui/run-state.ts), in run and replay alike', () => {
    const words = 'deadlocked: alice (pid 0) and bob (pid 1) wait on each other';
    const run = agentos('run', 'public/examples/deadlock.yaml', '--events', '100000');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(new RegExp(`  stopped: ${words.replace(/[()]/g, '\\$&')}$`));
    const json = JSON.parse(agentos('run', 'public/examples/deadlock.yaml', '--events', '100000', '--json').stdout);
    expect(json).toMatchObject({ stopped: 'quiescent', deadlock: 'alice (pid 0) and bob (pid 1) wait on each other' });
    const link = agentos('link', 'public/examples/deadlock.yaml', '--events', '100000').stdout.trim();
    const replay = agentos('replay', link);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout.split('\n')[0]).toBe(run.stdout.split('\n')[0]);
    // Quiescent without a cycle, and a run stopped by its event limit: no deadlock is claimed.
    const paused = agentos('run', 'public/examples/deadlock.yaml', '--events', '10');
    expect(paused.stdout.split('\n')[0]).toMatch(/  stopped: events$/);
    const over = JSON.parse(agentos('run', 'public/examples/map-reduce.yaml', '--events', '2000', '--json').stdout);
    expect(over.deadlock).toBeUndefined();
  });
});
