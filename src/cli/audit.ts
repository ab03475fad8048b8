// `agentos prove` and `agentos audit`: Merkle proofs over a run's journal (src/audit) and the
// audit report. Proofs are printed as RFC 9162 asks for them, so any textbook verifier checks
// them with nothing of ours.
import { writeFileSync } from 'node:fs';
import type { Kernel } from '../kernel/kernel';
import { reportHtml, reportMarkdown } from '../audit/report';
import { kernelAuditReport } from '../worker/audit-views';

export class ProveUsageError extends Error {}

/** `prove ... --event K [--at N]` or `prove ... --from M --to N`: the proof as an object. */
export function prove(kernel: Kernel, options: { event?: number; at?: number; from?: number; to?: number }): object {
  const journal = kernel.machine.journal;
  const inclusion = options.event !== undefined;
  const consistency = options.from !== undefined || options.to !== undefined;
  if (inclusion === consistency) throw new ProveUsageError('prove needs either --event K [--at N] (inclusion) or --from M --to N (consistency)');
  try {
    if (inclusion) return kernel.audit.inclusion(journal, options.event!, options.at ?? kernel.cursor);
    if (options.from === undefined || options.to === undefined) throw new ProveUsageError('a consistency proof needs both --from M and --to N');
    return kernel.audit.consistency(journal, options.from, options.to);
  } catch (error) {
    if (error instanceof RangeError) throw new ProveUsageError(error.message);
    throw error;
  }
}

export function proofText(proof: Record<string, unknown>): string {
  return Object.entries(proof).map(([key, value]) => Array.isArray(value) ? `${key}:${value.map((item) => `\n  ${item}`).join('')}` : `${key}: ${value}`).join('\n');
}

/** `audit`: the report as Markdown on stdout (or JSON), and as HTML in a file if asked. */
export function audit(kernel: Kernel, options: { html?: string; json: boolean }): string {
  const report = kernelAuditReport(kernel);
  if (options.html) writeFileSync(options.html, reportHtml(report));
  return options.json ? JSON.stringify(report) : reportMarkdown(report);
}
