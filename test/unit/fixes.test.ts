/**
 * Fixes users asked for (issue 10, point 7): fix-all per code where it is safe, the topology fix
 * that sets <vcpu>, and value fixes that move an inline comment to its own line instead of
 * deleting it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixAllsOf, fixEverything } from '../../server/src/core/fixAll';
import { applyTextEdits } from '../support/edits';
import { diagnose, domain } from './domainxml.helpers';
import { check } from '../fixtures/novaconf/helpers';

const pins = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `    <vcpupin vcpu='${from + i}' cpuset='${(from + i) % 8}'/>`).join('\n');

test('fix-all: every vcpupin beyond <vcpu> in one edit; the pins in range stay', () => {
  const text = domain(`  <cputune>\n${pins(0, 28)}\n  </cputune>`, { vcpu: '4' });
  const fs = diagnose(text);
  assert.equal(fs.filter((f) => f.code === 'libvirt/vcpupin-out-of-range').length, 24);
  const all = fixAllsOf(fs);
  const pinAll = all.find((a) => a.code === 'libvirt/vcpupin-out-of-range')!;
  assert.equal(pinAll.title, 'Remove all 24 vcpupins beyond <vcpu>');
  assert.equal(pinAll.findings.length, 24);
  const fixed = applyTextEdits(text, pinAll.edits);
  assert.equal(diagnose(fixed).filter((f) => f.code === 'libvirt/vcpupin-out-of-range').length, 0);
  assert.equal((fixed.match(/<vcpupin /g) ?? []).length, 4);
  assert.match(fixed, /<vcpupin vcpu='3' cpuset='3'\/>\n  <\/cputune>/);
  // One finding alone is fixed by its own quick fix: no fix-all.
  assert.deepEqual(fixAllsOf(diagnose(domain(`  <cputune>\n${pins(0, 5)}\n  </cputune>`, { vcpu: '4' }))).map((a) => a.code), []);
});

test('fix-all: rename every deprecated option in place; moves to another section are not batched', () => {
  const text = '[libvirt]\ncpu_mode = custom\ncpu_model = Haswell-noTSX\niscsi_use_multipath = true\nnum_iscsi_scan_tries = 3\n';
  const c = check(text, 'zed');
  assert.equal(c.findings.filter((f) => f.code === 'nova/deprecated-option').length, 3);
  const all = fixAllsOf(c.findings).find((a) => a.code === 'nova/deprecated-option')!;
  assert.equal(all.title, 'Rename all 3 deprecated options');
  const fixed = applyTextEdits(text, all.edits);
  assert.equal(fixed, '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell-noTSX\nvolume_use_multipath = true\nnum_volume_scan_tries = 3\n');
  assert.equal(check(fixed, 'zed').findings.filter((f) => f.code === 'nova/deprecated-option').length, 0);
  // [DEFAULT] remove_unused_base_images moves to [image_cache]: two edits elsewhere, left to its own fix.
  const moved = check('[DEFAULT]\nremove_unused_base_images = false\nimage_cache_subdirectory_name = _base\n', 'zed');
  assert.ok(!fixAllsOf(moved.findings).some((a) => a.code === 'nova/deprecated-option'));
});

test('fix-all: everything at once skips a code whose edits would overlap another\'s', () => {
  const text = domain(`  <cputune>\n${pins(0, 3)}\n${pins(0, 2)}\n${pins(6, 9)}\n  </cputune>`, { vcpu: '4' });
  const all = fixAllsOf(diagnose(text));
  assert.deepEqual(all.map((a) => a.code).sort(), ['libvirt/vcpupin-duplicate', 'libvirt/vcpupin-out-of-range']);
  const fixed = applyTextEdits(text, fixEverything(all));
  const after = diagnose(fixed);
  assert.ok(!after.some((f) => f.code === 'libvirt/vcpupin-duplicate' || f.code === 'libvirt/vcpupin-out-of-range'), after.map((f) => f.code).join(', '));
  assert.equal((fixed.match(/<vcpupin /g) ?? []).length, 3);
});

test('topology fix: also sets <vcpu> to the topology\'s count, unless current= would exceed it', () => {
  const text = domain("  <cpu mode='host-model'>\n    <topology sockets='2' dies='1' cores='3' threads='1'/>\n  </cpu>", { vcpu: '4' });
  const f = diagnose(text).find((x) => x.code === 'libvirt/topology-mismatch')!;
  const setVcpu = f.fixes!.find((x) => x.title === "Set <vcpu> to 6 (the topology's count)");
  assert.ok(setVcpu, f.fixes!.map((x) => x.title).join(' | '));
  assert.ok(f.fixes!.some((x) => /^Set sockets='|^Set cores='/.test(x.title)), 'the topology fixes stay first');
  const fixed = applyTextEdits(text, setVcpu.edits);
  assert.match(fixed, /<vcpu>6<\/vcpu>/);
  assert.ok(!diagnose(fixed).some((x) => x.code === 'libvirt/topology-mismatch'));
  const cur = domain("  <vcpu current='8'>12</vcpu>\n  <cpu mode='host-model'>\n    <topology sockets='2' dies='1' cores='3' threads='1'/>\n  </cpu>");
  const g = diagnose(cur).find((x) => x.code === 'libvirt/topology-mismatch')!;
  assert.ok(!g.fixes!.some((x) => x.title.startsWith('Set <vcpu>')), g.fixes!.map((x) => x.title).join(' | '));
});

test('a value fix keeps an inline comment, on its own line above the entry', () => {
  for (const [text, want] of [
    ['[libvirt]\ncpu_mode = custom # pick a model\ncpu_models = Haswell-noTSX\n', '[libvirt]\n# pick a model\ncpu_mode = custom\ncpu_models = Haswell-noTSX\n'],
    ['[DEFAULT]\nreserved_host_cpus = 2 ; two for the host\n', '[DEFAULT]\n; two for the host\nreserved_host_cpus = 2\n'],
    ['[libvirt]\ncpu_mode = custom # a\n  b\ncpu_models = Haswell-noTSX\n', '[libvirt]\n# a\n# b\ncpu_mode = custom\ncpu_models = Haswell-noTSX\n'],
    ['[libvirt]\r\ncpu_mode = custom # crlf\r\ncpu_models = Haswell-noTSX\r\n', '[libvirt]\r\n# crlf\r\ncpu_mode = custom\r\ncpu_models = Haswell-noTSX\r\n'],
  ]) {
    const c = check(text, 'zed');
    const f = c.findings.find((x) => x.code === 'nova/invalid-choice' || x.code === 'nova/invalid-number')!;
    assert.ok(f, `${JSON.stringify(text)}: ${c.findings.map((x) => x.code).join(', ')}`);
    const fix = f.fixes!.find((x) => x.preferred)!;
    assert.match(fix.title, /\(the comment moves to its own line\)$/);
    assert.equal(applyTextEdits(text, fix.edits), want);
    // The inline-comment finding's own fix does the same (continuation lines have a finding of their own).
    const ic = c.findings.find((x) => x.code === 'nova/inline-comment')!;
    if (!text.includes('\n  ')) assert.equal(applyTextEdits(text, ic.fixes![0].edits), want);
  }
});
