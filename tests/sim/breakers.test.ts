// Circuit breakers on channels: closed -> open (failure rate over a window) -> half-open (after
// the cooldown) -> closed or open again, an event on each transition, sends rejected while open.
import { describe, expect, it } from 'vitest';
import { kernelFor } from '../helpers/kernel';
import { EventCode as E } from '../../src/kernel/events';
import { checkInvariants } from '../../src/kernel/invariants';
import { eventText } from '../../src/worker/event-text';

const spec = (loss: string) => `agentos: 1
cluster: { nodes: 2, loss: ${loss}, latency: 100us }
agents:
  client:
    node: n0
    program:
      - repeat: 400
        do:
          - send: { port: out, size: 64B }
          - sleep: 250us
  server:
    node: n1
    program: { repeat: forever, do: [ { recv: in } ] }
channels:
  - { from: client.out, to: server.in, capacity: 256, breaker: { threshold: 50%, window: 5ms, min: 4, cooldown: 10ms } }
`.replace('program: { repeat: forever, do: [ { recv: in } ] }', 'program: [ { repeat: forever, do: [ { recv: in } ] } ]');

async function run(text: string) {
  const kernel = await kernelFor(text);
  for (let target = 1; target <= 6000; target++) {
    if (kernel.run({ events: target }) !== 'events') break;
    checkInvariants(kernel.ctx, kernel.machine.state);
  }
  const journal = kernel.machine.journal;
  const rows = Array.from({ length: journal.length }, (_, seq) => ({ seq, type: journal.type(seq), tick: journal.tick(seq), cause: journal.cause(seq) }));
  return { kernel, rows };
}

describe('circuit breakers', () => {
  it('open on failures, reject sends while open, go half-open after the cooldown, and close or open on the trial', async () => {
    const { kernel, rows } = await run(spec('60%'));
    const transitions = rows.filter((row) => row.type === E['breaker/opened'] || row.type === E['breaker/halfOpened'] || row.type === E['breaker/closed']);
    expect(transitions.length).toBeGreaterThan(4);
    // The state machine: closed -> open -> half-open -> (closed | open) -> ...
    let state = 'closed';
    for (const row of transitions) {
      if (row.type === E['breaker/opened']) { expect(state === 'closed' || state === 'half-open').toBe(true); state = 'open'; }
      else if (row.type === E['breaker/halfOpened']) { expect(state).toBe('open'); state = 'half-open'; }
      else { expect(state).toBe('half-open'); state = 'closed'; }
    }
    // Half-open exactly one cooldown after opening.
    for (const row of transitions.filter((r) => r.type === E['breaker/halfOpened'])) {
      expect(kernel.machine.journal.type(row.cause)).toBe(E['breaker/opened']);
      expect(row.tick - kernel.machine.journal.tick(row.cause)).toBe(10_000);
    }
    // Sends are rejected only while open (or half-open with the trial out), and never sent then.
    const firstOpen = transitions.find((row) => row.type === E['breaker/opened'])!;
    const rejected = rows.filter((row) => row.type === E['breaker/rejected']);
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0].seq).toBeGreaterThan(firstOpen.seq);
    // The opening's cause is the outcome that crossed the threshold, and it says so in words.
    expect([E['ipc/delivered'], E['ipc/dropped'], E['ipc/timedOut']]).toContain(kernel.machine.journal.type(firstOpen.cause));
    expect(eventText(kernel, firstOpen.seq)).toMatch(/^breaker on client\.out → server\.in opened: \d+ of \d+ sends failed within 5 ms \(threshold 50%\); sends are rejected for 10 ms$/);
    expect(eventText(kernel, rejected[0].seq)).toBe('send on client.out → server.in rejected: its breaker is open');
  });

  it('never open without failures', async () => {
    const { rows } = await run(spec('0'));
    expect(rows.some((row) => row.type >= E['breaker/opened'] && row.type <= E['breaker/rejected'])).toBe(false);
  });

  it('replays to the same journal and seeks to the live hash', async () => {
    const text = spec('50%');
    const { kernel } = await run(text);
    const again = await kernelFor(text);
    again.machine.snapshotInterval = 256;
    const live = new Map<number, string>();
    expect(kernel.cursor).toBeGreaterThan(1200);
    for (const point of [300, 800, 1200, kernel.cursor]) { again.run({ events: point }); live.set(point, again.stateHash()); }
    expect(Buffer.from(again.machine.journal.encode()).equals(Buffer.from(kernel.machine.journal.encode()))).toBe(true);
    for (const point of [1200, 300, 800]) { again.seek(point); expect(again.stateHash()).toBe(live.get(point)); }
  });
});
