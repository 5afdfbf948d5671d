/**
 * User-facing settings, shared by the language server (workspace config) and the CLI (flags).
 * SETTINGS is the one list of them: package.json's `contributes.configuration`, the client's
 * reads and the CLI's flags are checked against it (test/unit/settings.table.test.ts).
 */
import { readLaunchSetting, type LaunchSetting } from '../novaconf/launchSetting';

export interface Settings {
  /** Nova release name or number (see knowledge/nova/releases.ts); empty = newest in the catalog. */
  novaRelease: string;
  /** libvirt version whose rules apply (see domainxml/version.ts); empty = newest we know. */
  libvirtVersion: string;
  /** Extra cpu_map: a directory (index.xml) or a legacy single cpu_map.xml. Empty = none. */
  cpuMapPath: string;
  /** Look for the host's own map under /usr/share/libvirt. */
  useHostCpuMap: boolean;
  diagnosticsEnabled: boolean;
  /** The language server's time budget for one analysis, in ms (core/deadline.ts); the CLI has none. */
  analysisTimeLimitMs: number;
  /** Per-code severity: a code or `prefix*` to a level or 'off' (core/ruleControl.ts reads it). */
  severity: Readonly<Record<string, string>>;
  /** How nova-compute is launched, which orders a config set (novaconf/launchSetting.ts). */
  novaConfLaunch: LaunchSetting;
}

export const defaultSettings: Settings = {
  novaRelease: '',
  libvirtVersion: '',
  cpuMapPath: '',
  useHostCpuMap: true,
  diagnosticsEnabled: true,
  analysisTimeLimitMs: 750,
  severity: {},
  novaConfLaunch: 'auto',
};

/** One user setting, `novaLibvirtCpu.<key>` in VS Code. */
export interface SettingSpec {
  key: string;
  type: 'string' | 'boolean' | 'number' | 'array' | 'object';
  default: unknown;
  /** `analysis`: sent to the language server and read by the checks; `host`: read by the host commands only. */
  use: 'analysis' | 'host';
  /** The `check` command's flag for it (`--no-host-cpu-map` sets a boolean to false), or why there is none. */
  cli: { flag: string } | { none: string };
  /** Ignored from an untrusted workspace (package.json's restrictedConfigurations). */
  restricted?: boolean;
}

export const SETTINGS: readonly SettingSpec[] = [
  { key: 'novaRelease', type: 'string', default: defaultSettings.novaRelease, use: 'analysis', cli: { flag: '--nova-release' } },
  { key: 'libvirtVersion', type: 'string', default: defaultSettings.libvirtVersion, use: 'analysis', cli: { flag: '--libvirt-version' } },
  { key: 'cpuMapPath', type: 'string', default: defaultSettings.cpuMapPath, use: 'analysis', cli: { flag: '--cpu-map' }, restricted: true },
  { key: 'useHostCpuMap', type: 'boolean', default: defaultSettings.useHostCpuMap, use: 'analysis', cli: { flag: '--no-host-cpu-map' } },
  { key: 'diagnostics.enable', type: 'boolean', default: defaultSettings.diagnosticsEnabled, use: 'analysis', cli: { none: 'reporting is what the CLI is for' } },
  { key: 'diagnostics.severity', type: 'object', default: {}, use: 'analysis', cli: { flag: '--severity' } },
  { key: 'analysisTimeLimitMs', type: 'number', default: defaultSettings.analysisTimeLimitMs, use: 'analysis', cli: { none: 'the CLI has no time limit' } },
  { key: 'novaConf.launch', type: 'string', default: defaultSettings.novaConfLaunch, use: 'analysis', cli: { flag: '--launch' } },
  { key: 'hosts', type: 'array', default: [], use: 'host', cli: { none: 'host commands take --host' }, restricted: true },
  { key: 'service', type: 'object', default: null, use: 'host', cli: { none: 'host commands take --service' }, restricted: true },
  { key: 'verifyTimeoutSeconds', type: 'number', default: 60, use: 'host', cli: { none: 'host commands take --timeout' }, restricted: true },
  { key: 'shutdownTimeoutSeconds', type: 'number', default: 60, use: 'host', cli: { none: 'the CLI has no domain command' }, restricted: true },
  { key: 'libvirtUri', type: 'string', default: 'qemu:///system', use: 'host', cli: { none: 'the CLI has no domain command' }, restricted: true },
  { key: 'configDir', type: 'string', default: '/etc/nova', use: 'host', cli: { none: 'host commands take --config-dir' }, restricted: true },
  { key: 'useSudo', type: 'boolean', default: true, use: 'host', cli: { none: 'host commands always try sudo -n first' }, restricted: true },
  { key: 'inventory', type: 'string', default: '', use: 'host', cli: { none: 'hosts, advise and rollout take --inventory' }, restricted: true },
];

export const ANALYSIS_SETTINGS = SETTINGS.filter((s) => s.use === 'analysis');

/** Beyond a minute a budget protects nothing: the editor looks frozen long before. */
const MAX_TIME_LIMIT_MS = 60_000;

/** A JSON object's string-valued entries (the severity setting); anything else is dropped here and named by ruleControl. */
function stringMap(v: unknown): Record<string, string> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]));
}

/** A dotted key (`diagnostics.enable`) read from a nested object (workspace/configuration) or a flat one (the client's). */
function valueAt(r: Record<string, unknown>, key: string): unknown {
  if (r[key] !== undefined) return r[key];
  const dot = key.indexOf('.');
  if (dot < 0) return undefined;
  const inner = r[key.slice(0, dot)];
  return inner && typeof inner === 'object' ? valueAt(inner as Record<string, unknown>, key.slice(dot + 1)) : undefined;
}

/** A bad launch setting reads as the default (the client's manifest allows only good ones). */
function launchSetting(v: unknown): LaunchSetting {
  const l = readLaunchSetting(v);
  return typeof l === 'object' && 'error' in l ? defaultSettings.novaConfLaunch : l;
}

/** Accepts a partial, loosely typed object (from JSON config) and fills the rest with defaults. */
export function normalizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown, d: string) => (typeof v === 'string' ? v.trim() : d);
  const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);
  const ms = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.min(Math.round(v), MAX_TIME_LIMIT_MS) : d);
  return {
    novaRelease: str(r.novaRelease, defaultSettings.novaRelease),
    libvirtVersion: str(r.libvirtVersion, defaultSettings.libvirtVersion),
    cpuMapPath: str(r.cpuMapPath, defaultSettings.cpuMapPath),
    useHostCpuMap: bool(r.useHostCpuMap, defaultSettings.useHostCpuMap),
    diagnosticsEnabled: bool(valueAt(r, 'diagnostics.enable') ?? r.diagnosticsEnabled, defaultSettings.diagnosticsEnabled),
    analysisTimeLimitMs: ms(r.analysisTimeLimitMs, defaultSettings.analysisTimeLimitMs),
    severity: stringMap(valueAt(r, 'diagnostics.severity') ?? r.severity),
    novaConfLaunch: launchSetting(valueAt(r, 'novaConf.launch') ?? r.novaConfLaunch),
  };
}

/** Whether two normalized settings say the same. */
export function sameSettings(a: Settings, b: Settings): boolean {
  // The severity map and a launch array are fresh objects each time they are read: compared by content (keys in the order given).
  return (Object.keys(a) as Array<keyof Settings>).every((k) => (typeof a[k] === 'object' ? JSON.stringify(a[k]) === JSON.stringify(b[k]) : a[k] === b[k]));
}
