import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/core/lineIndex';
import { detectKind, hasDomainRoot, isNovaConfPath } from '../../server/src/core/documentKind';
import { checkInput, MAX_CHECKED_BYTES } from '../../server/src/core/inputChecks';
import { normalizeSettings } from '../../server/src/core/settings';
import { findingOneLine } from '../../server/src/core/findings';

test('LineIndex maps offsets and positions across \\n, \\r\\n and \\r line breaks', () => {
  const li = new LineIndex('ab\ncd\r\nef\rg');
  assert.equal(li.lineCount, 4);
  assert.deepEqual(li.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(li.positionAt(4), { line: 1, character: 1 });
  assert.deepEqual(li.positionAt(8), { line: 2, character: 1 });
  assert.deepEqual(li.positionAt(10), { line: 3, character: 0 });
  assert.equal(li.offsetAt({ line: 2, character: 1 }), 8);
  assert.equal(li.lineText(1), 'cd');
  // Positions past the end of a line clamp to the line's end, not into the next line.
  assert.equal(li.offsetAt({ line: 0, character: 99 }), 2);
});

test('LineIndex line starts: texts without CR (the indexOf path) and with CR agree with a character-by-character count', () => {
  const naive = (t: string) => { const out = [0]; for (let i = 0; i < t.length; i++) { if (t[i] === '\r' && t[i + 1] === '\n') i++; if (t[i] === '\n' || t[i] === '\r') out.push(i + 1); } return out; };
  const long = Array.from({ length: 5000 }, (_, i) => (i % 7 ? `k${i} = v` : '')).join('\n');
  for (const t of ['', 'x', '\n', '\n\n', 'a\nb', 'a\nb\n', long, `${long}\n`, long.replace(/\n/g, '\r\n'), 'a\r\rb\r\n\n']) {
    assert.deepEqual(Array.from(new LineIndex(t).lineStarts), naive(t), JSON.stringify(t.slice(0, 20)));
  }
});

test('nova.conf names the manifest claims are recognised by path', () => {
  for (const p of ['/etc/nova/nova.conf', 'nova-compute.conf', '/etc/nova/nova-cpu.conf', '/etc/nova/nova.conf.d/10-cpu.conf', '/etc/nova/nova-compute.conf.d/10-cpu.conf']) assert.ok(isNovaConfPath(p), p);
  for (const p of ['/etc/nova/api-paste.ini', '/etc/libvirt/qemu.conf', 'novaconf.conf']) assert.ok(!isNovaConfPath(p), p);
});

test('domain XML is recognised by its root element, past prolog, comments and doctype', () => {
  assert.ok(hasDomainRoot("<?xml version='1.0'?>\n<!-- x -->\n<domain type='kvm'>"));
  assert.ok(hasDomainRoot('<!DOCTYPE domain [ <!ENTITY a "b"> ]>\n<domain type="qemu">'));
  assert.ok(!hasDomainRoot('<network><name>x</name></network>'));
  assert.ok(!hasDomainRoot('<domainsnapshot/>'));
  assert.equal(detectKind('/x/inst.xml', '<pom/>', 'xml'), undefined);
  assert.equal(detectKind('/x/inst.xml', "<domain type='kvm'/>", 'xml'), 'domain-xml');
  assert.equal(detectKind('/x/inst.xml', '<domain/>', 'xml'), undefined);
  assert.equal(detectKind('/x/whatever', '', 'nova-conf'), 'nova-conf');
  assert.equal(detectKind('/x/a.txt', 'hello', 'plaintext'), undefined);
  assert.equal(detectKind('/x/other.conf', '[DEFAULT]'), 'nova-conf');
});

test('input checks stop on binary and enormous text, and flag bad UTF-8 by position', () => {
  const bin = checkInput('abc\0def', new LineIndex('abc\0def'));
  assert.equal(bin.stop, true);
  assert.equal(bin.findings[0].code, 'input/binary');
  assert.deepEqual(bin.findings[0].range.start, { line: 0, character: 3 });
  const big = 'x'.repeat(MAX_CHECKED_BYTES + 1);
  const huge = checkInput(big, new LineIndex('x'));
  assert.equal(huge.stop, true);
  assert.equal(huge.findings[0].code, 'input/too-large');
  const bad = checkInput('[libvirt]\ncpu_mode = cust\uFFFDom\n', new LineIndex('[libvirt]\ncpu_mode = cust\uFFFDom\n'));
  assert.equal(bad.stop, false);
  assert.equal(bad.findings[0].code, 'input/invalid-utf8');
  assert.deepEqual(bad.findings[0].range.start, { line: 1, character: 15 });
  assert.equal(checkInput('  \n', new LineIndex('  \n')).findings[0].code, 'input/empty');
});

test('settings accept loose JSON and fill defaults', () => {
  const s = normalizeSettings({ novaRelease: ' zed ', diagnostics: { enable: false }, cpuMapPath: 42 });
  assert.equal(s.novaRelease, 'zed');
  assert.equal(s.diagnosticsEnabled, false);
  assert.equal(s.cpuMapPath, '');
  assert.equal(normalizeSettings(null).useHostCpuMap, true);
});

test('messages lead with our words (the point), then upstream text verbatim', () => {
  const line = findingOneLine({ code: 'nova/unknown-option', severity: 'error', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, upstream: 'Upstream says no', explanation: 'Our words.' });
  assert.equal(line, 'Our words. — Upstream says no');
});
