import type { CpuCatalog } from './cpumap/types';
import { loadCpuCatalog } from './cpumap/load';
import { novaCatalog, type NovaCatalog } from './nova/catalog';
import { resolveRelease, type ReleaseChoice } from './nova/releases';
import type { Settings } from '../core/settings';
import type { HostProfile } from '../hosts/hostProfile';

/**
 * Everything rules may consult besides the document: loaded once, cached, read-only.
 * Cached per (cpu_map path, host map on/off), so a settings change reloads only what changed.
 */
export interface Knowledge {
  /** libvirt's CPU models and features (cpu_map: bundled, host, user). */
  catalog: CpuCatalog;
  /** The Nova release the settings name, and its option catalog. */
  nova: NovaKnowledge;
  settings: Settings;
  /** The compute node's profile, when the client sent one (host-aware rules run only then). */
  host?: HostProfile;
}

/** What nova.conf is judged with: the release chosen (and how the setting was read) and that release's options. */
export interface NovaKnowledge {
  release: ReleaseChoice;
  catalog: NovaCatalog;
}

let lastNova: { setting: string; nova: NovaKnowledge } | undefined;

/**
 * The Nova part of Knowledge for a novaRelease setting ('' is the newest); catalogs are cached per
 * release. The same setting as the last call gives the same object: a config-set member's
 * analysis reuses its last one only for the very same knowledge (novaconf/rules/index.ts).
 */
export function novaKnowledge(releaseSetting: string): NovaKnowledge {
  if (lastNova?.setting === releaseSetting) return lastNova.nova;
  const release = resolveRelease(releaseSetting);
  const nova = { release, catalog: novaCatalog(release.release) };
  lastNova = { setting: releaseSetting, nova };
  return nova;
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
  return { catalog, nova: novaKnowledge(settings.novaRelease), settings };
}
