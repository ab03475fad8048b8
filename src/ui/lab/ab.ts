// The A/B view's choices and numbers, from trial lines and two trials' timelines (pure, tested
// in Node): which two trials to compare first (the worst and the best by the key metric; or one
// seed under another variant), the shared axes of the two charts (time and value, so the sides
// read the same), each agent's outcome side by side with the difference.
import type { TrialLine } from '../../lab/trial';
import { formatNumber, withUnit } from '../../lab/stats';
import type { AgentOutcome, ChannelOutcome, TrialTimeline } from '../../lab/timeline';

export type Key = { readonly metric: string; readonly direction: 'maximize' | 'minimize' } | undefined;

/** The worst trial (A) and the best (B) by the key metric (ties: the lower trial number); without a key, the first two. */
export function worstAndBest(lines: readonly TrialLine[], key: Key): { a: number; b: number } | undefined {
  if (lines.length < 2) return undefined;
  if (!key) return { a: lines[0].trial, b: lines[1].trial };
  const scored = lines.filter((line) => Number.isFinite(line.metrics[key.metric]));
  if (scored.length < 2) return undefined;
  const better = (x: TrialLine, y: TrialLine) => {
    const dx = x.metrics[key.metric], dy = y.metrics[key.metric];
    return key.direction === 'maximize' ? dx > dy : dx < dy;
  };
  let best = scored[0], worst = scored[0];
  for (const line of scored) {
    if (better(line, best)) best = line;
    if (better(worst, line)) worst = line;
  }
  if (best === worst) return { a: scored[0].trial, b: scored[1].trial };
  return { a: worst.trial, b: best.trial };
}

/** The trial with `line`'s seed and grid point under each other variant, in trial order. */
export function sameSeedPartners(lines: readonly TrialLine[], line: TrialLine): TrialLine[] {
  const params = JSON.stringify(line.params);
  return lines.filter((other) => other.variant !== line.variant && other.seed === line.seed && JSON.stringify(other.params) === params);
}

/** A trial as one short phrase: `#12 eevdf seed 3 kernel.quantum=1ms`. */
export function trialLabel(line: TrialLine): string {
  const params = Object.entries(line.params).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`).join(' ');
  return `#${line.trial} ${line.variant} seed ${line.seed}${params ? ` ${params}` : ''}`;
}

/** A trial's metric at its stop with the metric's unit, as the charts' readouts write it ("11‰"); "–" when the line lacks it. */
export function metricAtStop(line: TrialLine | undefined, metric: string, unit: string): string {
  return line && metric in line.metrics ? withUnit(line.metrics[metric], unit) : '–';
}

/** The axes both charts share: time from 0 to the later stop (ms), values over both series (0 included for counts). */
export function sharedAxes(a: TrialTimeline, b: TrialTimeline, metric: string): { xMaxMs: number; yMin: number; yMax: number } {
  const values = [a, b].flatMap((timeline) => timeline.series.find((series) => series.name === metric)?.values ?? []);
  let yMin = Math.min(0, ...values), yMax = Math.max(1, ...values);
  if (yMin === yMax) yMax = yMin + 1;
  const pad = (yMax - yMin) * 0.05;
  if (yMin < 0) yMin -= pad;
  yMax += pad;
  return { xMaxMs: Math.max(a.ticks, b.ticks, 1) / 1000, yMin, yMax };
}

export interface OutcomeRow {
  agent: string;
  a: AgentOutcome | undefined;
  b: AgentOutcome | undefined;
  /** B − A of throughput (received), messages sent, CPU share (‰), failures and restarts. */
  receivedDelta: number;
  sentDelta: number;
  cpuShareDelta: number;
  failedDelta: number;
  restartsDelta: number;
}

/** Each agent's outcome at the two stops, side by side, in the order of A's spec (then B's own agents). */
export function outcomeRows(a: TrialTimeline, b: TrialTimeline): OutcomeRow[] {
  const names = [...new Set([...a.agents.map((row) => row.agent), ...b.agents.map((row) => row.agent)])];
  return names.map((agent) => {
    const left = a.agents.find((row) => row.agent === agent), right = b.agents.find((row) => row.agent === agent);
    return {
      agent, a: left, b: right,
      receivedDelta: (right?.received ?? 0) - (left?.received ?? 0),
      sentDelta: (right?.sent ?? 0) - (left?.sent ?? 0),
      cpuShareDelta: (right?.cpuShare ?? 0) - (left?.cpuShare ?? 0),
      failedDelta: (right?.failed ?? 0) - (left?.failed ?? 0),
      restartsDelta: (right?.restarts ?? 0) - (left?.restarts ?? 0),
    };
  });
}

/** The index of the sample at or before `ms` (the value a stepped chart shows there). */
export function sampleAt(timeline: TrialTimeline, ms: number): number {
  const tick = ms * 1000;
  let index = 0;
  for (let i = 0; i < timeline.sampleTicks.length && timeline.sampleTicks[i] <= tick; i++) index = i;
  return index;
}

/** "+12", "−3", "0". */
export const signed = (value: number) => (value > 0 ? `+${formatNumber(value)}` : value < 0 ? `−${formatNumber(Math.abs(value))}` : '0');

export interface ChannelRow {
  channel: string;
  a: ChannelOutcome | undefined;
  b: ChannelOutcome | undefined;
  /** B − A of messages received, of the mean and 95th-percentile latency (µs; null when either side received none), and of messages dropped. */
  receivedDelta: number;
  latencyDeltaUs: number | null;
  latencyP95DeltaUs: number | null;
  droppedDelta: number;
}

/** Each channel's outcome at the two stops, side by side. */
export function channelRows(a: TrialTimeline, b: TrialTimeline): ChannelRow[] {
  const names = [...new Set([...a.channels.map((row) => row.channel), ...b.channels.map((row) => row.channel)])];
  return names.map((channel) => {
    const left = a.channels.find((row) => row.channel === channel), right = b.channels.find((row) => row.channel === channel);
    const latencyA = left?.latencyMeanUs ?? null, latencyB = right?.latencyMeanUs ?? null;
    return {
      channel, a: left, b: right,
      receivedDelta: (right?.received ?? 0) - (left?.received ?? 0),
      latencyDeltaUs: latencyA === null || latencyB === null ? null : latencyB - latencyA,
      latencyP95DeltaUs: left?.latencyP95Us == null || right?.latencyP95Us == null ? null : right.latencyP95Us - left.latencyP95Us,
      droppedDelta: (right?.dropped ?? 0) - (left?.dropped ?? 0),
    };
  });
}

/** A latency difference: "+1.2 ms", "−850 µs", "0"; "–" when either side has none. */
export const latencyDeltaText = (us: number | null) => (us === null ? '–' : us === 0 ? '0' : `${us > 0 ? '+' : '−'}${latencyText(Math.abs(us))}`);

/** A latency in µs as people read it: "850 µs", "12.4 ms"; "–" for none. */
export const latencyText = (us: number | null | undefined) => (us === null || us === undefined ? '–' : us >= 1000 ? `${formatNumber(us / 1000)} ms` : `${formatNumber(us)} µs`);
