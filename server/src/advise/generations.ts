/**
 * CPU generations from cpu_map model names: `Skylake-Server-IBRS`, `Skylake-Server-noTSX-IBRS` and
 * the host-decode alias `Skylake-Server-v2` are one generation (the variants differ in security
 * fixes, not in what code a guest can use). The map lists models oldest first per vendor, so a
 * generation's place is where its first model appears.
 */
import type { CpuCatalog, CpuModel } from '../knowledge/cpumap/types';

const VARIANT = /-(v\d+|IBRS|IBPB|noTSX|noAVX512)$/;

/** `Haswell-noTSX-IBRS` -> `Haswell`; a versioned alias is first read as the model it names. */
export function generationOf(catalog: CpuCatalog, modelName: string): string {
  const model = catalog.model(modelName, 'x86');
  let name = model?.canonicalOf ?? model?.name ?? modelName;
  while (VARIANT.test(name)) name = name.replace(VARIANT, '');
  return name;
}

export interface GenerationOrder {
  /** 0 = oldest; undefined for a generation the map does not list for a guest. */
  rank(generation: string): number | undefined;
}

/** The order of one vendor's generations in the map (models without a vendor, qemu64 etc., are not a generation of anyone's). */
export function generationOrder(catalog: CpuCatalog, vendor: string | undefined): GenerationOrder {
  const ranks = new Map<string, number>();
  for (const m of catalog.models('x86')) {
    if (!isGuestModelOf(m, vendor)) continue;
    const g = generationOf(catalog, m.name);
    if (!ranks.has(g)) ranks.set(g, ranks.size);
  }
  return { rank: (g) => ranks.get(g) };
}

function isGuestModelOf(m: CpuModel, vendor: string | undefined): boolean {
  return m.decodeGuest && !m.canonicalOf && m.vendor !== undefined && (vendor === undefined || m.vendor === vendor);
}
