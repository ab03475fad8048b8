// Windowing for long lists: only the rows in (or near) view are rendered, so a thousand
// processes or events scroll without a thousand DOM rows. Fixed row height.
export class VirtualRows {
  scrollTop = $state(0);
  viewportHeight = $state(400);

  constructor(readonly rowHeight: number, readonly overscan = 10) {}

  /** [first, end) of the rows to render for `count` rows. */
  range(count: number): [number, number] {
    const first = Math.max(0, Math.floor(this.scrollTop / this.rowHeight) - this.overscan);
    const end = Math.min(count, Math.ceil((this.scrollTop + this.viewportHeight) / this.rowHeight) + this.overscan);
    return [first, Math.max(first, end)];
  }

  onScroll = (event: Event) => {
    const element = event.currentTarget as HTMLElement;
    this.scrollTop = element.scrollTop;
    this.viewportHeight = element.clientHeight;
  };
}
