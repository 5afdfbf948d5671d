/**
 * A real Nova compute node for the host-command tests.
 *
 * Debian's own nova-compute, started by Debian's own init script, in a mount + UTS namespace
 * ("the node") where bind mounts give it private /etc/nova, /var/log/nova, /var/lib/nova and
 * /var/run/nova, so the machine's own files are never touched. The services it needs run in the
 * same namespace, each isolated the same way: rabbitmq-server (own node name, ports, mnesia),
 * nova-conductor on sqlite, placement without keystone, and a libvirtd with its own /etc/libvirt
 * (auth settings from the note) and /run/libvirt, answering qemu:///system inside the node only,
 * with its own virtlogd, so guests can run in the node.
 *
 * Started once per `npm test` (scripts/run-tests.mjs runs `up`/`down` and passes the state file
 * in NLC_COMPUTE_NODE); a test file run on its own starts a private node and stops it after.
 * The node has its own PID namespace: it is stopped from inside it, never by process name.
 *
 * CLI: node --import tsx test/support/computeNode.ts up STATEFILE | down STATEFILE
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { chownSync, closeSync, cpSync, openSync, readdirSync, readlinkSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BaseRunner } from '../../server/src/hosts/baseRunner';
import { execBounded, type ExecOutcome } from '../../server/src/hosts/exec';
import type { RunOptions, RunnerHooks } from '../../server/src/hosts/runner';

export interface ComputeNode {
  /** State directory on the machine (the bound directories live under it). */
  dir: string;
  /** The namespace holder's pid: `nsenter --target` it. */
  pid: number;
  hostname: string;
  /** argv prefix that runs a command inside the node. */
  enter: string[];
  /** Machine-side paths of the node's /etc/nova and /var/log/nova (for assertions only). */
  etcNova: string;
  logNova: string;
  /** Pids of the daemons we started, and what start-up cost. */
  pids: Record<string, number>;
  ports: { rabbit: number; placement: number };
  startMs: number;
  phases: Record<string, number>;
}

/** The programs the node needs; the first missing one is reported (CI_REQUIRE_ORACLES=1 fails on it). */
const REQUIRED = ['/usr/bin/nova-compute', '/usr/bin/nova-conductor', '/usr/bin/nova-manage', '/usr/bin/placement-api',
  '/usr/bin/placement-manage', '/usr/sbin/rabbitmq-server', '/usr/sbin/libvirtd', '/usr/bin/virsh', '/etc/init.d/nova-compute',
  '/usr/bin/unshare', '/usr/bin/nsenter', '/usr/bin/epmd'];

export function computeNodeMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'the compute node needs root (namespaces, bind mounts)';
  const absent = REQUIRED.find((p) => !existsSync(p));
  if (absent) return `${absent} is not installed (scripts/setup-test-env.sh installs nova-compute, nova-conductor, python3-placement, rabbitmq-server, libvirt-daemon, qemu-system-x86)`;
  if (!existsSync('/etc/nova/nova.conf') && !existsSync('/usr/share/nova-common/nova.conf')) return "Debian's packaged nova.conf is missing";
  return undefined;
}

interface Exec { code: number | null; stdout: string; stderr: string }

export function run(argv: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Exec> {
  return new Promise((resolve) => {
    execFile(argv[0], argv.slice(1), { timeout: opts.timeoutMs ?? 120_000, env: opts.env ?? process.env, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? (err as unknown as { code: number }).code : null) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function must(argv: string[], what: string, opts?: { timeoutMs?: number; env?: NodeJS.ProcessEnv }): Promise<Exec> {
  const r = await run(argv, opts);
  if (r.code !== 0) throw new Error(`compute node: ${what} failed (exit ${r.code}): ${argv.join(' ')}\n${r.stderr.slice(-2000)}${r.stdout.slice(-1000)}`);
  return r;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)); });
  });
}

export async function waitFor(what: string, timeoutMs: number, probe: () => Promise<boolean> | boolean, detail?: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await probe()) return;
    await sleep(200);
  }
  throw new Error(`compute node: ${what} not ready after ${timeoutMs / 1000} s${detail ? `\n${detail()}` : ''}`);
}

