/**
 * Service managers through their exact argv and their outputs (test/fixtures/services/), and
 * nova-compute's log verdicts on logs a real nova-compute 26.2.2 wrote (test/fixtures/novalog/).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  containerManager, detectService, journalArgv, managerFromSetting, readStatus, systemdManager, sysvManager, type ServiceManager,
} from '../../server/src/hosts/services';
import { judgeStartupLog, matchCode } from '../../server/src/hosts/novaLog';
import { verifyNova, type LogMark } from '../../server/src/hosts/verifyNova';
import { rec, recordedHost, recordedOutputs, result } from '../support/recordedHost';

const FIX = join(__dirname, '..', 'fixtures');
const outputs = recordedOutputs;
const novalog = (name: string) => readFileSync(join(FIX, 'novalog', `${name}.log`), 'utf8');
const host = recordedHost;

describe('service managers as argv', () => {
  test('systemd, SysV, kolla container: the exact commands', () => {
    const s = systemdManager('openstack-nova-compute');
    assert.deepEqual(s.restart, ['systemctl', 'restart', 'openstack-nova-compute']);
    assert.deepEqual(s.status, ['systemctl', 'is-active', 'openstack-nova-compute']);
    assert.deepEqual(journalArgv('openstack-nova-compute', 1764597857), ['journalctl', '-u', 'openstack-nova-compute', '--since=@1764597857', '-o', 'short-iso', '--no-pager']);
    const v = sysvManager();
    assert.deepEqual([v.restart, v.status, v.log], [['/etc/init.d/nova-compute', 'restart'], ['/etc/init.d/nova-compute', 'status'], [{ kind: 'file', path: '/var/log/nova/nova-compute.log' }]]);
    const c = containerManager('podman');
    assert.deepEqual([c.restart, c.status, c.log], [['podman', 'restart', 'nova_compute'], ['podman', 'inspect', '-f', '{{.State.Running}}', 'nova_compute'], [{ kind: 'file', path: '/var/log/kolla/nova/nova-compute.log' }]]);
  });

  test('status outputs read as running / changing / stopped', () => {
    const s = systemdManager('nova-compute');
    const st = (m: ServiceManager, key: string) => readStatus(m, result(m.status, outputs[key]));
    assert.equal(st(s, 'is-active-active'), 'running');
    assert.equal(st(s, 'is-active-activating'), 'changing');
    assert.equal(st(s, 'is-active-failed'), 'stopped');
    assert.equal(st(s, 'is-active-inactive'), 'stopped');
    const d = containerManager('docker');
    assert.equal(st(d, 'inspect-running'), 'running');
    assert.equal(st(d, 'inspect-exited'), 'stopped');
    assert.equal(st(d, 'docker-no-such'), 'stopped');
    assert.equal(st(sysvManager(), 'sysv-running'), 'running');
    assert.equal(st(sysvManager(), 'sysv-stopped'), 'stopped');
    assert.equal(readStatus(sysvManager(), result(['x'], { error: 'ssh: connection refused' })), 'unknown');
  });

  test('detection order: systemd unit (PID 1 systemd, unit loaded) with its log file', async () => {
    const h = host({
      'cat /proc/1/comm': rec('pid1-systemd'),
      'systemctl show -p LoadState --value nova-compute': rec('unit-not-found'),
      'systemctl show -p LoadState --value openstack-nova-compute': rec('unit-loaded'),
      'test -f /var/log/nova/nova-compute.log': { code: 0 },
    });
    const d = await detectService(h);
    assert.equal(d.manager?.label, 'systemd unit openstack-nova-compute');
    assert.deepEqual(d.manager?.log, [{ kind: 'file', path: '/var/log/nova/nova-compute.log' }, { kind: 'journal', unit: 'openstack-nova-compute' }]);
    assert.deepEqual(d.probes.map((p) => [p.manager, p.found]), [['systemd unit nova-compute', false], ['systemd unit openstack-nova-compute', true]]);
  });

  test('detection: no systemd, docker absent, podman has nova_compute', async () => {
    const h = host({ 'cat /proc/1/comm': rec('pid1-container'), 'podman inspect -f {{.State.Running}} nova_compute': rec('inspect-running', ['podman']) });
    const d = await detectService(h);
    assert.equal(d.manager?.label, 'podman container nova_compute');
    assert.deepEqual(d.probes.map((p) => p.why), ["PID 1 is 'process_api', not systemd", "PID 1 is 'process_api', not systemd", 'docker not available', 'container present (running: true)']);
  });

  test('detection: docker without the container, then the init script', async () => {
    const h = host({ 'cat /proc/1/comm': rec('pid1-container'), 'docker inspect -f {{.State.Running}} nova_compute': rec('docker-no-such'), 'test -x /etc/init.d/nova-compute': { code: 0 } });
    const d = await detectService(h);
    assert.equal(d.manager?.label, 'init script /etc/init.d/nova-compute');
    assert.equal(d.probes.find((p) => p.manager.startsWith('docker'))?.why, 'no container nova_compute');
  });

  test('detection: nothing found is reported, not guessed', async () => {
    const d = await detectService(host({ 'cat /proc/1/comm': rec('pid1-container') }));
    assert.equal(d.manager, undefined);
    assert.equal(d.probes.length, 5);
  });

  test('the setting: argv arrays and a log source, or a clear error', () => {
    const m = managerFromSetting({ restart: ['sudo', 'kolla-restart', 'nova_compute'], status: ['check-nova'], log: 'journal:edpm_nova_compute' });
    assert.ok(!('error' in m));
    assert.deepEqual((m as ServiceManager).log, [{ kind: 'journal', unit: 'edpm_nova_compute' }]);
    assert.match((managerFromSetting({ restart: 'systemctl restart nova-compute', status: ['x'], log: 'file:/x' }) as { error: string }).error, /array of strings \(argv, no shell\)/);
    assert.match((managerFromSetting({ restart: ['a'], status: ['b'], log: 'file:relative.log' }) as { error: string }).error, /absolute path/);
    assert.match((managerFromSetting(null) as { error: string }).error, /must be an object/);
  });
});

describe("nova-compute's log (recorded on a real node)", () => {
  test('accepted: past init_host, and later ERRORs of the resource tracker are not a start-up failure', () => {
    const v = judgeStartupLog(novalog('accepted'));
    assert.equal(v.state, 'started');
    // ComputeManager.init_host: driver.init_host (the CPU checks), then _get_nodes warns about the missing record.
    assert.match((v as { line: string }).line, /WARNING nova\.compute\.manager .*Compute node nlc-node-5352 not found in the database/);
  });

  test('refused: cpu_models without custom, in Nova\'s words, the ERROR line and the exception line, our code', () => {
    const v = judgeStartupLog(novalog('refused-cpu-models'));
    assert.equal(v.state, 'failed');
    const f = (v as { failure: import('../../server/src/hosts/novaLog').NovaFailure }).failure;
    assert.equal(f.exception, 'nova.exception.Invalid');
    assert.equal(f.message, 'The cpu_models option is not required when cpu_mode!=custom');
    assert.match(f.lines[0], /ERROR oslo_service\.service \[-\] Error starting thread\.: nova\.exception\.Invalid: /);
    assert.match(f.lines[1], /ERROR oslo_service\.service nova\.exception\.Invalid: The cpu_models/);
    assert.equal(matchCode(f, [], 26)?.code, 'nova/cpu-models-without-custom');
  });

  test('refused: a model the host libvirt lacks -> nova/unknown-cpu-model by its template', () => {
    const v = judgeStartupLog(novalog('refused-unknown-model'));
    assert.equal(v.state, 'failed');
    const f = (v as { failure: import('../../server/src/hosts/novaLog').NovaFailure }).failure;
    assert.equal(f.exception, 'nova.exception.InvalidCPUInfo');
    assert.equal(matchCode(f, [], 26)?.code, 'nova/unknown-cpu-model');
    assert.equal(matchCode({ ...f, message: 'Something else entirely' }, [], 26), undefined);
  });

  test('refused by oslo.config: CRITICAL line, exception line closing the second traceback', () => {
    const v = judgeStartupLog(novalog('refused-oslo-value'));
    assert.equal(v.state, 'failed');
    const f = (v as { failure: import('../../server/src/hosts/novaLog').NovaFailure }).failure;
    assert.equal(f.exception, 'oslo_config.cfg.ConfigFileValueError');
    assert.match(f.lines[0], / CRITICAL nova \[/);
    assert.match(f.lines[1], / ERROR nova oslo_config\.cfg\.ConfigFileValueError: Value for option cpu_mode /);
  });

  test('cut before init_host returned: pending, with "starting" seen', () => {
    const text = novalog('accepted');
    const cut = text.slice(0, text.indexOf('\n', text.indexOf('Secure Boot support detected')));
    assert.deepEqual(judgeStartupLog(cut), { state: 'pending', starting: true });
    assert.deepEqual(judgeStartupLog(''), { state: 'pending', starting: false });
  });

  test('the same lines in journald\'s short-iso form give the same verdicts', () => {
    const journal = (t: string) => t.split('\n').map((l) => `2026-12-01T14:02:43+0000 compute1 nova-compute[7610]: ${l}`).join('\n');
    assert.equal(judgeStartupLog(journal(novalog('accepted'))).state, 'started');
    const v = judgeStartupLog(journal(novalog('refused-cpu-models')));
    assert.equal(v.state === 'failed' && v.failure.message, 'The cpu_models option is not required when cpu_mode!=custom');
  });
});

describe('verification over journald (systemd path, outputs as journalctl prints them)', () => {
  test('a failure read from journalctl after the restart epoch, status failed', async () => {
    const m = systemdManager('nova-compute');
    const since = 1764597857;
    const lines = novalog('refused-cpu-models').split('\n').map((l) => `2026-12-01T13:54:37+0000 compute1 nova-compute[25227]: ${l}`).join('\n');
    const h = host({ [journalArgv('nova-compute', since).join(' ')]: { code: 0, stdout: lines }, 'systemctl is-active nova-compute': rec('is-active-failed') });
    const mark: LogMark = { sources: [{ source: { kind: 'journal', unit: 'nova-compute' }, offset: 0 }], sinceEpochS: since };
    const v = await verifyNova(h, m, mark, { timeoutMs: 5000, pollMs: 10 });
    assert.equal(v.outcome, 'failed');
    assert.match(v.summary, /^nova-compute refused the config and exited: nova\.exception\.Invalid: The cpu_models option is not required when cpu_mode!=custom \[nova\/cpu-models-without-custom\]$/);
    assert.ok(h.asked.some((a) => a.join(' ') === 'journalctl -u nova-compute --since=@1764597857 -o short-iso --no-pager'));
  });
});
