// Deployment-tool awareness: detection from what the tools leave (Juju's header in a real charm-rendered
// nova.conf from ../shared/data/realworld; openstack-ansible's template header; kolla's and TripleO's
// paths; puppet's resource list), the translation into each tool's setting and rollout command, the
// note on line 1, the hover, and the set-cpu-mode plan's preview.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectDeployTool } from '../../server/src/deploytools/detect';
import { translateChange } from '../../server/src/deploytools/translate';
import { deployToolHover, generatedFileFinding } from '../../server/src/deploytools/finding';
import { LineIndex } from '../../server/src/core/lineIndex';
import { planNovaCpuMode } from '../../server/src/ops/novaConfPlan';
import { getKnowledge } from '../../server/src/knowledge/knowledge';
import { normalizeSettings } from '../../server/src/core/settings';
import { sha256Hex } from '../../server/src/hosts/hostFiles';
import { analyze, noteDeployTool } from '../../server/src/analyze';

const REALWORLD = join(__dirname, '..', '..', '..', 'shared', 'data', 'realworld', 'nova');
const JUJU = readFileSync(join(REALWORLD, 'h001-hotsos-fake-data-root', 'nova.conf'), 'utf8');
// openstack-ansible's os_nova templates/nova.conf.j2 begins "# {{ ansible_managed }}", a blank line,
// "[DEFAULT]", "# Logs / State"; Ansible's default ansible_managed string is "Ansible managed".
const OSA = '# Ansible managed\n\n[DEFAULT]\n# Logs / State\ndebug = False\nuse_journal = True\n\n[libvirt]\nvirt_type = kvm\ncpu_mode = host-model\n';
const PLAIN = '[DEFAULT]\ndebug = False\n\n[libvirt]\ncpu_mode = host-model\n';
const CHANGE = { mode: 'custom' as const, models: ['Haswell-noTSX'], extraFlags: ['vmx', 'pcid'] };

test('detected: Juju by its header (a real charm-rendered file), OSA and generic Ansible by theirs', () => {
  const juju = detectDeployTool('/etc/nova/nova.conf', JUJU)!;
  assert.equal(juju.id, 'juju');
  assert.equal(juju.evidence, '# Configuration file maintained by Juju. Local changes may be overwritten.');
  assert.equal(juju.line, 3);
  assert.equal(detectDeployTool('/etc/nova/nova.conf', OSA)?.id, 'openstack-ansible');
  assert.equal(detectDeployTool('/etc/nova/nova.conf', '# Ansible managed: do not edit\n[DEFAULT]\n')?.id, 'ansible');
  assert.equal(detectDeployTool('/etc/nova/nova.conf', PLAIN), undefined);
  // A header far down the file is no header.
  assert.equal(detectDeployTool('/etc/nova/nova.conf', `${'\n'.repeat(40)}# Configuration file maintained by Juju\n`), undefined);
});

test('detected by path: kolla-ansible\'s rendered config and its override tree, TripleO\'s puppet-generated tree', () => {
  assert.equal(detectDeployTool('/etc/kolla/nova-compute/nova.conf', PLAIN)?.id, 'kolla-ansible');
  assert.equal(detectDeployTool('/etc/kolla/config/nova.conf', PLAIN)?.id, 'kolla-overrides');
  assert.equal(detectDeployTool('/etc/kolla/config/nova/compute01/nova.conf', PLAIN)?.id, 'kolla-overrides');
  assert.equal(detectDeployTool('/var/lib/config-data/puppet-generated/nova_libvirt/etc/nova/nova.conf', PLAIN)?.id, 'tripleo');
  assert.equal(detectDeployTool('/home/me/kolla/nova.conf', PLAIN), undefined);
});

test('detected by marker files: kolla\'s container config.json, puppet\'s resources.txt (only for /etc/nova)', () => {
  const files: Record<string, string> = {
    '/var/lib/kolla/config_files/config.json': '{"command": "nova-compute", "config_files": [{"source": "/var/lib/kolla/config_files/nova.conf", "dest": "/etc/nova/nova.conf", "owner": "nova", "perm": "0600"}]}',
  };
  assert.equal(detectDeployTool('/etc/nova/nova.conf', PLAIN, (p) => files[p])?.id, 'kolla-ansible');
  const puppet: Record<string, string> = { '/opt/puppetlabs/puppet/cache/state/resources.txt': 'class[nova]\nnova_config[libvirt/cpu_mode]\nfile[/etc/nova]\n' };
  const p = detectDeployTool('/etc/nova/nova.conf', PLAIN, (f) => puppet[f])!;
  assert.equal(p.id, 'puppet');
  assert.match(p.evidence, /resources\.txt lists nova_config\[libvirt\/cpu_mode\]/);
  assert.equal(detectDeployTool('/srv/repo/nova.conf', PLAIN, (f) => puppet[f]), undefined);
  assert.equal(detectDeployTool('/etc/nova/nova.conf', PLAIN, () => 'file[/etc/motd]\n'), undefined);
});

