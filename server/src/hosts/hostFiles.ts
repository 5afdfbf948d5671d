/**
 * Safe file operations on a host, on top of a Runner: read (bytes, sha256, owner/group/mode),
 * write (refuse when the file changed since it was read; timestamped backup beside it; atomic
 * replace; verify), list backups, restore one byte for byte.
 *
 * Only coreutils and findutils found on every Debian/RHEL/Ubuntu compute node, each command an
 * argv (stat, cat, sha256sum, mktemp, cp, sync, ln, dd, chown, chmod, mv, rm, find, test).
 *
 * An atomic write of PATH:
 *   1. sha256sum PATH must still be the hash the caller read, else nothing is written;
 *   2. backup: cp -p PATH to a mktemp file beside it, sync it, then `ln` it to the timestamped
 *      name (ln never replaces an existing file, so no backup is ever overwritten), rm the temp;
 *   3. mktemp beside PATH (0600, so a secret in nova.conf is never readable by others on the way),
 *      dd the new bytes into it from stdin with conv=fsync, chown/chmod it to PATH's owner and mode,
 *      check its hash, check PATH's hash once more, then `mv -f -T` it over PATH: the same directory,
 *      so the same filesystem, so rename(2) is atomic: PATH is the old file or the new one, never a mix;
 *   4. sync the directory (the rename survives a crash), re-read PATH's hash, owner and mode.
 * A failure before the rename removes the temp file (when the host is still reachable) and leaves
 * PATH and the backup as they were.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { RunOptions, RunResult, Runner } from './runner';
import { HostCommandError, failureText, runOk, succeeded } from './commandError';
import { backupGlob, backupName, hostPathProblem, parseBackupName, tempTemplate } from './backupNames';

export type HostFileErrorKind = 'bad-path' | 'missing' | 'not-regular' | 'too-large' | 'changed' | 'not-a-backup' | 'verify';

/** A refusal or failure of a file operation with a reason a program can act on (`kind`). */
export class HostFileError extends Error {
  constructor(
    readonly kind: HostFileErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'HostFileError';
  }
}

export interface FileAttrs {
  uid: number;
  gid: number;
  owner: string;
  group: string;
  /** Permission bits as octal text, as `stat -c %a` gives them ("640", "2755"). */
  mode: string;
  size: number;
}

export interface HostFile {
  path: string;
  bytes: Buffer;
  sha256: string;
  attrs: FileAttrs;
}

export interface WriteOutcome {
  path: string;
  /** Hash of the bytes now in the file (verified by re-reading). */
  sha256: string;
  previousSha256: string;
  /** Where the previous content was saved; undefined when the caller asked for no backup. */
  backupPath?: string;
  /** Things that did not stop the write but the user should know (e.g. the directory sync failed). */
  warnings: string[];
}

export interface Backup {
  path: string;
  at: Date;
  n: number;
}

export interface HostFilesOptions {
  /** Run every command through sudo (see hosts/sudo.ts). */
  sudo?: boolean;
  /** Clock for backup names (tests). */
  now?: () => Date;
  /** Largest file read or written; bigger ones are refused. Default 16 MiB. */
  maxBytes?: number;
  /** Per command. Default 60 s. */
  timeoutMs?: number;
}

export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Backups in one second beyond this many mean something is looping: stop. */
const MAX_BACKUPS_PER_SECOND = 20;
const STAT_FORMAT = '%u %g %a %s %U %G %F';

