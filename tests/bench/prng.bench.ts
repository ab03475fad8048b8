import { loadCoreFromDisk } from '../../src/core/node';
import { Xoshiro128 } from '../reference/xoshiro128';
import { medianMsPerCall, throughput, type BenchSuite } from './harness';

const DRAWS = 1_000_000;

export const benches: BenchSuite[] = [
  {
    name: 'PRNG xoshiro128** (wasm release) vs the same generator in TypeScript',
    async run() {
      const core = await loadCoreFromDisk('release');
      const batch = core.exports.batchWordsMax();
      const reference = new Xoshiro128(1);
      let sink = 0;
      core.prng.seed(1);
      // The kernel draws in batches through the shared buffer; one call per draw is shown too.
      const wasmBatchedMs = medianMsPerCall(() => {
        const ptr = core.exports.batchPtr();
        for (let done = 0; done < DRAWS; done += batch) sink ^= core.exports.prngFill(ptr, batch);
      });
      const wasmSingleMs = medianMsPerCall(() => {
        for (let i = 0; i < DRAWS; i++) sink ^= core.exports.prngNextU32();
      });
      const typescriptMs = medianMsPerCall(() => {
        for (let i = 0; i < DRAWS; i++) sink ^= reference.nextU32();
      });
      if (sink === 0.5) console.log(sink); // keeps the loops observable
      const perSecond = (ms: number) => (DRAWS / ms) * 1000;
      return [
        throughput('batched draws (prngFill)', 'draws/s', perSecond(wasmBatchedMs), 'TypeScript xoshiro128**', perSecond(typescriptMs)),
        throughput('one boundary call per draw', 'draws/s', perSecond(wasmSingleMs), 'TypeScript xoshiro128**', perSecond(typescriptMs)),
      ];
    },
  },
];
