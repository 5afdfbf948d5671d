/**
 * Bounds on the work of one analysis and of the fronts' reads: the time budget (Deadline, with a
 * clock the test controls, so nothing here waits), config-set members parsed once per content,
 * unreadable members reported, and the regular-file reader.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../server/src/analyze';
import { Deadline } from '../../server/src/core/deadline';
import { readRegularFile } from '../../server/src/core/readFile';
import type { Finding } from '../../server/src/core/findings';
import { readConfigSet, relatedFiles, relatedIn } from '../../server/src/novaconf/configSet';
import { parsedMember } from '../../server/src/novaconf/configSetMembers';
import { knowledgeFor } from '../fixtures/novaconf/helpers';
import { knowledge as domainKnowledge } from './domainxml.helpers';

/** A clock that reads 0 for the first `ticks` reads after construction, then far in the future. */
function clock(ticks: number): () => number {
  let reads = -1; // the Deadline's constructor reads it once
  return () => (reads++ < ticks ? 0 : 1e12);
}

const key = (f: Finding) => `${f.code}@${f.range.start.line}:${f.range.start.character}`;

const NOVA = '[libvirt]\ncpu_mode = custom\ncpu_mode = custom\n[compute]\ncpu_shared_set = 0-3\n';
const DOMAIN = "<domain type='kvm'><name>a</name><memory>1048576</memory><vcpu>2</vcpu><cputune><vcpupin vcpu='5' cpuset='0'/></cputune><cpu mode='custom'><model>Nope</model></cpu></domain>";

for (const [kind, run] of [
  ['nova.conf', (d?: Deadline) => analyze('/tmp/x/nova-cpu.conf', NOVA, knowledgeFor('zed'), 'nova-conf', undefined, undefined, d)!.findings],
  ['domain XML', (d?: Deadline) => analyze('domain.xml', DOMAIN, domainKnowledge(), 'xml', undefined, undefined, d)!.findings],
] as const) {
  test(`${kind}: a budget that lasts gives the full findings; one that runs out midway gives a prefix and says where it stopped`, () => {
    const full = run();
    assert.ok(full.length >= 2, JSON.stringify(full.map(key)));
    assert.deepEqual(run(new Deadline(1000, () => 0)).map(key), full.map(key), 'never expires: same findings, no cut-short');
    assert.ok(!full.some((f) => f.code === 'input/analysis-cut-short'));

    let sawPartial = false;
    for (let ticks = 0; ticks < 20; ticks++) {
      const d = new Deadline(5, clock(ticks));
      const got = run(d);
      if (d.cutAt === undefined) { assert.deepEqual(got.map(key), full.map(key)); continue; }
      const cut = got.filter((f) => f.code === 'input/analysis-cut-short');
      assert.equal(cut.length, 1, 'exactly one cut-short finding');
      // Stopped in a rule, or while reading (the scan, the model, well-formedness: then no rule ran).
      assert.match(cut[0].explanation ?? '', /time budget of 5 ms, so these checks did not run: (the rule \w+ and the ones after it|(reading|indexing|checking) .*(and so |and )every rule)/);
      const rest = got.filter((f) => f.code !== 'input/analysis-cut-short').map(key);
      for (const k of rest) assert.ok(full.map(key).includes(k), `${k} is one of the full findings`);
      if (rest.length > 0 && rest.length < full.length) sawPartial = true;
    }
    assert.ok(sawPartial, 'some budget stopped between rules with part of the findings made');
  });
}

test('nova.conf: a budget that runs out inside a rule over every key stops that rule there, and says which', () => {
  const keys = 5000;
  const text = `[libvirt]\n${Array.from({ length: keys }, (_, i) => `cpu_mod${i} = custom\n`).join('')}`;
  const run = (d?: Deadline) => analyze('nova.conf', text, knowledgeFor('zed'), 'nova-conf', undefined, undefined, d)!.findings;
  // unknown-option findings in all: the cap's note has the count once there are more than it keeps.
  const unknown = (fs: Finding[]) => {
    const note = fs.find((f) => f.code === 'input/too-many-findings' && f.explanation.includes(' nova/unknown-option '));
    return note ? Number(/\((\d+) in all\)/.exec(note.explanation)![1]) : fs.filter((f) => f.code === 'nova/unknown-option').length;
  };
  assert.equal(unknown(run()), keys);
  let cutInKeys = 0;
  for (let ticks = 0; ticks < 40; ticks++) {
    const got = run(new Deadline(5, clock(ticks)));
    const cut = got.filter((f) => f.code === 'input/analysis-cut-short');
    if (!cut.length) { assert.equal(unknown(got), keys); continue; }
    assert.equal(cut.length, 1);
    if (!cut[0].explanation.includes('did not run: the rest of the rule keys and the ones after it')) continue;
    cutInKeys++;
    const n = unknown(got);
    assert.ok(n > 0 && n < keys, `${n} of ${keys} keys judged before the cut`);
  }
  assert.ok(cutInKeys > 0, 'some budget ran out inside the keys rule');
});

