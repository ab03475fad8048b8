// `agentos report <runs.jsonl...> [--html report.html] [--md] [--plan plan.yaml] [--title T]`:
// reads trial lines (several files: shards of one sweep), merges them by trial, and writes the
// report (src/lab/report.ts) as one self-contained HTML file and/or Markdown on stdout.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { formatPlanError, readPlan, type Objective } from '../lab/index';
import { mergeTrialLines, parseTrialLines } from '../lab/lines';
import { buildReport, reportHtml, reportMarkdown } from '../lab/report';
import { metricUnits } from '../lab/units';
import { formatNumber } from '../lab/stats';

/** Bytes of one runs file (100,000 trials of a few KB each fit). */
export const RUNS_FILE_BYTES_MAX = 512 * 1024 * 1024;

export class ReportError extends Error {}

export interface ReportCommand {
  files: string[];
  html?: string;
  markdown: boolean;
  plan?: string;
  title?: string;
}

export function report(command: ReportCommand): void {
  if (command.files.length === 0) throw new ReportError('report needs one or more runs files (JSON lines from agentos sweep)');
  const groups = command.files.map((file) => {
    let text: string;
    try {
      if (statSync(file).size > RUNS_FILE_BYTES_MAX) throw new ReportError(`${file} is larger than ${RUNS_FILE_BYTES_MAX} bytes, more than any sweep writes`);
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if (error instanceof ReportError) throw error;
      throw new ReportError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    return { source: file, lines: parseTrialLines(text, file) };
  });
  const lines = mergeTrialLines(groups);
  if (lines.length === 0) throw new ReportError(`no trials in ${command.files.join(', ')}`);
  let objectives: readonly Objective[] = [];
  let units: Record<string, string> = {};
  let title = command.title;
  if (command.plan) {
    let text: string;
    try {
      text = readFileSync(command.plan, 'utf8');
    } catch (error) {
      throw new ReportError(`cannot read ${command.plan}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const plan = readPlan(text);
    if (!plan.ok) throw new ReportError(`${command.plan}: the plan has errors:\n${plan.errors.map(formatPlanError).join('\n')}`);
    objectives = plan.plan.objectives;
    units = metricUnits(plan.plan.metrics);
    title ??= plan.plan.name;
  }
  const model = buildReport(lines, { title, objectives, units });
  if (command.html) writeFileSync(command.html, reportHtml(model, lines));
  if (command.markdown || !command.html) process.stdout.write(reportMarkdown(model) + '\n');
  if (command.html) process.stderr.write(`report: ${formatNumber(lines.length)} trials -> ${command.html}\n`);
}
