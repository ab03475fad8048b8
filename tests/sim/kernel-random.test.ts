// VOPR-style: random specs, random interventions at random points, invariants after every event;
// the run must replay to the same journal and hash, and seeking must land on the live hashes.
// A failure prints SEED=; pin it in PINNED_SEEDS so it stays fixed.
import { describe, expect, it } from 'vitest';
import { kernelFor, testRandom } from '../helpers/kernel';
import { randomSpec } from './random-specs';
import { checkInvariants } from '../../src/kernel/invariants';
import type { Kernel } from '../../src/kernel/kernel';
import type { Intervention } from '../../src/kernel/syscalls/world';
import { Scalar } from '../../src/kernel/state';

// 1011: a quiescent stop left an idle CPU's eventless moves in the state, so a replay of the
// same session hashed differently (fixed by settling back to the last event on every stop).
// 2013: nice on a process waiting to restart (it has no scheduler entry) failed in the core.
const PINNED_SEEDS: number[] = [1011, 2013];
// SIM_SEEDS=3000-3999 npx vitest run tests/sim/kernel-random.test.ts explores more seeds.
const RANDOM_SEEDS = (() => {
  const range = /^(\d+)-(\d+)$/.exec(process.env.SIM_SEEDS ?? '');
  if (range) return Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i);
  return Array.from({ length: 24 }, (_, i) => 2000 + i);
})();
const EVENTS = 2500;

function randomIntervention(kernel: Kernel, random: () => number): Intervention {
  const pids = kernel.machine.state.scalars[Scalar.nextPid];
  const pid = Math.floor(random() * Math.max(1, pids));
  const channels = kernel.spec.channels.length;
  if (channels > 0 && random() < 0.2) return { kind: 'inject', channel: Math.floor(random() * channels), size: 64 };
  switch (Math.floor(random() * 6)) {
    case 0: return { kind: 'kill', pid };
    case 1: return { kind: 'nice', pid, nice: Math.floor(random() * 40) - 20 };
    case 2: return { kind: 'policy', node: 0, policy: (['round-robin', 'priority', 'fair', 'eevdf'] as const)[Math.floor(random() * 4)] };
    case 3: return { kind: 'pause', pid };
    case 4: return { kind: 'allocator', node: 0, allocator: (['tlsf', 'buddy', 'first-fit', 'best-fit'] as const)[Math.floor(random() * 4)] };
    default: return { kind: 'resume', pid };
  }
}

async function simulate(seed: number): Promise<void> {
  const random = testRandom(seed * 7919);
  const text = randomSpec(seed);
  const kernel = await kernelFor(text);
  kernel.machine.snapshotInterval = 256;
  const hashes = new Map<number, string>();
  while (kernel.cursor < EVENTS) {
    const stop = kernel.run({ events: kernel.cursor + 1 });
    if (stop !== 'events') break;
    checkInvariants(kernel.ctx, kernel.machine.state);
    if (random() < 0.02) hashes.set(kernel.cursor, kernel.stateHash());
    if (random() < 0.004 && kernel.cursor > 0) {
      try {
        kernel.intervene(randomIntervention(kernel, random));
        checkInvariants(kernel.ctx, kernel.machine.state);
      } catch (error) {
        if ((error as Error).name !== 'InterventionError') throw error;
      }
    }
  }
  const finalHash = kernel.stateHash();
  const session = kernel.toSession();
  // Seeking on the final branch lands on the hashes recorded live (those after the last fork).
  const lastFork = kernel.timeline.branch.forkSeq;
  for (const [seq, hash] of [...hashes].filter(([seq]) => seq > lastFork)) {
    kernel.seek(seq);
    expect(kernel.stateHash(), `hash at ${seq}`).toBe(hash);
  }
  // The session replays from scratch to the same end state.
  const { Kernel: KernelClass } = await import('../../src/kernel/kernel');
  const { loadDebugCore } = await import('../helpers/core');
  const replayed = KernelClass.fromSession(session, await loadDebugCore());
  expect(replayed.stateHash()).toBe(finalHash);
}

describe('random specs with random interventions', () => {
  for (const seed of [...PINNED_SEEDS, ...RANDOM_SEEDS]) {
    it(`seed ${seed}`, async () => {
      try {
        await simulate(seed);
      } catch (error) {
        console.error(`SEED=${seed}\n${randomSpec(seed)}`);
        throw error;
      }
    });
  }
});
