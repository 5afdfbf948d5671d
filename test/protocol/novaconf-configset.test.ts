/**
 * nova.conf config sets through the fronts (run `npm run build` first): the CLI reads the other
 * members from disk; the language server prefers the unsaved text of open members, and
 * re-validates the open members of a set when one changes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { startClient } from '../support/lspClient';

/** A temporary /etc/nova: label -> text. */
function novaDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nova-configset-'));
  mkdirSync(join(dir, 'nova.conf.d'));
  for (const [label, text] of Object.entries(files)) writeFileSync(join(dir, label), text);
  return dir;
}

function check(...args: string[]) {
  const r = spawnSync(process.execPath, ['dist/cli.js', 'check', '--no-host-cpu-map', '--nova-release', 'zed', '--format', 'json', ...args], { encoding: 'utf8' });
  const reports = JSON.parse(r.stdout) as Array<{ file: string; diagnostics: Array<{ code: string; severity: string; message: string; range: { start: { line: number } } }> }>;
  return { status: r.status, reports, errors: reports.flatMap((x) => x.diagnostics.filter((d) => d.severity === 'error').map((d) => ({ file: x.file.slice(x.file.lastIndexOf('nova')), ...d }))) };
}

test('cli: a split cpu_mode / cpu_models is judged as nova-compute reads it', () => {
  const dir = novaDir({
    'nova.conf.d/10-mode.conf': '[libvirt]\ncpu_mode = custom\n',
    'nova.conf.d/20-models.conf': '[libvirt]\ncpu_models = Haswell\n',
  });
  try {
    const split = check(dir);
    assert.equal(split.status, 0);
    assert.deepEqual(split.errors, []);
    // Checking one member alone still reads the others.
    assert.deepEqual(check(join(dir, 'nova.conf.d/10-mode.conf')).errors, []);

    // A later file turns the mode back: one error, in the file with the models.
    writeFileSync(join(dir, 'nova.conf.d/30-mode.conf'), '[libvirt]\ncpu_mode = host-model\n');
    const conflict = check(dir);
    assert.equal(conflict.status, 1);
    assert.deepEqual(conflict.errors.map((e) => [e.file, e.code, e.range.start.line]), [['nova.conf.d/20-models.conf', 'nova/cpu-models-without-custom', 1]]);
    assert.match(conflict.errors[0].message, /cpu_mode is host-model \(set in nova\.conf\.d\/30-mode\.conf\)/);
    const hint = conflict.reports.find((r) => r.file.endsWith('10-mode.conf'))!.diagnostics;
    assert.deepEqual(hint.map((d) => d.code), ['nova/overridden-by-later-file']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cli: other names are judged alone', () => {
  const dir = novaDir({ 'nova.conf': '[libvirt]\ncpu_mode = custom\n', 'nova-cpu.conf': '[libvirt]\ncpu_models = Haswell\n' });
  try {
    const codes = check(dir).errors.map((e) => [e.file, e.code]);
    assert.deepEqual(codes, [['nova-cpu.conf', 'nova/cpu-models-without-custom'], ['nova.conf', 'nova/custom-without-models']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nova.conf over LSP: an open member\'s unsaved text decides its sibling\'s verdict', async () => {
  const dir = novaDir({
    'nova.conf': '[libvirt]\nvirt_type = kvm\ncpu_mode = custom\n',
    'nova.conf.d/20-models.conf': '[libvirt]\ncpu_models = Haswell\n',
  });
  const uri = (label: string) => pathToFileURL(join(dir, label)).href;
  const models = uri('nova.conf.d/20-models.conf');
  const main = uri('nova.conf');
  const c = await startClient({ useHostCpuMap: false, novaRelease: 'zed' });
  const stray = (d: Diagnostic[]) => d.filter((x) => x.code === 'nova/cpu-models-without-custom');
  try {
    // nova.conf on disk says custom: no error.
    let published = c.diagnostics(models, 1);
    c.open(models, 'nova-conf', '[libvirt]\ncpu_models = Haswell\n');
    assert.deepEqual(stray(await published), []);

    // Opening nova.conf with an unsaved host-model re-validates the models file against that text.
    published = c.diagnostics(models, 1);
    c.open(main, 'nova-conf', '[libvirt]\nvirt_type = kvm\ncpu_mode = host-model\n');
    const withUnsaved = stray(await published);
    assert.equal(withUnsaved.length, 1);
    assert.deepEqual(withUnsaved[0].range, { start: { line: 1, character: 0 }, end: { line: 1, character: 20 } });
    assert.match(String(withUnsaved[0].message), /cpu_mode is host-model \(set in nova\.conf\)/);

    // An edit back to custom clears it.
    published = c.diagnostics(models, 1);
    c.change(main, '[libvirt]\nvirt_type = kvm\ncpu_mode = custom\n', 2);
    assert.deepEqual(stray(await published), []);

    // Closing the edited file falls back to the disk's text.
    published = c.diagnostics(models, 1);
    c.change(main, '[libvirt]\ncpu_mode = none\n', 3);
    assert.equal(stray(await published).length, 1);
    published = c.diagnostics(models, 1);
    c.connection.sendNotification('textDocument/didClose', { textDocument: { uri: main } });
    assert.deepEqual(stray(await published), []);
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nova.conf over LSP: a member on disk that changes is read again by the next request (the open sets look at the disk once per turn, not once per session)', async () => {
  const dir = novaDir({
    'nova.conf': '[libvirt]\nvirt_type = kvm\ncpu_mode = custom\n',
    'nova.conf.d/20-models.conf': '[libvirt]\ncpu_models = Haswell\n',
  });
  const models = pathToFileURL(join(dir, 'nova.conf.d/20-models.conf')).href;
  const c = await startClient({ useHostCpuMap: false, novaRelease: 'zed' });
  const errors = async () => (await c.connection.sendRequest<{ counts: Record<string, number> }>('novaLibvirtCpu/checkFiles', { uris: [models] })).counts.error;
  try {
    const published = c.diagnostics(models, 1);
    c.open(models, 'nova-conf', '[libvirt]\ncpu_models = Haswell\n');
    await published;
    assert.equal(await errors(), 0);
    // nova.conf is not open: only the disk says it now wants host-model, which makes the models an error.
    writeFileSync(join(dir, 'nova.conf'), '[libvirt]\nvirt_type = kvm\ncpu_mode = host-model\n');
    assert.equal(await errors(), 1);
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The same set, read in two launches' orders: a fragment's virt_type against nova-compute.conf's. */
const LAUNCH_SET = {
  'nova.conf': '[DEFAULT]\nhost = a\n',
  'nova-compute.conf': '[libvirt]\nvirt_type = qemu\n',
  'nova.conf.d/50-kvm.conf': '[libvirt]\nvirt_type = kvm\n',
};
const overridden = (reports: ReturnType<typeof check>['reports']) =>
  reports.filter((r) => r.diagnostics.some((d) => d.code === 'nova/overridden-by-later-file')).map((r) => r.file.slice(r.file.lastIndexOf('nova')));

test("cli: --launch orders the set: without arguments the fragment wins, under Debian's init script nova-compute.conf does", () => {
  const dir = novaDir(LAUNCH_SET);
  try {
    assert.deepEqual(overridden(check(dir).reports), ['nova-compute.conf'], 'default for a directory other than /etc/nova: no arguments');
    assert.deepEqual(overridden(check('--launch', 'no-arguments', dir).reports), ['nova-compute.conf']);
    const debian = check('--launch', 'debian', dir);
    assert.deepEqual(overridden(debian.reports), ['nova.conf.d/50-kvm.conf']);
    const hint = debian.reports.find((r) => r.file.endsWith('50-kvm.conf'))!.diagnostics[0];
    assert.match(hint.message, /nova-compute\.conf is read after this file and sets virt_type = qemu/);
    // nova-compute's own arguments: --config-dir after both files, so the fragment wins again.
    const own = check('--launch-arg=--config-file=/etc/nova/nova.conf', '--launch-arg=--config-file=/etc/nova/nova-compute.conf', '--launch-arg=--config-dir=/etc/nova/nova.conf.d', dir);
    assert.deepEqual(overridden(own.reports), ['nova-compute.conf']);
    const bad = spawnSync(process.execPath, ['dist/cli.js', 'check', '--launch', 'rdo', dir], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--launch must be auto, no-arguments or debian, not 'rdo'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('LSP: the setting novaConf.launch orders the open set, and a change of it re-judges the members', async () => {
  const dir = novaDir(LAUNCH_SET);
  const fragment = pathToFileURL(join(dir, 'nova.conf.d/50-kvm.conf')).href;
  const settings: Record<string, unknown> = { useHostCpuMap: false, novaRelease: 'zed', 'novaConf.launch': 'debian' };
  const c = await startClient(settings);
  const hinted = (d: Diagnostic[]) => d.filter((x) => x.code === 'nova/overridden-by-later-file').length;
  try {
    let published = c.diagnostics(fragment, 1);
    c.open(fragment, 'nova-conf', LAUNCH_SET['nova.conf.d/50-kvm.conf']);
    assert.equal(hinted(await published), 1, "Debian's order: nova-compute.conf is read after the fragment");
    published = c.diagnostics(fragment, 1);
    settings['novaConf.launch'] = 'no-arguments';
    c.connection.sendNotification('workspace/didChangeConfiguration', { settings: { novaLibvirtCpu: settings } });
    assert.equal(hinted(await published), 0, 'without arguments the fragment is read last');
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
