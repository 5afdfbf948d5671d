/**
 * The hostile nova.conf inputs of issue 7 (bench/novaconf.inputs.ts, the sizes the issue measured):
 * each analysis completes (in a child process, killed if it hangs), its findings are the right
 * ones, and they are bounded: at most MAX_PER_CODE per code plus a note with the true count, and
 * no finding quotes a whole value. Speed is measured in bench/novaconf.hostile.bench.ts, not here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_PER_CODE } from '../../server/src/core/findingCap';
import { HOSTILE, KNOWN_MODELS } from '../../bench/novaconf.inputs';
import type { HostileSummary } from '../support/novaconfHostileChild';
import { applyEdits, check, rangeText } from '../fixtures/novaconf/helpers';
import { MAX_SCANNED_LINES } from '../../server/src/novaconf/scan';
import { MAX_LIST_ITEMS } from '../../server/src/novaconf/values';

/** Generous: the machine may be shared; a hang is what this catches, not slowness. */
const KILL_AFTER_MS = 180_000;

function run(name: string): HostileSummary {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/support/novaconfHostileChild.ts', name], {
    encoding: 'utf8', timeout: KILL_AFTER_MS, killSignal: 'SIGKILL', maxBuffer: 64 << 20,
  });
  assert.equal(r.error, undefined, `${name}: ${r.error?.message}`);
  assert.equal(r.status, 0, `${name} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as HostileSummary;
}

/** How many findings of `code` there were in all: the note's count, or the kept ones when none was cut. */
function total(s: HostileSummary, code: string): number {
  const note = s.notes.find((n) => n.includes(` more ${code} findings `));
  if (!note) return s.kept[code] ?? 0;
  const m = /^(\d+) more \S+ findings are not shown \((\d+) in all\)/.exec(note)!;
  assert.equal(Number(m[2]) - Number(m[1]), MAX_PER_CODE, note);
  return Number(m[2]);
}

const EXPECT: Record<string, (s: HostileSummary) => void> = {
  // The inputs longer than MAX_SCANNED_LINES (120,000) are judged on their first lines, and the cut is said.
  '150k duplicate keys': (s) => {
    // Line 1 is the header: lines 2..MAX_SCANNED_LINES set it, all but the last one in vain.
    assert.equal(total(s, 'nova/duplicate-option'), MAX_SCANNED_LINES - 2);
    assert.match(s.first['nova/duplicate-option'].explanation, new RegExp(`set again on line ${MAX_SCANNED_LINES} \\(value 'custom'\\)`));
    assert.equal(s.kept['nova/custom-without-models'], 1);
    assert.match(s.first['input/too-many-lines'].explanation, /^Only the first 120,000 lines are checked; the 30,001 lines from here on are not read/);
  },
  '200k duplicate sections': (s) => {
    assert.equal(total(s, 'nova/duplicate-option'), MAX_SCANNED_LINES / 2 - 1);
    assert.match(s.first['nova/duplicate-option'].explanation, new RegExp(`set again on line ${MAX_SCANNED_LINES} \\(value 'kvm'\\)`));
    assert.match(s.first['input/too-many-lines'].explanation, /^Only the first 120,000 lines are checked; the 280,000 lines from here on are not read/);
  },
  '60k unknown flags': (s) => {
    assert.equal(total(s, 'nova/unknown-cpu-flag'), 60_000);
    const f = s.first['nova/unknown-cpu-flag'];
    // Nova's one message for the whole list: its head, cut, then the rest of Nova's text.
    assert.match(f.upstream!, /^Configured CPU model: Haswell and CPU Flags \['flag0', 'flag1', .*… \(\d+ characters\) ar not compatible with host CPU\./);
    assert.deepEqual(s.covered['nova/unknown-cpu-flag'], ['flag0', 'flag1', 'flag2', 'flag3', 'flag4']);
  },
  '8k cpu_models': (s) => {
    // Every repeat is hidden by its model's first listing; none of the first listings is hidden.
    assert.equal(total(s, 'nova/cpu-models-order'), 8_000 - KNOWN_MODELS.length);
    assert.deepEqual(s.covered['nova/cpu-models-order'], KNOWN_MODELS.slice(0, 5));
  },
  '52k cpu_models': (s) => {
    assert.equal(total(s, 'nova/cpu-models-order'), 52_000 - KNOWN_MODELS.length);
    assert.match(s.first['nova/cpu-models-order'].explanation, /^Nehalem adds nothing over Nehalem listed before it/);
  },
  '52k unknown cpu_models': (s) => {
    assert.equal(total(s, 'nova/unknown-cpu-model'), 52_000);
    assert.match(s.first['nova/unknown-cpu-model'].explanation, /no CPU model 'Haswel0'.* Did you mean Haswell/);
  },
  '100k continuation lines': (s) => {
    assert.equal(total(s, 'nova/unknown-cpu-flag'), 100_000);
    assert.deepEqual(s.covered['nova/unknown-cpu-flag'], ['flag0', 'flag1', 'flag2', 'flag3', 'flag4']);
    assert.equal(s.first['nova/unknown-cpu-flag'].range.start.line, 5);
  },
  '100k key-like continuation lines': (s) => {
    assert.equal(total(s, 'nova/continuation-line'), 100_000);
    assert.equal(s.covered['nova/continuation-line'][0], 'option0 = 0');
  },
  '100k unknown keys': (s) => {
    assert.equal(total(s, 'nova/unknown-option'), 100_000);
    assert.match(s.first['nova/unknown-option'].explanation, /^\[libvirt\] cpu_mod0 is silently ignored.* Did you mean cpu_mode\?/);
  },
  '100k misspelt sections': (s) => {
    // Two lines a section: the first MAX_SCANNED_LINES / 2 sections are read.
    assert.equal(total(s, 'nova/unknown-section'), MAX_SCANNED_LINES / 2);
    assert.match(s.first['nova/unknown-section'].explanation, /no \[libvirtt0\] section.* Did you mean \[libvirt\]\?/);
    // [libvirtt0]..[libvirtt9] are near-misses of [libvirt]: their keys are covered by the section's finding.
    assert.equal(total(s, 'nova/option-in-wrong-section'), MAX_SCANNED_LINES / 2 - 10);
    assert.match(s.first['input/too-many-lines'].explanation, /^Only the first 120,000 lines are checked; the 80,000 lines from here on are not read/);
  },
  'cpusets: 0-4294967295 against 100k CPUs': (s) => {
    // The dedicated range and every shared CPU overlap.
    assert.equal(total(s, 'nova/cpuset-overlap'), 100_001);
    assert.match(s.first['nova/cpuset-overlap'].explanation, /^CPUs 0,2,4,.*,… \(100000 CPUs in all\) are also in cpu_shared_set/);
  },
  'cpusets: 100k ^N exclusions': (s) => {
    // Only the odd CPUs 1..99 are left in common: reported on the range and on 1-99.
    assert.equal(total(s, 'nova/cpuset-overlap'), 2);
    assert.match(s.first['nova/cpuset-overlap'].explanation, /^CPUs 1,3,5,.*,… \(50 CPUs in all\) are also in/);
  },
  'a bad choice before 100k items': (s) => {
    // oslo.config joins a failing item to the next ones and reports the last attempt: the whole rest.
    assert.deepEqual(Object.keys(s.kept), ['nova/invalid-choice']);
    assert.match(s.first['nova/invalid-choice'].upstream!, /^Valid values are \[osapi_compute, metadata\], but found 'ec2,metadata,metadata,.*'… \(900003 characters\)$/);
  },
  'a dict of 200k pieces without a colon': (s) => {
    assert.deepEqual(Object.keys(s.kept), ['nova/invalid-value']);
    assert.equal(s.first['nova/invalid-value'].upstream, 'Value should be NAME:VALUE pairs separated by ","');
  },
  '$references fanning out 100-fold, 5 deep': (s) => {
    // Expanding $a would take 10^8 substitutions: past a budget the size of the file, the value is not judged.
    assert.equal(s.kept['nova/unknown-option'], 5);
    assert.deepEqual(Object.keys(s.kept), ['nova/unknown-option']);
  },
  '1 MB of blanks before a #': (s) => {
    assert.deepEqual(Object.keys(s.kept), ['nova/invalid-choice']);
    assert.match(s.first['nova/invalid-choice'].upstream!, /but found 'custom {994}'… \(1048583 characters\)$/);
  },
  '1 MB of commas in a list': (s) => {
    // The first MAX_LIST_ITEMS items are judged (Haswell, then empty names), and the cut is said.
    assert.equal(total(s, 'nova/unknown-cpu-model'), MAX_LIST_ITEMS - 1);
    assert.match(s.first['nova/unknown-cpu-model'].explanation, /^The list has an empty model name/);
    assert.equal(s.first['input/too-many-items'].explanation, 'cpu_models has 1,048,577 items; only the first 200,000 are checked (Nova reads them all).');
  },
};

for (const input of HOSTILE) {
  test(`hostile nova.conf: ${input.name} (was: ${input.before || 'unbounded'})`, { timeout: KILL_AFTER_MS + 10_000 }, () => {
    const s = run(input.name);
    for (const [code, n] of Object.entries(s.kept)) assert.ok(n <= MAX_PER_CODE, `${code}: ${n} kept`);
    assert.ok(s.largestFindingBytes < 4096, `largest finding ${s.largestFindingBytes} bytes`);
    assert.ok(s.jsonBytes < 1 << 20, `${s.jsonBytes} bytes of findings`);
    const expect = EXPECT[input.name];
    assert.ok(expect, `no expectation for ${input.name}`);
    expect(s);
  });
}

test('hostile nova.conf: the CLI exits 1 (errors found), not 3 (crash), on 150k duplicate keys', { timeout: KILL_AFTER_MS + 10_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nova-hostile-'));
  try {
    const file = join(dir, 'nova.conf');
    writeFileSync(file, HOSTILE.find((h) => h.name === '150k duplicate keys')!.text());
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'check', '--no-host-cpu-map', '--nova-release', 'zed', file], {
      encoding: 'utf8', timeout: KILL_AFTER_MS, killSignal: 'SIGKILL', maxBuffer: 64 << 20,
    });
    assert.equal(r.status, 1, r.stderr);
    // 200 duplicate-option warnings kept, and the too-many-lines one (the file is over MAX_SCANNED_LINES).
    assert.match(r.stderr, /1 file\(s\) checked: 1 error\(s\), 201 warning\(s\), 1 note\(s\)/);
    assert.match(r.stdout, new RegExp(`${MAX_SCANNED_LINES - 202} more nova/duplicate-option findings are not shown \\(${MAX_SCANNED_LINES - 2} in all\\)`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cpu_models order: checked per distinct model, it finds what comparing each item with every earlier one finds', () => {
  const names = ['Haswell', 'Haswell-noTSX', 'haswell-notsx-IBRS', 'Broadwell', 'Broadwell-noTSX', 'Skylake-Client', 'Skylake-Client-IBRS', 'Nehalem', 'Westmere', 'Nehalem'];
  let seed = 11;
  const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
  for (let round = 0; round < 150; round++) {
    const items = Array.from({ length: 1 + rnd(9) }, () => names[rnd(names.length)]);
    const c = check(`[libvirt]\ncpu_mode = custom\ncpu_models = ${items.join(', ')}\n`, 'zed');
    const cpu = c.knowledge.catalog;
    // The rule's reference: item j is hidden by the first earlier item whose features include all of j's.
    const expected: string[] = [];
    items.forEach((name, j) => {
      const later = new Set(cpu.model(name)!.features);
      const hider = items.slice(0, j).find((h) => [...later].every((f) => cpu.model(h)!.features.includes(f)));
      if (hider) expected.push(`${name} < ${hider}`);
    });
    const found = c.findings.filter((f) => f.code === 'nova/cpu-models-order')
      .map((f) => `${rangeText(c, f)} < ${/(?:over |\. )(\S+?)(?: listed before it| \()/.exec(f.explanation)![1]}`);
    assert.deepEqual(found, expected, items.join(", "));
    // The fix moves the hidden model to the front and keeps every other item in place.
    for (const f of c.findings.filter((x) => x.code === 'nova/cpu-models-order' && x.fixes?.length)) {
      const moved = rangeText(c, f);
      const after = /cpu_models = (.*)\n/.exec(applyEdits(c, f.fixes![0].edits))![1].split(',').map((x) => x.trim());
      const at = c.model.lines.offsetAt(f.range.start);
      const index = c.text.slice(0, at).split(',').length - 1;
      assert.deepEqual(after, [moved, ...items.filter((_, k) => k !== index)], items.join(', '));
    }
  }
});

test('past the limits, what was not judged is said once, where it starts', { timeout: 120_000 }, () => {
  const lines = `[libvirt]\nvirt_type = kvm\n${'cpu_mode = custom\n'.repeat(MAX_SCANNED_LINES)}cpu_models = Haswell\n`;
  const c = check(lines, 'zed');
  const cut = c.findings.filter((f) => f.code === 'input/too-many-lines');
  assert.equal(cut.length, 1);
  assert.equal(cut[0].range.start.line, MAX_SCANNED_LINES);
  assert.ok(cut[0].explanation.startsWith(`Only the first ${MAX_SCANNED_LINES.toLocaleString('en-US')} lines are checked; the 3 lines from here on are not read`), cut[0].explanation);
  // cpu_models is past the limit, so the verdict is the partial one the note warns about.
  assert.ok(c.findings.some((f) => f.code === 'nova/custom-without-models'));

  const items = check(`[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = Haswell\ncpu_model_extra_flags = ${Array.from({ length: MAX_LIST_ITEMS + 5 }, (_, i) => `f${i}`).join(',')}\n`, 'zed');
  const long = items.findings.filter((f) => f.code === 'input/too-many-items');
  assert.equal(long.length, 1);
  assert.equal(long[0].explanation, 'cpu_model_extra_flags has 200,005 items; only the first 200,000 are checked (Nova reads them all).');
  assert.match(items.findings.find((f) => f.code === 'input/too-many-findings')!.explanation, /\(200000 in all\)/);
});
