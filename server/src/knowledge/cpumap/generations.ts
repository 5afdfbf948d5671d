/**
 * CPU model generations: which family a cpu_map model belongs to (Skylake-Server-noTSX-IBRS and
 * Skylake-Server-v4 are Skylake-Server), the year its CPUs came out, and the order completion
 * offers models in: by vendor (the map's vendor order, vendorless models last), newest family
 * first, newest variant first within a family (highest -vN, then the later in the map), pure
 * aliases (SandyBridge-v1) after the rest.
 */
import type { CpuModel } from './types';

/** Launch year of the CPUs each family models (the first products of that generation). */
const FAMILY_YEARS: Record<string, number> = {
  '486': 1989, pentium: 1993, pentiumpro: 1995, pentium2: 1997, pentium3: 1999, coreduo: 2006, core2duo: 2006, n270: 2008,
  Conroe: 2006, Penryn: 2007, Nehalem: 2008, Westmere: 2010, SandyBridge: 2011, IvyBridge: 2012, Haswell: 2013,
  Broadwell: 2014, 'Skylake-Client': 2015, 'Skylake-Server': 2017, 'Cascadelake-Server': 2019, 'Icelake-Client': 2019,
  'Icelake-Server': 2021, Cooperlake: 2020, Snowridge: 2020, Denverton: 2017, KnightsMill: 2017,
  SapphireRapids: 2023, GraniteRapids: 2024, SierraForest: 2024,
  athlon: 1999, phenom: 2007, Opteron_G1: 2003, Opteron_G2: 2006, Opteron_G3: 2007, Opteron_G4: 2011, Opteron_G5: 2012,
  EPYC: 2017, 'EPYC-Rome': 2019, 'EPYC-Milan': 2021, 'EPYC-Genoa': 2022, 'EPYC-Turin': 2024,
  Dhyana: 2018,
};

/** QEMU's suffixes for variants of one family: versions, and the TSX/IBRS/IBPB spins. */
const VARIANT = /-(v\d+|noTSX|IBRS|IBPB)$/;

export function familyOf(name: string): string {
  let family = name;
  while (VARIANT.test(family)) family = family.replace(VARIANT, '');
  return family;
}

/** The year of a model's family; a user model without one of its own takes its ancestor's. */
export function releaseYear(model: CpuModel, byName?: (name: string) => CpuModel | undefined): number | undefined {
  const year = FAMILY_YEARS[familyOf(model.name)];
  if (year !== undefined || !model.ancestor || !byName) return year;
  const ancestor = byName(model.ancestor);
  return ancestor && ancestor !== model ? FAMILY_YEARS[familyOf(ancestor.name)] : undefined;
}

export interface OrderedModel { model: CpuModel; year?: number; sortText: string }

const pad = (n: number) => String(Math.max(0, n)).padStart(4, '0');

/**
 * `models` (one arch, map order) in completion order, each with its sortText. A family we have no
 * year for (a newer one than this table, or the user's own) sorts as the newest of its vendor.
 */
export function orderModels(models: readonly CpuModel[], vendors: readonly string[]): OrderedModel[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const firstIndex = new Map<string, number>();
  models.forEach((m, i) => { const f = familyOf(m.name); if (!firstIndex.has(f)) firstIndex.set(f, i); });
  const out = models.map((model, i) => {
    const year = releaseYear(model, (n) => byName.get(n));
    const vi = model.vendor ? vendors.indexOf(model.vendor) : -1;
    const vendorRank = vi < 0 ? (model.vendor ? vendors.length : vendors.length + 1) : vi;
    const version = Number(/-v(\d+)$/.exec(model.name)?.[1] ?? 0);
    const sortText = [String(vendorRank).padStart(2, '0'), model.canonicalOf ? '1' : '0', pad(9999 - (year ?? 9999)),
      pad(9999 - firstIndex.get(familyOf(model.name))!), pad(9999 - version), pad(9999 - i)].join('');
    return { model, year, sortText };
  });
  return out.sort((a, b) => (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : 0));
}

/** Completion detail: vendor, year and size, or what the alias stands for. */
export function modelDetail(o: OrderedModel): string {
  const vendor = o.model.vendor ?? 'generic';
  if (o.model.canonicalOf) return `${vendor} · same as ${o.model.canonicalOf}`;
  return [vendor, o.year, `${o.model.features.length} features`].filter((x) => x !== undefined).join(' · ');
}
