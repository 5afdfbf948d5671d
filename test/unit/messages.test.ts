/**
 * Messages lead with the point (issue 10): the first line is ours and names the option or element
 * and what happens; Nova's or libvirt's exact text follows on its own line, verbatim; one finding
 * per problem.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/analyze';
import { getKnowledge } from '../../server/src/knowledge/knowledge';
import { normalizeSettings } from '../../server/src/core/settings';
import { findingMessage, upstreamTexts, type Finding } from '../../server/src/core/findings';
import { CODE_KINDS } from '../../server/src/codes';
import { exampleDocument } from '../../server/src/codes/examples';
import type { CodeInfo } from '../../server/src/codes/types';

function run(path: string, text: string, settings: Record<string, string> = {}): Finding[] {
  return analyze(path, text, getKnowledge(normalizeSettings({ useHostCpuMap: false, ...settings })))?.findings ?? [];
}
const lines = (f: Finding) => findingMessage(f).split('\n');

test('an oslo.config range error names the option and that Nova will not start, then oslo.config\'s words', () => {
  const [f] = run('nova.conf', '[libvirt]\nlive_migration_downtime = 50\n');
  assert.match(lines(f)[0], /^Nova will not start: \[libvirt\] live_migration_downtime has a value oslo.config rejects/);
  assert.deepEqual(lines(f).slice(1), ['Should be greater than or equal to 100']);
});

test('cpu_models without custom says first that nova-compute refuses to start', () => {
  const f = run('nova.conf', '[libvirt]\ncpu_mode = host-model\ncpu_models = Haswell-noTSX-IBRS\n').find((x) => x.code === 'nova/cpu-models-without-custom')!;
  assert.match(lines(f)[0], /^cpu_models is set but cpu_mode is host-model, so nova-compute refuses to start: /);
  assert.equal(lines(f)[1], 'The cpu_models option is not required when cpu_mode!=custom');
});

test('vcpu_pin_set: one finding for its line, with nova-compute\'s and oslo.config\'s warnings verbatim', () => {
  const fs = run('nova.conf', '[DEFAULT]\nvcpu_pin_set = 2-7\n');
  assert.deepEqual(fs.map((f) => f.code), ['nova/vcpu-pin-set-deprecated']);
  assert.match(lines(fs[0])[0], /^vcpu_pin_set is deprecated for removal/);
  assert.match(lines(fs[0])[1], /^The 'vcpu_pin_set' config option has been deprecated and will be removed in a future release\./);
  assert.match(lines(fs[0]).slice(2).join('\n'), /^Option "vcpu_pin_set" from group "DEFAULT" is deprecated for removal/);
  // A value nova-compute cannot parse: its error, and oslo.config's deprecation on its own.
  assert.deepEqual(run('nova.conf', '[DEFAULT]\nvcpu_pin_set = x\n').map((f) => f.code).sort(), ['nova/cpuset-syntax', 'nova/deprecated-for-removal']);
  // Before Train it was neither deprecated nor checked.
  assert.deepEqual(run('nova.conf', '[DEFAULT]\nvcpu_pin_set = 2-7\n', { novaRelease: 'stein' }).map((f) => f.code), []);
});

test('a libvirt constraint gets what libvirt does with it, then libvirt\'s words', () => {
  const f = run('d.xml', exampleDomain('<cputune>\n  <period>999</period>\n</cputune>')).find((x) => x.code === 'libvirt/cputune-range')!;
  assert.deepEqual(lines(f), ['virsh define fails: period is 1000-1000000 µs (0 = unset).', "unsupported configuration: Value of cputune 'period' must be in range [1000, 1000000]"]);
});

/** What happens, in the words rules use: Nova's and libvirt's stages, and what gets lost or ignored. */
const SAYS = /start|refus|fail|reject|ignor|no effect|lost|drop|silently|never|disappear|overwrit|trims|replac|adds|cannot|can't|not (read|used|checked)|only|reads|read as/i;

test('every registry example: the first line is ours and says what happens; upstream text is the second line, verbatim', () => {
  const problems: string[] = [];
  for (const kind of CODE_KINDS) {
    for (const [code, info] of Object.entries(kind.codes) as Array<[string, CodeInfo]>) {
      if (!info.example) continue;
      const doc = exampleDocument(kind, info.example.before);
      for (const f of run(doc.path, doc.text, info.example.settings)) {
        const [first, ...rest] = lines(f);
        if (rest.join('\n') !== upstreamTexts(f).join('\n')) problems.push(`${f.code}: upstream is not the message's tail`);
        if ((f.severity === 'error' || f.severity === 'warning') && !SAYS.test(first)) problems.push(`${f.code} (${code}'s example): "${first}"`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

function exampleDomain(children: string): string {
  return exampleDocument(CODE_KINDS.find((k) => k.language === 'xml')!, children).text;
}
