// `rules:` are invariants with a severity and a text (src/audit): checked after every event like
// invariants, a violation is a rule/violated event whose cause is the event that broke it.
import { describe, expect, it } from 'vitest';
import { Kernel, SpecInvalidError } from '../../src/kernel/kernel';
import { EventCode } from '../../src/kernel/events';
import { eventText } from '../../src/worker/event-text';
import { parseSpec } from '../../src/spec/index';
import { loadDebugCore } from '../helpers/core';
import { RULED } from '../helpers/rules';
import { exampleText } from '../helpers/kernel';


describe('rules', () => {
  it('a rule that becomes false is a rule/violated event caused by the event that broke it, in words with its severity and text', async () => {
    const kernel = Kernel.fromText(RULED, await loadDebugCore());
    kernel.run({ events: 20_000 });
    const journal = kernel.machine.journal;
    const rules: number[] = [], invariants: number[] = [];
    for (let seq = 0; seq < journal.length; seq++) {
      if (journal.type(seq) === EventCode['rule/violated']) rules.push(seq);
      if (journal.type(seq) === EventCode['invariant/violated']) invariants.push(seq);
    }
    expect(invariants.length).toBeGreaterThan(0);
    expect(rules.length).toBeGreaterThanOrEqual(2);
    const byRule = new Map<number, number[]>();
    for (const seq of rules) byRule.set(journal.a(seq) % 64, [...(byRule.get(journal.a(seq) % 64) ?? []), seq]);
    expect([...byRule.keys()].sort()).toEqual([0, 1]); // always-true never breaks
    const first = byRule.get(0)![0];
    const cause = journal.cause(first);
    expect(journal.type(cause)).toBe(EventCode['process/failed']); // the fragile worker's failure
    expect(kernel.machine.state.procAgent[journal.pid(cause)]).toBe(kernel.spec.agents.findIndex((agent) => agent.name === 'fragile'));
    expect(eventText(kernel, first)).toBe('rule fragile-alive (critical: the fragile worker never fails) broken: agents.fragile.failed == 0 — agents.fragile.failed is 1');
    // Counted apart from the invariants: the state's slots are invariants first, then rules.
    const { state } = kernel.machine;
    expect(state.invariantViolations[1]).toBe(byRule.get(0)!.length);
    expect(state.invariantViolations[2]).toBe(byRule.get(1)!.length);
    expect(state.invariantViolations[0]).toBe(invariants.length);
    // Re-execution emits the same reports.
    const hash = kernel.stateHash();
    kernel.seek(100);
    kernel.seek(journal.length);
    expect(kernel.stateHash()).toBe(hash);
  });

  it('a spec without rules runs exactly as before, and bad rules are errors with line and column', async () => {
    const spec = parseSpec(exampleText('crash-restart.yaml'));
    expect(spec.ok && spec.spec.rules).toEqual([]);
    const bad = (rules: string) => parseSpec(`${exampleText('crash-restart.yaml').trimEnd()}\nrules:\n${rules}\n`);
    const errors = (rules: string) => {
      const result = bad(rules);
      return result.ok ? [] : result.errors.map((error) => `${error.line}:${error.column} ${error.message}`);
    };
    expect(errors('  - { name: x, always: agents.flaky.failed == 0, severity: fatal, text: t }').join('\n')).toMatch(/info, warning, error, critical/);
    expect(errors('  - { name: x, always: agents.flaky.failed == 0 }').join('\n')).toMatch(/text/);
    expect(errors('  - { name: x, always: agents.nobody.failed == 0, text: t }').join('\n')).toMatch(/nobody/);
    expect(errors('  - { name: x, always: tick > 0, text: t }\n  - { name: x, always: tick > 0, text: t }').join('\n')).toMatch(/a second rule named "x"/);
    expect(errors('  - { name: x, always: tick > 0, text: t, weight: 3 }').join('\n')).toMatch(/weight/);
    expect(() => Kernel.fromText(`${exampleText('crash-restart.yaml').trimEnd()}\nrules: 3\n`, undefined as never)).toThrow(SpecInvalidError);
  });
});
