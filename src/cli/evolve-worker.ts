// One job of `agentos evolve --jobs N`: a child process (forked by evolve.ts with an IPC channel).
// For each evaluation batch it is sent the batch's experiment plan, reads it, then runs the trials
// it is sent, one at a time, and sends back each line. Argument: <link base>.
import { loadCoreFromDisk } from '../core/node';
import { loadExperiment } from '../lab/experiment';
import { formatPlanError } from '../lab/plan';
import { formatTrialLine, TrialRunner } from '../lab/trial';
import type { FromEvolveChild, ToEvolveChild } from './evolve';

const [base] = process.argv.slice(2);
const send = (message: FromEvolveChild) => process.send!(message);

try {
  const core = await loadCoreFromDisk('release');
  let runner: TrialRunner | undefined;
  let chain = Promise.resolve();
  process.on('message', (message: ToEvolveChild) => {
    if ('stop' in message) {
      process.disconnect();
      return;
    }
    chain = chain.then(async () => {
      try {
        if ('prepare' in message) {
          const loaded = await loadExperiment(message.prepare);
          if (!loaded.ok) throw new Error(loaded.errors.slice(0, 3).map(formatPlanError).join('; '));
          runner = new TrialRunner(loaded.experiment, core, { base });
          send({ prepared: message.batch });
        } else {
          if (!runner) throw new Error('no batch was prepared');
          send({ trial: message.run, batch: message.batch, line: formatTrialLine(await runner.run(message.run)) });
        }
      } catch (error) {
        send({ error: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  send({ ready: true });
} catch (error) {
  send({ error: error instanceof Error ? error.message : String(error) });
}
