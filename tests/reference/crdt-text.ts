// A plain, character-level YjsMod / FugueMax text CRDT (after Gentle's reference-crdts): one
// array entry per character, indices instead of a position index, O(n) everywhere. The
// differential test checks that the wasm text CRDT orders every concurrent edit exactly as this.
type Id = [replica: number, seq: number];
interface Char { id: Id; left: Id | null; right: Id | null; text: string; deleted: boolean }

const same = (a: Id | null, b: Id | null) => (a === null || b === null ? a === b : a[0] === b[0] && a[1] === b[1]);

export class ReferenceText {
  chars: Char[] = [];
  private seqs = new Map<number, number>();

  constructor(readonly replica: number) {}

  private indexOf(id: Id | null): number {
    if (id === null) return -1;
    return this.chars.findIndex((char) => same(char.id, id));
  }

  private visibleIndex(pos: number): number {
    for (let i = 0, seen = 0; i < this.chars.length; i++) {
      if (this.chars[i].deleted) continue;
      if (seen === pos) return i;
      seen++;
    }
    throw new RangeError(`no visible char ${pos}`);
  }

  insert(pos: number, text: string): void {
    for (const cp of text) {
      const at = pos === 0 ? 0 : this.visibleIndex(pos - 1) + 1;
      const seq = this.seqs.get(this.replica) ?? 0;
      this.seqs.set(this.replica, seq + 1);
      this.chars.splice(at, 0, {
        id: [this.replica, seq], left: at > 0 ? this.chars[at - 1].id : null, right: this.chars[at]?.id ?? null, text: cp, deleted: false,
      });
      pos++;
    }
  }

  delete(pos: number, count: number): void {
    const targets = Array.from({ length: count }, (_, k) => this.visibleIndex(pos + k));
    for (const index of targets) this.chars[index].deleted = true;
  }

  toString(): string {
    return this.chars.filter((char) => !char.deleted).map((char) => char.text).join('');
  }

  /** Takes every char and deletion `other` has, integrating chars once their origins are here. */
  merge(other: ReferenceText): void {
    let waiting = other.chars.filter((char) => this.indexOf(char.id) < 0);
    while (waiting.length > 0) {
      const ready = waiting.find((char) => (this.seqs.get(char.id[0]) ?? 0) === char.id[1]
        && (char.left === null || this.indexOf(char.left) >= 0) && (char.right === null || this.indexOf(char.right) >= 0));
      if (!ready) throw new Error('reference merge: no char is ready (causality broken)');
      this.integrate({ ...ready, deleted: false });
      this.seqs.set(ready.id[0], ready.id[1] + 1);
      waiting = waiting.filter((char) => char !== ready);
    }
    for (const char of other.chars) if (char.deleted) this.chars[this.indexOf(char.id)].deleted = true;
  }

  private integrate(char: Char): void {
    const left = this.indexOf(char.left);
    let destination = left + 1;
    const right = char.right === null ? this.chars.length : this.indexOf(char.right);
    let scanning = false;
    for (let i = destination; ; i++) {
      if (!scanning) destination = i;
      if (i === this.chars.length || i === right) break;
      const other = this.chars[i];
      const otherLeft = this.indexOf(other.left);
      const otherRight = other.right === null ? this.chars.length : this.indexOf(other.right);
      if (otherLeft < left) break;
      if (otherLeft === left) {
        if (otherRight < right) { scanning = true; continue; }
        if (otherRight === right) {
          if (char.id[0] < other.id[0]) break;
          scanning = false;
          continue;
        }
        scanning = false;
        continue;
      }
    }
    this.chars.splice(destination, 0, char);
  }
}
