// The audit report of the kernel at its cursor (src/audit/report.ts), with events in words and
// cause chains as the events panel shows them. Used by the worker (the Audit button) and the CLI.
import type { Kernel } from '../kernel/kernel';
import type { AuditFiles, KernelApi } from './api';
import { auditReport, reportHtml, reportMarkdown, type AuditReport } from '../audit/report';
import { causeChain } from './event-rows';
import { eventText } from './event-text';

export function kernelAuditReport(kernel: Kernel): AuditReport {
  return auditReport(kernel, {
    text: (seq) => eventText(kernel, seq),
    chain: (seq) => causeChain(kernel, seq).map((row) => ({ seq: row.seq, tick: row.tick, type: row.type, text: row.text ?? '' })),
  });
}

/** The report as files: Markdown and a standalone HTML page. */
export function auditReportFiles(kernel: Kernel): AuditFiles {
  const report = kernelAuditReport(kernel);
  return {
    name: report.name, cursor: report.cursor, root: report.root, rules: report.rules.filter((rule) => rule.kind === 'rule').length,
    invariants: report.rules.filter((rule) => rule.kind === 'invariant').length, violations: report.violationCount,
    markdown: reportMarkdown(report), html: reportHtml(report),
  };
}

/** The worker's side of the Audit button. */
export function createAuditApi(current: () => Kernel | undefined): Pick<KernelApi, 'auditReport'> {
  return {
    auditReport() {
      const kernel = current();
      if (!kernel) return { ok: false, error: 'load a spec first' };
      try {
        return { ok: true, value: auditReportFiles(kernel) };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
