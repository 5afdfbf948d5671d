/**
 * The public face of the cpu_map knowledge layer. Everything else in the server asks
 * these questions; only server/src/knowledge/cpumap/ knows how cpu_map files look.
 */

/** libvirt's cpu_map arch names (x86 covers i686/x86_64, arm covers aarch64/armv7l...). */
export type MapArch = 'x86' | 'ppc64' | 'arm';

export interface CpuFeature {
  arch: MapArch;
  name: string;
  /** false for features libvirt marks migratable='no' (invtsc, xsaves): they block migration. */
  migratable: boolean;
  /** Other spellings (QEMU's, Linux's) that are NOT valid in a domain XML, e.g. sse4-1 for sse4.1. */
  aliases: string[];
  /** Where the definition came from: 'bundled', or the path of the host / user map. */
  origin?: string;
  /** Part of Intel VT-x (`vmx`, `vmx-*`) or AMD-V (`svm`, `npt`...): only that extension's vendors have it (cpumap/vendors.ts). */
  virt?: 'vmx' | 'svm';
}

export interface CpuModel {
  arch: MapArch;
  name: string;
  vendor?: string;
  /** index.xml group label, e.g. 'Intel CPU models'. */
  group?: string;
  /** Full feature set after inheritance (sorted). */
  features: string[];
  /** Features QEMU dropped from this model; libvirt disables them for new guests. */
  removed: string[];
  /** Features QEMU adds for this model that are not part of libvirt's model data. */
  added: string[];
  /** Set when this model is only another name for one (`SandyBridge-v1` -> `SandyBridge`). */
  canonicalOf?: string;
  /** The model this one was derived from in the map (`<model name='parent'/>`). */
  ancestor?: string;
  decodeHost: boolean;
  decodeGuest: boolean;
  /** Where the definition came from: 'bundled', or the path of the host / user map. */
  origin: string;
  /** x86 CPUID family/model pairs the model is meant for (inherited unless the model lists its own). */
  signatures?: CpuSignature[];
}

export interface CpuSignature {
  family: number;
  model: number;
  /** libvirt bitmap syntax, e.g. '0-3'; absent = any stepping. */
  stepping?: string;
}

/** A host CPU as `virsh capabilities` describes it (input to baseline). */
export interface HostCpu {
  arch?: string;
  model: string;
  vendor?: string;
  features: string[];
}

export interface BaselineResult {
  model: string;
  vendor?: string;
  /** Features added on top of the model (policy='require'). */
  require: string[];
  /** Model features the hosts lack (policy='disable'). */
  disable: string[];
  /** 'forbid' when every host names the chosen model, as libvirt does; else 'allow'. */
  fallback: 'allow' | 'forbid';
  /** The full expanded feature set, as `cpu-baseline --features` prints it (enabled ones). */
  expanded: string[];
}

export interface ModelDiff {
  /** Features in `a` but not in `b`. */
  onlyInA: string[];
  /** Features in `b` but not in `a`. */
  onlyInB: string[];
  common: string[];
}

/** A map layer that loaded, in the order applied: the bundled map, the host's, the user's (cpuMapPath). */
export interface MapLayer {
  source: 'bundled' | 'host' | 'user';
  /** 'bundled', or the path read. */
  file: string;
}

/** Trouble found while loading a map (user files can be broken); never thrown at callers. */
export interface MapProblem {
  file: string;
  message: string;
}

export interface CpuCatalog {
  /** Models of one map arch, in map order (oldest first, as libvirt loads them). */
  models(arch?: MapArch): CpuModel[];
  /** Case-insensitive model lookup. */
  model(name: string, arch?: MapArch): CpuModel | undefined;
  features(arch?: MapArch): readonly CpuFeature[];
  /** Case-insensitive feature lookup by libvirt name. */
  feature(name: string, arch?: MapArch): CpuFeature | undefined;
  /** The libvirt name for an alias spelling (`sse4-1` -> `sse4.1`), if any. */
  featureForAlias(alias: string, arch?: MapArch): CpuFeature | undefined;
  vendors(arch?: MapArch): string[];
  /** Closest known names for a typo, best first (empty when nothing is close). */
  nearestModels(name: string, arch?: MapArch, limit?: number): string[];
  nearestFeatures(name: string, arch?: MapArch, limit?: number): string[];
  diff(a: string, b: string, arch?: MapArch): ModelDiff | undefined;
  /** The richest model (plus extras) all hosts can run, as `virsh cpu-baseline` computes it. Throws Error with libvirt's message on failure. */
  baseline(hosts: HostCpu[], arch?: MapArch): BaselineResult;
  /** Problems met while loading host or user maps (each fell back to what loaded before). */
  problems: MapProblem[];
  /** The layers that did load, in order (the status item and the log say which maps are in effect). */
  layers: MapLayer[];
}
