/**
 * `nova-libvirt-cpu set-cpu-mode` and `nova-libvirt-cpu rollback`: the host commands for the
 * shell and scripts, on the same engine as the editor (ops/transaction.ts). The terminal is the UI:
 * the diff and the question on stderr/stdout, answers from the tty.
 */
import type { ParseArgsConfig } from 'node:util';
import { createInterface } from 'node:readline';
import type { Runner, RunnerHooks, CommandLogEntry } from '../hosts/runner';
import { LocalRunner } from '../hosts/localRunner';
import { HostFiles } from '../hosts/hostFiles';
import { displayArgv } from '../hosts/commandError';
import { describeDetection, detectService, managerFromSetting, type ServiceManager } from '../hosts/services';
import { describeLaunch } from '../novaconf/launchOrder';
import { DEFAULT_VERIFY_TIMEOUT_MS } from '../hosts/verifyNova';
import {
  applyChange, DEFAULT_CONFIG_DIR, hostLaunch, lastChange, listConfigSet, listManifests, readConfigSet, rollback,
  type Manifest, type TransactionContext, type TransactionResult, type TransactionUi,
} from '../ops/transaction';
import { planNovaCpuMode } from '../ops/novaConfPlan';
import { unifiedDiff } from '../ops/diff';
import type { CpuModeChange, NovaCpuMode, Plan } from '../ops/types';
import { findingOneLine } from '../core/findings';
import { normalizeSettings } from '../core/settings';
import { getKnowledge } from '../knowledge/knowledge';
import { SshRunner } from '../hosts/sshRunner';
import { parseStrict, UsageError } from './args';

export const HOST_COMMANDS = ['set-cpu-mode', 'rollback'];

export const HOST_USAGE = `Usage: nova-libvirt-cpu set-cpu-mode --mode MODE [options]
       nova-libvirt-cpu rollback [--list] [--backup ID] [options]

set-cpu-mode: change [libvirt] cpu_mode (and cpu_models, cpu_model_extra_flags) of a compute
node's config set, back it up, restart nova-compute and verify from nova-compute's own log.
  --mode MODE            host-passthrough | host-model | custom | maximum | none
  --models A,B           cpu_models for custom, oldest first
  --extra-flags F,G      cpu_model_extra_flags (e.g. vmx); an empty value removes the option
  --answer ID=yes|no     answer one of the planner's questions (repeatable)
  --dry-run              print the unified diff and our diagnostics of the result; change nothing
  --yes                  do not ask: apply, and roll back if nova-compute refuses the change
  --no-rollback          with --yes: leave a refused change in place (rollback restores it later)
  --timeout S            how long to wait for nova-compute's verdict (default 60)

rollback: restore the files of the last change (or --backup ID: a change id from --list),
restart nova-compute and verify again.
  --list                 list the recorded changes, newest first
  --backup ID            the change to undo
  --yes                  do not ask

Both:
  --host H               the compute node over OpenSSH (your ssh config, agent and known_hosts;
                         BatchMode); default: this machine
  --ssh-config FILE      with --host: this ssh client config instead of ~/.ssh/config (ssh -F)
  --config-dir DIR       the config set's directory (default /etc/nova)
  --service JSON         how nova-compute is restarted, asked and read, instead of detecting it:
                         {"restart":[argv],"status":[argv],"log":"file:/path"|"journal:UNIT"}
  --nova-release R       Nova release of the node (default: the newest we know)
  -v, --verbose          print every command run, with exit status and time, on stderr

Exit status: 0 applied and verified (or nothing to change; --dry-run: the plan is acceptable),
1 not applied (refused, declined, or the file changed since the preview) or verification failed
(rolled back or not: the message says which), 2 usage error, 3 rollback failed (nova-compute may
be down), 4 a host command failed (unreadable file, ssh error).`;


const MODES: readonly NovaCpuMode[] = ['host-passthrough', 'host-model', 'custom', 'maximum', 'none'];

