/**
 * The argv of the system `ssh` for one remote command, and what ssh's failures mean. Pure: the
 * OpenSSH runner (hosts/sshRunner.ts) spawns what this builds; unit tests check it exactly.
 *
 * Options we always pass, and why:
 *   -T, -e none            no pty and no escape character: stdin is the file's bytes, a line "~." in it is data
 *   BatchMode=yes          never prompt (passwords, passphrases, host keys): the editor has no terminal
 *   ConnectTimeout=N       a host that does not answer fails in N seconds, not minutes
 *   ControlMaster=auto, ControlPath=DIR/%C, ControlPersist=Ns
 *                          one connection per host for all commands of an operation; DIR is ours and 0700
 *   ServerAliveInterval/CountMax
 *                          a connection that dies mid-command is noticed within ~45 s
 *   ForwardAgent=no, ForwardX11=no, ClearAllForwardings=yes, PermitLocalCommand=no
 *                          a compute node gets no access to the user's agent or ports through us
 * Never StrictHostKeyChecking=no or accept-new: an unknown host key fails (see sshFailure).
 * Everything else (user, port, keys, jump hosts, known_hosts) comes from the user's ssh config.
 */
import { shellJoin } from './shellQuote';

export interface SshTarget {
  /** `host`, `user@host`, or a Host alias from the ssh config. */
  destination: string;
  /** `-p`, when not in the ssh config. */
  port?: number;
  /** `-F`: another ssh config than ~/.ssh/config. */
  configFile?: string;
  /** Directory of the control sockets (private to us; see sshRunner.ts). */
  controlDir: string;
  connectTimeoutSec?: number;
  controlPersistSec?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_SEC = 10;
export const DEFAULT_CONTROL_PERSIST_SEC = 60;

const USER = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
// Host names, Host aliases and IPv4 (letters, digits, dots, dashes, underscores); IPv6 in brackets or bare.
const HOSTNAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const IPV6 = /^\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9]+)?\]?$/;

/**
 * Why `destination` is not a destination we hand to ssh, or undefined. Stricter than ssh: a
 * leading dash would be an option, and shell characters in a host name reach the user's
 * ProxyCommand through %h (CVE-2023-51385), so only plain names pass.
 */
export function destinationProblem(destination: string): string | undefined {
  if (destination === '') return 'is empty';
  if (destination.startsWith('-')) return 'starts with a dash (it would be read as an ssh option)';
  const at = destination.lastIndexOf('@');
  const user = at >= 0 ? destination.slice(0, at) : undefined;
  const host = destination.slice(at + 1);
  if (user !== undefined && !USER.test(user)) return `has a user name ssh would not take safely (${JSON.stringify(user)}): letters, digits, '.', '_', '-' only`;
  if (!HOSTNAME.test(host) && !IPV6.test(host)) return `has a host name with characters other than letters, digits, '.', '_', '-' (or an IPv6 address): ${JSON.stringify(host)}`;
  return undefined;
}

export function checkTarget(t: SshTarget): void {
  const problem = destinationProblem(t.destination);
  if (problem) throw new Error(`ssh host ${JSON.stringify(t.destination)} ${problem}`);
  if (t.port !== undefined && !(Number.isInteger(t.port) && t.port >= 1 && t.port <= 65535)) throw new Error(`ssh port ${t.port} is not a port number (1-65535)`);
}

/** Options shared by the command and the `-O exit` of close(): both must name the same control socket. */
export function sshOptions(t: SshTarget): string[] {
  return [
    ...(t.configFile !== undefined ? ['-F', t.configFile] : []),
    ...(t.port !== undefined ? ['-p', String(t.port)] : []),
    '-o', 'BatchMode=yes',
    '-o', `ConnectTimeout=${t.connectTimeoutSec ?? DEFAULT_CONNECT_TIMEOUT_SEC}`,
    '-o', 'ControlMaster=auto',
    '-o', `ControlPath=${t.controlDir}/%C`,
    '-o', `ControlPersist=${t.controlPersistSec ?? DEFAULT_CONTROL_PERSIST_SEC}s`,
    '-o', 'ServerAliveInterval=15',
    '-o', 'ServerAliveCountMax=3',
    '-o', 'ForwardAgent=no',
    '-o', 'ForwardX11=no',
    '-o', 'ClearAllForwardings=yes',
    '-o', 'PermitLocalCommand=no',
  ];
}