const tail = (file: string, n = 30) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-n).join('\n') : `(${file} absent)`);

// --- nova.conf edits (plain line edits of the packaged file; the harness does not use the code under test) ---

/** Section bounds [headerLine, nextHeaderLine) of the first `[name]`. */
function section(lines: string[], name: string): [number, number] | undefined {
  const start = lines.findIndex((l) => l.trim() === `[${name}]`);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && !/^\[[^\]]+\]\s*$/.test(lines[end])) end++;
  return [start, end];
}

/** Sets `key = value` in `[name]`: replaces the first active occurrence, deletes later ones (the last one wins in oslo.config). */
export function setOption(text: string, name: string, key: string, value: string | null): string {
  const lines = text.split('\n');
  let sec = section(lines, name);
  if (!sec) { lines.push(`[${name}]`); sec = [lines.length - 1, lines.length]; }
  const active = new RegExp(`^\\s*${key}\\s*=`);
  const hits: number[] = [];
  for (let i = sec[0] + 1; i < sec[1]; i++) if (active.test(lines[i])) hits.push(i);
  for (const i of hits.slice(1).reverse()) lines.splice(i, 1);
  if (value === null) { if (hits.length) lines.splice(hits[0], 1); }
  else if (hits.length) lines[hits[0]] = `${key} = ${value}`;
  else lines.splice(sec[0] + 1, 0, `${key} = ${value}`);
  return lines.join('\n');
}

/** The Debian nova-compute.conf with the note's [libvirt] settings for TCG and the node's host name. */
export function seedComputeConf(hostname: string, extra: Array<[string, string, string | null]> = []): string {
  let t = readFileSync('/etc/nova/nova-compute.conf', 'utf8');
  t = setOption(t, 'DEFAULT', 'host', hostname);
  t = setOption(t, 'libvirt', 'virt_type', 'qemu');
  t = setOption(t, 'libvirt', 'connection_uri', 'qemu:///system');
  for (const [s, k, v] of extra) t = setOption(t, s, k, v);
  return t;
}

function seedNovaConf(rabbitPort: number, placementPort: number): string {
  const packaged = existsSync('/etc/nova/nova.conf') ? '/etc/nova/nova.conf' : '/usr/share/nova-common/nova.conf';
  let t = readFileSync(packaged, 'utf8');
  t = setOption(t, 'DEFAULT', 'transport_url', `rabbit://guest:guest@127.0.0.1:${rabbitPort}/`);
  // Debian's [placement] has auth_type = password further down: setOption removes it (the last one would win).
  t = setOption(t, 'placement', 'auth_type', 'none');
  t = setOption(t, 'placement', 'endpoint_override', `http://127.0.0.1:${placementPort}`);
  // nova-compute must not have DB access ("No DB access allowed in nova-compute").
  t = setOption(t, 'database', 'connection', null);
  return t;
}

// --- the node ---------------------------------------------------------------------------------

/** Machine paths bound over these, inside the node. */
const BINDS: Array<[string, string]> = [
  ['etc-nova', '/etc/nova'], ['log-nova', '/var/log/nova'], ['lib-nova', '/var/lib/nova'], ['run-nova', '/run/nova'],
  ['etc-libvirt', '/etc/libvirt'], ['run-libvirt', '/run/libvirt'],
  ['lib-rabbitmq', '/var/lib/rabbitmq'], ['log-rabbitmq', '/var/log/rabbitmq'],
];

export function uid(name: string): [number, number] {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`compute node: user ${name} does not exist (is its package installed?)`);
  const f = line.split(':');
  return [Number(f[2]), Number(f[3])];
}

function groupId(name: string): number {
  const line = readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`compute node: group ${name} does not exist`);
  return Number(line.split(':')[2]);
}

/**
 * The conductor's and placement's sqlite files, at a fixed path inside the node (its private
 * /var/lib/nova), so a synced set can be cached: the cell mappings in nova_api.db name these paths.
 */
const DB_DIR = '/var/lib/nova/test-db';
const db = (n: string) => `sqlite:///${DB_DIR}/${n}`;
const DB_FILES = ['nova.db', 'nova_api.db', 'nova_cell0.db', 'placement.db'];

