/** The ssh argv the OpenSSH runner spawns, destination checks, and how ssh's failures are told (hosts/sshArgs.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { destinationProblem, parseSshG, remoteCommandLine, sshCommandArgs, sshExitArgs, sshFailure } from '../../server/src/hosts/sshArgs';
import { hostileStrings } from '../support/hostile';

const target = { destination: 'stack@compute-1', controlDir: '/run/user/1000/nova-libvirt-cpu-ssh' };

test('ssh argv: no prompts, bounded connect, a shared private connection, nothing forwarded, -- before the destination', () => {
  assert.deepEqual(sshCommandArgs(target, ['stat', '-c', '%u %g', '--', "/etc/nova/it's.conf"]), [
    '-T', '-e', 'none',
    '-o', 'BatchMode=yes',
    '-o', 'ConnectTimeout=10',
    '-o', 'ControlMaster=auto',
    '-o', 'ControlPath=/run/user/1000/nova-libvirt-cpu-ssh/%C',
    '-o', 'ControlPersist=60s',
    '-o', 'ServerAliveInterval=15',
    '-o', 'ServerAliveCountMax=3',
    '-o', 'ForwardAgent=no',
    '-o', 'ForwardX11=no',
    '-o', 'ClearAllForwardings=yes',
    '-o', 'PermitLocalCommand=no',
    '--', 'stack@compute-1',
    "env 'LC_ALL=C' stat -c '%u %g' -- '/etc/nova/it'\\''s.conf'",
  ]);
  const all = sshCommandArgs({ ...target, port: 2222, configFile: '/tmp/cfg' }, ['true']).join(' ');
  assert.match(all, /^-T -e none -F \/tmp\/cfg -p 2222 /);
  assert.doesNotMatch(all, /StrictHostKeyChecking|accept-new/);
  assert.deepEqual(sshExitArgs(target).slice(-4), ['-O', 'exit', '--', 'stack@compute-1']);
});

test('remote command line: one quoted word per argv element', () => {
  assert.equal(remoteCommandLine(['printf', '%s\\n', '$(touch x)', '']), "env 'LC_ALL=C' printf '%s\\n' '$(touch x)' ''");
  assert.throws(() => remoteCommandLine(['echo', 'a\0b']), /NUL/);
});

test('destinations: plain names, user@host, IP addresses pass; options, shell characters and odd users do not', () => {
  for (const ok of ['compute-1', 'stack@compute-1.example.org', '10.0.0.7', 'root@192.168.1.1', 'fe80::1', '[2001:db8::1]', 'nova_compute', 'my-alias']) {
    assert.equal(destinationProblem(ok), undefined, ok);
  }
  assert.match(destinationProblem('-oProxyCommand=touch x') ?? '', /starts with a dash/);
  assert.match(destinationProblem('') ?? '', /is empty/);
  assert.match(destinationProblem('-x@host') ?? '', /starts with a dash/);
  assert.match(destinationProblem('a b@host') ?? '', /user name/);
  for (const bad of hostileStrings('/tmp/CANARY')) {
    if (bad === '-rf' || bad === '--help') continue;
    assert.ok(destinationProblem(bad) || destinationProblem(`root@${bad}`), JSON.stringify(bad));
    assert.ok(destinationProblem(`root@${bad}`), JSON.stringify(bad));
  }
});

test('ssh failures: an unknown host key says what to do, names the host, never suggests accepting blindly', () => {
  const msg = sshFailure('stack@compute-1', 255, 'No ED25519 host key is known for compute-1 and you have requested strict checking.\r\nHost key verification failed.\r\n', { hostname: '10.0.0.7', port: 2222 });
  assert.match(msg ?? '', /^the host key of stack@compute-1 is not known \(not in known_hosts\), and nova-libvirt-cpu never accepts a host key for you/);
  assert.match(msg ?? '', /ssh-keyscan -p 2222 10\.0\.0\.7 >> ~\/\.ssh\/known_hosts/);
  assert.match(msg ?? '', /ssh said: No ED25519 host key is known for compute-1 .*; Host key verification failed\.$/);
  assert.match(sshFailure('h', 255, 'Host key verification failed.\n') ?? '', /ssh-keyscan h >>/);
  assert.match(sshFailure('h', 255, '@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@\nHost key verification failed.\n') ?? '', /has CHANGED/);
});

test('ssh failures: ssh\'s own errors are told apart from a remote command that exited 255', () => {
  assert.match(sshFailure('h', 255, 'h: Permission denied (publickey).\n') ?? '', /could not log in to h without a prompt/);
  assert.match(sshFailure('h', 255, 'ssh: connect to host h port 22: Connection refused\n') ?? '', /refused the ssh connection/);
  assert.match(sshFailure('h', 255, 'Connection to h closed by remote host.\n') ?? '', /connection to h was lost/);
  assert.match(sshFailure('h', 255, 'ssh: Could not resolve hostname h: Name or service not known\n') ?? '', /cannot resolve/);
  assert.equal(sshFailure('h', 255, 'my script failed\n'), undefined);
  assert.equal(sshFailure('h', 1, 'Connection refused\n'), undefined);
});

test('ssh -G output gives the real host name and port', () => {
  assert.deepEqual(parseSshG('user stack\nhostname 10.0.0.7\nport 2222\n'), { hostname: '10.0.0.7', port: 2222 });
  assert.equal(parseSshG('user stack\n'), undefined);
});
