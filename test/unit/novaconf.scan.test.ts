/** The scanner reads nova.conf exactly as oslo.config's iniparser does, with positions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/core/lineIndex';
import { buildModel, setting } from '../../server/src/novaconf/model';
import { novaKnowledge } from '../../server/src/knowledge/knowledge';
import { scan, valueOffset } from '../../server/src/novaconf/scan';

const scanOf = (text: string) => scan(text, new LineIndex(text).lineStarts);
const entry = (text: string, i = 0) => scanOf(text).entries[i];

const VALUES: Array<[string, string, string, string]> = [
  // [name, line, key, value as oslo.config hands it to the type]
  ['equals', 'cpu_mode = custom', 'cpu_mode', 'custom'],
  ['colon', 'cpu_mode: custom', 'cpu_mode', 'custom'],
  ['first separator wins (colon)', 'a: b=c', 'a', 'b=c'],
  ['first separator wins (equals)', 'a = b:c', 'a', 'b:c'],
  ['no inline comments', 'cpu_mode = custom  # x', 'cpu_mode', 'custom  # x'],
  ['one pair of quotes removed', 'vcpu_pin_set = "4-12,^8,15"', 'vcpu_pin_set', '4-12,^8,15'],
  ['single quotes', "a = 'x'", 'a', 'x'],
  ['mismatched quotes kept', `a = 'x"`, 'a', `'x"`],
  ['inner quotes kept', `a = "x" "y"`, 'a', 'x" "y'],
  ['lone quote becomes empty', 'a = "', 'a', ''],
  ['empty value', 'a =', 'a', ''],
  ['spaces around', '  '.slice(2) + 'a   =    b   ', 'a', 'b'],
];

for (const [name, line, key, value] of VALUES) {
  test(`scan: ${name}`, () => {
    const e = entry(`[s]\n${line}\n`);
    assert.equal(e.key, key);
    assert.equal(e.value, value);
  });
}

test('scan: indented lines continue the value, joined with a newline, even when they look like keys or comments', () => {
  const s = scanOf('[s]\na = one\n  two\n\tb = three\n  # four\n');
  assert.equal(s.entries.length, 1);
  assert.equal(s.entries[0].value, 'one\ntwo\nb = three\n# four');
  assert.equal(s.suspiciousContinuations.length, 2);
  assert.equal(s.problems.length, 0);
});

test('scan: a URL on a continuation line is not mistaken for a key', () => {
  assert.equal(scanOf('[s]\na = x\n  http://example.com/\n').suspiciousContinuations.length, 0);
});

test('scan: value positions map through continuation lines', () => {
  const text = '[s]\na = one\n  two\n';
  const e = entry(text);
  assert.equal(text.slice(valueOffset(e, 0), valueOffset(e, 3)), 'one');
  assert.equal(text.slice(valueOffset(e, 4), valueOffset(e, 7)), 'two');
  assert.equal(text.slice(e.keyStart, e.keyEnd), 'a');
});

const PROBLEMS: Array<[string, string, string]> = [
  ['a blank line ends the value: indented line after it', '[s]\na = 1\n\n  2\n', 'unexpected-continuation'],
  ['indented line after a comment', '[s]\n# c\n  2\n', 'unexpected-continuation'],
  ['indented line after a header', '[s]\n  a = 1\n', 'unexpected-continuation'],
  ['header with text after ]', '[libvirt] # cpu\n', 'no-section-end'],
  ['unbalanced bracket', '[libvirt\n', 'no-section-end'],
  ['empty header', '[]\n', 'empty-section-name'],
  ['no separator', '[s]\ncpu_mode custom\n', 'no-assignment'],
  ['empty key', '[s]\n= x\n', 'empty-key'],
  ['key before any section', 'a = 1\n[s]\n', 'no-section'],
  ['byte-order mark', '\ufeff[s]\na = 1\n', 'bom'],
];

for (const [name, text, kind] of PROBLEMS) {
  test(`scan problem: ${name}`, () => {
    const s = scanOf(text);
    assert.deepEqual(s.problems.map((p) => p.kind), [kind]);
  });
}

test('scan: [DEFAULT] is case-sensitive, other groups are not', () => {
  const s = scanOf('[DEFAULT]\n[default]\n[LibVirt]\n');
  assert.deepEqual(s.sections.map((x) => x.group), ['DEFAULT', 'default', 'libvirt']);
});

test('model: the last occurrence wins, across repeated sections of any case', () => {
  const text = '[libvirt]\ncpu_mode = custom\n[LIBVIRT]\ncpu_mode = host-model\n';
  const m = buildModel(text, new LineIndex(text), novaKnowledge('zed'));
  assert.equal(setting(m, 'libvirt', 'cpu_mode')?.value, 'host-model');
});

test('model: the new name wins over the deprecated one, wherever each is', () => {
  const text = '[libvirt]\ncpu_models = Haswell\ncpu_model = IvyBridge\n';
  const m = buildModel(text, new LineIndex(text), novaKnowledge('zed'));
  assert.equal(setting(m, 'libvirt', 'cpu_models')?.value, 'Haswell');
  const old = '[libvirt]\ncpu_model = IvyBridge\n';
  assert.equal(setting(buildModel(old, new LineIndex(old), novaKnowledge('zed')), 'libvirt', 'cpu_models')?.value, 'IvyBridge');
});

test('scan: CRLF line endings', () => {
  const s = scanOf('[libvirt]\r\ncpu_mode = custom\r\n  more\r\n');
  assert.equal(s.entries[0].value, 'custom\nmore');
});
