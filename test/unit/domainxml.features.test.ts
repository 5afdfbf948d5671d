/** Completion, hover, quick fixes and the "beyond libvirt" hints, table-driven with a `|` cursor. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domainXmlService as svc } from '../../server/src/domainxml/service';
import { LineIndex } from '../../server/src/core/lineIndex';
import type { Finding } from '../../server/src/core/findings';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cursor, diagnose, domain, knowledge } from './domainxml.helpers';

function complete(withBar: string, version = '') {
  const { text, line, character } = cursor(withBar);
  const k = knowledge(version);
  const m = svc.parse(text, new LineIndex(text), k);
  return svc.complete!(m, { line, character }, k);
}

function hover(withBar: string): string {
  const { text, line, character } = cursor(withBar);
  const k = knowledge();
  const m = svc.parse(text, new LineIndex(text), k);
  const h = svc.hover!(m, { line, character }, k);
  return h ? (h.contents as { value: string }).value : '';
}

/** Applies a finding's first (or titled) fix and returns the new text. */
function applyFix(text: string, f: Finding, title?: RegExp): string {
  const fix = title ? f.fixes!.find((x) => title.test(x.title))! : f.fixes![0];
  const lines = new LineIndex(text);
  const edits = [...fix.edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start));
  let out = text;
  for (const e of edits) out = out.slice(0, lines.offsetAt(e.range.start)) + e.newText + out.slice(lines.offsetAt(e.range.end));
  return out;
}

const byCode = (fs: Finding[], code: string) => fs.find((f) => f.code === code);

test('completion: element names inside <cpu>, attribute names and enum values', () => {
  const names = complete(domain("  <cpu mode='custom'>\n    <|\n  </cpu>")).map((i) => i.label);
  for (const n of ['model', 'topology', 'feature', 'numa', 'cache']) assert.ok(names.includes(n), n);
  const attrs = complete(domain("  <cpu>\n    <topology |/>\n  </cpu>")).map((i) => i.label);
  assert.ok(attrs.includes('sockets') && attrs.includes('dies') && attrs.includes('clusters'));
  assert.ok(!complete(domain("  <cpu>\n    <topology |/>\n  </cpu>"), '9.0').some((i) => i.label === 'clusters'), 'clusters is 10.1+');
  const modes = complete(domain("  <cpu mode='h|'/>")).map((i) => i.label);
  assert.deepEqual(modes, ['custom', 'host-model', 'host-passthrough', 'maximum']);
  const policies = complete(domain("  <cpu mode='custom'><model>Haswell</model><feature policy='|' name='vmx'/></cpu>")).map((i) => i.label);
  assert.deepEqual(policies, ['force', 'require', 'optional', 'disable', 'forbid']);
});

test('completion: models grouped by vendor, newest first; features know the model', () => {
  const items = complete(domain("  <cpu mode='custom'>\n    <model>|</model>\n  </cpu>"));
  const sorted = [...items].sort((a, b) => a.sortText!.localeCompare(b.sortText!));
  assert.equal(sorted[0].detail?.startsWith('Intel'), true);
  const intel = sorted.filter((i) => i.detail?.startsWith('Intel')).map((i) => i.label);
  assert.ok(intel.indexOf('Skylake-Client') < intel.indexOf('Nehalem'), 'newer Intel models come first');
  assert.ok(items.some((i) => i.label === 'EPYC'));
  const feats = complete(domain("  <cpu mode='custom'><model>Haswell</model><feature policy='require' name='|'/></cpu>"));
  const avx2 = feats.find((i) => i.label === 'avx2')!;
  assert.match(avx2.detail!, /in Haswell/);
  assert.ok(feats.find((i) => i.label === 'sse4.1')!.filterText!.includes('sse4-1'), 'QEMU spelling finds the libvirt name');
});

test('completion: vCPUs not pinned yet, vCPUs in no NUMA cell', () => {
  const pins = complete(domain("  <cputune>\n    <vcpupin vcpu='0' cpuset='1'/>\n    <vcpupin vcpu='|' cpuset='2'/>\n  </cputune>")).map((i) => i.label);
  assert.deepEqual(pins, ['1', '2', '3']);
  const cells = complete(domain("  <cpu><numa><cell id='0' cpus='0-1' memory='1'/><cell id='1' cpus='|' memory='1'/></numa></cpu>")).map((i) => i.label);
  assert.deepEqual(cells, ['2-3']);
});