export interface Io {
  out(s: string): void;
  err(s: string): void;
  /** Asks a yes/no question on the terminal; undefined when there is none. */
  ask?(question: string): Promise<boolean>;
  /** Reads a password without echo; undefined when there is no terminal. */
  password?(prompt: string): Promise<string | undefined>;
}

/** The process's terminal as Io (questions only when stdin and stderr are ttys). */
export function terminalIo(): Io {
  const tty = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  const question = (q: string, mute = false) => new Promise<string>((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    if (mute) (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s) => { if (s.includes(q)) process.stderr.write(s); };
    rl.question(q, (a) => { rl.close(); if (mute) process.stderr.write('\n'); resolve(a); });
  });
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    ask: tty ? async (q) => /^y(es)?$/i.test((await question(`${q} [y/N] `)).trim()) : undefined,
    password: tty ? (p) => question(p, true) : undefined,
  };
}

export function formatLogEntry(e: CommandLogEntry): string {
  const status = e.code !== null ? `exit ${e.code}` : e.signal ? `killed by ${e.signal}` : 'not run';
  return `[${e.host}] ${displayArgv(e.argv)}  → ${status}, ${e.ms} ms${e.stderr ? `\n    ${e.stderr.replace(/\n/g, '\n    ')}` : ''}`;
}

interface Common { host?: string; sshConfig?: string; configDir: string; service?: string; novaRelease?: string; verbose: boolean }

function runnerOf(c: Common, io: Io): Runner {
  const hooks: RunnerHooks = {
    log: c.verbose ? (e) => io.err(`${formatLogEntry(e)}\n`) : undefined,
    askPassword: io.password ? (prompt) => io.password!(prompt) : undefined,
  };
  return c.host ? new SshRunner({ destination: c.host, configFile: c.sshConfig }, hooks) : new LocalRunner(hooks);
}

async function serviceOf(c: Common, runner: Runner, io: Io): Promise<ServiceManager | undefined> {
  if (c.service !== undefined) {
    let raw: unknown;
    try { raw = JSON.parse(c.service); } catch (e) { throw new UsageError(`--service is not JSON: ${(e as Error).message}`); }
    const m = managerFromSetting(raw);
    if ('error' in m) throw new UsageError(`--service: ${m.error}`);
    return m;
  }
  const d = await detectService(runner, { sudo: true });
  io.err(`${describeDetection(d)}\n`);
  return d.manager;
}

function printPlan(plan: Plan, io: Io, diffs = true) {
  if (diffs) for (const e of plan.edits) io.out(unifiedDiff(e));
  for (const q of plan.questions) io.err(`question ${q.id}: ${q.text} (answered: ${q.defaultAnswer ? 'yes' : 'no'} unless --answer ${q.id}=...)\n`);
  for (const f of plan.findings) io.err(`${f.path}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity}: ${findingOneLine(f)} [${f.code}]${f.preexisting ? ' (already there)' : ''}\n`);
  io.err(`${plan.summary.join('\n')}\n`);
}

function exitOf(r: TransactionResult): number {
  switch (r.outcome) {
    case 'applied': case 'unchanged': return 0;
    case 'refused': case 'cancelled': case 'failed': case 'rolled-back': return 1;
    case 'rollback-failed': return 3;
    case 'error': return 4;
  }
}

function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  return parseStrict({ args: argv, options, strict: true, allowPositionals: false });
}

