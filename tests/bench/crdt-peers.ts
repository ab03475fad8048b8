// Runs crdt-peer-process.ts in a child process per implementation (each peer alone with its own
// heap and rss) and turns the medians into BenchResults with ratios (>1: we are better).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, type BenchResult } from './harness';
import { traceAvailable, TRACE_MISSING } from '../helpers/trace';

export interface PeerRun {
  peer: string;
  mode: string;
  samples: Record<string, number[]>;
  values: Record<string, number | string | boolean>;
}

const script = fileURLToPath(new URL('./crdt-peer-process.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

export function runPeer(peer: string, mode: string, runs: number, trace?: string): PeerRun {
  const args = [script, peer, mode, String(runs), ...(trace === undefined ? [] : [trace])];
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    timeout: 600_000,
  });
  if (result.status !== 0) {
    throw new Error(`benchmark process for ${peer} (${mode}${trace ? ` ${trace}` : ''}) failed (exit ${result.status}):\n${result.stderr}`);
  }
  const line = result.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as PeerRun;
}

export const requireTrace = (): void => {
  if (!traceAvailable()) throw new Error(TRACE_MISSING);
};

export const medianOf = (run: PeerRun, name: string): number => median(run.samples[name]);

/** Lower is better: ratio = peer / ours. */
export function lowerIsBetter(name: string, unit: string, ours: number, peer: string, theirs: number, goal?: string, note?: string): BenchResult {
  return { name, value: ours, unit, peer, peerValue: theirs, ratio: theirs / ours, goal, note };
}