test('completion works in a half-typed, not well-formed document', () => {
  const items = complete("<domain type='kvm'>\n  <vcpu>4</vcpu>\n  <cpu mode='custom'>\n    <feature policy='disable' name='|");
  assert.ok(items.some((i) => i.label === 'vmx'));
  const half = complete("<domain type='kvm'>\n  <cpu mode='|");
  assert.ok(half.some((i) => i.label === 'host-passthrough'));
});

test('hover: <cpu> shows the effective feature set, <model> its vendor and features', () => {
  const h = hover(domain("  <c|pu mode='custom'>\n    <model>Haswell</model>\n    <feature policy='disable' name='avx2'/>\n    <feature policy='require' name='vmx'/>\n  </cpu>"));
  assert.match(h, /Effective CPU features/);
  assert.match(h, /plus vmx; minus avx2/);
  assert.ok(!/\bavx2\b/.test(h.split('\n\n').pop()!), 'avx2 is removed from the set');
  const mh = hover(domain("  <cpu mode='custom'>\n    <model>Sky|lake-Client</model>\n  </cpu>"));
  assert.match(mh, /\*\*Skylake-Client\*\* — Intel CPU model/);
  assert.match(hover(domain("  <cpu mode='custom'><model>Haswell</model><feature policy='require' name='sse4|-1'/></cpu>")), /libvirt calls it `sse4.1`/);
  assert.match(hover(domain("  <vcpu pla|cement='static'>4</vcpu>")), /numad/);
});

test('quick fix: topology to match the vCPU count', () => {
  const text = domain("  <cpu>\n    <topology sockets='1' cores='2' threads='1'/>\n  </cpu>");
  const f = byCode(diagnose(text), 'libvirt/topology-mismatch')!;
  assert.equal(f.upstream, "unsupported configuration: CPU topology doesn't match maximum vcpu count");
  assert.equal(f.stage, 'define (qemu)');
  const fixed = applyFix(text, f);
  assert.match(fixed, /sockets='2' cores='2' threads='1'/);
  assert.equal(byCode(diagnose(fixed), 'libvirt/topology-mismatch'), undefined);
});

test('quick fix: add the vCPUs missing from NUMA cells to cell 0', () => {
  const text = domain("  <cpu>\n    <numa>\n      <cell id='0' cpus='0' memory='524288'/>\n      <cell id='1' cpus='1' memory='524288'/>\n    </numa>\n  </cpu>");
  const f = byCode(diagnose(text), 'libvirt/numa-cpus-uncovered')!;
  assert.equal(f.severity, 'warning');
  assert.match(applyFix(text, f), /cpus='0,2-3'/);
});

test('quick fix: QEMU feature spelling → libvirt name; unknown model → suggestion', () => {
  const text = domain("  <cpu mode='custom'>\n    <model>Skylake-Servr</model>\n    <feature policy='require' name='sse4-1'/>\n  </cpu>");
  const fs = diagnose(text);
  const spelling = byCode(fs, 'libvirt/cpu-feature-qemu-spelling')!;
  assert.equal(spelling.upstream, 'unsupported configuration: unknown CPU feature: sse4-1');
  assert.equal(spelling.stage, 'vm start');
  assert.match(applyFix(text, spelling), /name='sse4.1'/);
  const model = byCode(fs, 'libvirt/cpu-model-unknown')!;
  assert.match(model.explanation, /did you mean 'Skylake-Server'/);
  assert.match(applyFix(text, model), /<model>Skylake-Server<\/model>/);
});

test('quick fix: drop <model> under host-passthrough; warn about migration', () => {
  const text = domain("  <cpu mode='host-passthrough'>\n    <model>Haswell</model>\n  </cpu>");
  const fs = diagnose(text);
  const f = byCode(fs, 'libvirt/cpu-model-ignored')!;
  assert.equal(applyFix(text, f).includes('<model>'), false);
  assert.ok(byCode(fs, 'libvirt/advice-passthrough-migration'));
});

test('unknown elements and attributes in our blocks: warned, with did-you-mean', () => {
  const fs = diagnose(domain("  <vcpu placment='static'>4</vcpu>\n  <cpu>\n    <topologie sockets='1' cores='4' threads='1'/>\n  </cpu>"));
  const a = fs.find((f) => f.code === 'libvirt/unknown-attribute')!;
  assert.match(a.explanation, /Did you mean 'placement'/);
  const e = fs.find((f) => f.code === 'libvirt/unknown-element')!;
  assert.match(e.explanation, /Did you mean <topology>/);
  assert.equal(e.severity, 'warning');
});

