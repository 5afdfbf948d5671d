/**
 * How nova-compute is restarted, asked about and read on a host: service managers as data
 * (argument arrays, no shell), detected per host in a fixed order, or given by a setting.
 *
 * Tested here: the SysV init script live on a real node (test/support/computeNode.ts); systemd
 * and docker/podman through their exact argv and recorded outputs (no systemd as PID 1 and no
 * container engine on these machines; test/fixtures/services/ says where each output came from).
 */
import type { Runner, RunResult } from './runner';

/** Where nova-compute's log is read from after a restart. */
export type LogSource =
  /** A log file, read from the byte offset taken before the restart. */
  | { kind: 'file'; path: string }
  /** journald, from the restart's epoch second. */
  | { kind: 'journal'; unit: string };

export type ServiceKind = 'systemd' | 'sysv' | 'container' | 'custom';

export interface ServiceManager {
  kind: ServiceKind;
  /** What the user is told, e.g. "systemd unit nova-compute". */
  label: string;
  restart: string[];
  status: string[];
  /** How `status`'s result reads: exit code (systemctl is-active, init scripts) or `true`/`false` on stdout (inspect). */
  statusStyle: 'exit-code' | 'inspect';
  /** Read in this order; all of them are judged (a unit may log to its file and to journald). */
  log: LogSource[];
}

export type ServiceState = 'running' | 'stopped' | 'changing' | 'unknown';

const SYSTEMD_UNITS = ['nova-compute', 'openstack-nova-compute'];
const INIT_SCRIPT = '/etc/init.d/nova-compute';
const KOLLA_CONTAINER = 'nova_compute';
const KOLLA_LOG = '/var/log/kolla/nova/nova-compute.log';
const DEBIAN_LOG = '/var/log/nova/nova-compute.log';
const RUNTIMES = ['docker', 'podman'];

/**
 * journald gets what the unit writes on stderr (a config the parser rejects before logging is set
 * up); Debian's and Ubuntu's units also pass --log-file, so the file is read too when it exists.
 */
export function systemdManager(unit: string, logFile?: string): ServiceManager {
  return {
    kind: 'systemd', label: `systemd unit ${unit}`,
    restart: ['systemctl', 'restart', unit], status: ['systemctl', 'is-active', unit], statusStyle: 'exit-code',
    log: [...(logFile ? [{ kind: 'file' as const, path: logFile }] : []), { kind: 'journal', unit }],
  };
}

export function sysvManager(script = INIT_SCRIPT, log = DEBIAN_LOG): ServiceManager {
  return {
    kind: 'sysv', label: `init script ${script}`,
    restart: [script, 'restart'], status: [script, 'status'], statusStyle: 'exit-code',
    log: [{ kind: 'file', path: log }],
  };
}

export function containerManager(runtime: string, container = KOLLA_CONTAINER): ServiceManager {
  return {
    kind: 'container', label: `${runtime} container ${container}`,
    restart: [runtime, 'restart', container], status: [runtime, 'inspect', '-f', '{{.State.Running}}', container], statusStyle: 'inspect',
    log: [{ kind: 'file', path: KOLLA_LOG }],
  };
}

/** The setting `novaLibvirtCpu.service`: argv arrays for restart and status, and the log source. */
export interface ServiceOverride {
  restart: string[];
  status: string[];
  /** `file:/path` or `journal:UNIT`. */
  log: string;
}

/** Validates the setting; returns the manager or why it is not usable (never a shell string). */
export function managerFromSetting(raw: unknown): ServiceManager | { error: string } {
  const o = raw as Partial<ServiceOverride> | null;
  const argv = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x.length > 0);
  if (!o || typeof o !== 'object') return { error: 'the service setting must be an object with restart, status and log' };
  if (!argv(o.restart)) return { error: 'service.restart must be a non-empty array of strings (argv, no shell)' };
  if (!argv(o.status)) return { error: 'service.status must be a non-empty array of strings (argv, no shell)' };
  const m = typeof o.log === 'string' ? /^(file|journal):(.+)$/.exec(o.log) : null;
  if (!m) return { error: "service.log must be 'file:/path/to/nova-compute.log' or 'journal:UNIT'" };
  if (m[1] === 'file' && !m[2].startsWith('/')) return { error: 'service.log file: needs an absolute path' };
  return {
    kind: 'custom', label: `configured service (${o.restart!.join(' ')})`,
    restart: [...o.restart!], status: [...o.status!], statusStyle: 'exit-code',
    log: [m[1] === 'file' ? { kind: 'file', path: m[2] } : { kind: 'journal', unit: m[2] }],
  };
}

