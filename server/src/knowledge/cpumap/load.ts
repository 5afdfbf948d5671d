import type { CpuCatalog } from './types';

export interface CatalogOptions {
  /** Layer the host's own map (/usr/share/libvirt/cpu_map or cpu_map.xml) over the bundled one. */
  useHostMap: boolean;
  /** More maps layered on top, in order: directories with index.xml, or legacy single files. */
  extraPaths: string[];
}

// SCAFFOLD: replaced by the cpu_map knowledge layer (issue 2, part 3).
export function loadCpuCatalog(_options: CatalogOptions): CpuCatalog {
  throw new Error('cpu_map catalog not built yet');
}
