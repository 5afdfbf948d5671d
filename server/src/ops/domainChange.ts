/**
 * Changing one libvirt domain's `<cpu>` mode, end to end, through a Runner and a small UI:
 * dumpxml --inactive → plan (planDomainCpuMode) → preview → `virsh define --validate` of a copy
 * → define → for a running guest: graceful shutdown (bounded), destroy only when the user says so,
 * start, verify it runs; if it does not, offer to put the old definition back.
 *
 * virsh reads the XML from a file: a `mktemp` file on the host (filled through `dd`'s stdin,
 * removed right after), since `/dev/stdin` cannot be opened when stdin is a socket (as node's
 * child pipes and ssh channels are). No path is built from user text. No vscode import: the VS
 * Code command and tests drive it through DomainChangeUI.
 */
import { randomBytes } from 'node:crypto';
import type { Runner, RunResult } from '../hosts/runner';
import type { Knowledge } from '../knowledge/knowledge';
import type { DomainCpuChange, DomainPlan } from './types';
import { planDomainCpuMode } from './domainCpuPlan';
import { unifiedDiff } from './diff';

export interface DomainChangeUI {
  /** The domain is Nova-managed: 'apply' anyway, take the 'nova-conf' route instead, or 'cancel'. */
  novaManaged(name: string, warning: string): Promise<'apply' | 'nova-conf' | 'cancel'>;
  /** Show the diff (and the plan's findings); resolve true to go on. */
  preview(plan: DomainPlan, diff: string): Promise<boolean>;
  /** The guest runs: shut it down now so the new CPU applies? (false: define only; it applies at the next cold start.) */
  confirmShutdown(name: string, timeoutMs: number): Promise<boolean>;
  /** The guest did not stop within the timeout: force it off (`virsh destroy`)? */
  confirmDestroy(name: string, waitedMs: number): Promise<boolean>;
  /** The guest does not run with the new definition: put the old one back and start it? */
  confirmRollback(name: string, why: string): Promise<boolean>;
  /** A progress line ("Shutting down vm1…"). */
  progress(message: string): void;
}

export interface DomainChangeOptions {
  uri: string;
  name: string;
  change: DomainCpuChange;
  knowledge: Knowledge;
  /** How long a graceful shutdown may take (default 60 s). */
  shutdownTimeoutMs?: number;
  /** How long to wait for the started guest to report running (default 15 s). */
  startTimeoutMs?: number;
  /** Run virsh through sudo. */
  sudo?: boolean;
}

export type DomainChangeOutcome =
  | 'applied'        // defined, and (if it ran or was restarted) running with the new CPU
  | 'defined'        // defined; the running guest keeps its old CPU until a cold start
  | 'nova-conf'      // the user chose the nova.conf route instead
  | 'cancelled'
  | 'refused'        // the plan was refused (our diagnostics, or nothing to change)
  | 'failed'         // a virsh step failed; `message` says which, in virsh's words
  | 'rolled-back';   // the new definition did not run; the old one is back

export interface DomainChangeResult {
  outcome: DomainChangeOutcome;
  message: string;
  plan?: DomainPlan;
}

const POLL_MS = 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const said = (r: RunResult) => r.error ?? (r.stderr.toString('utf8').trim() || r.stdout.toString('utf8').trim() || `exit status ${r.code}`);

export interface DomainEntry { name: string; running: boolean }

/** `virsh list --all --name`, with which of them run (`--state-running`); undefined and why when virsh fails. */
export async function listDomains(runner: Runner, uri: string, sudo?: boolean): Promise<DomainEntry[] | string> {
  const names = async (extra: string[]) => {
    const r = await runner.run(['virsh', '-c', uri, 'list', '--all', '--name', ...extra], { sudo, timeoutMs: 30_000 });
    return r.code === 0 ? r.stdout.toString('utf8').split('\n').map((l) => l.trim()).filter(Boolean) : `virsh list failed: ${said(r)}`;
  };
  const all = await names([]);
  if (typeof all === 'string') return all;
  const running = await names(['--state-running']);
  if (typeof running === 'string') return running;
  const on = new Set(running);
  return all.map((name) => ({ name, running: on.has(name) }));
}