const COMMON = {
  host: { type: 'string' }, 'ssh-config': { type: 'string' }, 'config-dir': { type: 'string' }, service: { type: 'string' }, 'nova-release': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' }, yes: { type: 'boolean' }, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

function common(v: Record<string, unknown>): Common & { yes: boolean; timeoutMs: number } {
  const t = v.timeout === undefined ? DEFAULT_VERIFY_TIMEOUT_MS / 1000 : Number(v.timeout);
  if (!Number.isFinite(t) || t <= 0 || t > 3600) throw new UsageError(`--timeout must be a number of seconds between 1 and 3600, not '${v.timeout}'`);
  const host = v.host as string | undefined;
  if (host !== undefined && (host === '' || host.startsWith('-'))) throw new UsageError(`--host must name a host, not '${host}'`);
  const sshConfig = v['ssh-config'] as string | undefined;
  if (sshConfig !== undefined && host === undefined) throw new UsageError('--ssh-config goes with --host');
  if (sshConfig !== undefined && (sshConfig === '' || sshConfig.startsWith('-'))) throw new UsageError(`--ssh-config must name a file, not '${sshConfig}'`);
  const configDir = (v['config-dir'] as string | undefined) ?? DEFAULT_CONFIG_DIR;
  if (!configDir.startsWith('/')) throw new UsageError('--config-dir must be an absolute path');
  return { host, sshConfig, configDir, service: v.service as string | undefined, novaRelease: v['nova-release'] as string | undefined, verbose: Boolean(v.verbose), yes: Boolean(v.yes), timeoutMs: t * 1000 };
}

const list = (s: string | undefined) => (s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter(Boolean));

/** The change the flags ask for. */
export function changeOf(v: Record<string, unknown>): CpuModeChange {
  const mode = v.mode as string | undefined;
  if (!mode) throw new UsageError('--mode is required');
  if (!MODES.includes(mode as NovaCpuMode)) throw new UsageError(`--mode must be one of ${MODES.join(', ')}, not '${mode}'`);
  const answers: Record<string, boolean> = {};
  for (const a of (v.answer as string[] | undefined) ?? []) {
    const m = /^([^=]+)=(yes|no)$/.exec(a);
    if (!m) throw new UsageError(`--answer must be ID=yes or ID=no, not '${a}'`);
    answers[m[1]] = m[2] === 'yes';
  }
  return { mode: mode as NovaCpuMode, models: list(v.models as string | undefined), extraFlags: list(v['extra-flags'] as string | undefined), answers };
}

function terminalUi(io: Io, opts: { yes: boolean; rollback: boolean }): TransactionUi {
  return {
    async preview(p) {
      for (const d of p.diffs) io.out(d);
      printPlan(p.plan, io, false);
      if (opts.yes) return true;
      if (!io.ask) { io.err('not applied: no terminal to confirm on; pass --yes to apply without asking\n'); return false; }
      return io.ask(`Apply to ${p.host} (${p.plan.edits.map((e) => e.path).join(', ')}) and restart nova-compute (${p.manager.label})? Running guests keep their CPU until a hard reboot or migration.`);
    },
    progress: (step) => io.err(`… ${step}\n`),
    async offerRollback(v) {
      io.err(`${v.summary}\n${v.failure ? v.failure.lines.map((l) => `  ${l}\n`).join('') : ''}`);
      if (opts.yes) return opts.rollback;
      return io.ask ? io.ask('Roll back to the previous files and restart nova-compute?') : false;
    },
  };
}

async function setCpuMode(argv: string[], io: Io): Promise<number> {
  const { values: v } = parse(argv, { ...COMMON, mode: { type: 'string' }, models: { type: 'string' }, 'extra-flags': { type: 'string' }, answer: { type: 'string', multiple: true }, 'dry-run': { type: 'boolean' }, 'no-rollback': { type: 'boolean' } });
  if (v.help) { io.out(`${HOST_USAGE}\n`); return 0; }
  const c = common(v);
  const change = changeOf(v);
  const knowledge = getKnowledge(normalizeSettings({ novaRelease: c.novaRelease }));
  const planner = (files: Parameters<typeof planNovaCpuMode>[0]) => planNovaCpuMode(files, change, knowledge, c.host);
  const runner = runnerOf(c, io);
  try {
    if (v['dry-run']) {
      const files = new HostFiles(runner, { sudo: true });
      const launch = await hostLaunch(runner);
      const paths = await listConfigSet(runner, c.configDir, true, launch);
      if (!paths.length) { io.err(`no nova.conf set in ${c.configDir} on ${runner.host}\n`); return 4; }
      io.err(`read order (${describeLaunch(launch)}, from ${launch.source}): ${paths.join(', ')}\n`);
      const plan = planner(await readConfigSet(files, paths));
      printPlan(plan, io);
      if (plan.refused) io.err(`would not apply: ${plan.refused}\n`);
      return plan.refused ? 1 : 0;
    }
    const manager = await serviceOf(c, runner, io);
    if (!manager) { io.err('not applied: no way to restart nova-compute on this host was found; name one with --service\n'); return 1; }
    const ctx: TransactionContext = { runner, manager, knowledge, ui: terminalUi(io, { yes: c.yes, rollback: !v['no-rollback'] }), sudo: true, configDir: c.configDir, verify: { timeoutMs: c.timeoutMs } };
    const r = await applyChange(ctx, planner);
    io.err(`${r.message}\n`);
    return exitOf(r);
  } finally {
    await runner.close();
  }
}

function describeManifest(m: Manifest, undone: boolean): string {
  return `${m.id}  ${m.kind}${undone ? ' (rolled back)' : ''}  ${m.service}\n${m.files.map((f) => `    ${f.path}  ← ${f.backup}`).join('\n')}\n    ${m.summary.join('; ')}`;
}

async function rollbackCommand(argv: string[], io: Io): Promise<number> {
  const { values: v } = parse(argv, { ...COMMON, list: { type: 'boolean' }, backup: { type: 'string' } });
  if (v.help) { io.out(`${HOST_USAGE}\n`); return 0; }
  const c = common(v);
  const runner = runnerOf(c, io);
  try {
    const manifests = await listManifests(runner, c.configDir, true);
    const undone = new Set(manifests.filter((m) => m.kind === 'rollback').map((m) => m.undoes));
    if (v.list) {
      io.out(manifests.length ? `${manifests.map((m) => describeManifest(m, undone.has(m.id))).join('\n')}\n` : `no recorded changes in ${c.configDir} on ${runner.host}\n`);
      return 0;
    }
    const target = v.backup ? manifests.find((m) => m.id === v.backup && m.kind === 'change') : lastChange(manifests);
    if (!target) { io.err(v.backup ? `no change '${v.backup}' in ${c.configDir} on ${runner.host} (see --list)\n` : `nothing to roll back in ${c.configDir} on ${runner.host}\n`); return 1; }
    io.err(`${describeManifest(target, undone.has(target.id))}\n`);
    if (!c.yes) {
      if (!io.ask) { io.err('not rolled back: no terminal to confirm on; pass --yes\n'); return 1; }
      if (!(await io.ask(`Restore these files on ${runner.host} and restart nova-compute?`))) return 1;
    }
    const manager = await serviceOf(c, runner, io);
    if (!manager) { io.err('not rolled back: no way to restart nova-compute on this host was found; name one with --service\n'); return 1; }
    const knowledge = getKnowledge(normalizeSettings({ novaRelease: c.novaRelease }));
    const ctx: TransactionContext = { runner, manager, knowledge, ui: terminalUi(io, { yes: true, rollback: false }), sudo: true, configDir: c.configDir, verify: { timeoutMs: c.timeoutMs } };
    const r = await rollback(ctx, target);
    io.err(`${r.message}\n`);
    return r.outcome === 'rolled-back' ? 0 : 3;
  } finally {
    await runner.close();
  }
}

/** Runs a host command; usage errors become exit 2 with the usage text. */
export async function runHostCommand(argv: string[], io: Io = terminalIo()): Promise<number> {
  try {
    return argv[0] === 'rollback' ? await rollbackCommand(argv.slice(1), io) : await setCpuMode(argv.slice(1), io);
  } catch (e) {
    if (e instanceof UsageError) { io.err(`nova-libvirt-cpu: ${e.message}\n\n${HOST_USAGE}\n`); return 2; }
    io.err(`nova-libvirt-cpu: ${(e as Error).message}\n`);
    return 4;
  }
}
