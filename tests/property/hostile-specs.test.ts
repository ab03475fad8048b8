// Generated hostile specs (tests/sim/hostile-specs.ts): the parser either refuses one with
// well-formed errors (each at a line:column inside the text), or the engine runs it: N events,
// a seek back, a run forward again and a fresh replay all give the same stateHash. Never a crash,
// never a divergence. SEED=<n> replays another sample; a failure prints its SEED.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSpecError, parseSpec } from '../../src/spec';
import { Kernel } from '../../src/kernel/kernel';
import { loadDebugCore } from '../helpers/core';
import { hostileSpecArb, type HostileSpec } from '../sim/hostile-specs';

const SEED = Number(process.env.SEED ?? 20261206);
const RUNS = Number(process.env.HOSTILE_RUNS ?? 40);

const counts = { refused: 0, ran: 0 };

async function holds(sample: HostileSpec, cores: [Awaited<ReturnType<typeof loadDebugCore>>, Awaited<ReturnType<typeof loadDebugCore>>]): Promise<void> {
  const { text } = sample;
  const result = parseSpec(text);
  if (!result.ok) {
    counts.refused++;
    const lineCount = text.split(/\r\n|\r|\n/).length;
    for (const error of result.errors) {
      expect(error.line).toBeGreaterThanOrEqual(1);
      expect(error.line).toBeLessThanOrEqual(lineCount);
      expect(error.column).toBeGreaterThanOrEqual(1);
      expect(formatSpecError(error)).toMatch(/ at \d+:\d+$/);
    }
    return;
  }
  counts.ran++;
  const kernel = Kernel.fromText(text, cores[0]);
  kernel.run({ events: sample.events });
  const end = kernel.cursor, hash = kernel.stateHash();
  const back = Math.floor(end * sample.back);
  kernel.seek(back);
  const hashBack = kernel.stateHash();
  kernel.seek(end);
  expect(kernel.stateHash()).toBe(hash);
  const fresh = Kernel.fromText(text, cores[1]);
  fresh.run({ events: back });
  expect(fresh.cursor).toBe(back);
  expect(fresh.stateHash()).toBe(hashBack);
}

describe('hostile specs: refused at a line:column, or run, seek and replay alike', () => {
  it(`holds for ${RUNS} generated specs`, async () => {
    const cores = [await loadDebugCore(), await loadDebugCore()] as [Awaited<ReturnType<typeof loadDebugCore>>, Awaited<ReturnType<typeof loadDebugCore>>];
    try {
      await fc.assert(fc.asyncProperty(hostileSpecArb, (sample) => holds(sample, cores)), { seed: SEED, numRuns: RUNS });
    } catch (error) {
      console.error(`SEED=${SEED}`);
      throw error;
    }
    // Both outcomes are exercised (the generator is not all refusals).
    expect(counts.refused).toBeGreaterThan(RUNS / 10);
    expect(counts.ran).toBeGreaterThan(RUNS / 10);
  }, 300_000);

  it('the classes that once broke the engine are each refused or run (pinned cases)', async () => {
    const cores = [await loadDebugCore(), await loadDebugCore()] as [Awaited<ReturnType<typeof loadDebugCore>>, Awaited<ReturnType<typeof loadDebugCore>>];
    const samples = fc.sample(hostileSpecArb, { seed: SEED + 1, numRuns: 10 });
    for (const sample of samples) await holds(sample, cores);
  }, 120_000);
});
