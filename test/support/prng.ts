/** Small deterministic PRNG (mulberry32): every run with the same seed tests the same inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export const below = (r: () => number, n: number) => Math.floor(r() * n);

/** One element of a non-empty list. */
export const pick = <T>(r: () => number, list: readonly T[]): T => list[below(r, list.length)];
