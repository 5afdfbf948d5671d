/**
 * Hosts from the user's OpenSSH client config: every `Host` alias without a wildcard or negation
 * (`Host *`, `Host web-*`, `!bastion` name patterns, not hosts), `Include`s followed as ssh does.
 * Only the names come from here: what an alias really reaches (HostName, Port, User after every
 * Match and default) is ssh's own answer, `ssh -G alias` (resolveAlias), never our reading.
 */
import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { Runner } from '../hosts/runner';
import { decodeText, readRegularFile } from '../core/readFile';
import { MAX_CHECKED_BYTES } from '../core/inputChecks';
import { InventoryError, type Inventory, type InventoryHost } from './model';

/** ssh's own bound on nested Include (readconf.c READCONF_MAX_DEPTH). */
const MAX_INCLUDE_DEPTH = 16;

export interface SshAliases {
  aliases: string[];
  /** Files that could not be read, with why. */
  problems: string[];
}

/** ssh_config's argument splitting: whitespace, double quotes; `Key=value` also allowed. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|([^\s"]+)/g;
  for (let m; (m = re.exec(line)); ) out.push(m[1] ?? m[2]);
  return out;
}

/** The aliases of `file` (default ~/.ssh/config), in the order written, each once. */
export function sshConfigAliases(file = join(homedir(), '.ssh', 'config')): SshAliases {
  const aliases = new Set<string>();
  const problems: string[] = [];
  const userDir = join(homedir(), '.ssh');
  const visit = (path: string, depth: number, required: boolean) => {
    if (depth > MAX_INCLUDE_DEPTH) { problems.push(`${path}: Include nested more than ${MAX_INCLUDE_DEPTH} deep`); return; }
    const read = readRegularFile(path, MAX_CHECKED_BYTES);
    if (!read.ok) { if (required || read.tooLarge !== undefined) problems.push(`${path}: ${read.tooLarge !== undefined ? 'too large' : read.reason}`); return; }
    for (const raw of decodeText(read.bytes).split(/\r?\n/)) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
      if (!m) continue;
      const key = m[1].toLowerCase();
      if (key === 'host') {
        for (const w of words(m[2])) if (!/[*?!]/.test(w)) aliases.add(w);
      } else if (key === 'include') {
        for (const pattern of words(m[2])) for (const p of expandInclude(pattern, userDir)) visit(p, depth + 1, false);
      }
    }
  };
  visit(file, 0, false);
  return { aliases: [...aliases], problems };
}

/** An Include argument: `~` expanded, relative to ~/.ssh, a `*`/`?` glob in the last component (ssh globs every component; one covers the common `config.d/*`). */
function expandInclude(pattern: string, userDir: string): string[] {
  const p = pattern.startsWith('~/') ? join(homedir(), pattern.slice(2)) : isAbsolute(pattern) ? pattern : join(userDir, pattern);
  const base = basename(p);
  if (!/[*?]/.test(base)) return [p];
  const re = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  try {
    return readdirSync(dirname(p)).filter((n) => re.test(n) && !n.startsWith('.')).sort().map((n) => join(dirname(p), n));
  } catch {
    return [];
  }
}

export interface ResolvedAlias {
  hostname: string;
  port: number;
  user?: string;
}

/** What ssh makes of `alias` (`ssh [-F config] -G -- alias`): the first hostname, port and user lines. */
export async function resolveAlias(runner: Runner, alias: string, configFile?: string): Promise<ResolvedAlias> {
  if (alias.startsWith('-')) throw new InventoryError(`ssh alias '${alias}' starts with '-'`);
  const r = await runner.run(['ssh', ...(configFile ? ['-F', configFile] : []), '-G', '--', alias], { timeoutMs: 30_000 });
  if (r.error || r.code !== 0) throw new InventoryError(`ssh -G ${alias}: ${r.error ?? r.stderr.toString('utf8').trim()}`);
  const out = r.stdout.toString('utf8');
  const get = (k: string) => new RegExp(`^${k} (.+)$`, 'm').exec(out)?.[1];
  const hostname = get('hostname');
  const port = Number(get('port'));
  if (!hostname || !port) throw new InventoryError(`ssh -G ${alias} printed no hostname and port`);
  const user = get('user');
  return { hostname, port, ...(user ? { user } : {}) };
}

/** The aliases as an inventory: one group, `ssh_config`; each host reached by its alias (ssh applies the config). */
export function aliasInventory(aliases: readonly string[]): Inventory {
  const hosts = new Map<string, InventoryHost>(aliases.map((a) => [a, { name: a }]));
  return { hosts, groups: new Map([['ssh_config', { hosts: [...aliases], children: [] }]]) };
}