test('translated: each tool\'s own setting and rollout command', () => {
  const tool = (id: string, path: string, text = PLAIN) => detectDeployTool(path, text, () => undefined) ?? (() => { throw new Error(id); })();
  const kolla = translateChange(tool('kolla', '/etc/kolla/nova-compute/nova.conf'), CHANGE, 'compute01');
  assert.equal(kolla.where, '/etc/kolla/config/nova/compute01/nova.conf');
  assert.deepEqual(kolla.snippet, ['[libvirt]', 'cpu_mode = custom', 'cpu_models = Haswell-noTSX', 'cpu_model_extra_flags = vmx,pcid']);
  assert.equal(kolla.command, 'kolla-ansible reconfigure -i INVENTORY -t nova --limit compute01');
  const kollaMode = translateChange(tool('kolla', '/etc/kolla/nova-compute/nova.conf'), { mode: 'host-passthrough' }, 'compute01');
  assert.deepEqual([kollaMode.where, kollaMode.snippet], ['/etc/kolla/globals.yml', ['nova_libvirt_cpu_mode: "host-passthrough"']]);
  const osa = translateChange(tool('osa', '/etc/nova/nova.conf', OSA), CHANGE, 'compute01');
  assert.deepEqual(osa.snippet, ['nova_cpu_mode: custom', 'nova_nova_conf_overrides:', '  libvirt:', '    cpu_models: "Haswell-noTSX"', '    cpu_model_extra_flags: "vmx,pcid"']);
  assert.equal(osa.command, 'openstack-ansible os-nova-install.yml --limit compute01');
  const puppet = translateChange({ id: 'puppet', label: 'Puppet', evidence: '', line: 0 }, CHANGE, 'compute01');
  assert.deepEqual(puppet.snippet, ["nova::compute::libvirt::cpu_mode: 'custom'", "nova::compute::libvirt::cpu_models: ['Haswell-noTSX']", "nova::compute::libvirt::cpu_model_extra_flags: 'vmx,pcid'"]);
  const juju = translateChange(tool('juju', '/etc/nova/nova.conf', JUJU), CHANGE);
  // The charm's extra flags are space-separated, quoted for the shell.
  assert.equal(juju.command, "juju config nova-compute cpu-mode=custom cpu-models=Haswell-noTSX 'cpu-model-extra-flags=vmx pcid'");
  const tripleo = translateChange(tool('tripleo', '/var/lib/config-data/puppet-generated/nova_libvirt/etc/nova/nova.conf'), CHANGE);
  assert.deepEqual(tripleo.snippet.slice(0, 3), ['parameter_defaults:', '  ComputeExtraConfig:', "    nova::compute::libvirt::cpu_mode: 'custom'"]);
});

test('the note is on line 1 whatever line the header is on; the hover is on CPU option lines only', () => {
  const tool = detectDeployTool('/etc/nova/nova.conf', JUJU)!;
  const f = generatedFileFinding(tool, new LineIndex(JUJU));
  assert.equal(f.code, 'nova/generated-file');
  assert.equal(f.severity, 'information');
  assert.equal(f.range.start.line, 0);
  assert.match(f.explanation, /a hand edit is overwritten at its next run/);
  assert.match(deployToolHover(tool, 'cpu_mode = host-model')!, /juju config nova-compute/);
  assert.match(deployToolHover(tool, 'cpu_model_extra_flags=vmx')!, /Juju/);
  assert.equal(deployToolHover(tool, 'debug = True'), undefined);
});

test('set-cpu-mode\'s plan of a generated file: the diff still, plus the warning and the tool\'s setting in the summary', () => {
  const k = getKnowledge(normalizeSettings({ novaRelease: 'zed', useHostCpuMap: false }));
  const files = [{ path: '/etc/nova/nova.conf', text: OSA, sha256: sha256Hex(OSA) }];
  const plan = planNovaCpuMode(files, CHANGE, k, 'compute01');
  assert.equal(plan.refused, undefined, plan.refused);
  assert.equal(plan.edits.length, 1);
  assert.equal(plan.deployTool?.tool.id, 'openstack-ansible');
  assert.ok(plan.summary.some((l) => /written by openstack-ansible .*overwritten at its next run/.test(l)), plan.summary.join('\n'));
  assert.ok(plan.summary.some((l) => l.includes('openstack-ansible os-nova-install.yml --limit compute01')));
  const plain = planNovaCpuMode([{ path: '/etc/nova/nova.conf', text: PLAIN, sha256: sha256Hex(PLAIN) }], CHANGE, k);
  assert.equal(plain.deployTool, undefined);
});

test('nova/generated-file obeys the severity setting and the file\'s suppression comment, as every code does', () => {
  const codesOf = (text: string, settings: Record<string, unknown> = {}) => {
    const k = getKnowledge(normalizeSettings({ useHostCpuMap: false, ...settings }));
    return noteDeployTool('/etc/nova/nova.conf', text, analyze('/etc/nova/nova.conf', text, k, 'nova-conf'), k.settings)!.findings.map((f) => `${f.severity} ${f.code}`);
  };
  assert.ok(codesOf(JUJU).some((c) => c.endsWith(' nova/generated-file')));
  assert.ok(codesOf(JUJU, { diagnostics: { severity: { 'nova/generated-file': 'hint' } } }).includes('hint nova/generated-file'));
  assert.ok(!codesOf(JUJU, { diagnostics: { severity: { 'nova/generated-*': 'off' } } }).some((c) => c.endsWith(' nova/generated-file')));
  assert.ok(!codesOf(`# nova-libvirt-cpu: disable=nova/generated-file\n${JUJU}`).some((c) => c.endsWith(' nova/generated-file')));
});