/**
 * The remote command line for argv: `env LC_ALL=C` first (sudo's and coreutils' messages in the
 * words we match), then argv, each word quoted by the one quoting function.
 */
export function remoteCommandLine(argv: readonly string[]): string {
  return shellJoin(['env', 'LC_ALL=C', ...argv]);
}

/** ssh's own argv for running argv on the target: options, `--`, the destination, one command line. */
export function sshCommandArgs(t: SshTarget, argv: readonly string[]): string[] {
  return ['-T', '-e', 'none', ...sshOptions(t), '--', t.destination, remoteCommandLine(argv)];
}

export function sshExitArgs(t: SshTarget): string[] {
  return [...sshOptions(t), '-O', 'exit', '--', t.destination];
}

/** ssh refused the host's key (unknown or changed): the one failure we explain at length. */
export function isHostKeyFailure(stderr: string): boolean {
  return /Host key verification failed|host key is known for .* you have requested strict checking/.test(stderr);
}

/** Where ssh really connects (from `ssh -G`): for the ssh-keyscan hint. */
export interface ResolvedHost {
  hostname: string;
  port: number;
}

/** `ssh -G` output (one "key value" per line) -> hostname and port. */
export function parseSshG(out: string): ResolvedHost | undefined {
  const hostname = /^hostname (\S+)$/m.exec(out)?.[1];
  const port = Number(/^port (\d+)$/m.exec(out)?.[1]);
  return hostname && port ? { hostname, port } : undefined;
}

export function sshResolveArgs(t: SshTarget): string[] {
  return [...sshOptions(t), '-G', '--', t.destination];
}

/**
 * When ssh itself failed (exit 255 and one of its own messages, or none), why, in words a user can
 * act on, followed by ssh's. Undefined when the remote command ran (its exit status is the result).
 * A remote command's own exit 255 without stderr reads as a lost connection: ssh gives no way to
 * tell them apart, and the coreutils we run never exit 255.
 */
export function sshFailure(destination: string, code: number | null, stderr: string, resolved?: ResolvedHost): string | undefined {
  if (code !== 255) return undefined;
  const said = stderr.split('\n').map((l) => l.trim()).filter(Boolean).join('; ');
  if (isHostKeyFailure(stderr)) {
    if (/REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr)) {
      return `the host key of ${destination} has CHANGED since it was recorded in known_hosts: this may be an attack, or the host was reinstalled. Check with its administrator, then fix known_hosts (ssh-keygen -R). nova-libvirt-cpu never accepts a host key for you. ssh said: ${said}`;
    }
    const host = resolved?.hostname ?? destination.slice(destination.lastIndexOf('@') + 1);
    const scan = resolved && resolved.port !== 22 ? `ssh-keyscan -p ${resolved.port} ${host}` : `ssh-keyscan ${host}`;
    return `the host key of ${destination} is not known (not in known_hosts), and nova-libvirt-cpu never accepts a host key for you. Connect once by hand (ssh ${destination}) and compare the fingerprint it shows with the host's own (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on it), or add it with \`${scan} >> ~/.ssh/known_hosts\` after that same check. ssh said: ${said}`;
  }
  const known: Array<[RegExp, string]> = [
    [/Permission denied \(/, `ssh could not log in to ${destination} without a prompt (BatchMode): load the key into your ssh agent or name it in your ssh config`],
    [/Could not resolve hostname/, `ssh cannot resolve the host name of ${destination}`],
    [/Connection refused/, `${destination} refused the ssh connection (is sshd running on that port?)`],
    [/Connection timed out|Operation timed out/, `the ssh connection to ${destination} timed out`],
    [/closed by remote host|Connection closed by|Connection reset|Broken pipe|client_loop|mux_client|Timeout, server .* not responding|kex_exchange_identification/,
      `the ssh connection to ${destination} was lost`],
  ];
  for (const [re, why] of known) if (re.test(stderr)) return `${why}. ssh said: ${said}`;
  // a shared connection that dies ends its sessions with 255 and no word; none of our commands exits 255
  if (said === '') return `the ssh connection to ${destination} was lost (ssh exited 255 without a message)`;
  // 255 with none of ssh's messages: the remote command's own status
  return /^(ssh|ssh_|mux_|channel |Control socket)/m.test(stderr) ? `ssh to ${destination} failed: ${said}` : undefined;
}
