/**
 * The CLI over real OpenSSH to the real compute node: Debian's sshd started inside the node's
 * namespaces (test/support/sshd.ts through the node's `nsenter` prefix), so every command of
 * `set-cpu-mode --host` / `rollback --host` runs in an ssh session on the node, as a non-root user
 * with sudo, against the node's /etc/nova, its init script and nova-compute's own log. The CLI
 * itself runs outside the node, as an operator's workstation would. Needs `npm run build`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { computeNodeMissing, refusedModelRolledBack, resetNodeConfig, stopNovaCompute, useComputeNode, type ComputeNode } from '../support/computeNode';
import { sshdMissing, startSshd, type TestSshd } from '../support/sshd';
import { ensureTestUsers, NOPASSWD_USER, testUsersMissing } from '../support/testUsers';

const REQUIRED = process.env.CI_REQUIRE_ORACLES === '1';
const CLI = resolve(__dirname, '..', '..', 'dist', 'cli.js');
const missing = computeNodeMissing() ?? [...sshdMissing(), ...testUsersMissing()][0] ?? (existsSync(CLI) ? undefined : 'dist/cli.js is not built (npm run build)');
const DEST = `${NOPASSWD_USER}@127.0.0.1`;

let node: ComputeNode;
let sshd: TestSshd;
let release: () => Promise<void> = async () => undefined;
let seedNova = '';
let cliTmp = '';

/** The CLI on the machine (not in the node), through our test sshd; its own TMPDIR holds the ssh control socket. */
function cli(args: string[], timeoutMs = 200_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Short: ssh's control socket path (TMPDIR/nova-libvirt-cpu-ssh-UID/%C plus ssh's suffix) must fit in 108 bytes.
  cliTmp ||= mkdtempSync('/tmp/nlc-');
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: cliTmp };
  delete env.XDG_RUNTIME_DIR;
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args, '--host', DEST, '--ssh-config', sshd.clientConfig], { timeout: timeoutMs, maxBuffer: 16 << 20, env }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: unknown }).code as number | null) ?? null : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

const computeConf = () => join(node.etcNova, 'nova-compute.conf');
const sessions = () => sshd.log().split('\n').filter((l) => l.startsWith(`Accepted publickey for ${NOPASSWD_USER} `)).length;


describe('set-cpu-mode --host / rollback --host over OpenSSH to the real compute node', { skip: !REQUIRED && missing ? `${missing}; CI_REQUIRE_ORACLES=1 makes this a failure` : false }, () => {
  before(async () => {
    if (missing) assert.fail(`CI_REQUIRE_ORACLES=1 but ${missing}`);
    ({ node, release } = await useComputeNode());
    ensureTestUsers();
    sshd = await startSshd([NOPASSWD_USER], { enter: node.enter });
    seedNova = readFileSync(join(node.etcNova, 'nova.conf'), 'utf8');
  });
  after(async () => {
    if (node) await stopNovaCompute(node);
    await sshd?.stop();
    if (cliTmp) rmSync(cliTmp, { recursive: true, force: true });
    await release();
  });

  test('the ssh sessions run inside the node: its hostname, its /etc/nova', async () => {
    resetNodeConfig(node, seedNova);
    const r = await cli(['rollback', '--list']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^no recorded changes in \/etc\/nova on nlcpu-nopw@127\.0\.0\.1$/m);
    const where = await new Promise<string>((done) => execFile('ssh', ['-F', sshd.clientConfig, '-o', 'BatchMode=yes', DEST, 'hostname; sudo -n cat /etc/nova/nova-compute.conf'], { timeout: 60_000 }, (_e, out) => done(String(out))));
    assert.equal(where.split('\n')[0], node.hostname, 'the session is in the node (UTS namespace)');
    assert.ok(where.includes(`host = ${node.hostname}`), 'and reads the node\'s nova-compute.conf');
  });

  test('a change Nova accepts: applied over ssh, Nova\'s verdict from its own log; rollback over ssh restores the file byte for byte', async () => {
    resetNodeConfig(node, seedNova);
    const before = readFileSync(computeConf());
    const s0 = sessions();
    const novaLog = join(node.logNova, 'nova-compute.log');
    const logFrom = existsSync(novaLog) ? readFileSync(novaLog).length : 0;
    const r = await cli(['set-cpu-mode', '--mode', 'custom', '--models', 'qemu64', '--yes', '-v']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /nova-compute is managed by the init script \/etc\/init\.d\/nova-compute/);
    assert.match(r.stderr, /^\[nlcpu-nopw@127\.0\.0\.1\] sudo -n -- \/etc\/init\.d\/nova-compute restart {2}→ exit 0, \d+ ms$/m, 'the restart ran over ssh, through sudo');
    assert.match(r.stderr, /^\[nlcpu-nopw@127\.0\.0\.1\] sudo -n -- mv -f -T /m, 'the write went through sudo on the node');
    assert.match(r.stderr, /Applied and verified: .*nova-compute started past init_host and is running/);
    assert.ok(sessions() > s0, 'sshd accepted the test key');
    const now = readFileSync(computeConf(), 'utf8');
    assert.match(now, /^cpu_mode = custom$/m);
    assert.match(now, /^cpu_models = qemu64$/m);
    // Read independently of the tool: what nova-compute logged since, on the node, shows it started with that config.
    const since = readFileSync(novaLog).subarray(logFrom).toString('utf8');
    assert.match(since, /Starting compute node/);
    assert.match(since, /Looking for unclaimed instances stuck in BUILDING status|not found in the database|Compute node record created|Final resource view/);
    assert.doesNotMatch(since, /Error starting thread|CRITICAL nova/);

    const l = await cli(['rollback', '--list']);
    assert.equal(l.code, 0, l.stderr);
    assert.match(l.stdout, /^change-\S+ {2}change {2}init script \/etc\/init\.d\/nova-compute$/m);
    const rb = await cli(['rollback', '--yes', '-v']);
    assert.equal(rb.code, 0, rb.stderr);
    assert.match(rb.stderr, /^\[nlcpu-nopw@127\.0\.0\.1\] sudo -n -- \/etc\/init\.d\/nova-compute restart {2}→ exit 0, \d+ ms$/m);
    assert.match(rb.stderr, /Rolled back: the previous config is restored and nova-compute runs/);
    assert.deepEqual(readFileSync(computeConf()), before, 'byte for byte');
  });

  test('a change Nova refuses: its words come back over ssh, and the change is rolled back (file byte for byte)', async () => {
    resetNodeConfig(node, seedNova);
    await refusedModelRolledBack(node, cli);
  });
});
