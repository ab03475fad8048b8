// Branches: intervening before the end of the journal keeps the old future. Each branch owns a
// journal (sharing full chunks with its parent) and a snapshot store (sharing the snapshots before
// the fork), plus the interventions that lead to it. Branches form a tree; undo goes to the parent
// at the fork point, redo comes back.
import type { Journal } from './journal';
import type { SnapshotStore } from './snapshots';
import type { Machine, ScheduledIntervention } from '../sim/machine';
import type { Intervention } from '../syscalls/world';

export const BRANCHES_MAX = 256;

export interface Branch {
  readonly id: number;
  readonly parent: number | null;
  /** Events shared with the parent: the branch's own events start at this seq. */
  readonly forkSeq: number;
  journal: Journal;
  snapshots: SnapshotStore;
  interventions: ScheduledIntervention[];
}

export interface BranchInfo {
  id: number;
  parent: number | null;
  forkSeq: number;
  events: number;
  interventions: number;
  /** The intervention that started the branch (at its fork point); none for main. */
  cause?: Intervention;
}

export class Timeline {
  readonly branches: Branch[] = [];
  current = 0;
  #redo: number[] = [];

  constructor(private readonly machine: Machine) {
    this.branches.push({ id: 0, parent: null, forkSeq: 0, journal: machine.journal, snapshots: machine.snapshots, interventions: machine.interventions });
  }

  get branch(): Branch {
    return this.branches[this.current];
  }

  info(): BranchInfo[] {
    return this.branches.map((b) => ({
      id: b.id, parent: b.parent, forkSeq: b.forkSeq, events: b.journal.length, interventions: b.interventions.length,
      cause: b.parent === null ? undefined : b.interventions.find((i) => i.atSeq === b.forkSeq)?.intervention,
    }));
  }

  /**
   * Starts a branch at the machine's cursor for an intervention. Every intervention gets its own
   * branch, so undo always has somewhere to go and the old future (if any) stays where it was.
   */
  prepareIntervention(): void {
    const machine = this.machine;
    const cursor = machine.cursor;
    const branch = this.branch;
    this.#redo = [];
    if (this.branches.length >= BRANCHES_MAX) throw new RangeError(`at most ${BRANCHES_MAX} branches; delete some or start a new session`);
    const forked: Branch = {
      id: this.branches.length,
      parent: branch.id,
      forkSeq: cursor,
      journal: branch.journal.fork(cursor),
      snapshots: branch.snapshots.fork(cursor),
      interventions: branch.interventions.filter((i) => i.atSeq < cursor),
    };
    this.branches.push(forked);
    this.#attach(forked);
  }

  /** Moves to another branch at `seq` (default: the same cursor, or the branch's end if shorter). */
  switchTo(id: number, seq?: number): void {
    const target = this.branches[id];
    if (!target) throw new RangeError(`there is no branch ${id}`);
    const machine = this.machine;
    const at = Math.min(seq ?? machine.cursor, target.journal.length);
    this.branch.snapshots.invalidateBase();
    this.#attach(target);
    const index = target.snapshots.nearest(at);
    machine.restoreSnapshot(index, true);
    machine.cursor = target.snapshots.seqAt(index);
    machine.seek(at);
  }

  /** Back to before the last intervention of this branch: the parent branch at the fork point. */
  /** Undo has somewhere to go: the branch has a parent. */
  get canUndo(): boolean {
    return this.branch.parent !== null;
  }

  get canRedo(): boolean {
    return this.#redo.length > 0;
  }

  undo(): boolean {
    const branch = this.branch;
    if (branch.parent === null) return false;
    this.#redo.push(branch.id);
    const redo = this.#redo;
    this.switchTo(branch.parent, branch.forkSeq);
    this.#redo = redo;
    return true;
  }

  redo(): boolean {
    const id = this.#redo.pop();
    if (id === undefined) return false;
    const redo = this.#redo;
    const target = this.branches[id];
    this.switchTo(id, Math.min(target.forkSeq + 1, target.journal.length));
    this.#redo = redo;
    return true;
  }

  /** Branch ids Redo returns to, the last one first out (for a checkpoint). */
  get redoStack(): readonly number[] {
    return this.#redo;
  }

  /**
   * Restoring a checkpoint: adds a branch forking from `parent` at `forkSeq`, whose journal is
   * `journal` (the parent's events before forkSeq, then its own), and moves to it at forkSeq.
   * The caller re-executes its own events, which checks them and takes its snapshots.
   */
  addRestoredBranch(parent: number, forkSeq: number, journal: Journal, interventions: ScheduledIntervention[]): void {
    if (this.branches.length >= BRANCHES_MAX) throw new RangeError(`at most ${BRANCHES_MAX} branches`);
    if (!this.branches[parent]) throw new RangeError(`there is no branch ${parent}`);
    this.switchTo(parent, forkSeq);
    if (this.machine.cursor !== forkSeq) throw new RangeError(`branch ${parent} has no event ${forkSeq} to fork at`);
    const restored: Branch = {
      id: this.branches.length, parent, forkSeq, journal, snapshots: this.branch.snapshots.fork(forkSeq), interventions,
    };
    this.branches.push(restored);
    this.#attach(restored);
  }

  /** Restoring a checkpoint: where Redo goes (ids of existing branches). */
  restoreRedo(ids: readonly number[]): void {
    for (const id of ids) if (!this.branches[id]) throw new RangeError(`redo names branch ${id}, which does not exist`);
    this.#redo = [...ids];
  }

  #attach(branch: Branch): void {
    this.current = branch.id;
    this.machine.journal = branch.journal;
    this.machine.snapshots = branch.snapshots;
    this.machine.interventions = branch.interventions;
  }
}
