/**
 * Vendor knowledge: which features belong to Intel VT-x and which to AMD-V, derived from cpu_map's
 * CPUID/MSR data, checked against the bundled models and 61 real hosts (libvirt's test suite,
 * test/fixtures/cpumap/hosts):
 * no CPU of one extension's vendors has a feature of the other.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCpuCatalog } from '../../server/src/knowledge/cpumap/load';
import { foreignExtension, vendorExtension } from '../../server/src/knowledge/cpumap/vendors';
import { FIXTURES } from './cpumap.support';

const cat = loadCpuCatalog({ useHostMap: false, extraPaths: [] });

test('vmx and svm features come from the cpu_map data: CPUID bits, the SVM leaf, the VMX MSRs', () => {
  const of = (name: string) => cat.feature(name, 'x86')?.virt;
  for (const n of ['vmx', 'vmx-ept', 'vmx-unrestricted-guest', 'vmx-entry-load-efer']) assert.equal(of(n), 'vmx', n);
  for (const n of ['svm', 'npt', 'nrip-save', 'avic', 'vgif', 'vmcb-clean']) assert.equal(of(n), 'svm', n);
  for (const n of ['sse4.1', 'pcid', 'spec-ctrl', 'ssbd', 'amd-ssbd', 'ibpb', 'pdpe1gb', 'lm', 'hypervisor']) assert.equal(of(n), undefined, n);
  const counts = { vmx: 0, svm: 0 };
  for (const f of cat.features('x86')) if (f.virt) counts[f.virt]++;
  assert.ok(counts.vmx > 90 && counts.svm > 15, JSON.stringify(counts));
});

test('vendors map to their extension; unknown vendors to none', () => {
  assert.equal(vendorExtension('Intel'), 'vmx');
  assert.equal(vendorExtension('Zhaoxin CentaurHauls'), 'vmx');
  assert.equal(vendorExtension('AMD'), 'svm');
  assert.equal(vendorExtension('Hygon'), 'svm');
  assert.equal(vendorExtension(undefined), undefined);
  assert.equal(vendorExtension('IBM'), undefined);
  assert.equal(foreignExtension(cat.feature('svm', 'x86')!, 'Intel'), 'svm');
  assert.equal(foreignExtension(cat.feature('vmx-ept', 'x86')!, 'AMD'), 'vmx');
  assert.equal(foreignExtension(cat.feature('vmx', 'x86')!, 'Intel'), undefined);
  assert.equal(foreignExtension(cat.feature('svm', 'x86')!, undefined), undefined);
});

test('no bundled model has a feature its vendor never has', () => {
  for (const m of cat.models('x86')) {
    const foreign = m.features.filter((f) => foreignExtension(cat.feature(f, 'x86')!, m.vendor));
    assert.deepEqual(foreign, [], m.name);
  }
});

test('61 real hosts: none has a feature of the other vendor\'s extension', () => {
  const dir = join(FIXTURES, 'hosts');
  const files = readdirSync(dir).filter((n) => n.endsWith('.xml'));
  assert.ok(files.length >= 60, `${files.length} hosts`);
  const seen = { vmx: 0, svm: 0 };
  for (const file of files) {
    const xml = readFileSync(join(dir, file), 'utf8');
    const vendor = /<vendor>([^<]+)<\/vendor>/.exec(xml)?.[1];
    const model = cat.model(/<model>([^<]+)<\/model>/.exec(xml)?.[1] ?? '', 'x86');
    const names = [...(model?.features ?? []), ...[...xml.matchAll(/<feature name='([^']+)'/g)].map((x) => x[1])];
    for (const name of names) {
      const f = cat.feature(name, 'x86');
      if (!f) continue;
      assert.equal(foreignExtension(f, vendor), undefined, `${file} (${vendor}) has ${name}`);
      if (f.virt) seen[f.virt]++;
    }
  }
  assert.ok(seen.vmx > 40 && seen.svm > 40, `virtualization features seen: ${JSON.stringify(seen)}`);
});
