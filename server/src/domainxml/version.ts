import type { Settings } from '../core/settings';

/** The libvirt release whose behaviour we reproduce; rules ask `atLeast`, never compare strings. */
export interface LibvirtVersion { major: number; minor: number; label: string }

/** Newest release whose rules we know (rules.md covers 9.0 and 12.8). */
export const NEWEST: LibvirtVersion = { major: 12, minor: 8, label: '12.8' };

export function libvirtVersion(settings: Settings): LibvirtVersion {
  const m = /^(\d+)(?:\.(\d+))?/.exec(settings.libvirtVersion.trim());
  if (!m) return NEWEST;
  const major = Number(m[1]);
  const minor = Number(m[2] ?? 0);
  return { major, minor, label: `${major}.${minor}` };
}

export function atLeast(v: LibvirtVersion, major: number, minor = 0): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}
