// Supervisor decisions in words (kernel/autonomy/supervise.ts): the decision, and each restart
// it caused with its reason, "restarted mapper[1] (one_for_all in pipeline) because reducer[0]
// exited with code 1; 2 of 3 restarts in 5 s". Undefined for events that are not theirs.
import type { Kernel } from '../kernel/kernel';
import { EventCode as E, FailReason, nameOf } from '../kernel/events';

const duration = (ticks: number) => (ticks % 1_000_000 === 0 ? `${ticks / 1_000_000} s` : ticks % 1000 === 0 ? `${ticks / 1000} ms` : `${ticks} µs`);

function processName(kernel: Kernel, pid: number): string {
  const state = kernel.machine.state;
  if (pid < 0 || pid >= state.procAgent.length) return `pid ${pid}`;
  return `${kernel.spec.agents[state.procAgent[pid]]?.name ?? 'process'}[${state.procReplica[pid]}]`;
}

/** Why the decision at `seq` (supervisor/restarting or gaveUp) was taken: what ended. */
function trigger(kernel: Kernel, seq: number): string {
  const journal = kernel.machine.journal;
  const pid = journal.pid(seq), child = journal.c(seq), cause = journal.cause(seq);
  if (pid < 0) return `supervisor ${kernel.spec.supervisors[child]?.name ?? child} gave up`;
  const who = processName(kernel, pid);
  if (cause < 0 || cause >= journal.length) return `${who} ended`;
  const type = journal.type(cause);
  if (type === E['process/exited']) return `${who} exited with code ${journal.a(cause)}`;
  if (type === E['process/failed']) {
    const code = journal.c(cause);
    return `${who} failed (${nameOf(FailReason, journal.a(cause))}${code !== 0 ? `, exit code ${code}` : ''})`;
  }
  if (type === E['probe/failed']) return `${who} failed its liveness probe (no step for ${duration(journal.b(cause))})`;
  if (type === E['process/migrated']) return `${who} failed over from n${journal.a(cause)} (crashed) to n${journal.b(cause)}`;
  return `${who} ended`;
}

function restartsWords(kernel: Kernel, supervisor: number, restarts: number): string {
  const spec = kernel.spec.supervisors[supervisor];
  return spec ? `${restarts} of ${spec.intensity} restart${spec.intensity === 1 ? '' : 's'} in ${duration(spec.periodTicks)}` : `${restarts} restarts`;
}

export function supervisorEventText(kernel: Kernel, seq: number): string | undefined {
  const journal = kernel.machine.journal;
  const spec = kernel.spec;
  const type = journal.type(seq);
  if (type === E['supervisor/restarting']) {
    const supervisor = spec.supervisors[journal.a(seq)];
    return `${supervisor?.name ?? 'supervisor'} (${supervisor?.strategy ?? '?'}) restarts because ${trigger(kernel, seq)}; ${restartsWords(kernel, journal.a(seq), journal.b(seq))}`;
  }
  if (type === E['supervisor/gaveUp']) {
    const supervisor = spec.supervisors[journal.a(seq)];
    if (!supervisor) return 'a supervisor gave up';
    const parent = spec.supervisors[supervisor.parent];
    const then = parent === undefined ? 'it is a root, so its processes stay failed'
      : supervisor.restart === 'never' ? `its processes fail; it is temporary, so ${parent.name} does not restart it`
      : `its processes fail and ${parent.name} decides`;
    return `${supervisor.name} gave up: ${journal.b(seq)} restarts in ${duration(supervisor.periodTicks)} would exceed its intensity ${supervisor.intensity} (${trigger(kernel, seq)}); ${then}`;
  }
  if (type >= E['breaker/opened'] && type <= E['breaker/rejected']) {
    const index = journal.a(seq);
    const channel = spec.channels[index];
    const name = channel ? `${channel.from.agent}.${channel.from.port} → ${channel.to.agent}.${channel.to.port}` : `channel ${index}`;
    const breaker = channel?.breaker;
    if (type === E['breaker/opened']) return `breaker on ${name} opened: ${journal.b(seq)} of ${journal.c(seq)} sends failed${breaker ? ` within ${duration(breaker.windowTicks)} (threshold ${breaker.thresholdPpm / 10_000}%); sends are rejected for ${duration(breaker.cooldownTicks)}` : ''}`;
    if (type === E['breaker/halfOpened']) return `breaker on ${name} half-open: the next send is a trial`;
    if (type === E['breaker/closed']) return `breaker on ${name} closed: the trial send was delivered`;
    return `send on ${name} rejected: its breaker is open`;
  }
  if (type === E['probe/failed']) return `liveness probe: no step completed for ${duration(journal.b(seq))} (period ${duration(journal.a(seq))}); the process fails`;
  if (type === E['process/restarted']) {
    const cause = journal.cause(seq);
    if (cause < 0 || cause >= journal.length || journal.type(cause) !== E['supervisor/restarting']) return undefined;
    const supervisor = spec.supervisors[journal.a(cause)];
    const waited = journal.tick(seq) - journal.tick(cause);
    return `restarted ${processName(kernel, journal.pid(seq))} (${supervisor?.strategy ?? '?'} in ${supervisor?.name ?? 'supervisor'}) because ${trigger(kernel, cause)}; ${restartsWords(kernel, journal.a(cause), journal.b(cause))}${waited > 0 ? `; backoff ${duration(waited)}` : ''}`;
  }
  return undefined;
}