/** Synced databases per Nova + placement package version (nova-manage's four syncs take 20-80 s on a busy machine). */
async function dbCacheDir(): Promise<string> {
  const v = await run(['/usr/bin/dpkg-query', '-W', '-f', '${Version}_', 'nova-common', 'python3-placement']);
  const home = process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? '/root', '.cache');
  return join(home, 'nova-libvirt-cpu', `compute-node-db-${v.stdout.replace(/[^A-Za-z0-9.+_-]/g, '_')}`);
}

/** Lays out the node's private directories on the machine, owned as Debian's packages own them. */
function layOut(dir: string, hostname: string, rabbitPort: number, placementPort: number) {
  const [novaU, novaG] = uid('nova');
  const [rabU, rabG] = uid('rabbitmq');
  for (const [d] of BINDS) mkdirSync(join(dir, d), { recursive: true });
  const etc = join(dir, 'etc-nova');
  cpSync('/etc/nova', etc, { recursive: true });
  writeFileSync(join(etc, 'nova.conf'), seedNovaConf(rabbitPort, placementPort), { mode: 0o640 });
  writeFileSync(join(etc, 'nova-compute.conf'), seedComputeConf(hostname), { mode: 0o644 });
  chownSync(etc, novaU, novaG);
  chownSync(join(etc, 'nova.conf'), 0, novaG);
  for (const d of ['log-nova', 'run-nova', 'lib-nova']) chownSync(join(dir, d), novaU, novaG);
  mkdirSync(join(dir, 'lib-nova', 'instances'));
  chownSync(join(dir, 'lib-nova', 'instances'), novaU, novaG);
  for (const d of ['lib-rabbitmq', 'log-rabbitmq']) chownSync(join(dir, d), rabU, rabG);

  // libvirt: a private copy of /etc/libvirt, so the auth settings and an empty network autostart stay in the node.
  const lv = join(dir, 'etc-libvirt');
  cpSync('/etc/libvirt', lv, { recursive: true });
  rmSync(join(lv, 'qemu', 'networks', 'autostart'), { recursive: true, force: true });
  writeFileSync(join(lv, 'libvirtd.conf'),
    readFileSync('/etc/libvirt/libvirtd.conf', 'utf8') +
    '\n# nova-libvirt-cpu test node: user nova connects without polkit\n' +
    'auth_unix_rw = "none"\nunix_sock_group = "libvirt"\nunix_sock_rw_perms = "0770"\n');
  groupId('libvirt');

  // The shared services' own configs (outside the node's /etc/nova).
  mkdirSync(join(dir, 'lib-nova', 'test-db'));
  writeFileSync(join(dir, 'conductor.conf'), [
    '[DEFAULT]', `transport_url = rabbit://guest:guest@127.0.0.1:${rabbitPort}/`, `state_path = ${DB_DIR}`,
    '[database]', `connection = ${db('nova.db')}`, '[api_database]', `connection = ${db('nova_api.db')}`,
    // The conductor builds a placement client at start too.
    '[placement]', 'auth_type = none', `endpoint_override = http://127.0.0.1:${placementPort}`, '',
  ].join('\n'));
  mkdirSync(join(dir, 'placement'));
  writeFileSync(join(dir, 'placement', 'placement.conf'), [
    '[api]', 'auth_strategy = noauth2', '[placement_database]', `connection = ${db('placement.db')}`, '',
  ].join('\n'));
}

/**
 * PID 1 of the node's PID namespace: reaps every orphan (a dead daemon must not linger as a zombie,
 * which `kill -0` and so the init script's `status` would count as running). Without a handler
 * for them it ignores the signals sent from inside; SIGKILL from outside ends the whole namespace.
 */
const REAPER = 'import os, time\nwhile True:\n    try:\n        os.wait()\n    except ChildProcessError:\n        time.sleep(0.5)\n';

/**
 * Starts a namespace holder (the node, or with `binds`/`outer` a fleet host inside it): new mount, UTS and PID namespaces (its own /proc, so `pidof` in Debian's init
 * script sees only the node's nova-compute, not another node's on the same machine), the binds,
 * the hostname, then the reaper as PID 1. Returns the reaper's pid as the machine sees it.
 */