/** The XML with another name and no uuid/nvram tie to the original: what `define --validate` is run on. */
export function validationCopy(xml: string, copyName: string): string {
  return xml
    .replace(/<name>[^<]*<\/name>/, `<name>${copyName}</name>`)
    .replace(/<uuid>[^<]*<\/uuid>\s*/, '');
}

/** `virsh define [--validate] FILE` with `xml` in a temporary file on the host. */
async function defineXml(runner: Runner, opts: DomainChangeOptions, xml: string, validate = false): Promise<RunResult> {
  const mk = await runner.run(['mktemp', '--tmpdir', 'nova-libvirt-cpu.XXXXXXXX.xml'], { timeoutMs: 10_000 });
  if (mk.code !== 0) return mk;
  const file = mk.stdout.toString('utf8').trim();
  try {
    const w = await runner.run(['dd', `of=${file}`, 'status=none'], { stdin: xml, timeoutMs: 30_000 });
    if (w.code !== 0) return w;
    return await runner.run(['virsh', '-c', opts.uri, 'define', ...(validate ? ['--validate'] : []), file], { sudo: opts.sudo, timeoutMs: 60_000 });
  } finally {
    await runner.run(['rm', '-f', '--', file], { timeoutMs: 10_000 });
  }
}

export async function changeDomainCpu(runner: Runner, ui: DomainChangeUI, opts: DomainChangeOptions): Promise<DomainChangeResult> {
  const virsh: Virsh = (args, poll) => runner.run(['virsh', '-c', opts.uri, ...args], { sudo: opts.sudo, timeoutMs: 60_000, poll });
  const state: State = async (poll) => { const r = await virsh(['domstate', '--', opts.name], poll); return r.code === 0 ? r.stdout.toString('utf8').trim() : undefined; };
  const dump = () => virsh(['dumpxml', '--inactive', '--', opts.name]);
  const fail = (step: string, r: RunResult, plan?: DomainPlan): DomainChangeResult => ({ outcome: 'failed', message: `${step} failed: ${said(r)}`, plan });
  try {
    ui.progress(`Reading ${opts.name}…`);
    const first = await dump();
    if (first.code !== 0) return fail(`virsh dumpxml --inactive ${opts.name}`, first);
    const before = first.stdout.toString('utf8');
    let change = opts.change;
    let plan = planDomainCpuMode(before, change, opts.knowledge, `domain ${opts.name}`);
    if (plan.novaManaged) {
      const q = plan.questions.find((x) => x.id === 'apply-to-nova-managed');
      const choice = await ui.novaManaged(opts.name, q?.text ?? `${opts.name} is managed by OpenStack Nova.`);
      if (choice !== 'apply') return { outcome: choice === 'nova-conf' ? 'nova-conf' : 'cancelled', message: choice === 'nova-conf' ? 'Change nova.conf instead (Set Nova CPU mode…).' : 'Cancelled.', plan };
      change = { ...change, answers: { ...change.answers, 'apply-to-nova-managed': true } };
      plan = planDomainCpuMode(before, change, opts.knowledge, `domain ${opts.name}`);
    }
    if (plan.refused) return { outcome: 'refused', message: plan.refused, plan };
    const edit = plan.edits[0];
    if (!edit) return { outcome: 'refused', message: `Nothing to change: ${opts.name} already has that CPU.`, plan };
    if (!(await ui.preview(plan, unifiedDiff(edit)))) return { outcome: 'cancelled', message: 'Cancelled.', plan };

    ui.progress('Validating with virsh define --validate (on a copy)…');
    // Only name characters that need no XML escaping, whatever the domain is called.
    const copy = `${opts.name.slice(0, 40).replace(/[^A-Za-z0-9_.-]/g, '_')}-validate-${randomBytes(4).toString('hex')}`;
    const v = await defineXml(runner, opts, validationCopy(edit.after, copy), true);
    if (v.code === 0) await virsh(['undefine', '--keep-nvram', '--', copy]);
    if (v.code !== 0) return fail('virsh define --validate (of a copy)', v, plan);

    // The definition may have changed while the user looked at the diff: then we define nothing.
    const again = await dump();
    if (again.code !== 0) return fail(`virsh dumpxml --inactive ${opts.name}`, again, plan);
    if (again.stdout.toString('utf8') !== before) return { outcome: 'refused', message: `${opts.name}'s definition changed since the preview; nothing was defined. Run the command again.`, plan };

    const wasRunning = (await state()) === 'running';
    ui.progress(`Defining ${opts.name}…`);
    const d = await defineXml(runner, opts, edit.after);
    if (d.code !== 0) return fail('virsh define', d, plan);
    if (!wasRunning) return { outcome: 'applied', message: `${opts.name} is defined with the new CPU; it is shut off, and gets it at its next start.`, plan };

    if (!(await ui.confirmShutdown(opts.name, opts.shutdownTimeoutMs ?? 60_000))) {
      return { outcome: 'defined', message: `${opts.name} is defined with the new CPU; it keeps running with the old one until it is shut down and started again (a reboot inside the guest is not enough).`, plan };
    }
    const stopped = await stop(opts, ui, virsh, state);
    if (stopped !== true) return stopped === false ? { outcome: 'defined', message: `${opts.name} is defined with the new CPU but still runs with the old one (not destroyed).`, plan } : fail('virsh shutdown/destroy', stopped, plan);

    const started = await start(opts, ui, virsh, state);
    if (started === true) return { outcome: 'applied', message: `${opts.name} runs with the new CPU.`, plan };
    if (!(await ui.confirmRollback(opts.name, started))) return { outcome: 'failed', message: `${opts.name} is defined with the new CPU but does not run: ${started}`, plan };
    ui.progress(`Restoring ${opts.name}'s previous definition…`);
    const back = await defineXml(runner, opts, before);
    if (back.code !== 0) return fail('virsh define (rollback)', back, plan);
    const restarted = await start(opts, ui, virsh, state);
    return restarted === true
      ? { outcome: 'rolled-back', message: `The new CPU did not run (${started}); ${opts.name} has its previous definition again and runs.`, plan }
      : { outcome: 'failed', message: `The new CPU did not run (${started}); the previous definition is back but does not start either: ${restarted}`, plan };
  } finally {
    runner.endOperation();
  }
}

