/** Completion, hover, quick fixes, outline and folding, on texts with a `|` cursor marker. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, MarkupContent } from 'vscode-languageserver-types';
import { novaConfService } from '../../server/src/novaconf/service';
import { majorOf, releaseSettingProblem, resolveRelease } from '../../server/src/knowledge/nova/releases';
import { applyEdits, check, cursor } from '../fixtures/novaconf/helpers';

function completeAt(marked: string, release = ''): CompletionItem[] {
  const { text, position } = cursor(marked);
  const c = check(text, release);
  return novaConfService.complete!(c.model, position, c.knowledge);
}

function hoverAt(marked: string, release = ''): string | undefined {
  const { text, position } = cursor(marked);
  const c = check(text, release);
  const h = novaConfService.hover!(c.model, position, c.knowledge);
  return h ? (h.contents as MarkupContent).value : undefined;
}

const COMPLETIONS: Array<{ name: string; text: string; release?: string; includes: string[]; excludes?: string[] }> = [
  { name: 'section names', text: '[lib|', includes: ['libvirt', 'DEFAULT', 'compute', 'workarounds'] },
  { name: '[libvirt] keys', text: '[libvirt]\ncpu_|', includes: ['cpu_mode', 'cpu_models', 'cpu_model_extra_flags'] },
  { name: '[compute] keys', text: '[compute]\n|', includes: ['cpu_dedicated_set', 'cpu_shared_set'] },
  { name: 'keys of other Nova groups', text: '[vnc]\nserver_|', includes: ['server_listen', 'server_proxyclient_address'] },
  { name: 'keys of the release only', release: 'rocky', text: '[compute]\n|', includes: ['cpu_shared_set'], excludes: ['cpu_dedicated_set'] },
  { name: 'cpu_mode choices', text: '[libvirt]\ncpu_mode = |', includes: ['host-model', 'host-passthrough', 'custom', 'none'], excludes: ['maximum'] },
  { name: 'virt_type choices by release', release: 'victoria', text: '[libvirt]\nvirt_type = |', includes: ['kvm', 'xen', 'uml'] },
  { name: 'booleans', text: '[workarounds]\nskip_cpu_compare_at_startup = |', includes: ['true', 'false'] },
  { name: 'CPU models', text: '[libvirt]\ncpu_models = |', includes: ['Haswell', 'EPYC', 'Nehalem'] },
  { name: 'CPU models after a comma', text: '[libvirt]\ncpu_models = Nehalem, |', includes: ['Haswell'] },
  { name: 'flags with a minus', text: '[libvirt]\ncpu_model_extra_flags = pcid, -|', includes: ['-vmx', '-ssbd'] },
  { name: 'flags', text: '[libvirt]\ncpu_model_extra_flags = |', includes: ['vmx', 'pcid', 'md-clear'] },
  { name: 'nothing for cpusets', text: '[compute]\ncpu_shared_set = |', includes: [], excludes: ['vmx', 'true'] },
  { name: 'nothing in comments', text: '[libvirt]\n# cpu_mode = |', includes: [], excludes: ['host-model'] },
];

for (const c of COMPLETIONS) {
  test(`completion: ${c.name}`, () => {
    const labels = completeAt(c.text, c.release).map((i) => i.label);
    for (const l of c.includes) assert.ok(labels.includes(l), `${l} missing from ${labels.slice(0, 20).join(', ')}`);
    for (const l of c.excludes ?? []) assert.ok(!labels.includes(l), `${l} should not be offered`);
  });
}

test('completion: keys carry type, default and summary, and insert `key = `', () => {
  const item = completeAt('[libvirt]\ncpu_m|').find((i) => i.label === 'cpu_mode')!;
  assert.match(item.detail!, /string · default <None>/);
  assert.match((item.documentation as MarkupContent).value, /host-passthrough/);
  assert.equal((item.textEdit as { newText: string }).newText, 'cpu_mode = ');
});

test('completion: CPU models are grouped by vendor, newest first, with year and feature counts', () => {
  const items = completeAt('[libvirt]\ncpu_models = |');
  const sorted = [...items].sort((a, b) => a.sortText!.localeCompare(b.sortText!)).map((i) => i.label);
  assert.ok(sorted.indexOf('Icelake-Server') < sorted.indexOf('Haswell'));
  assert.ok(sorted.indexOf('Haswell') < sorted.indexOf('Nehalem'));
  assert.match(items.find((i) => i.label === 'Haswell')!.detail!, /^Intel · 2013 · \d+ features$/);
});

test('completion: a list item is replaced, not the whole value', () => {
  const item = completeAt('[libvirt]\ncpu_models = Nehalem, Has|well').find((i) => i.label === 'Haswell')!;
  const edit = item.textEdit as { range: { start: { character: number }; end: { character: number } } };
  assert.deepEqual([edit.range.start.character, edit.range.end.character], [22, 29]);
});

const HOVERS: Array<[string, string, RegExp]> = [
  ['an option', '[libvirt]\ncpu_mo|de = custom', /\*\*\[libvirt\] cpu_mode\*\*[\s\S]*Default: `<None>`[\s\S]*case-sensitive/],
  ['an option added later', '[compute]\ncpu_dedicated_set| = 1', /added in Train \(20\)/],
  ['a deprecated option', '[DEFAULT]\nvcpu_pin|_set = 1', /deprecated since Train \(20\)/],
  ['the old name', '[libvirt]\ncpu_mod|el = Haswell', /old name of this option/],
  ['a choice', '[libvirt]\ncpu_mode = host-pass|through', /live migration only between identical hosts/],
  ['a model', '[libvirt]\ncpu_models = Nehalem, Hasw|ell', /Haswell.*Intel CPU model[\s\S]*Adds over/],
  ['a flag', '[libvirt]\ncpu_model_extra_flags = pcid, v|mx', /VT-x/],
  ['a non-migratable flag', '[libvirt]\ncpu_model_extra_flags = invt|sc', /Not migratable/],
  ['a section', '[libv|irt]', /libvirt compute driver/],
  ['a cpuset value', '[compute]\ncpu_shared_set = ^8,4-1|2', /Nova reads \*\*4-7,9-12\*\* \(8 CPUs/],
  ['an option of another group, as Nova 26 types it', '[DEFAULT]\nenabled_a|pis = osapi_compute', /comma-separated list of one of its choices[\s\S]*`osapi_compute`, `metadata`/],
  ['an old name Nova 26 still reads', '[DEFAULT]\nvnc_en|abled = true', /old name of this option[\s\S]*\[vnc\] enabled/],
];

for (const [name, text, re] of HOVERS) {
  test(`hover: ${name}`, () => {
    const h = hoverAt(text);
    assert.ok(h, 'no hover');
    assert.match(h!, re);
  });
}

/** Quick fixes by diagnostic code: the text after applying the preferred (or named) fix. */
const FIXES: Array<{ name: string; conf: string; code: string; title?: RegExp; after: string; release?: string }> = [
  { name: 'set cpu_mode = custom', conf: '[libvirt]\ncpu_models = Haswell\n', code: 'nova/cpu-models-without-custom', title: /Set cpu_mode = custom/, after: '[libvirt]\ncpu_models = Haswell\ncpu_mode = custom\n' },
  { name: 'set cpu_mode = custom on the existing line', conf: '[libvirt]\ncpu_mode = host-model\ncpu_models = Haswell\n', code: 'nova/cpu-models-without-custom', title: /Set cpu_mode/, after: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n' },
  { name: 'remove the stray cpu_models', conf: '[libvirt]\ncpu_mode = host-model\ncpu_models = Haswell\n', code: 'nova/cpu-models-without-custom', title: /Remove cpu_models/, after: '[libvirt]\ncpu_mode = host-model\n' },
  { name: 'rename a deprecated key', conf: '[libvirt]\ncpu_mode = custom\ncpu_model = Haswell\n', code: 'nova/deprecated-option', after: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n' },
  { name: 'fix the case of a choice', conf: '[libvirt]\ncpu_mode = Host-Model\n', code: 'nova/invalid-choice', after: '[libvirt]\ncpu_mode = host-model\n' },
  { name: 'pick the suggested model', conf: '[libvirt]\ncpu_mode = custom\ncpu_models = Nehalem, Haswel\n', code: 'nova/unknown-cpu-model', after: '[libvirt]\ncpu_mode = custom\ncpu_models = Nehalem, Haswell\n' },
  { name: 'remove an overlap', conf: '[compute]\ncpu_shared_set = 0-5\ncpu_dedicated_set = 4-15\n', code: 'nova/cpuset-overlap', after: '[compute]\ncpu_shared_set = 0-3\ncpu_dedicated_set = 4-15\n' },
  { name: 'move vcpu_pin_set to cpu_shared_set', conf: '[DEFAULT]\nvcpu_pin_set = 4-12,^8\n[compute]\n', code: 'nova/vcpu-pin-set-deprecated', after: '[DEFAULT]\n[compute]\ncpu_shared_set = 4-12,^8\n' },
  { name: 'unknown key did-you-mean', conf: '[libvirt]\ncpu_modle = custom\n', code: 'nova/unknown-option', after: '[libvirt]\ncpu_mode = custom\n' },
  { name: 'section typo', conf: '[libvrit]\ncpu_mode = custom\n', code: 'nova/unknown-section', after: '[libvirt]\ncpu_mode = custom\n' },
  { name: 'inline comment to its own line', conf: '[libvirt]\ncpu_mode = host-model # safe\n', code: 'nova/inline-comment', after: '[libvirt]\n# safe\ncpu_mode = host-model\n' },
  { name: 'move a misplaced option', conf: '[DEFAULT]\ncpu_mode = custom\n[libvirt]\nvirt_type = kvm\n', code: 'nova/option-in-wrong-section', after: '[DEFAULT]\n[libvirt]\nvirt_type = kvm\ncpu_mode = custom\n' },
  { name: 'add vmx for nested guests', conf: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n', code: 'nova/nested-virt-needs-vmx', after: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\ncpu_model_extra_flags = vmx\n' },
  { name: 'remove reserved_host_cpus', conf: '[DEFAULT]\nreserved_host_cpus = 2\n[compute]\ncpu_shared_set = 0-3\n', code: 'nova/reserved-host-cpus-with-cpusets', after: '[DEFAULT]\n[compute]\ncpu_shared_set = 0-3\n' },
  { name: 'key before a section', conf: 'cpu_allocation_ratio = 2\n', code: 'nova/key-before-section', after: '[DEFAULT]\ncpu_allocation_ratio = 2\n' },
  { name: 'cpu_models is cpu_model before Train', release: 'stein', conf: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n', code: 'nova/option-not-in-release', after: '[libvirt]\ncpu_mode = custom\ncpu_model = Haswell\n' },
  { name: 'reorder models oldest first', conf: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell, Haswell-noTSX\n', code: 'nova/cpu-models-order', after: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell-noTSX,Haswell\n' },
];

for (const f of FIXES) {
  test(`quick fix: ${f.name}`, () => {
    const c = check(f.conf, f.release ?? '');
    const finding = c.findings.find((x) => x.code === f.code);
    assert.ok(finding, `no ${f.code}: ${c.findings.map((x) => x.code).join(', ')}`);
    const fix = f.title ? finding.fixes?.find((x) => f.title!.test(x.title)) : finding.fixes?.find((x) => x.preferred) ?? finding.fixes?.[0];
    assert.ok(fix, `no fix on ${f.code}: ${finding.fixes?.map((x) => x.title).join(', ')}`);
    assert.equal(applyEdits(c, fix.edits), f.after);
  });
}

test('outline: one symbol per section with its options; folding per section', () => {
  const c = check('[DEFAULT]\nmy_ip = 1.2.3.4\n\n[libvirt]\n# CPU\ncpu_mode = custom\ncpu_models = Haswell\n\n');
  const symbols = novaConfService.symbols!(c.model);
  assert.deepEqual(symbols.map((s) => [s.name, s.children?.map((x) => x.name)]), [['[DEFAULT]', ['my_ip']], ['[libvirt]', ['cpu_mode', 'cpu_models']]]);
  assert.deepEqual(novaConfService.folding!(c.model).map((r) => [r.startLine, r.endLine]), [[0, 1], [3, 6]]);
});

test('release names and numbers', () => {
  const major = (s: string) => resolveRelease(s).release.major;
  assert.equal(major('zed'), 26);
  assert.equal(major('26'), 26);
  assert.equal(major('26.2.2'), 26);
  assert.equal(major('2024.1'), 29);
  assert.equal(major('Caracal'), 29);
  assert.equal(major('2023.1'), 27);
  assert.equal(major('train'), 20);
  assert.equal(major(''), 34);
  assert.equal(resolveRelease('banana').unknownSetting, 'banana');
  assert.equal(resolveRelease('ocata').clampedFrom, 'ocata');
  assert.equal(resolveRelease('13').release.name, 'pike');
  assert.equal(resolveRelease('Nova 2025.2').release.name, 'flamingo');
  assert.equal(majorOf('zed'), 26);
  assert.equal(majorOf('antelope'), 27);
});

test('a release setting not understood is said in one sentence naming the value and what is used instead', () => {
  assert.equal(releaseSettingProblem(resolveRelease('zed')), undefined);
  assert.equal(releaseSettingProblem(resolveRelease('')), undefined);
  assert.equal(releaseSettingProblem(resolveRelease('banana')),
    "Unknown Nova release 'banana' in the novaRelease setting: checking against the newest we know, 2026.2 Hibiscus (34). Use a name (pike … hibiscus), a number (16 … 34) or a year name such as 2023.1.");
  assert.match(releaseSettingProblem(resolveRelease('ocata'), '--nova-release')!, /^Nova release 'ocata' is older than our catalog: checking against the oldest we know, Pike \(16\)\.$/);
});

test('the Nova catalog is part of Knowledge: a nova.conf model is built against Knowledge.nova, one catalog per release', () => {
  const zed = check('[libvirt]\ncpu_mode = custom\n', 'zed');
  assert.equal(zed.knowledge.nova.release.release.name, 'zed');
  assert.equal(zed.model.release, zed.knowledge.nova.release);
  assert.equal(zed.model.catalog, zed.knowledge.nova.catalog);
  assert.equal(check('', '26').knowledge.nova.catalog, zed.knowledge.nova.catalog, 'the same release shares its catalog');
  const newest = check('', '');
  assert.notEqual(newest.knowledge.nova.catalog, zed.knowledge.nova.catalog);
  assert.equal(newest.model.release.release.major, 34);
});
