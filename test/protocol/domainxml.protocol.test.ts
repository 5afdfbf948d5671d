/**
 * The bundled server (dist/server.js --stdio) on a domain XML opened as languageId `xml`:
 * diagnostics with libvirt's words, completion, hover and quick fixes keyed by code; a
 * non-domain XML gets no diagnostics. Run `npm run build` first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-protocol';
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
    const d = await c.openAndWait(uri, 'xml', DOMAIN);
    const topo = d.find((x) => x.code === 'libvirt/topology-mismatch');
    assert.ok(topo, `no topology diagnostic in ${JSON.stringify(d.map((x) => x.code))}`);
    assert.equal(topo.source, 'nova-libvirt-cpu');
    // Our first line (the point), then libvirt's words verbatim.
    assert.match(plain(topo.message), /\nunsupported configuration: CPU topology doesn't match maximum vcpu count$/);
    assert.equal(topo.range.start.line, 7);
    const spelling = d.find((x) => x.code === 'libvirt/cpu-feature-qemu-spelling')!;
    assert.match(plain(spelling.message), /unknown CPU feature: sse4-1/);

    // Quick fixes come back for the diagnostic's range, keyed by its code.
    const actions = await c.codeActions(uri, topo.range, [topo]);
    const fix = actions.find((a) => /sockets='2'/.test(a.title));
    assert.ok(fix, `no topology fix in ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(fix.edit!.changes![uri][0].newText, '2');
    const rename = await c.codeActions(uri, spelling.range, [spelling]);
    assert.ok(rename.some((a) => a.title === "Rename to 'sse4.1'"));

    // Completion of CPU models inside <model>.
    assert.ok((await c.completion(uri, 6, 30)).some((i) => i.label === 'Skylake-Server'));

    // Hover on <cpu> shows the effective features.
    const hover = await c.hover(uri, 5, 4);
    assert.match((hover!.contents as MarkupContent).value, /Effective CPU features/);

    // A non-domain XML is not ours.
    const other = 'file:///tmp/pom.xml';
    assert.deepEqual(await c.openAndWait(other, 'xml', "<project><cpu><topology sockets='0'/></cpu></project>"), []);
  } finally {
    await c.close();
  }
});
