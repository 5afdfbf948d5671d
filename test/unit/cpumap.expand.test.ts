// Model expansion: the bundled map against libvirt 12.8.0's own expansion, and legacy formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCpuCatalog } from '../../server/src/knowledge/cpumap/load';
import type { MapArch } from '../../server/src/knowledge/cpumap/types';
import { FIXTURES, readTsv } from './cpumap.support';

const bundled = loadCpuCatalog({ useHostMap: false, extraPaths: [] });
const list = (s: string) => (s ? s.split(',') : []);

test('every bundled model expands exactly as libvirt 12.8.0 does (models.tsv)', () => {
  const rows = readTsv('models.tsv');
  assert.equal(rows.filter((r) => r.arch === 'x86').length, 176);
  const mismatches: string[] = [];
  for (const r of rows) {
    const m = bundled.model(r.model, r.arch as MapArch);
    assert.ok(m, `model ${r.model} missing`);
    const got = [m.features, m.removed, m.added, m.vendor ?? '', m.group ?? '', m.ancestor ?? '', m.canonicalOf ?? ''];
    const want = [list(r.features), list(r.removed_features), list(r.added_features), r.vendor, r.group, r.ancestor, r.canonical_name_of];
    if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(r.model);
    assert.equal(m.features.length, Number(r.n_features || 0), r.model);
    if (r.arch === 'x86') {
      const sigs = (m.signatures ?? []).map((g) => [g.family, g.model, g.stepping].filter((x) => x !== undefined).join('/'));
      assert.equal(sigs.join(','), r.signatures_or_pvr, `${r.model} signatures`);
    }
    assert.equal(`host=${m.decodeHost ? 'on' : 'off'},guest=${m.decodeGuest ? 'on' : 'off'}`, r.decode || 'host=on,guest=on', r.model);
  }
  assert.deepEqual(mismatches, []);
  // Map order is the walk order of baseline: models(arch) must follow the file.
  assert.deepEqual(bundled.models('x86').map((m) => m.name), rows.filter((r) => r.arch === 'x86').map((r) => r.model));
});

test('bundled catalog: features, migratable, aliases, vendors, arches', () => {
  assert.equal(bundled.features('x86').length, 400);
  assert.equal(bundled.feature('invtsc')?.migratable, false);
  assert.equal(bundled.feature('xsaves')?.migratable, false);
  assert.equal(bundled.feature('sse4.1')?.migratable, true);
  assert.equal(bundled.featureForAlias('sse4-1')?.name, 'sse4.1');
  assert.equal(bundled.featureForAlias('sse4_2')?.name, 'sse4.2');
  assert.equal(bundled.featureForAlias('pclmulqdq')?.name, 'pclmuldq');
  assert.equal(bundled.featureForAlias('SSE3')?.name, 'pni');
  assert.equal(bundled.featureForAlias('pni'), undefined, 'a libvirt name is not an alias');
  assert.deepEqual(bundled.vendors('x86'), ['Intel', 'AMD', 'Hygon', 'Zhaoxin CentaurHauls']);
  assert.equal(bundled.models('ppc64').length, 8);
  assert.equal(bundled.models('arm').length, 15);
  assert.equal(bundled.model('ThunderX2 99xx')?.vendor, 'Cavium');
  assert.equal(bundled.model('POWER10')?.arch, 'ppc64');
  assert.equal(bundled.models().length, 176 + 8 + 15);
  assert.deepEqual(bundled.model('SandyBridge-IBRS')?.signatures, [{ family: 6, model: 42 }, { family: 6, model: 45 }]);
  assert.deepEqual(bundled.model('SandyBridge-v2')?.signatures, bundled.model('SandyBridge-IBRS')?.signatures, 'inherited');
  assert.deepEqual(bundled.problems, []);
});

test('lookups are case-insensitive and exact names win', () => {
  assert.equal(bundled.model('sandybridge')?.name, 'SandyBridge');
  assert.equal(bundled.model('EPYC-ROME')?.name, 'EPYC-Rome');
  assert.equal(bundled.model('SandyBridge', 'arm'), undefined);
  assert.equal(bundled.feature('SSE4.2')?.name, 'sse4.2');
  assert.equal(bundled.feature('nosuchfeature'), undefined);
});

test('did-you-mean suggestions for models and features', () => {
  assert.equal(bundled.nearestModels('SandyBrige')[0], 'SandyBridge');
  assert.equal(bundled.nearestModels('Sandy Bridge')[0], 'SandyBridge');
  assert.equal(bundled.nearestModels('skylake-server-ibrs')[0], 'Skylake-Server-IBRS');
  assert.equal(bundled.nearestModels('Haswel-noTSX')[0], 'Haswell-noTSX');
  assert.equal(bundled.nearestModels('Opteron_G7')[0], 'Opteron_G1');
  assert.ok(bundled.nearestModels('Skylake').includes('Skylake-Client'));
  assert.equal(bundled.nearestFeatures('sse4-1')[0], 'sse4.1');
  assert.equal(bundled.nearestFeatures('pclmulqdq')[0], 'pclmuldq', 'aliases are considered');
  assert.equal(bundled.nearestFeatures('sse3')[0], 'pni');
  assert.equal(bundled.nearestFeatures('avx512fx')[0], 'avx512f');
  assert.equal(bundled.nearestFeatures('vmxx')[0], 'vmx');
  assert.deepEqual(bundled.nearestFeatures('completely-unrelated-words'), []);
  assert.deepEqual(bundled.nearestModels('qqqq'), []);
  assert.equal(bundled.nearestFeatures('sve2049', 'arm')[0], 'sve2048');
  assert.ok(bundled.nearestModels('SandyBrige', undefined, 1).length === 1);
});

