// The sweep's progress line says the time left in words a person would write.
import { describe, expect, it } from 'vitest';
import { timeLeft } from '../../src/ui/lab/sweep.svelte';

describe('timeLeft', () => {
  it('says "under a second left", not "about under a second left"', () => {
    expect(timeLeft(0)).toBe('under a second left');
    expect(timeLeft(999)).toBe('under a second left');
  });
  it('says about how long otherwise', () => {
    expect(timeLeft(12_400)).toBe('about 12 s left');
    expect(timeLeft(200_000)).toBe('about 3 min 20 s left');
  });
});