export async function startHolder(dir: string, hostname: string, binds: ReadonlyArray<[string, string]> = BINDS, outer: readonly string[] = []): Promise<number> {
  for (const [, target] of binds) mkdirSync(target, { recursive: true }); // a bind needs its mount point
  const script = [
    'set -e', 'hostname "$1"', 'd="$2"',
    ...binds.map(([src, target]) => `mount --bind "$d/${src}" ${target}`),
    'touch "$d/ready"', 'exec /usr/bin/python3 -c "$3"',
  ].join('\n');
  // `outer` (nsenter --mount --uts --target NODE --, which execs without forking) nests the holder in another node's mounts.
  const argv = [...outer, '/usr/bin/unshare', '--mount', '--uts', '--pid', '--fork', '--mount-proc', '--propagation', 'private',
    '/bin/sh', '-c', script, 'sh', hostname, dir, REAPER];
  const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (b) => { err += b; });
  await waitFor('namespace holder', 10_000, () => existsSync(join(dir, 'ready')) || child.exitCode !== null, () => err);
  if (!existsSync(join(dir, 'ready'))) throw new Error(`compute node: unshare failed: ${err}`);
  child.stderr!.destroy();
  child.unref();
  // unshare --fork waits for its child, PID 1 of the new namespace: that child is the nsenter target.
  const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
  if (children.length !== 1 || !children[0]) throw new Error(`compute node: cannot find the namespace's PID 1 under unshare ${child.pid}`);
  return children[0];
}

/** Spawns a long-running daemon inside the node, detached, output to a log; returns its pid. */
function daemon(enter: string[], argv: string[], log: string, env: NodeJS.ProcessEnv = process.env): number {
  const fd = openSync(log, 'a');
  const child = spawn(enter[0], [...enter.slice(1), ...argv], { detached: true, stdio: ['ignore', fd, fd], env });
  child.unref();
  closeSync(fd);
  return child.pid!;
}

export const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