test('diff of two models', () => {
  const d = bundled.diff('SandyBridge', 'IvyBridge')!;
  assert.deepEqual(d.onlyInA, []);
  assert.deepEqual(d.onlyInB, ['erms', 'f16c', 'fsgsbase', 'rdrand', 'smep', 'vme']);
  assert.equal(d.common.length, 38);
  const sky = bundled.diff('skylake-client', 'HASWELL')!;
  assert.deepEqual(sky.onlyInB, [], 'Skylake-Client is a superset of Haswell');
  assert.ok(sky.onlyInA.includes('xsavec') && sky.onlyInA.includes('adx'));
  assert.equal(sky.common.length + sky.onlyInA.length, bundled.model('Skylake-Client')!.features.length);
  assert.equal(bundled.diff('SandyBridge', 'NoSuchModel'), undefined);
});

const LEGACY_COUNTS = { SandyBridge: 38, Haswell: 50, Opteron_G4: 44, qemu64: 27 };

for (const version of ['1.2.17', '4.5.0']) {
  test(`legacy single-file map v${version} loads, with inheritance resolved`, () => {
    const file = join(FIXTURES, `cpu_map-v${version}.xml`);
    const legacy = loadCpuCatalog({ useHostMap: false, extraPaths: [file], bundled: false });
    assert.deepEqual(legacy.problems, []);
    assert.equal(legacy.models('x86').length, version === '1.2.17' ? 30 : 45);
    for (const [name, n] of Object.entries(LEGACY_COUNTS)) {
      const m = legacy.model(name)!;
      assert.equal(m.features.length, n, `${name} in v${version}`);
      // Flattening did not change the sets: they equal today's expansion.
      assert.deepEqual(m.features, bundled.model(name)!.features, name);
      assert.equal(m.origin, file);
      assert.ok(m.decodeGuest && m.decodeHost, 'no <decode> in legacy maps: both on');
    }
    assert.ok(legacy.models('ppc64').length > 0);
  });
}

test('v1.2.17 inheritance chain and <cpuid function=...>', () => {
  const legacy = loadCpuCatalog({ useHostMap: false, extraPaths: [join(FIXTURES, 'cpu_map-v1.2.17.xml')], bundled: false });
  assert.equal(legacy.model('SandyBridge')?.ancestor, 'Westmere');
  assert.equal(legacy.model('Westmere')?.ancestor, 'Nehalem');
  assert.equal(legacy.model('Haswell-noTSX')?.ancestor, 'SandyBridge');
  assert.equal(legacy.model('SandyBridge')?.vendor, 'Intel', 'vendor inherited from the chain');
  assert.equal(legacy.features('x86').length, 105);
  // Baseline works on CPUID bits read from function= as well.
  const b = legacy.baseline([{ model: 'SandyBridge', vendor: 'Intel', features: ['vmx'] }, { model: 'Haswell', vendor: 'Intel', features: [] }]);
  assert.equal(b.model, 'SandyBridge');
  assert.deepEqual(b.require, []);
});

const SANDYBRIDGE_VMX = `
  <model name='SandyBridge-vmx'>
    <model name='SandyBridge'/>
    <feature name='vmx'/>
  </model>`;

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cpumap-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

test('a user model appended to a legacy cpu_map.xml (SandyBridge-vmx)', () => {
  const original = readFileSync(join(FIXTURES, 'cpu_map-v1.2.17.xml'), 'utf8');
  const patched = original.replace(/(<model name='Haswell'>)/, `${SANDYBRIDGE_VMX.trim()}\n    $1`);
  assert.notEqual(patched, original);
  const cat = loadCpuCatalog({ useHostMap: false, extraPaths: [tempFile('cpu_map.xml', patched)], bundled: false });
  assert.deepEqual(cat.problems, []);
  const m = cat.model('SandyBridge-vmx')!;
  assert.equal(m.features.length, 39);
  assert.deepEqual(m.features, [...cat.model('SandyBridge')!.features, 'vmx'].sort());
  assert.equal(m.ancestor, 'SandyBridge');
  assert.equal(m.canonicalOf, undefined, 'it adds a feature, so it is not just another name');
});

test('a user map model may inherit from a bundled model', () => {
  const file = tempFile('extra.xml', `<cpus><arch name='x86'>${SANDYBRIDGE_VMX}
    <model name='EPYC-Rome-nosev'><model name='EPYC-Rome'/><feature name='npt'/></model>
  </arch></cpus>`);
  const cat = loadCpuCatalog({ useHostMap: false, extraPaths: [file] });
  assert.deepEqual(cat.problems, []);
  assert.equal(cat.models('x86').length, 178);
  assert.equal(cat.models('x86').at(-1)?.name, 'EPYC-Rome-nosev', 'new models come after the bundled ones');
  assert.equal(cat.model('SandyBridge-vmx')!.features.length, 39);
  assert.equal(cat.model('SandyBridge-vmx')!.vendor, 'Intel');
  assert.equal(cat.model('EPYC-Rome-nosev')!.vendor, 'AMD');
  assert.equal(cat.model('SandyBridge-vmx')!.origin, file);
  assert.equal(cat.model('SandyBridge')!.origin, 'bundled');
});
