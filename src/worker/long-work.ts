// Long work in the worker (restoring a checkpoint, a `find` scan): its progress, which status()
// reports, the cancel flag, and the slicing that keeps the worker answering (heartbeat, status,
// cancel) while it goes on. Runs (kernel.worker.ts runSliced) share the cancel flag.
import type { WorkProgress } from './api';

/** Wall time one slice of work may take before the worker answers other calls. */
export const SLICE_MS = 16;

export const yieldToMessages = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

class LongWork {
  progress: WorkProgress | undefined;
  cancelRequested = false;

  /** Starts a cancellable piece of work (a cancel asked for earlier no longer counts). */
  start(progress: WorkProgress): void {
    this.cancelRequested = false;
    this.progress = progress;
  }

  finish(): void {
    this.progress = undefined;
  }

  /**
   * Calls `step` with a slice's deadline until it returns true (done), letting other calls in
   * between slices. False: cancelled. `step` must make progress each call (its own bound).
   */
  async sliced(step: (deadline: () => boolean) => boolean): Promise<boolean> {
    for (;;) {
      const sliceEnd = performance.now() + SLICE_MS;
      if (step(() => performance.now() > sliceEnd)) return true;
      await yieldToMessages();
      if (this.cancelRequested) return false;
    }
  }
}

/** The worker's one piece of long work at a time (the client never starts two). */
export const longWork = new LongWork();
