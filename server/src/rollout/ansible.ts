/**
 * The Ansible executor: writes the generated playbooks, the vars file and each host's planned
 * content into a private temp directory (0700; nova.conf holds passwords), runs
 * `ansible-playbook` through execFile (argv, no shell) with the `ansible.posix.jsonl` stdout
 * callback, and turns its events into RolloutEvents as they arrive. The directory is removed
 * when the rollout ends.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { backupName } from '../hosts/backupNames';
import { sha256Hex } from '../hosts/hostFiles';
import { shellQuote } from '../hosts/shellQuote';
import type { InventoryHost } from '../inventory/ansibleInventory';
import { inventoryDestination } from '../advise/collect';
import { AnsibleEventReader } from './ansibleEvents';
import { applyPlaybook, playbookText, playbookVars, rollbackPlaybook, type PlaybookHost, type PlaybookInput } from './playbook';
import { DEFAULT_ROLLOUT_VERIFY_MS, target } from './sshExecutor';
import type { HostPreview, RolloutEvent, RolloutExecutor, RolloutOptions, RolloutPreview } from './types';

export interface AnsibleExecutorOptions {
  /** The inventory as given to ansible-playbook -i. */
  inventory: string;
  /** argv that runs our CLI on this machine, e.g. [process.execPath, '/path/dist/cli.js']. */
  helper: string[];
  /** ssh -F for ansible's ssh (ssh_common_args) and for our helper. */
  sshConfig?: string;
  /** Nova release the verification judges for (the helper's --nova-release). */
  novaRelease?: string;
  ansiblePlaybook?: string;
  /** Extra environment for ansible-playbook (tests: ANSIBLE_* settings). */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Every line of ansible-playbook's JSON output, as read (tests record fixtures with it). */
  onLine?(line: string): void;
}

/** How our helper reaches a host: the advisor's rule (advise/collect.ts). */
export function helperTarget(h: InventoryHost | undefined, name: string): string[] {
  const d = inventoryDestination(h ?? { name });
  return ['--dest', d.destination, ...(d.port ? ['--port', String(d.port)] : [])];
}

export class AnsibleExecutor implements RolloutExecutor {
  readonly name = 'ansible' as const;
  private dir?: string;
  private input?: PlaybookInput;
  private spent = 0;

  constructor(private readonly o: AnsibleExecutorOptions) {}

  engineMs(): number { return this.spent; }

  /** Lays out the run's directory once: files/N/M (planned content), vars.json. */
  private prepare(preview: RolloutPreview, batches: HostPreview[][], opts: RolloutOptions): PlaybookInput {
    const dir = (this.dir = mkdtempSync(join(tmpdir(), 'nlc-rollout-')));
    const at = (this.o.now ?? (() => new Date()))();
    const common = [
      ...(this.o.sshConfig ? ['--ssh-config', this.o.sshConfig] : []), '--config-dir', preview.configDir,
      ...(this.o.novaRelease ? ['--nova-release', this.o.novaRelease] : []), ...(preview.sudo ? [] : ['--no-sudo']),
    ];
    const hosts: PlaybookHost[] = batches.flat().map((h, i) => {
      const t = target(preview, h.host);
      const reach = [...helperTarget(t.inventory, h.host), '--manager', JSON.stringify(h.manager)];
      mkdirSync(join(dir, 'files', String(i)), { recursive: true, mode: 0o700 });
      return {
        name: h.host, restart: h.manager!.restart,
        mark: [...this.o.helper, 'rollout-step', 'mark', ...reach, ...common],
        verify: [...this.o.helper, 'rollout-step', 'verify', ...reach, ...common, '--timeout', String(Math.round((opts.verifyTimeoutMs ?? DEFAULT_ROLLOUT_VERIFY_MS) / 1000))],
        files: h.files.map((f, j) => {
          const src = join(dir, 'files', String(i), String(j));
          writeFileSync(src, f.after, { mode: 0o600 });
          return { path: f.path, src, backup: posix.join(posix.dirname(f.path), backupName(posix.basename(f.path), at)), sha256Before: f.sha256, sha256After: sha256Hex(f.after) };
        }),
      };
    });
    const input: PlaybookInput = { hosts, serial: batches.map((b) => b.length), become: preview.sudo };
    writeFileSync(join(dir, 'vars.json'), JSON.stringify(playbookVars(input), null, 2), { mode: 0o600 });
    return input;
  }

