// Steps in words (src/worker/step-text.ts), as the Inspector shows a built-in behaviour's steps:
// durations as the spec writes them, sizes in exact units, every kind named with its arguments.
import { describe, expect, it } from 'vitest';
import { durationText, sizeText, stepText } from '../../src/worker/step-text';

describe('stepText', () => {
  it('writes durations and sizes in the largest exact unit', () => {
    expect([0, 37, 1000, 1500, 250_000, 2_000_000].map(durationText)).toEqual(['0us', '37us', '1ms', '1500us', '250ms', '2s']);
    expect([0, 64, 1024, 1536, 4096, 2 ** 20, 3 * 2 ** 30].map(sizeText)).toEqual(['0 B', '64 B', '1 KiB', '1536 B', '4 KiB', '1 MiB', '3 GiB']);
  });

  it('names each kind with its arguments', () => {
    const line = 7;
    expect(stepText({ kind: 'compute', minTicks: 1000, maxTicks: 1000, line })).toBe('compute 1ms');
    expect(stepText({ kind: 'sleep', minTicks: 50, maxTicks: 150, line })).toBe('sleep 50us..150us');
    expect(stepText({ kind: 'send', port: 'out', channelIndex: 0, sizeBytes: 64, timeoutTicks: null, line })).toBe('send out 64 B');
    expect(stepText({ kind: 'recv', port: 'in', channelIndex: 0, timeoutTicks: 5000, line })).toBe('recv in (timeout 5ms)');
    expect(stepText({ kind: 'alloc', sizeBytes: 4096, name: 'buf', line })).toBe('alloc 4 KiB as buf');
    expect(stepText({ kind: 'free', name: 'buf', line })).toBe('free buf');
    expect(stepText({ kind: 'repeat', count: null, body: [], line })).toBe('repeat forever');
    expect(stepText({ kind: 'repeat', count: 1, body: [], line })).toBe('repeat 1 time');
    expect(stepText({ kind: 'crdt', object: 'seen', objectIndex: 0, op: { name: 'set/add', element: 'x{pid}' }, line })).toBe('crdt seen add "x{pid}"');
    expect(stepText({ kind: 'crdt', object: 'visits', objectIndex: 1, op: { name: 'counter/inc', amount: 2 }, line })).toBe('crdt visits inc 2');
    expect(stepText({ kind: 'bid', resource: 'gpu', resourceIndex: 0, units: 2, price: 10, timeoutTicks: null, line })).toBe('bid 10 for gpu × 2');
    expect(stepText({ kind: 'choose', branches: [{ weight: 250_000, body: [] }, { weight: 750_000, body: [] }], weightTotal: 1_000_000, line })).toBe('choose 1 of 2 (25%, 75%)');
    expect(stepText({ kind: 'fail', probabilityPpm: 50_000, code: 1, line })).toBe('fail with 5% chance (code 1)');
    expect(stepText({ kind: 'read', path: '/log', sizeBytes: null, line })).toBe('read /log');
    expect(stepText({ kind: 'write', path: '/log', sizeBytes: 1024, line })).toBe('write 1 KiB to /log');
  });
});
