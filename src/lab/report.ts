// The experiment report, from trial lines: per variant each metric's mean with its 95% CI and its
// spread over seeds; every variant against the first (bootstrap difference, in words); for a
// grid, every configuration and the best by the objective; for two objectives, the Pareto front;
// each variant's best and worst trial with the link that opens it. As Markdown, and as one
// self-contained HTML file (inline style, strip-and-box plots as plain SVG, readable offline
// with scripts off). Pure: the same lines give the same bytes.
import type { Objective } from './plan';
import {
  bootstrapDifference, describeDifference, formatNumber, nothingVaries, withUnit, groupByConfiguration, groupByVariant, metricNames, paretoFront,
  rankByObjective, summarize, valuesOf, type Difference, type Group, type Ranked, type Summary,
} from './stats';
import type { TrialLine } from './trial';
import { economicEfficiency, economyHtml, economyMarkdown, type VariantEconomy } from './economy';
import { describeRankTest, mannWhitney, type RankTest } from './rank-test';
import { axesOfLines, position, positionOf } from './parallel';
import { cellValue, labelWithUnit } from './units';
import { valueAxis } from './ticks';

export interface ReportOptions {
  title?: string;
  /** The plan's objectives (ranks configurations; two draw the Pareto front). Without: none. */
  objectives?: readonly Objective[];
  /** Each metric's unit ('‰', 'messages'...: src/lab/units.ts metricUnits), for the comparisons' values, as the Experiments tab writes them. */
  units?: Readonly<Record<string, string>>;
}

export interface Comparison {
  metric: string;
  baseline: string;
  variant: string;
  difference: Difference;
  sentence: string;
  /** The Mann–Whitney U test of the same two groups (src/lab/rank-test.ts), and it in words; null and '' when nothing varies (every trial of both gave one value: nothing to test). */
  rankTest: RankTest | null;
  rankSentence: string;
}

export interface TrialRef {
  trial: number;
  seed: number;
  value: number;
  link: string;
}

export interface Report {
  title: string;
  trialCount: number;
  metrics: string[];
  variants: { group: Group; summaries: Record<string, Summary> }[];
  comparisons: Comparison[];
  /** Set when the lines come from a grid (some trial has params). */
  configurations: { group: Group; summaries: Record<string, Summary> }[] | null;
  objectives: readonly Objective[];
  ranking: Ranked[] | null;
  pareto: Ranked[] | null;
  /** The metric whose best and worst trials are listed: the first objective's, else the first metric. */
  focus: { metric: string; direction: 'maximize' | 'minimize' } | null;
  extremes: { variant: string; best: TrialRef; worst: TrialRef }[];
  /** Each metric's unit ('' when none or not known): the per-variant headings say it, "auditor_share (‰)". */
  units: Readonly<Record<string, string>>;
  /** Economic efficiency per variant (src/lab/economy.ts): empty unless the lines carry an economy (the spec has resources). */
  economy: VariantEconomy[];
}

/** Rows of the per-trial table in the HTML (the rest are counted, not listed). */
export const REPORT_TRIAL_ROWS_MAX = 2000;

/** `name (unit)`, as the Experiments tab's tables head a metric; the name alone without a unit. */
const withUnitName = (metric: string, unit: string | undefined) => labelWithUnit(metric, unit ?? '');

