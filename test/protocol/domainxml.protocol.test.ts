/**
 * The bundled server (dist/server.js --stdio) on a domain XML opened as languageId `xml`:
 * diagnostics with libvirt's words, completion, hover and quick fixes keyed by code; a
 * non-domain XML gets no diagnostics. Run `npm run build` first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, CompletionItem, CompletionList, Hover } from 'vscode-languageserver-protocol';
import { startClient } from '../support/lspClient';

/** LSP 3.18 allows markup in diagnostic messages; ours are plain strings. */
const plain = (m: string | { value: string }) => (typeof m === 'string' ? m : m.value);

const DOMAIN = `<domain type='kvm'>
  <name>web-1</name>
  <memory unit='KiB'>4194304</memory>
  <vcpu placement='static'>4</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <cpu mode='custom' match='exact'>
    <model fallback='forbid'>Haswell</model>
    <topology sockets='1' cores='2' threads='1'/>
    <feature policy='require' name='sse4-1'/>
  </cpu>
</domain>
`;

test('domain XML over LSP: diagnostics, completion, hover, quick fixes; other XML stays silent', async () => {
  const c = await startClient();
  try {
    const uri = 'file:///tmp/web-1.xml';
    const diags = c.diagnostics(uri);
    c.open(uri, 'xml', DOMAIN);
    const d = await diags;
    const topo = d.find((x) => x.code === 'libvirt/topology-mismatch');
    assert.ok(topo, `no topology diagnostic in ${JSON.stringify(d.map((x) => x.code))}`);
    assert.equal(topo.source, 'nova-libvirt-cpu');
    // Our first line (the point), then libvirt's words verbatim.
    assert.match(plain(topo.message), /\nunsupported configuration: CPU topology doesn't match maximum vcpu count$/);
    assert.equal(topo.range.start.line, 7);
    const spelling = d.find((x) => x.code === 'libvirt/cpu-feature-qemu-spelling')!;
    assert.match(plain(spelling.message), /unknown CPU feature: sse4-1/);

    // Quick fixes come back for the diagnostic's range, keyed by its code.
    const actions = await c.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri }, range: topo.range, context: { diagnostics: [topo] },
    }) as CodeAction[];
    const fix = actions.find((a) => /sockets='2'/.test(a.title));
    assert.ok(fix, `no topology fix in ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(fix.edit!.changes![uri][0].newText, '2');
    const rename = await c.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri }, range: spelling.range, context: { diagnostics: [spelling] },
    }) as CodeAction[];
    assert.ok(rename.some((a) => a.title === "Rename to 'sse4.1'"));

    // Completion of CPU models inside <model>.
    const items = await c.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 6, character: 30 } }) as CompletionItem[] | CompletionList;
    const list = Array.isArray(items) ? items : items.items;
    assert.ok(list.some((i) => i.label === 'Skylake-Server'));

    // Hover on <cpu> shows the effective features.
    const hover = await c.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 4 } }) as Hover;
    assert.match((hover.contents as { value: string }).value, /Effective CPU features/);

    // A non-domain XML is not ours.
    const other = 'file:///tmp/pom.xml';
    const none = c.diagnostics(other);
    c.open(other, 'xml', "<project><cpu><topology sockets='0'/></cpu></project>");
    assert.deepEqual(await none, []);
  } finally {
    await c.close();
  }
});
