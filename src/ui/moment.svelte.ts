// What the screen shows belongs to the session on it (issue 10). A view computed at one place (a
// share link at one moment, a cause chain on one branch, an error about one input) is held with
// the key of that place and shown only while the place holds: moving the cursor, changing branch
// (an intervention, Undo, Redo, a switch) or loading another session hides it, with no reset to
// remember per view. KernelClient says where the screen is (`moment`, `history`).
import type { KernelStatus } from '../worker/api';

/** The session (the client's generation), branch and cursor on screen. */
export function momentKey(generation: number, status: KernelStatus | undefined): string {
  return status?.loaded ? `${generation}:${status.branch}:${status.cursor}` : `${generation}:-`;
}

/**
 * The session and branch on screen: what a branch has recorded stays as it is while its cursor
 * moves or it runs on, so a view of its events (a cause chain) holds until the branch changes.
 */
export function historyKey(generation: number, status: KernelStatus | undefined): string {
  return status?.loaded ? `${generation}:${status.branch}` : `${generation}:-`;
}

/** A value held for one place: `value` is undefined once the place it was given for no longer holds. */
export class Held<T> {
  #held = $state.raw<{ key: string; value: T } | undefined>(undefined);
  readonly #keyNow: () => string;

  constructor(keyNow: () => string) {
    this.#keyNow = keyNow;
  }

  get value(): T | undefined {
    const held = this.#held;
    return held && held.key === this.#keyNow() ? held.value : undefined;
  }

  /** Holds `value` for `key` (by default the place now; pass the key read before an await). */
  set(value: T | undefined, key = this.#keyNow()): void {
    this.#held = value === undefined ? undefined : { key, value };
  }
}
