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
}

export const defaultSettings: Settings = {
  novaRelease: '',
  libvirtVersion: '',
  cpuMapPath: '',
  useHostCpuMap: true,
  diagnosticsEnabled: true,
};

/** Accepts a partial, loosely typed object (from JSON config) and fills the rest with defaults. */
export function normalizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown, d: string) => (typeof v === 'string' ? v.trim() : d);
  const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);
  const diag = r.diagnostics as Record<string, unknown> | undefined;
  return {
    novaRelease: str(r.novaRelease, defaultSettings.novaRelease),
    libvirtVersion: str(r.libvirtVersion, defaultSettings.libvirtVersion),
    cpuMapPath: str(r.cpuMapPath, defaultSettings.cpuMapPath),
    useHostCpuMap: bool(r.useHostCpuMap, defaultSettings.useHostCpuMap),
    diagnosticsEnabled: bool(diag?.enable ?? r.diagnosticsEnabled, defaultSettings.diagnosticsEnabled),
  };
}
