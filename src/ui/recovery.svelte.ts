// The recovery point: the session (spec, seed, interventions, cursor, as a share link) kept in
// IndexedDB whenever the run comes to rest, so a crashed worker, or a crashed or closed tab, comes
// back to where the user was. It lives beside the draft and never touches saved checkpoints.
import { lazyPersistence } from './persistence';

const RECOVERY_ID = 'recovery';
/** Quiet time before the recovery point is written (dragging the timeline rests often). */
const SAVE_DELAY_MS = 1000;

export interface RecoveryPoint {
  link: string;
  name: string;
  cursor: number;
}

export class RecoveryStore {
  /** The point found at start-up, offered to the user once. */
  offered = $state.raw<RecoveryPoint | undefined>(undefined);

  readonly #open = lazyPersistence();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastLink = '';

  /** Remembers `point` after a quiet second; a newer point replaces a pending one. */
  remember(point: RecoveryPoint): void {
    if (point.link === this.#lastLink) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#write(point), SAVE_DELAY_MS);
  }

  async #write(point: RecoveryPoint): Promise<void> {
    try {
      await (await this.#open()).save('sessions', RECOVERY_ID, 'recovery', point);
      this.#lastLink = point.link;
    } catch {
      // Storage full or unavailable: recovery within this page still works from memory.
    }
  }

  /** The stored point, if it is readable. A damaged one is not offered (and not deleted). */
  async load(): Promise<RecoveryPoint | undefined> {
    try {
      const point = await (await this.#open()).load<RecoveryPoint>('sessions', RECOVERY_ID);
      if (point && typeof point.link === 'string' && typeof point.name === 'string' && Number.isInteger(point.cursor)) {
        this.#lastLink = point.link;
        return point;
      }
    } catch {
      // Unreadable: nothing to offer; the user's saved checkpoints are elsewhere and unaffected.
    }
    return undefined;
  }
}
