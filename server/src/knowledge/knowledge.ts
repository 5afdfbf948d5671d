import type { CpuCatalog } from './cpumap/types';
import { loadCpuCatalog } from './cpumap/load';
import type { Settings } from '../core/settings';
import type { HostProfile } from '../hosts/hostProfile';

/**
 * Everything rules may consult besides the document: loaded once, cached, read-only.
 * Cached per (cpu_map path, host map on/off), so a settings change reloads only what changed.
 */
export interface Knowledge {
  catalog: CpuCatalog;
  settings: Settings;
  /** The compute node's profile, when the client sent one (host-aware rules run only then). */
  host?: HostProfile;
}

const catalogs = new Map<string, CpuCatalog>();

export function getKnowledge(settings: Settings): Knowledge {
  const key = `${settings.useHostCpuMap}\0${settings.cpuMapPath}`;
  let catalog = catalogs.get(key);
  if (!catalog) {
    catalog = loadCpuCatalog({ useHostMap: settings.useHostCpuMap, extraPaths: settings.cpuMapPath ? [settings.cpuMapPath] : [] });
    catalogs.set(key, catalog);
  }
  return { catalog, settings };
}
