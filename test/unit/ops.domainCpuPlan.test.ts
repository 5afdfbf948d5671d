/**
 * The domain <cpu> planner: exact results per case (what each mode keeps and drops), then over
 * every domain XML of the libvirt corpus and the real-world set: whatever the target mode, the
 * bytes outside <cpu> never change and topology, NUMA cells and features are kept verbatim.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planDomainCpuMode } from '../../server/src/ops/domainCpuPlan';
import type { DomainCpuChange } from '../../server/src/ops/types';
import { scanXml, child, childrenNamed } from '../../server/src/domainxml/scan';
import { knowledgeFor } from '../fixtures/novaconf/helpers';
import { SHARED_DATA, sharedDataSkip } from '../support/ops';

const dom = (cpu: string, opts: { arch?: string; metadata?: string; eol?: string } = {}) => [
  "<domain type='kvm'>",
  '  <name>guest1</name>',
  ...(opts.metadata ? [opts.metadata] : []),
  '  <memory unit="KiB">2097152</memory>',
  '  <vcpu>4</vcpu>',
  '  <os>',
  `    <type arch='${opts.arch ?? 'x86_64'}'>hvm</type>`,
  '  </os>',
  '  <features>',
  '    <acpi/>',
  '  </features>',
  ...(cpu ? [cpu] : []),
  "  <clock offset='utc'/>",
  '</domain>',
  '',
].join(opts.eol ?? '\n');

interface Case { name: string; cpu: string; change: DomainCpuChange; after?: string; refused?: string[]; questions?: string[]; arch?: string; eol?: string }

const CUSTOM = [
  "  <cpu mode='custom' match='exact' check='partial'>",
  "    <model fallback='allow'>Haswell-noTSX</model>",
  '    <vendor>Intel</vendor>',
  "    <topology sockets='1' dies='1' cores='2' threads='2'/>",
  "    <feature policy='require' name='vmx'/>",
  '    <numa>',
  "      <cell id='0' cpus='0-3' memory='2097152' unit='KiB'/>",
  '    </numa>',
  '  </cpu>',
].join('\n');

/** CUSTOM under another mode: what every mode keeps of it, verbatim. */
const CUSTOM_KEPT = (mode: string) => [
  `  <cpu mode='${mode}'>`,
  ...CUSTOM.split('\n').filter((l) => /topology|feature|numa|cell/.test(l)),
  '  </cpu>',
].join('\n');

