// The economy (seed 003, initiative 1): agents with a `budget` pay for granted bids from it; a bid
// the budget cannot cover, or one still outbid when its timeout ends, fails the process with
// RESOURCE_DENIED. Agents without a budget keep the old rule (a timed-out bid goes on).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { kernelFor } from '../helpers/kernel';
import { events, pidsOf } from '../helpers/queries';
import { DeniedWhy, FailReason } from '../../src/kernel/events';
import { Status } from '../../src/kernel/state';
import { Kernel } from '../../src/kernel/kernel';
import { parseSpec } from '../../src/spec/index';
import { loadDebugCore } from '../helpers/core';

const spec = (body: string) => `agentos: 1\nname: economy\nseed: 5\n${body}`;

describe('budgets and RESOURCE_DENIED', () => {
  it('a granted bid pays from the budget; the bid it cannot cover fails the process', async () => {
    const kernel = await kernelFor(spec(`resources:
  gpu: { units: 1, auction: first-price }
agents:
  buyer:
    budget: 25
    program: bidder
    args: { resource: gpu, price: 10, hold: 1ms, think: 1ms, rounds: 5 }
`));
    expect(kernel.run({ events: 10_000 })).toBe('quiescent');
    const [buyer] = pidsOf(kernel, 'buyer');
    const granted = events(kernel, 'resource/granted');
    expect(granted.map((e) => e.price)).toEqual([10, 10]);
    const denied = events(kernel, 'resource/denied');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ pid: buyer, resource: 0, price: 10, why: DeniedWhy.budget });
    const state = kernel.machine.state;
    expect(state.procStatus[buyer]).toBe(Status.failed);
    expect(state.procFailReason[buyer]).toBe(FailReason.resourceDenied);
    expect(state.procSpent[buyer]).toBe(20);
    expect(kernel.exprView && kernel.expression('agents.buyer.spent', 'value').evaluate(kernel.exprView)).toBe(20);
    expect(kernel.expression('agents.buyer.failed', 'value').evaluate(kernel.exprView)).toBe(1);
  });

  it('second price: the winner pays the runner-up, so a budget lasts longer than under first price', async () => {
    const run = async (auction: string) => {
      const kernel = await kernelFor(spec(`resources:
  gpu: { units: 1, auction: ${auction} }
agents:
  rich:
    budget: 200
    program: bidder
    args: { resource: gpu, price: 20, hold: 2ms, think: 1ms, rounds: 40 }
  other:
    replicas: 2
    program: bidder
    args: { resource: gpu, price: 5, hold: 2ms, think: 1ms, rounds: 40 }
`));
      kernel.run({ events: 200_000 });
      const [rich] = pidsOf(kernel, 'rich');
      const paid = events(kernel, 'resource/granted').filter((e) => e.pid === rich).reduce((sum, e) => sum + e.price, 0);
      expect(kernel.machine.state.procSpent[rich]).toBe(paid);
      expect(paid).toBeLessThanOrEqual(200);
      return { grants: events(kernel, 'resource/granted').filter((e) => e.pid === rich).length, denied: events(kernel, 'resource/denied').filter((e) => e.pid === rich).length };
    };
    const first = await run('first-price');
    const second = await run('second-price');
    expect(first.grants).toBe(10); // 200 / 20, then denied
    expect(first.denied).toBe(1);
    expect(second.grants).toBeGreaterThan(first.grants);
  });

  it('a budgeted bid still outbid when its timeout ends is denied; an unbudgeted one goes on', async () => {
    const text = (budget: string) => spec(`resources:
  gpu: { units: 1 }
agents:
  hog:
    program:
      - bid: { resource: gpu, price: 50 }
      - compute: 50ms
      - release: gpu
  poor:
    ${budget}
    program:
      - sleep: 1ms
      - bid: { resource: gpu, price: 1, timeout: 5ms }
      - compute: 1ms
`);
    const budgeted = await kernelFor(text('budget: 100'));
    budgeted.run({ events: 10_000 });
    const [poor] = pidsOf(budgeted, 'poor');
    const denied = events(budgeted, 'resource/denied');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ pid: poor, price: 1, why: DeniedWhy.outbid });
    const bid = events(budgeted, 'resource/bid').find((e) => e.pid === poor)!;
    expect(denied[0].tick - bid.tick).toBe(5000); // the bid's timeout, 5ms
    expect(budgeted.machine.state.procFailReason[poor]).toBe(FailReason.resourceDenied);
    expect(events(budgeted, 'ipc/timedOut')).toHaveLength(0);

    const free = await kernelFor(text('priority: 0'));
    free.run({ events: 10_000 });
    expect(events(free, 'resource/denied')).toHaveLength(0);
    expect(events(free, 'ipc/timedOut')).toHaveLength(1);
    expect(free.machine.state.procStatus[pidsOf(free, 'poor')[0]]).toBe(Status.exited);
  });

  it('a restart does not refill the budget: on-failure restarts are denied again until the limit', async () => {
    const kernel = await kernelFor(spec(`resources:
  gpu: { units: 1, auction: first-price }
agents:
  buyer:
    budget: 10
    restart: { policy: on-failure, max: 3, backoff: 1ms }
    program: bidder
    args: { resource: gpu, price: 10, hold: 1ms, think: 1ms, rounds: 5 }
`));
    expect(kernel.run({ events: 10_000 })).toBe('quiescent');
    expect(events(kernel, 'resource/granted')).toHaveLength(1);
    expect(events(kernel, 'resource/denied')).toHaveLength(4); // the first run and 3 restarts
    expect(events(kernel, 'process/restarted')).toHaveLength(3);
  });

  it('replays exactly: a session and a seek back across denials give the same stateHash', async () => {
    const text = spec(`resources:
  gpu: { units: 2, auction: second-price }
agents:
  a:
    replicas: 3
    budget: 60
    restart: on-failure
    program: bidder
    args: { resource: gpu, price: 15, hold: 3ms, think: 1ms, rounds: 20, timeout: 4ms }
  b:
    replicas: 2
    budget: 30
    program: bidder
    args: { resource: gpu, price: 9, hold: 2ms, think: 1ms, rounds: 20, timeout: 2ms }
`);
    const kernel = await kernelFor(text);
    kernel.run({ events: 5_000 });
    expect(events(kernel, 'resource/denied').length).toBeGreaterThan(0);
    const end = kernel.cursor, hash = kernel.stateHash();
    const replayed = Kernel.fromSession(kernel.toSession(), await loadDebugCore());
    replayed.run({ events: end });
    expect(replayed.stateHash()).toBe(hash);
    const middle = events(kernel, 'resource/denied')[0].seq + 1;
    kernel.seek(middle);
    const atMiddle = kernel.stateHash();
    kernel.seek(end);
    expect(kernel.stateHash()).toBe(hash);
    kernel.seek(middle);
    expect(kernel.stateHash()).toBe(atMiddle);
  });

  it('property: nobody spends past its budget, and every denial is a failure with its reason', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          auction: fc.constantFrom('first-price', 'second-price'),
          units: fc.integer({ min: 1, max: 3 }),
          seed: fc.integer({ min: 1, max: 1000 }),
          agents: fc.array(fc.record({
            budget: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
            price: fc.integer({ min: 0, max: 40 }),
            timeout: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
            replicas: fc.integer({ min: 1, max: 3 }),
          }), { minLength: 1, maxLength: 4 }),
        }),
        async (plan) => {
          const agents = plan.agents.map((a, i) => `  g${i}:
    replicas: ${a.replicas}
${a.budget === undefined ? '' : `    budget: ${a.budget}\n`}    restart: { policy: on-failure, max: 2 }
    program: bidder
    args: { resource: gpu, price: ${a.price}, hold: 2ms, think: 1ms, rounds: 8${a.timeout === undefined ? '' : `, timeout: ${a.timeout}ms`} }
`).join('');
          const text = `agentos: 1\nseed: ${plan.seed}\nresources:\n  gpu: { units: ${plan.units}, auction: ${plan.auction} }\nagents:\n${agents}`;
          const kernel = await kernelFor(text);
          kernel.run({ events: 20_000 });
          const state = kernel.machine.state;
          const paid = new Map<number, number>();
          for (const grant of events(kernel, 'resource/granted')) paid.set(grant.pid, (paid.get(grant.pid) ?? 0) + grant.price);
          for (const [pid, sum] of paid) {
            const budget = kernel.spec.agents[state.procAgent[pid]].budget;
            if (plan.agents.some((a) => a.budget !== undefined)) expect(state.procSpent[pid], `seed ${plan.seed}`).toBe(sum);
            else expect(state.procSpent).toHaveLength(0); // no budgets: nothing new in the state (or its hash)
            if (budget !== undefined) expect(sum).toBeLessThanOrEqual(budget);
          }
          const denied = events(kernel, 'resource/denied');
          for (const denial of denied) expect(kernel.spec.agents[state.procAgent[denial.pid]].budget, 'only budgeted agents are denied').not.toBeUndefined();
          expect(events(kernel, 'process/failed')).toHaveLength(0); // denials are failures of their own event
        },
      ),
      { numRuns: 25, seed: 12 },
    );
  });
});

describe('budget in the spec', () => {
  it('is an integer of credits; a bad one is an error at its line:column', () => {
    const ok = parseSpec('agentos: 1\nagents:\n  a:\n    budget: 0\n    program: idle\n');
    expect(ok.ok && ok.spec.agents[0].budget).toBe(0);
    const none = parseSpec('agentos: 1\nagents:\n  a:\n    program: idle\n');
    expect(none.ok && none.spec.agents[0].budget).toBeUndefined();
    for (const bad of ['-1', '1.5', 'lots', '1000000000001']) {
      const result = parseSpec(`agentos: 1\nagents:\n  a:\n    budget: ${bad}\n    program: idle\n`);
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(result.errors[0]).toMatchObject({ line: 4, column: 13 });
    }
  });
});
