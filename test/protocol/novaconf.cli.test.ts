/** The `check` CLI on the nova.conf examples: the same findings as the editor, an exit status for CI. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

function checkJson(...args: string[]) {
  const r = spawnSync(process.execPath, ['dist/cli.js', 'check', '--no-host-cpu-map', '--format', 'json', ...args], { encoding: 'utf8' });
  return { status: r.status, reports: JSON.parse(r.stdout) as Array<{ file: string; diagnostics: Array<{ code: string; message: string }> }> };
}

test('cli: examples/nova has the documented mistakes, and exits 1', () => {
  const { status, reports } = checkJson('--nova-release', 'zed', 'examples/nova');
  assert.equal(status, 1);
  const codes = (file: string) => reports.find((r) => r.file.endsWith(file))!.diagnostics.map((d) => d.code);
  assert.deepEqual(codes('/nova.conf').sort(), [
    'nova/cpu-models-order', 'nova/cpuset-overlap', 'nova/cpuset-overlap', 'nova/out-of-range', 'nova/reserved-host-cpus-with-cpusets', 'nova/unknown-cpu-flag',
  ]);
  assert.ok(codes('nova-compute.conf').includes('nova/cpu-models-without-custom'));
  assert.ok(codes('nova-compute.conf').includes('nova/invalid-choice'));
});

test('cli: --nova-release picks the message text', () => {
  const conf = 'examples/nova/compute-ubuntu/nova-compute.conf';
  const old = checkJson('--nova-release', 'rocky', conf).reports[0].diagnostics;
  // Rocky has no cpu_models (it is cpu_model), and judges the old name with the old words.
  assert.ok(old.some((d) => d.code === 'nova/option-not-in-release'));
  assert.ok(old.some((d) => d.message.includes('\nA CPU model name should not be set when a host CPU model is requested')));
  // A release not understood: said once on stderr for the whole run, judged by the newest, nothing on the files.
  const r = spawnSync(process.execPath, ['dist/cli.js', 'check', '--no-host-cpu-map', '--format', 'json', '--nova-release', 'banana', conf, 'examples/nova/compute-split'], { encoding: 'utf8' });
  assert.equal(r.stderr.match(/Unknown Nova release 'banana' in --nova-release: checking against the newest we know/g)?.length, 1, r.stderr);
  const newest = checkJson(conf, 'examples/nova/compute-split').reports;
  assert.deepEqual(JSON.parse(r.stdout), newest);
});

test('cli: examples/nova/compute-split is judged as one config set: no findings in either file', () => {
  const { status, reports } = checkJson('--nova-release', 'zed', 'examples/nova/compute-split');
  assert.equal(status, 0);
  assert.equal(reports.length, 2);
  for (const r of reports) assert.deepEqual(r.diagnostics.map((d) => d.code), [], r.file);
});
