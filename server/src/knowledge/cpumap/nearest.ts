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

/** An entry's names lower-cased and normalized, computed once per entry (catalog entries live as long as the catalog). */
interface Prepared { lower: string; norm: string; aliasesLower: string[]; aliasesNorm: string[] }
const prepared = new WeakMap<NameEntry, Prepared>();

function prepare(e: NameEntry): Prepared {
  let p = prepared.get(e);
  if (!p) {
    const aliases = e.aliases ?? [];
    p = { lower: e.name.toLowerCase(), norm: normalize(e.name), aliasesLower: aliases.map((a) => a.toLowerCase()), aliasesNorm: aliases.map(normalize) };
    prepared.set(e, p);
  }
  return p;
}

/** Names close to `query`, best first; empty when nothing is close enough to be a useful hint. */
export function nearestNames(query: string, entries: readonly NameEntry[], limit = 3): string[] {
  const q = query.toLowerCase();
  const nq = normalize(query);
  if (!nq) return [];
  // Longer names tolerate more typos; short ones (fpu, pae) only one.
  const maxDist = nq.length <= 4 ? 1 : nq.length <= 8 ? 2 : 3;
  const scored: Array<{ name: string; score: number; order: number }> = [];
  for (let order = 0; order < entries.length; order++) {
    const e = entries[order];
    const p = prepare(e);
    let score = Infinity;
    if (p.lower === q) score = 0;
    else if (p.norm === nq) score = 0.1;
    else if (p.aliasesLower.includes(q) || p.aliasesNorm.includes(nq)) score = 0.2;
    else {
      let d = editDistance(nq, p.norm, maxDist);
      for (const a of p.aliasesNorm) d = Math.min(d, editDistance(nq, a, maxDist) + 0.5);
      if (d <= maxDist) score = d;
      else if (nq.length >= 3 && p.norm.startsWith(nq)) score = maxDist + 0.5 + (p.norm.length - nq.length) / 100;
    }
    if (score !== Infinity) scored.push({ name: e.name, score, order });
  }
  scored.sort((a, b) => a.score - b.score || a.name.length - b.name.length || a.order - b.order);
  return scored.slice(0, limit).map((s) => s.name);
}
