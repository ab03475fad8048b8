// The economy of a trial and of an experiment (seed 003, initiative 1): what was bid, granted,
// paid and denied, read from the journal at the stop point; and the report's "Economic
// efficiency" section per variant: average bid price, resource denial rate, and score per unit of
// cost (the objective's value over the credits spent). Browser-safe (no Node imports); the
// runner calls `economyOf` once per trial, the report `economicEfficiency` once per experiment.
import type { Kernel } from '../kernel/kernel';
import { EventCode as E } from '../kernel/events';
import { formatNumber } from './stats';

/** A trial's bids, counted over its journal up to the stop point. Present only when the spec has resources. */
export interface TrialEconomy {
  /** Bids decided by the stop point: granted + denied + timed out (a bid still waiting is not counted). */
  readonly bids: number;
  readonly grants: number;
  /** Credits paid for the grants (first price: the offer; second price: the runner-up's offer). */
  readonly paid: number;
  /** `resource/denied` events: RESOURCE_DENIED failures of budgeted processes. */
  readonly denied: number;
  /** Bids of unbudgeted processes that timed out and went on. */
  readonly timedOut: number;
}

/** The fields of TrialEconomy, in the order a line writes them. */
export const ECONOMY_COUNTS = ['bids', 'grants', 'paid', 'denied', 'timedOut'] as const;

/** The failure reason a trial line carries when any of its processes was denied a resource. */
export const RESOURCE_DENIED = 'RESOURCE_DENIED';

/** Counts the economy of the kernel's run up to its cursor; undefined when its spec has no resources. */
export function economyOf(kernel: Kernel): TrialEconomy | undefined {
  if (kernel.spec.resources.length === 0) return undefined;
  const journal = kernel.machine.journal;
  const end = kernel.cursor;
  const GRANTED = E['resource/granted'], DENIED = E['resource/denied'], TIMED_OUT = E['ipc/timedOut'];
  let grants = 0, paid = 0, denied = 0, timedOut = 0;
  for (let seq = 0; seq < end; seq++) {
    const type = journal.type(seq);
    if (type === GRANTED) { grants++; paid += journal.c(seq); }
    else if (type === DENIED) denied++;
    else if (type === TIMED_OUT && journal.b(seq) === 2) timedOut++;
  }
  return { bids: grants + denied + timedOut, grants, paid, denied, timedOut };
}

/** What the section needs of a trial line (the lab's line has these fields and more). */
export interface EconomyLine {
  readonly variant: string;
  readonly metrics: Readonly<Record<string, number | null | undefined>>;
  readonly economy?: TrialEconomy;
}

export interface VariantEconomy {
  readonly variant: string;
  /** Trials with an economy (the spec has resources). */
  readonly trials: number;
  /** Trials in which some process was denied (RESOURCE_DENIED). */
  readonly deniedTrials: number;
  readonly bids: number;
  readonly grants: number;
  readonly paid: number;
  readonly denied: number;
  /** Credits paid per grant over all trials (null: no grants). */
  readonly averageBidPrice: number | null;
  /** Denied bids over decided bids (null: no bids). */
  readonly denialRate: number | null;
  /** The objective's mean over the mean credits paid (null: no objective, or nothing paid). */
  readonly scorePerCost: number | null;
  /** The objective's mean over the trials (null: no objective). */
  readonly score: number | null;
}

/**
 * Per variant, in order of first appearance: the economy summed over its trials. `objective` is
 * the name of the plan's objective metric (the score); without it scorePerCost is null. Returns
 * [] when no line has an economy (a plan whose spec has no resources has no such section).
 */
export function economicEfficiency(lines: readonly EconomyLine[], objective?: string): VariantEconomy[] {
  const order: string[] = [];
  const groups = new Map<string, EconomyLine[]>();
  for (const line of lines) {
    if (!line.economy) continue;
    let group = groups.get(line.variant);
    if (!group) groups.set(line.variant, (group = [])), order.push(line.variant);
    group.push(line);
  }
  return order.map((variant) => {
    const group = groups.get(variant)!;
    let bids = 0, grants = 0, paid = 0, denied = 0, deniedTrials = 0, scoreSum = 0, scored = 0;
    for (const line of group) {
      const economy = line.economy!;
      bids += economy.bids; grants += economy.grants; paid += economy.paid; denied += economy.denied;
      if (economy.denied > 0) deniedTrials++;
      const value = objective === undefined ? undefined : line.metrics[objective];
      if (typeof value === 'number' && Number.isFinite(value)) { scoreSum += value; scored++; }
    }
    const score = scored > 0 ? scoreSum / scored : null;
    const meanPaid = paid / group.length;
    return {
      variant, trials: group.length, deniedTrials, bids, grants, paid, denied,
      averageBidPrice: grants > 0 ? paid / grants : null,
      denialRate: bids > 0 ? denied / bids : null,
      scorePerCost: score !== null && meanPaid > 0 ? score / meanPaid : null,
      score,
    };
  });
}

/** The report's numbers, as the Experiments tab writes them (src/lab/stats.ts formatNumber: `1,234`, `0.05`). */
const fixed = (value: number | null) => (value === null ? '–' : formatNumber(value));
const percent = (value: number | null) => (value === null ? '–' : `${formatNumber(value * 100)}%`);

const HEADERS = ['variant', 'trials', 'average bid price', 'resource denial rate', 'trials with RESOURCE_DENIED', 'score per unit of cost', 'credits paid (mean)'];

function cells(row: VariantEconomy): string[] {
  return [row.variant, formatNumber(row.trials), fixed(row.averageBidPrice), percent(row.denialRate), `${formatNumber(row.deniedTrials)} of ${formatNumber(row.trials)}`, fixed(row.scorePerCost), fixed(row.paid / row.trials)];
}

/** A paragraph saying what the numbers are, for both formats. */
export function economyExplanation(objective?: string): string {
  return `Average bid price: credits paid per grant. Resource denial rate: denied bids (RESOURCE_DENIED: a budget that cannot cover the bid, or a bid still outbid when its timeout ends) over bids decided by the stop point. Score per unit of cost: ${objective ? `the mean of ${objective}` : 'the objective'} over the mean credits paid.`;
}

/** The section as Markdown ('' when there is no economy). */
export function economyMarkdown(rows: readonly VariantEconomy[], objective?: string): string {
  if (rows.length === 0) return '';
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  return [
    '## Economic efficiency', '',
    economyExplanation(objective), '',
    `| ${HEADERS.join(' | ')} |`,
    `|${HEADERS.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, // the variant left, numbers right
    ...rows.map((row) => `| ${cells(row).map(escape).join(' | ')} |`),
    '',
  ].join('\n');
}

const html = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The section as an HTML fragment (a heading, a paragraph, a table; '' when there is no economy). */
export function economyHtml(rows: readonly VariantEconomy[], objective?: string): string {
  if (rows.length === 0) return '';
  return `<section class="economy"><h2>Economic efficiency</h2><p>${html(economyExplanation(objective))}</p>`
    + `<table><thead><tr>${HEADERS.map((h, i) => `<th scope="col"${i === 0 ? ' class="t"' : ''}>${html(h)}</th>`).join('')}</tr></thead><tbody>`
    + rows.map((row) => `<tr>${cells(row).map((cell, i) => (i === 0 ? `<th scope="row" class="t">${html(cell)}</th>` : `<td>${html(cell)}</td>`)).join('')}</tr>`).join('')
    + '</tbody></table></section>';
}
