// `agentos prove` prints proofs a textbook RFC 9162 verifier (tests/helpers/rfc9162.ts, nothing of
// src/) accepts against the printed roots; `agentos audit` lists every rule violation with a proof
// that checks against the report's root.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEAF, sha256, verifyConsistency, verifyInclusion } from '../helpers/rfc9162';
import { RULED } from '../helpers/rules';
import { audit, prove } from '../../src/cli/audit';
import { Kernel } from '../../src/kernel/kernel';
import { loadCoreFromDisk } from '../../src/core/node';

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
}
const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

describe('agentos prove and audit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentos-audit-'));
  const spec = join(dir, 'ruled.yaml');
  writeFileSync(spec, RULED);

  it('prove --event and prove --from/--to print proofs the RFC verifiers accept; a bad index is a usage error', async () => {
    // What the command prints is JSON.stringify(prove(...)): checked here for many points in one
    // process, and through the command itself for one of each kind.
    const kernel = Kernel.fromText(RULED, await loadCoreFromDisk('release'));
    kernel.run({ events: 1200 });
    for (const [event, at] of [[0, 1], [5, 1200], [1199, 1200], [1023, 1024], [700, 1100], [31, 32], [32, 33]]) {
      const proof = prove(kernel, { event, at }) as { leaf: string; path: string[]; root: string };
      expect(verifyInclusion(event, at, sha256(LEAF, bytes(proof.leaf)), proof.path.map(bytes), bytes(proof.root)), `${event} in ${at}`).toBe(true);
      expect(verifyInclusion(event, at, sha256(LEAF, bytes(proof.leaf.replace(/^01/, '02'))), proof.path.map(bytes), bytes(proof.root))).toBe(false);
    }
    for (const [from, to] of [[1, 1], [1, 1200], [64, 1200], [1000, 1000], [1000, 1001], [1023, 1200], [512, 1024]]) {
      const proof = prove(kernel, { from, to }) as { oldRoot: string; newRoot: string; proof: string[] };
      expect(verifyConsistency(from, to, bytes(proof.oldRoot), bytes(proof.newRoot), proof.proof.map(bytes)), `${from} -> ${to}`).toBe(true);
    }

    const inclusion = cli('prove', spec, '--events', '1200', '--event', '700', '--at', '1100', '--json');
    expect(inclusion.status, inclusion.stderr).toBe(0);
    const printed = JSON.parse(inclusion.stdout);
    expect(Object.keys(printed)).toEqual(['treeSize', 'root', 'leafIndex', 'leaf', 'path']);
    expect([printed.treeSize, printed.leafIndex]).toEqual([1100, 700]);
    expect(verifyInclusion(700, 1100, sha256(LEAF, bytes(printed.leaf)), printed.path.map(bytes), bytes(printed.root))).toBe(true);
    const consistency = cli('prove', spec, '--events', '1200', '--from', '300', '--to', '1200', '--json');
    expect(consistency.status, consistency.stderr).toBe(0);
    const shown = JSON.parse(consistency.stdout);
    expect(Object.keys(shown)).toEqual(['from', 'to', 'oldRoot', 'newRoot', 'proof']);
    expect(shown.newRoot).toBe(kernel.rootAt(1200));
    expect(verifyConsistency(300, 1200, bytes(shown.oldRoot), bytes(shown.newRoot), shown.proof.map(bytes))).toBe(true);
    const bad = cli('prove', spec, '--events', '1200', '--event', '1200', '--json');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--event 1200: not among the 1200 events of the tree/);
    expect(() => prove(kernel, {})).toThrow(/either --event K/);
  });

  it('audit lists the root, the rules and every violation with its cause chain and a proof that checks', async () => {
    const html = join(dir, 'report.html');
    const run = cli('audit', spec, '--events', '1200', '--json', '--html', html);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.root).toMatch(/^[0-9a-f]{64}$/);
    expect(report.rules.map((rule: { name: string; severity: string }) => `${rule.name}:${rule.severity}`)).toEqual(['fragile-alive:critical', 'few-restarts:warning', 'always-true:error', 'flaky-ok:invariant']);
    expect(report.violations.length).toBe(report.violationCount);
    expect(report.violations.length).toBeGreaterThan(2);
    for (const violation of report.violations) {
      expect(violation.causes[0].seq).toBe(violation.seq);
      expect(violation.causes.length).toBeGreaterThan(1);
      expect(violation.proof.root).toBe(report.root);
      expect(verifyInclusion(violation.seq, report.cursor, sha256(LEAF, bytes(violation.proof.leaf)), violation.proof.path.map(bytes), bytes(report.root))).toBe(true);
    }
    const page = readFileSync(html, 'utf8');
    expect(page).toContain(report.root);
    expect(page).toContain('the fragile worker never fails');
    expect(page).not.toMatch(/<script/i);
    const kernel = Kernel.fromText(RULED, await loadCoreFromDisk('release'));
    kernel.run({ events: 1200 });
    const markdown = audit(kernel, { json: false });
    expect(markdown).toContain(`Merkle root (RFC 6962, SHA-256; leaves are canonical events, version 1): \`${report.root}\``);
    for (const violation of report.violations) expect(markdown).toContain(`### #${violation.seq} at`);
  });
});
