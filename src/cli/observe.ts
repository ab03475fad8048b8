// The CLI's observing commands over a kernel: `find` (where an expression first holds), the
// invariants and watches of `run --json`, and `why` (a cause chain in words). The same functions
// the worker uses: expressions from src/expr, rows and words from worker/event-rows.
import { ExprError } from '../expr/index';
import type { Kernel } from '../kernel/kernel';
import { specWatches, watchValues } from '../kernel/watches';
import { causeChain } from '../worker/event-rows';
import type { EventRow } from '../worker/api';

export interface InvariantReport {
  name: string;
  /** Times it went from holding to not holding. */
  violations: number;
  /** The first event S after which it did not hold (the cause of its first violation), or null. */
  firstViolatedAt: number | null;
}

export function invariantReports(kernel: Kernel): InvariantReport[] {
  const { state, journal } = kernel.machine;
  return kernel.spec.invariants.map((invariant, index) => {
    const report = state.invariantFirstSeq[index];
    return { name: invariant.name, violations: state.invariantViolations[index], firstViolatedAt: report < 0 ? null : journal.cause(report) };
  });
}

/** The spec's rules like its invariants, with their severity (their state slots follow the invariants'). */
export function ruleReports(kernel: Kernel): (InvariantReport & { severity: string })[] {
  const { state, journal } = kernel.machine;
  const offset = kernel.spec.invariants.length;
  return kernel.spec.rules.map((rule, index) => {
    const report = state.invariantFirstSeq[offset + index];
    return { name: rule.name, severity: rule.severity, violations: state.invariantViolations[offset + index], firstViolatedAt: report < 0 ? null : journal.cause(report) };
  });
}

/** Each watch of the spec at the cursor. */
export function finalWatches(kernel: Kernel): Record<string, number> {
  return watchValues(kernel, specWatches(kernel));
}

/** The first event S (over the recorded events) at which `text` holds; an ExprError's message names its column. */
export function firstHolds(kernel: Kernel, text: string): { seq: number | null; tick: number } {
  const compiled = kernel.expression(text, 'bool');
  const seq = kernel.firstHolds(kernel.predicate(compiled), 0);
  return { seq: seq ?? null, tick: kernel.tick };
}

/** An expression error with the expression and a caret under its column. */
export function expressionErrorText(text: string, error: ExprError): string {
  return `${error.message}\n  ${text}\n  ${' '.repeat(error.column - 1)}^`;
}

/** One event as the events panel and the shell print it. */
export function eventLine(row: EventRow): string {
  const who = row.pid >= 0 ? `${row.agent ? `${row.agent} · ` : ''}pid ${row.pid} n${row.node}` : `n${row.node}`;
  const text = row.text || Object.entries(row.fields).map(([key, value]) => `${key}=${value}`).join(' ');
  return `#${row.seq} ${(row.tick / 1000).toFixed(3)}ms ${row.type} ${who}${text ? `: ${text}` : ''}`;
}

/** The cause chain of event `seq` in words, newest first: each line is what led to the one above. */
export function whyLines(kernel: Kernel, seq: number): string[] {
  const chain = causeChain(kernel, seq);
  return chain.map((row, index) => `${index === 0 ? '' : '  ← because '}${eventLine(row)}`);
}
