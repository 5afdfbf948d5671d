/**
 * Strict domain detection: a root <domain> is libvirt's only with libvirt's shape (a `type` from
 * libvirt's list, libvirt's children, no default namespace). Other programs' domain.xml files
 * (test/fixtures/other-xml: GlassFish/Payara, WildFly) get no analysis at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectKind, hasDomainRoot } from '../../server/src/core/documentKind';
import { analyze } from '../../server/src/analyze';
import { getKnowledge } from '../../server/src/knowledge/knowledge';
import { normalizeSettings } from '../../server/src/core/settings';

const OTHER = join(__dirname, '..', 'fixtures', 'other-xml');
const others = readdirSync(OTHER).filter((n) => n.endsWith('.xml'));

test('other programs\' domain.xml files are not libvirt domains: no kind, no analysis, in the editor and the CLI', () => {
  assert.ok(others.length >= 4, others.join(', '));
  const k = getKnowledge(normalizeSettings({ useHostCpuMap: false }));
  for (const name of others) {
    const text = readFileSync(join(OTHER, name), 'utf8');
    assert.equal(hasDomainRoot(text), false, name);
    assert.equal(detectKind(`/srv/app/config/${name}`, text, 'xml'), undefined, name);
    // The CLI has no language id: by name, then by content.
    assert.equal(detectKind(`/srv/app/config/domain.xml`, text), undefined, name);
    assert.equal(analyze('/srv/app/config/domain.xml', text, k, 'xml'), undefined, name);
  }
});

test('a <domain> with a type from libvirt\'s list is libvirt\'s, unless every child is foreign', () => {
  for (const type of ['kvm', 'qemu', 'xen', 'lxc', 'test', 'bhyve', 'hvf', 'vz', 'ch']) {
    assert.ok(hasDomainRoot(`<domain type='${type}'><name>a</name></domain>`), type);
    assert.ok(hasDomainRoot(`<domain type="${type}">`), `${type}: being typed`);
  }
  assert.ok(hasDomainRoot("<domain type='kvm'/>"));
  assert.ok(hasDomainRoot("<domain type='kvm'><owner/><vcpu>2</vcpu></domain>"), 'a foreign child beside a libvirt one');
  assert.ok(!hasDomainRoot("<domain type='kvm'><owner/><zone/></domain>"), 'only foreign children');
  // libvirt compares the type case-sensitively: 'KVM' is not a type, so the children must say it.
  assert.ok(!hasDomainRoot("<domain type='KVM'><name>a</name></domain>"));
  assert.ok(hasDomainRoot("<domain type='KVM'><name>a</name><memory>1</memory></domain>"));
});

test('a <domain> without a valid type is libvirt\'s only by a child no other format has, and no foreign child', () => {
  // Nova's and kubevirt's fragments.
  assert.ok(hasDomainRoot('<domain>\n  <cpu mode="custom"><model>kvm64</model></cpu>\n</domain>'));
  assert.ok(hasDomainRoot('<domain><name>dummy</name><uuid>x</uuid><memory>1</memory></domain>'));
  assert.ok(!hasDomainRoot('<domain><name>example.org</name><uuid>x</uuid></domain>'), 'generic names alone');
  assert.ok(!hasDomainRoot('<domain log-root="/x"><servers/><vcpu>1</vcpu></domain>'), 'a foreign child first');
  assert.ok(!hasDomainRoot('<domain><vcpu>1</vcpu><servers/></domain>'), 'a foreign child later');
  assert.ok(!hasDomainRoot('<domain/>'));
  assert.ok(!hasDomainRoot('<domain>'));
  // Children deeper down do not count: GlassFish's <config> may hold anything.
  assert.ok(!hasDomainRoot('<domain><configs><config><cpu/><vcpu/></config></configs></domain>'));
});

test('a default namespace on the root is never libvirt\'s; prefixed namespaces are', () => {
  assert.ok(!hasDomainRoot('<domain xmlns="urn:jboss:domain:20.0" type="kvm"><vcpu>1</vcpu></domain>'));
  assert.ok(hasDomainRoot("<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><qemu:commandline/></domain>"));
  assert.ok(!hasDomainRoot('<j:domain xmlns:j="urn:jboss:domain:20.0"><vcpu/></j:domain>'));
});
