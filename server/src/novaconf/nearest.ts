/** Did-you-mean: the closest names by edit distance (case-insensitive), best first. */
import { editDistance } from '../core/editDistance';

/**
 * A lower bound of the edit distance: the letters one word has and the other lacks (an edit
 * adds or drops at most one on each side; a swap none). `counts` holds the word's letters by
 * code (mod 128: a shared slot only lowers the bound), and is left as it was.
 */
function bagDistance(counts: Int32Array, length: number, other: string): number {
  let shared = 0;
  for (let i = 0; i < other.length; i++) if (counts[other.charCodeAt(i) & 127]-- > 0) shared++;
  for (let i = 0; i < other.length; i++) counts[other.charCodeAt(i) & 127]++;
  return Math.max(length - shared, other.length - shared);
}

/** The letters of a word as bits: a-z one each, digits five, the rest one (a shared bit only lowers the bound below). */
function letterBits(lower: string): number {
  let bits = 0;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    bits |= 1 << (c >= 97 && c <= 122 ? c - 97 : c >= 48 && c <= 57 ? 26 + ((c - 48) % 5) : 31);
  }
  return bits;
}

function popCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * The cheapest lower bound, from the letter bits alone: each letter one word has and the other
 * lacks takes an edit, and one edit can at best remove one such letter from each side.
 */
const bitsDistance = (a: number, b: number) => Math.max(popCount(a & ~b), popCount(b & ~a));

/** The distance allowed for a word: 1 for short words, up to 3 for long ones. */
const allowance = (length: number) => Math.min(3, Math.max(1, Math.floor(length / 4)));

/**
 * Candidate names grouped by the length of their lower-case form, built once for a list that
 * many words are matched against (a file of 100,000 misspelt headers asks once per header):
 * only names whose length is within the allowance are looked at, and of those only the ones
 * whose letters are close enough get an edit distance.
 */
export class NameIndex {
  private readonly byLength = new Map<number, Array<{ name: string; lower: string; bits: number }>>();

  constructor(candidates: Iterable<string>) {
    for (const name of candidates) {
      const lower = name.toLowerCase();
      const c = { name, lower, bits: letterBits(lower) };
      const list = this.byLength.get(lower.length);
      if (list) list.push(c); else this.byLength.set(lower.length, [c]);
    }
  }

  nearest(word: string, limit = 3): string[] {
    const w = word.toLowerCase();
    const cap = allowance(w.length);
    const bits = letterBits(w);
    const scored: Array<[number, string]> = [];
    let counted = false;
    for (let length = Math.max(0, w.length - cap); length <= w.length + cap; length++) {
      for (const c of this.byLength.get(length) ?? NONE) {
        if (bitsDistance(bits, c.bits) > cap) continue;
        if (!counted) { for (let i = 0; i < w.length; i++) COUNTS[w.charCodeAt(i) & 127]++; counted = true; }
        if (bagDistance(COUNTS, w.length, c.lower) > cap) continue;
        const d = editDistance(w, c.lower, cap);
        if (d <= cap) scored.push([d, c.name]);
      }
    }
    if (counted) for (let i = 0; i < w.length; i++) COUNTS[w.charCodeAt(i) & 127]--;
    return scored.sort((x, y) => x[0] - y[0] || x[1].localeCompare(y[1])).slice(0, limit).map(([, c]) => c);
  }
}

const NONE: never[] = [];
/** The word's letter counts for bagDistance, reused (all zero between calls): most words need none. */
const COUNTS = new Int32Array(128);

/** Names within the allowance of `word`, best first (for one question; NameIndex for many). */
export function nearestNames(word: string, candidates: Iterable<string>, limit = 3): string[] {
  return new NameIndex(candidates).nearest(word, limit);
}