export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class HostFiles {
  private readonly maxBytes: number;

  constructor(
    readonly runner: Runner,
    private readonly opts: HostFilesOptions = {},
  ) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  async read(path: string): Promise<HostFile> {
    checkPath(path);
    const attrs = await this.regularFile(path);
    if (attrs.size > this.maxBytes) throw new HostFileError('too-large', `${path} on ${this.host} is ${attrs.size} bytes, over the ${this.maxBytes}-byte limit`);
    const r = await this.ok(['cat', '--', path], { maxOutputBytes: this.maxBytes }, `reading ${path}`);
    if (r.stdout.length !== attrs.size) {
      // (or a login shell's start-up file on the host prints to stdout: ssh hands us that too)
      throw new HostFileError('changed', `${path} on ${this.host} changed while it was read (${attrs.size} bytes by stat, ${r.stdout.length} read): read it again`);
    }
    return { path, bytes: r.stdout, sha256: sha256Hex(r.stdout), attrs };
  }

  /** sha256 of the file as it is now on the host; undefined when it does not exist. */
  async hash(path: string): Promise<string | undefined> {
    checkPath(path);
    if ((await this.attrs(path)) === undefined) return undefined;
    return this.sha(path);
  }

  /**
   * Replaces the file's content atomically, keeping its owner and mode, after a backup beside it.
   * `expectedSha256` is the hash of what the caller read (and previewed): if the file changed since,
   * nothing is written.
   */
  async write(path: string, content: Buffer | string, expectedSha256: string, { backup = true } = {}): Promise<WriteOutcome> {
    checkPath(path);
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    if (bytes.length > this.maxBytes) throw new HostFileError('too-large', `new content for ${path} is ${bytes.length} bytes, over the ${this.maxBytes}-byte limit`);
    const attrs = await this.regularFile(path);
    await this.expectHash(path, expectedSha256);
    const backupPath = backup ? await this.backup(path) : undefined;
    return { ...(await this.replace(path, bytes, attrs, expectedSha256)), previousSha256: expectedSha256, backupPath };
  }

  /** Our backups of `path`, newest first. */
  async backups(path: string): Promise<Backup[]> {
    checkPath(path);
    const dir = posix.dirname(path);
    const base = posix.basename(path);
    const r = await this.ok(['find', dir, '-mindepth', '1', '-maxdepth', '1', '-type', 'f', '-name', backupGlob(base), '-printf', '%f\\0'], {}, `listing backups of ${path}`);
    const found: Backup[] = [];
    for (const name of r.stdout.toString('utf8').split('\0')) {
      const parsed = name ? parseBackupName(base, name) : undefined;
      if (parsed) found.push({ path: posix.join(dir, name), ...parsed });
    }
    return found.sort((a, b) => b.at.getTime() - a.at.getTime() || b.n - a.n);
  }

  /**
   * Puts a backup's bytes back at `path`, atomically, with the backup's owner and mode. The current
   * content is backed up first (unless `backup: false`), so a restore is itself undoable.
   * `expectedSha256`, when given, must be the current file's hash (the state the user saw).
   */
  async restore(path: string, backupPath: string, { expectedSha256, backup = true }: { expectedSha256?: string; backup?: boolean } = {}): Promise<WriteOutcome> {
    checkPath(path);
    checkPath(backupPath);
    if (posix.dirname(backupPath) !== posix.dirname(path) || !parseBackupName(posix.basename(path), posix.basename(backupPath))) {
      throw new HostFileError('not-a-backup', `${backupPath} is not a nova-libvirt-cpu backup of ${path}`);
    }
    const saved = await this.read(backupPath);
    const current = await this.hash(path);
    if (current === undefined) throw new HostFileError('missing', `${path} does not exist on ${this.host}; nothing restored`);
    if (expectedSha256 !== undefined && current !== expectedSha256) throw changedError(path, this.host, expectedSha256, current);
    const newBackup = backup ? await this.backup(path) : undefined;
    return { ...(await this.replace(path, saved.bytes, saved.attrs, current)), previousSha256: current, backupPath: newBackup };
  }

  private get host(): string {
    return this.runner.host;
  }

  private run(argv: string[], extra: RunOptions = {}): Promise<RunResult> {
    return this.runner.run(argv, { sudo: this.opts.sudo, timeoutMs: this.opts.timeoutMs ?? 60_000, ...extra });
  }

  private ok(argv: string[], extra: RunOptions, what: string): Promise<RunResult> {
    return runOk(this.runner, argv, { sudo: this.opts.sudo, timeoutMs: this.opts.timeoutMs ?? 60_000, ...extra }, what);
  }

  /** stat of path (not following a symlink); undefined when it does not exist. */
  private async attrs(path: string): Promise<(FileAttrs & { type: string }) | undefined> {
    const r = await this.run(['stat', '-c', STAT_FORMAT, '--', path]);
    if (!succeeded(r)) {
      if (r.code === 1 && /No such file or directory/.test(r.stderr.toString('utf8'))) return undefined;
      throw new HostCommandError(this.host, r, `examining ${path}`);
    }
    const m = /^(\d+) (\d+) ([0-7]+) (\d+) (\S+) (\S+) (.+)\n?$/.exec(r.stdout.toString('utf8'));
    if (!m) throw new HostFileError('verify', `stat on ${this.host} printed something unexpected for ${path}: ${JSON.stringify(r.stdout.toString('utf8'))}`);
    return { uid: +m[1], gid: +m[2], mode: m[3], size: +m[4], owner: m[5], group: m[6], type: m[7] };
  }

  private async regularFile(path: string): Promise<FileAttrs> {
    const a = await this.attrs(path);
    if (a === undefined) throw new HostFileError('missing', `${path} does not exist on ${this.host}`);
    if (!a.type.startsWith('regular')) {
      throw new HostFileError('not-regular', `${path} on ${this.host} is a ${a.type}, not a regular file${a.type === 'symbolic link' ? ': name the file it points to' : ''}`);
    }
    const { type: _type, ...attrs } = a;
    return attrs;
  }

  /** sha256sum of a file known to exist. */
  private async sha(path: string): Promise<string> {
    const r = await this.ok(['sha256sum', '--', path], {}, `hashing ${path}`);
    // a name with a backslash or newline makes sha256sum prefix its line with a backslash
    const m = /^\\?([0-9a-f]{64}) /.exec(r.stdout.toString('latin1'));
    if (!m) throw new HostFileError('verify', `sha256sum on ${this.host} printed no hash for ${path}`);
    return m[1];
  }

  private async expectHash(path: string, expected: string): Promise<void> {
    const now = await this.sha(path);
    if (now !== expected) throw changedError(path, this.host, expected, now);
  }

  /** Copies path to a new timestamped backup beside it (never over an existing one); returns its path. */
  private async backup(path: string): Promise<string> {
    const tmp = await this.mktemp(path, 'bak-tmp', `backing up ${path}`);
    try {
      await this.ok(['cp', '-p', '-T', '--', path, tmp], {}, `backing up ${path}`);
      await this.ok(['sync', '--', tmp], {}, `backing up ${path}`);
      const at = (this.opts.now ?? (() => new Date()))();
      for (let n = 1; n <= MAX_BACKUPS_PER_SECOND; n++) {
        const target = posix.join(posix.dirname(path), backupName(posix.basename(path), at, n));
        const linked = await this.run(['ln', '-T', '--', tmp, target]);
        if (succeeded(linked)) return target;
        // ln refuses an existing name; anything else is a real failure
        if (!succeeded(await this.run(['test', '-e', target]))) throw new HostCommandError(this.host, linked, `backing up ${path}`);
      }
      throw new HostFileError('verify', `more than ${MAX_BACKUPS_PER_SECOND} backups of ${path} in one second; not writing`);
    } finally {
      await this.run(['rm', '-f', '--', tmp]);
    }
  }

  private async mktemp(path: string, purpose: 'tmp' | 'bak-tmp', what: string): Promise<string> {
    const r = await this.ok(['mktemp', '--', tempTemplate(path, purpose)], {}, what);
    return r.stdout.toString('utf8').replace(/\n$/, '');
  }

  /** Steps 3 and 4 of the header: the new bytes atomically in place of path, then verified. */
  private async replace(path: string, bytes: Buffer, attrs: FileAttrs, expectedSha256: string): Promise<Omit<WriteOutcome, 'previousSha256'>> {
    const what = `writing ${path}`;
    const newSha = sha256Hex(bytes);
    const tmp = await this.mktemp(path, 'tmp', what);
    try {
      await this.ok(['dd', `of=${tmp}`, 'bs=65536', 'conv=fsync', 'status=none'], { stdin: bytes }, what);
      await this.ok(['chown', `${attrs.uid}:${attrs.gid}`, '--', tmp], {}, what);
      await this.ok(['chmod', attrs.mode, '--', tmp], {}, what);
      const written = await this.sha(tmp);
      if (written !== newSha) throw new HostFileError('verify', `the temporary copy of ${path} on ${this.host} does not hold what was sent (sha256 ${written}, expected ${newSha}); ${path} was not changed`);
      await this.expectHash(path, expectedSha256);
      await this.ok(['mv', '-f', '-T', '--', tmp, path], {}, what);
    } catch (e) {
      const rm = await this.run(['rm', '-f', '--', tmp]);
      // an unreachable host keeps our temp file: say where, so nobody wonders what it is
      if (!succeeded(rm) && e instanceof Error) e.message += `; the temporary file ${tmp} is left on ${this.host} (${failureText(rm)})`;
      throw e;
    }
    const warnings: string[] = [];
    const synced = await this.run(['sync', '--', posix.dirname(path)]);
    if (!succeeded(synced)) warnings.push(`sync of ${posix.dirname(path)} failed (${failureText(synced)}): the new file may not survive a crash of ${this.host}`);
    const now = await this.sha(path);
    if (now !== newSha) throw new HostFileError('verify', `${path} on ${this.host} does not hold the new content after the rename (sha256 ${now}, expected ${newSha})`);
    const after = await this.regularFile(path);
    if (after.uid !== attrs.uid || after.gid !== attrs.gid || after.mode !== attrs.mode) {
      warnings.push(`${path} is now ${after.owner}:${after.group} mode ${after.mode}, the original was ${attrs.owner}:${attrs.group} mode ${attrs.mode}`);
    }
    return { path, sha256: newSha, backupPath: undefined, warnings };
  }
}

function checkPath(path: string): void {
  const problem = hostPathProblem(path);
  if (problem) throw new HostFileError('bad-path', `host path ${JSON.stringify(path)} ${problem}`);
}

function changedError(path: string, host: string, expected: string, now: string | undefined): HostFileError {
  return new HostFileError(
    'changed',
    `${path} on ${host} changed since it was read (sha256 was ${expected.slice(0, 12)}…, now ${now ? `${now.slice(0, 12)}…` : 'the file is gone'}); nothing was written: read it again and review the change`,
  );
}
