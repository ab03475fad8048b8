// Spec invariants in the kernel: checked after every event, a violation is an event whose cause is
// the event that broke it. Checked against an independent scan of the same run without invariants:
// the violations are exactly the moments each condition went from holding to not holding.
import { describe, expect, it } from 'vitest';
import { exampleNames, exampleText, kernelFor } from '../helpers/kernel';
import { compileExpression } from '../../src/expr/index';
import { EventCode, INVARIANT_PART_STRIDE } from '../../src/kernel/events';
import { exprContext, KernelExprView } from '../../src/kernel/spec-checks';
import type { Kernel } from '../../src/kernel/kernel';
import { eventText } from '../../src/worker/event-text';
import { nearestFailure } from '../../src/worker/density';

const EVENTS = 6000;
const VIOLATED = EventCode['invariant/violated'];

/** Invariants that come and go on any example: built from its own names. */
function invariantsFor(kernel: Kernel): string[] {
  const { spec } = kernel;
  const list = [`agents["${spec.agents[0].name}"].blocked == 0`, 'nodes.n0.runnable <= 1', 'tick % 7ms < 5ms || agents["' + spec.agents[spec.agents.length - 1].name + '"].running > 0'];
  if (spec.channels.length > 0) {
    const c = spec.channels[0];
    list.push(`channels["${c.from.agent}.${c.from.port}->${c.to.agent}.${c.to.port}"].queued < 3`);
  }
  if (spec.shared.length > 0 && spec.cluster.nodeCount > 1) list.push(`shared.${spec.shared[0].name}.converged`);
  return list;
}

const withInvariants = (text: string, conditions: readonly string[]) =>
  `${text.trimEnd()}\ninvariants:\n${conditions.map((condition, i) => `  - { name: i${i}, always: '${condition}' }`).join('\n')}\n`;

/** [seq of the breaking event in the plain run, invariant index] for each time a condition stops holding. */
function expectedViolations(plain: Kernel, conditions: readonly string[]): [number, number][] {
  const view = new KernelExprView(plain.machine);
  const compiled = conditions.map((text) => compileExpression(text, exprContext(plain.spec), 'bool'));
  const broken = conditions.map(() => false);
  const found: [number, number][] = [];
  plain.seek(0);
  while (plain.cursor < plain.machine.journal.length) {
    plain.machine.run({ events: plain.cursor + 1 });
    compiled.forEach((c, i) => {
      const now = !c.evaluate(view);
      if (now && !broken[i]) found.push([plain.cursor - 1, i]);
      broken[i] = now;
    });
  }
  return found;
}

describe('invariants are checked after every event', () => {
  // Examples that declare invariants of their own are checked by their own tests (examples.test.ts):
  // here the plain run must have no violations to map the checked run's events back onto.
  for (const name of exampleNames().filter((file) => !/^invariants:/m.test(exampleText(file)))) {
    it(`${name}: violations are exactly where each condition stops holding, each caused by that event`, async () => {
      const plain = await kernelFor(exampleText(name));
      plain.run({ events: EVENTS });
      const conditions = invariantsFor(plain);
      const checked = await kernelFor(withInvariants(exampleText(name), conditions));
      checked.run({ events: EVENTS * 2 });
      const journal = checked.machine.journal;
      // Map back to the plain run: the cause's seq minus the reports before it.
      const mapped: [number, number][] = [];
      let before = 0;
      for (let seq = 0; seq < journal.length; seq++) {
        if (journal.type(seq) !== VIOLATED) continue;
        const event = journal.event(seq) as { cause: number; invariant: number };
        const reportsBeforeCause = before - (seq - event.cause - 1);
        mapped.push([event.cause - reportsBeforeCause, event.invariant % INVARIANT_PART_STRIDE]);
        before++;
      }
      const plainEvents = journal.length - before;
      const plainFull = await kernelFor(exampleText(name));
      plainFull.run({ events: plainEvents });
      // A run that stops right after a breaking event has its report still due.
      const due = checked.machine.state.invariantPending.some((flag) => flag === 1);
      const expected = expectedViolations(plainFull, conditions).filter(([seq]) => !due || seq < plainEvents - 1);
      expect(mapped.length, 'some invariant is violated').toBeGreaterThan(0);
      expect(mapped).toEqual(expected);
      // Counted in the state, first seq remembered.
      const state = checked.machine.state;
      conditions.forEach((_, i) => {
        const ofThis = mapped.filter(([, index]) => index === i).length;
        expect(state.invariantViolations[i]).toBe(ofThis);
      });
      // Re-execution reproduces it (seek checks every event) and the hash comes back.
      const hash = checked.stateHash();
      checked.seek(Math.floor(checked.cursor / 3));
      checked.seek(journal.length);
      expect(checked.stateHash()).toBe(hash);
    });
  }

  it('an invariant that always holds leaves the journal byte for byte as without it', async () => {
    const text = exampleText('partition-crdt.yaml');
    const plain = await kernelFor(text);
    plain.run({ events: EVENTS });
    const checked = await kernelFor(withInvariants(text, ['tick >= 0', 'agents.left.processes <= 1']));
    checked.run({ events: EVENTS });
    expect(checked.machine.journal.encode()).toEqual(plain.machine.journal.encode());
  });

  it('the violation carries the values that broke it', async () => {
    const kernel = await kernelFor(withInvariants(exampleText('partition-crdt.yaml'), ['shared.visits.n0 <= shared.visits.n1 + 2']));
    kernel.run({});
    const journal = kernel.machine.journal;
    let seen = 0;
    for (let seq = 0; seq < journal.length; seq++) {
      if (journal.type(seq) !== VIOLATED) continue;
      const event = journal.event(seq) as { left: number; right: number };
      expect(event.left).toBeGreaterThan(event.right);
      if (seen === 0) {
        expect(eventText(kernel, seq)).toBe(`invariant i0 broken: shared.visits.n0 <= shared.visits.n1 + 2 — shared.visits.n0 is ${event.left}, shared.visits.n1 + 2 is ${event.right}`);
        expect(nearestFailure(kernel, seq, 1)).toBe(seq + 1); // a failure on the strip, reachable with ›
      }
      seen++;
    }
    expect(seen).toBeGreaterThan(0);
  });
});
