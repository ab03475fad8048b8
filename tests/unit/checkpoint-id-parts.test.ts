// A checkpoint's row in the Checkpoints panel: the name (which may be clipped) and what tells two
// checkpoints apart (never clipped), for saved and imported ones.
import { describe, expect, it } from 'vitest';
import { checkpointIdParts } from '../../src/ui/checkpoints.svelte';

describe('checkpointIdParts', () => {
  it('a saved checkpoint: its event, and the time (the date too when not today)', () => {
    const id = 'priority-starvation @ event 53712 · 2026-12-07 09:14:03';
    expect(checkpointIdParts(id, 53712, '2026-12-07')).toEqual({ name: 'priority-starvation', where: '@ event 53712 · 09:14:03' });
    expect(checkpointIdParts(id, 53712, '2026-12-08')).toEqual({ name: 'priority-starvation', where: '@ event 53712 · 2026-12-07 09:14:03' });
  });
  it('an imported file: the event it was restored at, when its record knows it', () => {
    expect(checkpointIdParts('swarm-2m.agentos (imported)', 1_500_000)).toEqual({ name: 'swarm-2m.agentos', where: '(imported) @ event 1500000' });
    expect(checkpointIdParts('swarm-2m.agentos (imported)')).toEqual({ name: 'swarm-2m.agentos', where: '(imported)' });
  });
  it('any other id is all name', () => {
    expect(checkpointIdParts('mine', 3)).toEqual({ name: 'mine', where: '' });
  });
});
