// Reading trial lines back (for reports, and for results kept in the browser): each line checked
// to be a TrialLine, errors naming the source and the line number; a trial given twice must be
// the same line (shards concatenated twice are fine, two different experiments mixed are not).
import { TRIALS_MAX } from './limits';
import type { PlanValue } from './plan';
import type { TrialLine } from './trial';
import { ECONOMY_COUNTS, type TrialEconomy } from './economy';

/** Characters of one line (a link carries the spec text, compressed). */
export const TRIAL_LINE_CHARS_MAX = 4 * 1024 * 1024;

export class TrialLinesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrialLinesError';
  }
}

/** Every trial line of `text` (JSON Lines; blank lines skipped), checked. Throws TrialLinesError naming `source` and the line. */
export function parseTrialLines(text: string, source: string): TrialLine[] {
  const lines: TrialLine[] = [];
  let number = 0;
  for (const raw of text.split('\n')) {
    number++;
    const line = raw.trim();
    if (line === '') continue;
    const where = `${source}:${number}`;
    if (line.length > TRIAL_LINE_CHARS_MAX) throw new TrialLinesError(`${where}: the line is longer than ${TRIAL_LINE_CHARS_MAX} characters, so it is no trial line`);
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      throw new TrialLinesError(`${where}: not JSON (expected one trial per line, as agentos sweep writes them)`);
    }
    lines.push(checkTrialLine(data, where));
    if (lines.length > TRIALS_MAX) throw new TrialLinesError(`${source}: more than ${TRIALS_MAX} trials`);
  }
  return lines;
}

/** Lines from several sources as one run: sorted by trial, a trial given twice kept once if the same, else an error. */
export function mergeTrialLines(groups: readonly { source: string; lines: readonly TrialLine[] }[]): TrialLine[] {
  const byTrial = new Map<number, { line: TrialLine; text: string; source: string }>();
  for (const { source, lines } of groups) {
    for (const line of lines) {
      const text = JSON.stringify(line);
      const seen = byTrial.get(line.trial);
      if (seen && seen.text !== text) throw new TrialLinesError(`trial ${line.trial} is in ${seen.source} and in ${source} with different results: are these runs of the same plan?`);
      if (!seen) byTrial.set(line.trial, { line, text, source });
      if (byTrial.size > TRIALS_MAX) throw new TrialLinesError(`more than ${TRIALS_MAX} trials`);
    }
  }
  return [...byTrial.values()].map((entry) => entry.line).sort((a, b) => a.trial - b.trial);
}

function checkTrialLine(data: unknown, where: string): TrialLine {
  const fail = (message: string): never => { throw new TrialLinesError(`${where}: ${message}`); };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail('expected a trial object');
  const value = data as Record<string, unknown>;
  const isCount = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
  if (!isCount(value.trial)) fail('trial: expected a trial number');
  if (typeof value.variant !== 'string' || value.variant.length === 0 || value.variant.length > 64) fail('variant: expected a variant name');
  if (typeof value.params !== 'object' || value.params === null || Array.isArray(value.params)) fail('params: expected an object (the grid point)');
  if (!isCount(value.seed) || (value.seed as number) > 0xffff_ffff) fail('seed: expected a seed');
  if (!isCount(value.events)) fail('events: expected a number of events');
  if (!isCount(value.ticks)) fail('ticks: expected a number of ticks');
  if (typeof value.stateHash !== 'string' || !/^[0-9a-f]{16}$/.test(value.stateHash)) fail('stateHash: expected 16 hexadecimal digits');
  if (typeof value.metrics !== 'object' || value.metrics === null || Array.isArray(value.metrics)) fail('metrics: expected an object of numbers');
  for (const [name, metric] of Object.entries(value.metrics as Record<string, unknown>)) {
    if (typeof metric !== 'number' || !Number.isFinite(metric)) fail(`metrics.${name}: expected a number`);
  }
  if (typeof value.link !== 'string') fail('link: expected the link that replays the trial');
  let economy: TrialEconomy | undefined;
  if (value.economy !== undefined) {
    const counts = value.economy as Record<string, unknown>;
    if (typeof counts !== 'object' || counts === null || Array.isArray(counts)) fail('economy: expected an object of counts');
    for (const key of ECONOMY_COUNTS) if (!isCount(counts[key])) fail(`economy.${key}: expected a count`);
    economy = Object.fromEntries(ECONOMY_COUNTS.map((key) => [key, counts[key] as number])) as unknown as TrialEconomy;
  }
  return {
    trial: value.trial as number, variant: value.variant as string, params: value.params as Record<string, PlanValue>, seed: value.seed as number,
    events: value.events as number, ticks: value.ticks as number, stateHash: value.stateHash as string,
    metrics: value.metrics as Record<string, number>, ...(economy ? { economy } : {}), link: value.link as string,
  };
}
