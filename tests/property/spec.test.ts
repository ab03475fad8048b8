import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  DURATION_TICKS_MAX, formatDuration, formatProbabilityPpm, formatRate, formatSize, formatSpecError,
  parseDuration, parseProbabilityPpm, parseRate, parseSize, parseSpec, PPM_ONE, SIZE_BYTES_MAX,
} from '../../src/spec';

// One seed for every property here; SEED=<n> in the environment replays another. On failure the
// seed is printed as SEED=<n> so the run can be repeated and pinned below.
const SEED = Number(process.env.SEED ?? 20261122);

async function check(property: fc.IProperty<unknown> | fc.IAsyncProperty<unknown>, numRuns: number): Promise<void> {
  try {
    await fc.assert(property as fc.IAsyncProperty<unknown>, { seed: SEED, numRuns });
  } catch (error) {
    console.error(`SEED=${SEED}`);
    throw error;
  }
}

const EXAMPLES_DIR = join(__dirname, '../../public/examples');
const EXAMPLES = (JSON.parse(readFileSync(join(EXAMPLES_DIR, 'index.json'), 'utf8')) as { file: string }[])
  .map((entry) => readFileSync(join(EXAMPLES_DIR, entry.file), 'utf8'));

/** Errors are well formed: a position inside the text (or just past its end), and a message. */
function expectWellFormedErrors(text: string): void {
  const result = parseSpec(text);
  if (result.ok) return;
  expect(result.errors.length).toBeGreaterThan(0);
  const lineCount = text.split(/\r\n|\r|\n/).length;
  for (const error of result.errors) {
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.line).toBeLessThanOrEqual(lineCount);
    expect(error.column).toBeGreaterThanOrEqual(1);
    expect(error.message.length).toBeGreaterThan(0);
    expect(formatSpecError(error)).toMatch(/ at \d+:\d+$/);
  }
}

describe('units round-trip through their text form', () => {
  it('formatSize then parseSize gives the same integer', async () => {
    await check(fc.property(fc.integer({ min: 0, max: SIZE_BYTES_MAX }), (bytes) => parseSize(formatSize(bytes)) === bytes), 2000);
    await check(fc.property(fc.integer({ min: 0, max: 1024 }), fc.constantFrom(1, 1024, 1024 ** 2), (count, unit) => {
      const text = formatSize(count * unit);
      return parseSize(text) === count * unit && text.length <= `${count}MiB`.length + 3;
    }), 500);
  });

  it('formatDuration then parseDuration gives the same integer', async () => {
    await check(fc.property(fc.integer({ min: 0, max: DURATION_TICKS_MAX }), (ticks) => parseDuration(formatDuration(ticks)) === ticks), 2000);
  });

  it('probabilities in ppm survive text and JS numbers exactly', async () => {
    await check(fc.property(fc.integer({ min: 0, max: PPM_ONE }), (ppm) => {
      const text = formatProbabilityPpm(ppm);
      return parseProbabilityPpm(text) === ppm && parseProbabilityPpm(Number(text)) === ppm;
    }), 3000);
  });

  it('rates survive their text form', async () => {
    await check(fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: DURATION_TICKS_MAX }), (count, windowTicks) => {
      const rate = parseRate(formatRate({ count, windowTicks }));
      return rate !== null && rate.count === count && rate.windowTicks === windowTicks;
    }), 1000);
  });
});

describe('bad input never throws; it gets well-formed errors', () => {
  it('random text', async () => {
    await check(fc.property(fc.string({ maxLength: 300 }), (text) => expectWellFormedErrors(text)), 500);
    const yamlish = fc.constantFrom(...'{}[]:,-?|>&*!%@#"\' \n\tagentosprm01.'.split(''), 'agentos: 1\n', 'agents:\n', '  a: ', 'program: ', 'idle', '- ');
    await check(fc.property(fc.string({ unit: yamlish, maxLength: 120 }), (text) => expectWellFormedErrors(text)), 1000);
  });

  it('random JSON values', async () => {
    await check(fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => expectWellFormedErrors(JSON.stringify(value))), 500);
  });

  it('examples with a random edit', async () => {
    const edit = fc.record({
      example: fc.integer({ min: 0, max: EXAMPLES.length - 1 }),
      at: fc.nat(),
      length: fc.integer({ min: 0, max: 8 }),
      insert: fc.string({ unit: fc.constantFrom(...' :-{}[],\n#abcn0129.'.split('')), maxLength: 4 }),
    });
    await check(fc.property(edit, ({ example, at, length, insert }) => {
      const text = EXAMPLES[example];
      const start = at % (text.length + 1);
      expectWellFormedErrors(text.slice(0, start) + insert + text.slice(start + length));
    }), 1500);
  });
});

describe('generated valid specs parse to the values they were written with', () => {
  const units = [['B', 1], ['KiB', 1024], ['MiB', 1024 * 1024]] as const;
  const size = fc.tuple(fc.integer({ min: 0, max: 512 }), fc.constantFrom(...units)).map(([count, [unit, factor]]) => ({ text: `${count}${unit}`, bytes: count * factor }));
  const durations = [['us', 1], ['ms', 1000], ['s', 1_000_000]] as const;
  const duration = fc.tuple(fc.integer({ min: 0, max: 999 }), fc.constantFrom(...durations)).map(([count, [unit, factor]]) => ({ text: `${count}${unit}`, ticks: count * factor }));
  const pipeline = fc.record({
    replicas: fc.integer({ min: 0, max: 50 }),
    priority: fc.integer({ min: -20, max: 19 }),
    size,
    every: duration,
    work: duration,
    capacity: fc.integer({ min: 1, max: 65536 }),
    count: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }),
  });

  it('producer -> consumer pipelines, written as YAML by a YAML library', async () => {
    await check(fc.property(fc.array(pipeline, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 0xffff_ffff }), (pipelines, seed) => {
      const agents: Record<string, unknown> = {};
      const channels: unknown[] = [];
      pipelines.forEach((p, i) => {
        agents[`source-${i}`] = { program: 'producer', replicas: p.replicas, priority: p.priority, args: { count: p.count ?? 'forever', size: p.size.text, every: p.every.text } };
        agents[`sink-${i}`] = { program: 'consumer', args: { work: p.work.text } };
        channels.push({ from: `source-${i}.out`, to: `sink-${i}.in`, capacity: p.capacity });
      });
      const result = parseSpec(stringify({ agentos: 1, seed, agents, channels }));
      if (!result.ok) throw new Error(result.errors.map(formatSpecError).join('\n'));
      const spec = result.spec;
      expect(spec.seed).toBe(seed);
      expect(spec.processCount).toBe(pipelines.reduce((sum, p) => sum + p.replicas + 1, 0));
      pipelines.forEach((p, i) => {
        const source = spec.agents[2 * i];
        expect([source.replicas, source.priority]).toEqual([p.replicas, p.priority]);
        const loop = source.program[0];
        if (loop.kind !== 'repeat') throw new Error('expected a repeat');
        expect(loop.count).toBe(p.count);
        expect(loop.body[0]).toMatchObject({ kind: 'send', sizeBytes: p.size.bytes, channelIndex: i });
        expect(loop.body.length).toBe(p.every.ticks === 0 ? 1 : 2);
        expect(spec.channels[i].capacity).toBe(p.capacity);
        expect(spec.agents[2 * i + 1].ports).toEqual([{ name: 'in', direction: 'in', channelIndex: i }]);
      });
    }), 200);
  });
});
