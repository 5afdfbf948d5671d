/**
 * package.json's problem matcher `$nova-libvirt-cpu` against the real CLI's text output: every
 * line it prints is matched, to the same file, position, severity, message and code as its JSON
 * report says, so a tasks.json task running `nova-libvirt-cpu check` fills the Problems panel.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const matcher = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).contributes.problemMatchers[0];

/** VS Code's own reading of the severity group (problemMatcher.ts: Severity.fromValue, then 'hint' and 'note' as info). */
const VSCODE_SEVERITY: Record<string, string> = { error: 'error', warning: 'warning', info: 'information', hint: 'information' };

test('the problem matcher reads every finding line of `nova-libvirt-cpu check` as its JSON report has it', () => {
  // The examples have errors, warnings and information; a custom model without vmx is a hint.
  const hint = mkdtempSync(join(tmpdir(), 'nlc-matcher-'));
  writeFileSync(join(hint, 'nova.conf'), '[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = Haswell-noTSX\n');
  const run = (format: string) => spawnSync(process.execPath, ['dist/cli.js', 'check', '--no-host-cpu-map', '--format', format, 'examples', 'test/fixtures/domainxml', hint], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const text = run('text');
  const json = JSON.parse(run('json').stdout) as Array<{ file: string; diagnostics: Array<{ range: { start: { line: number; character: number } }; severity: string; code: string; message: string }> }>;
  const expected = json.flatMap((r) => r.diagnostics.map((d) => ({ file: r.file, line: d.range.start.line + 1, column: d.range.start.character + 1, severity: d.severity === 'hint' ? 'information' : d.severity, code: d.code, first: d.message.split('\n')[0] })));
  const re = new RegExp(matcher.pattern.regexp);
  const lines = text.stdout.split('\n').filter(Boolean);
  assert.ok(lines.length > 50, `only ${lines.length} lines`);
  assert.equal(lines.length, expected.length);
  const severities = new Set<string>();
  lines.forEach((line, i) => {
    const m = re.exec(line);
    assert.ok(m, `not matched: ${line}`);
    const p = matcher.pattern;
    const e = expected[i];
    assert.deepEqual(
      { file: m[p.file], line: Number(m[p.line]), column: Number(m[p.column]), severity: VSCODE_SEVERITY[m[p.severity]], code: m[p.code] },
      { file: e.file, line: e.line, column: e.column, severity: e.severity, code: e.code }, line);
    assert.ok(m[p.message].length > 0 && m[p.message].startsWith(e.first.slice(0, 40)), `${m[p.message]} vs ${e.first}`);
    severities.add(m[p.severity]);
  });
  assert.deepEqual([...severities].sort(), ['error', 'hint', 'info', 'warning'], 'every severity the CLI prints is read');
  assert.equal(matcher.owner, 'nova-libvirt-cpu');
  assert.deepEqual(matcher.fileLocation, ['autoDetect', '${workspaceFolder}']);
});
