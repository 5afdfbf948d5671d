import type { Settings } from '../core/settings';

/** The libvirt release whose behaviour we reproduce; rules ask `atLeast`, never compare strings. */
export interface LibvirtVersion { major: number; minor: number; label: string }

/**
 * The libvirt releases the settings offer (package.json's libvirtVersion enum is checked against
 * this list): the two tested against libvirt itself (9.0 live, 12.8 recorded) and every release at
 * which one of our rules changes its verdict (each `atLeast(...)` in the rules names one of these).
 */
export const KNOWN_LIBVIRT_VERSIONS: ReadonlyArray<{ label: string; note: string }> = [
  { label: '9.0', note: 'Debian 12 bookworm; checked against libvirt 9.0 itself' },
  { label: '9.1', note: '' },
  { label: '9.2', note: '' },
  { label: '9.3', note: '' },
  { label: '9.5', note: '' },
  { label: '10.0', note: 'Ubuntu 24.04' },
  { label: '10.1', note: '' },
  { label: '11.0', note: 'Debian 13 trixie ships 11.3' },
  { label: '12.0', note: '' },
  { label: '12.4', note: '' },
  { label: '12.8', note: 'the newest we know; checked against libvirt 12.8' },
];

/** Newest release whose rules we know. */
export const NEWEST: LibvirtVersion = parse(KNOWN_LIBVIRT_VERSIONS[KNOWN_LIBVIRT_VERSIONS.length - 1].label)!;

function parse(text: string): LibvirtVersion | undefined {
  // Distribution suffixes are fine: 9.0.0-4+deb12u2, 10.0.0-2ubuntu8.
  const m = /^(\d+)(?:\.(\d+))?(?:\.\d+)?(?:[-+~][\w.~+-]*)?$/.exec(text.trim());
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2] ?? 0);
  return { major, minor, label: `${major}.${minor}` };
}

export interface LibvirtVersionChoice {
  version: LibvirtVersion;
  /** Set when the setting is not a version number (we then judge by the newest). */
  unknownSetting?: string;
}

/** Reads the setting: '' means the newest; `9`, `9.0`, `9.0.0` all mean 9.0. */
export function resolveLibvirtVersion(setting: string): LibvirtVersionChoice {
  if (setting.trim() === '') return { version: NEWEST };
  const v = parse(setting);
  return v ? { version: v } : { version: NEWEST, unknownSetting: setting };
}

export function libvirtVersion(settings: Settings): LibvirtVersion {
  return resolveLibvirtVersion(settings.libvirtVersion).version;
}

/** What a user should be told about the setting, once: undefined when it was understood. */
export function libvirtSettingProblem(choice: LibvirtVersionChoice, where = 'the libvirtVersion setting'): string | undefined {
  if (choice.unknownSetting === undefined) return undefined;
  return `Unknown libvirt version '${choice.unknownSetting}' in ${where}: checking against the newest we know, ${NEWEST.label}. Use a version number such as ${KNOWN_LIBVIRT_VERSIONS[0].label} or ${NEWEST.label}.`;
}

export function atLeast(v: LibvirtVersion, major: number, minor = 0): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}