test('hints: Nova-managed domain, nested virt, disabled mitigation', () => {
  const nova = diagnose(domain("  <metadata>\n    <nova:instance xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'/>\n  </metadata>"));
  assert.ok(byCode(nova, 'libvirt/nova-managed'));
  const fs = diagnose(domain("  <cpu mode='custom'><model>Haswell</model><feature policy='disable' name='vmx'/><feature policy='disable' name='spec-ctrl'/></cpu>"));
  assert.ok(byCode(fs, 'libvirt/advice-nested-disabled'));
  // Advice is information or hint, never louder (issue 10): the user can raise it per code.
  assert.equal(byCode(fs, 'libvirt/advice-mitigation-disabled')!.severity, 'information');
});

test('version differences: shares range, clusters, cachetune without vcpus', () => {
  const shares = domain('  <cputune><shares>300000</shares></cputune>');
  assert.equal(byCode(diagnose(shares, '9.0'), 'libvirt/cputune-range')!.upstream, "unsupported configuration: Value of cputune 'shares' must be in range [2, 262144]");
  assert.equal(byCode(diagnose(shares, '12.8'), 'libvirt/cputune-range'), undefined);
  const ct = domain("  <cputune><cachetune><cache id='0' level='3' type='both' size='2' unit='MiB'/></cachetune></cputune>");
  assert.equal(byCode(diagnose(ct, '9.0'), 'libvirt/resctrl-vcpus-missing')!.upstream, "XML error: Missing cachetune attribute 'vcpus'");
  assert.equal(byCode(diagnose(ct, '12.8'), 'libvirt/resctrl-vcpus-missing'), undefined);
});

