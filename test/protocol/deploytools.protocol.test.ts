// A nova.conf a deployment tool writes, over LSP: the note on line 1, the hover on its CPU options,
// and the code action that runs set-cpu-mode (whose preview names the tool's setting).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startClient } from '../support/lspClient';

const JUJU = '# train or later\n###############################################################################\n# [ WARNING ]\n# Configuration file maintained by Juju. Local changes may be overwritten.\n###############################################################################\n[DEFAULT]\ndebug = True\n\n[libvirt]\ncpu_mode = host-model\n';

test('generated nova.conf over LSP: nova/generated-file on line 1, hover and code action on it', async () => {
  const c = await startClient({ useHostCpuMap: false, novaRelease: 'zed' });
  try {
    const uri = 'file:///srv/juju/nova.conf';
    const diags = c.diagnostics(uri);
    c.open(uri, 'nova-conf', JUJU);
    const ds = await diags;
    const note = ds.find((d) => d.code === 'nova/generated-file');
    assert.ok(note, JSON.stringify(ds.map((d) => d.code)));
    assert.equal(note.range.start.line, 0);
    assert.match(String(note.message), /written by Juju .*a hand edit is overwritten at its next run/);
    const hover = await c.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 2 } }) as { contents: { value: string } } | null;
    assert.ok(hover);
    assert.match(hover.contents.value, /juju config nova-compute cpu-mode=/);
    assert.match(hover.contents.value, /cpu_mode/, 'the option\'s own docs stay');
    const other = await c.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 1 } }) as { contents: { value: string } } | null;
    assert.doesNotMatch(other?.contents.value ?? '', /juju config/);
    const actions = await c.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: note.range, context: { diagnostics: [note] } }) as Array<{ title: string; command?: { command: string } }>;
    assert.ok(actions.some((a) => a.command?.command === 'novaLibvirtCpu.setNovaCpuMode' && /Juju/.test(a.title)), JSON.stringify(actions));
    // A plain nova.conf has none of it.
    const plain = 'file:///srv/plain/nova.conf';
    const pd = c.diagnostics(plain);
    c.open(plain, 'nova-conf', '[libvirt]\ncpu_mode = host-model\n');
    assert.ok(!(await pd).some((d) => d.code === 'nova/generated-file'));
  } finally { await c.close(); }
});
