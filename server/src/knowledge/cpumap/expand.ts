/**
 * Layers RawMaps into one resolved map per arch and expands model inheritance (as
 * libvirt's x86ModelParse does): a model starts from its ancestor's data, vendor and signatures; own
 * signatures / vendor replace them; own plain features are added; removed='yes' and added='yes'
 * features are only recorded (neither is part of libvirt's model data, neither is inherited).
 * A later layer overrides same-named vendors, features and models in place and appends new ones.
 */
import type { CpuFeature, CpuModel, MapArch } from './types';
import { virtExtensionOfData } from './vendors';
import { MAP_ARCHES, MapError, type RawArch, type RawDataItem, type RawMap, type RawModel, type RawSignature } from './rawMap';

export interface ResolvedVendor {
  name: string;
  string?: string;
}

export interface ResolvedFeature extends CpuFeature {
  origin: string;
  data: RawDataItem[];
}

export interface ResolvedModel extends CpuModel {
  signatures: RawSignature[];
  compat: boolean;
  pvr: string[];
}

export interface ResolvedArch {
  vendors: ResolvedVendor[];
  features: ResolvedFeature[];
  models: ResolvedModel[];
}

export type ResolvedMap = Record<MapArch, ResolvedArch>;

export function emptyResolvedMap(): ResolvedMap {
  return { x86: emptyArch(), ppc64: emptyArch(), arm: emptyArch() };
}

function emptyArch(): ResolvedArch {
  return { vendors: [], features: [], models: [] };
}

/** Adds (or replaces by name) an entry, keeping the first definition's position. */
class NamedList<T extends { name: string }> {
  readonly items: T[];
  private readonly index = new Map<string, number>();
  constructor(items: readonly T[]) {
    this.items = items.slice();
    this.items.forEach((item, i) => this.index.set(item.name, i));
  }
  get(name: string): T | undefined {
    const i = this.index.get(name);
    return i === undefined ? undefined : this.items[i];
  }
  set(item: T): void {
    const i = this.index.get(item.name);
    if (i === undefined) {
      this.index.set(item.name, this.items.length);
      this.items.push(item);
    } else {
      this.items[i] = item;
    }
  }
}

/**
 * Returns `base` with `layer` applied; throws MapError (and leaves `base` untouched) when the layer
 * is inconsistent in itself or with what it builds on, so the caller can fall back to `base`.
 */
export function applyLayer(base: ResolvedMap, layer: RawMap): ResolvedMap {
  const out = { ...base };
  for (const arch of MAP_ARCHES) {
    const raw = layer.arches[arch];
    if (raw) out[arch] = applyArch(base[arch], raw, arch, layer.origin);
  }
  return out;
}

function applyArch(base: ResolvedArch, raw: RawArch, arch: MapArch, origin: string): ResolvedArch {
  const vendors = new NamedList(base.vendors);
  const features = new NamedList(base.features);
  const models = new NamedList(base.models);
  const defined = { vendor: new Set<string>(), feature: new Set<string>(), model: new Set<string>() };

  for (const v of raw.vendors) {
    if (defined.vendor.has(v.name)) throw new MapError(origin, `CPU vendor ${v.name} already defined (in ${origin})`);
    defined.vendor.add(v.name);
    vendors.set(v.string === undefined ? { name: v.name } : { name: v.name, string: v.string });
  }
  for (const f of raw.features) {
    if (defined.feature.has(f.name)) throw new MapError(origin, `CPU feature ${f.name} already defined (in ${origin})`);
    defined.feature.add(f.name);
    const feature: ResolvedFeature = { arch, name: f.name, migratable: f.migratable !== false, aliases: f.aliases ?? [], data: f.data ?? [], origin };
    const virt = arch === 'x86' ? virtExtensionOfData(feature.data) : undefined;
    if (virt) feature.virt = virt;
    features.set(feature);
  }
  for (const m of raw.models) {
    if (defined.model.has(m.name)) throw new MapError(origin, `Multiple definitions of CPU model '${m.name}' (in ${origin})`);
    defined.model.add(m.name);
    models.set(expandModel(m, arch, origin, models, features, vendors));
  }
  return { vendors: vendors.items, features: features.items, models: models.items };
}

function expandModel(
  m: RawModel,
  arch: MapArch,
  origin: string,
  models: NamedList<ResolvedModel>,
  features: NamedList<ResolvedFeature>,
  vendors: NamedList<ResolvedVendor>,
): ResolvedModel {
  let inherited: readonly string[] = [];
  let vendor: string | undefined;
  let signatures: RawSignature[] = [];
  if (m.ancestor !== undefined) {
    const ancestor = models.get(m.ancestor);
    if (!ancestor) throw new MapError(origin, `Ancestor model ${m.ancestor} not found for CPU model ${m.name} (in ${origin})`);
    inherited = ancestor.features;
    vendor = ancestor.vendor;
    signatures = ancestor.signatures;
  }
  if (m.signatures) signatures = m.signatures;
  if (m.vendor !== undefined) {
    if (!vendors.get(m.vendor)) throw new MapError(origin, `Unknown vendor ${m.vendor} referenced by CPU model ${m.name} (in ${origin})`);
    vendor = m.vendor;
  }
  for (const list of [m.features, m.removed, m.added]) {
    for (const name of list ?? []) {
      if (!features.get(name)) throw new MapError(origin, `Feature ${name} required by CPU model ${m.name} not found (in ${origin})`);
    }
  }
  // Pure aliases (SandyBridge-v1, half the bundled models) take the ancestor's sorted list as is.
  const own = m.features?.length ? [...new Set([...inherited, ...m.features])].sort() : inherited.slice();
  const model: ResolvedModel = {
    arch,
    name: m.name,
    features: own,
    removed: [...(m.removed ?? [])].sort(),
    added: [...(m.added ?? [])].sort(),
    decodeHost: m.decode?.host ?? true,
    decodeGuest: m.decode?.guest ?? true,
    origin,
    signatures,
    compat: m.compat === true,
    pvr: m.pvr ?? [],
  };
  if (vendor !== undefined) model.vendor = vendor;
  if (m.group !== undefined) model.group = m.group;
  if (m.ancestor !== undefined) {
    model.ancestor = m.ancestor;
    // Nothing but the ancestor (and <decode>): QEMU's versioned name for it (SandyBridge-v1).
    if (!m.features && !m.removed && !m.added && !m.vendor && !m.signatures) model.canonicalOf = m.ancestor;
  }
  return model;
}