test('config-set members are parsed once per content and label', () => {
  let parses = 0;
  const parse = () => ({ n: ++parses });
  const text = `[libvirt]\n# unique ${Math.random()}\n`;
  const a = parsedMember('nova.conf.d/a.conf', text, parse);
  assert.equal(parsedMember('nova.conf.d/a.conf', text, parse), a);
  assert.equal(parses, 1);
    parsedMember('nova.conf.d/b.conf', text, parse);
  parsedMember('nova.conf.d/a.conf', text + ' ', parse);
  assert.equal(parses, 3, 'another label or text is another parse');
});

test('members sharing one read of their set get the same verdicts as members judged one by one', () => {
  const files: Record<string, string> = {
    '/etc/nova/nova.conf': '[libvirt]\ncpu_mode = host-model\ncpu_model = Nehalem\n[compute]\ncpu_shared_set = 0-3\n',
    '/etc/nova/nova-compute.conf': '[libvirt]\ncpu_mode = custom\n',
    '/etc/nova/nova.conf.d/10-models.conf': '[libvirt]\ncpu_models = Haswell\ncpu_model_extra_flags = +pcid\n',
    '/etc/nova/nova.conf.d/20-mode.conf': '[libvirt]\ncpu_mode = host-passthrough\n[compute]\ncpu_dedicated_set = 2-5\n',
    '/etc/nova/nova.conf.d/30-models.conf': '[libvirt]\ncpu_models = Skylake-Client\n',
  };
  const list = (dir: string) => Object.keys(files).filter((p) => p.slice(0, p.lastIndexOf('/')) === dir).map((p) => p.slice(p.lastIndexOf('/') + 1));
  const read = (p: string) => files[p];
  const set = readConfigSet('/etc/nova/nova.conf', list, read)!;
  const k = knowledgeFor('zed');
  let withFindings = 0;
  for (const path of Object.keys(files)) {
    const shared = relatedIn(set, path)!;
    assert.ok(shared.set, 'the set comes along');
    const alone = analyze(path, files[path], k, 'nova-conf', undefined, relatedFiles(path, list, read))!.findings;
    const together = analyze(path, files[path], k, 'nova-conf', undefined, shared)!.findings;
    assert.deepEqual(JSON.parse(JSON.stringify(together)), JSON.parse(JSON.stringify(alone)), path);
    if (alone.length) withFindings++;
  }
  assert.ok(withFindings >= 3, 'the set has findings to compare');
});

test('an unreadable member is left out of the set and named in a finding', () => {
  const list = (dir: string) => (dir === '/etc/nova' ? ['nova.conf', 'nova-compute.conf'] : []);
  const related = relatedFiles('/etc/nova/nova.conf', list, () => ({ unreadable: 'permission denied' }))!;
  assert.deepEqual(related, { before: [], after: [], unreadable: [{ label: 'nova-compute.conf', reason: 'permission denied' }] });
  const findings = analyze('/etc/nova/nova.conf', '[libvirt]\ncpu_mode = host-model\n', knowledgeFor('zed'), 'nova-conf', undefined, related)!.findings;
  const f = findings.find((x) => x.code === 'input/unreadable-member');
  assert.match(f?.explanation ?? '', /Could not read a file of this config set: nova-compute\.conf \(permission denied\)\..*may be wrong/);
});

test('only regular files are read: FIFOs and devices are refused at once, and the size limit holds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlc-read-'));
  writeFileSync(join(dir, 'ok.conf'), 'abc');
  const ok = readRegularFile(join(dir, 'ok.conf'), 10);
  assert.ok(ok.ok && ok.bytes.toString() === 'abc');
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  assert.deepEqual(readRegularFile(join(dir, 'fifo'), 10), { ok: false, reason: 'not a regular file (a FIFO)' });
  assert.deepEqual(readRegularFile('/dev/zero', 10), { ok: false, reason: 'not a regular file (a character device)' });
  assert.deepEqual(readRegularFile(dir, 10), { ok: false, reason: 'is a directory' });
  assert.deepEqual(readRegularFile(join(dir, 'ok.conf'), 2), { ok: false, tooLarge: 3, reason: 'too large (3 bytes; the limit is 2)' });
  assert.deepEqual(readRegularFile(join(dir, 'nope'), 2), { ok: false, reason: 'no such file or directory' });
});

test('the time budget setting: a number of ms from 0 to 60,000, else the default', async () => {
  const { normalizeSettings, defaultSettings } = await import('../../server/src/core/settings');
  assert.equal(normalizeSettings({ analysisTimeLimitMs: 200 }).analysisTimeLimitMs, 200);
  assert.equal(normalizeSettings({ analysisTimeLimitMs: 0 }).analysisTimeLimitMs, 0);
  assert.equal(normalizeSettings({ analysisTimeLimitMs: 1e9 }).analysisTimeLimitMs, 60_000);
  for (const bad of [-1, Number.NaN, '500', null]) assert.equal(normalizeSettings({ analysisTimeLimitMs: bad }).analysisTimeLimitMs, defaultSettings.analysisTimeLimitMs);
});