const cases: Case[] = [
  {
    name: 'custom -> host-passthrough: model, vendor, match, check go; topology, feature, numa stay',
    cpu: CUSTOM, change: { mode: 'host-passthrough' },
    after: CUSTOM_KEPT('host-passthrough'),
  },
  {
    name: 'custom -> maximum: as host-passthrough',
    cpu: "  <cpu mode='custom' match='exact'>\n    <model>Haswell</model>\n    <feature policy='disable' name='pcid'/>\n  </cpu>", change: { mode: 'maximum' },
    after: "  <cpu mode='maximum'>\n    <feature policy='disable' name='pcid'/>\n  </cpu>",
  },
  {
    name: 'custom -> host-model on x86: the model is asked about, removed by default (vendor with it)',
    cpu: CUSTOM, change: { mode: 'host-model' }, questions: ['remove-model'],
    after: CUSTOM_KEPT('host-model'),
  },
  {
    name: 'custom -> host-model, model kept when answered no',
    cpu: "  <cpu mode='custom' match='exact'>\n    <model fallback='allow'>Haswell</model>\n  </cpu>", change: { mode: 'host-model', answers: { 'remove-model': false } }, questions: ['remove-model'],
    after: "  <cpu mode='host-model'>\n    <model fallback='allow'>Haswell</model>\n  </cpu>",
  },
  {
    name: 'host-passthrough -> host-model: migratable and check go, self-closing stays',
    cpu: "  <cpu mode='host-passthrough' check='none' migratable='on'/>", change: { mode: 'host-model' },
    after: "  <cpu mode='host-model'/>",
  },
  {
    name: 'host-passthrough -> maximum keeps migratable',
    cpu: "  <cpu mode='host-passthrough' check='none' migratable='off'/>", change: { mode: 'maximum' },
    after: "  <cpu mode='maximum' migratable='off'/>",
  },
  {
    name: 'host-passthrough -> custom: cache passthrough goes, the model comes first, indentation followed',
    cpu: "  <cpu mode='host-passthrough' migratable='on'>\n    <cache mode='passthrough'/>\n    <topology sockets='1' cores='4' threads='1'/>\n  </cpu>",
    change: { mode: 'custom', model: 'Skylake-Client' },
    after: "  <cpu mode='custom'>\n    <model fallback='allow'>Skylake-Client</model>\n    <topology sockets='1' cores='4' threads='1'/>\n  </cpu>",
  },
  {
    name: 'host-model self-closing -> custom: opened up with the model',
    cpu: "  <cpu mode='host-model' check='partial'/>", change: { mode: 'custom', model: 'Haswell' },
    after: "  <cpu mode='custom'>\n    <model fallback='allow'>Haswell</model>\n  </cpu>",
  },
  {
    name: 'custom -> custom with another model: only the model text changes, check kept',
    cpu: "  <cpu mode='custom' match='exact' check='partial'>\n    <model fallback='forbid'>Haswell</model>\n  </cpu>", change: { mode: 'custom', model: 'Broadwell' },
    after: "  <cpu mode='custom' match='exact' check='partial'>\n    <model fallback='forbid'>Broadwell</model>\n  </cpu>",
  },
  {
    name: 'a <cpu> without mode (custom by default) gets one',
    cpu: "  <cpu>\n    <topology sockets='1' cores='4' threads='1'/>\n  </cpu>", change: { mode: 'host-passthrough' },
    after: "  <cpu mode='host-passthrough'>\n    <topology sockets='1' cores='4' threads='1'/>\n  </cpu>",
  },
  {
    name: 'comments inside <cpu> are kept',
    cpu: "  <cpu mode='custom'>\n    <!-- pinned model -->\n    <model>Haswell</model>\n  </cpu>", change: { mode: 'host-passthrough' },
    after: "  <cpu mode='host-passthrough'>\n    <!-- pinned model -->\n  </cpu>",
  },
  {
    name: 'no <cpu>: one is added after <features>',
    cpu: '', change: { mode: 'host-passthrough' },
    after: "  <cpu mode='host-passthrough'/>",
  },
  {
    name: 'no <cpu>, custom: added with the model',
    cpu: '', change: { mode: 'custom', model: 'Haswell' },
    after: "  <cpu mode='custom' match='exact'>\n    <model fallback='allow'>Haswell</model>\n  </cpu>",
  },
  {
    name: 'CRLF text: new lines use CRLF',
    cpu: "  <cpu mode='host-model'/>", change: { mode: 'custom', model: 'Haswell' }, eol: '\r\n',
    after: "  <cpu mode='custom'>\r\n    <model fallback='allow'>Haswell</model>\r\n  </cpu>",
  },
  {
    name: 'custom without a model anywhere: refused',
    cpu: "  <cpu mode='host-model'/>", change: { mode: 'custom' },
    refused: ["mode='custom' needs a CPU model"],
  },
  {
    name: 'a hostile model name: refused',
    cpu: "  <cpu mode='host-model'/>", change: { mode: 'custom', model: "Haswell</model><feature name='x'/>" },
    refused: ['is not a CPU model name'],
  },
  {
    name: 'maximum on ppc64: refused in libvirt\'s words',
    cpu: "  <cpu mode='host-model'/>", change: { mode: 'maximum' }, arch: 'ppc64le',
    refused: ['Not applied: libvirt would refuse the result', 'maximum'],
  },
];

const k = knowledgeFor('');

for (const c of cases) {
  test(`planDomainCpuMode: ${c.name}`, () => {
    const before = dom(c.cpu, { arch: c.arch, eol: c.eol });
    const plan = planDomainCpuMode(before, c.change, k, 'guest1.xml');
    assert.deepEqual(plan.questions.map((q) => q.id), c.questions ?? []);
    assert.equal(plan.novaManaged, false);
    if (c.refused) {
      assert.ok(plan.refused);
      for (const s of c.refused) assert.ok(plan.refused.includes(s), `refusal lacks ${s}:\n${plan.refused}`);
      return;
    }
    assert.equal(plan.refused, undefined, plan.refused);
    assert.equal(plan.name, 'guest1');
    const expected = c.cpu ? before.replace(c.eol ? c.cpu.replace(/\n/g, c.eol) : c.cpu, c.after!) : dom(c.after!, { arch: c.arch, eol: c.eol });
    assert.equal(plan.edits[0]?.after, expected);
  });
}

