/**
 * The domain <cpu> planner judged by libvirt 9.0 itself. Every planned result of every domain
 * XML in the libvirt corpus and the real-world set (four target modes) goes through the test
 * driver's `virsh define --validate` (schema, parser, post-parse, validate) next to its input: an
 * input libvirt accepts must stay accepted, and a plan we refuse for a define-time error of our
 * own making must be one libvirt rejects. Hand-made domains also go through virt-xml-validate.
 * Without virsh it skips, unless CI_REQUIRE_ORACLES=1, where it fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planDomainCpuMode } from '../../server/src/ops/domainCpuPlan';
import type { DomainCpuChange } from '../../server/src/ops/types';
import { knowledgeFor } from '../fixtures/novaconf/helpers';
import { SHARED_DATA, sharedDataSkip } from '../support/ops';

const haveVirsh = spawnSync('virsh', ['--version']).status === 0 && spawnSync('virt-xml-validate', ['--help']).error === undefined;
const skip = haveVirsh || process.env.CI_REQUIRE_ORACLES === '1' ? false : 'virsh / virt-xml-validate not installed (libvirt-clients)';
/** Judged as libvirt 9.0 (the oracle's version). */
const knowledge = { ...knowledgeFor(''), settings: { ...knowledgeFor('').settings, libvirtVersion: '9.0' } };

const CHANGES: DomainCpuChange[] = [{ mode: 'host-passthrough' }, { mode: 'host-model' }, { mode: 'maximum' }, { mode: 'custom', model: 'Haswell-noTSX' }];

function corpus(): string[] {
  const out: string[] = [];
  for (const sub of ['libvirt-corpus/qemuxmlconfdata', 'libvirt-corpus/genericxml2xmlindata', 'realworld/libvirt']) {
    const dir = join(SHARED_DATA, sub);
    for (const n of readdirSync(dir).sort()) if (n.endsWith('.xml')) out.push(join(dir, n));
  }
  return out;
}

/**
 * The oracle's copy gets a unique <name> and no <uuid>, so one virsh process defines many (the
 * same on both sides). A UUID can also come from <sysinfo>: each batch holds one copy per input.
 */
function forOracle(xml: string, name: string): string {
  return xml.replace(/<uuid>[^<]*<\/uuid>/, '').replace(/<name>[^<]*<\/name>/, `<name>${name}</name>`);
}

/** `virsh -c test:///empty-node define --validate` per file, in batches: name -> error (absent = accepted). */
function testDriver(dir: string, names: string[]): Map<string, string> {
  const node = join(dir, 'testnode-empty.xml');
  writeFileSync(node, '<node></node>\n');
  const rejected = new Map<string, string>();
  const accepted = new Set<string>();
  const batch = (part: string[]) => {
    const r = spawnSync('virsh', ['-c', `test://${node}`, part.map((n) => `define --validate ${join(dir, `${n}.xml`)}`).join('; ')], { encoding: 'utf8', maxBuffer: 1 << 26 });
    for (const m of r.stdout.matchAll(/Domain '([\w-]+)' defined/g)) accepted.add(m[1]);
    const lines = r.stderr.split('\n');
    lines.forEach((l, i) => {
      const m = /^error: Failed to define domain from .*\/([\w-]+)\.xml$/.exec(l);
      if (m) rejected.set(m[1], (lines[i + 1] ?? '').replace(/^error: /, ''));
    });
  };
  for (let b = 0; b < names.length; b += 150) batch(names.slice(b, b + 150));
  // virsh stops a script at a crash of the in-process driver: ask again one by one.
  for (const n of names.filter((x) => !accepted.has(x) && !rejected.has(x))) {
    batch([n]);
    if (!accepted.has(n) && !rejected.has(n)) rejected.set(n, 'virsh gave no verdict');
  }
  return rejected;
}

