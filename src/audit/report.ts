// The audit report: the Merkle root at the cursor, the rules (and invariants) the run is held to,
// and every violation before the cursor with its cause chain in words and its inclusion proof in
// the tree at the cursor, so each one can be checked against the root by anyone (RFC 9162
// 2.1.3.2). As data, Markdown or a standalone HTML page (every text escaped; no script).
import type { Kernel } from '../kernel/kernel';
import { EventCode, INVARIANT_PART_STRIDE } from '../kernel/events';
import { CANONICAL_EVENT_VERSION } from './canonical';
import type { InclusionProof } from './journal-tree';

/** Violations a report lists in full (it says how many more there were). */
export const REPORT_VIOLATIONS_MAX = 500;

export interface ReportRule {
  kind: 'rule' | 'invariant';
  name: string;
  severity: string;
  text: string;
  always: string;
  violations: number;
}

export interface ReportEvent {
  seq: number;
  tick: number;
  type: string;
  text: string;
}

export interface ReportViolation {
  seq: number;
  tick: number;
  kind: 'rule' | 'invariant';
  name: string;
  severity: string;
  /** The violation in words (which part broke, with its values). */
  words: string;
  /** The violation, then what led to it, each the cause of the one before. */
  causes: ReportEvent[];
  proof: InclusionProof;
}

export interface AuditReport {
  name: string;
  engine: string;
  branch: number;
  cursor: number;
  root: string;
  canonicalEventVersion: number;
  rules: ReportRule[];
  violations: ReportViolation[];
  /** Violations before the cursor, all of them (the report lists at most REPORT_VIOLATIONS_MAX). */
  violationCount: number;
}

/** How the caller puts an event in words and walks its causes (the worker's event rows). */
export interface EventWords {
  text(seq: number): string;
  chain(seq: number): ReportEvent[];
}

const RULE = EventCode['rule/violated'], INVARIANT = EventCode['invariant/violated'];

export function auditReport(kernel: Kernel, words: EventWords): AuditReport {
  const journal = kernel.machine.journal;
  const cursor = kernel.cursor;
  const { spec } = kernel;
  const rules: ReportRule[] = [
    ...spec.rules.map((rule) => ({ kind: 'rule' as const, name: rule.name, severity: rule.severity, text: rule.text, always: rule.always, violations: 0 })),
    ...spec.invariants.map((invariant) => ({ kind: 'invariant' as const, name: invariant.name, severity: 'invariant', text: '', always: invariant.always, violations: 0 })),
  ];
  const violations: ReportViolation[] = [];
  let violationCount = 0;
  for (let seq = 0; seq < cursor; seq++) {
    const type = journal.type(seq);
    if (type !== RULE && type !== INVARIANT) continue;
    const index = journal.a(seq) % INVARIANT_PART_STRIDE;
    const rule = type === RULE ? rules[index] : rules[spec.rules.length + index];
    if (!rule) continue;
    rule.violations++;
    violationCount++;
    if (violations.length >= REPORT_VIOLATIONS_MAX) continue;
    violations.push({
      seq, tick: journal.tick(seq), kind: rule.kind, name: rule.name, severity: rule.severity, words: words.text(seq),
      causes: words.chain(seq), proof: kernel.audit.inclusion(journal, seq, cursor),
    });
  }
  return {
    name: spec.name, engine: kernel.engine, branch: kernel.timeline.current, cursor, root: kernel.rootAt(cursor),
    canonicalEventVersion: CANONICAL_EVENT_VERSION, rules, violations, violationCount,
  };
}

const ms = (tick: number) => `${(tick / 1000).toLocaleString('en', { maximumFractionDigits: 3 })} ms`;
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
/** Markdown table cells: no pipes or line breaks of their own. */
const cell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');

