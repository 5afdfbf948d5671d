/**
 * `nova-libvirt-cpu rollout`: a CPU-mode change to a group of an Ansible inventory, previewed
 * per host, then applied through Ansible (or OpenSSH) with a canary, a stop on the first failure
 * and a rollback (server/src/rollout/). And `rollout-step`, the helper the generated playbook runs
 * on the controller: our log mark before a restart and Nova's verdict after it, as JSON.
 */
import { parseArgs } from 'node:util';
import { LocalRunner } from '../hosts/localRunner';
import { SshRunner } from '../hosts/sshRunner';
import { HostFiles } from '../hosts/hostFiles';
import { markLog, type LogMark } from '../hosts/verifyNova';
import { managerFromSetting, type ServiceManager } from '../hosts/services';
import { listConfigSet, readConfigSet, verifyRestart, DEFAULT_CONFIG_DIR } from '../ops/transaction';
import { findingOneLine } from '../core/findings';
import { normalizeSettings } from '../core/settings';
import { getKnowledge } from '../knowledge/knowledge';
import { inventoryRunner } from '../advise/collect';
import { InventoryError, selectHosts } from '../inventory/ansibleInventory';
import { loadAnsibleInventory } from '../inventory/ansibleSource';
import { previewRollout } from '../rollout/preview';
import { runRollout, summaryTable } from '../rollout/orchestrate';
import { SshExecutor } from '../rollout/sshExecutor';
import { AnsibleExecutor } from '../rollout/ansible';
import type { RolloutEvent, RolloutExecutor, RolloutPreview, RolloutSummary } from '../rollout/types';
import { changeOf, formatLogEntry, type Io } from './hostCommands';
import { parseStrict, textOrJson, UsageError } from './args';

export const ROLLOUT_USAGE = `Usage: nova-libvirt-cpu rollout --inventory INV --limit GROUP --mode MODE [options]

Changes [libvirt] cpu_mode (cpu_models, cpu_model_extra_flags) on every host of GROUP: reads each
host's config set and plans its own edit (hosts differ), judges each result with our diagnostics
and prints the per-host diffs and verdicts; a host whose result has an error stops the rollout
before anything is written. Then, hosts in name order: the canary first, then --batch hosts at a
time; each host is backed up, written, nova-compute restarted and verified from its own log; the
first failure stops the rollout and every host changed so far is rolled back (restore, restart,
verify).
  --inventory INV        an Ansible inventory (read with ansible-inventory --list)
  --limit GROUP          group(s) or host(s), comma-separated (default: all)
  --mode MODE            host-passthrough | host-model | custom | maximum | none
  --models A,B           cpu_models for custom, oldest first
  --extra-flags F,G      cpu_model_extra_flags (also --flags); an empty value removes the option
  --answer ID=yes|no     answer one of the planner's questions (repeatable)
  --dry-run              preview only; with Ansible also ansible-playbook --check --diff
  --executor E           ansible (default when ansible-playbook is installed) | ssh
  --canary N             hosts in the first batch (default 1)
  --batch N              hosts per later batch (default 5)
  --parallel N           ssh executor: hosts changed at once within a batch (default 4)
  --no-rollback          leave the hosts as they are when one fails
  --yes                  do not ask before applying
  --format text|json     the preview and summary as text (default) or JSON on stdout
  --ssh-config FILE      ssh -F for every host (ours and Ansible's)
  --config-dir DIR       the config set's directory (default /etc/nova)
  --service JSON         how nova-compute is restarted, asked and read on every host (see set-cpu-mode)
  --nova-release R       Nova release of the hosts (default: the newest we know)
  --timeout S            how long to wait for each host's verdict (default 120)
  -v, --verbose          print every command we run, with exit status and time, on stderr

Exit status: 0 applied and verified on every host (or nothing to change; --dry-run: acceptable
everywhere), 1 not applied (blocked at the preview, declined) or stopped by a failure and rolled
back, 2 usage error, 3 a rollback failed (nova-compute may be down there), 4 a host could not be
reached or ansible-playbook failed to run.`;

