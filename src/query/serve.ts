// The kernel worker's half of the query link: serves `kernelSource` on a MessagePort that the page
// handed it, whose other end the query worker holds. Event batches travel as transferred buffers,
// worker to worker; the page never sees them. Each served port is released by the query worker
// when its query is done (Comlink's release closes it here too).
import * as Comlink from 'comlink';
import type { Kernel } from '../kernel/kernel';
import { kernelSource, type QuerySource } from './source';
import { batchBuffers } from './tables';

export function serveQuerySource(port: MessagePort, current: () => Kernel | undefined): void {
  const source = kernelSource(current);
  const served: QuerySource = {
    head: (loaded) => source.head(loaded),
    events(from, count) {
      const answer = source.events(from, count);
      return answer ? Comlink.transfer(answer, batchBuffers(answer.batch)) : undefined;
    },
    state: () => source.state(),
    watches(known) {
      const answer = source.watches(known);
      return answer?.seq ? Comlink.transfer(answer, [answer.seq.buffer, answer.tick.buffer, ...answer.values.map((column) => column.buffer)] as ArrayBuffer[]) : answer;
    },
  };
  Comlink.expose(served, port);
}
