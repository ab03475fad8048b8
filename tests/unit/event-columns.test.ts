// The Events list's who column fits the session's widest "agent[replica] · pid N", within bounds.
import { describe, expect, it } from 'vitest';
import { WHO_CH_MAX, WHO_CH_MIN, whoColumnCh } from '../../src/ui/panels/event-columns';

describe('whoColumnCh', () => {
  it('fits the widest label of the swarm: "forager[998] · pid 999"', () => {
    const agents = [{ name: 'queen', replicas: 1 }, { name: 'forager', replicas: 999 }];
    expect(whoColumnCh(agents, [])).toBe('forager[998] · pid 999'.length);
  });

  it('grows with processes beyond the boot replicas (scaled), and is bounded both ways', () => {
    expect(whoColumnCh([{ name: 'pool', replicas: 2 }], [{ pid: 1234, agent: 'pool', replica: 1200 }])).toBe('pool[1200] · pid 1234'.length);
    expect(whoColumnCh([{ name: 'a', replicas: 1 }], [])).toBe(WHO_CH_MIN);
    expect(whoColumnCh([{ name: 'x'.repeat(200), replicas: 1 }], [])).toBe(WHO_CH_MAX);
    expect(whoColumnCh([], [])).toBe(WHO_CH_MIN);
  });
});
