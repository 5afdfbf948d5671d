/** Did-you-mean: the closest names by edit distance (case-insensitive), best first. */
import { editDistance } from '../core/editDistance';

/** Names within a distance that grows with the word's length (1 for short words, up to 3). */
export function nearestNames(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const w = word.toLowerCase();
  const cap = Math.min(3, Math.max(1, Math.floor(w.length / 4)));
  const scored: Array<[number, string]> = [];
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase(), cap);
    if (d <= cap) scored.push([d, c]);
  }
  return scored.sort((x, y) => x[0] - y[0] || x[1].localeCompare(y[1])).slice(0, limit).map(([, c]) => c);
}
