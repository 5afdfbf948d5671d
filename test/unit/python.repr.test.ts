/**
 * repr() of a list of str as Nova writes cpu_model_extra_flags in its messages: pyListRepr against
 * Python's own repr(), and quotedListRepr (which stops writing at the quote limit and only counts
 * the rest) against quoteValue of the whole repr, on seeded random lists short and long.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { quoteValue } from '../../server/src/core/findingCap';
import { pyListRepr, quotedListRepr } from '../../server/src/core/python';

// Quotes, backslash, blanks, controls, Latin-1, a line separator, astral (printable and not).
const PALETTE = ['a', 'Z', '0', '-', '+', ' ', "'", '"', '\\', '\n', '\t', '\r', '\x01', '\x7f', 'é', '\u00a0', '\u2028', 'ß', '😀', '\u{e0001}'];

function lists(seed: number, count: number, maxItems: number): string[][] {
  let x = seed;
  const next = (n: number) => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x % n; };
  return Array.from({ length: count }, () =>
    Array.from({ length: next(maxItems) }, () => Array.from({ length: next(8) }, () => PALETTE[next(PALETTE.length)]).join('')));
}

test('pyListRepr is Python\'s repr() of the list', () => {
  const cases = lists(7, 200, 6);
  const r = spawnSync('python3', ['-c', 'import json,sys\nfor l in json.load(sys.stdin): print(json.dumps(repr(l)))'], { input: JSON.stringify(cases), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const python = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as string);
  assert.deepEqual(cases.map(pyListRepr), python);
});

test('quotedListRepr is quoteValue(pyListRepr(items)), for lists under, at and far over the limit', () => {
  for (const max of [5, 40, 1000]) {
    for (const items of [...lists(11, 300, 12), ...lists(13, 20, 2000)]) assert.equal(quotedListRepr(items, max), quoteValue(pyListRepr(items), max));
  }
  const flags = Array.from({ length: 100_000 }, (_, i) => `flag${i}`);
  assert.equal(quotedListRepr(flags), quoteValue(pyListRepr(flags), 1000));
  assert.equal(quotedListRepr([]), '[]');
});
