/**
 * The CLI mirror run on the compute node (inside the test node's namespace, as an operator runs it
 * there): --dry-run, an accepted change, a refused one rolled back with Nova's words, rollback
 * --list / rollback, and the exit codes. Needs `npm run build` (npm test builds first).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { computeNodeMissing, refusedModelRolledBack, resetNodeConfig, stopNovaCompute, useComputeNode, type ComputeNode } from '../support/computeNode';

const REQUIRED = process.env.CI_REQUIRE_ORACLES === '1';
const CLI = resolve(__dirname, '..', '..', 'dist', 'cli.js');
const missing = computeNodeMissing() ?? (existsSync(CLI) ? undefined : 'dist/cli.js is not built (npm run build)');

let node: ComputeNode;
let release: () => Promise<void> = async () => undefined;
let seedNova = '';

function cli(args: string[], timeoutMs = 150_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(node.enter[0], [...node.enter.slice(1), process.execPath, CLI, ...args], { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: unknown }).code as number | null) ?? null : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
const computeConf = () => join(node.etcNova, 'nova-compute.conf');

describe('nova-libvirt-cpu set-cpu-mode / rollback on a real compute node', { skip: !REQUIRED && missing ? `${missing}; CI_REQUIRE_ORACLES=1 makes this a failure` : false }, () => {
  before(async () => {
    if (missing) assert.fail(`CI_REQUIRE_ORACLES=1 but ${missing}`);
    ({ node, release } = await useComputeNode());
    seedNova = readFileSync(join(node.etcNova, 'nova.conf'), 'utf8');
  });
  after(async () => {
    if (node) await stopNovaCompute(node);
    await release();
  });

  test('usage errors exit 2 with the reason', async () => {
    const r = await cli(['set-cpu-mode', '--mode', 'Host-Passthrough']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--mode must be one of host-passthrough, host-model, custom, maximum, none, not 'Host-Passthrough'/);
    assert.equal((await cli(['rollback', '--timeout', '0'])).code, 2);
    assert.equal((await cli(['set-cpu-mode', '--mode', 'custom', '--bogus'])).code, 2);
  });

  test('--dry-run prints the unified diff and changes nothing', async () => {
    resetNodeConfig(node, seedNova);
    const before = readFileSync(computeConf());
    const r = await cli(['set-cpu-mode', '--mode', 'custom', '--models', 'qemu64', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^--- a\/etc\/nova\/nova-compute\.conf\n\+\+\+ b\/etc\/nova\/nova-compute\.conf\n@@ /m);
    assert.match(r.stdout, /^\+cpu_mode = custom$/m);
    assert.match(r.stdout, /^\+cpu_models = qemu64$/m);
    // The node's own launch (Debian's init script) and the set in its read order.
    assert.match(r.stderr, /^read order \(nova-compute --config-file=\/etc\/nova\/nova\.conf --config-file=\/etc\/nova\/nova-compute\.conf --log-file=\S+, from (the running nova-compute \(pid \d+\)|the init script \/etc\/init\.d\/nova-compute)\): \/etc\/nova\/nova\.conf, \/etc\/nova\/nova-compute\.conf$/m);
    assert.deepEqual(readFileSync(computeConf()), before);
  });

  test("check /etc/nova on the node: `auto` reads the node's launch (Debian's init script), so a fragment loses to nova-compute.conf", async () => {
    resetNodeConfig(node, seedNova);
    const fragment = join(node.etcNova, 'nova.conf.d', '50-kvm.conf');
    const madeDir = mkdirSync(dirname(fragment), { recursive: true }) !== undefined;
    writeFileSync(fragment, '[libvirt]\nvirt_type = kvm\n');
    try {
      const overridden = async (...flags: string[]) => {
        const r = await cli(['check', '--format', 'json', '--no-host-cpu-map', '--nova-release', 'zed', ...flags, '/etc/nova']);
        const reports = JSON.parse(r.stdout) as Array<{ file: string; diagnostics: Array<{ code: string; message: string }> }>;
        return reports.filter((x) => x.diagnostics.some((d) => d.code === 'nova/overridden-by-later-file' && /virt_type/.test(d.message))).map((x) => x.file);
      };
      assert.deepEqual(await overridden(), ['/etc/nova/nova.conf.d/50-kvm.conf']);
      assert.ok((await overridden('--launch', 'no-arguments')).includes('/etc/nova/nova-compute.conf'), 'without arguments the fragment is read last');
    } finally {
      rmSync(fragment, { force: true });
      if (madeDir) rmSync(dirname(fragment), { recursive: true, force: true });
    }
  });

  test('without --yes and without a terminal: not applied, exit 1', async () => {
    resetNodeConfig(node, seedNova);
    const r = await cli(['set-cpu-mode', '--mode', 'host-model']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no terminal to confirm on; pass --yes/);
    assert.doesNotMatch(readFileSync(computeConf(), 'utf8'), /^cpu_mode = host-model$/m);
  });

  test('--yes: applied and verified (exit 0), then rollback --list and rollback (exit 0)', async () => {
    resetNodeConfig(node, seedNova);
    const before = readFileSync(computeConf());
    const r = await cli(['set-cpu-mode', '--mode', 'custom', '--models', 'qemu64', '--yes', '-v']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /nova-compute is managed by the init script \/etc\/init\.d\/nova-compute/);
    assert.match(r.stderr, /Applied and verified: .*nova-compute started past init_host and is running/);
    assert.match(r.stderr, /^\[localhost\] \/etc\/init\.d\/nova-compute restart {2}→ exit 0, \d+ ms$/m, 'the command log (-v)');
    const l = await cli(['rollback', '--list']);
    assert.equal(l.code, 0);
    assert.match(l.stdout, /^change-\S+ {2}change {2}init script \/etc\/init\.d\/nova-compute$/m);
    const rb = await cli(['rollback', '--yes']);
    assert.equal(rb.code, 0, rb.stderr);
    assert.match(rb.stderr, /Rolled back: the previous config is restored and nova-compute runs/);
    assert.deepEqual(readFileSync(computeConf()), before);
    assert.equal((await cli(['rollback', '--yes'])).code, 1, 'nothing left to roll back');
  });

  test('--yes with a change Nova refuses: its words on stderr, rolled back, exit 1', async () => {
    resetNodeConfig(node, seedNova);
    await refusedModelRolledBack(node, cli);
  });
});
