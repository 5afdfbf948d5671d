/**
 * Names of our files beside a host file: timestamped backups and the temporary file of an atomic
 * write. Both end in something other than `.conf`, so nova.conf.d/'s `*.conf` glob never reads them.
 *
 *   nova.conf.nova-libvirt-cpu.20261201T140501Z.bak     (a second one in the same second: …T140501Z-2.bak)
 *   .nova.conf.nova-libvirt-cpu-tmp.AbC123xy            (mktemp's random tail)
 */
import { posix } from 'node:path';

const TAG = 'nova-libvirt-cpu';

/** 2026-12-01T14:05:01.123Z -> 20261201T140501Z */
export function backupStamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

export function backupName(base: string, at: Date, n = 1): string {
  return `${base}.${TAG}.${backupStamp(at)}${n > 1 ? `-${n}` : ''}.bak`;
}

export interface BackupName {
  /** When the backup was taken (second precision, UTC). */
  at: Date;
  /** 1, or the counter of a later backup in the same second. */
  n: number;
}

export function parseBackupName(base: string, name: string): BackupName | undefined {
  const prefix = `${base}.${TAG}.`;
  if (!name.startsWith(prefix)) return undefined;
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z(?:-([2-9]|[1-9]\d+))?\.bak$/.exec(name.slice(prefix.length));
  if (!m) return undefined;
  const at = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  if (Number.isNaN(at.getTime()) || backupStamp(at) !== `${m[1]}${m[2]}${m[3]}T${m[4]}${m[5]}${m[6]}Z`) return undefined;
  return { at, n: m[7] ? Number(m[7]) : 1 };
}

/** find -name pattern matching the backups of `base` (glob characters in the name escaped). */
export function backupGlob(base: string): string {
  return `${base.replace(/[\\*?[\]]/g, '\\$&')}.${TAG}.*.bak`;
}

/** mktemp template for the temporary file of an atomic write of `path` (same directory: rename stays atomic). */
export function tempTemplate(path: string, purpose: 'tmp' | 'bak-tmp' = 'tmp'): string {
  return posix.join(posix.dirname(path), `.${posix.basename(path)}.${TAG}-${purpose}.XXXXXXXX`);
}

/** A host path we accept: absolute, not a directory name, no NUL. Returns why not, or undefined. */
export function hostPathProblem(path: string): string | undefined {
  if (path.includes('\0')) return 'contains a NUL byte';
  if (!path.startsWith('/')) return 'is not an absolute path';
  if (path.endsWith('/') || posix.basename(path) === '..' || posix.basename(path) === '.') return 'names a directory, not a file';
  return undefined;
}
