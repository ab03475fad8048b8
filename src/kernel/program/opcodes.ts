// The kernel's program bytecode: each agent's Step tree compiled to a flat array the interpreter
// walks with a program counter. One instruction per step (plus loop/choose control), operands
// inline, all numbers exact integers (durations can pass 2^31 ticks, so the array is Float64).
//
//   instruction at pc:  [opcode, operand0, operand1, ...]   length = OPERANDS[opcode] + 1

export const Op = {
  compute: 0,   // minTicks maxTicks
  io: 1,        // minTicks maxTicks
  sleep: 2,     // minTicks maxTicks
  alloc: 3,     // sizeBytes slot
  free: 4,      // slot
  send: 5,      // channel sizeBytes timeoutTicks (-1: none)
  recv: 6,      // channel timeoutTicks (-1: none)
  spawn: 7,     // agent
  exit: 8,      // code
  write: 9,     // file sizeBytes
  read: 10,     // file sizeBytes (-1: whole file)
  crdt: 11,     // object crdtOpIndex
  bid: 12,      // resource units price timeoutTicks (-1: none)
  release: 13,  // resource
  loop: 14,     // depth count (-1: forever) exitPc
  next: 15,     // depth bodyPc
  choose: 16,   // weightTotal branchCount [weight targetPc] * branchCount
  jump: 17,     // pc
  fail: 18,     // probabilityPpm code
  end: 19,      //
} as const;

export type OpCode = (typeof Op)[keyof typeof Op];

/** Operands of each fixed-size opcode; `choose` adds 2 per branch to its 2. */
export const OPERANDS: readonly number[] = [2, 2, 2, 2, 1, 3, 2, 1, 1, 2, 2, 2, 4, 1, 3, 2, 2, 1, 2, 0];

export const OP_NAMES = Object.keys(Op) as (keyof typeof Op)[];

export function instructionLength(code: Float64Array, pc: number): number {
  const op = code[pc];
  return op === Op.choose ? 3 + 2 * code[pc + 2] : OPERANDS[op] + 1;
}

/** Named allocations per program (`alloc: { as: buf }`), and loop nesting per program. */
export const ALLOC_SLOTS_MAX = 16;
export const LOOP_DEPTH_MAX = 8;