/** `poll`: the waiting loop the command is a poll of (RunOptions.poll: the command log folds them). */
type Virsh = (args: string[], poll?: string) => Promise<RunResult>;
type State = (poll?: string) => Promise<string | undefined>;

/** Graceful shutdown, bounded; destroy only when the user agrees. true = shut off, false = the user declined. */
async function stop(opts: DomainChangeOptions, ui: DomainChangeUI, virsh: Virsh, state: State): Promise<true | false | RunResult> {
  const timeout = opts.shutdownTimeoutMs ?? 60_000;
  ui.progress(`Shutting down ${opts.name} (ACPI, up to ${Math.round(timeout / 1000)} s)…`);
  const s = await virsh(['shutdown', '--', opts.name]);
  if (s.code !== 0) return s;
  const t0 = Date.now();
  while (Date.now() - t0 < timeout) {
    if ((await state(`waiting for ${opts.name} to shut down`)) === 'shut off') return true;
    await sleep(POLL_MS);
  }
  if (!(await ui.confirmDestroy(opts.name, Date.now() - t0))) return false;
  ui.progress(`Forcing ${opts.name} off (virsh destroy)…`);
  const d = await virsh(['destroy', '--', opts.name]);
  // destroy can race with a late ACPI shutdown: "domain is not running" is then fine.
  if (d.code !== 0 && (await state()) !== 'shut off') return d;
  return true;
}

/** Start and wait until libvirt reports running; the reason when it does not. */
async function start(opts: DomainChangeOptions, ui: DomainChangeUI, virsh: Virsh, state: State): Promise<true | string> {
  ui.progress(`Starting ${opts.name}…`);
  const r = await virsh(['start', '--', opts.name]);
  if (r.code !== 0) return `virsh start: ${said(r)}`;
  const t0 = Date.now();
  let last: string | undefined;
  while (Date.now() - t0 < (opts.startTimeoutMs ?? 15_000)) {
    last = await state(`waiting for ${opts.name} to run`);
    if (last === 'running') return true;
    await sleep(POLL_MS);
  }
  return `it is '${last ?? 'unknown'}', not running`;
}
