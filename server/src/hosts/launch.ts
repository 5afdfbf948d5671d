/**
 * How nova-compute is launched on a host (its arguments decide the config set's read order:
 * novaconf/launchOrder.ts), found in this order:
 * 1. a running nova-compute: its /proc/PID/cmdline (the arguments it really got);
 * 2. the systemd unit's ExecStart (`systemctl cat UNIT`, drop-ins included) when systemd is PID 1;
 *    Debian's unit runs `/etc/init.d/nova-compute systemd-start`, so the script is asked next;
 * 3. the init script's `show-args` (openstack-pkg-tools' scripts print `$DAEMON $DAEMON_ARGS`,
 *    the words the script's unquoted `$DAEMON_ARGS` expands to when it starts the daemon).
 * Every probe is an argument array. The probes are a generator, so the host commands (a Runner,
 * async) and the editor's and CLI's look at their own machine (synchronous) run the same ones.
 * systemd cannot run here: its path is tested through the exact argv and recorded output.
 */
import { spawnSync } from 'node:child_process';
import { posix } from 'node:path';
import type { Launch } from '../novaconf/launchOrder';

/** What a probe gives back: its exit status (null when it could not run) and stdout. */
export interface ProbeOutput { code: number | null; stdout: string }

export interface LaunchDetection {
  launch?: Launch;
  /** One line per probe: what it found, for the report. */
  notes: string[];
}

export type LaunchProbes = Generator<string[], LaunchDetection, ProbeOutput>;

const SYSTEMD_UNITS = ['nova-compute', 'openstack-nova-compute'];
export const INIT_SCRIPT = '/etc/init.d/nova-compute';
/** More processes than that is not a compute node's nova-compute. */
const MAX_PIDS = 8;

/** The program, not the init script of the same name (`sh /etc/init.d/nova-compute start` is a nova-compute to pgrep too). */
const isNovaCompute = (word: string) => posix.basename(word) === 'nova-compute' && !/(^|\/)(init\.d|rc\d\.d)\//.test(word);

/** nova-compute's arguments in a /proc/PID/cmdline (NUL-separated; the interpreter comes first for a script). */
export function argsFromCmdline(cmdline: string): string[] | undefined {
  const argv = cmdline.split('\0');
  if (argv.at(-1) === '') argv.pop();
  const at = argv.findIndex(isNovaCompute);
  return at < 0 ? undefined : argv.slice(at + 1);
}

/** nova-compute's arguments in an init script's `show-args` line (`/usr/bin/nova-compute --config-file=…`). */
export function argsFromShowArgs(stdout: string): string[] | undefined {
  const words = stdout.split('\n')[0].trim().split(/[ \t]+/).filter(Boolean);
  return words.length && isNovaCompute(words[0]) ? words.slice(1) : undefined;
}

/**
 * systemd's command-line splitting (systemd.service(5) "Command lines"): words separated by
 * whitespace, double and single quotes, backslash escapes. Undefined for what we do not
 * resolve ($VARIABLE substitution from Environment=).
 */
export function splitExecLine(line: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === ' ' || c === '\t') { if (word !== undefined) words.push(word); word = undefined; continue; }
    if (c === '$') return undefined;
    word ??= '';
    if (c === '\\' && i + 1 < line.length) { word += line[++i]; continue; }
    if (c === '"' || c === "'") {
      const end = line.indexOf(c, i + 1);
      if (end < 0) return undefined;
      word += line.slice(i + 1, end).replace(/\\(.)/g, '$1');
      i = end;
      continue;
    }
    word += c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * The ExecStart argv of `systemctl cat` output (the unit, then its drop-ins): the last one in a
 * [Service] section, an empty `ExecStart=` resetting the list; the `-@:+!` prefixes dropped.
 */
