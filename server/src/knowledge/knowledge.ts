import type { CpuCatalog } from './cpumap/types';
import { loadCpuCatalog } from './cpumap/load';
import type { Settings } from '../core/settings';

/**
 * Everything rules may consult besides the document: loaded once, cached, read-only.
 * Cached per (cpu_map path, host map on/off), so a settings change reloads only what changed.
 */
export interface Knowledge {
  catalog: CpuCatalog;
  settings: Settings;
}

/**
 * A catalog holds ~0.5 MB: keep the few most recently used (a user switching between a couple of
 * maps reloads nothing), not one per cpuMapPath value ever typed into the settings.
 */
export const MAX_CATALOGS = 4;

const catalogs = new Map<string, CpuCatalog>();

export function getKnowledge(settings: Settings): Knowledge {
  const key = `${settings.useHostCpuMap}\0${settings.cpuMapPath}`;
  let catalog = catalogs.get(key);
  if (catalog) {
    // Map order is the LRU order: most recent last.
    catalogs.delete(key);
  } else {
    catalog = loadCpuCatalog({ useHostMap: settings.useHostCpuMap, extraPaths: settings.cpuMapPath ? [settings.cpuMapPath] : [] });
    for (const oldest of catalogs.keys()) {
      if (catalogs.size < MAX_CATALOGS) break;
      catalogs.delete(oldest);
    }
  }
  catalogs.set(key, catalog);
  return { catalog, settings };
}
