/**
 * nova.conf config sets: which files nova-compute reads together (nova.conf, nova-compute.conf,
 * nova.conf.d/*.conf sorted), and the verdicts on a file judged with the others: a later file
 * wins, each finding is reported once, in the file holding its entry, with a range in that file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, basename, join } from 'node:path';
import { analyze } from '../../server/src/analyze';
import type { Finding } from '../../server/src/core/findings';
import { configSetOf, relatedFiles } from '../../server/src/novaconf/configSet';
import { readMember } from '../../server/src/novaconf/configSetFs';
import { mkdtempSync, writeFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { knowledgeFor } from '../fixtures/novaconf/helpers';

const ROOT = '/etc/nova';

/** A fake disk: label (relative to /etc/nova) -> text. */
type Files = Record<string, string>;

const listing = (files: Files) => (dir: string) =>
  Object.keys(files).map((l) => join(ROOT, l)).filter((p) => dirname(p) === dir).map((p) => basename(p));
const reader = (files: Files) => (path: string) => files[path.slice(ROOT.length + 1)];

interface Verdict { findings: Finding[]; text: string }

/** Judges one file of the set as the fronts do: the others come through relatedFiles. */
function judge(files: Files, label: string, release = 'zed'): Verdict {
  const path = join(ROOT, label);
  const related = relatedFiles(path, listing(files), reader(files));
  const a = analyze(path, files[label], knowledgeFor(release), 'nova-conf', undefined, related)!;
  return { findings: a.findings, text: files[label] };
}

const codes = (v: Verdict, severity?: string) => v.findings.filter((f) => !severity || f.severity === severity).map((f) => f.code);

/** The text a single-line finding underlines, in the judged file. */
function underlined(v: Verdict, f: Finding): string {
  const line = v.text.split('\n')[f.range.start.line];
  assert.equal(f.range.end.line, f.range.start.line);
  return line.slice(f.range.start.character, f.range.end.character);
}

test('config set: read order is nova.conf, nova-compute.conf, then nova.conf.d/*.conf by name', () => {
  const list = (dir: string) => ({
    '/etc/nova': ['nova-compute.conf', 'api-paste.ini', 'nova.conf', 'nova-cpu.conf'],
    '/etc/nova/nova.conf.d': ['20-b.conf', '10-a.conf', '.hidden.conf', 'README', '10-A.conf'],
  } as Record<string, string[]>)[dir] ?? [];
  const expected = ['nova.conf', 'nova-compute.conf', 'nova.conf.d/10-A.conf', 'nova.conf.d/10-a.conf', 'nova.conf.d/20-b.conf'].map((l) => join(ROOT, l));
  assert.deepEqual(configSetOf('/etc/nova/nova.conf', list), { root: ROOT, members: expected, self: 0 });
  assert.deepEqual(configSetOf('/etc/nova/nova-compute.conf', list)?.self, 1);
  assert.deepEqual(configSetOf('/etc/nova/nova.conf.d/20-b.conf', list), { root: ROOT, members: expected, self: 4 });
  // Only these names form sets; other files are judged alone.
  assert.equal(configSetOf('/etc/nova/nova-cpu.conf', list), undefined);
  assert.equal(configSetOf('/etc/nova/api-paste.ini', list), undefined);
  assert.equal(configSetOf('/etc/nova/other.d/10-a.conf', list), undefined);
});

test('config set: the file itself counts even when not on disk (unsaved); missing files are left out', () => {
  const set = configSetOf('/srv/x/nova.conf.d/05-new.conf', (dir) => (dir === '/srv/x' ? ['nova-compute.conf'] : []));
  assert.deepEqual(set?.members, ['/srv/x/nova-compute.conf', '/srv/x/nova.conf.d/05-new.conf']);
  assert.deepEqual(configSetOf('/srv/x/nova.conf', () => []), { root: '/srv/x', members: ['/srv/x/nova.conf'], self: 0 });
  // Alone, or with unreadable members only: no related files, so single-file behaviour.
  assert.equal(relatedFiles('/srv/x/nova.conf', () => [], () => ''), undefined, 'alone');
  assert.deepEqual(relatedFiles('/srv/x/nova.conf', () => ['nova.conf', 'nova-compute.conf'], () => undefined), { before: [], after: [] });
  const related = relatedFiles('/etc/nova/nova-compute.conf', listing({ 'nova.conf': 'A', 'nova-compute.conf': 'B', 'nova.conf.d/1.conf': 'C' }), reader({ 'nova.conf': 'A', 'nova.conf.d/1.conf': 'C' }));
  assert.deepEqual(related, { before: [{ label: 'nova.conf', text: 'A' }], after: [{ label: 'nova.conf.d/1.conf', text: 'C' }] });
});