export async function startComputeNode(opts: { hostname?: string } = {}): Promise<ComputeNode> {
  const missing = computeNodeMissing();
  if (missing) throw new Error(`compute node: ${missing}`);
  const t0 = Date.now();
  const phases: Record<string, number> = {};
  const mark = (name: string, since: number) => { phases[name] = Date.now() - since; };
  const dir = mkdtempSync(join(tmpdir(), 'nlc-node-'));
  const hostname = opts.hostname ?? `nlc-node-${process.pid}`;
  const ports = { rabbit: await freePort(), placement: await freePort() };
  const distPort = await freePort();
  layOut(dir, hostname, ports.rabbit, ports.placement);
  const pid = await startHolder(dir, hostname);
  // --pid: nsenter forks, the command runs in the node's PID namespace and nsenter waits for it.
  const enter = ['/usr/bin/nsenter', '--mount', '--uts', '--pid', '--target', String(pid), '--'];
  const node: ComputeNode = { dir, pid, hostname, enter, etcNova: join(dir, 'etc-nova'), logNova: join(dir, 'log-nova'), pids: { holder: pid }, ports, startMs: 0, phases };
  writeFileSync(join(dir, 'state.json'), JSON.stringify(node));
  try {
    // epmd is per machine (port 4369, multiplexes node names); start it outside the node so it does not pin the namespace.
    await run(['/usr/bin/epmd', '-daemon']);
    const rabbitNode = `nlc${pid}@localhost`;
    const rabbitEnv = {
      RABBITMQ_NODENAME: rabbitNode, RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1', RABBITMQ_NODE_PORT: String(ports.rabbit),
      RABBITMQ_DIST_PORT: String(distPort), RABBITMQ_PID_FILE: '/var/lib/rabbitmq/nlc.pid',
    };
    const envArgs = Object.entries(rabbitEnv).map(([k, v]) => `${k}=${v}`);
    (node as ComputeNode & { rabbitNode: string }).rabbitNode = rabbitNode;
    const tr = Date.now();
    await must([...enter, '/usr/sbin/runuser', '-u', 'rabbitmq', '--', '/usr/bin/env', ...envArgs, '/usr/lib/rabbitmq/bin/rabbitmq-server', '-detached'], 'rabbitmq-server -detached');

    // Meanwhile: databases (nova-manage is the slow part, ~20 s), libvirtd.
    const tl = Date.now();
    // virtlogd takes the guests' console logs: without it in the node (its socket is in the node's
    // /run/libvirt) `virsh start` of a guest fails. Its pid file is ours: /run/virtlogd.pid is the machine's.
    await must([...enter, '/usr/sbin/virtlogd', '-d', '-p', join(dir, 'virtlogd.pid')], 'virtlogd -d');
    await must([...enter, '/usr/sbin/libvirtd', '-d', '-p', join(dir, 'libvirtd.pid')], 'libvirtd -d');
    await waitFor('libvirtd', 20_000, () => existsSync(join(dir, 'run-libvirt', 'libvirt-sock')) && existsSync(join(dir, 'libvirtd.pid')));
    mark('libvirtd', tl);

    const td = Date.now();
    const conf = ['--config-file', join(dir, 'conductor.conf')];
    const pconf = join(dir, 'placement', 'placement.conf');
    const cache = await dbCacheDir();
    const dbDir = join(dir, 'lib-nova', 'test-db');
    if (existsSync(join(cache, '.complete'))) {
      // A pristine synced set (copied before any service ran). Its cell1 mapping keeps the transport_url of the
      // run that synced it; nothing here routes through cell mappings (no instances are built), so that is inert.
      for (const f of DB_FILES) cpSync(join(cache, f), join(dbDir, f));
    } else await Promise.all([
      (async () => {
        await must([...enter, '/usr/bin/nova-manage', ...conf, 'api_db', 'sync'], 'nova-manage api_db sync');
        await must([...enter, '/usr/bin/nova-manage', ...conf, 'cell_v2', 'map_cell0', '--database_connection', db('nova_cell0.db')], 'nova-manage cell_v2 map_cell0');
        await must([...enter, '/usr/bin/nova-manage', ...conf, 'db', 'sync'], 'nova-manage db sync');
        await must([...enter, '/usr/bin/nova-manage', ...conf, 'cell_v2', 'create_cell', '--name', 'cell1'], 'nova-manage cell_v2 create_cell');
      })(),
      must([...enter, '/usr/bin/placement-manage', '--config-file', pconf, 'db', 'sync'], 'placement-manage db sync'),
    ]).then(() => {
      const tmp = `${cache}.tmp-${process.pid}`;
      mkdirSync(tmp, { recursive: true });
      for (const f of DB_FILES) cpSync(join(dbDir, f), join(tmp, f));
      writeFileSync(join(tmp, '.complete'), new Date().toISOString());
      rmSync(cache, { recursive: true, force: true });
      renameSync(tmp, cache);
    });
    mark('databases', td);
    const tp = Date.now();
    node.pids.placement = daemon(enter, ['/usr/bin/placement-api', '--port', String(ports.placement), '--', '--config-file', pconf],
      join(dir, 'placement.log'), { ...process.env, OS_PLACEMENT_CONFIG_DIR: join(dir, 'placement') });

    const tc = Date.now();
    // Started before rabbitmq answers (oslo.messaging reconnects): the start-ups overlap.
    node.pids.conductor = daemon(enter, ['/usr/bin/nova-conductor', ...conf, '--log-file', join(dir, 'conductor.log')], join(dir, 'conductor.out'));
    // await_startup exits 69 at once while only rabbit's prelaunch node is registered (seen when the
    // databases come from the cache and we get here within a second): ask again until it answers.
    const awaitRabbit = [...enter, '/usr/sbin/runuser', '-u', 'rabbitmq', '--', '/usr/bin/env', ...envArgs, '/usr/lib/rabbitmq/bin/rabbitmqctl', '-n', rabbitNode, 'await_startup', '--timeout', '60'];
    let rabbit = await run(awaitRabbit, { timeoutMs: 90_000 });
    for (const end = Date.now() + 90_000; rabbit.code === 69 && Date.now() < end; rabbit = await run(awaitRabbit, { timeoutMs: 90_000 })) await sleep(1000);
    if (rabbit.code !== 0) throw new Error(`compute node: rabbitmqctl await_startup failed (exit ${rabbit.code}): ${awaitRabbit.join(' ')}\n${rabbit.stderr.slice(-2000)}${rabbit.stdout.slice(-1000)}\n${tail(join(dir, 'log-rabbitmq', `${rabbitNode}.log`))}`);
    mark('rabbitmq', tr);
    const answers = () => fetch(`http://127.0.0.1:${ports.placement}/`, { signal: AbortSignal.timeout(5000) }).then((r) => r.ok, () => false);
    await waitFor('placement', 30_000, async () => (await answers()) || !alive(node.pids.placement), () => tail(join(dir, 'placement.log')));
    if (!alive(node.pids.placement)) throw new Error(`compute node: placement-api exited\n${tail(join(dir, 'placement.log'))}`);
    mark('placement', tp);

    // Without a conductor, nova-compute waits 10 s per retry ("Timed out waiting for nova-conductor"): wait for its workers.
    const conductorUp = () => existsSync(join(dir, 'conductor.log')) && readFileSync(join(dir, 'conductor.log'), 'utf8').includes('Starting conductor node');
    await waitFor('nova-conductor', 60_000, () => conductorUp() || !alive(node.pids.conductor), () => tail(join(dir, 'conductor.log')));
    if (!conductorUp()) throw new Error(`compute node: nova-conductor exited\n${tail(join(dir, 'conductor.log'))}`);
    mark('conductor', tc);
    node.startMs = Date.now() - t0;
    writeFileSync(join(dir, 'state.json'), JSON.stringify(node));
    return node;
  } catch (e) {
    await stopComputeNode(node).catch(() => undefined);
    throw e;
  }
}