export function execStartOf(unitText: string): string[] | undefined {
  let section = '';
  let exec: string | undefined;
  const lines = unitText.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].trim();
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i].trim()}`;
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) { section = line; continue; }
    const m = /^ExecStart\s*=\s*(.*)$/.exec(line);
    if (section === '[Service]' && m) exec = m[1];
  }
  if (!exec) return undefined;
  const argv = splitExecLine(exec.replace(/^[-@:+!]+/, ''));
  return argv?.length ? argv : undefined;
}

const found = (args: string[], source: string, notes: string[]): LaunchDetection => {
  notes.push(`${source}: ${args.length ? args.join(' ') : 'no arguments'}`);
  return { launch: { args, source }, notes };
};

/** The init script's own arguments (`show-args`), or a note why not. */
function* fromInitScript(script: string, notes: string[]): Generator<string[], string[] | undefined, ProbeOutput> {
  const r = yield [script, 'show-args'];
  const args = r.code === 0 ? argsFromShowArgs(r.stdout) : undefined;
  if (!args) notes.push(`${script} show-args: ${r.code === null ? 'not there' : r.code === 0 ? 'does not print a nova-compute command line' : `exit ${r.code}`}`);
  return args;
}

/** The probes, in the order of the module comment. */
export function* launchProbes(): LaunchProbes {
  const notes: string[] = [];
  const pids = (yield ['pgrep', '-x', 'nova-compute']).stdout.split('\n').filter((l) => /^\d+$/.test(l.trim())).slice(0, MAX_PIDS);
  const seen = new Map<string, { pid: string; args: string[] }>();
  for (const pid of pids) {
    const r = yield ['cat', `/proc/${pid.trim()}/cmdline`];
    const args = r.code === 0 ? argsFromCmdline(r.stdout) : undefined;
    if (args) seen.set(JSON.stringify(args), { pid: pid.trim(), args });
  }
  if (seen.size === 1) { const [p] = seen.values(); return found(p.args, `the running nova-compute (pid ${p.pid})`, notes); }
  notes.push(seen.size ? `${seen.size} running nova-compute processes with different arguments: the service's are used` : 'no running nova-compute');

  const pid1 = yield ['cat', '/proc/1/comm'];
  if (pid1.code === 0 && pid1.stdout.trim() === 'systemd') {
    for (const unit of SYSTEMD_UNITS) {
      const r = yield ['systemctl', 'cat', unit];
      const argv = r.code === 0 ? execStartOf(r.stdout) : undefined;
      if (!argv) { notes.push(`systemd unit ${unit}: ${r.code === 0 ? 'no ExecStart we can read' : 'not there'}`); continue; }
      if (isNovaCompute(argv[0])) return found(argv.slice(1), `systemd unit ${unit}'s ExecStart`, notes);
      if (argv.length === 2 && argv[1] === 'systemd-start') {
        const args = yield* fromInitScript(argv[0], notes);
        if (args) return found(args, `systemd unit ${unit} (${argv[0]} systemd-start)`, notes);
        continue;
      }
      notes.push(`systemd unit ${unit}: ExecStart runs ${argv[0]}, not nova-compute`);
    }
  }
  const args = yield* fromInitScript(INIT_SCRIPT, notes);
  return args ? found(args, `the init script ${INIT_SCRIPT}`, notes) : { notes };
}

/** Runs the probes with `run` (synchronous: the editor's and the CLI's own machine). */
export function runProbesSync(run: (argv: string[]) => ProbeOutput): LaunchDetection {
  const probes = launchProbes();
  let step = probes.next();
  while (!step.done) step = probes.next(run(step.value));
  return step.value;
}

/** Runs the probes with `run` (asynchronous: a Runner on a host). */
export async function runProbes(run: (argv: string[]) => Promise<ProbeOutput>): Promise<LaunchDetection> {
  const probes = launchProbes();
  let step = probes.next();
  while (!step.done) step = probes.next(await run(step.value));
  return step.value;
}

/**
 * This machine's launch (the editor's workspace or the CLI on a compute node), asked once per
 * process: the probes run with spawnSync, each bounded to 5 s, as the current user.
 */
let local: LaunchDetection | undefined;
export function detectLocalLaunch(): LaunchDetection {
  local ??= runProbesSync((argv) => {
    const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 5_000, maxBuffer: 1 << 20, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'ignore'] });
    return { code: r.error ? null : r.status, stdout: r.stdout ?? '' };
  });
  return local;
}
