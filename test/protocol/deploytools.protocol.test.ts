// A nova.conf a deployment tool writes, over LSP: the note on line 1, the hover on its CPU options,
// and the code action that runs set-cpu-mode (whose preview names the tool's setting).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { startClient } from '../support/lspClient';

const JUJU = '# train or later\n###############################################################################\n# [ WARNING ]\n# Configuration file maintained by Juju. Local changes may be overwritten.\n###############################################################################\n[DEFAULT]\ndebug = True\n\n[libvirt]\ncpu_mode = host-model\n';

test('generated nova.conf over LSP: nova/generated-file on line 1, hover and code action on it', async () => {
  const c = await startClient({ useHostCpuMap: false, novaRelease: 'zed' });
  try {
    const uri = 'file:///srv/juju/nova.conf';
    const ds = await c.openAndWait(uri, 'nova-conf', JUJU);
    const note = ds.find((d) => d.code === 'nova/generated-file');
    assert.ok(note, JSON.stringify(ds.map((d) => d.code)));
    assert.equal(note.range.start.line, 0);
    assert.match(String(note.message), /written by Juju .*a hand edit is overwritten at its next run/);
    const hover = (await c.hover(uri, 9, 2))?.contents as MarkupContent | undefined;
    assert.ok(hover);
    assert.match(hover.value, /juju config nova-compute cpu-mode=/);
    assert.match(hover.value, /cpu_mode/, 'the option\'s own docs stay');
    const other = (await c.hover(uri, 6, 1))?.contents as MarkupContent | undefined;
    assert.doesNotMatch(other?.value ?? '', /juju config/);
    const actions = await c.codeActions(uri, note.range, [note]);
    assert.ok(actions.some((a) => a.command?.command === 'novaLibvirtCpu.setNovaCpuMode' && /Juju/.test(a.title)), JSON.stringify(actions));
    // A plain nova.conf has none of it.
    const plain = 'file:///srv/plain/nova.conf';
    assert.ok(!(await c.openAndWait(plain, 'nova-conf', '[libvirt]\ncpu_mode = host-model\n')).some((d) => d.code === 'nova/generated-file'));
  } finally { await c.close(); }
});
