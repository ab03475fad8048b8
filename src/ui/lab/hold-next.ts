// How a pool worker takes its trials (the Experiments pool, sweep.svelte.ts, and the Evolve pool,
// evolve/pool.ts): it holds its next trial while it runs one (a worker takes its calls in order),
// so no round trip to the page separates two trials. Only while the trials not yet handed out are
// at least one per worker: the last ones go to whichever worker is free first, so the workers
// finish together.

/**
 * Runs `ask` (which hands this worker the next trial, or undefined when none is left) until none
 * is left; `left` is how many trials are not handed out yet, `workers` the pool's size.
 */
export async function takeTrials(ask: () => Promise<void> | undefined, left: () => number, workers: number): Promise<void> {
  for (let current = ask(); current; ) {
    const ahead = left() >= workers ? ask() : undefined;
    ahead?.catch(() => undefined); // awaited next round; marked handled while this one runs
    await current;
    current = ahead ?? ask();
  }
}
