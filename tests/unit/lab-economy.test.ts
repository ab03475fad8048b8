// The economy section: counts read from the journal at the stop point, and per-variant figures.
import { describe, expect, it } from 'vitest';
import { kernelFor } from '../helpers/kernel';
import { events } from '../helpers/queries';
import { economicEfficiency, economyHtml, economyMarkdown, economyOf, type EconomyLine } from '../../src/lab/economy';

const auction = (kind: string, budget: number) => `agentos: 1
seed: 3
resources:
  gpu: { units: 1, auction: ${kind} }
agents:
  rich:
    budget: ${budget}
    program: bidder
    args: { resource: gpu, price: 20, hold: 2ms, think: 1ms, rounds: 20 }
  poor:
    replicas: 2
    budget: ${budget}
    program: bidder
    args: { resource: gpu, price: 5, hold: 2ms, think: 1ms, rounds: 20, timeout: 3ms }
`;

describe('economyOf', () => {
  it('counts grants, credits paid and denials as the journal has them', async () => {
    const kernel = await kernelFor(auction('first-price', 100));
    kernel.run({ events: 50_000 });
    const economy = economyOf(kernel)!;
    const granted = events(kernel, 'resource/granted');
    expect(economy.grants).toBe(granted.length);
    expect(economy.paid).toBe(granted.reduce((sum, e) => sum + e.price, 0));
    expect(economy.denied).toBe(events(kernel, 'resource/denied').length);
    expect(economy.denied).toBeGreaterThan(0);
    expect(economy.bids).toBe(economy.grants + economy.denied + economy.timedOut);
    // at an earlier cursor, fewer
    kernel.seek(Math.floor(kernel.cursor / 3));
    expect(economyOf(kernel)!.grants).toBeLessThan(economy.grants);
  });

  it('is undefined for a spec without resources', async () => {
    const kernel = await kernelFor('agentos: 1\nagents:\n  a:\n    program: idle\n');
    kernel.run({ events: 100 });
    expect(economyOf(kernel)).toBeUndefined();
  });
});

describe('economicEfficiency', () => {
  it('per variant: average bid price, denial rate, score per unit of cost', () => {
    const lines: EconomyLine[] = [
      { variant: 'first', metrics: { grants: 10 }, economy: { bids: 12, grants: 10, paid: 200, denied: 2, timedOut: 0 } },
      { variant: 'second', metrics: { grants: 14 }, economy: { bids: 14, grants: 14, paid: 70, denied: 0, timedOut: 0 } },
      { variant: 'first', metrics: { grants: 6 }, economy: { bids: 8, grants: 6, paid: 120, denied: 1, timedOut: 1 } },
      { variant: 'none', metrics: { grants: 1 } },
    ];
    const rows = economicEfficiency(lines, 'grants');
    expect(rows.map((row) => row.variant)).toEqual(['first', 'second']);
    const [first, second] = rows;
    expect(first.averageBidPrice).toBe(320 / 16);
    expect(first.denialRate).toBe(3 / 20);
    expect(first.deniedTrials).toBe(2);
    expect(first.score).toBe(8);
    expect(first.scorePerCost).toBe(8 / 160);
    expect(second.scorePerCost).toBe(14 / 70);
    expect(second.denialRate).toBe(0);
    expect(economicEfficiency(lines).every((row) => row.scorePerCost === null)).toBe(true);
    expect(economicEfficiency([{ variant: 'x', metrics: {} }])).toEqual([]);
    expect(economyMarkdown([])).toBe('');
    const md = economyMarkdown(rows, 'grants');
    expect(md).toContain('## Economic efficiency');
    expect(md).toContain('| first | 2 | 20 | 15% | 2 of 2 | 0.05 | 160 |');
    const html = economyHtml([{ ...first, variant: '<b>&' }], 'grants');
    expect(html).toContain('&#60;b&#62;&#38;');
    expect(html).not.toContain('<b>');
  });
});