test('snippets: every snippet, expanded with its defaults, is a valid domain', () => {
  const snippets = JSON.parse(readFileSync(join(__dirname, '..', '..', 'snippets', 'domain-xml.json'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
  const expand = (body: string[]) => {
    const values = new Map<string, string>();
    return body.join('\n').replace(/\$\{(\d+)(?::([^}]*)|\|([^|]*)\|)?\}/g, (_, n: string, def?: string, choice?: string) => {
      if (!values.has(n)) values.set(n, def ?? choice?.split(',')[0] ?? '');
      return values.get(n)!;
    });
  };
  const byPrefix = new Map(Object.values(snippets).map((s) => [s.prefix, expand(s.body)]));
  assert.ok(byPrefix.has('libvirt-cpu-host-model'));
  const cases: Array<[string, string]> = [
    ...['libvirt-cpu-host-model', 'libvirt-cpu-host-passthrough', 'libvirt-cpu-custom', 'libvirt-cpu-maximum', 'libvirt-cputune-realtime', 'libvirt-vcpus-hotplug', 'libvirt-numatune']
      .map((p): [string, string] => [p, byPrefix.get(p)!]),
    ['libvirt-numa-cells + libvirt-cputune-numa-pinning', `${byPrefix.get('libvirt-cputune-numa-pinning')}\n<cpu>${byPrefix.get('libvirt-numa-cells')}</cpu>`],
  ];
  for (const [name, body] of cases) {
    const errs = diagnose(domain(body)).filter((f) => f.severity === 'error');
    assert.deepEqual(errs.map((f) => f.upstream ?? f.explanation), [], name);
  }
});

test('model and feature names are case-sensitive to libvirt', () => {
  const text = domain("  <cpu mode='custom'>\n    <model>haswell</model>\n    <feature policy='require' name='VMX'/>\n  </cpu>");
  const fs = diagnose(text);
  const model = byCode(fs, 'libvirt/cpu-model-unknown')!;
  assert.equal(model.upstream, 'internal error: Unknown CPU model haswell');
  assert.match(applyFix(text, model), /<model>Haswell<\/model>/);
  const feature = fs.find((f) => f.upstream === 'unsupported configuration: unknown CPU feature: VMX')!;
  assert.match(applyFix(text, feature), /name='vmx'/);
});

test('hover on a cpuset shows what libvirt makes of it; symbols list our blocks', () => {
  assert.match(hover(domain("  <cputune><vcpupin vcpu='0' cpuset='^2,0-|3'/></cputune>")), /\*\*4 host CPUs\*\*: 0, 1, 2, 3/);
  assert.match(hover(domain("  <cputune><vcpupin vcpu='0' cpuset='0-3,^|2'/></cputune>")), /\*\*3 host CPUs\*\*: 0, 1, 3/);
  const text = domain("  <cputune>\n    <vcpupin vcpu='0' cpuset='1'/>\n  </cputune>\n  <cpu mode='host-model'/>");
  const k = knowledge();
  const m = svc.parse(text, new LineIndex(text), k);
  assert.deepEqual(svc.symbols!(m).map((s) => s.name), ['vcpu', 'cputune', 'cpu']);
  assert.ok(svc.folding!(m).some((f) => f.startLine === 5));
});

test('every quick fix removes the finding it is attached to', () => {
  const docs = [
    domain("  <cpu mode='host-passthrough' match='exact'>\n    <model>Haswell</model>\n    <vendor>Intel</vendor>\n  </cpu>"),
    domain("  <cpu>\n    <vendor>Intel</vendor>\n    <topology sockets='1' cores='2' threads='1'/>\n  </cpu>"),
    domain("  <cpu mode='custom'>\n    <model>Skylake-Servr</model>\n    <feature policy='require' name='vmx'/>\n    <feature policy='require' name='vmx'/>\n    <feature name='sse4-2'/>\n  </cpu>"),
    domain("  <vcpu placment='auto' cpuset='0-3' current='9'>4</vcpu>\n  <cputune>\n    <vcpupin vcpu='0' cpuset='1'/>\n    <vcpupin vcpu='0' cpuset='2'/>\n    <vcpupin vcpu='7' cpuset='2'/>\n    <quota>-5</quota>\n    <vcpusched vcpus='0' scheduler='fifo'/>\n  </cputune>"),
    domain("  <cpu>\n    <topologie sockets='1' cores='4' threads='1'/>\n    <numa>\n      <cell id='0' cpus='0' memory='524288'/>\n      <cell id='1' cpus='1' memory='262144'/>\n    </numa>\n  </cpu>\n  <numatune>\n    <memory mode='strict'/>\n  </numatune>", { type: 'qemu' }),
  ];
  let applied = 0;
  for (const text of docs) {
    const before = diagnose(text);
    for (const f of before.filter((x) => x.fixes?.length)) {
      const after = diagnose(applyFix(text, f));
      const count = (fs: Finding[]) => fs.filter((x) => x.code === f.code).length;
      assert.ok(count(after) < count(before), `${f.code}: "${f.fixes![0].title}" did not remove it`);
      applied++;
    }
  }
  assert.ok(applied >= 15, `only ${applied} fixes exercised`);
});

test('libvirt 9.0: models and features newer than its cpu_map fail at start', () => {
  const text = domain("  <cpu mode='custom'>\n    <model>Skylake-Server-v4</model>\n    <feature policy='require' name='sha512'/>\n  </cpu>");
  const old = diagnose(text, '9.0');
  const model = byCode(old, 'libvirt/cpu-model-too-new')!;
  assert.equal(model.upstream, 'internal error: Unknown CPU model Skylake-Server-v4');
  assert.match(applyFix(text, model), /<model>Skylake-Server[^-]*<\/model>|<model>Skylake-Server-IBRS<\/model>/);
  assert.equal(byCode(old, 'libvirt/cpu-feature-too-new')!.upstream, 'unsupported configuration: unknown CPU feature: sha512');
  const now = diagnose(text, '12.8');
  assert.equal(byCode(now, 'libvirt/cpu-model-too-new'), undefined);
  assert.equal(byCode(now, 'libvirt/cpu-feature-too-new'), undefined);
});

test('completion under libvirt 9.0 offers only its cpu_map names', () => {
  const models = complete(domain("  <cpu mode='custom'>\n    <model>|</model>\n  </cpu>"), '9.0').map((i) => i.label);
  assert.equal(models.length, 58);
  assert.ok(models.includes('EPYC-Rome') && !models.includes('EPYC-Genoa'));
  const feats = complete(domain("  <cpu mode='custom'><model>Haswell</model><feature policy='require' name='|'/></cpu>"), '9.0').map((i) => i.label);
  assert.ok(feats.includes('vmx') && !feats.includes('sha512'));
});

test('hover on <numa> sums the cells against <vcpu> and <memory>', () => {
  const h = hover(domain("  <cpu>\n    <nu|ma>\n      <cell id='0' cpus='0-1' memory='524288'/>\n      <cell id='1' cpus='2' memory='262144'/>\n    </numa>\n  </cpu>"));
  assert.match(h, /\*\*2 cells\*\*: vCPUs 0-2 of 4; 786432 KiB of <memory> 1048576 KiB/);
  assert.match(h, /\| 1 \| 2 \| 262144 KiB \|/);
});
