/**
 * Vendor awareness in both kinds: a flag or <feature> that the model's vendor never has
 * (svm on Intel, vmx on AMD, their sub-features), with a fix to the vendor's own flag; and the
 * existing <vendor>-against-model check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, check, rangeText } from '../fixtures/novaconf/helpers';
import { diagnose, domain } from './domainxml.helpers';

const nova = (models: string, flags: string, release = 'zed') => check(`[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = ${models}\ncpu_model_extra_flags = ${flags}\n`, release);
const NOVA_CODE = 'nova/cpu-flag-wrong-vendor';

test('nova.conf: svm with an Intel model, vmx with an AMD one: a warning on the flag, with a fix to the vendor\'s flag', () => {
  const c = nova('Skylake-Server-IBRS', 'pcid,svm');
  const f = c.findings.find((x) => x.code === NOVA_CODE);
  assert.ok(f, c.findings.map((x) => x.code).join(', '));
  assert.equal(f.severity, 'warning');
  assert.equal(rangeText(c, f), 'svm');
  assert.equal(f.stage, 'nova-compute start');
  assert.match(f.explanation, /^cpu_model_extra_flags svm is AMD-V, which only AMD and Hygon CPUs have, but cpu_models lists Intel models \(Skylake-Server-IBRS\)/);
  assert.match(f.explanation, /nova-compute refuses to start/);
  assert.equal(f.fixes?.[0].title, 'Change to vmx');
  assert.match(applyEdits(c, f.fixes![0].edits), /cpu_model_extra_flags = pcid,vmx\n/);

  const amd = nova('EPYC-Rome', '+vmx');
  const g = amd.findings.find((x) => x.code === NOVA_CODE)!;
  assert.equal(rangeText(amd, g), 'vmx');
  assert.match(g.explanation, /Intel VT-x, which only Intel and Zhaoxin CPUs have, but cpu_models lists AMD models/);
  assert.equal(g.fixes?.[0].title, 'Change to svm');
  // Hygon is AMD-V too.
  assert.ok(nova('Dhyana', 'vmx').findings.some((x) => x.code === NOVA_CODE));
});

test('nova.conf: sub-features of the other extension are flagged without a rename; the vendor\'s own flags and disabling are fine', () => {
  const sub = nova('Haswell-noTSX', 'npt');
  const f = sub.findings.find((x) => x.code === NOVA_CODE)!;
  assert.ok(f);
  assert.deepEqual(f.fixes, []);
  assert.ok(!nova('Haswell-noTSX', 'vmx,vmx-ept').findings.some((x) => x.code === NOVA_CODE));
  assert.ok(!nova('EPYC', 'svm,npt').findings.some((x) => x.code === NOVA_CODE));
  assert.ok(!nova('Haswell-noTSX', '-svm').findings.some((x) => x.code === NOVA_CODE), 'disabling a flag the CPU lacks harms nobody');
  // vmx already listed: no rename into a duplicate.
  assert.deepEqual(nova('Haswell-noTSX', 'vmx,svm').findings.find((x) => x.code === NOVA_CODE)?.fixes, []);
});

test('nova.conf: no vendor verdict for models without a vendor, mixed vendors, or modes without models', () => {
  assert.ok(!nova('qemu64', 'svm').findings.some((x) => x.code === NOVA_CODE), 'qemu64 has no vendor');
  assert.ok(!nova('Haswell-noTSX,EPYC', 'svm').findings.some((x) => x.code === NOVA_CODE), 'an AMD model may be picked');
  const hm = check('[libvirt]\ncpu_mode = host-model\ncpu_model_extra_flags = svm\n', 'zed');
  assert.ok(!hm.findings.some((x) => x.code === NOVA_CODE));
});

const xml = (cpu: string) => domain(`  <cpu mode='custom' match='exact' check='partial'>\n${cpu}\n  </cpu>`);
const XML_CODE = 'libvirt/cpu-feature-wrong-vendor';

test('domain XML: <feature> svm on an Intel model, vmx on an AMD one; <vendor> decides when given', () => {
  const fs = diagnose(xml("    <model fallback='forbid'>Skylake-Server-IBRS</model>\n    <feature policy='require' name='svm'/>"));
  const f = fs.find((x) => x.code === XML_CODE);
  assert.ok(f, fs.map((x) => x.code).join(', '));
  assert.equal(f.severity, 'warning');
  assert.equal(f.stage, 'vm start');
  assert.match(f.explanation, /^The guest fails to start: <feature name='svm'> asks for AMD-V, which only AMD and Hygon CPUs have, but Skylake-Server-IBRS is Intel's model/);
  assert.equal(f.fixes?.[0].title, 'Change to vmx');
  assert.equal(f.fixes?.[0].edits[0].newText, 'vmx');

  const amd = diagnose(xml("    <model>EPYC-Milan</model>\n    <feature policy='force' name='vmx-ept'/>"));
  assert.match(amd.find((x) => x.code === XML_CODE)!.explanation, /Intel VT-x, which only Intel and Zhaoxin CPUs have/);

  const vendor = diagnose(xml("    <model>Westmere</model>\n    <vendor>Intel</vendor>\n    <feature policy='require' name='svm'/>"));
  assert.match(vendor.find((x) => x.code === XML_CODE)!.explanation, /the guest CPU is Intel's \(<vendor>\)\. Only Intel hosts can run this guest, and they never have svm/);
});

test('domain XML: disable/forbid/optional, the vendor\'s own features, host-model and vendorless models raise nothing', () => {
  for (const body of [
    "    <model>Skylake-Server</model>\n    <feature policy='disable' name='svm'/>",
    "    <model>Skylake-Server</model>\n    <feature policy='optional' name='svm'/>",
    "    <model>Skylake-Server</model>\n    <feature policy='require' name='vmx'/>",
    "    <model>EPYC</model>\n    <feature policy='require' name='svm'/>\n    <feature policy='require' name='npt'/>",
    "    <model>qemu64</model>\n    <feature policy='require' name='svm'/>",
  ]) assert.ok(!diagnose(xml(body)).some((x) => x.code === XML_CODE), body);
  const hm = diagnose(domain("  <cpu mode='host-model'>\n    <feature policy='require' name='svm'/>\n  </cpu>"));
  assert.ok(!hm.some((x) => x.code === XML_CODE));
});

test('domain XML: <vendor> against the model\'s vendor', () => {
  const fs = diagnose(xml("    <model>EPYC-Rome</model>\n    <vendor>Intel</vendor>"));
  const f = fs.find((x) => x.code === 'libvirt/cpu-vendor-mismatch');
  assert.ok(f, fs.map((x) => x.code).join(', '));
  assert.match(f.explanation, /EPYC-Rome is an AMD model but <vendor> asks for Intel/);
  assert.ok(!diagnose(xml("    <model>EPYC-Rome</model>\n    <vendor>AMD</vendor>")).some((x) => x.code === 'libvirt/cpu-vendor-mismatch'));
});