export function buildReport(lines: readonly TrialLine[], options: ReportOptions = {}): Report {
  const metrics = metricNames(lines);
  const summaries = (group: Group) => Object.fromEntries(metrics.flatMap((metric) => {
    const values = valuesOf(group, metric);
    return values.length ? [[metric, summarize(values)]] : [];
  }));
  const variantGroups = groupByVariant(lines);
  const variants = variantGroups.map((group) => ({ group, summaries: summaries(group) }));
  const comparisons: Comparison[] = [];
  if (variantGroups.length > 1) {
    const [baseline, ...others] = variantGroups;
    for (const metric of metrics) {
      for (const other of others) {
        const a = valuesOf(baseline, metric), b = valuesOf(other, metric);
        if (a.length === 0 || b.length === 0) continue;
        const difference = bootstrapDifference(a, b);
        const rankTest = nothingVaries(a, b) ? null : mannWhitney(a, b);
        const direction = options.objectives?.find((objective) => objective.metric === metric)?.direction;
        comparisons.push({
          metric, baseline: baseline.variant, variant: other.variant, difference, sentence: describeDifference(metric, baseline.variant, other.variant, difference, options.units?.[metric] ?? ''),
          rankTest, rankSentence: rankTest ? describeRankTest(metric, baseline.variant, other.variant, rankTest, direction) : '',
        });
      }
    }
  }
  const hasGrid = lines.some((line) => Object.keys(line.params).length > 0);
  const configurationGroups = groupByConfiguration(lines);
  const objectives = (options.objectives ?? []).filter((objective) => metrics.includes(objective.metric));
  const rankedGroups = hasGrid ? configurationGroups : variantGroups;
  const focus = objectives[0] ? { metric: objectives[0].metric, direction: objectives[0].direction } : metrics[0] ? { metric: metrics[0], direction: 'maximize' as const } : null;
  const extremes = focus === null ? [] : variantGroups.flatMap((group) => {
    const refs = group.lines.filter((line) => typeof line.metrics[focus.metric] === 'number')
      .map((line) => ({ trial: line.trial, seed: line.seed, value: line.metrics[focus.metric], link: line.link }));
    if (refs.length === 0) return [];
    const better = (x: TrialRef, y: TrialRef) => (focus.direction === 'maximize' ? x.value > y.value : x.value < y.value);
    const best = refs.reduce((b, r) => (better(r, b) ? r : b));
    const worst = refs.reduce((w, r) => (better(w, r) ? r : w));
    return [{ variant: group.variant, best, worst }];
  });
  return {
    title: options.title ?? 'Experiment report',
    trialCount: lines.length,
    metrics,
    variants,
    comparisons,
    configurations: hasGrid ? configurationGroups.map((group) => ({ group, summaries: summaries(group) })) : null,
    objectives,
    ranking: objectives.length > 0 ? rankByObjective(rankedGroups, objectives[0]) : null,
    pareto: objectives.length === 2 ? paretoFront(rankedGroups, objectives) : null,
    focus,
    extremes,
    units: options.units ?? {},
    economy: economicEfficiency(lines, objectives[0]?.metric),
  };
}

/** The 95% CI in a table cell, in the metric's unit as the tab writes it (`cellValue`: 97‰ to 250‰); every seed the same: "no spread", as the tab says it (not "1,448 to 1,448"). */
const ci = (s: Summary, unit = '') => (s.n < 2 ? '—' : s.min === s.max ? 'no spread' : `${cellValue(s.ciLow, unit)} to ${cellValue(s.ciHigh, unit)}`);
/** A summary's numbers for a per-variant row: mean, 95% CI, sd, min, q1, median, q3, max (the tab's cell format). */
const summaryCells = (s: Summary, unit = '') => [cellValue(s.mean, unit), ci(s, unit), cellValue(s.sd, unit), ...[s.min, s.q1, s.median, s.q3, s.max].map((v) => cellValue(v, unit))];
const objectiveText = (objective: Objective) => `${objective.direction} ${objective.metric}`;
const seedsText = (report: Report) => {
  const counts = [...new Set(report.variants.map((v) => v.group.lines.length))];
  return counts.length === 1 ? `${formatNumber(counts[0])} trial${counts[0] === 1 ? '' : 's'} per variant` : `${counts.map(formatNumber).join(' / ')} trials per variant`;
};

// --- Markdown -----------------------------------------------------------------------------------

