/** Nova's cpuset grammar including Python int() quirks and exclusions in any order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuList, formatNovaCpuset, parseNovaCpuset } from '../../server/src/cpuset/novaCpuset';

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
