/**
 * A real OpenSSH server on loopback for the host-command tests: Debian's sshd with its own
 * sshd_config, a host key generated per run, an authorized test key, a free port on 127.0.0.1,
 * `UsePAM no`, `StrictModes no`, a pid file and its own log. The client side gets an ssh config
 * (-F) naming the test key and a known_hosts holding the server's key, as a user's would.
 * Needs root (sshd switches to the test users; see testUsers.ts).
 *
 * `enter` (an argv prefix such as the compute node's `nsenter … --`) starts sshd inside another
 * namespace: its sessions then see that node's files and processes, as on a real compute node.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';

export interface TestSshd {
  port: number;
  dir: string;
  /** ssh client config (-F) with the test key and our known_hosts. */
  clientConfig: string;
  /** The known_hosts the client config names (holds the server's key). */
  knownHosts: string;
  /** A client config identical but with an empty known_hosts: the server's key is unknown. */
  clientConfigUnknownKey: string;
  /** Private 0700 directory for control sockets. */
  controlDir: string;
  /** sshd's log (LogLevel VERBOSE): one "Accepted publickey" per connection. */
  log(): string;
  /** pid of the listening sshd. */
  pid(): number;
  /** Cuts every connection sshd is serving (kills the per-connection sshd processes, not the commands), keeps listening. */
  dropConnections(): void;
  /** Stops listening and cuts all connections, keeping the files (the host "goes away"). */
  halt(): Promise<void>;
  stop(): Promise<void>;
}

export function sshdMissing(): string[] {
  return [SSHD, '/usr/bin/ssh', '/usr/bin/ssh-keygen'].filter((p) => !existsSync(p));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** Processes below pid (from /proc), with their command names. */
export function descendants(pid: number): Array<{ pid: number; comm: string }> {
  const parent = new Map<number, number>();
  const comm = new Map<number, string>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      parent.set(Number(e), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      comm.set(Number(e), stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
    } catch {
      /* gone */
    }
  }
  const below = (p: number): number[] => [...parent].filter(([, pp]) => pp === p).flatMap(([c]) => [c, ...below(c)]);
  return below(pid).map((p) => ({ pid: p, comm: comm.get(p) ?? '' }));
}

/** The one child of `pid` (nsenter --pid forks the command and waits for it), once it is there. */
async function childOf(pid: number): Promise<number | undefined> {
  for (let i = 0; i < 100; i++) {
    try {
      const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      if (kids.length === 1) return kids[0];
    } catch {
      return undefined; // pid is gone
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return undefined;
}

export async function startSshd(allowUsers: string[], opts: { enter?: string[] } = {}): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'nlc-sshd-'));
  chmodSync(dir, 0o755); // sshd reads authorized_keys as the test user
  mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege separation directory
  const hostKey = join(dir, 'host_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'nova-libvirt-cpu test host', '-f', hostKey]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'nova-libvirt-cpu test client', '-f', clientKey]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`), { mode: 0o644 });
  const controlDir = join(dir, 'control');
  mkdirSync(controlDir, { mode: 0o700 });

  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const config = join(dir, 'sshd_config');
    writeFileSync(config, [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      `AllowUsers ${allowUsers.join(' ')}`,
      'LogLevel VERBOSE',
      'MaxStartups 100',
      'MaxSessions 100',
      '',
    ].join('\n'));
    const logFile = join(dir, 'sshd.log');
    execFileSync(SSHD, ['-t', '-f', config]);
    const argv = [...(opts.enter ?? []), SSHD, '-D', '-f', config, '-E', logFile];
    const proc: ChildProcess = spawn(argv[0], argv.slice(1), { stdio: 'ignore' });
    let exited = false;
    proc.once('exit', () => (exited = true));
    // The listening sshd: our child, or, through `enter`, the child of nsenter (which only waits for it).
    const daemon = opts.enter ? ((await childOf(proc.pid!)) ?? proc.pid!) : proc.pid!;
    const signal = (sig: NodeJS.Signals) => { try { process.kill(daemon, sig); } catch { /* gone */ } };
    for (let i = 0; i < 100 && !exited; i++) {
      if (await accepts(port)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    if (exited || !(await accepts(port))) {
      lastError = existsSync(logFile) ? readFileSync(logFile, 'utf8') : 'sshd exited';
      signal('SIGKILL');
      continue;
    }
    const hostPub = readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostPub}\n`);
    writeFileSync(join(dir, 'known_hosts.empty'), '');
    const client = (kh: string) =>
      [
        'Host *',
        `  Port ${port}`,
        `  IdentityFile ${clientKey}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${kh}`,
        '  GlobalKnownHostsFile /dev/null',
        '',
      ].join('\n');
    const clientConfig = join(dir, 'ssh_config');
    const clientConfigUnknownKey = join(dir, 'ssh_config.unknown-key');
    writeFileSync(clientConfig, client(knownHosts));
    writeFileSync(clientConfigUnknownKey, client(join(dir, 'known_hosts.empty')));
    return {
      port,
      dir,
      clientConfig,
      clientConfigUnknownKey,
      knownHosts,
      controlDir,
      log: () => readFileSync(logFile, 'utf8'),
      pid: () => daemon,
      dropConnections: () => {
        for (const child of descendants(daemon).filter((d) => d.comm === 'sshd')) {
          try {
            process.kill(child.pid, 'SIGKILL');
          } catch {
            /* already gone */
          }
        }
      },
      halt: async () => {
        const sessions = descendants(daemon).filter((d) => d.comm === 'sshd');
        if (!exited) {
          const gone = new Promise((r) => proc.once('exit', r));
          signal('SIGKILL');
          await gone;
        }
        for (const d of sessions) {
          try {
            process.kill(d.pid, 'SIGKILL');
          } catch {
            /* already gone */
          }
        }
      },
      stop: async () => {
        if (!exited) {
          const gone = new Promise((r) => proc.once('exit', r));
          signal('SIGTERM');
          await gone;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`sshd did not start on a free port after 5 attempts: ${lastError}`);
}