test('config set: cpu_mode and cpu_models split over nova.conf.d give no errors', () => {
  const files = {
    'nova.conf.d/10-mode.conf': '[libvirt]\ncpu_mode = custom\n',
    'nova.conf.d/20-models.conf': '[libvirt]\ncpu_models = Haswell\n',
  };
  assert.deepEqual(codes(judge(files, 'nova.conf.d/10-mode.conf'), 'error'), []);
  assert.deepEqual(codes(judge(files, 'nova.conf.d/20-models.conf'), 'error'), []);
  // Alone, each file still gets today's verdict.
  const alone = analyze('/etc/nova/nova.conf.d/10-mode.conf', files['nova.conf.d/10-mode.conf'], knowledgeFor('zed'), 'nova-conf')!;
  assert.ok(alone.findings.some((f) => f.code === 'nova/custom-without-models'));
});

test('config set: a conflict across files is reported once, in the file holding the entry, with its range', () => {
  const files = {
    'nova.conf.d/10-mode.conf': '[DEFAULT]\ndebug = true\n\n[libvirt]\ncpu_mode = host-model\n',
    'nova.conf.d/20-models.conf': '[libvirt]\ncpu_models = Haswell\n',
  };
  const mode = judge(files, 'nova.conf.d/10-mode.conf');
  const models = judge(files, 'nova.conf.d/20-models.conf');
  assert.deepEqual(codes(mode, 'error'), []);
  const stray = models.findings.filter((f) => f.code === 'nova/cpu-models-without-custom');
  assert.equal(stray.length, 1);
  assert.deepEqual(stray[0].range, { start: { line: 1, character: 0 }, end: { line: 1, character: 20 } });
  assert.equal(underlined(models, stray[0]), 'cpu_models = Haswell');
  assert.match(stray[0].explanation, /cpu_mode is host-model \(set in nova\.conf\.d\/10-mode\.conf\)/);
  // Fixes edit this file only: "Set cpu_mode = custom" would edit 10-mode.conf.
  assert.deepEqual(stray[0].fixes?.map((f) => f.title), ['Remove cpu_models']);
});

test('config set: the error lands in the earlier file when its entry is the one to fix', () => {
  const files = {
    'nova.conf': '[DEFAULT]\nmy_ip = 10.0.0.1\n\n[libvirt]\nvirt_type = kvm\ncpu_mode = custom\n',
    'nova.conf.d/50-models.conf': '[libvirt]\ncpu_models =\n',
  };
  const main = judge(files, 'nova.conf');
  const custom = main.findings.filter((f) => f.code === 'nova/custom-without-models');
  assert.equal(custom.length, 1);
  assert.equal(underlined(main, custom[0]), 'custom');
  assert.equal(custom[0].range.start.line, 5);
  assert.deepEqual(codes(judge(files, 'nova.conf.d/50-models.conf'), 'error'), []);
});

test('config set: a value from another file never yields a range here', () => {
  const files = {
    'nova.conf': '[libvirt]\nvirt_type = kvm\n',
    'nova.conf.d/90-late.conf': '[DEFAULT]\n\n\n\n\n\n[libvirt]\nnum_pcie_ports = 99\ncpu_mode = custom\ncpu_models = Haswell\ncpu_model_extra_flags = md_clear\n',
  };
  const main = judge(files, 'nova.conf');
  assert.deepEqual(main.findings.map((f) => f.code), []);
  const late = judge(files, 'nova.conf.d/90-late.conf');
  const range = late.findings.find((f) => f.code === 'nova/out-of-range')!;
  assert.equal(underlined(late, range), '99');
  assert.ok(late.findings.some((f) => f.code === 'nova/unknown-cpu-flag'));
});

