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
    }
  });
});
