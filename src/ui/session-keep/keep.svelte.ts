// Asking before a new session replaces work the old one has that a reload would not bring back
// (see README.md for the rule).
import type { BranchRow } from '../../worker/api';

/** What a session would lose if replaced now, or undefined when nothing. */
export interface UnkeptWork {
  branches: number;
  interventions: boolean;
}

/** The branch tree's shape: what a checkpoint (or the opened session) holds of it. */
export function treeShape(branches: readonly BranchRow[]): string {
  return branches.map((b) => `${b.id}<${b.parent ?? '-'}@${b.forkSeq}:${b.events}`).join(',');
}

/**
 * The rule: more than one branch, or interventions (Undo has something to undo), and a tree that
 * is not the one the session was opened with or last checkpointed (`kept`).
 */
export function unkeptWork(branches: readonly BranchRow[], canUndo: boolean, kept: string | undefined): UnkeptWork | undefined {
  if (branches.length <= 1 && !canUndo) return undefined;
  if (kept !== undefined && treeShape(branches) === kept) return undefined;
  return { branches: branches.length, interventions: canUndo };
}

/** The question, in plain words. */
export function replaceQuestion(work: UnkeptWork, title: string): string {
  const what = work.branches > 1 ? `its ${work.branches} branches are` : 'its interventions are';
  return `Replace this session with ${title}? ${what[0].toUpperCase()}${what.slice(1)} in no saved checkpoint.`;
}

export type ReplaceChoice = 'save' | 'replace' | 'cancel';

interface SessionView {
  readonly branches: BranchRow[];
  readonly status: { canUndo?: boolean } | undefined;
  onSessionReplaced(listener: () => void): () => void;
}

export class SessionKeep {
  /** The question on screen, if any. */
  pending = $state.raw<{ question: string; answer: (choice: ReplaceChoice) => void } | undefined>(undefined);
  /** The tree as opened or last checkpointed; undefined until the new session's tree is known. */
  #kept: string | undefined;

  constructor(private readonly client: SessionView, private readonly saveCheckpoint: () => Promise<boolean>) {
    client.onSessionReplaced(() => (this.#kept = undefined));
    // The first tree a new session shows is the one it was opened (restored, loaded) with.
    $effect.root(() => {
      $effect(() => {
        void this.client.branches;
        this.noteTree();
      });
    });
  }

  /** The first tree a new session shows is what it was opened with (from the effect, and before a question). */
  noteTree(): void {
    if (this.#kept === undefined && this.client.branches.length > 0) this.#kept = treeShape(this.client.branches);
  }

  /** A checkpoint of the whole tree was saved: nothing is unkept now. */
  markKept(): void {
    this.#kept = treeShape(this.client.branches);
  }

  /** What replacing the session now would lose; undefined for nothing. */
  unkept(): UnkeptWork | undefined {
    this.noteTree();
    return unkeptWork(this.client.branches, this.client.status?.canUndo === true, this.#kept);
  }

  /** Resolves true when the session may be replaced by `title`: at once if nothing would be lost, else once the user says so. */
  async confirm(title: string): Promise<boolean> {
    const work = this.unkept();
    if (!work) return true;
    this.pending?.answer('cancel'); // one question at a time: an older one is cancelled
    const choice = await new Promise<ReplaceChoice>((resolve) => {
      this.pending = { question: replaceQuestion(work, title), answer: resolve };
    });
    this.pending = undefined;
    if (choice === 'cancel') return false;
    if (choice === 'save') return this.saveCheckpoint();
    return true;
  }
}