const md = (text: string) => text.replace(/[\\|*_`<>[\]]/g, (char) => `\\${char}`).replace(/\n/g, ' ');

export function reportMarkdown(report: Report): string {
  const out: string[] = [];
  out.push(`# ${md(report.title)}`, '');
  out.push(`${formatNumber(report.trialCount)} trials, ${report.variants.length} variant${report.variants.length === 1 ? '' : 's'} (${report.variants.map((v) => md(v.group.variant)).join(', ')}), ${seedsText(report)}. Metrics at each trial's stop point: ${report.metrics.map(md).join(', ')}.`, '');
  if (report.comparisons.length > 0) {
    out.push('## Compared', '');
    for (const comparison of report.comparisons) out.push(`- ${md(comparison.sentence)}`, ...(comparison.rankSentence ? [`  - ${md(comparison.rankSentence)}`] : []));
    out.push('', `Differences of means with 95% percentile-bootstrap intervals (10,000 seeded resamples); under each, the Mann–Whitney U test of the same trials (two-sided; exact without ties and under 50 trials a side, else the normal approximation with tie and continuity corrections; "better in x% of pairs" is the common-language effect).`, '');
  }
  out.push('## Per variant', '');
  for (const metric of report.metrics) {
    out.push(`### ${md(withUnitName(metric, report.units[metric]))}`, '', '| variant | n | mean | 95% CI | sd | min | q1 | median | q3 | max |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const { group, summaries } of report.variants) {
      const s = summaries[metric];
      if (s) out.push(`| ${md(group.variant)} | ${formatNumber(s.n)} | ${summaryCells(s, report.units[metric]).join(' | ')} |`);
    }
    out.push('');
  }
  if (report.configurations) {
    out.push('## Configurations', '', `| configuration | n | ${report.metrics.map((m) => `${md(withUnitName(m, report.units[m]))}: mean (95% CI)`).join(' | ')} |`, `|---|---:|${report.metrics.map(() => '---:').join('|')}|`);
    for (const { group, summaries } of report.configurations) {
      out.push(`| ${md(group.label)} | ${formatNumber(group.lines.length)} | ${report.metrics.map((m) => (summaries[m] ? `${cellValue(summaries[m].mean, report.units[m])} (${ci(summaries[m], report.units[m])})` : '—')).join(' | ')} |`);
    }
    out.push('');
  }
  if (report.ranking && report.ranking.length > 0) {
    const best = report.ranking[0];
    out.push('## Best', '', `By the objective (${objectiveText(report.objectives[0])}): **${md(best.group.label)}**, mean ${withUnit(best.means[0], report.units[report.objectives[0].metric])}.`, '');
  }
  if (report.pareto) {
    out.push('## Pareto front', '', `${report.objectives.map(objectiveText).join(', ')}: the configurations no other beats on one without losing on the other.`, '', `| configuration | ${report.objectives.map((o) => md(withUnitName(o.metric, report.units[o.metric]))).join(' | ')} |`, `|---|${report.objectives.map(() => '---:').join('|')}|`);
    for (const point of report.pareto) out.push(`| ${md(point.group.label)} | ${point.means.map((m, i) => cellValue(m, report.units[report.objectives[i].metric])).join(' | ')} |`);
    out.push('');
  }
  if (report.focus && report.extremes.length > 0) {
    const unit = report.units[report.focus.metric];
    out.push(`## Best and worst trials (${md(withUnitName(report.focus.metric, unit))})`, '', '| variant | best | worst |', '|---|---|---|');
    for (const { variant, best, worst } of report.extremes) out.push(`| ${md(variant)} | ${trialMd(best, unit)} | ${trialMd(worst, unit)} |`);
    out.push('');
  }
  if (report.economy.length > 0) out.push(economyMarkdown(report.economy, report.objectives[0]?.metric));
  return out.join('\n');
}

const safeLink = (link: string) => (/^https?:\/\/[^\s<>"'`]+$/.test(link) ? link : null);
const trialMd = (ref: TrialRef, unit = '') => {
  const link = safeLink(ref.link);
  const text = `trial ${ref.trial} (seed ${ref.seed}): ${cellValue(ref.value, unit)}`;
  return link ? `[${text}](${link})` : text;
};

// --- HTML ---------------------------------------------------------------------------------------

const html = (text: string) => text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2330;background:#fff}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d8dce4}h3{font-size:1.05rem}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{padding:.25rem .6rem;border-bottom:1px solid #e3e6ec;text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
th.t,td.t{text-align:left}th{background:#f3f5f8}
.best{font-weight:600}ul.words li{margin:.2rem 0}.note{color:#5a6273;font-size:.9em}
svg.strip{display:block;margin:.25rem 0 1rem;max-width:100%;height:auto}
svg.strip text{font:11px system-ui,sans-serif;fill:#1d2330}
@media (prefers-color-scheme:dark){body{background:#14171d;color:#e3e6ec}th{background:#1f242d}th,td{border-color:#2b313c}svg.strip text{fill:#e3e6ec}a{color:#8ab4ff}}
`;

const COLORS = ['#3b6fd4', '#d9742b', '#2f9e5a', '#b6409a', '#8a6d1f', '#2a9bb0', '#c23b3b', '#6b5bd2'];

/** One metric's strip-and-box plot: a row per group; dots are trials, the box spans the quartiles, the bar is the 95% CI of the mean, the diamond the mean. */
function stripPlot(metric: string, rows: readonly { label: string; values: number[]; summary: Summary; seeds: number[] }[], unit = ''): string {
  const value = (v: number) => cellValue(v, unit);
  const width = 720, left = 190, right = 20, rowHeight = 30, top = 8, axis = 26;
  const height = top + rows.length * rowHeight + axis;
  const all = rows.flatMap((row) => [...row.values, row.summary.ciLow, row.summary.ciHigh]);
  // Round ticks inside the values' range, 4% spare each side; one value only: an axis around it.
  const axisOf = valueAxis(Math.min(...all), Math.max(...all), { pad: 0.04, whole: rows.every((row) => row.values.every(Number.isInteger)) });
  const { low, high } = axisOf;
  const x = (value: number) => left + ((value - low) / (high - low)) * (width - left - right);
  const parts: string[] = [];
  parts.push(`<svg class="strip" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${html(`${metric}: trials per variant, with quartiles and the 95% CI of the mean`)}">`);
  rows.forEach((row, index) => {
    const y = top + index * rowHeight + rowHeight / 2;
    const color = COLORS[index % COLORS.length];
    const s = row.summary;
    parts.push(`<text x="${left - 8}" y="${y + 4}" text-anchor="end">${html(row.label.length > 30 ? `${row.label.slice(0, 29)}…` : row.label)}</text>`);
    parts.push(`<rect x="${x(s.q1).toFixed(1)}" y="${y - 9}" width="${Math.max(1, x(s.q3) - x(s.q1)).toFixed(1)}" height="18" fill="${color}" fill-opacity="0.12" stroke="${color}" stroke-opacity="0.5"><title>${html(`quartiles ${value(s.q1)} to ${value(s.q3)}, median ${value(s.median)}`)}</title></rect>`);
    parts.push(`<line x1="${x(s.median).toFixed(1)}" x2="${x(s.median).toFixed(1)}" y1="${y - 9}" y2="${y + 9}" stroke="${color}" stroke-opacity="0.6"/>`);
    row.values.forEach((v, i) => {
      const dy = ((i % 5) - 2) * 2.5; // spread ties a little, the same way every time
      parts.push(`<circle cx="${x(v).toFixed(1)}" cy="${(y + dy).toFixed(1)}" r="3" fill="${color}" fill-opacity="0.75"><title>${html(`seed ${row.seeds[i]}: ${value(v)}`)}</title></circle>`);
    });
    parts.push(`<line x1="${x(s.ciLow).toFixed(1)}" x2="${x(s.ciHigh).toFixed(1)}" y1="${y + 12}" y2="${y + 12}" stroke="${color}" stroke-width="3"><title>${html(`95% CI of the mean: ${ci(s, unit)}`)}</title></line>`);
    parts.push(`<path d="M${x(s.mean).toFixed(1)} ${y + 7}l5 5l-5 5l-5 -5z" fill="${color}"><title>${html(`mean ${value(s.mean)}`)}</title></path>`);
  });
  const axisY = top + rows.length * rowHeight + 6;
  parts.push(`<line x1="${left}" x2="${width - right}" y1="${axisY}" y2="${axisY}" stroke="currentColor" stroke-opacity="0.4"/>`);
  for (const tick of axisOf.ticks) {
    parts.push(`<line x1="${x(tick).toFixed(1)}" x2="${x(tick).toFixed(1)}" y1="${axisY}" y2="${axisY + 4}" stroke="currentColor" stroke-opacity="0.4"/>`);
    parts.push(`<text x="${x(tick).toFixed(1)}" y="${axisY + 16}" text-anchor="middle">${html(value(tick))}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

/** Trials drawn in the report's parallel coordinates at most (each is one polyline). */
export const REPORT_PARALLEL_LINES_MAX = 2000;

/** A grid's trials as parallel coordinates: an axis per variant / grid key / metric, a line per trial coloured by variant. */
function parallelPlot(lines: readonly TrialLine[], units: Readonly<Record<string, string>>): string {
  const axes = axesOfLines(lines);
  if (axes.length < 2) return '';
  const width = 720, height = 260, top = 34, bottom = 18, left = 110, right = 50;
  const x = (index: number) => left + (index * (width - left - right)) / (axes.length - 1);
  const y = (at: number) => top + (1 - at) * (height - top - bottom);
  const variants = [...new Set(lines.map((line) => line.variant))];
  const parts: string[] = [];
  parts.push(`<svg class="strip parallel" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${html(`Parallel coordinates: a line per trial across ${axes.map((axis) => axis.name).join(', ')}`)}">`);
  const drawn = lines.slice(0, REPORT_PARALLEL_LINES_MAX);
  const opacity = Math.max(0.15, Math.min(0.8, 30 / Math.sqrt(Math.max(1, drawn.length)))).toFixed(2);
  for (const line of drawn) {
    const points = axes.map((axis, index) => [x(index), position(axis, line)] as const).filter(([, at]) => Number.isFinite(at)).map(([px, at]) => `${px.toFixed(1)},${y(at).toFixed(1)}`);
    const color = COLORS[variants.indexOf(line.variant) % COLORS.length];
    parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-opacity="${opacity}" stroke-width="1.2"><title>${html(`trial ${line.trial}: ${line.variant} seed ${line.seed}`)}</title></polyline>`);
  }
  const short = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  axes.forEach((axis, index) => {
    const px = x(index);
    parts.push(`<line x1="${px.toFixed(1)}" x2="${px.toFixed(1)}" y1="${y(0)}" y2="${y(1)}" stroke="currentColor" stroke-opacity="0.5"/>`);
    parts.push(`<text x="${px.toFixed(1)}" y="12" text-anchor="middle" font-weight="600">${html(short(axis.name, 24))}</text>`);
    // A metric's unit under its name, as the tab draws it (beside it, the last axis's name ran off the plot).
    const unit = axis.kind === 'number' ? units[axis.name] ?? '' : '';
    if (unit && unit !== axis.name) parts.push(`<text x="${px.toFixed(1)}" y="24" text-anchor="middle">${html(unit)}</text>`);
    const ticks = axis.kind === 'category'
      ? axis.categories.map((label, i) => ({ at: axis.categories.length === 1 ? 0.5 : i / (axis.categories.length - 1), label }))
      : axis.ticks.map((value) => ({ at: positionOf(axis, value), label: cellValue(value, units[axis.name]) }));
    for (const tick of ticks) parts.push(`<text x="${(px - 5).toFixed(1)}" y="${(y(tick.at) + 4).toFixed(1)}" text-anchor="end">${html(short(tick.label, 16))}</text>`);
  });
  parts.push('</svg>');
  const legend = variants.map((variant, i) => `<span style="color:${COLORS[i % COLORS.length]}">■</span> ${html(variant)}`).join(' &nbsp; ');
  const more = lines.length > drawn.length ? ` The first ${formatNumber(drawn.length)} of ${formatNumber(lines.length)} trials are drawn.` : '';
  return `${parts.join('')}<p class="note">A line per trial, through its variant, grid values and metrics (each metric's axis runs from its lowest to its highest value): ${legend}.${more}</p>`;
}

function summaryRows(groups: readonly { group: Group; summaries: Record<string, Summary> }[], metric: string, label: (group: Group) => string) {
  return groups.filter(({ summaries }) => summaries[metric]).map(({ group, summaries }) => ({
    label: label(group), values: valuesOf(group, metric), summary: summaries[metric], seeds: group.lines.filter((line) => typeof line.metrics[metric] === 'number').map((line) => line.seed),
  }));
}

function trialLinkHtml(ref: TrialRef, unit = ''): string {
  const text = `trial ${ref.trial} (seed ${ref.seed}): ${cellValue(ref.value, unit)}`;
  const link = safeLink(ref.link);
  return link ? `<a href="${html(link)}">${html(text)}</a>` : html(text);
}

/** The report as one HTML file: no script, no external resource. */
export function reportHtml(report: Report, lines: readonly TrialLine[]): string {
  const out: string[] = [];
  out.push('<!doctype html>', '<html lang="en"><head><meta charset="utf-8">', '<meta name="viewport" content="width=device-width,initial-scale=1">');
  out.push(`<title>${html(report.title)}</title><style>${STYLE}</style></head><body>`);
  out.push(`<h1>${html(report.title)}</h1>`);
  out.push(`<p>${formatNumber(report.trialCount)} trials, ${report.variants.length} variant${report.variants.length === 1 ? '' : 's'} (${report.variants.map((v) => html(v.group.variant)).join(', ')}), ${html(seedsText(report))}. Metrics at each trial's stop point: ${report.metrics.map(html).join(', ')}.</p>`);
  if (report.comparisons.length > 0) {
    out.push('<h2>Compared</h2><ul class="words">');
    for (const comparison of report.comparisons) out.push(`<li>${html(comparison.sentence)}${comparison.rankSentence ? `<br><span class="note">${html(comparison.rankSentence)}</span>` : ''}</li>`);
    out.push('</ul><p class="note">Differences of means with 95% percentile-bootstrap intervals (10,000 seeded resamples); under each, the Mann–Whitney U test of the same trials (two-sided; exact without ties and under 50 trials a side, else the normal approximation with tie and continuity corrections; "better in x% of pairs" is the common-language effect).</p>');
  }
  out.push('<h2>Per variant</h2><p class="note">Dots are trials (one per seed); the box spans the quartiles with the median; the bar under it is the 95% confidence interval of the mean (Student\'s t), the diamond the mean.</p>');
  for (const metric of report.metrics) {
    out.push(`<h3>${html(withUnitName(metric, report.units[metric]))}</h3>`);
    out.push(stripPlot(metric, summaryRows(report.variants, metric, (group) => group.variant), report.units[metric]));
    out.push('<table><thead><tr><th class="t">variant</th><th>n</th><th>mean</th><th>95% CI</th><th>sd</th><th>min</th><th>q1</th><th>median</th><th>q3</th><th>max</th></tr></thead><tbody>');
    for (const { group, summaries } of report.variants) {
      const s = summaries[metric];
      if (s) out.push(`<tr><td class="t">${html(group.variant)}</td><td>${formatNumber(s.n)}</td>${summaryCells(s, report.units[metric]).map((text) => `<td>${html(text)}</td>`).join('')}</tr>`);
    }
    out.push('</tbody></table>');
  }
  if (report.configurations) {
    const best = report.ranking?.[0]?.group;
    out.push('<h2>Configurations</h2>');
    out.push('<h3>Parallel coordinates</h3>', parallelPlot(lines, report.units));
    for (const metric of report.metrics) {
      out.push(`<h3>${html(withUnitName(metric, report.units[metric]))} by configuration</h3>`);
      out.push(stripPlot(metric, summaryRows(report.configurations, metric, (group) => group.label), report.units[metric]));
    }
    out.push(`<table><thead><tr><th class="t">configuration</th><th>n</th>${report.metrics.map((m) => `<th>${html(withUnitName(m, report.units[m]))}: mean (95% CI)</th>`).join('')}</tr></thead><tbody>`);
    for (const { group, summaries } of report.configurations) {
      out.push(`<tr${group === best ? ' class="best"' : ''}><td class="t">${html(group.label)}</td><td>${formatNumber(group.lines.length)}</td>${report.metrics.map((m) => `<td>${summaries[m] ? html(`${cellValue(summaries[m].mean, report.units[m])} (${ci(summaries[m], report.units[m])})`) : '—'}</td>`).join('')}</tr>`);
    }
    out.push('</tbody></table>');
  }
  if (report.ranking && report.ranking.length > 0) {
    const best = report.ranking[0];
    out.push(`<h2>Best</h2><p>By the objective (${html(objectiveText(report.objectives[0]))}): <strong>${html(best.group.label)}</strong>, mean ${html(withUnit(best.means[0], report.units[report.objectives[0].metric]))}.</p>`);
  }
  if (report.pareto) {
    out.push(`<h2>Pareto front</h2><p>${html(report.objectives.map(objectiveText).join(', '))}: the configurations no other beats on one without losing on the other.</p>`);
    out.push(`<table><thead><tr><th class="t">configuration</th>${report.objectives.map((o) => `<th>${html(withUnitName(o.metric, report.units[o.metric]))}</th>`).join('')}</tr></thead><tbody>`);
    for (const point of report.pareto) out.push(`<tr><td class="t">${html(point.group.label)}</td>${point.means.map((m, i) => `<td>${html(cellValue(m, report.units[report.objectives[i].metric]))}</td>`).join('')}</tr>`);
    out.push('</tbody></table>');
  }
  if (report.focus && report.extremes.length > 0) {
    const unit = report.units[report.focus.metric];
    out.push(`<h2>Best and worst trials (${html(withUnitName(report.focus.metric, unit))})</h2><p class="note">Each link opens the trial in AgentOS at its stop point.</p>`);
    out.push('<table><thead><tr><th class="t">variant</th><th class="t">best</th><th class="t">worst</th></tr></thead><tbody>');
    for (const { variant, best, worst } of report.extremes) out.push(`<tr><td class="t">${html(variant)}</td><td class="t">${trialLinkHtml(best, unit)}</td><td class="t">${trialLinkHtml(worst, unit)}</td></tr>`);
    out.push('</tbody></table>');
  }
  if (report.economy.length > 0) out.push(economyHtml(report.economy, report.objectives[0]?.metric));
  out.push('<h2>Trials</h2>');
  out.push(`<table><thead><tr><th>trial</th><th class="t">variant</th><th class="t">params</th><th>seed</th><th>events</th><th title="virtual time at the stop: 1 tick is 1 µs">${html(labelWithUnit('ticks', 'µs'))}</th><th class="t">stateHash</th>${report.metrics.map((m) => `<th>${html(withUnitName(m, report.units[m]))}</th>`).join('')}<th class="t">open</th></tr></thead><tbody>`);
  for (const line of lines.slice(0, REPORT_TRIAL_ROWS_MAX)) {
    const link = safeLink(line.link);
    const params = Object.entries(line.params).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`).join(' ');
    out.push(`<tr><td>${line.trial}</td><td class="t">${html(line.variant)}</td><td class="t">${html(params)}</td><td>${line.seed}</td><td>${formatNumber(line.events)}</td><td>${formatNumber(line.ticks)}</td><td class="t"><code>${html(line.stateHash)}</code></td>${report.metrics.map((m) => `<td>${typeof line.metrics[m] === 'number' ? html(cellValue(line.metrics[m], report.units[m])) : '—'}</td>`).join('')}<td class="t">${link ? `<a href="${html(link)}">open</a>` : ''}</td></tr>`);
  }
  out.push('</tbody></table>');
  if (lines.length > REPORT_TRIAL_ROWS_MAX) out.push(`<p class="note">${formatNumber(lines.length - REPORT_TRIAL_ROWS_MAX)} more trials are in the lines, not listed here.</p>`);
  out.push('</body></html>', '');
  return out.join('\n');
}
