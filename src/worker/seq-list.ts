// A growing, ordered list of event seqs (an index of the journal's events of some kind), with the
// one search its readers need: how many of them happened before a cursor. Used by the failure
// walk (density.ts) and the failed allocations (heap-failures.ts); bounded by the journal's size.
export class SeqList {
  count = 0;
  seqs: Uint32Array;

  constructor(capacity = 16) {
    this.seqs = new Uint32Array(capacity);
  }

  /** Appends `seq` (larger than every seq already in the list). */
  push(seq: number): void {
    if (this.count === this.seqs.length) {
      const grown = new Uint32Array(this.seqs.length * 2);
      grown.set(this.seqs);
      this.seqs = grown;
    }
    this.seqs[this.count++] = seq;
  }

  /** How many seqs are below `seq`: the first index whose seq is >= `seq`. */
  below(seq: number): number {
    let low = 0, high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.seqs[middle] < seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
