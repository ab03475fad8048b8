// An element's width as the browser's own layout reports it (a ResizeObserver), for views that
// draw to their width. Svelte's bind:clientWidth also reads clientWidth as the element mounts: a
// synchronous layout of the whole page in the middle of mounting. A restored checkpoint remounts
// every view of the session at once (the timeline strip among them), and that forced layout plus
// the one after it made one main-thread task over 50 ms (tests/e2e/long-work.spec.ts). Here the
// first width comes with the next frame's layout instead; until then the view has width 0.
import type { Attachment } from 'svelte/attachments';

/** Calls `set` with the element's content width once it is laid out and whenever it changes (never during a mount). */
export function observeWidth(set: (width: number) => void): Attachment<HTMLElement> {
  return (element) => {
    const observer = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      // The content box: clientWidth for an element without padding (the callers' own).
      set(entry.contentRect.width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  };
}