export function reportMarkdown(report: AuditReport): string {
  const lines = [
    `# Audit report: ${report.name}`,
    '',
    `- Engine: ${report.engine}`,
    `- Branch ${report.branch}, cursor: event ${report.cursor} (the tree holds events #0 … #${report.cursor - 1})`,
    `- Merkle root (RFC 6962, SHA-256; leaves are canonical events, version ${report.canonicalEventVersion}): \`${report.root}\``,
    `- ${plural(report.violationCount, 'violation')}${report.violationCount > report.violations.length ? ` (the first ${report.violations.length} are listed)` : ''}`,
    '',
    '## Rules',
    '',
  ];
  if (report.rules.length === 0) lines.push('The spec has no rules or invariants.');
  else {
    lines.push('| kind | name | severity | rule | condition | violations |', '| --- | --- | --- | --- | --- | --- |');
    for (const rule of report.rules) lines.push(`| ${rule.kind} | ${cell(rule.name)} | ${rule.severity} | ${cell(rule.text)} | \`${cell(rule.always)}\` | ${rule.violations} |`);
  }
  lines.push('', '## Violations', '');
  if (report.violations.length === 0) lines.push('None before the cursor.');
  for (const violation of report.violations) {
    lines.push(`### #${violation.seq} at ${ms(violation.tick)}: ${violation.kind} ${cell(violation.name)} (${violation.severity})`, '', violation.words, '', 'Cause chain (each line caused the one above):', '');
    for (const event of violation.causes) lines.push(`- #${event.seq} ${ms(event.tick)} ${event.type}${event.text ? `: ${event.text}` : ''}`);
    lines.push('', `Inclusion proof in the tree of ${violation.proof.treeSize} events (root \`${violation.proof.root}\`):`, '',
      `- leaf index: ${violation.proof.leafIndex}`, `- leaf (canonical event bytes): \`${violation.proof.leaf}\``, '- path:');
    for (const hash of violation.proof.path) lines.push(`  - \`${hash}\``);
    lines.push('');
  }
  lines.push('Check a proof with any RFC 9162 verifier (section 2.1.3.2): the leaf hash is SHA-256(0x00 ‖ leaf bytes).', '');
  return lines.join('\n');
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function reportHtml(report: AuditReport): string {
  const e = escapeHtml;
  const rules = report.rules.length === 0 ? '<p>The spec has no rules or invariants.</p>' : `<table><thead><tr><th>kind</th><th>name</th><th>severity</th><th>rule</th><th>condition</th><th>violations</th></tr></thead><tbody>${
    report.rules.map((rule) => `<tr><td>${rule.kind}</td><td>${e(rule.name)}</td><td class="${e(rule.severity)}">${e(rule.severity)}</td><td>${e(rule.text)}</td><td><code>${e(rule.always)}</code></td><td>${rule.violations}</td></tr>`).join('')
  }</tbody></table>`;
  const violations = report.violations.length === 0 ? '<p>None before the cursor.</p>' : report.violations.map((violation) => `
<section id="v${violation.seq}">
<h3>#${violation.seq} at ${e(ms(violation.tick))}: ${violation.kind} ${e(violation.name)} <span class="${e(violation.severity)}">(${e(violation.severity)})</span></h3>
<p>${e(violation.words)}</p>
<p>Cause chain (each line caused the one above):</p>
<ol>${violation.causes.map((event) => `<li>#${event.seq} ${e(ms(event.tick))} <b>${e(event.type)}</b>${event.text ? `: ${e(event.text)}` : ''}</li>`).join('')}</ol>
<details><summary>Inclusion proof in the tree of ${violation.proof.treeSize} events</summary>
<dl><dt>root</dt><dd><code>${violation.proof.root}</code></dd><dt>leaf index</dt><dd>${violation.proof.leafIndex}</dd><dt>leaf (canonical event bytes)</dt><dd><code>${violation.proof.leaf}</code></dd>
<dt>path</dt><dd><ol>${violation.proof.path.map((hash) => `<li><code>${hash}</code></li>`).join('')}</ol></dd></dl></details>
</section>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Audit report: ${e(report.name)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em}code{font-family:ui-monospace,monospace;word-break:break-all}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}.critical,.error{color:#b00020}.warning{color:#8a5a00}</style>
</head><body>
<h1>Audit report: ${e(report.name)}</h1>
<ul><li>Engine: ${e(report.engine)}</li><li>Branch ${report.branch}, cursor: event ${report.cursor} (the tree holds events #0 … #${report.cursor - 1})</li>
<li>Merkle root (RFC 6962, SHA-256; leaves are canonical events, version ${report.canonicalEventVersion}): <code data-root>${report.root}</code></li>
<li>${plural(report.violationCount, 'violation')}${report.violationCount > report.violations.length ? ` (the first ${report.violations.length} are listed)` : ''}</li></ul>
<h2>Rules</h2>
${rules}
<h2>Violations</h2>
${violations}
<p>Check a proof with any RFC 9162 verifier (section 2.1.3.2): the leaf hash is SHA-256(0x00 ‖ leaf bytes).</p>
</body></html>
`;
}
