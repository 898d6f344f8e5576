/**
 * A set of small non-negative integers (document slots of the embedded engine) as 32-bit words.
 * Sets of different lengths combine as if the shorter were padded with zeros.
 */
export class Bitset {
  words: Uint32Array;

  constructor(bits = 0) {
    this.words = new Uint32Array(Math.max(1, Math.ceil(bits / 32)));
  }

  static ofWords(words: Uint32Array): Bitset {
    const b = new Bitset(0);
    b.words = words;
    return b;
  }

  private grow(word: number): void {
    let length = this.words.length;
    while (length <= word) length *= 2;
    const next = new Uint32Array(length);
    next.set(this.words);
    this.words = next;
  }

  add(i: number): void {
    const w = i >>> 5;
    if (w >= this.words.length) this.grow(w);
    this.words[w]! |= 1 << (i & 31);
  }

  remove(i: number): void {
    const w = i >>> 5;
    if (w < this.words.length) this.words[w]! &= ~(1 << (i & 31));
  }

  has(i: number): boolean {
    const w = i >>> 5;
    return w < this.words.length && (this.words[w]! & (1 << (i & 31))) !== 0;
  }

  clone(): Bitset {
    return Bitset.ofWords(this.words.slice());
  }

  /** In place: keeps only members also in `other`. */
  and(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) a[i]! &= b[i]!;
    a.fill(0, n);
    return this;
  }

  /** In place: adds the members of `other`. */
  or(other: Bitset): this {
    if (other.words.length > this.words.length) this.grow(other.words.length - 1);
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < b.length; i++) a[i]! |= b[i]!;
    return this;
  }

  /** In place: drops the members of `other`. */
  andNot(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) a[i]! &= ~b[i]!;
    return this;
  }

  isEmpty(): boolean {
    for (const w of this.words) if (w !== 0) return false;
    return true;
  }

  count(): number {
    let n = 0;
    for (let w of this.words) {
      w -= (w >>> 1) & 0x55555555;
      w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
      n += (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n;
  }

  /** Members in increasing order. */
  forEach(fn: (i: number) => void): void {
    const a = this.words;
    for (let w = 0; w < a.length; w++) {
      let word = a[w]!;
      while (word !== 0) {
        const low = word & -word;
        fn((w << 5) + (31 - Math.clz32(low)));
        word ^= low;
      }
    }
  }
}