const OPTIONS = {
  inventory: { type: 'string' }, limit: { type: 'string' }, mode: { type: 'string' }, models: { type: 'string' }, 'extra-flags': { type: 'string' }, flags: { type: 'string' },
  answer: { type: 'string', multiple: true }, 'dry-run': { type: 'boolean' }, executor: { type: 'string' }, canary: { type: 'string' }, batch: { type: 'string' },
  parallel: { type: 'string' }, 'no-rollback': { type: 'boolean' }, yes: { type: 'boolean' }, format: { type: 'string' }, 'ssh-config': { type: 'string' },
  'config-dir': { type: 'string' }, service: { type: 'string' }, 'nova-release': { type: 'string' }, timeout: { type: 'string' }, verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

function count(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new UsageError(`--${name} must be a whole number from 1 to 10000, not '${v}'`);
  return n;
}

function seconds(v: string | undefined, dflt: number): number {
  const t = v === undefined ? dflt : Number(v);
  if (!Number.isFinite(t) || t <= 0 || t > 3600) throw new UsageError(`--timeout must be a number of seconds between 1 and 3600, not '${v}'`);
  return t * 1000;
}

function managerOf(raw: string | undefined): ServiceManager | undefined {
  if (raw === undefined) return undefined;
  let m: unknown;
  try { m = JSON.parse(raw); } catch (e) { throw new UsageError(`--service is not JSON: ${(e as Error).message}`); }
  // Same validation as set-cpu-mode's --service.
  const r = managerFromSetting(m);
  if ('error' in r) throw new UsageError(`--service: ${r.error}`);
  return r;
}

async function ansibleInstalled(): Promise<boolean> {
  const r = await new LocalRunner().run(['ansible-playbook', '--version'], { timeoutMs: 60_000 });
  return r.code === 0;
}

function printPreview(p: RolloutPreview, io: Io): void {
  for (const h of p.hosts) {
    io.err(`== ${h.host}: ${h.verdict === 'error' ? 'ERROR' : h.verdict}  ${h.from} → ${h.to}${h.manager ? `  (${h.manager.label})` : ''}\n`);
    for (const f of h.files) io.out(f.diff);
    // What the change causes and every error; warnings the host already had are the check command's business.
    for (const f of h.findings.filter((x) => x.severity === 'error' || !x.preexisting)) io.err(`${h.host}:${f.path}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity}: ${findingOneLine(f)} [${f.code}]${f.preexisting ? ' (already there)' : ''}\n`);
    if (h.problem) io.err(`${h.problem}\n`);
  }
}

/** The host commands' exit codes: 0 done, 1 not applied or rolled back, 3 a rollback failed, 4 a host could not be reached. */
function exitOf(s: RolloutSummary, p: RolloutPreview): number {
  if (s.ok) return 0;
  if (s.rows.some((r) => r.state === 'rollback-failed')) return 3;
  if (p.blocked) return p.hosts.some((h) => h.unreadable) ? 4 : 1;
  return s.rows.find((r) => r.host === s.stoppedAt)?.failedStep === 'connect' ? 4 : 1;
}

export async function runRolloutCommand(argv: string[], io: Io): Promise<number> {
  try {
    const v = parseStrict({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
    if (v.help) { io.out(`${ROLLOUT_USAGE}\n`); return 0; }
    if (!v.inventory) throw new UsageError('--inventory is required');
    const format = textOrJson(v.format);
    if (v.executor !== undefined && v.executor !== 'ansible' && v.executor !== 'ssh') throw new UsageError(`--executor must be ansible or ssh, not '${v.executor}'`);
    if (v.flags !== undefined && v['extra-flags'] !== undefined) throw new UsageError('give --extra-flags or --flags, not both');
    const change = changeOf({ ...v, 'extra-flags': v['extra-flags'] ?? v.flags });
    const configDir = v['config-dir'] ?? DEFAULT_CONFIG_DIR;
    if (!configDir.startsWith('/')) throw new UsageError('--config-dir must be an absolute path');
    const opts = {
      canary: count(v.canary, 'canary', 1), batchSize: count(v.batch, 'batch', 5), parallel: count(v.parallel, 'parallel', 4),
      rollback: !v['no-rollback'], dryRun: Boolean(v['dry-run']), verifyTimeoutMs: seconds(v.timeout, 120),
    };
    const service = managerOf(v.service);
    const knowledge = getKnowledge(normalizeSettings({ novaRelease: v['nova-release'] }));
    const log = v.verbose ? (e: Parameters<typeof formatLogEntry>[0]) => io.err(`${formatLogEntry(e)}\n`) : undefined;

    // ansible-inventory when Ansible is installed, our INI/YAML reader otherwise (the OpenSSH executor needs no Ansible).
    const inv = (await loadAnsibleInventory(new LocalRunner(), v.inventory)).inventory;
    const hosts = selectHosts(inv, v.limit);
    const targets = hosts.map((h) => {
      return { name: h.name, runner: inventoryRunner(h, v['ssh-config'], { log, askPassword: io.password }), inventory: h };
    });
    io.err(`previewing ${targets.length} host(s) of ${v.inventory}${v.limit ? ` (--limit ${v.limit})` : ''}…\n`);
    try {
      const preview = await previewRollout(targets, change, { knowledge, configDir, sudo: true, service });
      if (format === 'text') printPreview(preview, io);
      const executor: RolloutExecutor = (v.executor ?? ((await ansibleInstalled()) ? 'ansible' : 'ssh')) === 'ansible'
        ? new AnsibleExecutor({ inventory: v.inventory, helper: [process.execPath, process.argv[1]], sshConfig: v['ssh-config'], novaRelease: v['nova-release'] })
        : new SshExecutor(knowledge);
      if (!preview.blocked && !opts.dryRun && !v.yes && preview.hosts.some((h) => h.verdict === 'change')) {
        if (!io.ask) { io.err('not applied: no terminal to confirm on; pass --yes to apply without asking\n'); return 1; }
        if (!(await io.ask(`Apply to ${preview.hosts.filter((h) => h.verdict === 'change').length} host(s) through ${executor.name}, canary ${preview.hosts.find((h) => h.verdict === 'change')!.host} first, restarting nova-compute on each?`))) return 1;
      }
      const events: RolloutEvent[] = [];
      const summary = await runRollout(preview, executor, (e) => {
        events.push(e);
        if (format === 'text' && e.kind !== 'checked') io.err(`… ${'host' in e ? `${e.host}: ` : ''}${e.kind}${e.kind === 'batch' ? ` ${e.index + 1}${e.canary ? ' (canary)' : ''}: ${e.hosts.join(', ')}` : e.kind === 'verified' || e.kind === 'rolled-back' ? `: ${e.summary}` : e.kind === 'failed' ? ` (${e.step}): ${e.message}` : ''}\n`);
      }, opts);
      if (format === 'json') io.out(`${JSON.stringify({ preview: { ...preview, targets: undefined }, events, summary }, null, 2)}\n`);
      else { io.out(`\n${summaryTable(summary)}`); io.err(`${summary.message}\n`); }
      return exitOf(summary, preview);
    } finally {
      for (const t of targets) await t.runner.close();
    }
  } catch (e) {
    if (e instanceof UsageError) { io.err(`nova-libvirt-cpu: ${e.message}\n\n${ROLLOUT_USAGE}\n`); return 2; }
    if (e instanceof InventoryError) { io.err(`nova-libvirt-cpu: ${e.message}\n`); return 2; }
    io.err(`nova-libvirt-cpu: ${(e as Error).message}\n`);
    return 4;
  }
}

const STEP_OPTIONS = {
  dest: { type: 'string' }, port: { type: 'string' }, 'ssh-config': { type: 'string' }, manager: { type: 'string' }, 'config-dir': { type: 'string' },
  'nova-release': { type: 'string' }, 'no-sudo': { type: 'boolean' }, timeout: { type: 'string' }, mark: { type: 'string' },
} as const;

/** `rollout-step mark|verify`: JSON on stdout; exit 0 (marked / nova-compute runs), 1 (Nova's verdict is a failure), 2 usage, 4 host error. */
export async function runRolloutStep(argv: string[], io: Io): Promise<number> {
  const [what, ...rest] = argv;
  let v;
  try { v = parseArgs({ args: rest, options: STEP_OPTIONS, strict: true, allowPositionals: false }).values; } catch (e) { io.err(`rollout-step: ${(e as Error).message}\n`); return 2; }
  if ((what !== 'mark' && what !== 'verify') || !v.dest || !v.manager) { io.err('usage: rollout-step mark|verify --dest D [--port P] [--ssh-config F] --manager JSON [--mark JSON]\n'); return 2; }
  let manager: ServiceManager;
  let mark: LogMark | undefined;
  try {
    manager = JSON.parse(v.manager) as ServiceManager;
    if (!Array.isArray(manager.restart) || !Array.isArray(manager.status) || !Array.isArray(manager.log)) throw new Error('not a service manager');
    if (what === 'verify') mark = JSON.parse(v.mark ?? '') as LogMark;
  } catch (e) { io.err(`rollout-step: --manager/--mark: ${(e as Error).message}\n`); return 2; }
  const sudo = !v['no-sudo'];
  const runner = v.dest === 'localhost' ? new LocalRunner() : new SshRunner({ destination: v.dest, ...(v.port ? { port: Number(v.port) } : {}), ...(v['ssh-config'] ? { configFile: v['ssh-config'] } : {}) });
  try {
    if (what === 'mark') { io.out(`${JSON.stringify(await markLog(runner, manager.log, sudo))}\n`); return 0; }
    const knowledge = getKnowledge(normalizeSettings({ novaRelease: v['nova-release'] }));
    const dir = v['config-dir'] ?? DEFAULT_CONFIG_DIR;
    const docs = await readConfigSet(new HostFiles(runner, { sudo }), await listConfigSet(runner, dir, sudo));
    const verdict = await verifyRestart(runner, manager, mark!, docs, knowledge, { sudo, timeoutMs: seconds(v.timeout, 120) });
    io.out(`${JSON.stringify(verdict)}\n`);
    return verdict.ok ? 0 : 1;
  } catch (e) {
    io.err(`rollout-step: ${(e as Error).message}\n`);
    return 4;
  } finally {
    runner.endOperation();
    await runner.close();
  }
}
