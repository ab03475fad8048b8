// The check plan (src/kernel/check-plan.ts) against the reference: random specs with random
// invariants, run with random interventions and seeks (re-execution, forks) once with the plan and
// once evaluating every check after every event through the StateView. The journals, the
// violations included, must be the same event for event. And each event type the plan trusts
// (EVENT_CHANGES) is held to what it may change, over the examples and random specs.
// A failure prints the fast-check seed: FC_SEED=<seed> npx vitest run tests/sim/check-plan.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exampleNames, exampleText, kernelFor, testRandom } from '../helpers/kernel';
import { randomSpec } from './random-specs';
import { changedClasses, inputSnapshot } from './check-inputs';
import { EVENT_CHANGES } from '../../src/kernel/check-plan';
import { EVENT_SCHEMA } from '../../src/kernel/events';
import { InvariantChecks } from '../../src/kernel/spec-checks';
import { Kernel } from '../../src/kernel/kernel';
import { Scalar, STATUS_NAMES } from '../../src/kernel/state';
import type { Intervention } from '../../src/kernel/syscalls/world';
import type { Spec } from '../../src/spec/types';
import { DETECTORS } from '../../src/spec/autonomy';
import { loadDebugCore } from '../helpers/core';

const SEED = Number(process.env.FC_SEED ?? 20261207);
const RUNS = Number(process.env.FC_RUNS ?? 24);
const EVENTS = 1200;
/** Violations seen over all runs: the property means something only if invariants break. */
let violations = 0;

/** A random condition over the spec's own names (so some hold, some break and heal). */
function randomCondition(spec: Spec, random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const int = (max: number) => Math.floor(random() * (max + 1));
  const agent = () => `agents["${pick(spec.agents).name}"]`;
  const node = () => `nodes.n${int(spec.cluster.nodeCount - 1)}`;
  const numbers: Array<() => string> = [
    () => `${agent()}.${pick(['processes', 'running', 'blocked', 'exited', 'failed', 'restarts', 'sent', 'received'])}`,
    () => `${agent()}.${pick(['cpuTicks', 'heapBytes'])} / ${pick(['1ms', '1KiB', '7'])}`,
    () => `procs[${int(4)}].${pick(['heapBytes', 'cpuTicks', 'sent', 'received', 'restarts', 'node', 'nice', 'replica'])}`,
    () => `procs[event.pid].${pick(['sent', 'received', 'restarts', 'node'])}`,
    () => `${node()}.${pick(['runnable', 'group'])}`,
    () => `${node()}.heapUsedBytes / 1KiB`,
    () => `tick % ${pick(['3ms', '7ms', '500us'])}`,
    () => 'seq % 13',
    () => 'event.pid',
    () => 'event.node',
  ];
  if (spec.channels.length > 0) {
    numbers.push(() => {
      const c = pick(spec.channels);
      return `channels["${c.from.agent}.${c.from.port}->${c.to.agent}.${c.to.port}"].${pick(['queued', 'capacity', 'sent', 'delivered', 'dropped'])}`;
    });
  }
  if (spec.shared.length > 0) numbers.push(() => `shared.${pick(spec.shared).name}.n${int(spec.cluster.nodeCount - 1)}`);
  const number = (depth: number): string => {
    if (depth > 1 || random() < 0.6) return random() < 0.85 ? pick(numbers)() : String(int(5));
    return `(${number(depth + 1)} ${pick(['+', '-', '*', '%'])} ${number(depth + 1)})`;
  };
  const conditions: Array<(depth: number) => string> = [
    (depth) => `${number(depth)} ${pick(['<', '<=', '>', '>=', '==', '!='])} ${random() < 0.7 ? String(int(4)) : number(depth)}`,
    () => `${String(int(3))} ${pick(['<', '>='])} ${pick(numbers)()}`,
    () => `event.type ${pick(['==', '!='])} "${pick(EVENT_SCHEMA)[0]}"`,
    () => `procs[${pick(['0', '1', 'event.pid'])}].status ${pick(['==', '!='])} "${pick(STATUS_NAMES)}"`,
    () => `procs[${int(3)}].agent == "${pick(spec.agents).name}"`,
    () => `${node()}.up`,
    () => `${node()}.runnable ${pick(['<', '>=', '=='])} ${int(3)}`,
    () => `${agent()}.${pick(['running', 'blocked'])} ${pick(['<', '>=', '=='])} ${int(2)}`,
  ];
  if (spec.shared.length > 0 && spec.cluster.nodeCount > 1) conditions.push(() => `shared.${pick(spec.shared).name}.converged`);
  const condition = (depth: number): string => {
    if (depth > 2 || random() < 0.4) return pick(conditions)(depth);
    switch (int(3)) {
      case 0: return `!(${condition(depth + 1)})`;
      case 1: return `(${condition(depth + 1)}) ? (${condition(depth + 1)}) : (${condition(depth + 1)})`;
      default: return `(${condition(depth + 1)}) ${pick(['&&', '||'])} (${condition(depth + 1)})`;
    }
  };
  return condition(0);
}

function randomIntervention(kernel: Kernel, random: () => number): Intervention {
  const pid = Math.floor(random() * Math.max(1, kernel.machine.state.scalars[Scalar.nextPid]));
  const channels = kernel.spec.channels.length;
  if (channels > 0 && random() < 0.2) return { kind: 'inject', channel: Math.floor(random() * channels), size: 64 };
  switch (Math.floor(random() * 5)) {
    case 0: return { kind: 'kill', pid };
    case 1: return { kind: 'restart', pid };
    case 2: return { kind: 'pause', pid };
    case 3: return { kind: 'resume', pid };
    default: return { kind: 'nice', pid, nice: Math.floor(random() * 40) - 20 };
  }
}

