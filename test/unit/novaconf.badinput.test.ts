/** Hostile input: huge files, binary junk, enormous lines, broken brackets, invalid UTF-8. No crash, clear findings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { novaConfService } from '../../server/src/novaconf/service';
import { check } from '../fixtures/novaconf/helpers';

const sample = readFileSync('test/fixtures/novaconf/nova.conf.sample', 'utf8');

test('bad input: a 5 MB nova.conf (the sample, repeated, with live values) is checked', () => {
  let text = '';
  let n = 0;
  while (text.length < 5 * 1024 * 1024) text += `${sample}\n[libvirt]\ncpu_mode = custom\ncpu_models = Haswel${n++}\n`;
  const c = check(text, 'zed');
  assert.ok(c.findings.some((f) => f.code === 'nova/unknown-cpu-model'));
  assert.ok(c.findings.some((f) => f.code === 'nova/duplicate-option'));
  // Completion still answers on the big model.
  const items = novaConfService.complete!(c.model, { line: 5, character: 0 }, c.knowledge);
  assert.ok(Array.isArray(items));
});

test('bad input: binary junk with NUL bytes is refused with one clear finding', () => {
  const junk = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 73) % 256)).join('');
  const c = check(junk);
  assert.deepEqual(c.findings.map((f) => f.code), ['input/binary']);
});

test('bad input: binary junk without NUL bytes parses into parse errors, not a crash', () => {
  const junk = Array.from({ length: 20000 }, (_, i) => String.fromCharCode(1 + ((i * 7919) % 250))).join('');
  const c = check(junk);
  assert.ok(c.findings.length > 0);
});

test('bad input: lines of 100k characters', () => {
  const long = 'x'.repeat(100_000);
  const c = check(`[libvirt]\ncpu_models = ${long}\ncpu_mode = custom\ncpu_model_extra_flags = ${'a,'.repeat(50_000)}\n[${long}]\n${long}\n`);
  assert.ok(c.findings.some((f) => f.code === 'nova/unknown-cpu-model'));
  assert.ok(c.findings.some((f) => f.code === 'nova/not-an-assignment'));
  const hover = novaConfService.hover!(c.model, { line: 1, character: 50_000 }, c.knowledge);
  assert.equal(hover, null);
});

test('bad input: a 100k-item cpuset with a huge range', () => {
  const c = check(`[compute]\ncpu_shared_set = ${Array.from({ length: 100_000 }, (_, i) => String(i * 2)).join(',')}\ncpu_dedicated_set = 0-999999999\n`);
  assert.ok(c.findings.some((f) => f.code === 'nova/cpuset-overlap'));
});

test('bad input: unbalanced brackets', () => {
  const c = check('[libvirt\ncpu_mode = custom\n]\n[[compute]]\n[\n');
  const codes = c.findings.map((f) => f.code);
  assert.ok(codes.includes('nova/section-not-closed'));
  assert.ok(codes.includes('nova/not-an-assignment'));
});

test('bad input: invalid UTF-8 (decoded as U+FFFD) is reported, the rest is checked', () => {
  const bytes = Buffer.concat([Buffer.from('[libvirt]\ncpu_mode = cust'), Buffer.from([0xff, 0xfe]), Buffer.from('om\n')]);
  const c = check(new TextDecoder('utf-8').decode(bytes));
  const codes = c.findings.map((f) => f.code);
  assert.ok(codes.includes('input/invalid-utf8'));
  assert.ok(codes.includes('nova/invalid-choice'));
});

test('bad input: empty and whitespace-only files', () => {
  assert.deepEqual(check('').findings.map((f) => f.code), ['input/empty']);
  assert.deepEqual(check('\n\n   \n').findings.map((f) => f.code), ['input/empty']);
});

test('bad input: 3,000 random near-nova.conf texts never throw, and every range lies inside the text', () => {
  let s = 12345;
  const rnd = (n: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % n);
  const PIECES = ['[libvirt]', '[compute]', '[DEFAULT]', '[default]', '[', ']', 'cpu_mode', 'cpu_models', 'cpu_model_extra_flags', 'virt_type',
    'cpu_shared_set', 'cpu_dedicated_set', 'vcpu_pin_set', 'reserved_host_cpus', '=', ':', ' ', '  ', '\t', '\n', '\r\n', '#', ';', ',', '^', '-', '+',
    '0-3', '4', 'custom', 'host-model', 'none', 'kvm', 'lxc', 'Haswell', 'max', 'vmx', '"', "'", '\uFFFD', 'é', '٣', '1_0', '\u2028'];
  for (let i = 0; i < 3000; i++) {
    let text = '';
    const n = rnd(60);
    for (let k = 0; k < n; k++) text += PIECES[rnd(PIECES.length)];
    const c = check(text, ['', 'zed', 'rocky', 'queens', 'banana'][i % 5]);
    const lines = c.model?.lines;
    for (const f of c.findings) {
      assert.ok(f.range.start.line <= f.range.end.line, `${f.code} in ${JSON.stringify(text)}`);
      if (lines) assert.ok(f.range.end.line < lines.lineCount, `${f.code} beyond the text in ${JSON.stringify(text)}`);
      for (const fix of f.fixes ?? []) assert.ok(fix.edits.length > 0);
    }
    if (c.model) {
      const pos = { line: rnd(lines!.lineCount), character: rnd(20) };
      novaConfService.complete!(c.model, pos, c.knowledge);
      novaConfService.hover!(c.model, pos, c.knowledge);
      novaConfService.symbols!(c.model);
      novaConfService.folding!(c.model);
    }
  }
});
