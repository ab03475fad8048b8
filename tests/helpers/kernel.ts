import { readFileSync, readdirSync } from 'node:fs';
import { loadDebugCore } from './core';
import { Kernel } from '../../src/kernel/kernel';

export const EXAMPLES_DIR = new URL('../../public/examples/', import.meta.url);

/** The example specs (experiment and evolve plans, `*.experiment.yaml` and `*.evolve.yaml`, are not specs). */
export function exampleNames(): string[] {
  return readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.yaml') && !file.endsWith('.experiment.yaml') && !file.endsWith('.evolve.yaml')).sort();
}

export function exampleText(name: string): string {
  return readFileSync(new URL(name, EXAMPLES_DIR), 'utf8');
}

/** A kernel on a fresh debug core (assertions on). */
export async function kernelFor(text: string, options?: { eventsMax?: number }): Promise<Kernel> {
  return Kernel.fromText(text, await loadDebugCore(), options);
}

/** A deterministic LCG for choosing test points; prints nothing by itself. */
export function testRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
