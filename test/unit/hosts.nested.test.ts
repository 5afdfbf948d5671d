import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { readNovaCpuConfig } from '../../server/src/ops';
import { guestCpuOf, judgeNested, readNestedFacts, type GuestCpuConfig, type NestedFacts } from '../../server/src/hosts/nested';
import { parseDomCapabilities, type HostProfile } from '../../server/src/hosts/hostProfile';
import { getKnowledge } from '../../server/src/knowledge/knowledge';
import { normalizeSettings } from '../../server/src/core/settings';
import { LocalRunner } from '../../server/src/hosts/localRunner';
import { readFileSync } from 'node:fs';
import { SHARED_DATA } from '../support/ops';

const catalog = getKnowledge(normalizeSettings({ useHostCpuMap: false })).catalog;
const intelFlags = 'fpu vme de pse msr vmx sse4_2 avx2'.split(' ');
const guest = (mode: GuestCpuConfig['mode'], models: string[] = [], extraFlags: string[] = []): GuestCpuConfig => ({ mode, models, extraFlags });
const facts = (nested: string | undefined, flags = intelFlags): NestedFacts => ({ cpuFlags: flags, kvmIntelNested: nested });

test('nested: ready when the module has nested=Y and host-passthrough passes vmx', () => {
  const r = judgeNested(facts('Y\n'), guest('host-passthrough'), catalog);
  assert.equal(r.verdict, 'ready');
  assert.equal(r.vendor, 'intel');
  assert.deepEqual(r.steps, []);
  assert.ok(r.facts.some((f) => f.includes('/sys/module/kvm_intel/parameters/nested is Y (enabled)')), r.facts.join('\n'));
});

test('nested: nested=N (or 0) asks for the modprobe.d line, and nothing in nova.conf', () => {
  for (const v of ['N', '0']) {
    const r = judgeNested(facts(v), guest('host-passthrough'), catalog);
    assert.equal(r.verdict, 'needs-change');
    assert.deepEqual(r.steps.map((s) => [s.kind, s.file, s.line]), [['module', '/etc/modprobe.d/kvm.conf', 'options kvm_intel nested=1']]);
  }
});

test('nested: custom SandyBridge lacks vmx; the step adds it as an extra flag and keeps the models', () => {
  const r = judgeNested(facts('1'), guest('custom', ['SandyBridge'], ['pcid']), catalog);
  assert.equal(r.verdict, 'needs-change');
  const nova = r.steps.find((s) => s.kind === 'nova-conf');
  assert.deepEqual(nova?.change, { mode: 'custom', models: ['SandyBridge'], extraFlags: ['pcid', 'vmx'] });
  assert.equal(judgeNested(facts('1'), guest('custom', ['SandyBridge'], ['+vmx']), catalog).verdict, 'ready');
  // '-vmx' wins over host-passthrough: Nova adds the feature with policy disable.
  assert.equal(judgeNested(facts('Y'), guest('host-passthrough', [], ['-vmx']), catalog).verdict, 'needs-change');
});

test('nested: AMD models carry svm in the cpu_map, so custom EPYC needs no extra flag', () => {
  const r = judgeNested({ cpuFlags: ['fpu', 'svm'], kvmAmdNested: '1' }, guest('custom', ['EPYC']), catalog);
  assert.equal(r.vendor, 'amd');
  assert.equal(r.verdict, 'ready', r.facts.join('\n'));
});

test('nested: host-model depends on the host profile; with one, its require/disable lists decide', () => {
  assert.equal(judgeNested(facts('Y'), guest(undefined), catalog).verdict, 'unknown');
  const dc = parseDomCapabilities(readFileSync(join(SHARED_DATA, 'host-cpus/domcaps/libvirt-11.3.0/qemu_7.2.0.x86_64.xml'), 'utf8'));
  assert.ok(typeof dc !== 'string');
  const profile = { ...dc, host: 'h', gatheredAt: '', uri: '', numaNodes: [], problems: [] } as HostProfile;
  const withVmx = { ...profile, hostModel: { ...profile.hostModel!, require: [...profile.hostModel!.require, 'vmx'] } };
  const withoutVmx = { ...profile, hostModel: { ...profile.hostModel!, require: profile.hostModel!.require.filter((f) => f !== 'vmx') } };
  assert.equal(judgeNested(facts('Y'), guest('host-model'), catalog, withVmx).verdict, 'ready');
  const r = judgeNested(facts('Y'), guest('host-model'), catalog, withoutVmx);
  assert.equal(r.verdict, 'needs-change');
  assert.deepEqual(r.steps[0].change, { mode: 'host-model', models: undefined, extraFlags: ['vmx'] });
});

