/**
 * Builds the catalog from layers: the bundled map, then the host's own map (when asked), then the
 * user's maps. A layer that fails to load is recorded in `problems` and skipped as a whole, so a
 * broken user file never takes the bundled knowledge down with it.
 */
import { existsSync } from 'node:fs';
import type { CpuCatalog, MapLayer, MapProblem } from './types';
import { bundledMap } from './bundled';
import { applyLayer, emptyResolvedMap, type ResolvedMap } from './expand';
import { readMapPath } from './parseMap';
import { MapError, type RawMap } from './rawMap';
import { Catalog } from './catalog';

export interface CatalogOptions {
  /** Layer the host's own map (/usr/share/libvirt/cpu_map or cpu_map.xml) over the bundled one. */
  useHostMap: boolean;
  /** More maps layered on top, in order: directories with index.xml, or legacy single files. */
  extraPaths: string[];
  /** Start from the bundled libvirt 12.8.0 map (default true); false = host and extra maps only. */
  bundled?: boolean;
  /** Where the host map lives (tests); default /usr/share/libvirt. */
  hostDataDir?: string;
}

export const DEFAULT_HOST_DATA_DIR = '/usr/share/libvirt';

/** The host's map: the split directory (libvirt >= 4.7) wins over the old single file. */
export function hostMapPath(dataDir = DEFAULT_HOST_DATA_DIR): string | undefined {
  const dir = `${dataDir}/cpu_map`;
  if (existsSync(`${dir}/index.xml`)) return dir;
  const legacy = `${dataDir}/cpu_map.xml`;
  return existsSync(legacy) ? legacy : undefined;
}

export function loadCpuCatalog(options: CatalogOptions): CpuCatalog {
  const problems: MapProblem[] = [];
  const layers: MapLayer[] = [];
  let map: ResolvedMap = emptyResolvedMap();
  const layer = (file: string, read: () => RawMap, source: MapLayer['source'] = 'user'): void => {
    try {
      map = applyLayer(map, read());
      layers.push({ source, file });
    } catch (e) {
      problems.push(toProblem(file, e));
    }
  };
  if (options.bundled !== false) layer('bundled', bundledMap, 'bundled');
  if (options.useHostMap) {
    const host = hostMapPath(options.hostDataDir);
    if (host) layer(host, () => readMapPath(host), 'host');
  }
  for (const path of options.extraPaths) layer(path, () => readMapPath(path));
  return new Catalog(map, problems, layers);
}

function toProblem(file: string, e: unknown): MapProblem {
  if (e instanceof MapError) return { file: e.file, message: e.message };
  // Anything else is a bug or an exotic I/O failure; still not the caller's crash.
  return { file, message: `cannot load CPU map '${file}': ${(e as Error)?.message ?? String(e)}` };
}
