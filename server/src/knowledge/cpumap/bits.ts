/**
 * CPUID/MSR data as flat bit sets. libvirt computes baselines on raw CPUID bits, not on feature
 * names (x86DataIntersect, x86DataToCPUFeatures); every 32-bit register of every leaf or MSR used
 * by some feature gets one word here, so set operations are a few dozen word ops.
 */
import type { RawDataItem } from './rawMap';
import type { ResolvedArch } from './expand';

/** A feature's bits: pairs of (word index, mask), only the non-zero ones. */
export type SparseBits = Array<[number, number]>;

export interface ArchBits {
  words: number;
  /** Per feature of the arch, in map order. */
  featureBits: SparseBits[];
  featureIndex: Map<string, number>;
  featureNames: string[];
  /** Per model of the arch, in map order: the model's data (its expanded feature set). */
  modelBits: Uint32Array[];
  modelIndex: Map<string, number>;
}

function itemWords(item: RawDataItem): Array<[string, number]> {
  if (item[0] === 'c') {
    const key = `c:${item[1]}:${item[2]}`;
    return [[`${key}:eax`, item[3]], [`${key}:ebx`, item[4]], [`${key}:ecx`, item[5]], [`${key}:edx`, item[6]]];
  }
  return [[`m:${item[1]}:eax`, item[2]], [`m:${item[1]}:edx`, item[3]]];
}

export function buildArchBits(arch: ResolvedArch): ArchBits {
  const slots = new Map<string, number>();
  const featureIndex = new Map<string, number>();
  const featureBits = arch.features.map((f, i) => {
    featureIndex.set(f.name, i);
    const bits = new Map<number, number>();
    for (const item of f.data) {
      for (const [key, mask] of itemWords(item)) {
        if (mask === 0) continue;
        let slot = slots.get(key);
        if (slot === undefined) slots.set(key, (slot = slots.size));
        bits.set(slot, ((bits.get(slot) ?? 0) | mask) >>> 0);
      }
    }
    return [...bits.entries()];
  });
  const words = slots.size;
  const modelIndex = new Map<string, number>();
  const modelBits = arch.models.map((m, i) => {
    modelIndex.set(m.name, i);
    const set = new Uint32Array(words);
    for (const name of m.features) {
      const fi = featureIndex.get(name);
      if (fi !== undefined) addBits(set, featureBits[fi]);
    }
    return set;
  });
  return { words, featureBits, featureIndex, featureNames: arch.features.map((f) => f.name), modelBits, modelIndex };
}

export function addBits(set: Uint32Array, bits: SparseBits): void {
  for (const [w, m] of bits) set[w] |= m;
}

export function subtractBits(set: Uint32Array, bits: SparseBits): void {
  for (const [w, m] of bits) set[w] &= ~m;
}

/** libvirt's x86DataIsSubset: an all-zero feature is a subset of anything. */
export function hasBits(set: Uint32Array, bits: SparseBits): boolean {
  for (const [w, m] of bits) if ((set[w] & m) >>> 0 !== m) return false;
  return true;
}

export function intersectInto(target: Uint32Array, other: Uint32Array): void {
  for (let i = 0; i < target.length; i++) target[i] &= other[i];
}

export function minus(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] & ~b[i];
  return out;
}

export function isEmpty(set: Uint32Array): boolean {
  for (let i = 0; i < set.length; i++) if (set[i] !== 0) return false;
  return true;
}

/**
 * libvirt's x86DataToCPUFeatures: walks features in map order and takes every feature whose bits
 * are all still present, removing them as it goes. Consumes `set`.
 */
export function decomposeInto(set: Uint32Array, ab: ArchBits, out: string[]): void {
  for (let i = 0; i < ab.featureBits.length; i++) {
    const bits = ab.featureBits[i];
    if (hasBits(set, bits)) {
      subtractBits(set, bits);
      out.push(ab.featureNames[i]);
    }
  }
}