test('nested: no vmx/svm in the host CPU is impossible whatever nova.conf says', () => {
  const r = judgeNested({ cpuFlags: ['fpu', 'hypervisor'] }, guest('host-passthrough'), catalog);
  assert.equal(r.verdict, 'impossible');
  assert.equal(r.steps[0].kind, 'host-cpu');
});

test('nested: a module that is not loaded gets the modprobe line; a strange value is unknown', () => {
  const r = judgeNested(facts(undefined), guest('host-passthrough'), catalog);
  assert.equal(r.verdict, 'needs-change');
  assert.match(r.steps[0].text, /modprobe kvm_intel/);
  assert.equal(judgeNested(facts('maybe'), guest('host-passthrough'), catalog).verdict, 'unknown');
});

test('nested: the guest CPU read from a real config set through the planner\'s reader', () => {
  const files = [{ path: '/etc/nova/nova.conf', text: '[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = SandyBridge\n', sha256: '' }];
  const cfg = readNovaCpuConfig(files, getKnowledge(normalizeSettings({ useHostCpuMap: false })));
  const r = judgeNested(facts('Y'), guestCpuOf(cfg), catalog);
  assert.deepEqual(r.steps.map((s) => s.change), [{ mode: 'custom', models: ['SandyBridge'], extraFlags: ['vmx'] }]);
  const unset = readNovaCpuConfig([{ ...files[0], text: '[libvirt]\nvirt_type = kvm\n' }], getKnowledge(normalizeSettings({ useHostCpuMap: false })));
  assert.equal(guestCpuOf(unset).mode, 'host-model', 'unset cpu_mode is host-model on kvm');
});

test('nested: facts from real files — a crafted cpuinfo, and this machine\'s own /proc/cpuinfo', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nested-'));
  try {
    const cpuinfo = join(dir, 'cpuinfo');
    writeFileSync(cpuinfo, 'processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vme vmx ssse3\n\nprocessor\t: 1\nflags\t\t: fpu vme vmx ssse3\n');
    const f = await readNestedFacts(new LocalRunner(), { cpuinfo, sysModule: join(dir, 'no-sys') });
    assert.deepEqual(f.cpuFlags, ['fpu', 'vme', 'vmx', 'ssse3']);
    assert.equal(f.kvmIntelNested, undefined);
    const real = await readNestedFacts(new LocalRunner());
    assert.ok(real.cpuFlags && real.cpuFlags.length > 5, 'this machine has a flags line');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('nested: /sys/module/kvm_intel/parameters/nested read through a bind mount in a mount namespace', (t) => {
  if (spawnSync('unshare', ['--mount', '--propagation', 'private', 'true']).status !== 0) {
    if (process.env.CI_REQUIRE_ORACLES) assert.fail('unshare --mount is not available');
    t.skip('unshare --mount not available (needs root)'); return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'nested-sys-'));
  try {
    const sys = join(dir, 'module');
    mkdirSync(join(sys, 'kvm_intel', 'parameters'), { recursive: true });
    const cpuinfo = join(dir, 'cpuinfo');
    writeFileSync(cpuinfo, 'flags\t\t: fpu vmx\n');
    const probe = join(__dirname, 'hosts.nested.probe.ts');
    const run = (nested: string) => {
      writeFileSync(join(sys, 'kvm_intel', 'parameters', 'nested'), nested);
      // /sys/module itself is replaced in the namespace only: the product reads its default path.
      const r = spawnSync('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', 'mount --bind "$0" /sys/module && exec "$@"', sys, process.execPath, '--import', 'tsx', probe, cpuinfo], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return judgeNested(JSON.parse(r.stdout) as NestedFacts, guest('host-passthrough'), catalog);
    };
    assert.equal(run('N\n').verdict, 'needs-change');
    assert.equal(run('Y\n').verdict, 'ready');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