/** journalctl for what a unit wrote since an epoch second. */
export function journalArgv(unit: string, sinceEpochS: number): string[] {
  return ['journalctl', '-u', unit, `--since=@${sinceEpochS}`, '-o', 'short-iso', '--no-pager'];
}

/**
 * What a status command's result means. systemctl is-active: 0 "active"; "activating",
 * "deactivating", "reloading" are changing; anything else stopped. LSB init scripts: 0 running,
 * 1-3 not running (3 = "is not running"), 4 unknown. inspect: `true` / `false` on stdout.
 */
export function readStatus(m: ServiceManager, r: RunResult): ServiceState {
  if (r.error || r.code === null) return 'unknown';
  const out = r.stdout.toString('utf8').trim();
  if (m.statusStyle === 'inspect') return r.code !== 0 ? 'stopped' : out === 'true' ? 'running' : out === 'false' ? 'stopped' : 'unknown';
  if (m.kind === 'systemd') return r.code === 0 ? 'running' : /^(activating|deactivating|reloading)$/.test(out) ? 'changing' : 'stopped';
  return r.code === 0 ? 'running' : r.code >= 1 && r.code <= 3 ? 'stopped' : 'unknown';
}

/** One probe of detection, for the report to the user. */
export interface Probe { manager: string; found: boolean; why: string }

export interface Detection { manager?: ServiceManager; probes: Probe[] }

const firstLine = (b: Buffer) => b.toString('utf8').split('\n')[0].trim();

/**
 * Which manager runs nova-compute on this host, in this order: a systemd unit (systemd is PID 1
 * and the unit is loaded), kolla's container (docker, then podman, has it), the init script.
 * Every probe is an argv run through the runner; all are reported.
 */
export async function detectService(runner: Runner, opts: { sudo?: boolean } = {}): Promise<Detection> {
  const probes: Probe[] = [];
  const run = (argv: string[]) => runner.run(argv, { timeoutMs: 15_000, sudo: opts.sudo });

  const pid1 = await run(['cat', '/proc/1/comm']);
  const systemd = pid1.code === 0 && firstLine(pid1.stdout) === 'systemd';
  for (const unit of SYSTEMD_UNITS) {
    if (!systemd) { probes.push({ manager: `systemd unit ${unit}`, found: false, why: `PID 1 is ${pid1.code === 0 ? `'${firstLine(pid1.stdout)}'` : 'unreadable'}, not systemd` }); continue; }
    const r = await run(['systemctl', 'show', '-p', 'LoadState', '--value', unit]);
    const state = r.code === 0 ? firstLine(r.stdout) : '';
    const found = state === 'loaded';
    probes.push({ manager: `systemd unit ${unit}`, found, why: found ? 'unit loaded' : `LoadState ${state || `unknown (${r.error ?? `exit ${r.code}`})`}` });
    if (found) {
      const file = (await run(['test', '-f', DEBIAN_LOG])).code === 0 ? DEBIAN_LOG : undefined;
      return { manager: systemdManager(unit, file), probes };
    }
  }
  for (const rt of RUNTIMES) {
    const r = await run([rt, 'inspect', '-f', '{{.State.Running}}', KOLLA_CONTAINER]);
    const found = r.code === 0 && /^(true|false)$/.test(firstLine(r.stdout));
    probes.push({ manager: `${rt} container ${KOLLA_CONTAINER}`, found, why: found ? `container present (running: ${firstLine(r.stdout)})` : r.error ? `${rt} not available` : `no container ${KOLLA_CONTAINER}` });
    if (found) return { manager: containerManager(rt), probes };
  }
  const r = await run(['test', '-x', INIT_SCRIPT]);
  const found = r.code === 0;
  probes.push({ manager: `init script ${INIT_SCRIPT}`, found, why: found ? 'executable' : 'absent' });
  return { manager: found ? sysvManager() : undefined, probes };
}

export function describeDetection(d: Detection): string {
  const lines = d.probes.map((p) => `  ${p.found ? '✓' : '·'} ${p.manager}: ${p.why}`);
  return `${d.manager ? `nova-compute is managed by the ${d.manager.label}` : 'no nova-compute service found on this host'}\n${lines.join('\n')}`;
}
