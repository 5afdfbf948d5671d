/**
 * Optimal-string-alignment distance: insert, delete, substitute, and a swap of two
 * neighbours count one edit each (`libvrit` -> `libvirt` is 1). Shared by every
 * did-you-mean in the server. Any distance above `max` comes back as max + 1: only the band
 * of cells within `max` of the diagonal is computed (a path leaving it costs more than max),
 * and it stops once a whole row exceeds `max`, so a typo costs its length times the band.
 */
/** Three DP rows reused across calls (did-you-means run it per candidate name: no allocation each time). */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

export function editDistance(a: string, b: string, max = Infinity): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la === 0 || lb === 0) return Math.max(la, lb);
  const band = Math.min(Math.max(la, lb), max);
  const over = Math.min(la + lb, max + 1);
  if (rows[0].length <= lb) rows = [new Int32Array(lb + 1), new Int32Array(lb + 1), new Int32Array(lb + 1)];
  let [prev2, prev, cur] = rows;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    const lo = Math.max(1, i - band);
    const hi = Math.min(lb, i + band);
    cur[lo - 1] = lo === 1 ? i : over;
    let rowMin = cur[lo - 1];
    const ai = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) d = Math.min(d, prev2[j - 2] + 1);
      if (d > over) d = over;
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    // The next row reads one cell right of this band: it lies outside, so it is "too far".
    if (hi < lb) cur[hi + 1] = over;
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[lb], max + 1);
}
