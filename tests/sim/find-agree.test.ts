// For any predicate P, three answers to "where does P first hold?" agree (design.md, Expressions):
// the kernel's find (firstHolds), the first violation of the invariant `always: !(P)`, and the CLI's
// `agentos find`; and all three equal the least event S after which P is true (a brute-force scan,
// as `SELECT min(seq)` would say). Random predicates over the partition example's own names.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exampleText, kernelFor } from '../helpers/kernel';
import { invariantReports } from '../../src/cli/observe';

const EVENTS = 2500;
const BASE = exampleText('partition-crdt.yaml').trimEnd();
const LEAVES = ['shared.visits.n0', 'shared.visits.n1', 'shared.visits.n2', 'shared.notes.n1', 'agents.left.cpuTicks', 'agents.middle.blocked', 'nodes.n0.runnable', 'tick / 1ms', 'procs[1].heapBytes'];

const intTerm = fc.oneof(
  fc.constantFrom(...LEAVES),
  fc.tuple(fc.constantFrom(...LEAVES), fc.constantFrom('+', '-'), fc.constantFrom(...LEAVES)).map(([a, op, b]) => `(${a} ${op} ${b})`),
);
const comparison = fc.tuple(intTerm, fc.constantFrom('<', '<=', '>', '>=', '==', '!='), fc.oneof(intTerm, fc.integer({ min: 0, max: 120 }).map(String)))
  .map(([a, op, b]) => `${a} ${op} ${b}`);
const predicate = fc.oneof(
  comparison,
  fc.tuple(comparison, fc.constantFrom('&&', '||'), comparison).map(([a, op, b]) => `(${a}) ${op} (${b})`),
  fc.constantFrom('shared.visits.converged', '!shared.seen.converged', 'nodes.n1.up && tick > 60ms'),
);

const specWith = (p: string) => `${BASE}\ninvariants:\n  - { name: not-p, always: '!(${p})' }\n`;

function agentos(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function answers(p: string) {
  const kernel = await kernelFor(specWith(p));
  kernel.run({ events: EVENTS });
  const holds = kernel.predicate(kernel.expression(p));
  // Brute force: the least S with P true after event S.
  let brute: number | null = null;
  kernel.seek(0);
  while (kernel.cursor < kernel.machine.journal.length && brute === null) {
    kernel.machine.run({ events: kernel.cursor + 1 });
    if (holds(kernel)) brute = kernel.cursor - 1;
  }
  kernel.seek(kernel.machine.journal.length);
  const invariant = invariantReports(kernel)[0].firstViolatedAt; // counted in the state at the end
  const found = kernel.firstHolds(holds, 0) ?? null;
  return { brute, found, invariant };
}

describe('find, the first invariant violation and the CLI agree', () => {
  it('for random predicates (kernel find = first violation = brute force)', async () => {
    await fc.assert(fc.asyncProperty(predicate, async (p) => {
      const { brute, found, invariant } = await answers(p);
      expect(found, p).toBe(brute);
      expect(invariant, p).toBe(brute);
    }), { numRuns: 15, seed: 11 });
  });

  it('and the CLI says the same seq, for a few of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentos-find-'));
    const samples = fc.sample(predicate, { numRuns: 2, seed: 5 });
    for (const [index, p] of [...samples, 'shared.visits.n0 != shared.visits.n1'].entries()) {
      const file = join(dir, `spec-${index}.yaml`);
      writeFileSync(file, specWith(p));
      const { brute } = await answers(p);
      const cli = agentos('find', file, p, '--events', String(EVENTS), '--json');
      expect(cli.code, cli.stderr).toBe(0);
      expect(JSON.parse(cli.stdout), p).toMatchObject({ expression: p, seq: brute });
      const run = agentos('run', file, '--events', String(EVENTS), '--json');
      expect(JSON.parse(run.stdout).invariants, p).toEqual([expect.objectContaining({ name: 'not-p', firstViolatedAt: brute })]);
    }
  }, 120_000);
});