/** Processes in the node's PID namespace, as the machine sees them. */
function nodeProcesses(node: ComputeNode): number[] {
  let ns: string;
  try { ns = readlinkSync(`/proc/${node.pid}/ns/pid`); } catch { return []; }
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((p) => {
    try { return readlinkSync(`/proc/${p}/ns/pid`) === ns; } catch { return false; }
  });
}

/**
 * Stops the node: nova-compute and rabbitmq the way they are stopped, then TERM to everything
 * else in the node's namespace, then SIGKILL to its PID 1 (the kernel ends what is left in the
 * namespace with it). Only processes of the node's own PID namespace are touched.
 */
export async function stopComputeNode(node: ComputeNode): Promise<void> {
  // Only a node with its own PID namespace (enter has --pid) may get `kill -1`: elsewhere it would reach the whole machine.
  if (alive(node.pid) && node.enter.includes('--pid')) {
    await run([...node.enter, '/etc/init.d/nova-compute', 'stop'], { timeoutMs: 60_000 });
    const rabbitNode = (node as ComputeNode & { rabbitNode?: string }).rabbitNode;
    if (rabbitNode) await run([...node.enter, '/usr/sbin/runuser', '-u', 'rabbitmq', '--', '/usr/lib/rabbitmq/bin/rabbitmqctl', '-n', rabbitNode, 'stop'], { timeoutMs: 60_000 });
    await run([...node.enter, '/bin/kill', '-TERM', '-1']); // inside a PID namespace: every process of the node but PID 1
    const end = Date.now() + 15_000;
    while (nodeProcesses(node).length > 1 && Date.now() < end) await sleep(200); // PID 1 (the reaper) stays
    try { process.kill(node.pid, 'SIGKILL'); } catch { /* gone */ }
    const gone = Date.now() + 10_000;
    while (alive(node.pid) && Date.now() < gone) await sleep(100);
  }
  rmSync(node.dir, { recursive: true, force: true });
}

/** Attaches to the run's shared node (NLC_COMPUTE_NODE), or starts a private one that `release` stops. */
export async function useComputeNode(): Promise<{ node: ComputeNode; release(): Promise<void> }> {
  const state = process.env.NLC_COMPUTE_NODE;
  if (state && existsSync(state)) {
    const node = JSON.parse(readFileSync(state, 'utf8')) as ComputeNode;
    if (alive(node.pid)) return { node, release: async () => undefined };
  }
  const node = await startComputeNode();
  return { node, release: () => stopComputeNode(node) };
}

