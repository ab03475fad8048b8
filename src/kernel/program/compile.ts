// Compiles a Spec's step programs to bytecode (opcodes.ts) and collects the tables the kernel
// needs: allocation names per program, file paths, and CRDT operations. Deterministic: the same
// Spec always compiles to the same arrays.
import type { CrdtOp, Spec, Step } from '../../spec/types';
import { ALLOC_SLOTS_MAX, LOOP_DEPTH_MAX, Op } from './opcodes';

export interface CompiledProgram {
  readonly code: Float64Array;
  /** Spec line of the step each instruction came from (0 for control instructions). */
  readonly lines: Int32Array;
  /** Allocation names, by slot. */
  readonly slotNames: readonly string[];
  /** The Step each step instruction was compiled from, by pc (for the inspector). */
  readonly stepAt: ReadonlyMap<number, Step>;
  /** Whether the program can start more processes (sizes the process table). */
  readonly spawns: boolean;
}

export interface CompiledSpec {
  readonly programs: readonly CompiledProgram[];
  /** File paths of `write` / `read`, in order of first use; a file is its index. */
  readonly files: readonly string[];
  /** CRDT operations, in order of first use; an instruction refers to one by index. */
  readonly crdtOps: readonly { readonly objectIndex: number; readonly op: CrdtOp }[];
}

export class ProgramCompileError extends Error {
  constructor(agent: string, line: number, message: string) {
    super(`agents.${agent} (line ${line}): ${message}`);
    this.name = 'ProgramCompileError';
  }
}

export function compileSpec(spec: Spec): CompiledSpec {
  const files: string[] = [];
  const crdtOps: { objectIndex: number; op: CrdtOp }[] = [];
  const crdtKeys = new Map<string, number>();
  const programs = spec.agents.map((agent) => {
    const code: number[] = [];
    const lines: number[] = [];
    const slotNames: string[] = [];
    const stepAt = new Map<number, Step>();
    let spawns = false;

    const emit = (line: number, ...words: number[]) => {
      const pc = code.length;
      for (const word of words) {
        code.push(word);
        lines.push(line);
      }
      return pc;
    };
    const slotOf = (name: string, line: number) => {
      let slot = slotNames.indexOf(name);
      if (slot < 0) {
        if (slotNames.length >= ALLOC_SLOTS_MAX) throw new ProgramCompileError(agent.name, line, `more than ${ALLOC_SLOTS_MAX} allocation names`);
        slot = slotNames.push(name) - 1;
      }
      return slot;
    };
    const fileOf = (path: string) => {
      const index = files.indexOf(path);
      return index >= 0 ? index : files.push(path) - 1;
    };
    const crdtOf = (objectIndex: number, op: CrdtOp) => {
      const key = JSON.stringify([objectIndex, op]);
      let index = crdtKeys.get(key);
      if (index === undefined) {
        index = crdtOps.push({ objectIndex, op }) - 1;
        crdtKeys.set(key, index);
      }
      return index;
    };

    const compileSteps = (steps: readonly Step[], depth: number) => {
      for (const step of steps) {
        const pcBefore = code.length;
        switch (step.kind) {
          case 'compute': emit(step.line, Op.compute, step.minTicks, step.maxTicks); break;
          case 'io': emit(step.line, Op.io, step.minTicks, step.maxTicks); break;
          case 'sleep': emit(step.line, Op.sleep, step.minTicks, step.maxTicks); break;
          case 'alloc': emit(step.line, Op.alloc, step.sizeBytes, slotOf(step.name, step.line)); break;
          case 'free': emit(step.line, Op.free, slotOf(step.name, step.line)); break;
          case 'send': emit(step.line, Op.send, step.channelIndex, step.sizeBytes, step.timeoutTicks ?? -1); break;
          case 'recv': emit(step.line, Op.recv, step.channelIndex, step.timeoutTicks ?? -1); break;
          case 'spawn': emit(step.line, Op.spawn, step.agentIndex); spawns = true; break;
          case 'exit': emit(step.line, Op.exit, step.code); break;
          case 'write': emit(step.line, Op.write, fileOf(step.path), step.sizeBytes); break;
          case 'read': emit(step.line, Op.read, fileOf(step.path), step.sizeBytes ?? -1); break;
          case 'crdt': emit(step.line, Op.crdt, step.objectIndex, crdtOf(step.objectIndex, step.op)); break;
          case 'bid': emit(step.line, Op.bid, step.resourceIndex, step.units, step.price, step.timeoutTicks ?? -1); break;
          case 'release': emit(step.line, Op.release, step.resourceIndex); break;
          case 'fail': emit(step.line, Op.fail, step.probabilityPpm, step.code); break;
          case 'repeat': {
            if (depth >= LOOP_DEPTH_MAX) throw new ProgramCompileError(agent.name, step.line, `repeat nested deeper than ${LOOP_DEPTH_MAX}`);
            const loopPc = emit(step.line, Op.loop, depth, step.count ?? -1, 0);
            const bodyPc = code.length;
            compileSteps(step.body, depth + 1);
            emit(0, Op.next, depth, bodyPc);
            code[loopPc + 3] = code.length;
            break;
          }
          case 'choose': {
            const choosePc = emit(step.line, Op.choose, step.weightTotal, step.branches.length);
            const operandPcs = step.branches.map((branch) => emit(step.line, branch.weight, 0) + 1);
            const jumpsToEnd: number[] = [];
            step.branches.forEach((branch, index) => {
              code[operandPcs[index]] = code.length;
              compileSteps(branch.body, depth);
              jumpsToEnd.push(emit(0, Op.jump, 0) + 1);
            });
            for (const operand of jumpsToEnd) code[operand] = code.length;
            stepAt.set(choosePc, step);
            break;
          }
        }
        if (step.kind !== 'choose') stepAt.set(pcBefore, step);
      }
    };

    compileSteps(agent.program, 0);
    emit(0, Op.end);
    return { code: Float64Array.from(code), lines: Int32Array.from(lines), slotNames, stepAt, spawns };
  });
  return { programs, files, crdtOps };
}