test('config set: an entry a later file overrides gets a hint naming that file, and no error from its value', () => {
  const files = {
    'nova.conf': '[libvirt]\ncpu_mode = bogus\ncpu_models = Haswell\nnum_pcie_ports = 99\n',
    'nova-compute.conf': '[libvirt]\ncpu_mode = custom\n',
    'nova.conf.d/10-pcie.conf': '[libvirt]\nnum_pcie_ports = 16\n',
  };
  const main = judge(files, 'nova.conf');
  assert.deepEqual(codes(main, 'error'), []);
  const hints = main.findings.filter((f) => f.code === 'nova/overridden-by-later-file');
  assert.deepEqual(hints.map((h) => underlined(main, h)), ['cpu_mode', 'num_pcie_ports']);
  assert.ok(hints.every((h) => h.severity === 'hint'));
  assert.match(hints[0].explanation, /^nova-compute\.conf is read after this file and sets cpu_mode = custom/);
  assert.match(hints[1].explanation, /^nova\.conf\.d\/10-pcie\.conf /);
  // The winners get no hint, and the file read first is not "overridden" by earlier ones.
  assert.deepEqual(codes(judge(files, 'nova-compute.conf')), []);
  assert.deepEqual(codes(judge(files, 'nova.conf.d/10-pcie.conf')), []);
});

test('config set: Ubuntu layout, nova.conf then nova-compute.conf', () => {
  const files = {
    'nova.conf': '[DEFAULT]\nmy_ip = 10.0.0.1\n\n[compute]\ncpu_shared_set = 0-3\n\n[libvirt]\ncpu_mode = custom\ncpu_models = Haswell-noTSX\n',
    'nova-compute.conf': '[DEFAULT]\ncompute_driver = libvirt.LibvirtDriver\n[compute]\ncpu_dedicated_set = 2-7\n[libvirt]\nvirt_type = kvm\ncpu_mode = host-model\n',
  };
  const main = judge(files, 'nova.conf');
  const compute = judge(files, 'nova-compute.conf');
  // host-model from nova-compute.conf wins: the models in nova.conf are the problem, reported there.
  const stray = main.findings.filter((f) => f.code === 'nova/cpu-models-without-custom');
  assert.equal(stray.length, 1);
  assert.equal(underlined(main, stray[0]), 'cpu_models = Haswell-noTSX');
  assert.match(stray[0].explanation, /\(set in nova-compute\.conf\)/);
  assert.ok(main.findings.some((f) => f.code === 'nova/overridden-by-later-file' && underlined(main, f) === 'cpu_mode'));
  assert.ok(!compute.findings.some((f) => f.code === 'nova/cpu-models-without-custom'));
  // The overlap of the sets is reported on each file's own piece, once per file.
  const overlapMain = main.findings.filter((f) => f.code === 'nova/cpuset-overlap');
  const overlapCompute = compute.findings.filter((f) => f.code === 'nova/cpuset-overlap');
  assert.deepEqual(overlapMain.map((f) => underlined(main, f)), ['0-3']);
  assert.deepEqual(overlapCompute.map((f) => underlined(compute, f)), ['2-7']);
  assert.match(overlapMain[0].explanation, /also in cpu_dedicated_set \(set in nova-compute\.conf\)/);
  // Only the fix that edits this file is offered.
  assert.deepEqual(overlapMain[0].fixes?.map((f) => f.title), ['Remove 2-3 from cpu_shared_set']);
  assert.deepEqual(overlapCompute[0].fixes?.map((f) => f.title), ['Remove 2-3 from cpu_dedicated_set']);
});

test('config set: single files keep exactly today\'s findings', () => {
  const text = '[DEFAULT]\nreserved_host_cpus = 2\n[compute]\ncpu_shared_set = 0-3\ncpu_dedicated_set = 2-7\n[libvirt]\ncpu_mode = host-model\ncpu_models = Haswell\ncpu_mode = custom\n';
  const alone = analyze('/etc/nova/nova.conf', text, knowledgeFor('zed'), 'nova-conf')!.findings;
  const withEmptySibling = judge({ 'nova.conf': text, 'nova.conf.d/00-empty.conf': '# nothing\n' }, 'nova.conf').findings;
  assert.deepEqual(withEmptySibling, alone);
});

test('config set members read from disk follow the file: a rewrite or a removal is seen on the next read', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'nlc-member-')), 'nova.conf');
  writeFileSync(file, '[libvirt]\ncpu_mode = custom\n');
  assert.equal(readMember(file), '[libvirt]\ncpu_mode = custom\n');
  writeFileSync(file, '[libvirt]\ncpu_mode = none\n');
  utimesSync(file, new Date(), new Date(Date.now() + 5000));
  assert.equal(readMember(file), '[libvirt]\ncpu_mode = none\n');
  rmSync(file);
  assert.equal(readMember(file), undefined);
});
