// One job of `agentos sweep --jobs N`: a child process (forked by sweep.ts with an IPC channel,
// before the parent reads the plan) that loads the same plan and its own core, then runs the
// trials it is sent, one at a time, and sends back each line; a trial taken back ("drop") before
// it starts is skipped. It listens from its first moment, so a trial sent while it still loads
// waits for it. Arguments: <plan.yaml> <link base>.
import { loadCoreFromDisk } from '../core/node';
import { TrialRunner, formatTrialLine } from '../lab/index';
import { loadPlanFile } from './plan-file';
import type { FromChild, ToChild } from './sweep';

const [planPath, base] = process.argv.slice(2);
// After a stop (it may come before this child is ready: the sweep had fewer trials than jobs) nothing is sent.
const send = (message: FromChild) => void (process.connected && process.send!(message));
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

// The core compiles off the main thread while the plan is read.
const runner = Promise.all([loadPlanFile(planPath), loadCoreFromDisk('release')]).then(([experiment, core]) => new TrialRunner(experiment, core, { base }));
let chain: Promise<unknown> = runner.then(() => send({ ready: true }), (error) => send({ error: messageOf(error) }));
// Trials the sweep took back before this child started them (it gave them to another job).
const dropped = new Set<number>();
process.on('message', (message: ToChild) => {
  if ('stop' in message) {
    // Not from inside this handler: a stop that came before this module was listening is replayed
    // by node from its pending messages, and disconnecting in the middle of that replay throws.
    setImmediate(() => process.connected && process.disconnect());
    return;
  }
  if ('drop' in message) {
    dropped.add(message.drop);
    return;
  }
  chain = chain.then(async () => {
    await new Promise((next) => setImmediate(next)); // a drop sent during the trial before is in
    if (dropped.delete(message.run)) return;
    try {
      send({ trial: message.run, line: formatTrialLine(await (await runner).run(message.run)) });
    } catch (error) {
      send({ error: `trial ${message.run}: ${messageOf(error)}` });
    }
  });
});
