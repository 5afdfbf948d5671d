/**
 * The settings as the server reads them: what it judges with goes to the client once per change
 * (novaLibvirtCpu/status, for the language status item), and a value it does not understand is
 * said once, in a notice, never as a finding on every file. And *Check workspace*'s request.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startClient } from '../support/lspClient';
import type { KnowledgeStatus } from '../../server/src/knowledgeStatus';
import type { CheckFilesResult } from '../../server/src/protocol';

const until = async (ok: () => boolean, what: string) => {
  for (const end = Date.now() + 10_000; !ok();) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

test('an unknown novaRelease and libvirtVersion are reported once, in the status and one notice each, and on no file', async () => {
  const c = await startClient({ useHostCpuMap: false, novaRelease: 'banana', libvirtVersion: 'nine' });
  try {
    const docs = ['file:///tmp/a/nova.conf', 'file:///tmp/b/nova.conf', 'file:///tmp/c/domain.xml'];
    const texts = ['[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n', '[DEFAULT]\n', "<domain type='kvm'><name>a</name><memory>1</memory><vcpu>2</vcpu><cpu mode='host-model'/></domain>"];
    const published = docs.map((u) => c.diagnostics(u));
    docs.forEach((u, i) => c.open(u, i < 2 ? 'nova-conf' : 'xml', texts[i]));
    const all = (await Promise.all(published)).flat();
    assert.deepEqual(all.filter((d) => /release|version/i.test(String(d.code)) || /banana|nine/.test(String(d.message))).map((d) => d.code), []);

    await until(() => c.shown.length >= 2, 'two notices');
    const notices = c.shown.map((m) => m.message);
    assert.equal(notices.filter((m) => m.includes("Unknown Nova release 'banana'")).length, 1, notices.join('\n'));
    assert.equal(notices.filter((m) => m.includes("Unknown libvirt version 'nine'")).length, 1, notices.join('\n'));
    assert.ok(c.shown.every((m) => m.type === 2), 'notices are warnings');

    const status = c.statuses.at(-1) as KnowledgeStatus;
    assert.match(status.novaRelease, /Hibiscus \(34\)/, 'judged by the newest release');
    assert.equal(status.libvirtVersion, '12.8');
    assert.equal(status.problems.length, 2);
    assert.deepEqual(status.layers.map((l) => l.source), ['bundled'], 'useHostCpuMap false: the bundled map alone');
    assert.match(status.cpuMap, /^bundled \(libvirt 12\.8\.0\)$/);
    assert.ok(status.models > 100 && status.features > 100, `${status.models} models, ${status.features} features`);

    // Another edit, another file: no new notice.
    const next = c.diagnostics(docs[1], 2);
    c.change(docs[1], '[DEFAULT]\n# edited\n', 2);
    await next;
    assert.equal(c.shown.length, 2);
  } finally {
    await c.close();
  }
});

test('a setting change sends a new status: a known release, a version with a distribution suffix, a cpu_map that fails to load', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlc-settings-'));
  const badMap = join(dir, 'cpu_map.xml');
  writeFileSync(badMap, '<cpus><arch name="x86"><model name="Broken"><model name="NoSuchParent"/></model></arch></cpus>');
  const settings: Record<string, unknown> = { useHostCpuMap: false };
  const c = await startClient(settings);
  try {
    await until(() => c.statuses.length >= 1, 'the first status');
    assert.deepEqual((c.statuses[0] as KnowledgeStatus).problems, []);
    Object.assign(settings, { novaRelease: 'zed', libvirtVersion: '9.0.0-4+deb12u2', cpuMapPath: badMap });
    c.connection.sendNotification('workspace/didChangeConfiguration', { settings: { novaLibvirtCpu: settings } });
    await until(() => c.statuses.length >= 2, 'a second status');
    const s = c.statuses.at(-1) as KnowledgeStatus;
    assert.equal(s.novaRelease, 'Zed (26)');
    assert.equal(s.libvirtVersion, '9.0');
    assert.equal(s.problems.length, 1, s.problems.join('\n'));
    assert.match(s.problems[0], new RegExp(`^cpu_map ${badMap.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*NoSuchParent`));
    await until(() => c.shown.length === 1, 'the map notice');
  } finally {
    await c.close();
  }
});

test('checkFiles: files not open are read from disk and published; other XML is left alone; unreadable files are named', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlc-checkfiles-'));
  writeFileSync(join(dir, 'nova.conf'), '[libvirt]\ncpu_mode = host-model\ncpu_models = Haswell\n');
  writeFileSync(join(dir, 'pom.xml'), '<project><cpu/></project>');
  writeFileSync(join(dir, 'vm.xml'), "<domain type='kvm'><name>vm</name><memory>1048576</memory><vcpu>2</vcpu><cpu><topology sockets='1' cores='1' threads='1'/></cpu></domain>");
  const uri = (f: string) => pathToFileURL(join(dir, f)).href;
  const c = await startClient();
  try {
    const conf = c.diagnostics(uri('nova.conf'));
    const vm = c.diagnostics(uri('vm.xml'));
    const r = await c.connection.sendRequest<CheckFilesResult>('novaLibvirtCpu/checkFiles', { uris: ['nova.conf', 'vm.xml', 'pom.xml', 'missing.conf'].map(uri) });
    assert.equal(r.checked, 2);
    assert.equal(r.notOurs, 1);
    assert.deepEqual(r.notRead.map((n) => n.uri), [uri('missing.conf')]);
    assert.ok((await conf).some((d) => d.code === 'nova/cpu-models-without-custom'));
    assert.ok((await vm).some((d) => d.code === 'libvirt/topology-mismatch'), JSON.stringify(await vm));
    assert.ok(r.counts.error >= 2, JSON.stringify(r.counts));
  } finally {
    await c.close();
  }
});
