/**
 * nova.conf over the wire: the bundled server (dist/server.js --stdio, run `npm run build` first)
 * driven by a scripted client through every feature: diagnostics, completion, hover, code actions,
 * document symbols and folding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentSymbol, FoldingRange, MarkupContent } from 'vscode-languageserver-protocol';
import { startClient } from '../support/lspClient';

const text = (m: string | MarkupContent) => (typeof m === 'string' ? m : m.value);

const URI = 'file:///etc/nova/nova.conf';
const TEXT = `[DEFAULT]
reserved_host_cpus = 2

[compute]
cpu_shared_set = 0-3
cpu_dedicated_set = 2-7

[libvirt]
virt_type = kvm
cpu_mode = host-model
cpu_models = Haswell
`;

test('nova.conf over LSP: diagnostics, completion, hover, quick fix, outline, folding', async () => {
  const c = await startClient({ useHostCpuMap: false, novaRelease: 'zed' });
  try {
    const diagnostics = await c.openAndWait(URI, 'nova-conf', TEXT);
    const byCode = new Map(diagnostics.map((d) => [d.code, d]));
    const stray = byCode.get('nova/cpu-models-without-custom');
    assert.ok(stray, `got ${diagnostics.map((d) => d.code).join(', ')}`);
    assert.equal(stray.severity, 1);
    // The point first (nova-compute refuses to start), Nova's words verbatim after.
    assert.match(text(stray.message), /^cpu_models is set but cpu_mode is host-model, so nova-compute refuses to start: .*\nThe cpu_models option is not required when cpu_mode!=custom$/);
    assert.deepEqual(stray.range, { start: { line: 10, character: 0 }, end: { line: 10, character: 20 } });
    assert.ok(byCode.has('nova/cpuset-overlap'));
    assert.ok(byCode.has('nova/reserved-host-cpus-with-cpusets'));

    const items = await c.completion(URI, 9, 11);
    assert.deepEqual(items.map((i) => i.label).sort(), ['custom', 'host-model', 'host-passthrough', 'none']);

    const hover = await c.hover(URI, 9, 3);
    assert.match((hover!.contents as MarkupContent).value, /\[libvirt\] cpu_mode/);

    const actions = await c.codeActions(URI, stray.range, [stray]);
    const setCustom = actions.find((a) => a.title === 'Set cpu_mode = custom');
    assert.ok(setCustom, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.deepEqual(setCustom.edit?.changes?.[URI], [{ range: { start: { line: 9, character: 11 }, end: { line: 9, character: 21 } }, newText: 'custom' }]);

    const symbols = await c.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: URI } }) as DocumentSymbol[];
    assert.deepEqual(symbols.map((s) => s.name), ['[DEFAULT]', '[compute]', '[libvirt]']);
    assert.deepEqual(symbols[2].children?.map((s) => s.name), ['virt_type', 'cpu_mode', 'cpu_models']);

    const folding = await c.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri: URI } }) as FoldingRange[];
    assert.deepEqual(folding.map((f) => [f.startLine, f.endLine]), [[0, 1], [3, 5], [7, 10]]);

    // The fix applied as an editor would: the finding goes away in the next version.
    const fixed = TEXT.replace('cpu_mode = host-model', 'cpu_mode = custom');
    const next = c.diagnostics(URI, 2);
    c.change(URI, fixed, 2);
    assert.ok(!(await next).some((d) => d.code === 'nova/cpu-models-without-custom'));
  } finally {
    await c.close();
  }
});

test('nova.conf over LSP: the release setting changes the message', async () => {
  const c = await startClient({ useHostCpuMap: false, novaRelease: 'rocky' });
  try {
    const uri = 'file:///etc/nova/nova-compute.conf';
    const d = await c.openAndWait(uri, 'nova-conf', '[libvirt]\ncpu_mode = host-model\ncpu_model = Haswell\n');
    assert.ok(d.some((x) => x.code === 'nova/cpu-models-without-custom' && text(x.message).includes('\nA CPU model name should not be set when a host CPU model is requested')));
  } finally {
    await c.close();
  }
});
