/**
 * The nova.conf planner judged by Nova itself (Debian's python3-nova, Zed): every planned result
 * is loaded by real oslo.config, one --config-file per member in read order, and must give the
 * intended cpu_mode, cpu_models and cpu_model_extra_flags and pass the real
 * _check_cpu_compatibility; our effective-config reader must agree with Nova on every result,
 * and a plan we refuse for a CPU error must be one Nova refuses too. Inputs: Debian's packaged
 * files, Nova's sample, hand-made edge cases and the 77 real-world sets.
 * Without python3-nova it skips, unless CI_REQUIRE_ORACLES=1, where it fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { planNovaCpuMode } from '../../server/src/ops/novaConfPlan';
import { readNovaCpuConfig } from '../../server/src/ops/novaConfSet';
import type { CpuModeChange, FileSnapshot } from '../../server/src/ops/types';
import { DEBIAN_PYTHON, knowledgeFor, novaOracleAvailable } from '../fixtures/novaconf/helpers';
import { DEBIAN_COMPUTE_KVM, DEBIAN_NOVA_CONF, NOVA_SAMPLE, read, SHARED_DATA, snapshot } from '../support/ops';

const available = novaOracleAvailable();
const required = process.env.CI_REQUIRE_ORACLES === '1';
const skip = available || required ? false : 'python3-nova is not installed (apt install python3-nova; run with /usr/bin/python3)';

interface NovaReading {
  values: { cpu_mode: string | null; cpu_models: string[]; cpu_model_extra_flags: string[]; virt_type: string } | null;
  value_error: string | null;
  cpu: string | null;
  cpuset: string | null;
}

const knowledge = knowledgeFor('zed');
const modelNames = knowledge.catalog.models('x86').map((m) => m.name);

function nova(sets: string[][]): NovaReading[] {
  const r = spawnSync(DEBIAN_PYTHON, ['test/oracle/ops.nova.py'], { input: JSON.stringify({ sets, model_names: modelNames }), encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`ops.nova.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as NovaReading[];
}

const ETC = '/etc/nova';
const set = (...texts: string[]) => texts.map((t, i) => snapshot(join(ETC, ['nova.conf', 'nova-compute.conf', 'nova.conf.d/50-cpu.conf'][i]), t));

function inputs(): Array<{ name: string; files: FileSnapshot[] }> {
  const out = [
    { name: 'debian kvm', files: set(read(DEBIAN_NOVA_CONF), read(DEBIAN_COMPUTE_KVM)) },
    { name: 'debian qemu', files: set(read(DEBIAN_NOVA_CONF), read('test/fixtures/ops/debian-nova-compute-qemu.conf')) },
    { name: 'sample', files: set(read(NOVA_SAMPLE)) },
    { name: 'sample live', files: set(read(NOVA_SAMPLE).replace('\n[libvirt]\n', '\n[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_model = SandyBridge\ncpu_model_extra_flags = pcid\n')) },
    { name: 'duplicates across files', files: set('[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n', '[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = Skylake-Client\n', '[LIBVIRT]\ncpu_models = IvyBridge\n') },
    { name: 'continuations', files: set('[libvirt]\ncpu_mode = custom\ncpu_models = Haswell,\n    Skylake-Client\ncpu_model_extra_flags = vmx,\n  pcid\n') },
    { name: 'quotes, CRLF', files: set('[DEFAULT]\r\n[libvirt]\r\ncpu_mode : "custom"\r\ncpu_model = \'SandyBridge\'\r\n') },
    { name: 'no libvirt', files: set('[DEFAULT]\ndebug = true', '[DEFAULT]\ncompute_driver = libvirt.LibvirtDriver\n') },
  ];
  const dir = join(SHARED_DATA, 'realworld/nova');
  // The real-world sets when the shared data is there (CI_REQUIRE_ORACLES=1 makes it required).
  if (existsSync(dir) || process.env.CI_REQUIRE_ORACLES === '1') {
    for (const c of readdirSync(dir).sort()) {
      const files = ['nova.conf', 'nova-compute.conf'].filter((f) => existsSync(join(dir, c, f))).map((f) => snapshot(join(ETC, f), read(join(dir, c, f))));
      if (files.length) out.push({ name: c, files });
    }
  }
  return out;
}

const CHANGES: CpuModeChange[] = [
  { mode: 'host-passthrough' },
  { mode: 'host-model', extraFlags: ['vmx'] },
  { mode: 'custom', models: ['Haswell-noTSX', 'Skylake-Client'], extraFlags: ['vmx', '-pcid'] },
  { mode: 'none', extraFlags: [] },
];

const CPU_CODES = new Set(['nova/cpu-mode-needs-kvm-qemu', 'nova/cpu-models-without-custom', 'nova/custom-without-models', 'nova/unknown-cpu-model', 'nova/invalid-choice']);

test('planNovaCpuMode results read by Nova 26: intended values, accepted at start-up; refusals shared', { skip }, () => {
  if (!available) assert.fail('CI_REQUIRE_ORACLES=1 but python3-nova is not importable by /usr/bin/python3');
  const all = inputs();
  const plans = all.flatMap((input) => CHANGES.map((change) => ({ input, change, plan: planNovaCpuMode(input.files, change, knowledge) })));
  const results = plans.map(({ input, plan }) => input.files.map((f) => plan.edits.find((e) => e.path === f.path)?.after ?? f.text));
  const before = nova(all.map((i) => i.files.map((f) => f.text)));
  const after = nova(results);
  let accepted = 0; let refusedAlike = 0;
  plans.forEach(({ input, change, plan }, n) => {
    const what = `${input.name} -> ${JSON.stringify(change)}`;
    const got = after[n];
    const was = before[Math.floor(n / CHANGES.length)];
    // Our reading of the result, whatever the plan's verdict, is Nova's.
    if (got.values) {
      const ours = readNovaCpuConfig(input.files.map((f, i) => ({ ...f, text: results[n][i] })), knowledge);
      assert.equal(ours.mode.value, got.values.cpu_mode, `${what}: cpu_mode`);
      assert.deepEqual(ours.models.value, got.values.cpu_models, `${what}: cpu_models`);
      assert.deepEqual(ours.extraFlags.value, got.values.cpu_model_extra_flags, `${what}: flags`);
      assert.equal(ours.virtType.value, got.values.virt_type, `${what}: virt_type`);
    }
    if (plan.refused) {
      const cpuErrors = plan.findings.filter((f) => f.severity === 'error' && !f.preexisting && CPU_CODES.has(f.code));
      if (cpuErrors.length) {
        assert.ok(got.cpu || got.value_error, `${what}: we refuse (${cpuErrors.map((f) => f.code)}), Nova accepts`);
        refusedAlike++;
      }
      return;
    }
    assert.equal(got.value_error, null, `${what}: ${got.value_error}`);
    assert.equal(got.cpu, null, `${what}: Nova refuses: ${got.cpu}`);
    assert.ok(got.values && was.values, what);
    assert.equal(got.values.cpu_mode, change.mode, `${what}: cpu_mode`);
    const models = change.mode === 'custom' ? change.models ?? was.values.cpu_models : [];
    assert.deepEqual(got.values.cpu_models, models, `${what}: cpu_models`);
    assert.deepEqual(got.values.cpu_model_extra_flags, change.extraFlags ?? was.values.cpu_model_extra_flags, `${what}: flags`);
    // The rest of [libvirt] is as it was.
    assert.equal(got.values.virt_type, was.values.virt_type, `${what}: virt_type`);
    accepted++;
  });
  assert.ok(accepted >= (all.length > 8 ? 250 : 25), `only ${accepted} of ${plans.length} plans accepted`);
  console.log(`# ${plans.length} plans on ${all.length} sets: ${accepted} applied and accepted by Nova, ${refusedAlike} refused by both for a CPU error`);
});
