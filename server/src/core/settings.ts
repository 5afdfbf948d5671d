/** User-facing settings, shared by the language server (workspace config) and the CLI (flags). */
export interface Settings {
  /** Nova release name or number ('zed', '26', '2024.1', 'caracal'); empty = newest in the catalog. */
  novaRelease: string;
  /** libvirt version whose rules apply ('9.0', '12.8'); empty = newest we know. */
  libvirtVersion: string;
  /** Extra cpu_map: a directory (index.xml) or a legacy single cpu_map.xml. Empty = none. */
  cpuMapPath: string;
  /** Look for the host's own map under /usr/share/libvirt. */
  useHostCpuMap: boolean;
  diagnosticsEnabled: boolean;
  /** The language server's time budget for one analysis, in ms (core/deadline.ts); the CLI has none. */
  analysisTimeLimitMs: number;
}

export const defaultSettings: Settings = {
  novaRelease: '',
  libvirtVersion: '',
  cpuMapPath: '',
  useHostCpuMap: true,
  diagnosticsEnabled: true,
  analysisTimeLimitMs: 750,
};

/** Beyond a minute a budget protects nothing: the editor looks frozen long before. */
const MAX_TIME_LIMIT_MS = 60_000;

/** Accepts a partial, loosely typed object (from JSON config) and fills the rest with defaults. */
export function normalizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown, d: string) => (typeof v === 'string' ? v.trim() : d);
  const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);
  const diag = r.diagnostics as Record<string, unknown> | undefined;
  const ms = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.min(Math.round(v), MAX_TIME_LIMIT_MS) : d);
  return {
    novaRelease: str(r.novaRelease, defaultSettings.novaRelease),
    libvirtVersion: str(r.libvirtVersion, defaultSettings.libvirtVersion),
    cpuMapPath: str(r.cpuMapPath, defaultSettings.cpuMapPath),
    useHostCpuMap: bool(r.useHostCpuMap, defaultSettings.useHostCpuMap),
    diagnosticsEnabled: bool(diag?.enable ?? r.diagnosticsEnabled, defaultSettings.diagnosticsEnabled),
    analysisTimeLimitMs: ms(r.analysisTimeLimitMs, defaultSettings.analysisTimeLimitMs),
  };
}

/** Whether two normalized settings say the same. */
export function sameSettings(a: Settings, b: Settings): boolean {
  return (Object.keys(a) as Array<keyof Settings>).every((k) => a[k] === b[k]);
}
