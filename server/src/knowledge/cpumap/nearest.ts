/**
 * Did-you-mean ranking for model and feature names. Case and separators are ignored first
 * (`sse4_1`, `Sandy Bridge`), then an alias spelled exactly wins, then optimal-string-alignment
 * distance (a swap of two letters is one edit), then a name that contains the typo as a prefix.
 */
import { editDistance } from '../../core/editDistance';

function normalize(s: string): string {
  return s.toLowerCase().replace(/[-_.\s]/g, '');
}

export interface NameEntry {
  name: string;
  aliases?: readonly string[];
}

/** Names close to `query`, best first; empty when nothing is close enough to be a useful hint. */
export function nearestNames(query: string, entries: readonly NameEntry[], limit = 3): string[] {
  const q = query.toLowerCase();
  const nq = normalize(query);
  if (!nq) return [];
  // Longer names tolerate more typos; short ones (fpu, pae) only one.
  const maxDist = nq.length <= 4 ? 1 : nq.length <= 8 ? 2 : 3;
  const scored: Array<{ name: string; score: number; order: number }> = [];
  entries.forEach((e, order) => {
    let score = Infinity;
    if (e.name.toLowerCase() === q) score = 0;
    else if (normalize(e.name) === nq) score = 0.1;
    else if (e.aliases?.some((a) => a.toLowerCase() === q || normalize(a) === nq)) score = 0.2;
    else {
      const n = normalize(e.name);
      let d = editDistance(nq, n, maxDist);
      for (const a of e.aliases ?? []) d = Math.min(d, editDistance(nq, normalize(a), maxDist) + 0.5);
      if (d <= maxDist) score = d;
      else if (nq.length >= 3 && n.startsWith(nq)) score = maxDist + 0.5 + (n.length - nq.length) / 100;
    }
    if (score !== Infinity) scored.push({ name: e.name, score, order });
  });
  scored.sort((a, b) => a.score - b.score || a.name.length - b.name.length || a.order - b.order);
  return scored.slice(0, limit).map((s) => s.name);
}