test('planDomainCpuMode: the same mode again changes nothing', () => {
  const plan = planDomainCpuMode(dom("  <cpu mode='host-passthrough'/>"), { mode: 'host-passthrough' }, k);
  assert.deepEqual(plan.edits, []);
  assert.deepEqual(plan.summary, ['nothing to change']);
});

test('planDomainCpuMode: a Nova-managed domain is flagged, asked about and refused unless answered', () => {
  const md = "  <metadata>\n    <nova:instance xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'>\n      <nova:name>vm1</nova:name>\n    </nova:instance>\n  </metadata>";
  const xml = dom("  <cpu mode='host-model'/>", { metadata: md });
  const plan = planDomainCpuMode(xml, { mode: 'host-passthrough' }, k);
  assert.equal(plan.novaManaged, true);
  assert.equal(plan.questions[0].id, 'apply-to-nova-managed');
  assert.equal(plan.questions[0].defaultAnswer, false);
  assert.match(plan.refused ?? '', /Nova-managed/);
  assert.equal(plan.edits.length, 1, 'the diff is still there to preview');
  const yes = planDomainCpuMode(xml, { mode: 'host-passthrough', answers: { 'apply-to-nova-managed': true } }, k);
  assert.equal(yes.refused, undefined);
  assert.equal(yes.novaManaged, true);
});

test('planDomainCpuMode: not a domain, or not well-formed: refused', () => {
  assert.match(planDomainCpuMode('<network/>', { mode: 'host-model' }, k).refused ?? '', /not <domain>/);
  assert.match(planDomainCpuMode("<domain><cpu mode='custom'></domain>", { mode: 'host-model' }, k).refused ?? '', /Not well-formed/);
});

/** Every domain XML of the shared corpus and real-world set. */
function corpus(): string[] {
  const out: string[] = [];
  for (const sub of ['libvirt-corpus/qemuxmlconfdata', 'libvirt-corpus/genericxml2xmlindata', 'realworld/libvirt']) {
    const dir = join(SHARED_DATA, sub);
    for (const n of readdirSync(dir)) if (n.endsWith('.xml')) out.push(join(dir, n));
  }
  return out;
}

test('planDomainCpuMode over the corpus: bytes outside <cpu> unchanged, topology/numa/features kept verbatim', { skip: sharedDataSkip('libvirt-corpus') }, () => {
  const files = corpus();
  let planned = 0;
  const changes: DomainCpuChange[] = [{ mode: 'host-passthrough' }, { mode: 'host-model' }, { mode: 'maximum' }, { mode: 'custom', model: 'Haswell-noTSX' }];
  files.forEach((f, i) => {
    const xml = readFileSync(f, 'utf8');
    const s = scanXml(xml);
    if (s.root?.name !== 'domain') return;
    const cpu = child(s.root, 'cpu');
    const kept = cpu ? [child(cpu, 'topology'), child(cpu, 'numa'), ...childrenNamed(cpu, 'feature')].filter((e) => e !== undefined).map((e) => xml.slice(e!.start, e!.end)) : [];
    // Two modes per file, all four over the corpus (each plan runs our diagnostics).
    for (const change of [changes[i % 4], changes[(i + 2) % 4]]) {
      const plan = planDomainCpuMode(xml, change, k, f);
      const after = plan.edits[0]?.after;
      if (!after) continue;
      planned++;
      const a = scanXml(after);
      const newCpu = child(a.root, 'cpu')!;
      assert.ok(newCpu, `${f} ${change.mode}: no <cpu> in the result`);
      // The old <cpu> (or, when there was none, the insertion point) and the new one cover the same bytes around them.
      const start = cpu ? cpu.start : newCpu.end - (after.length - xml.length);
      const end = cpu ? cpu.end : start;
      assert.equal(after.slice(0, start), xml.slice(0, start), `${f} ${change.mode}: prefix changed`);
      assert.equal(after.slice(start + (after.length - xml.length) + (end - start)), xml.slice(end), `${f} ${change.mode}: suffix changed`);
      const inner = after.slice(newCpu.start, newCpu.end);
      for (const piece of kept) assert.ok(inner.includes(piece), `${f} ${change.mode}: lost ${piece}`);
      assert.equal(child(a.root, 'cpu')?.attrs.find((x) => x.name === 'mode')?.value, change.mode);
    }
  });
  assert.ok(planned > 200, `only ${planned} plans made`);
});
