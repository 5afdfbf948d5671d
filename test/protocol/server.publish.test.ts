/**
 * How often the server publishes (run `npm run build` first): once after each didOpen and for each
 * new version, and otherwise only when a document's diagnostics changed. A client like VS Code
 * sends settings equal to initializationOptions' at start-up (the configuration pulled after
 * initialized, a didChangeConfiguration); those publish nothing again, and neither does an edit
 * of a config-set member that leaves another member's verdict as it was.
 *
 * Ordering makes the counts exact without waiting for silence: re-validations an event causes
 * are scheduled before those of a later edit, so once the later edit's publish has arrived,
 * every publish the event caused has arrived before it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startClient, type TestClient } from '../support/lspClient';

/** Every publish until `uri` is published for `version`, that one included; fails after 30 s rather than hanging. */
function publishesUntil(c: TestClient, uri: string, version: number, test?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams[]> {
  const seen: PublishDiagnosticsParams[] = [];
  return new Promise((res, rej) => {
    const timer = setTimeout(() => { off(); rej(new Error(`no publish of ${uri}@${version} in 30 s; seen: ${trace(seen).join(' ')}`)); }, 30_000);
    const off = c.onPublish((p) => {
      seen.push(p);
      if (p.uri === uri && p.version === version && (!test || test(p))) { clearTimeout(timer); off(); res(seen); }
    });
  });
}

const trace = (ps: PublishDiagnosticsParams[]) => ps.map((p) => `${p.uri.slice(p.uri.lastIndexOf('/') + 1)}@${p.version}`);
const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => String(d.code));

const NOVA = '[libvirt]\ncpu_mode = custom\n'; // custom without cpu_models: an error
const DOMAIN = readFileSync('test/e2e/vscode/workspace/domain.xml', 'utf8');

test('start-up as VS Code does it: one publish per opened document; settings that say the same publish nothing', async () => {
  const settings: Record<string, unknown> = { useHostCpuMap: false, novaRelease: 'zed' };
  const c = await startClient(settings, { workspace: { configuration: true } });
  const nova = 'file:///tmp/publish/nova.conf';
  const domain = 'file:///tmp/publish/domain.xml';
  try {
    // vscode-languageclient sends the settings section right after initialized.
    void c.connection.sendNotification('workspace/didChangeConfiguration', { settings: { novaLibvirtCpu: settings } });
    const opened = publishesUntil(c, domain, 1);
    c.open(nova, 'nova-conf', NOVA);
    c.open(domain, 'xml', DOMAIN);
    const first = await opened;
    assert.ok(codes(first.find((p) => p.uri === nova)!).includes('nova/custom-without-models'));

    // The pulled settings equal initializationOptions': nothing is published again before the edit's.
    let until = publishesUntil(c, nova, 2);
    c.change(nova, NOVA + '# note\n', 2);
    assert.deepEqual(trace([...first, ...(await until)]), ['nova.conf@1', 'domain.xml@1', 'nova.conf@2']);

    // Another didChangeConfiguration with the same settings: nothing.
    void c.connection.sendNotification('workspace/didChangeConfiguration', { settings: { novaLibvirtCpu: settings } });
    until = publishesUntil(c, nova, 3);
    c.change(nova, NOVA + '# note 2\n', 3);
    assert.deepEqual(trace(await until), ['nova.conf@3']);

    // A setting that changes nova.conf's diagnostics: nova.conf is published again, domain.xml (the same diagnostics) is not.
    settings.severity = { 'nova/custom-without-models': 'warning' };
    const release = publishesUntil(c, nova, 3, (p) => p.diagnostics.some((d) => d.code === 'nova/custom-without-models' && d.severity === 2));
    void c.connection.sendNotification('workspace/didChangeConfiguration', { settings: { novaLibvirtCpu: settings } });
    const afterRelease = await release;
    until = publishesUntil(c, domain, 2);
    c.change(domain, DOMAIN + '\n', 2);
    assert.deepEqual(trace([...afterRelease, ...(await until)]), ['nova.conf@3', 'domain.xml@2']);
  } finally {
    await c.close();
  }
});

test('config set: an edit publishes the edited member, and the others only when their diagnostics change', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nova-publish-'));
  mkdirSync(join(dir, 'nova.conf.d'));
  const files: Record<string, string> = {
    '10.conf': '[compute]\ncpu_shared_set = 0-3\n',
    '20.conf': '[compute]\ncpu_shared_set = 4-7\n[libvirt]\ncpu_mode = custom\n',
    '30.conf': '[libvirt]\ncpu_models = Haswell\n',
  };
  const uri: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, 'nova.conf.d', name), text);
    uri[name] = pathToFileURL(join(dir, 'nova.conf.d', name)).href;
  }
  const c = await startClient({ useHostCpuMap: false, novaRelease: 'zed' });
  try {
    // Each open re-validates the members opened before it; wait until the last one's verdicts are in.
    for (const [name, text] of Object.entries(files)) {
      await c.openAndWait(uri[name], 'nova-conf', text);
    }
    await c.publishesUntilQuiet(500);

    // 20.conf is read after 10.conf and sets cpu_shared_set too: no other member's verdict can change.
    let until = publishesUntil(c, uri['30.conf'], 2);
    c.change(uri['10.conf'], '[compute]\ncpu_shared_set = 0-2\n', 2);
    c.change(uri['30.conf'], files['30.conf'] + '# later\n', 2);
    assert.deepEqual(trace(await until), ['10.conf@2', '30.conf@2']);

    // 20.conf's cpu_mode decides 30.conf's cpu_models: 30.conf gets the error; 10.conf's verdict stays.
    const error = publishesUntil(c, uri['30.conf'], 2, (p) => codes(p).includes('nova/cpu-models-without-custom'));
    c.change(uri['20.conf'], '[compute]\ncpu_shared_set = 4-7\n[libvirt]\ncpu_mode = host-model\n', 2);
    const seen = await error;
    until = publishesUntil(c, uri['10.conf'], 3);
    c.change(uri['10.conf'], '[compute]\ncpu_shared_set = 0-1\n', 3);
    assert.deepEqual(trace([...seen, ...(await until)]), ['20.conf@2', '30.conf@2', '10.conf@3']);
  } finally {
    await c.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
