// Versions of fixed-size pages across snapshots: snapshot i stores only the pages that changed
// since snapshot i-1 (snapshot 0 stores them all). Used for the core's linear memory and for the
// kernel state's image alike.

export class PageHistory {
  /** Per snapshot: the page indices it stored (ascending) and their bytes. */
  #pages: Int32Array[] = [];
  #data: Uint8Array[] = [];
  /** Per page: the snapshot indices that stored it (ascending). */
  #versions: number[][] = [];
  #bytes = 0;

  constructor(readonly pageBytes: number) {}

  get bytes(): number { return this.#bytes; }
  get count(): number { return this.#pages.length; }

  /** Stores `pages` of `source` as the next snapshot. */
  record(pages: readonly number[], source: Uint8Array): void {
    const index = this.#pages.length;
    const data = new Uint8Array(pages.length * this.pageBytes);
    pages.forEach((page, i) => data.set(source.subarray(page * this.pageBytes, (page + 1) * this.pageBytes), i * this.pageBytes));
    for (const page of pages) (this.#versions[page] ??= []).push(index);
    this.#pages.push(Int32Array.from(pages));
    this.#data.push(data);
    this.#bytes += data.byteLength;
  }

  /** Every page that has a version. */
  allPages(): number[] {
    const pages: number[] = [];
    this.#versions.forEach((versions, page) => { if (versions?.length) pages.push(page); });
    return pages;
  }

  /** Pages stored by snapshots from+1 .. to. */
  changedBetween(from: number, to: number, into = new Set<number>()): Set<number> {
    for (let index = Math.max(0, from + 1); index <= to; index++) for (const page of this.#pages[index]) into.add(page);
    return into;
  }

  /** Copies page's latest version at or before snapshot `index` into target; false if none. */
  copyVersion(page: number, index: number, target: Uint8Array): boolean {
    const versions = this.#versions[page];
    if (!versions) return false;
    let low = 0, high = versions.length - 1, found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (versions[middle] <= index) { found = versions[middle]; low = middle + 1; } else high = middle - 1;
    }
    if (found < 0) return false;
    const pages = this.#pages[found];
    let lo = 0, hi = pages.length - 1, at = -1;
    while (lo <= hi) {
      const middle = (lo + hi) >> 1;
      if (pages[middle] === page) { at = middle; break; }
      if (pages[middle] < page) lo = middle + 1; else hi = middle - 1;
    }
    if (at < 0) throw new Error(`page history: page ${page} missing from snapshot ${found}, which lists it`);
    target.set(this.#data[found].subarray(at * this.pageBytes, (at + 1) * this.pageBytes), page * this.pageBytes);
    return true;
  }

  /** A history holding snapshots 0 .. keep-1 of this one (their data shared, not copied). */
  fork(keep: number): PageHistory {
    const forked = new PageHistory(this.pageBytes);
    forked.#pages = this.#pages.slice(0, keep);
    forked.#data = this.#data.slice(0, keep);
    forked.#versions = this.#versions.map((versions) => versions?.filter((index) => index < keep));
    forked.#bytes = forked.#data.reduce((sum, data) => sum + data.byteLength, 0);
    return forked;
  }
}
