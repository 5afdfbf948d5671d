/**
 * Per-rule control (core/ruleControl.ts): the severity setting, suppression comments in both
 * kinds, and the quick fixes that insert them — each checked through analyze(), the pipeline both
 * fronts use.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/analyze';
import { getKnowledge } from '../../server/src/knowledge/knowledge';
import { normalizeSettings } from '../../server/src/core/settings';
import { LineIndex } from '../../server/src/core/lineIndex';
import { parseSeverityOverrides, levelFor, suppressionFixes } from '../../server/src/core/ruleControl';
import type { Finding, TextEdit } from '../../server/src/core/findings';
import { exampleDomain } from '../../server/src/codes/examples';

const PASSTHROUGH = '[libvirt]\ncpu_mode = host-passthrough\n';
const XML_PASSTHROUGH = exampleDomain("<cpu mode='host-passthrough'/>");

function run(path: string, text: string, severity: Record<string, string> = {}): Finding[] {
  return analyze(path, text, getKnowledge(normalizeSettings({ useHostCpuMap: false, diagnostics: { severity } })))?.findings ?? [];
}
const codes = (fs: Finding[]) => fs.map((f) => f.code);

/** Applies non-overlapping edits to a text (last first). */
function apply(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  return [...edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start))
    .reduce((t, e) => t.slice(0, lines.offsetAt(e.range.start)) + e.newText + t.slice(lines.offsetAt(e.range.end)), text);
}

test('the severity setting: an exact code beats a prefix, a longer prefix a shorter one; bad entries are named and skipped', () => {
  const { overrides, problems } = parseSeverityOverrides({
    'nova/*': 'warning', 'nova/host-*': 'hint', 'nova/host-passthrough-migration': 'off', 'nova/no-such-code': 'error', 'libvirt/cpu-mode-invalid': 'loud',
  });
  assert.equal(levelFor('nova/host-passthrough-migration', overrides), 'off');
  assert.equal(levelFor('nova/host-model-unusable', overrides), 'hint');
  assert.equal(levelFor('nova/unknown-option', overrides), 'warning');
  assert.equal(levelFor('libvirt/cpu-mode-invalid', overrides), undefined);
  assert.deepEqual(problems.map((p) => p.split(':')[0]), ['nova/no-such-code', 'libvirt/cpu-mode-invalid']);
  assert.deepEqual(parseSeverityOverrides(['x']).problems.length, 1);
});

test('the severity setting changes or drops findings in both kinds', () => {
  assert.equal(run('nova.conf', PASSTHROUGH).find((f) => f.code === 'nova/host-passthrough-migration')?.severity, 'information');
  assert.equal(run('nova.conf', PASSTHROUGH, { 'nova/host-passthrough-migration': 'error' })[0].severity, 'error');
  assert.deepEqual(codes(run('nova.conf', PASSTHROUGH, { 'nova/host-*': 'off' })), []);
  assert.equal(run('d.xml', XML_PASSTHROUGH, { 'libvirt/advice-*': 'hint' }).find((f) => f.code === 'libvirt/advice-passthrough-migration')?.severity, 'hint');
  assert.deepEqual(codes(run('d.xml', XML_PASSTHROUGH, { 'libvirt/*': 'off' })), []);
});

test('nova.conf suppression comments: disable= for the file, disable-next-line= for the line below', () => {
  const file = `# nova-libvirt-cpu: disable=nova/host-passthrough-migration\n${PASSTHROUGH}`;
  assert.deepEqual(codes(run('nova.conf', file)), []);
  const line = '[libvirt]\n# nova-libvirt-cpu: disable-next-line=nova/unknown-option, nova/host-*\ncpu_mode = host-passthrough\ncpu_mdoe = x\n';
  assert.deepEqual(codes(run('nova.conf', line)), ['nova/unknown-option'], 'only the line below is silenced');
  // Text after a value is part of the value in nova.conf: it is no comment and silences nothing.
  const inValue = '[libvirt]\ncpu_mode = host-passthrough\nuid_maps = 0:1:1 # nova-libvirt-cpu: disable=nova/host-passthrough-migration\n';
  assert.ok(codes(run('nova.conf', inValue)).includes('nova/host-passthrough-migration'));
});

test('domain XML suppression comments: <!-- nova-libvirt-cpu: disable=… --> and disable-next-line=', () => {
  const file = exampleDomain("<!-- nova-libvirt-cpu: disable=libvirt/advice-passthrough-migration -->\n<cpu mode='host-passthrough'/>");
  assert.deepEqual(codes(run('d.xml', file)), []);
  const line = exampleDomain("<!-- nova-libvirt-cpu: disable-next-line=libvirt/advice-* -->\n<cpu mode='host-passthrough'/>\n<vcpu>four</vcpu>");
  assert.deepEqual(codes(run('d.xml', line)), ['libvirt/vcpu-not-integer']);
  // In an attribute value it is no comment.
  const inAttr = exampleDomain("<description>nova-libvirt-cpu: disable=libvirt/advice-passthrough-migration</description>\n<cpu mode='host-passthrough'/>");
  assert.ok(codes(run('d.xml', inAttr)).includes('libvirt/advice-passthrough-migration'));
});

for (const [kind, path, text, code] of [
  ['nova-conf', 'nova.conf', `[DEFAULT]\ndebug = true\n${PASSTHROUGH}`, 'nova/host-passthrough-migration'],
  ['domain-xml', 'd.xml', `<?xml version='1.0'?>\n${XML_PASSTHROUGH}`, 'libvirt/advice-passthrough-migration'],
] as const) {
  test(`${kind}: both suppression quick fixes silence the finding and nothing else`, () => {
    const before = run(path, text);
    const f = before.find((x) => x.code === code)!;
    const fixes = suppressionFixes(f, new LineIndex(text), kind);
    assert.deepEqual(fixes.map((x) => x.title), [`Disable ${code} for this line`, `Disable ${code} in this file`]);
    for (const fix of fixes) {
      const after = apply(text, fix.edits);
      assert.deepEqual(codes(run(path, after)), codes(before).filter((c) => c !== code), `${fix.title}:\n${after}`);
    }
    // In XML the file comment goes after the declaration, which must stay first.
    if (kind === 'domain-xml') assert.match(apply(text, fixes[1].edits), /^<\?xml version='1.0'\?>\n<!-- nova-libvirt-cpu: disable=/);
  });
}

test('no line fix on a nova.conf continuation line (a comment there would end the value)', () => {
  const text = '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell,\n  Nehalem\n';
  const f: Finding = { code: 'nova/unknown-cpu-model', severity: 'error', range: { start: { line: 3, character: 2 }, end: { line: 3, character: 9 } }, explanation: '' };
  assert.deepEqual(suppressionFixes(f, new LineIndex(text), 'nova-conf').map((x) => x.title), ['Disable nova/unknown-cpu-model in this file']);
});