test('planDomainCpuMode results on the corpus: libvirt 9.0 accepts what it accepted, and rejects what we refuse', { skip: skip || sharedDataSkip('libvirt-corpus'), timeout: 600000 }, () => {
  if (!haveVirsh) assert.fail('CI_REQUIRE_ORACLES=1 but virsh / virt-xml-validate are missing');
  const dir = mkdtempSync(join(tmpdir(), 'ops-libvirt-'));
  try {
    const jobs: Array<{ what: string; before: string; after: string; refusedFor: string[] }> = [];
    const batches: string[][] = [[], ...CHANGES.map(() => [])];
    corpus().forEach((f, i) => {
      const xml = readFileSync(f, 'utf8');
      if (!/<domain[\s>]/.test(xml)) return;
      writeFileSync(join(dir, `p${i}b.xml`), forOracle(xml, `p${i}b`));
      batches[0].push(`p${i}b`);
      CHANGES.forEach((change, c) => {
        // Nova-managed domains too: libvirt judges the XML, whoever manages it.
        const plan = planDomainCpuMode(xml, { ...change, answers: { 'apply-to-nova-managed': true } }, knowledge, f);
        const after = plan.edits[0]?.after;
        if (!after) return;
        const ours = plan.findings.filter((x) => x.severity === 'error' && !x.preexisting && (x.stage === 'define' || x.stage === 'schema'));
        if (plan.refused && !ours.length) return; // refused for the input's own errors
        const n = `p${i}x${c}`;
        writeFileSync(join(dir, `${n}.xml`), forOracle(after, n));
        batches[c + 1].push(n);
        jobs.push({ what: `${f} -> ${JSON.stringify(change)}`, before: `p${i}b`, after: n, refusedFor: ours.map((x) => `${x.code}: ${x.upstream ?? x.explanation}`) });
      });
    });
    const verdicts = new Map(batches.flatMap((names) => [...testDriver(dir, names)]));
    let kept = 0; let sharedRefusals = 0; const problems: string[] = [];
    for (const j of jobs) {
      const was = verdicts.get(j.before);
      const now = verdicts.get(j.after);
      if (j.refusedFor.length) {
        if (now === undefined) problems.push(`${j.what}: we refuse (${j.refusedFor.join('; ')}), libvirt accepts`);
        else sharedRefusals++;
        continue;
      }
      if (was !== undefined) continue; // libvirt rejected the input already: not ours to judge
      if (now !== undefined) problems.push(`${j.what}: libvirt rejects the result: ${now}`);
      else kept++;
    }
    console.log(`# ${jobs.length} planned results judged by libvirt 9.0's test driver: ${kept} accepted as their input was, ${sharedRefusals} refused by both, ${problems.length} problems`);
    assert.deepEqual(problems, []);
    assert.ok(kept > 500, `only ${kept} results judged`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const HAND_MADE = [
  "<cpu mode='custom' match='exact' check='partial'><model fallback='allow'>Haswell-noTSX</model><vendor>Intel</vendor><topology sockets='1' dies='1' cores='2' threads='2'/><feature policy='require' name='vmx'/><numa><cell id='0' cpus='0-3' memory='1048576' unit='KiB'/></numa></cpu>",
  "<cpu mode='host-passthrough' check='none' migratable='on'><cache mode='passthrough'/><topology sockets='1' cores='4' threads='1'/></cpu>",
  "<cpu mode='host-model' check='partial'/>",
  "<cpu><topology sockets='2' cores='2' threads='1'/></cpu>",
  "<cpu mode='maximum' migratable='off'><feature policy='disable' name='pcid'/><maxphysaddr mode='emulate' bits='42'/></cpu>",
  '',
];

test('planDomainCpuMode on hand-made domains: virt-xml-validate and define --validate accept every result', { skip }, () => {
  if (!haveVirsh) assert.fail('CI_REQUIRE_ORACLES=1 but virsh / virt-xml-validate are missing');
  const dir = mkdtempSync(join(tmpdir(), 'ops-libvirt-hand-'));
  try {
    const names: string[] = [];
    HAND_MADE.forEach((cpu, i) => CHANGES.forEach((change, c) => {
      const xml = `<domain type='kvm'>\n  <name>h${i}x${c}</name>\n  <memory unit='KiB'>1048576</memory>\n  <vcpu>4</vcpu>\n  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n  </os>\n  <features>\n    <acpi/>\n  </features>\n  ${cpu}\n</domain>\n`;
      const plan = planDomainCpuMode(xml, change, knowledge);
      assert.equal(plan.refused, undefined, `${cpu} -> ${change.mode}: ${plan.refused}`);
      const n = `h${i}x${c}`;
      writeFileSync(join(dir, `${n}.xml`), plan.edits[0]?.after ?? xml);
      names.push(n);
      const v = spawnSync('virt-xml-validate', [join(dir, `${n}.xml`), 'domain'], { encoding: 'utf8' });
      assert.equal(v.status, 0, `${cpu} -> ${change.mode}: virt-xml-validate: ${v.stdout}${v.stderr}`);
    }));
    assert.deepEqual([...testDriver(dir, names)], []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
