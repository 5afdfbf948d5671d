/** The CpuCatalog over a resolved map; lookup indexes and CPUID bit sets are built on first use. */
import type { BaselineResult, CpuCatalog, CpuFeature, CpuModel, HostCpu, MapArch, MapLayer, MapProblem, ModelDiff } from './types';
import { MAP_ARCHES } from './rawMap';
import type { ResolvedArch, ResolvedFeature, ResolvedMap, ResolvedModel } from './expand';
import { buildArchBits, type ArchBits } from './bits';
import { BaselineError, computeBaseline } from './baseline';
import { nearestNames } from './nearest';

interface ArchIndex {
  models: Map<string, ResolvedModel>;
  modelsLower: Map<string, ResolvedModel>;
  features: Map<string, ResolvedFeature>;
  featuresLower: Map<string, ResolvedFeature>;
  aliasesLower: Map<string, ResolvedFeature>;
}

/** libvirt arch names -> cpu_map arch (virArch families handled by cpu_x86/ppc64/arm). */
export function mapArchOf(arch: string | undefined): MapArch | undefined {
  if (!arch) return undefined;
  if (/^(x86_64|i[3-6]86|x86)$/.test(arch)) return 'x86';
  if (/^ppc64(le)?$/.test(arch)) return 'ppc64';
  if (/^(aarch64|arm|armv[67][lb])$/.test(arch)) return 'arm';
  return undefined;
}

export class Catalog implements CpuCatalog {
  private readonly indexes = new Map<MapArch, ArchIndex>();
  private readonly bits = new Map<MapArch, ArchBits>();
  private readonly featureLists = new Map<MapArch | 'all', readonly CpuFeature[]>();

  constructor(
    private readonly map: ResolvedMap,
    readonly problems: MapProblem[],
    readonly layers: MapLayer[] = [],
  ) {}

  private arches(arch?: MapArch): readonly MapArch[] {
    return arch ? [arch] : MAP_ARCHES;
  }

  private index(arch: MapArch): ArchIndex {
    let idx = this.indexes.get(arch);
    if (!idx) {
      const a: ResolvedArch = this.map[arch];
      idx = { models: new Map(), modelsLower: new Map(), features: new Map(), featuresLower: new Map(), aliasesLower: new Map() };
      for (const m of a.models) {
        idx.models.set(m.name, m);
        if (!idx.modelsLower.has(m.name.toLowerCase())) idx.modelsLower.set(m.name.toLowerCase(), m);
      }
      for (const f of a.features) {
        idx.features.set(f.name, f);
        if (!idx.featuresLower.has(f.name.toLowerCase())) idx.featuresLower.set(f.name.toLowerCase(), f);
        for (const alias of f.aliases) {
          if (!idx.aliasesLower.has(alias.toLowerCase())) idx.aliasesLower.set(alias.toLowerCase(), f);
        }
      }
      this.indexes.set(arch, idx);
    }
    return idx;
  }

  private archBits(arch: MapArch): ArchBits {
    let b = this.bits.get(arch);
    if (!b) this.bits.set(arch, (b = buildArchBits(this.map[arch])));
    return b;
  }

  models(arch?: MapArch): CpuModel[] {
    return this.arches(arch).flatMap((a) => this.map[a].models);
  }

  model(name: string, arch?: MapArch): CpuModel | undefined {
    return this.lookup(arch, (idx) => idx.models.get(name) ?? idx.modelsLower.get(name.toLowerCase()));
  }

  features(arch?: MapArch): readonly CpuFeature[] {
    // Built once per arch: the did-you-mean of each unknown feature scans the whole list.
    const key = arch ?? 'all';
    let list = this.featureLists.get(key);
    if (!list) this.featureLists.set(key, (list = this.arches(arch).flatMap((a) => this.map[a].features)));
    return list;
  }

  feature(name: string, arch?: MapArch): CpuFeature | undefined {
    return this.lookup(arch, (idx) => idx.features.get(name) ?? idx.featuresLower.get(name.toLowerCase()));
  }

  featureForAlias(alias: string, arch?: MapArch): CpuFeature | undefined {
    return this.lookup(arch, (idx) => idx.aliasesLower.get(alias.toLowerCase()));
  }

  /** The first arch with a hit wins: x86, then ppc64, then arm. */
  private lookup<T>(arch: MapArch | undefined, find: (idx: ArchIndex) => T | undefined): T | undefined {
    for (const a of this.arches(arch)) {
      const hit = find(this.index(a));
      if (hit) return hit;
    }
    return undefined;
  }

  vendors(arch?: MapArch): string[] {
    return [...new Set(this.arches(arch).flatMap((a) => this.map[a].vendors.map((v) => v.name)))];
  }

  nearestModels(name: string, arch?: MapArch, limit = 3): string[] {
    return nearestNames(name, this.models(arch), limit);
  }

  nearestFeatures(name: string, arch?: MapArch, limit = 3): string[] {
    return nearestNames(name, this.features(arch), limit);
  }

  diff(a: string, b: string, arch?: MapArch): ModelDiff | undefined {
    const ma = this.model(a, arch);
    const mb = this.model(b, arch ?? ma?.arch);
    if (!ma || !mb) return undefined;
    const inB = new Set(mb.features);
    const inA = new Set(ma.features);
    return {
      onlyInA: ma.features.filter((f) => !inB.has(f)),
      onlyInB: mb.features.filter((f) => !inA.has(f)),
      common: ma.features.filter((f) => inB.has(f)),
    };
  }

  baseline(hosts: HostCpu[], arch?: MapArch): BaselineResult {
    const target = arch ?? mapArchOf(hosts[0]?.arch) ?? 'x86';
    if (target !== 'x86') throw new BaselineError('operation failed', `CPU baseline is only computed for x86 here, not ${target}`);
    return computeBaseline(this.map.x86, this.archBits('x86'), hosts);
  }
}