/** A test's starting point: the seed configs back (nova.conf as the node was laid out), none of our backups or manifests. */
export function resetNodeConfig(node: ComputeNode, seedNova: string, computeText = seedComputeConf(node.hostname)): void {
  writeFileSync(join(node.etcNova, 'nova.conf'), seedNova);
  writeFileSync(join(node.etcNova, 'nova-compute.conf'), computeText);
  for (const f of readdirSync(node.etcNova)) if (f.includes('nova-libvirt-cpu')) rmSync(join(node.etcNova, f));
}

/**
 * The CLI's `set-cpu-mode --mode custom --models SierraForest --yes` on the node (this machine's
 * libvirt 9.0 has no such model): Nova's refusal in its own words, our code for it, the rollback,
 * the file as it was. Shared by the CLI tests on the node and over ssh.
 */
export async function refusedModelRolledBack(node: ComputeNode, cli: (args: string[]) => Promise<{ code: number | null; stderr: string }>): Promise<void> {
  const file = join(node.etcNova, 'nova-compute.conf');
  const before = readFileSync(file);
  const r = await cli(['set-cpu-mode', '--mode', 'custom', '--models', 'SierraForest', '--yes']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /ERROR oslo_service\.service \[-\] Error starting thread\.: nova\.exception\.InvalidCPUInfo: Configured CPU model: SierraForest is not correct, or your host CPU arch does not support this model\. Please correct your config and try again\./);
  assert.match(r.stderr, /\[nova\/unknown-cpu-model\]/);
  assert.match(r.stderr, /Rolled back: the previous config is restored and nova-compute runs/);
  assert.deepEqual(readFileSync(file), before, 'byte for byte');
}

/** Stops the node's nova-compute with its init script (a shared node outlives the test file). */
export function stopNovaCompute(node: ComputeNode): Promise<void> {
  return new Promise((done) => execFile(node.enter[0], [...node.enter.slice(1), '/etc/init.d/nova-compute', 'stop'], { timeout: 60_000 }, () => done()));
}

// `up STATEFILE` / `down STATEFILE`: the test runner's once-per-run start and stop.
if (process.argv[1] && /computeNode\.ts$/.test(process.argv[1])) {
  const [cmd, state] = process.argv.slice(2);
  (async () => {
    if (cmd === 'up' && state) {
      const missing = computeNodeMissing();
      // The node's tests then report the same reason (and fail under CI_REQUIRE_ORACLES=1).
      if (missing) { process.stdout.write(`compute node not started: ${missing}\n`); return; }
      const node = await startComputeNode();
      writeFileSync(state, JSON.stringify(node));
      process.stdout.write(`compute node ${node.hostname} up in ${(node.startMs / 1000).toFixed(1)} s ${JSON.stringify(node.phases)}\n`);
    } else if (cmd === 'down' && state) {
      if (existsSync(state)) { await stopComputeNode(JSON.parse(readFileSync(state, 'utf8'))); rmSync(state, { force: true }); }
    } else {
      process.stderr.write('usage: computeNode.ts up|down STATEFILE\n');
      process.exitCode = 2;
    }
  })().catch((e) => { process.stderr.write(`${(e as Error).message}\n`); process.exitCode = 1; });
}

/**
 * The LocalRunner's way of running argv, inside the node: each argv is prefixed with
 * `nsenter --mount --uts --target PID --`, the situation of the tool running on the compute node.
 * The command log shows the argv as the tool ran it (without the prefix), host = the node's name.
 */
export class NodeRunner extends BaseRunner {
  constructor(private readonly node: ComputeNode, hooks: RunnerHooks = {}) {
    super(node.hostname, hooks);
  }

  protected start(argv: string[], stdin: Buffer | undefined, opts: RunOptions): Promise<ExecOutcome> {
    const [file, ...args] = [...this.node.enter, ...argv];
    return execBounded({ file, args, stdin, timeoutMs: opts.timeoutMs, maxOutputBytes: opts.maxOutputBytes, env: { ...process.env, LC_ALL: 'C' } });
  }

  async close(): Promise<void> {}
}
