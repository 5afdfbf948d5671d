/**
 * Several compute "hosts" on this machine for the rollout tests: each host is a mount + UTS + PID namespace nested in the compute node's
 * (test/support/computeNode.ts) with its own /etc/nova, /var/log/nova, /var/lib/nova and
 * /run/nova (the init script's pid file), its own hostname ([DEFAULT] host), its own sshd on a
 * loopback port (test/support/sshd.ts) and its own nova-compute, started by Debian's init script;
 * all share the node's rabbitmq, conductor, placement and libvirtd.
 *
 * The client side: one ssh config with a Host alias per host (host1…hostN: port, key, known_hosts,
 * user) and an Ansible INI inventory naming the aliases, as an operator's would.
 * Stop: nova-compute with its init script inside each host, each sshd by its pid, then the host's
 * PID 1 (the kernel ends what is left in its namespace).
 */
import { execFile } from 'node:child_process';
import { chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alive, run, seedComputeConf, startHolder, uid, useComputeNode, waitFor, type ComputeNode } from './computeNode';
import { startSshd, type TestSshd } from './sshd';
import { ensureTestUsers, NOPASSWD_USER } from './testUsers';

export interface FleetHost {
  /** Inventory name and ssh alias: host1…hostN. */
  name: string;
  /** Its hostname inside (and nova-compute's [DEFAULT] host). */
  hostname: string;
  dir: string;
  pid: number;
  enter: string[];
  /** Machine paths of its /etc/nova and /var/log/nova (assertions only). */
  etcNova: string;
  logNova: string;
  sshd: TestSshd;
}

export interface Fleet {
  node: ComputeNode;
  hosts: FleetHost[];
  dir: string;
  sshConfig: string;
  inventory: string;
  /** The seed nova.conf every host starts from (the node's, as laid out). */
  seedNova: string;
  stop(): Promise<void>;
}

const HOST_BINDS: Array<[string, string]> = [['etc-nova', '/etc/nova'], ['log-nova', '/var/log/nova'], ['lib-nova', '/var/lib/nova'], ['run-nova', '/run/nova']];

function layOutHost(dir: string, node: ComputeNode, hostname: string): void {
  const [novaU, novaG] = uid('nova');
  for (const [d] of HOST_BINDS) mkdirSync(join(dir, d), { recursive: true });
  const etc = join(dir, 'etc-nova');
  cpSync(node.etcNova, etc, { recursive: true, filter: (src) => !src.includes('nova-libvirt-cpu') });
  writeFileSync(join(etc, 'nova-compute.conf'), seedComputeConf(hostname), { mode: 0o644 });
  chownSync(etc, novaU, novaG);
  chownSync(join(etc, 'nova.conf'), 0, novaG);
  for (const d of ['log-nova', 'run-nova', 'lib-nova']) chownSync(join(dir, d), novaU, novaG);
  mkdirSync(join(dir, 'lib-nova', 'instances'), { recursive: true });
  chownSync(join(dir, 'lib-nova', 'instances'), novaU, novaG);
}

/** Runs argv inside a host (the harness's own access, not the code under test). */
export function inHost(h: FleetHost, argv: string[], timeoutMs = 120_000) {
  return run([...h.enter, ...argv], { timeoutMs });
}

/** What nova-compute logged from byte `from` on. */
export function logSince(h: FleetHost, from: number): string {
  const f = join(h.logNova, 'nova-compute.log');
  return existsSync(f) ? readFileSync(f).subarray(from).toString('utf8') : '';
}

export function logSize(h: FleetHost): number {
  const f = join(h.logNova, 'nova-compute.log');
  return existsSync(f) ? readFileSync(f).length : 0;
}

/** Past init_host in the log (independent of the code under test: the lines the single-node tests read), and `status` says running. */
const STARTED = /Looking for unclaimed instances stuck in BUILDING status|not found in the database|Compute node record created|Final resource view/;

export async function isRunning(h: FleetHost): Promise<boolean> {
  return (await inHost(h, ['/etc/init.d/nova-compute', 'status'], 30_000)).code === 0;
}

/** (Re)starts nova-compute in every host at once and waits (bounded, generously: N of them share 2 cores) until each runs past init_host. */
export async function startAll(hosts: FleetHost[], timeoutMs = 300_000): Promise<void> {
  await Promise.all(hosts.map(async (h) => {
    const from = logSize(h);
    const r = await inHost(h, ['/etc/init.d/nova-compute', 'restart'], 180_000);
    if (r.code !== 0) throw new Error(`${h.name}: init script restart failed (exit ${r.code}): ${r.stderr}${r.stdout}`);
    await waitFor(`${h.name}'s nova-compute`, timeoutMs, async () => STARTED.test(logSince(h, from)) && (await isRunning(h)), () => logSince(h, from).split('\n').slice(-20).join('\n'));
  }));
}

