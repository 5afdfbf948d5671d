/**
 * Sets of CPU (or node) ids as sorted inclusive intervals, so `0-99999999` costs two numbers and
 * every operation is a sweep over the intervals, never over the ids. Both cpuset grammars (Nova's
 * and libvirt's) produce and consume these.
 */
export type Interval = [number, number];

/** Sorted, non-overlapping, non-adjacent intervals. */
export function merge(list: readonly Interval[]): Interval[] {
  let ordered = true;
  for (let i = 1; i < list.length && ordered; i++) ordered = list[i - 1][0] <= list[i][0];
  // Lists are mostly written in order: then no sorted copy is needed.
  const sorted = ordered ? list : [...list].sort((x, y) => x[0] - y[0]);
  const out: Interval[] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** set minus `minus`, both sorted (as merge() makes them): one sweep with a shared pointer. */
export function subtract(set: readonly Interval[], minus: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const [a0, b] of set) {
    let a = a0;
    while (j < minus.length && minus[j][1] < a) j++;
    for (let k = j; k < minus.length && minus[k][0] <= b; k++) {
      const [c, d] = minus[k];
      if (c > a) out.push([a, c - 1]);
      a = Math.max(a, d + 1);
      if (a > b) break;
    }
    if (a <= b) out.push([a, b]);
  }
  return out;
}

/** Intersection of two sorted interval lists (as merge() makes them), in one linear sweep. */
export function intersect(x: readonly Interval[], y: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const lo = Math.max(x[i][0], y[j][0]);
    const hi = Math.min(x[i][1], y[j][1]);
    if (lo <= hi) out.push([lo, hi]);
    if (x[i][1] < y[j][1]) i++; else j++;
  }
  return out;
}

/** The part of a sorted set inside one interval (binary search: cheap for sets of many pieces). */
export function within(set: readonly Interval[], [a, b]: Interval): Interval[] {
  let lo = 0;
  let hi = set.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (set[mid][1] < a) lo = mid + 1; else hi = mid;
  }
  const out: Interval[] = [];
  for (let k = lo; k < set.length && set[k][0] <= b; k++) out.push([Math.max(a, set[k][0]), Math.min(b, set[k][1])]);
  return out;
}


/** How many ids the set holds. */
export function countIds(set: readonly Interval[]): number {
  let n = 0;
  for (const [a, b] of set) n += b - a + 1;
  return n;
}

/** Whether `id` is in the set (binary search). */
export function hasId(set: readonly Interval[], id: number): boolean {
  let lo = 0;
  let hi = set.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (set[mid][1] < id) lo = mid + 1; else hi = mid;
  }
  return lo < set.length && set[lo][0] <= id;
}

/** The smallest id of the set that is >= `min`, if any. */
export function firstIdFrom(set: readonly Interval[], min: number): number | undefined {
  for (const [a, b] of set) if (b >= min) return Math.max(a, min);
  return undefined;
}
