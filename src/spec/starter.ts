// The spec an empty editor offers, apart from the reference tables (reference.ts) so the page's
// first load can show it without them.

import { SCHEDULER_POLICIES } from './types';

/** What an empty editor offers: a small spec that runs and shows the main sections. */
export const STARTER_SPEC = `agentos: 1
name: my-system
seed: 1
kernel:
  scheduler: fair              # ${SCHEDULER_POLICIES.join(' | ')}
  quantum: 1ms
agents:
  source:
    program: producer          # a built-in behaviour with its arguments
    args: { count: 1000, size: 256B, every: 50us }
  worker:
    replicas: 2
    program:                   # or a list of steps
      - repeat: forever
        do:
          - recv: in
          - compute: 100us..300us
          - alloc: { size: 4KiB, as: buf }
          - send: { port: out, size: 128B }
          - free: buf
  sink:
    program: consumer
channels:
  - { from: source.out, to: worker.in, capacity: 64 }
  - { from: worker.out, to: sink.in }
`;
