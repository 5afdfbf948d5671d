/**
 * The nova.conf CPU-mode planner: each case gives a config set (files in read order), the change
 * and the release, and the exact texts of the files that change (every other file must stay
 * identical), or the refusal. Then Debian's packaged nova.conf and Nova's 10,639-line sample,
 * compared line by line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planNovaCpuMode } from '../../server/src/ops/novaConfPlan';
import { readNovaCpuConfig } from '../../server/src/ops/novaConfSet';
import type { CpuModeChange } from '../../server/src/ops/types';
import { knowledgeFor } from '../fixtures/novaconf/helpers';
import { changedLines, DEBIAN_COMPUTE_KVM, DEBIAN_NOVA_CONF, NOVA_SAMPLE, read, setOf, snapshot } from '../support/ops';

interface Case {
  name: string;
  files: Record<string, string>;
  change: CpuModeChange;
  release?: string;
  /** Expected texts of the files that change. */
  after?: Record<string, string>;
  /** Substrings of the refusal (the plan must be refused). */
  refused?: string[];
  questions?: string[];
}

const NC = 'nova.conf';
const CC = 'nova-compute.conf';

const cases: Case[] = [
  {
    name: 'Debian layout: cpu_mode added after the virt_type Nova reads, in its file and spacing',
    files: { [NC]: '[DEFAULT]\ndebug = true\n', [CC]: '[DEFAULT]\ncompute_driver=libvirt.LibvirtDriver\n[libvirt]\nvirt_type=kvm\nuse_virtio_for_bridges=true\n' },
    change: { mode: 'host-passthrough' },
    after: { [CC]: '[DEFAULT]\ncompute_driver=libvirt.LibvirtDriver\n[libvirt]\nvirt_type=kvm\ncpu_mode=host-passthrough\nuse_virtio_for_bridges=true\n' },
  },
  {
    name: 'custom: models and flags follow the new cpu_mode, in that order',
    files: { [NC]: '[libvirt]\nvirt_type = kvm\nimages_type = raw\n' },
    change: { mode: 'custom', models: ['Haswell-noTSX', 'Skylake-Client'], extraFlags: ['vmx', '-pcid'] },
    after: { [NC]: '[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = Haswell-noTSX,Skylake-Client\ncpu_model_extra_flags = vmx,-pcid\nimages_type = raw\n' },
  },
  {
    name: 'custom -> host-passthrough: value changed in place, cpu_models removed (forbidden), flags kept (used)',
    files: { [NC]: '[libvirt]\n# our CPUs\ncpu_mode = custom\n\n# oldest first\ncpu_models = SandyBridge\ncpu_model_extra_flags = pcid\n' },
    change: { mode: 'host-passthrough' },
    after: { [NC]: '[libvirt]\n# our CPUs\ncpu_mode = host-passthrough\n\n# oldest first\ncpu_model_extra_flags = pcid\n' },
  },
  {
    name: 'the old name cpu_model is removed under host-model',
    files: { [NC]: '[libvirt]\ncpu_mode = custom\ncpu_model = SandyBridge\n' },
    change: { mode: 'host-model' },
    after: { [NC]: '[libvirt]\ncpu_mode = host-model\n' },
  },
  {
    name: 'the old name cpu_model is renamed when models are set (Train on)',
    files: { [NC]: '[libvirt]\ncpu_mode = custom\ncpu_model = SandyBridge\n' },
    change: { mode: 'custom', models: ['IvyBridge'] },
    after: { [NC]: '[libvirt]\ncpu_mode = custom\ncpu_models = IvyBridge\n' },
  },
  {
    name: 'before Train cpu_model keeps its name (it is the option)',
    release: 'stein',
    files: { [NC]: '[libvirt]\ncpu_mode = custom\ncpu_model = SandyBridge\n' },
    change: { mode: 'custom', models: ['IvyBridge'] },
    after: { [NC]: '[libvirt]\ncpu_mode = custom\ncpu_model = IvyBridge\n' },
  },
  {
    name: 'before Train: one model only',
    release: 'stein',
    files: { [NC]: '[libvirt]\ncpu_mode = custom\ncpu_model = SandyBridge\n' },
    change: { mode: 'custom', models: ['IvyBridge', 'Haswell'] },
    refused: ['cpu_model: this Nova release (Stein (19)) takes one CPU model'],
  },
  {
    name: 'before Train: cpu_model under host-model is refused at guest build, so it goes',
    release: 'stein',
    files: { [NC]: '[libvirt]\ncpu_mode = custom\ncpu_model = SandyBridge\n' },
    change: { mode: 'host-model' },
    after: { [NC]: '[libvirt]\ncpu_mode = host-model\n' },
  },
  {
    name: 'before Train: cpu_model under none is ignored: asked, kept by default',
    release: 'stein',
    files: { [NC]: '[libvirt]\ncpu_mode = custom\ncpu_model = SandyBridge\n' },
    change: { mode: 'none' },
    questions: ['remove-cpu_model'],
    after: { [NC]: '[libvirt]\ncpu_mode = none\ncpu_model = SandyBridge\n' },
  },
  {
    name: 'before Train: cpu_model under none, removal answered yes',
    release: 'stein',
    files: { [NC]: '[libvirt]\ncpu_mode = custom\ncpu_model = SandyBridge\n' },
    change: { mode: 'none', answers: { 'remove-cpu_model': true } },
    questions: ['remove-cpu_model'],
    after: { [NC]: '[libvirt]\ncpu_mode = none\n' },
  },
  {
    name: 'duplicates across files: every cpu_mode changed, every cpu_models removed (an earlier one would take over)',
    files: {
      [NC]: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n',
      [CC]: '[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = Skylake-Client\n',
      'nova.conf.d/50-cpu.conf': '[LIBVIRT]\ncpu_models = IvyBridge\n',
    },
    change: { mode: 'host-model' },
    after: {
      [NC]: '[libvirt]\ncpu_mode = host-model\n',
      [CC]: '[libvirt]\nvirt_type = kvm\ncpu_mode = host-model\n',
      'nova.conf.d/50-cpu.conf': '[LIBVIRT]\n',
    },
  },
  {
    name: 'duplicates in one file: both occurrences set',
    files: { [NC]: '[libvirt]\ncpu_mode = host-model\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = Haswell\n' },
    change: { mode: 'custom', models: ['Broadwell'] },
    after: { [NC]: '[libvirt]\ncpu_mode = custom\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = Broadwell\n' },
  },
  {
    name: 'the set winner is edited in its own file: the key is only in a later file',
    files: { [NC]: '[libvirt]\nvirt_type = qemu\n', 'nova.conf.d/10-cpu.conf': '[libvirt]\ncpu_mode = host-model\n' },
    change: { mode: 'host-passthrough' },
    after: { 'nova.conf.d/10-cpu.conf': '[libvirt]\ncpu_mode = host-passthrough\n' },
  },
  {
    name: 'continuation lines: the whole logical entry is replaced',
    files: { [NC]: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell,\n    Skylake-Client\nimages_type = raw\n' },
    change: { mode: 'custom', models: ['Broadwell'] },
    after: { [NC]: '[libvirt]\ncpu_mode = custom\ncpu_models = Broadwell\nimages_type = raw\n' },
  },
  {
    name: 'continuation lines: removed whole, including an indented line that looks like a key',
    files: { [NC]: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell,\n  cpu_model_extra_flags = vmx\n\n[compute]\n' },
    change: { mode: 'host-passthrough' },
    after: { [NC]: '[libvirt]\ncpu_mode = host-passthrough\n\n[compute]\n' },
  },
  {
    name: 'quotes and odd spacing kept around a replaced value',
    files: { [NC]: '[libvirt]\ncpu_mode   :   "custom"  \ncpu_models = Haswell\n' },
    change: { mode: 'host-model' },
    after: { [NC]: '[libvirt]\ncpu_mode   :   "host-model"  \n' },
  },
  {
    name: 'CRLF: inserted lines use CRLF',
    files: { [NC]: '[DEFAULT]\r\ndebug = true\r\n[libvirt]\r\nvirt_type = kvm\r\n' },
    change: { mode: 'custom', models: ['Haswell'] },
    after: { [NC]: '[DEFAULT]\r\ndebug = true\r\n[libvirt]\r\nvirt_type = kvm\r\ncpu_mode = custom\r\ncpu_models = Haswell\r\n' },
  },
  {
    name: 'CRLF: a deleted entry takes its CRLF, continuation lines included',
    files: { [NC]: '[libvirt]\r\ncpu_mode = custom\r\ncpu_models = Haswell,\r\n  IvyBridge\r\n[compute]\r\n' },
    change: { mode: 'host-model' },
    after: { [NC]: '[libvirt]\r\ncpu_mode = host-model\r\n[compute]\r\n' },
  },
  {
    name: 'no final newline, CRLF: deleting the last line takes the CRLF before it',
    files: { [NC]: '[libvirt]\r\ncpu_mode = custom\r\ncpu_models = Haswell' },
    change: { mode: 'host-model' },
    after: { [NC]: '[libvirt]\r\ncpu_mode = host-model' },
  },
  {
    name: 'no final newline: deleting the last line keeps it that way',
    files: { [NC]: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell' },
    change: { mode: 'host-model' },
    after: { [NC]: '[libvirt]\ncpu_mode = host-model' },
  },
  {
    name: 'no [libvirt] anywhere: a section is created at the end of the first file (no final newline kept)',
    files: { [NC]: '[DEFAULT]\ndebug = true', [CC]: '[DEFAULT]\ncompute_driver = libvirt.LibvirtDriver\n' },
    change: { mode: 'host-model' },
    after: { [NC]: '[DEFAULT]\ndebug = true\n\n[libvirt]\ncpu_mode = host-model' },
  },
  {
    name: 'a [libvirt] section without virt_type: the key goes after its last entry, not after the comments that follow',
    files: { [NC]: '[libvirt]\nimages_type = raw\n# cpu_mode = host-model\n\n[compute]\ncpu_shared_set = 0-3\n' },
    change: { mode: 'host-passthrough' },
    after: { [NC]: '[libvirt]\nimages_type = raw\ncpu_mode = host-passthrough\n# cpu_mode = host-model\n\n[compute]\ncpu_shared_set = 0-3\n' },
  },
  {
    name: 'an empty [libvirt] section in the later file is preferred',
    files: { [NC]: '[libvirt]\nimages_type = raw\n', [CC]: '[DEFAULT]\n[libvirt]\n# nothing yet\n' },
    change: { mode: 'host-model' },
    after: { [CC]: '[DEFAULT]\n[libvirt]\ncpu_mode = host-model\n# nothing yet\n' },
  },
  {
    name: 'none (Zed): models are forbidden (removed), flags do nothing (asked, kept)',
    files: { [NC]: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\ncpu_model_extra_flags = pcid\n' },
    change: { mode: 'none' },
    questions: ['remove-cpu_model_extra_flags'],
    after: { [NC]: '[libvirt]\ncpu_mode = none\ncpu_model_extra_flags = pcid\n' },
  },
  {
    name: 'none (Zed): flags removed when answered',
    files: { [NC]: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\ncpu_model_extra_flags = pcid\n' },
    change: { mode: 'none', answers: { 'remove-cpu_model_extra_flags': true } },
    questions: ['remove-cpu_model_extra_flags'],
    after: { [NC]: '[libvirt]\ncpu_mode = none\n' },
  },
  {
    name: 'Queens: flags under host-model are dropped by Nova, so asked',
    release: 'queens',
    files: { [NC]: '[libvirt]\ncpu_mode = custom\ncpu_model = Haswell\ncpu_model_extra_flags = pcid\n' },
    change: { mode: 'host-model' },
    questions: ['remove-cpu_model_extra_flags'],
    after: { [NC]: '[libvirt]\ncpu_mode = host-model\ncpu_model_extra_flags = pcid\n' },
  },
  {
    name: 'extra flags cleared with []',
    files: { [NC]: '[libvirt]\ncpu_mode = host-model\ncpu_model_extra_flags = vmx\n' },
    change: { mode: 'host-passthrough', extraFlags: [] },
    after: { [NC]: '[libvirt]\ncpu_mode = host-passthrough\n' },
  },
  {
    name: 'maximum is not a Nova mode: refused in oslo.config\'s words',
    files: { [NC]: '[libvirt]\ncpu_mode = host-model\n' },
    change: { mode: 'maximum' },
    refused: ["Valid values are [host-model, host-passthrough, custom, none], but found 'maximum'", 'Errors the change would cause'],
  },
  {
    name: 'custom without models: refused in Nova\'s words',
    files: { [NC]: '[libvirt]\ncpu_mode = host-model\n' },
    change: { mode: 'custom' },
    refused: ['The cpu_models option is required when cpu_mode=custom'],
  },
  {
    name: 'a CPU mode under virt_type = lxc: refused in Nova\'s words',
    files: { [NC]: '[libvirt]\nvirt_type = lxc\n' },
    change: { mode: 'host-passthrough' },
    refused: ["Config requested an explicit CPU model, but the current libvirt hypervisor 'lxc' does not support selecting CPU models"],
  },
  {
    name: 'an error the change does not fix refuses it too, named as such',
    files: { [NC]: '[libvirt]\ncpu_mode = host-model\n[compute]\ncpu_dedicated_set = 0-1,^0,^1\n' },
    change: { mode: 'host-passthrough' },
    refused: ['Errors already in the input that the change does not fix', "No CPUs available after parsing '[compute] cpu_dedicated_set' config, '0-1,^0,^1'"],
  },
  {
    name: 'an error the change fixes does not refuse it',
    files: { [NC]: '[libvirt]\ncpu_mode = host-model\ncpu_models = Haswell\n' },
    change: { mode: 'custom' },
    after: { [NC]: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n' },
  },
  ...[['Haswell\n[DEFAULT]\ndebug = true'], ['$(touch /tmp/x)'], ['-Haswell'], ['Has well'], ['a,b'], ['']].map((models): Case => ({
    name: `hostile model name ${JSON.stringify(models[0])}: refused, nothing written`,
    files: { [NC]: '[libvirt]\ncpu_mode = host-model\n' },
    change: { mode: 'custom', models },
    refused: ['is not a CPU model name'],
  })),
  ...['vmx;reboot', 'vmx\n', '`id`', 'vmx,svm', '++'].map((flag): Case => ({
    name: `hostile flag ${JSON.stringify(flag)}: refused`,
    files: { [NC]: '[libvirt]\ncpu_mode = host-model\n' },
    change: { mode: 'host-model', extraFlags: [flag] },
    refused: ['is not a CPU flag name'],
  })),
  {
    name: 'a mode that is no mode: refused',
    files: { [NC]: '[libvirt]\n' },
    change: { mode: 'host-model\n[DEFAULT]' as CpuModeChange['mode'] },
    refused: ['is not a mode'],
  },
];

for (const c of cases) {
  test(`planNovaCpuMode: ${c.name}`, () => {
    const files = setOf(c.files);
    const plan = planNovaCpuMode(files, c.change, knowledgeFor(c.release ?? 'zed'));
    assert.deepEqual(plan.questions.map((q) => q.id), c.questions ?? []);
    if (c.refused) {
      assert.ok(plan.refused, 'expected a refusal');
      for (const s of c.refused) assert.ok(plan.refused.includes(s), `refusal lacks ${JSON.stringify(s)}:\n${plan.refused}`);
      if (c.name.startsWith('hostile') || c.name.includes('no mode')) assert.deepEqual(plan.edits, []);
      return;
    }
    assert.equal(plan.refused, undefined, plan.refused);
    const got = Object.fromEntries(plan.edits.map((e) => [e.path, e.after]));
    assert.deepEqual(got, c.after ?? {});
    for (const e of plan.edits) {
      const f = files.find((x) => x.path === e.path)!;
      assert.equal(e.before, f.text);
      assert.equal(e.sha256, f.sha256);
    }
    assert.equal(plan.findings.filter((f) => f.severity === 'error').length, 0);
  });
}

test('planNovaCpuMode: a plan that changes nothing says so', () => {
  const plan = planNovaCpuMode(setOf({ [NC]: '[libvirt]\ncpu_mode = host-passthrough\n' }), { mode: 'host-passthrough' }, knowledgeFor('zed'));
  assert.deepEqual(plan.edits, []);
  assert.deepEqual(plan.summary, ['nothing to change']);
  assert.equal(plan.refused, undefined);
});

test('planNovaCpuMode: the summary names file, line and old -> new', () => {
  const plan = planNovaCpuMode(setOf({ [NC]: '[libvirt]\ncpu_mode = custom\ncpu_model = Haswell\n' }), { mode: 'host-model' }, knowledgeFor('zed'));
  assert.deepEqual(plan.summary, [
    'nova.conf:2 cpu_mode custom -> host-model',
    'nova.conf:3 removed cpu_model = Haswell (with cpu_mode = host-model Nova refuses it: "The cpu_models option is not required when cpu_mode!=custom")',
  ]);
});

test('planNovaCpuMode: preexisting errors are marked in the findings', () => {
  const plan = planNovaCpuMode(setOf({ [NC]: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n[compute]\ncpu_shared_set = x\n' }), { mode: 'host-model' }, knowledgeFor('zed'));
  const errors = plan.findings.filter((f) => f.severity === 'error');
  assert.equal(errors.length, 1);
  assert.equal(errors[0].preexisting, true);
  assert.equal(errors[0].path, NC);
});

test("Debian's packaged nova.conf + nova-compute.conf: only nova-compute.conf changes, by one line", () => {
  const files = [snapshot('/etc/nova/nova.conf', read(DEBIAN_NOVA_CONF)), snapshot('/etc/nova/nova-compute.conf', read(DEBIAN_COMPUTE_KVM))];
  assert.equal(files[0].text.split('\n').length - 1, 10164);
  const plan = planNovaCpuMode(files, { mode: 'custom', models: ['Haswell-noTSX'] }, knowledgeFor('zed'));
  assert.equal(plan.refused, undefined, plan.refused);
  assert.deepEqual(plan.edits.map((e) => e.path), ['/etc/nova/nova-compute.conf']);
  assert.deepEqual(changedLines(plan.edits[0].before, plan.edits[0].after), ['+cpu_mode=custom', '+cpu_models=Haswell-noTSX']);
});

test("Debian's packaged nova.conf alone: the new key goes right under [libvirt] (line 5027), nothing else differs", () => {
  const text = read(DEBIAN_NOVA_CONF);
  const plan = planNovaCpuMode([snapshot('/etc/nova/nova.conf', text)], { mode: 'host-passthrough', extraFlags: ['vmx'] }, knowledgeFor('zed'));
  assert.equal(plan.refused, undefined, plan.refused);
  const lines = text.split('\n');
  assert.equal(lines[5026], '[libvirt]');
  lines.splice(5027, 0, 'cpu_mode = host-passthrough', 'cpu_model_extra_flags = vmx');
  assert.equal(plan.edits[0].after, lines.join('\n'));
});

test("Nova's 10,639-line sample with a live [libvirt] block: only the intended lines differ", () => {
  const sample = read(NOVA_SAMPLE);
  assert.equal(sample.split('\n').length - 1, 10639);
  const text = sample.replace('\n[libvirt]\n', '\n[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_model = SandyBridge\ncpu_model_extra_flags = pcid\n');
  const plan = planNovaCpuMode([snapshot('nova.conf', text)], { mode: 'host-model' }, knowledgeFor('zed'));
  assert.equal(plan.refused, undefined, plan.refused);
  assert.deepEqual(changedLines(text, plan.edits[0].after), ['-cpu_mode = custom', '-cpu_model = SandyBridge', '+cpu_mode = host-model']);
  const l = text.split('\n'); const r = plan.edits[0].after.split('\n');
  assert.equal(r.length, l.length - 1);
});

test('readNovaCpuConfig: values and the file/line each comes from', () => {
  const files = setOf({
    [NC]: '[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_model = SandyBridge\n',
    [CC]: '[libvirt]\ncpu_model_extra_flags = vmx, -pcid\n',
  });
  const c = readNovaCpuConfig(files, knowledgeFor('zed'));
  assert.equal(c.release, 'Zed (26)');
  assert.deepEqual(c.mode, { value: 'custom', raw: 'custom', source: { path: NC, line: 2, lastLine: 2, key: 'cpu_mode' }, valid: true });
  assert.equal(c.effectiveMode, 'custom');
  assert.deepEqual(c.models.value, ['SandyBridge']);
  assert.deepEqual(c.models.source, { path: NC, line: 3, lastLine: 3, key: 'cpu_model' });
  assert.deepEqual(c.extraFlags.value, ['vmx', '-pcid']);
  assert.equal(c.extraFlags.source?.path, CC);
  assert.equal(c.virtType.value, 'kvm');
});

test('readNovaCpuConfig: unset mode is host-model on kvm/qemu, none on lxc; invalid values are marked', () => {
  assert.equal(readNovaCpuConfig(setOf({ [NC]: '[libvirt]\n' }), knowledgeFor('zed')).effectiveMode, 'host-model');
  assert.equal(readNovaCpuConfig(setOf({ [NC]: '[libvirt]\nvirt_type = lxc\n' }), knowledgeFor('zed')).effectiveMode, 'none');
  const bad = readNovaCpuConfig(setOf({ [NC]: '[libvirt]\ncpu_mode = fast\n' }), knowledgeFor('zed'));
  assert.equal(bad.mode.valid, false);
  assert.equal(bad.mode.raw, 'fast');
});
