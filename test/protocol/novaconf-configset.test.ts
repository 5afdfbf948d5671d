/**
 * nova.conf config sets through the language server (run `npm run build` first): it reads the
 * other members from disk but prefers the unsaved text of open ones, and re-validates the open
 * members of a set when one changes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
