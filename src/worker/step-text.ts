// One program step in words, for the Inspector: "recv in", "compute 1ms", "send out 64 B",
// "alloc 4 KiB as buf". Used where a step's spec line is not its own (a built-in behaviour
// expands `program: worker` into several steps that all carry that one line, and a flow-style
// list puts several steps on one line), so each row still says what that step does. Durations
// read like the spec writes them (integers of us, ms, s); sizes like the events panel.
import type { Step } from '../spec/types';

const PPM_PER_PERCENT = 10_000;

/** Ticks (µs) in the largest spec unit that divides them: 1s, 250ms, 37us. */
export function durationText(ticks: number): string {
  if (ticks !== 0 && ticks % 1_000_000 === 0) return `${ticks / 1_000_000}s`;
  if (ticks !== 0 && ticks % 1000 === 0) return `${ticks / 1000}ms`;
  return `${ticks}us`;
}

function rangeText(minTicks: number, maxTicks: number): string {
  return minTicks === maxTicks ? durationText(minTicks) : `${durationText(minTicks)}..${durationText(maxTicks)}`;
}

/** Bytes as the spec writes sizes, with a space: 64 B, 4 KiB, 1 MiB (exact units only). */
export function sizeText(bytes: number): string {
  for (const [unit, scale] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (bytes >= scale && bytes % scale === 0) return `${bytes / scale} ${unit}`;
  }
  return `${bytes} B`;
}

const timeoutText = (timeoutTicks: number | null) => (timeoutTicks === null ? '' : ` (timeout ${durationText(timeoutTicks)})`);

/** What one step does, in the spec's words. */
export function stepText(step: Step): string {
  switch (step.kind) {
    case 'compute': case 'io': case 'sleep': return `${step.kind} ${rangeText(step.minTicks, step.maxTicks)}`;
    case 'alloc': return `alloc ${sizeText(step.sizeBytes)} as ${step.name}`;
    case 'free': return `free ${step.name}`;
    case 'send': return `send ${step.port} ${sizeText(step.sizeBytes)}${timeoutText(step.timeoutTicks)}`;
    case 'recv': return `recv ${step.port}${timeoutText(step.timeoutTicks)}`;
    case 'spawn': return `spawn ${step.agent}`;
    case 'exit': return `exit ${step.code}`;
    case 'write': return `write ${sizeText(step.sizeBytes)} to ${step.path}`;
    case 'read': return step.sizeBytes === null ? `read ${step.path}` : `read ${sizeText(step.sizeBytes)} from ${step.path}`;
    case 'crdt': {
      const op = step.op;
      switch (op.name) {
        case 'counter/inc': return `crdt ${step.object} inc ${op.amount}`;
        case 'counter/dec': return `crdt ${step.object} dec ${op.amount}`;
        case 'set/add': return `crdt ${step.object} add ${JSON.stringify(op.element)}`;
        case 'set/remove': return `crdt ${step.object} remove ${JSON.stringify(op.element)}`;
        case 'map/set': return `crdt ${step.object} set ${JSON.stringify(op.key)} = ${JSON.stringify(op.value)}`;
        case 'map/delete': return `crdt ${step.object} delete ${JSON.stringify(op.key)}`;
        case 'text/insert': return `crdt ${step.object} insert ${JSON.stringify(op.text)} at ${op.at}`;
        case 'text/delete': return `crdt ${step.object} delete ${op.count} at ${op.at}`;
      }
      break;
    }
    case 'bid': return `bid ${step.price} for ${step.resource} × ${step.units}${timeoutText(step.timeoutTicks)}`;
    case 'release': return `release ${step.resource}`;
    case 'repeat': return step.count === null ? 'repeat forever' : `repeat ${step.count} time${step.count === 1 ? '' : 's'}`;
    case 'choose': {
      const shares = step.branches.map((branch) => `${Math.round((branch.weight * 1000) / Math.max(1, step.weightTotal)) / 10}%`);
      return `choose 1 of ${step.branches.length} (${shares.join(', ')})`;
    }
    case 'fail': return `fail with ${step.probabilityPpm / PPM_PER_PERCENT}% chance (code ${step.code})`;
  }
  return (step as Step).kind;
}
