// Checking as you type reports every error one pass can find (issue 10): an error elsewhere in the
// spec (an unknown key, a bad agent) must not hide a bad watch or invariant expression after it.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkSpecText } from '../../src/worker/spec-check';

interface Faults { unknownKey: boolean; badAgent: boolean; badWatch: boolean; badInvariant: boolean; unknownName: boolean }

function specWith(faults: Faults): string {
  return [
    'agentos: 1',
    'name: t',
    ...(faults.unknownKey ? ['bogus: 1'] : []),
    'agents:',
    '  worker:',
    '    program: idle',
    ...(faults.badAgent ? ['    memory: lots'] : []),
    'watch:',
    `  w: ${faults.badWatch ? 'agents.worker.sent +' : 'agents.worker.sent'}`,
    ...(faults.unknownName ? ['  v: agents.nobody.sent'] : []),
    'invariants:',
    `  - { name: ok, always: "${faults.badInvariant ? 'agents.worker.failed ==' : 'agents.worker.failed == 0'}" }`,
    '',
  ].join('\n');
}

describe('checkSpecText reports all the errors it can', () => {
  it('an unknown key before a bad watch: both, each at its line', () => {
    const problems = checkSpecText(specWith({ unknownKey: true, badAgent: false, badWatch: true, badInvariant: false, unknownName: false })).problems;
    expect(problems.map((problem) => [problem.path, problem.line])).toEqual([['bogus', 3], ['watch.w', 8]]);
    expect(problems[1].message).toMatch(/after '\+'/);
  });

  it('a bad agent: the expressions\' syntax is still checked, their names are not (the agent may be the broken part)', () => {
    const problems = checkSpecText(specWith({ unknownKey: false, badAgent: true, badWatch: false, badInvariant: true, unknownName: false })).problems;
    expect(problems.map((problem) => problem.path)).toEqual(['agents.worker.memory', 'invariants[0].always']);
  });

  it('every injected fault is reported, and nothing else (generated combinations)', () => {
    fc.assert(fc.property(fc.record({ unknownKey: fc.boolean(), badAgent: fc.boolean(), badWatch: fc.boolean(), badInvariant: fc.boolean(), unknownName: fc.boolean() }), (faults) => {
      const paths = checkSpecText(specWith(faults)).problems.map((problem) => problem.path);
      const expected = [
        faults.unknownKey && 'bogus',
        faults.badAgent && 'agents.worker.memory',
        faults.badWatch && 'watch.w',
        // An unknown agent's name is only an error when the agents were read cleanly.
        faults.unknownName && !faults.badAgent && 'watch.v',
        faults.badInvariant && 'invariants[0].always',
      ].filter((path): path is string => path !== false);
      expect(paths).toEqual(expected);
    }), { numRuns: 64 });
  });

  it('an empty spec (blanks and comments only) is empty, not an error', () => {
    for (const text of ['', '\n\n', '   ', '# just a comment\n  # another\n', '\t\n']) {
      expect(checkSpecText(text), JSON.stringify(text)).toMatchObject({ problems: [], empty: true });
    }
    expect(checkSpecText('agentos: 1\n').empty).toBe(false);
    expect(checkSpecText('x').problems.length).toBeGreaterThan(0);
  });
});
