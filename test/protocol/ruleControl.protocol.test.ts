/**
 * Per-rule control and code links over the wire (the bundled server and CLI): diagnostics link to
 * their rules-reference entry, the severity setting applies, suppression quick fixes come back,
 * and the CLI takes --severity and lists the codes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startClient } from '../support/lspClient';
import { allCodes } from '../../server/src/codes';

const CLI = resolve(__dirname, '../../dist/cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
const URI = 'file:///tmp/rule-control/nova.conf';
const TEXT = '[libvirt]\ncpu_mode = host-passthrough\ncpu_mdoe = x\n';

test('diagnostics link to their entry in the shipped rules reference, and honour the severity setting', async () => {
  const c = await startClient({ useHostCpuMap: false, diagnostics: { severity: { 'nova/host-passthrough-migration': 'hint', 'nova/unknown-option': 'off' } } });
  try {
    const d = await c.openAndWait(URI, 'nova-conf', TEXT);
    assert.deepEqual(d.map((x) => [x.code, x.severity]), [['nova/host-passthrough-migration', 4]]);
    const href = d[0].codeDescription!.href;
    // dist/server.js links into docs/rules/ beside it: the file the .vsix ships.
    assert.equal(fileURLToPath(href.split('#')[0]), resolve(__dirname, '../../docs/rules/nova.md'));
    const line = Number(href.split('#L')[1]);
    assert.equal(readFileSync(fileURLToPath(href.split('#')[0]), 'utf8').split('\n')[line - 1], '## nova/host-passthrough-migration');

    const actions = await c.codeActions(URI, d[0].range, [d[0]]);
    const line_ = actions.find((a) => a.title === 'Disable nova/host-passthrough-migration for this line');
    assert.ok(line_, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.deepEqual(line_.edit!.changes![URI], [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: '# nova-libvirt-cpu: disable-next-line=nova/host-passthrough-migration\n' }]);

    const next = c.diagnostics(URI, 2);
    c.change(URI, '[libvirt]\n# nova-libvirt-cpu: disable-next-line=nova/host-passthrough-migration\ncpu_mode = host-passthrough\n', 2);
    assert.deepEqual(await next, []);
  } finally {
    await c.close();
  }
});

test('CLI: --severity CODE=LEVEL and prefixes; a bad one is a usage error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlc-rules-'));
  const file = join(dir, 'nova.conf');
  writeFileSync(file, TEXT);
  const plain = JSON.parse(run('check', '--format', 'json', '--no-host-cpu-map', file).stdout)[0].diagnostics;
  assert.deepEqual(plain.map((x: { code: string; severity: string }) => `${x.code} ${x.severity}`), ['nova/host-passthrough-migration information', 'nova/unknown-option warning']);
  const r = run('check', '--format', 'json', '--no-host-cpu-map', '--severity', 'nova/host-*=error', '--severity', 'nova/unknown-option=off', file);
  assert.equal(r.status, 1, 'an error now');
  assert.deepEqual(JSON.parse(r.stdout)[0].diagnostics.map((x: { code: string; severity: string }) => `${x.code} ${x.severity}`), ['nova/host-passthrough-migration error']);
  for (const bad of ['nova/nope=error', 'nova/unknown-option=loud', 'nova/unknown-option']) {
    const b = run('check', '--severity', bad, file);
    assert.equal(b.status, 2, bad);
    assert.match(b.stderr, /--severity/);
  }
});

test('CLI: `codes` lists every registered code, filtered by a prefix, as text or JSON', () => {
  const all = run('codes');
  assert.equal(all.status, 0);
  assert.deepEqual(all.stdout.trimEnd().split('\n').map((l) => l.split(/\s+/)[0]), allCodes());
  const json = JSON.parse(run('codes', '--format', 'json', 'libvirt/advice-*').stdout);
  assert.deepEqual(json.map((x: { code: string }) => x.code), ['libvirt/advice-mitigation-disabled', 'libvirt/advice-nested-disabled', 'libvirt/advice-passthrough-migration']);
  assert.ok(json.every((x: { severity: string }) => x.severity === 'information'));
  assert.equal(run('codes', 'nova/nope*').status, 2);
});
