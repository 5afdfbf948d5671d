/**
 * The reader of Ansible's jsonl events, against the output of two real runs on the test fleet
 * (test/fixtures/rollout/README.md says how they were recorded): a rollout that Nova refused on
 * host3 and rolled back, and a --check --diff dry run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnsibleEventReader, failureMessage, verdictOf } from '../../server/src/rollout/ansibleEvents';
import type { RolloutEvent } from '../../server/src/rollout/types';

const FIX = join(__dirname, '..', 'fixtures', 'rollout');
const HOSTS = ['host1', 'host2', 'host3', 'host4', 'host5'];
const backups = new Map(HOSTS.map((h) => [h, [{ path: '/etc/nova/nova-compute.conf', backup: `/etc/nova/nova-compute.conf.nova-libvirt-cpu.20261201T201800Z.bak` }]]));
const REFUSAL = /^\d{4}-\d\d-\d\d [\d:.]+ \d+ ERROR oslo_service\.service \[-\] Error starting thread\.: nova\.exception\.InvalidCPUInfo: Configured CPU model: EPYC-Milan and CPU Flags \[\] ar not compatible with host CPU\./;

function read(file: string, reader: AnsibleEventReader): RolloutEvent[] {
  return readFileSync(join(FIX, file), 'utf8').split('\n').flatMap((l) => reader.feed(l));
}

const brief = (e: RolloutEvent) => `${e.kind}${'host' in e ? ` ${e.host}` : ` ${e.index} ${e.hosts.join(',')}`}${'ok' in e ? ` ${e.ok}` : ''}${e.kind === 'failed' ? ` ${e.step}` : ''}`;

test('the refused run: the canary, then batch 2 where host3 fails in Nova\'s words, then the rollback of hosts 1-3; hosts 4-5 never appear', () => {
  const apply = new AnsibleEventReader(backups, false, [['host1'], ['host2', 'host3'], ['host4', 'host5']]);
  const events = read('ansible-host3-refused.jsonl', apply);
  const seq = events.map(brief);
  // Per host the order is fixed; between host2 and host3 of one batch it is the order results arrived.
  const mine = (h: string) => seq.filter((s) => s.endsWith(` ${h}`) || s.includes(` ${h} `));
  assert.deepEqual(seq.slice(0, 6), ['batch 0 host1', 'started host1', 'written host1', 'restarted host1', 'verified host1 true', 'batch 1 host2,host3']);
  assert.deepEqual(mine('host2'), ['started host2', 'written host2', 'restarted host2', 'verified host2 true', 'rolled-back host2 true']);
  assert.deepEqual(mine('host3'), ['started host3', 'written host3', 'restarted host3', 'verified host3 false', 'failed host3 verify', 'rolled-back host3 true']);
  assert.deepEqual(mine('host4'), []);
  assert.deepEqual(mine('host5'), []);
  assert.equal(seq.filter((s) => s.startsWith('batch')).length, 2, 'the third batch never started');
  const failed = events.find((e): e is Extract<RolloutEvent, { kind: 'failed' }> => e.kind === 'failed')!;
  assert.match(failed.novaLines![0], REFUSAL);
  assert.match(failed.message, /^nova-compute refused the config and exited: nova\.exception\.InvalidCPUInfo: Configured CPU model: EPYC-Milan/);
  const v1 = events.find((e): e is Extract<RolloutEvent, { kind: 'verified' }> => e.kind === 'verified' && e.host === 'host1')!;
  assert.match(v1.line!, /INFO nova\.compute\.manager .*Looking for unclaimed instances stuck in BUILDING status/);
  const w = events.find((e): e is Extract<RolloutEvent, { kind: 'written' }> => e.kind === 'written' && e.host === 'host1')!;
  assert.deepEqual(w.files, backups.get('host1'));
  const r = events.find((e): e is Extract<RolloutEvent, { kind: 'restarted' }> => e.kind === 'restarted' && e.host === 'host1')!;
  assert.ok(r.ms > 0 && r.ms < 600_000, `restart took ${r.ms} ms by Ansible's task times`);
  // Times come from Ansible's own timestamps, in order per host.
  const t1 = events.filter((e) => 'host' in e && e.host === 'host1').map((e) => e.at);
  assert.deepEqual(t1, [...t1].sort((a, b) => a - b));
});

test('the --check --diff run: every host checked and changed, with a diff; nothing written, restarted or verified', () => {
  const events = read('ansible-check-diff.jsonl', new AnsibleEventReader(backups, true, [['host1'], ['host2', 'host3'], ['host4', 'host5']]));
  const checked = events.filter((e): e is Extract<RolloutEvent, { kind: 'checked' }> => e.kind === 'checked');
  assert.deepEqual(checked.map((e) => e.host).sort(), HOSTS);
  assert.ok(checked.every((e) => e.changed && /^--- a\/etc\/nova\/nova-compute\.conf\n\+\+\+ b\/etc\/nova\/nova-compute\.conf\n@@ .*\n[^]*^\+cpu_mode = custom$/m.test(e.diff ?? '')), JSON.stringify(checked[0]));
  assert.deepEqual(events.filter((e) => ['written', 'restarted', 'verified', 'failed', 'rolled-back'].includes(e.kind)), []);
  assert.equal(events.filter((e) => e.kind === 'batch').length, 3);
});

test('lines that are not ours, or not JSON, give no events and do not throw', () => {
  const r = new AnsibleEventReader(backups);
  for (const l of ['', 'PLAY [x] ****', '{"_event":', 'null', '42', '{"_event":"v2_runner_on_ok","hosts":{"h":{}}}', '{"_event":"v2_runner_on_ok","task":{"name":"other"},"hosts":{"h":{}}}']) assert.deepEqual(r.feed(l), [], l);
});

test('an unreachable host is a failure at connect; a failed loop item gives its own message', () => {
  const r = new AnsibleEventReader(backups);
  r.feed(JSON.stringify({ _event: 'v2_playbook_on_play_start', play: { name: 'nova-libvirt-cpu rollout' } }));
  const ev = r.feed(JSON.stringify({ _event: 'v2_runner_on_unreachable', task: { name: 'nlc:check' }, hosts: { host9: { unreachable: true, msg: 'Failed to connect to the host via ssh: ssh: connect to host 127.0.0.1 port 1: Connection refused' } } }));
  assert.deepEqual(ev.map(brief), ['started host9', 'failed host9 connect']);
  assert.equal(failureMessage({ msg: 'One or more items failed', results: [{ failed: false }, { failed: true, msg: '/etc/nova/nova.conf changed since the preview' }] }), '/etc/nova/nova.conf changed since the preview');
  assert.equal(verdictOf('not json'), undefined);
  assert.equal(verdictOf('{"ok":true}'), undefined, 'a verdict has a summary');
});
