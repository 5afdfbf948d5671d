import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(__dirname, '../../dist/cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'nlc-cli-'));
}

test('usage errors exit 2 with a clear message', () => {
  for (const args of [[], ['frobnicate'], ['check'], ['check', '--format', 'yaml', 'x'], ['check', '--bogus', 'x']]) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr + r.stdout, /Usage: nova-libvirt-cpu check/);
  }
  assert.equal(run('--help').status, 0);
  assert.match(run('--version').stdout, /^nova-libvirt-cpu \d+\.\d+\.\d+/);
});

test('unreadable and foreign files exit 2 naming the file', () => {
  const dir = scratch();
  const r = run('check', join(dir, 'missing.conf'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot read .*missing\.conf: no such file or directory/);
  writeFileSync(join(dir, 'pom.xml'), '<project/>');
  const f = run('check', join(dir, 'pom.xml'));
  assert.equal(f.status, 2);
  assert.match(f.stderr, /pom\.xml: not a nova\.conf or a libvirt domain XML/);
  if (process.getuid?.() !== 0) {
    writeFileSync(join(dir, 'nova.conf'), '[DEFAULT]\n');
    chmodSync(join(dir, 'nova.conf'), 0);
    assert.equal(run('check', join(dir, 'nova.conf')).status, 2);
  }
});

test('text and JSON reports carry file, 0-based LSP ranges, severity, code and source', () => {
  const dir = scratch();
  mkdirSync(join(dir, 'nova.conf.d'));
  writeFileSync(join(dir, 'nova.conf.d', 'bin.conf'), '[libvirt]\n\0\0');
  writeFileSync(join(dir, 'ignored.xml'), '<network/>');
  const text = run('check', dir);
  assert.equal(text.status, 1);
  assert.match(text.stdout, /nova\.conf\.d\/bin\.conf:2:1: error: .* \[input\/binary\]/);
  assert.doesNotMatch(text.stdout, /ignored\.xml/);
  const json = JSON.parse(run('check', '--format', 'json', dir).stdout);
  assert.equal(json.length, 1);
  assert.equal(json[0].file, join(dir, 'nova.conf.d', 'bin.conf'));
  assert.deepEqual(json[0].diagnostics[0].range.start, { line: 1, character: 0 });
  assert.equal(json[0].diagnostics[0].severity, 'error');
  assert.equal(json[0].diagnostics[0].source, 'nova-libvirt-cpu');
});

test('an empty file is a note, not an error (exit 0)', () => {
  const dir = scratch();
  writeFileSync(join(dir, 'nova.conf'), '');
  const r = run('check', join(dir, 'nova.conf'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /information: The file is empty/);
});

test('a broken user cpu_map is a warning and the bundled map is used', () => {
  const dir = scratch();
  writeFileSync(join(dir, 'cpu_map.xml'), '<cpus><arch name="x86"><model name="Broken"><model name="NoSuchParent"/></model>');
  writeFileSync(join(dir, 'nova.conf'), '[DEFAULT]\n');
  const r = run('check', '--no-host-cpu-map', '--cpu-map', join(dir, 'cpu_map.xml'), join(dir, 'nova.conf'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /warning: cpu_map .*cpu_map\.xml: /);
});

