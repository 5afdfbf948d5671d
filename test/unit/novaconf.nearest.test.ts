/**
 * The did-you-mean of nova.conf (novaconf/nearest.ts) passes candidates over by length and
 * letters before computing an edit distance: those lower bounds must never drop a name the
 * edit distance alone would offer. Checked against the plain loop over every candidate, on
 * Nova's group and option names and seeded random edits of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance } from '../../server/src/core/editDistance';
import { zedOptions } from '../../server/src/knowledge/nova/zed';
import { NameIndex, nearestNames } from '../../server/src/novaconf/nearest';

/** The reference: every candidate's distance, the same allowance and order. */
function plain(word: string, candidates: string[], limit = 3): string[] {
  const w = word.toLowerCase();
  const cap = Math.min(3, Math.max(1, Math.floor(w.length / 4)));
  return candidates.map((c) => [editDistance(w, c.toLowerCase(), cap), c] as [number, string]).filter(([d]) => d <= cap)
    .sort((x, y) => x[0] - y[0] || x[1].localeCompare(y[1])).slice(0, limit).map(([, c]) => c);
}

test('did-you-mean: pruning by length and letters finds what the edit distance over every candidate finds', () => {
  const zed = zedOptions();
  const groups = zed.groups();
  const options = [...new Set(groups.flatMap((g) => zed.options(g).map((o) => o.name)))];
  let seed = 7;
  const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
  const letters = 'abcdefghijklmnopqrstuvwxyz_0123456789-.AZé';
  const mutate = (s: string) => {
    let out = s;
    for (let k = rnd(5); k > 0; k--) {
      const at = rnd(out.length + 1);
      const op = rnd(4);
      const ch = letters[rnd(letters.length)];
      if (op === 0) out = out.slice(0, at) + ch + out.slice(at);
      else if (op === 1) out = out.slice(0, at) + out.slice(at + 1);
      else if (op === 2) out = out.slice(0, at) + ch + out.slice(at + 1);
      else if (at + 1 < out.length) out = out.slice(0, at) + out[at + 1] + out[at] + out.slice(at + 2);
    }
    return out;
  };
  let offered = 0;
  for (const [candidates, rounds] of [[groups, 3000], [options, 1500]] as const) {
    const index = new NameIndex(candidates);
    for (let i = 0; i < rounds; i++) {
      const word = mutate(candidates[rnd(candidates.length)]);
      const expected = plain(word, [...candidates]);
      assert.deepEqual(index.nearest(word), expected, word);
      assert.deepEqual(nearestNames(word, candidates), expected, word);
      offered += expected.length;
    }
  }
  // The words are near-misses: most get a suggestion, so the comparison is not of empty lists.
  assert.ok(offered > 3000, `${offered} suggestions`);
});