  /** Runs one playbook over `hosts`, feeding its JSON events to `emit`. Resolves when it exits. */
  private run(playbook: string, hosts: string[], reader: AnsibleEventReader, emit: (e: RolloutEvent) => void, check: boolean): Promise<{ code: number | null; stderr: string }> {
    const argv = ['-i', this.o.inventory, '--limit', hosts.join(','), ...(check ? ['--check', '--diff'] : []), join(this.dir!, playbook)];
    const env: NodeJS.ProcessEnv = {
      ...process.env, ...this.o.env, LC_ALL: 'C.UTF-8', ANSIBLE_STDOUT_CALLBACK: 'ansible.posix.jsonl', ANSIBLE_RETRY_FILES_ENABLED: 'false', ANSIBLE_NOCOLOR: '1',
      ...(this.o.sshConfig ? { ANSIBLE_SSH_COMMON_ARGS: `-F ${shellQuote(this.o.sshConfig)}` } : {}),
    };
    const t0 = Date.now();
    return new Promise((resolve) => {
      const child = execFile(this.o.ansiblePlaybook ?? 'ansible-playbook', argv, { env, maxBuffer: 256 << 20, timeout: 6 * 3600_000 }, (err, _out, stderr) => {
        this.spent += Date.now() - t0;
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0;
        resolve({ code, stderr: String(stderr) });
      });
      let buf = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buf += chunk.toString('utf8');
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          this.o.onLine?.(line);
          for (const e of reader.feed(line)) emit(e);
        }
      });
    });
  }

  private backups(): Map<string, Array<{ path: string; backup: string }>> {
    return new Map(this.input!.hosts.map((h) => [h.name, h.files.map((f) => ({ path: f.path, backup: f.backup }))]));
  }

  async apply(preview: RolloutPreview, batches: HostPreview[][], emit: (e: RolloutEvent) => void, opts: RolloutOptions): Promise<void> {
    this.input = this.prepare(preview, batches, opts);
    writeFileSync(join(this.dir!, 'apply.yml'), playbookText(applyPlaybook(this.input), 'apply'), { mode: 0o600 });
    const reader = new AnsibleEventReader(this.backups(), Boolean(opts.dryRun), batches.map((b) => b.map((h) => h.host)));
    let failed = false;
    const r = await this.run('apply.yml', this.input.hosts.map((h) => h.name), reader, (e) => { failed ||= e.kind === 'failed'; emit(e); }, Boolean(opts.dryRun));
    // ansible-playbook itself failed (bad inventory, syntax): no host event says so; name the canary as stopped.
    if (r.code !== 0 && !failed) emit({ kind: 'failed', at: Date.now(), host: this.input.hosts[0].name, step: 'connect', message: `ansible-playbook exited ${r.code ?? 'on a signal'}: ${r.stderr.trim().split('\n').slice(-5).join(' ')}` });
  }

  async rollback(_preview: RolloutPreview, hosts: HostPreview[], emit: (e: RolloutEvent) => void): Promise<void> {
    writeFileSync(join(this.dir!, 'rollback.yml'), playbookText(rollbackPlaybook(this.input!), 'rollback'), { mode: 0o600 });
    const names = hosts.map((h) => h.host);
    const seen = new Set<string>();
    const r = await this.run('rollback.yml', names, new AnsibleEventReader(this.backups()), (e) => { if (e.kind === 'rolled-back') seen.add(e.host); emit(e); }, false);
    for (const h of names.filter((n) => !seen.has(n))) emit({ kind: 'rolled-back', at: Date.now(), host: h, ok: false, summary: `ansible-playbook (rollback) exited ${r.code} without a verdict for ${h}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}` });
  }

  async close(): Promise<void> {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
