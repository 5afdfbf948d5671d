/**
 * How the server schedules and caches analyses (run `npm run build` first): analyses follow the
 * content, not the version number; bursts of edits are debounced; diagnostics carry the version
 * they were computed for; the time budget reports a cut-short analysis; an unreadable config-set
 * member is reported.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startClient, type TestClient } from '../support/lspClient';

const BAD = '[libvirt]\ncpu_mode = custom\n'; // custom without cpu_models: an error
const GOOD = '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n';

const codes = (p: { diagnostics: Array<{ code?: string | number }> }) => p.diagnostics.map((d) => d.code);

/** The next publish for `uri`, with its version. */
function nextPublish(c: TestClient, uri: string): Promise<PublishDiagnosticsParams> {
  return new Promise((res) => {
    const off = c.onPublish((p) => { if (p.uri === uri) { off(); res(p); } });
  });
}

test('analyses follow the content: a second didOpen with the same version, and a version going back, get fresh diagnostics', async () => {
  const c = await startClient();
  try {
    const uri = 'file:///tmp/cache/nova.conf';
    let next = nextPublish(c, uri);
    c.open(uri, 'nova-conf', BAD, 1);
    const first = await next;
    assert.equal(first.version, 1);
    assert.ok(codes(first).includes('nova/custom-without-models'));

    // Reopened with other text under the same version: not the cached verdict.
    c.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    next = nextPublish(c, uri);
    await next; // the close clears the diagnostics
    next = nextPublish(c, uri);
    c.open(uri, 'nova-conf', GOOD, 1);
    const reopened = await next;
    assert.equal(reopened.version, 1);
    assert.ok(!codes(reopened).includes('nova/custom-without-models'), JSON.stringify(reopened));

    // A didOpen of an open document with new text and the same version.
    next = nextPublish(c, uri);
    c.open(uri, 'nova-conf', BAD, 1);
    assert.ok(codes(await next).includes('nova/custom-without-models'));

    // Versions going backwards (a client that restarts its numbering).
    next = nextPublish(c, uri);
    c.change(uri, GOOD, 5);
    assert.ok(!codes(await next).includes('nova/custom-without-models'));
    next = nextPublish(c, uri);
    c.change(uri, BAD, 2);
    const back = await next;
    assert.equal(back.version, 2);
    assert.ok(codes(back).includes('nova/custom-without-models'));
  } finally {
    await c.close();
  }
});

test('a burst of edits is debounced into few analyses, published for the last version; a hover after it sees the last text', async () => {
  const c = await startClient();
  try {
    const uri = 'file:///tmp/burst/nova.conf';
    let next = nextPublish(c, uri);
    c.open(uri, 'nova-conf', '[libvirt]\ncpu_mode = custom\ncpu_models = \n', 1);
    await next;
    const published: PublishDiagnosticsParams[] = [];
    const off = c.onPublish((p) => { if (p.uri === uri) published.push(p); });
    // Type a character and delete it, 100 times over.
    const EDITS = 100;
    let version = 1;
    const at = { line: 2, character: 13 };
    for (let i = 0; i < EDITS; i++) {
      const change = i % 2 === 0 ? { range: { start: at, end: at }, text: 'H' } : { range: { start: at, end: { line: 2, character: 14 } }, text: '' };
      c.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [change] });
    }
    // Finish on the full word.
    c.change(uri, GOOD, ++version);
    assert.match(JSON.stringify(await c.hover(uri, 2, 15)), /Haswell/, 'the hover reads the last text');
    while (!published.some((p) => p.version === version)) await nextPublish(c, uri);
    off();
    // Each publish is for a version the document had; the last is the last version.
    assert.equal(published.at(-1)!.version, version);
    assert.ok(!codes(published.at(-1)!).includes('nova/custom-without-models'));
    assert.ok(published.length <= 5, `${published.length} analyses published for ${EDITS + 1} edits`);
  } finally {
    await c.close();
  }
});

test('with the time budget spent, the server reports the findings so far and input/analysis-cut-short', async () => {
  const c = await startClient({ useHostCpuMap: false, analysisTimeLimitMs: 0 });
  try {
    const uri = 'file:///tmp/budget/nova.conf';
    const next = nextPublish(c, uri);
    c.open(uri, 'nova-conf', '[libvirt]\ncpu_mode = custom\n\0', 1);
    // Input checks run before the budget is consulted: the binary input is still reported.
    assert.deepEqual(codes(await next), ['input/binary']);
    const xml = 'file:///tmp/budget/domain.xml';
    const xmlNext = nextPublish(c, xml);
    c.open(xml, 'xml', "<domain type='kvm'><name>a</name><memory>1048576</memory><vcpu>2</vcpu><cpu mode='custom'><model>Nope</model></cpu></domain>", 1);
    const d = await xmlNext;
    assert.deepEqual(codes(d), ['input/analysis-cut-short'], 'no rule ran, and the finding says so');
    assert.match(String(d.diagnostics[0].message), /cut short.*time budget of 0 ms.*did not run: every rule/s);
    const nova = 'file:///tmp/budget2/nova.conf';
    const novaNext = nextPublish(c, nova);
    c.open(nova, 'nova-conf', BAD, 1);
    assert.deepEqual(codes(await novaNext), ['input/analysis-cut-short']);
  } finally {
    await c.close();
  }
});

test('an unreadable member of the config set is named, and the verdict is flagged as possibly wrong', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlc-unreadable-'));
  const c = await startClient();
  try {
    writeFileSync(join(dir, 'nova.conf'), GOOD);
    symlinkSync(join(dir, 'gone.conf'), join(dir, 'nova-compute.conf'));
    const uri = pathToFileURL(join(dir, 'nova.conf')).href;
    const next = nextPublish(c, uri);
    c.open(uri, 'nova-conf', GOOD, 1);
    const p = await next;
    const d = p.diagnostics.find((x) => x.code === 'input/unreadable-member');
    assert.ok(d, JSON.stringify(p));
    assert.match(String(d.message), /nova-compute\.conf \(a dangling symbolic link\).*may be wrong/s);
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
