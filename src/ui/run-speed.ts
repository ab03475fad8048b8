// The run speeds the timeline offers (events per second of wall time; undefined: as fast as it
// goes), shared by the Speed control and the examples' recommended pace (editor/examples.ts).
export const RUN_SPEEDS = [100_000, 10_000, 1_000, 100, 10] as const;

export function speedText(speed: number | undefined): string {
  if (speed === undefined) return 'fastest';
  return speed >= 10_000 ? `${speed / 1000}k events/s` : `${speed.toLocaleString('en')} events/s`;
}

/**
 * How an example is best watched: its speed and where to pause. Kept in examples/index.json,
 * beside its title, not in the spec: it is how to look at the run, not part of it (a link of the
 * run replays the same events whatever the pace it was watched at).
 */
export interface ExampleView {
  /** One of RUN_SPEEDS. */
  speed: number;
  /** Pause at this event (the run stops earlier if it runs out of things to do). */
  stop?: number;
}

/** Reads an index entry's `view`; throws with what is wrong (the caller names the entry). */
export function parseExampleView(value: unknown): ExampleView | undefined {
  if (value === undefined) return undefined;
  const { speed, stop, ...rest } = (value ?? {}) as Record<string, unknown>;
  if (typeof value !== 'object' || value === null) throw new Error('view must be { speed, stop }');
  const unknown = Object.keys(rest);
  if (unknown.length) throw new Error(`view has an unknown key "${unknown[0]}" (speed, stop)`);
  if (!RUN_SPEEDS.includes(speed as never)) throw new Error(`view.speed must be one of ${RUN_SPEEDS.join(', ')} (events per second)`);
  if (stop !== undefined && (!Number.isInteger(stop) || (stop as number) < 1 || (stop as number) > 4_000_000)) throw new Error('view.stop must be an event number from 1 to 4,000,000');
  return { speed: speed as number, ...(stop === undefined ? {} : { stop: stop as number }) };
}
