/**
 * The editor features of issue 10 over LSP against the bundled server (dist/server.js --stdio):
 * other programs' domain.xml stay silent, snippets and completion order, hover markdown, vendor
 * diagnostics, fix-all code actions, and the outline registered only for our documents.
 * Run `npm run build` first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MarkupContent, DocumentFilter } from 'vscode-languageserver-protocol';
import { startClient } from '../support/lspClient';
import { shownFor } from '../support/completionOrder';
import { applyTextEdits } from '../support/edits';

const OTHER = join(__dirname, '..', 'fixtures', 'other-xml');

const DOMAIN = `<domain type='kvm'>
  <name>web-1</name>
  <memory unit='KiB'>4194304</memory>
  <vcpu placement='static'>2</vcpu>
  <cputune>
${Array.from({ length: 6 }, (_, i) => `    <vcpupin vcpu='${i}' cpuset='${i}'/>`).join('\n')}
  </cputune>
  <cpu mode='custom' match='exact'>
    <model fallback='forbid'>Skylake-Server-IBRS</model>
    <feature policy='require' name='svm'/>
    <feature policy='require' name=''/>
  </cpu>
  
</domain>
`;

test('GlassFish and WildFly domain.xml: no diagnostics, completion, hover or outline', async () => {
  const c = await startClient();
  try {
    for (const name of ['glassfish-domain.xml', 'wildfly-domain.xml']) {
      const uri = `file:///srv/${name.replace('-domain', '/config/domain')}`;
      assert.deepEqual(await c.openAndWait(uri, 'xml', readFileSync(join(OTHER, name), 'utf8')), [], name);
      assert.deepEqual(await c.completion(uri, 5, 4), [], name);
      assert.equal(await c.hover(uri, 3, 2), null, name);
      assert.equal(await c.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }), null, name);
      assert.equal(await c.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri } }), null, `${name}: the editor keeps its own folding`);
    }
  } finally {
    await c.close();
  }
});

test('a libvirt domain over LSP: vendor warning with its fix, snippets where they fit, features of the vendor, hover markdown, fix-all', async () => {
  const c = await startClient();
  try {
    const uri = 'file:///tmp/web-1.xml';
    const d = await c.openAndWait(uri, 'xml', DOMAIN);
    const vendor = d.find((x) => x.code === 'libvirt/cpu-feature-wrong-vendor');
    assert.ok(vendor, JSON.stringify(d.map((x) => x.code)));
    assert.equal(vendor.range.start.line, 14);
    const fixes = await c.codeActions(uri, vendor.range, [vendor]);
    assert.ok(fixes.some((a) => a.title === 'Change to vmx' && a.edit!.changes![uri][0].newText === 'vmx'));

    // Snippets under <domain>, none of them under <cputune>.
    const top = await c.completion(uri, 17, 2);
    assert.ok(top.some((i) => i.label === 'libvirt-cpu-custom'), JSON.stringify(top.map((i) => i.label)));
    const features = await c.completion(uri, 15, 36);
    assert.equal(shownFor(features, 'vm')[0], 'vmx');
    assert.ok(!features.some((i) => i.label === 'svm'), 'AMD-V is not offered for an Intel model');

    const hover = await c.hover(uri, 12, 4);
    assert.match((hover!.contents as MarkupContent).value, /^\*\*`<cpu>`\*\* — /);

    // Fix-all on one of the 4 dropped vcpupins, and as source actions.
    const pin = d.find((x) => x.code === 'libvirt/vcpupin-out-of-range')!;
    const onPin = await c.codeActions(uri, pin.range, [pin]);
    const all = onPin.find((a) => a.title === 'Remove all 4 vcpupins beyond <vcpu>');
    assert.ok(all, JSON.stringify(onPin.map((a) => a.title)));
    assert.equal(all.kind, 'quickfix');
    const fixed = applyTextEdits(DOMAIN, all.edit!.changes![uri]);
    assert.equal((fixed.match(/<vcpupin /g) ?? []).length, 2);
    const fileStart = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const none = await c.codeActions(uri, fileStart);
    assert.deepEqual(none.map((a) => a.kind), [], 'no source actions unless asked for');
    const source = await c.codeActions(uri, fileStart, [], ['source']);
    assert.deepEqual(source.map((a) => [a.kind, a.title]), [['source.novaLibvirtCpu.fixAll', 'Remove all 4 vcpupins beyond <vcpu>'], ['source.fixAll.novaLibvirtCpu', 'Fix all safely fixable nova-libvirt-cpu problems']]);
    const onSave = await c.codeActions(uri, fileStart, [], ['source.fixAll']);
    assert.deepEqual(onSave.map((a) => a.kind), ['source.fixAll.novaLibvirtCpu']);
  } finally {
    await c.close();
  }
});

test('nova.conf over LSP: svm with an Intel model warns; vm + Enter is vmx; no snippets after key =; set options not offered', async () => {
  const c = await startClient();
  try {
    const uri = 'file:///etc/nova/nova.conf';
    const text = '[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = Skylake-Server-IBRS\ncpu_model_extra_flags = pcid,svm\n\n';
    const d = await c.openAndWait(uri, 'nova-conf', text);
    const f = d.find((x) => x.code === 'nova/cpu-flag-wrong-vendor');
    assert.ok(f, JSON.stringify(d.map((x) => x.code)));
    assert.deepEqual([f.range.start.line, f.range.start.character, f.range.end.character], [4, 29, 32]);
    const flags = await c.completion(uri, 4, 29);
    assert.equal(shownFor(flags, 'vm')[0], 'vmx');
    const afterKey = await c.completion(uri, 2, 11);
    assert.ok(afterKey.every((i) => i.kind !== 15), 'no snippet items in a value');
    const keys = await c.completion(uri, 5, 0);
    assert.ok(!keys.some((i) => i.label === 'cpu_mode') && keys.some((i) => i.label === 'nova-cpu-host-model'));
  } finally {
    await c.close();
  }
});

test('the outline is registered for nova-conf and each open libvirt domain only, when the client allows dynamic registration', async () => {
  const c = await startClient({ useHostCpuMap: false }, { textDocument: { documentSymbol: { dynamicRegistration: true } } });
  try {
    const selectors = () => [...c.registrations.values()].filter((r) => r.method === 'textDocument/documentSymbol')
      .map((r) => (r.registerOptions as { documentSelector: DocumentFilter[] }).documentSelector);
    const until = async (ok: (s: DocumentFilter[][]) => boolean) => {
      for (let i = 0; i < 200 && !ok(selectors()); i++) await new Promise((r) => setTimeout(r, 25));
      return selectors();
    };
    const init = await c.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: 'file:///none.xml' } }).catch(() => 'refused');
    assert.equal(init, null);
    assert.deepEqual(await until((s) => s.length === 1), [[{ language: 'nova-conf' }]]);
    const pom = 'file:///src/pom.xml';
    const dom = 'file:///etc/libvirt/qemu/web%201.xml';
    const done = Promise.all([c.diagnostics(pom), c.diagnostics(dom)]);
    c.open(pom, 'xml', '<project><name>x</name></project>');
    c.open(dom, 'xml', DOMAIN);
    await done;
    const withDomain = await until((s) => s.length === 1 && s[0].length === 2);
    assert.deepEqual(withDomain, [[{ language: 'nova-conf' }, { language: 'xml', scheme: 'file', pattern: '/etc/libvirt/qemu/web 1.xml' }]]);
    const symbols = await c.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: dom } }) as Array<{ name: string }>;
    assert.deepEqual(symbols.map((s) => s.name), ['vcpu', 'cputune', 'cpu']);
    c.connection.sendNotification('textDocument/didClose', { textDocument: { uri: dom } });
    assert.deepEqual(await until((s) => s.length === 1 && s[0].length === 1), [[{ language: 'nova-conf' }]]);
  } finally {
    await c.close();
  }
});
