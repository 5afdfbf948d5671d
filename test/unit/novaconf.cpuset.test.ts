/** Nova's cpuset grammar including Python int() quirks and exclusions in any order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuList, formatNovaCpuset, mayHaveOddNumbers, merge, novaCpusetPieces, parseNovaCpuset, subtract, type Interval } from '../../server/src/cpuset/novaCpuset';
import { isOddInt } from '../../server/src/core/python';

const CASES: Array<[string, number[] | string]> = [
  ['1-3,5,^2', [1, 3, 5]],
  [', ,   1 ,  ,,  2,    ,', [1, 2]],
  [' 1 - 1, 1 - 2 , 1 -3', [1, 2, 3]],
  ['^0-1', []],
  ['0-3,^1-2', [0, 3]],
  ['^8,4-12', [4, 5, 6, 7, 9, 10, 11, 12]],
  ['4-12,^8', [4, 5, 6, 7, 9, 10, 11, 12]],
  ['^ 3,3,4', [4]],
  ['+3', [3]],
  ['010', [10]],
  ['1_0', [10]],
  ['٣', [3]],
  ['3 - 1', "Invalid range expression '3 - 1'"],
  ['--13', "Invalid range expression '--13'"],
  ['1-3,b', "Invalid inclusion expression 'b'"],
  ['^c', "Invalid exclusion expression '^c'"],
  ['0x10', "Invalid inclusion expression '0x10'"],
  ['-1', "Invalid range expression '-1'"],
  ['1 2', "Invalid inclusion expression '1 2'"],
  ['1-3-', "Invalid range expression '1-3-'"],
  ['^', "Invalid exclusion expression '^'"],
  ['^2^', "Invalid exclusion expression '^2^'"],
  ["1,x'y", `Invalid inclusion expression "x'y"`],
];

for (const [spec, expected] of CASES) {
  test(`nova cpuset ${JSON.stringify(spec)}`, () => {
    const r = parseNovaCpuset(spec);
    if (typeof expected === 'string') {
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.error, expected);
    } else {
      assert.equal(r.ok, true);
      if (r.ok) assert.deepEqual(cpuList(r.cpus), expected);
    }
  });
}

test('nova cpuset: the failing piece is located in the spec', () => {
  const r = parseNovaCpuset('0-3, 7-5 ,9');
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal('0-3, 7-5 ,9'.slice(r.start, r.end), '7-5');
});

test('nova cpuset: huge ranges stay cheap (intervals, not sets)', () => {
  const r = parseNovaCpuset('0-4000000000,^5');
  assert.ok(r.ok);
  if (r.ok) assert.equal(formatNovaCpuset(r.cpus), '0-4,6-4000000000');
});

test('format_cpu_spec', () => {
  const r = parseNovaCpuset('40,10,11,13-16');
  assert.ok(r.ok);
  if (r.ok) assert.equal(formatNovaCpuset(r.cpus), '10-11,13-16,40');
});

test('nova cpuset: plain pieces (read without strings) and odd ones agree with the slow reading; mayHaveOddNumbers misses none', () => {
  // Plain and odd numbers (leading zeros, signs, underscores, Arabic-Indic digits, blanks, 16+ digits).
  const tokens = ['0', '7', '12', '010', '00', '^3', '^05', '3-9', '3-007', '10-2', '^1-4', '+3', '1_0', '\u0663', ' 4 ', '12345678901234567', '0000000000000001', '', '5-', '^', 'x'];
  let x = 3;
  const pick = () => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return tokens[x % tokens.length]; };
  const odd = (rule: string) => {
    const body = rule.startsWith('^') ? rule.slice(1) : rule;
    const dash = body.indexOf('-');
    return dash < 0 ? isOddInt(body) : isOddInt(body.slice(0, dash)) || isOddInt(body.slice(dash + 1));
  };
  for (let i = 0; i < 3000; i++) {
    const spec = Array.from({ length: 1 + (i % 6) }, pick).join(',');
    const pieces = [...novaCpusetPieces(spec)];
    for (const p of pieces) {
      assert.equal(p.rule, spec.slice(p.start, p.end).trim(), spec);
      assert.equal(p.oddNumber, odd(p.rule), `${JSON.stringify(spec)}: ${p.rule}`);
    }
    if (pieces.some((p) => p.oddNumber)) assert.ok(mayHaveOddNumbers(spec), spec);
    const r = parseNovaCpuset(spec);
    if (!r.ok) continue;
    // The parse (which joins touching ranges as it reads) is the union of its pieces, less the exclusions.
    const union = (ex: boolean) => merge(pieces.filter((p) => p.exclude === ex).map((p) => [...p.cpus] as Interval));
    assert.deepEqual(r.cpus, subtract(union(false), union(true)), spec);
  }
  assert.equal(mayHaveOddNumbers(`${'1,'.repeat(1000)}2-3,^4`), false);
});