function journalLines(kernel: Kernel): string[] {
  const journal = kernel.machine.journal;
  return Array.from({ length: journal.length }, (_, seq) => JSON.stringify(journal.event(seq)));
}

/** The same script of runs, interventions and seeks on a kernel with the plan and on one with the reference. */
async function compare(specSeed: number, scriptSeed: number): Promise<void> {
  const base = randomSpec(specSeed);
  const spec = Kernel.fromText(base, await loadDebugCore()).spec;
  const cores = [await loadDebugCore(), await loadDebugCore()];
  const random = testRandom(scriptSeed);
  const conditions = Array.from({ length: 1 + Math.floor(random() * 5) }, () => randomCondition(spec, random));
  const text = `${base.trimEnd()}\ninvariants:\n${conditions.map((always, i) => `  - { name: c${i}, always: '${always}' }`).join('\n')}\n`;
  const kernels = [false, true].map((reference, index) => {
    InvariantChecks.reference = reference;
    try {
      const kernel = Kernel.fromText(text, cores[index]);
      kernel.machine.snapshotInterval = 128;
      return kernel;
    } finally {
      InvariantChecks.reference = false;
    }
  });
  const script: Array<(kernel: Kernel) => void> = [];
  for (let step = 0; step < 14; step++) {
    const choice = random();
    const amount = 1 + Math.floor(random() * 200);
    const interventionRandom = Math.floor(random() * 2 ** 31);
    const back = random();
    if (choice < 0.55) script.push((kernel) => { kernel.run({ events: Math.min(EVENTS, kernel.cursor + amount) }); });
    else if (choice < 0.8) {
      script.push((kernel) => {
        if (kernel.cursor === 0) return;
        try {
          kernel.intervene(randomIntervention(kernel, testRandom(interventionRandom)));
        } catch (error) {
          if ((error as Error).name !== 'InterventionError') throw error;
        }
      });
    } else script.push((kernel) => { kernel.seek(Math.floor(back * kernel.cursor)); });
  }
  for (const [index, step] of script.entries()) {
    for (const kernel of kernels) step(kernel);
    const [plan, reference] = kernels;
    expect(plan.cursor, `cursor after step ${index}`).toBe(reference.cursor);
    expect(Array.from(plan.machine.state.invariantBroken), `broken after step ${index}`).toEqual(Array.from(reference.machine.state.invariantBroken));
    expect(Array.from(plan.machine.state.invariantPending), `pending after step ${index}`).toEqual(Array.from(reference.machine.state.invariantPending));
  }
  for (const kernel of kernels) kernel.run({ events: EVENTS });
  const [plan, reference] = kernels;
  expect(journalLines(plan)).toEqual(journalLines(reference));
  violations += Array.from(reference.machine.state.invariantViolations).reduce((sum, count) => sum + count, 0);
  expect(Array.from(plan.machine.state.invariantFirstSeq)).toEqual(Array.from(reference.machine.state.invariantFirstSeq));
  expect(plan.stateHash()).toBe(reference.stateHash());
}

describe('the check plan gives what evaluating every check after every event gives', () => {
  it(`random specs, invariants, interventions and seeks (fast-check seed ${SEED})`, async () => {
    console.log(`check-plan property: FC_SEED=${SEED}`);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (specSeed, scriptSeed) => {
        await compare(specSeed, scriptSeed);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    console.log(`check-plan property: ${violations} violations over ${RUNS} runs`);
    expect(violations).toBeGreaterThan(RUNS);
  }, 600_000);
});

describe('event types change only what EVENT_CHANGES says', () => {
  const autonomy = (seed: number) => {
    const random = testRandom(seed);
    return `${randomSpec(seed).trimEnd()}\nautonomy: { detect: [${DETECTORS.filter(() => random() < 0.7).join(', ')}], heal: on, tune: on, window: 1ms, capacity: 2, replicas: 1 }\n`;
  };
  const texts: Array<[string, string]> = [
    ...exampleNames().map((name): [string, string] => [name, exampleText(name)]),
    ...Array.from({ length: 16 }, (_, i): [string, string] => [`random ${7000 + i}`, randomSpec(7000 + i)]),
    ...Array.from({ length: 6 }, (_, i): [string, string] => [`random ${8000 + i} with autonomy`, autonomy(8000 + i)]),
  ];
  for (const [name, original] of texts) {
    it(name, async () => {
      const text = /^invariants:/m.test(original) ? original : `${original.trimEnd()}\ninvariants:\n  - { name: probe, always: 'tick >= 0' }\n`;
      const kernel = await kernelFor(text);
      const checks = kernel.machine.invariants!;
      const afterEvent = checks.afterEvent.bind(checks);
      const random = testRandom(name.length * 7919);
      let before = inputSnapshot(kernel);
      const wrong: string[] = [];
      checks.afterEvent = (state, seq, type, node, pid) => {
        const after = inputSnapshot(kernel);
        const typeName = EVENT_SCHEMA[type][0];
        const allowed = EVENT_CHANGES[typeName];
        if (allowed) {
          for (const changed of changedClasses(before, after, pid)) {
            if (!allowed.includes(changed) && wrong.length < 5) wrong.push(`event ${seq} (${typeName}, pid ${pid}) changed ${changed}`);
          }
        }
        before = after;
        afterEvent(state, seq, type, node, pid);
      };
      while (kernel.cursor < 2500) {
        if (kernel.run({ events: kernel.cursor + 50 }) !== 'events') break;
        if (random() < 0.3) {
          try {
            kernel.intervene(randomIntervention(kernel, random));
          } catch (error) {
            if ((error as Error).name !== 'InterventionError') throw error;
          }
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});