export const startedSince = (h: FleetHost, from: number) => STARTED.test(logSince(h, from));

/** The hosts' files back to the seed (nova.conf, nova-compute.conf with `computeExtra` for some hosts), no nova.conf.d, none of our backups or manifests. */
export function resetFleet(f: Fleet, computeExtra: Record<string, Array<[string, string, string | null]>> = {}, fragments: Record<string, string> = {}): void {
  for (const h of f.hosts) {
    writeFileSync(join(h.etcNova, 'nova.conf'), f.seedNova);
    writeFileSync(join(h.etcNova, 'nova-compute.conf'), seedComputeConf(h.hostname, computeExtra[h.name] ?? []));
    rmSync(join(h.etcNova, 'nova.conf.d'), { recursive: true, force: true });
    if (fragments[h.name] !== undefined) {
      mkdirSync(join(h.etcNova, 'nova.conf.d'));
      writeFileSync(join(h.etcNova, 'nova.conf.d', '50-local.conf'), fragments[h.name]);
    }
    for (const name of readdirSync(h.etcNova)) if (name.includes('nova-libvirt-cpu')) rmSync(join(h.etcNova, name));
  }
}

export async function startFleet(n: number): Promise<Fleet> {
  ensureTestUsers();
  const { node, release } = await useComputeNode();
  const dir = mkdtempSync(join(tmpdir(), 'nlc-fleet-'));
  const hosts: FleetHost[] = [];
  const seedNova = readFileSync(join(node.etcNova, 'nova.conf'), 'utf8');
  // Nested in the node's mounts (its /run/libvirt); nsenter without --pid execs, so the holder's parent is unshare.
  const outer = ['/usr/bin/nsenter', '--mount', '--uts', '--target', String(node.pid), '--'];
  const fleet: Fleet = {
    node, hosts, dir, seedNova, sshConfig: join(dir, 'ssh_config'), inventory: join(dir, 'inventory.ini'),
    stop: async () => {
      await Promise.all(hosts.map(async (h) => {
        if (alive(h.pid)) await inHost(h, ['/etc/init.d/nova-compute', 'stop'], 60_000);
        await h.sshd.stop().catch(() => undefined);
        try { process.kill(h.pid, 'SIGKILL'); } catch { /* gone */ }
      }));
      rmSync(dir, { recursive: true, force: true });
      await release();
    },
  };
  try {
    for (let i = 1; i <= n; i++) {
      const name = `host${i}`;
      const hdir = join(dir, name);
      const hostname = `${node.hostname}-h${i}`;
      layOutHost(hdir, node, hostname);
      const pid = await startHolder(hdir, hostname, HOST_BINDS, outer);
      const enter = ['/usr/bin/nsenter', '--mount', '--uts', '--pid', '--target', String(pid), '--'];
      const sshd = await startSshd([NOPASSWD_USER], { enter });
      hosts.push({ name, hostname, dir: hdir, pid, enter, etcNova: join(hdir, 'etc-nova'), logNova: join(hdir, 'log-nova'), sshd });
    }
    // One client config for the fleet: each sshd's own port, client key and known_hosts under the host's alias.
    writeFileSync(fleet.sshConfig, hosts.map((h) => [
      `Host ${h.name}`, '  HostName 127.0.0.1', `  Port ${h.sshd.port}`, `  User ${NOPASSWD_USER}`, `  IdentityFile ${join(h.sshd.dir, 'client_ed25519')}`,
      '  IdentitiesOnly yes', `  UserKnownHostsFile ${h.sshd.knownHosts}`, '  GlobalKnownHostsFile /dev/null', '',
    ].join('\n')).join(''));
    writeFileSync(fleet.inventory, ['[computes]', ...hosts.map((h) => h.name), '', '[computes:vars]', 'ansible_python_interpreter=/usr/bin/python3', ''].join('\n'));
    return fleet;
  } catch (e) {
    await fleet.stop().catch(() => undefined);
    throw e;
  }
}

/** The CLI on the machine (an operator's workstation), with a short private TMPDIR for the ssh control sockets. */
export function cliRunner(cli: string) {
  const tmp = mkdtempSync('/tmp/nlc-');
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
  delete env.XDG_RUNTIME_DIR;
  return {
    run: (args: string[], timeoutMs = 900_000): Promise<{ code: number | null; stdout: string; stderr: string }> => new Promise((done) => {
      execFile(process.execPath, [cli, ...args], { timeout: timeoutMs, maxBuffer: 64 << 20, env }, (err, stdout, stderr) => {
        done({ code: err ? ((err as { code?: unknown }).code as number | null) ?? null : 0, stdout: String(stdout), stderr: String(stderr) });
      });
    }),
    dispose: () => rmSync(tmp, { recursive: true, force: true }),
  };
}
