// The sweep's time left (src/ui/lab/pace.ts): from how long a trial takes on a worker, shared by
// the workers, and from later trials once a worker's first (cold) one is not the only one in.
import { describe, expect, it } from 'vitest';
import { TrialPace } from '../../src/ui/lab/pace';

describe('TrialPace', () => {
  it('has no estimate before a trial is in', () => {
    expect(new TrialPace().left(10, 2)).toBeUndefined();
  });

  it('shares the trials left among the workers (two workers, 1 s trials, 39 left: about 19.5 s, not 39 s)', () => {
    const pace = new TrialPace();
    pace.add(1000, true);
    expect(pace.left(39, 2)).toBe(19_500);
    // "elapsed since Run / trials done" said 39 s here: both workers' first trials end at 1 s
    expect(pace.left(39, 1)).toBe(39_000);
  });

  it("goes by the later trials once one is in: a worker's cold first trial does not stand for the rest", () => {
    const pace = new TrialPace();
    pace.add(3000, true); // cold
    expect(pace.left(10, 1)).toBe(30_000);
    pace.add(1000, false);
    pace.add(1200, false);
    expect(pace.left(10, 1)).toBe(11_000);
    pace.add(5000, true); // another worker's cold first trial changes nothing now
    expect(pace.left(10, 2)).toBe(5_500);
  });

  it('with fewer trials left than workers, they run at once: one trial time', () => {
    const pace = new TrialPace();
    pace.add(800, true);
    pace.add(1000, false);
    expect(pace.left(3, 8)).toBe(1000);
    expect(pace.left(0, 8)).toBe(0);
  });

  it('ignores a duration that is not one (a clock step back)', () => {
    const pace = new TrialPace();
    pace.add(-5, true);
    pace.add(Number.NaN, false);
    expect(pace.left(4, 1)).toBeUndefined();
  });
});
