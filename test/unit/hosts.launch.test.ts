/**
 * How nova-compute is launched on a host (hosts/launch.ts): the exact probes, in order, and what
 * recorded outputs give (test/fixtures/services/: systemd cannot run here). The running process
 * and the init script on a real node: test/oracle/node.transaction.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argsFromCmdline, argsFromShowArgs, execStartOf, runProbes, splitExecLine } from '../../server/src/hosts/launch';
import { hostLaunch, listConfigSet } from '../../server/src/ops/transaction';
import { rec, recordedHost } from '../support/recordedHost';

const DEBIAN_ARGS = ['--config-file=/etc/nova/nova.conf', '--config-file=/etc/nova/nova-compute.conf', '--log-file=/var/log/nova/nova-compute.log'];
const probe = (h: ReturnType<typeof recordedHost>) => runProbes(async (argv) => {
  const r = await h.run(argv);
  return { code: r.error ? null : r.code, stdout: r.stdout.toString('utf8') };
});
const PGREP = 'pgrep -x nova-compute';
const PID1 = 'cat /proc/1/comm';

test('a /proc/PID/cmdline: the arguments after the nova-compute script, whatever runs it', () => {
  assert.deepEqual(argsFromCmdline(`/usr/bin/python3\0/usr/bin/nova-compute\0${DEBIAN_ARGS.join('\0')}\0`), DEBIAN_ARGS);
  assert.deepEqual(argsFromCmdline('/var/lib/kolla/venv/bin/nova-compute\0'), []);
  assert.deepEqual(argsFromCmdline('/usr/bin/python3\0/usr/bin/nova-compute\0--config-file\0/etc/nova/a b.conf\0'), ['--config-file', '/etc/nova/a b.conf'], 'a space stays in its argument');
  assert.equal(argsFromCmdline('/usr/bin/python3\0/usr/bin/nova-api\0'), undefined);
  assert.equal(argsFromCmdline('/bin/sh\0/etc/init.d/nova-compute\0start\0'), undefined, 'the init script, starting it');
});

test("an init script's show-args line, and systemd's command-line splitting", () => {
  assert.deepEqual(argsFromShowArgs(rec('show-args-debian').stdout), DEBIAN_ARGS);
  assert.equal(argsFromShowArgs('Usage: /etc/init.d/nova-compute {start|stop}\n'), undefined);
  assert.deepEqual(splitExecLine(`/usr/bin/nova-compute --config-file "/etc/nova/my nova.conf" '--config-dir=/etc/nova/x' a\\ b`),
    ['/usr/bin/nova-compute', '--config-file', '/etc/nova/my nova.conf', '--config-dir=/etc/nova/x', 'a b']);
  assert.equal(splitExecLine('/usr/bin/nova-compute $OPTIONS'), undefined, 'Environment= substitution is not ours to guess');
  assert.equal(splitExecLine('/usr/bin/nova-compute "unclosed'), undefined);
});

test("a unit's ExecStart: the last one, a drop-in's reset, continuation lines, prefixes", () => {
  assert.deepEqual(execStartOf(rec('systemctl-cat-debian').stdout), ['/etc/init.d/nova-compute', 'systemd-start']);
  assert.deepEqual(execStartOf(rec('systemctl-cat-rdo').stdout), ['/usr/bin/nova-compute']);
  assert.deepEqual(execStartOf(rec('systemctl-cat-override').stdout), ['/usr/bin/nova-compute', '--config-file', '/etc/nova/nova.conf', '--config-dir', '/etc/nova/nova.conf.d']);
  assert.deepEqual(execStartOf('[Service]\nExecStart=-/usr/bin/nova-compute --debug\n'), ['/usr/bin/nova-compute', '--debug']);
  assert.equal(execStartOf('[Service]\nExecStart=/usr/bin/nova-compute\nExecStart=\n'), undefined, 'reset and not set again');
  assert.equal(execStartOf('[Unit]\nExecStart=/usr/bin/nova-compute\n'), undefined, 'only [Service] counts');
});

test('a running nova-compute is asked first: pgrep, then its cmdline; nothing else runs', async () => {
  const h = recordedHost({ [PGREP]: { stdout: '4242\n' }, 'cat /proc/4242/cmdline': { stdout: `/usr/bin/python3\0/usr/bin/nova-compute\0${DEBIAN_ARGS.join('\0')}\0` } });
  const d = await probe(h);
  assert.deepEqual(h.asked, [['pgrep', '-x', 'nova-compute'], ['cat', '/proc/4242/cmdline']]);
  assert.deepEqual(d.launch, { args: DEBIAN_ARGS, source: 'the running nova-compute (pid 4242)' });
});

test("systemd: the unit's ExecStart, through Debian's systemd-start to the init script's show-args", async () => {
  const debian = recordedHost({ [PGREP]: { code: 1 }, [PID1]: rec('pid1-systemd'), 'systemctl cat nova-compute': rec('systemctl-cat-debian'), '/etc/init.d/nova-compute show-args': rec('show-args-debian') });
  const d = await probe(debian);
  assert.deepEqual(debian.asked, [['pgrep', '-x', 'nova-compute'], ['cat', '/proc/1/comm'], ['systemctl', 'cat', 'nova-compute'], ['/etc/init.d/nova-compute', 'show-args']]);
  assert.deepEqual(d.launch, { args: DEBIAN_ARGS, source: 'systemd unit nova-compute (/etc/init.d/nova-compute systemd-start)' });

  const rdo = recordedHost({ [PGREP]: { code: 1 }, [PID1]: rec('pid1-systemd'), 'systemctl cat nova-compute': rec('systemctl-cat-missing', ['systemctl', 'cat', 'nova-compute']), 'systemctl cat openstack-nova-compute': rec('systemctl-cat-rdo') });
  const r = await probe(rdo);
  assert.deepEqual(rdo.asked.at(-1), ['systemctl', 'cat', 'openstack-nova-compute']);
  assert.deepEqual(r.launch, { args: [], source: "systemd unit openstack-nova-compute's ExecStart" });
  assert.match(r.notes.join('\n'), /systemd unit nova-compute: not there/);
});

test('without systemd nor a process: the init script; with nothing, no launch (the caller uses no arguments)', async () => {
  const sysv = recordedHost({ [PGREP]: { code: 1 }, [PID1]: rec('pid1-container'), '/etc/init.d/nova-compute show-args': rec('show-args-debian') });
  assert.deepEqual((await probe(sysv)).launch?.args, DEBIAN_ARGS);
  assert.ok(!sysv.asked.some((a) => a[0] === 'systemctl'), 'PID 1 is not systemd: systemctl is not asked');
  const none = recordedHost({ [PGREP]: { code: 1 }, [PID1]: rec('pid1-container') });
  const d = await probe(none);
  assert.equal(d.launch, undefined);
  assert.deepEqual(d.notes, ['no running nova-compute', '/etc/init.d/nova-compute show-args: not there']);
  assert.deepEqual(await hostLaunch(none), { args: [], source: "nova-compute without arguments (oslo.config's defaults)" });
});

test('several nova-compute processes that disagree: the service decides, and the notes say so', async () => {
  const h = recordedHost({
    [PGREP]: { stdout: '10\n11\n' },
    'cat /proc/10/cmdline': { stdout: '/usr/bin/python3\0/usr/bin/nova-compute\0--config-file=/tmp/a.conf\0' },
    'cat /proc/11/cmdline': { stdout: `/usr/bin/python3\0/usr/bin/nova-compute\0${DEBIAN_ARGS.join('\0')}\0` },
    [PID1]: rec('pid1-container'), '/etc/init.d/nova-compute show-args': rec('show-args-debian'),
  });
  const d = await probe(h);
  assert.equal(d.launch?.source, 'the init script /etc/init.d/nova-compute');
  assert.match(d.notes[0], /^2 running nova-compute processes with different arguments/);
});

test("the host's set is listed in its launch's order: Debian's reads nova.conf.d first", async () => {
  const find = (d: string) => `find ${d} -mindepth 1 -maxdepth 1 -type f -printf %f\\0`;
  const h = recordedHost({
    [find('/etc/nova')]: { stdout: 'nova.conf\0nova-compute.conf\0api-paste.ini\0' },
    [find('/etc/nova/nova.conf.d')]: { stdout: '50-cpu.conf\0' },
    [PGREP]: { code: 1 }, [PID1]: rec('pid1-container'), '/etc/init.d/nova-compute show-args': rec('show-args-debian'),
  });
  assert.deepEqual(await listConfigSet(h, '/etc/nova', true), ['/etc/nova/nova.conf.d/50-cpu.conf', '/etc/nova/nova.conf', '/etc/nova/nova-compute.conf']);
  assert.ok(h.asked.some((a) => a.join(' ') === find('/etc/nova/nova-compute.conf.d')), 'nova-compute.conf.d is listed too');
});
