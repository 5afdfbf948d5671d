/**
 * One cpu_map layer as read from disk (or from the bundled JSON), before inheritance is resolved.
 * The bundled server/data/cpu_map.json is exactly this shape, so bundled and user maps share one
 * expansion path.
 */
import type { MapArch } from './types';

/** A CPUID leaf word or MSR word: ['c', eax_in, ecx_in, eax, ebx, ecx, edx] / ['m', index, eax, edx]. */
export type RawDataItem = ['c', number, number, number, number, number, number] | ['m', number, number, number];

export interface RawVendor {
  name: string;
  /** x86: the 12-char CPUID vendor string; arm: the MIDR implementer value. */
  string?: string;
}

export interface RawFeature {
  name: string;
  /** Omitted when true (the common case) to keep the JSON small. */
  migratable?: false;
  aliases?: string[];
  data?: RawDataItem[];
}

export interface RawSignature {
  family: number;
  model: number;
  stepping?: string;
}

export interface RawModel {
  name: string;
  group?: string;
  ancestor?: string;
  vendor?: string;
  /** Absent: inherit the ancestor's signatures (own ones replace them, as libvirt does). */
  signatures?: RawSignature[];
  /** Own features that are part of the model's data. */
  features?: string[];
  /** removed='yes': QEMU dropped them; libvirt lists them as disabled for new guests. */
  removed?: string[];
  /** added='yes': QEMU enables them, but they are not in libvirt's model data. */
  added?: string[];
  /** Absent only in legacy single-file maps, which predate <decode>: both default to on. */
  decode?: { host: boolean; guest: boolean };
  compat?: boolean;
  /** ppc64/arm: PVR (or MIDR part) values. */
  pvr?: string[];
}

export interface RawArch {
  vendors: RawVendor[];
  features: RawFeature[];
  models: RawModel[];
}

export interface RawMap {
  /** 'bundled' or the path the layer came from. */
  origin: string;
  arches: Partial<Record<MapArch, RawArch>>;
}

export const MAP_ARCHES: readonly MapArch[] = ['x86', 'ppc64', 'arm'];

export function isMapArch(name: string): name is MapArch {
  return (MAP_ARCHES as readonly string[]).includes(name);
}

/** A load failure that names the file and what is wrong; caught per layer, never reaches callers. */
export class MapError extends Error {
  constructor(readonly file: string, message: string) {
    super(message);
  }
}
