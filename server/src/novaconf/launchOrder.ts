/**
 * The order in which nova-compute reads its config set, from the way it is launched: oslo.config's
 * ConfigOpts._parse_config_files (oslo.config 9.0, Nova 26), step by step:
 * 1. the default config files, only when no argument is exactly `--config-file` or starts with
 *    `--config-file=`: find_config_files('nova', 'nova-compute') = nova.conf, nova-compute.conf;
 * 2. the default config dirs, only when no argument is `--config-dir` or `--config-dir=…`:
 *    find_config_dirs('nova', 'nova-compute') = nova.conf.d, nova-compute.conf.d, each `*.conf`
 *    sorted by name;
 * 3. then argparse's pass over the arguments: each `--config-file` and `--config-dir` in argv order.
 * A later file wins. So Debian's init script (`--config-file` twice, no `--config-dir`) reads
 * nova.conf.d *before* nova.conf and nova-compute.conf, and a launch without arguments (RDO's
 * unit, kolla) reads it after them.
 *
 * Modelled: the /etc/nova set, i.e. those four locations in the set's directory (a path in the
 * arguments under /etc/nova is read there). Left out: the other places oslo.config searches for the
 * defaults (~/.nova/, ~/, /etc/, $SNAP…, where a file found first would replace /etc/nova's),
 * arguments naming files or directories elsewhere (relative paths among them), and argparse's
 * errors (a missing file, an option without its value), which stop nova-compute before any
 * config check.
 */
import { posix } from 'node:path';

/** How nova-compute is started: its arguments, without the program (argv[1:]). */
export interface Launch {
  args: readonly string[];
  /** Where it was learnt, for the user ("the running nova-compute (pid 123)", "the setting …"). */
  source: string;
}

/** What oslo.config reads without arguments: the default files, then the default dirs. */
export const NO_ARGUMENTS: Launch = { args: [], source: 'nova-compute without arguments (oslo.config\'s defaults)' };

/** Debian's init script (openstack-pkg-tools): DAEMON_ARGS when nova-compute.conf exists, as `show-args` prints it. */
export const DEBIAN_INIT: Launch = {
  args: ['--config-file=/etc/nova/nova.conf', '--config-file=/etc/nova/nova-compute.conf'],
  source: "Debian's init script (--config-file=/etc/nova/nova.conf --config-file=/etc/nova/nova-compute.conf)",
};

/** The directory whose paths the arguments name; a set elsewhere (a config repository) stands for it. */
export const NOVA_ETC = '/etc/nova';
export const CONFIG_FILES = ['nova.conf', 'nova-compute.conf'] as const;
export const CONFIG_DIRS = ['nova.conf.d', 'nova-compute.conf.d'] as const;

/** One thing oslo.config reads: a file, or a directory's `*.conf` sorted. Paths as given (absolute for the defaults). */
export interface ReadStep { kind: 'file' | 'dir'; path: string }

/** oslo.config's own test, on every argument (an abbreviation such as `--config-f` does not count). */
const names = (args: readonly string[], opt: string) => args.some((a) => a === opt || a.startsWith(`${opt}=`));

/**
 * Which of our two options argparse takes `name` for: the option itself or an abbreviation that
 * only it has among nova-compute's options (`--config` alone is ambiguous: argparse exits).
 */
function optionOf(name: string): 'file' | 'dir' | undefined {
  if (name.length >= '--config-f'.length && '--config-file'.startsWith(name)) return 'file';
  if (name.length >= '--config-d'.length && '--config-dir'.startsWith(name)) return 'dir';
  return undefined;
}

/** What nova-compute reads, in order, for these arguments. */
export function readSteps(args: readonly string[]): ReadStep[] {
  const steps: ReadStep[] = [];
  if (!names(args, '--config-file')) for (const f of CONFIG_FILES) steps.push({ kind: 'file', path: `${NOVA_ETC}/${f}` });
  if (!names(args, '--config-dir')) for (const d of CONFIG_DIRS) steps.push({ kind: 'dir', path: `${NOVA_ETC}/${d}` });
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break; // the rest are positionals
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    const kind = optionOf(eq < 0 ? a : a.slice(0, eq));
    if (!kind) continue;
    // argparse takes the next argument as the value unless it looks like an option.
    const value = eq >= 0 ? a.slice(eq + 1) : args[i + 1] !== undefined && !args[i + 1].startsWith('-') ? args[++i] : undefined;
    if (value !== undefined) steps.push({ kind, path: value });
  }
  return steps;
}

/**
 * The steps inside the set rooted at `root`: each step's path as a name relative to the set
 * (`nova.conf`, `nova.conf.d`), or left out when it is none of the four locations.
 */
export function stepsInSet(steps: readonly ReadStep[]): Array<{ kind: 'file' | 'dir'; name: string }> {
  const out: Array<{ kind: 'file' | 'dir'; name: string }> = [];
  for (const s of steps) {
    const path = posix.normalize(s.path);
    if (!path.startsWith(`${NOVA_ETC}/`)) continue;
    const name = path.slice(NOVA_ETC.length + 1).replace(/\/$/, '');
    const known: readonly string[] = s.kind === 'file' ? CONFIG_FILES : CONFIG_DIRS;
    if (known.includes(name)) out.push({ kind: s.kind, name });
  }
  return out;
}

/** A short name for a launch in messages: its arguments, or "no arguments". */
export function describeLaunch(l: Launch): string {
  return l.args.length ? `nova-compute ${l.args.join(' ')}` : 'nova-compute (no arguments)';
}
