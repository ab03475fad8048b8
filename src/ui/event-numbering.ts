// One explanation of event numbering, true to what the kernel does, for every place that shows a
// cursor or an event number (the status bar, the go-to box and its notices): events are #0, #1, …
// (#0 is the kernel booting); the cursor "event n" is the state after n events, #0 … #n-1.

/** The explanation, in full (a title, a notice). */
export const EVENT_NUMBERING =
  'Events are numbered from #0 (#0 is the kernel booting), in the Events list, find, bisect and why alike; “event n” on the timeline is the state after n events, #0 … #n−1, so event 0 is before any event';

/** Where cursor `n` is among the events, shown next to it as the Events list numbers them: "before #0", "after #1028". */
export function cursorPlace(cursor: number): string {
  return cursor === 0 ? 'before #0' : `after #${cursor - 1}`;
}
