// Download report: the same self-contained HTML file `agentos report` writes, made in the page
// from the lines the sweep kept, and saved through a blob link (no server, works offline).
import type { Plan } from '../../lab/plan';
import type { TrialLine } from '../../lab/trial';
import { metricUnits } from '../../lab/units';

/** Saves `text` as a file named `name` (a blob URL, revoked once the download started). */
export function saveFile(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.rel = 'noopener';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A file name from the plan's name: letters, digits and dashes. */
export function reportFileName(plan: Plan, extension: 'html' | 'md'): string {
  const stem = (plan.name || 'experiment').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'experiment';
  return `${stem}-report.${extension}`;
}

/** The report `agentos report --plan <plan> --html` (or `--md`) writes for these lines. */
export async function reportText(lines: readonly TrialLine[], plan: Plan, format: 'html' | 'md'): Promise<string> {
  const { buildReport, reportHtml, reportMarkdown } = await import('../../lab/report');
  const report = buildReport(lines, { title: plan.name, objectives: plan.objectives, units: metricUnits(plan.metrics) });
  return format === 'html' ? reportHtml(report, lines) : reportMarkdown(report);
}

export async function downloadReport(lines: readonly TrialLine[], plan: Plan, format: 'html' | 'md' = 'html'): Promise<void> {
  saveFile(reportFileName(plan, format), await reportText(lines, plan, format), format === 'html' ? 'text/html' : 'text/markdown');
}
