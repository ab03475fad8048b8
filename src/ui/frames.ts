// Work that can wait for the screen: a restored session's views render in one frame, the editor's
// new text (a new collaborative doc, the highlighter) in a later task, so that no one task does
// both (a main-thread task over 50 ms; tests/e2e/long-work.spec.ts).

/** Resolves in a task of its own after the next frame is drawn (or 100 ms on, in a hidden tab, which draws none). */
export function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 100);
    requestAnimationFrame(() => {
      clearTimeout(fallback);
      setTimeout(resolve, 0);
    });
  });
}
