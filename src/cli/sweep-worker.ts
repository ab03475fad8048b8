// One job of `agentos sweep --jobs N`: a child process (forked by sweep.ts with an IPC channel)
// that loads the same plan, then runs the trials it is sent, one at a time, and sends back each
// line. Arguments: <plan.yaml> <link base>.
import { loadCoreFromDisk } from '../core/node';
import { TrialRunner, formatTrialLine } from '../lab/index';
import { loadPlanFile, type FromChild, type ToChild } from './sweep';

const [planPath, base] = process.argv.slice(2);
const send = (message: FromChild) => process.send!(message);

try {
  const runner = new TrialRunner(await loadPlanFile(planPath), await loadCoreFromDisk('release'), { base });
  let chain = Promise.resolve();
  process.on('message', (message: ToChild) => {
    if ('stop' in message) {
      process.disconnect();
      return;
    }
    chain = chain.then(async () => {
      try {
        send({ trial: message.run, line: formatTrialLine(await runner.run(message.run)) });
      } catch (error) {
        send({ error: `trial ${message.run}: ${error instanceof Error ? error.message : String(error)}` });
      }
    });
  });
  send({ ready: true });
} catch (error) {
  send({ error: error instanceof Error ? error.message : String(error) });
}
