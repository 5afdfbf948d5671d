import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startClient } from '../support/lspClient';

test('server speaks LSP over stdio: capabilities, diagnostics lifecycle, XML that is not ours, bad input', async () => {
  const c = await startClient();
  try {
    // A non-domain XML shares the xml language with us: the server must stay silent on it.
    const pom = 'file:///tmp/pom.xml';
    const pomDiags = c.diagnostics(pom);
    c.open(pom, 'xml', '<project><cpu><model>Nope</model></cpu></project>');
    assert.deepEqual(await pomDiags, []);

    // Binary junk in a nova.conf gets one clear error, not a crash.
    const bin = 'file:///tmp/nova.conf';
    const binDiags = c.diagnostics(bin, 1);
    c.open(bin, 'nova-conf', '[libvirt]\ncpu_mode = \0\0\x01');
    const d = await binDiags;
    assert.equal(d.length, 1);
    assert.equal(d[0].code, 'input/binary');
    assert.equal(d[0].source, 'nova-libvirt-cpu');

    // After an edit, the binary complaint goes away (fresh analysis per version).
    const next = c.diagnostics(bin, 2);
    c.change(bin, '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n', 2);
    assert.ok((await next).every((x) => x.code !== 'input/binary'));

    // Requests on a document we have not been given must answer, not throw.
    const hover = await c.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///nowhere/nova.conf' }, position: { line: 0, character: 0 } });
    assert.equal(hover, null);
  } finally {
    await c.close();
  }
});
