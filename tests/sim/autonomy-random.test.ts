// VOPR-style for the autonomy: random specs with a random autonomy: block (detectors, heal,
// tune, small windows and thresholds so they act), random interventions including autonomy
// switches; the kernel's invariants hold after every event, seeks land on the live hashes and
// the session replays to the same end. A failure prints SEED=; pin it in PINNED_SEEDS.
import { describe, expect, it } from 'vitest';
import { kernelFor, testRandom } from '../helpers/kernel';
import { randomSpec } from './random-specs';
import { checkInvariants } from '../../src/kernel/invariants';
import type { Intervention } from '../../src/kernel/syscalls/world';
import { Scalar } from '../../src/kernel/state';
import { Kernel } from '../../src/kernel/kernel';
import { loadDebugCore } from '../helpers/core';
import { DETECTORS } from '../../src/spec/autonomy';

const PINNED_SEEDS: number[] = [];
const RANDOM_SEEDS = Array.from({ length: 6 }, (_, i) => 5002 + i);
const EVENTS = 2500;

function autonomyBlock(random: () => number): string {
  const detect = DETECTORS.filter(() => random() < 0.7);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
  return `autonomy: { detect: [${detect.join(', ')}], heal: ${pick(['on', 'off'])}, tune: ${pick(['on', 'off'])}, window: ${pick(['200us', '1ms', '5ms'])}, horizon: ${pick(['1ms', '20ms', '1s'])}, hog: ${pick(['30%', '90%'])}, starvation: ${pick(['1ms', '50ms'])}, congestion: ${pick(['10%', '90%'])}, crash-loop: ${pick([1, 3])}, capacity: ${pick([1, 2, 16])}, replicas: ${pick([0, 1, 3])}, memory: ${pick([1, 2, 16])} }`;
}

function randomIntervention(kernel: Kernel, random: () => number): Intervention {
  const pid = Math.floor(random() * Math.max(1, kernel.machine.state.scalars[Scalar.nextPid]));
  switch (Math.floor(random() * 5)) {
    case 0: return { kind: 'autonomy', mode: (['off', 'detect', 'heal'] as const)[Math.floor(random() * 3)] };
    case 1: return { kind: 'kill', pid };
    case 2: return { kind: 'restart', pid };
    case 3: return { kind: 'nice', pid, nice: Math.floor(random() * 40) - 20 };
    default: return { kind: 'policy', node: 0, policy: (['round-robin', 'priority', 'fair', 'eevdf'] as const)[Math.floor(random() * 4)] };
  }
}

async function simulate(seed: number): Promise<string> {
  const random = testRandom(seed * 104729);
  const text = `${randomSpec(seed).trimEnd()}\n${autonomyBlock(random)}\n`;
  const kernel = await kernelFor(text);
  kernel.machine.snapshotInterval = 256;
  const hashes = new Map<number, string>();
  while (kernel.cursor < EVENTS) {
    if (kernel.run({ events: kernel.cursor + 1 }) !== 'events') break;
    checkInvariants(kernel.ctx, kernel.machine.state);
    if (random() < 0.02) hashes.set(kernel.cursor, kernel.stateHash());
    if (random() < 0.005) {
      try {
        kernel.intervene(randomIntervention(kernel, random));
      } catch (error) {
        if ((error as Error).name !== 'InterventionError') throw error;
      }
    }
  }
  const finalHash = kernel.stateHash();
  const session = kernel.toSession();
  const lastFork = kernel.timeline.branch.forkSeq;
  for (const [seq, hash] of [...hashes].filter(([seq]) => seq > lastFork)) {
    kernel.seek(seq);
    expect(kernel.stateHash(), `hash at ${seq}`).toBe(hash);
  }
  expect(Kernel.fromSession(session, await loadDebugCore()).stateHash()).toBe(finalHash);
  return text;
}

describe('random specs with autonomy and random interventions', () => {
  for (const seed of [...PINNED_SEEDS, ...RANDOM_SEEDS]) {
    it(`seed ${seed}`, async () => {
      try {
        await simulate(seed);
      } catch (error) {
        console.error(`SEED=${seed}`);
        throw error;
      }
    });
  }
});
