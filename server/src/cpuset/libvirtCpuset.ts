/**
 * libvirt's cpuset/nodeset grammar (src/util/virbitmap.c virBitmapParseInternal), used for
 * `vcpu/@cpuset`, `*pin/@cpuset`, `cell/@cpus`, `numatune` nodesets and the sched/tune `vcpus` lists.
 *
 * It differs from Nova's grammar (see novaCpuset.ts) in one way that bites: `^N` only clears
 * bit N if it is ALREADY set, left to right, so `^2,0-3` is `0-3` while `0-3,^2` is `0-1,3`.
 * The parser also tolerates blanks around tokens, which the RelaxNG schema does not.
 */

/** Bits a domain cpumask can hold (VIR_DOMAIN_CPUMASK_LEN). */
export const CPUMASK_LEN = 16384;

/** The schema's `cpuset` pattern (basictypes.rng): no blanks, no `^N-M`. */
const SCHEMA_PATTERN = /^([0-9]+(-[0-9]+)?|\^[0-9]+)(,([0-9]+(-[0-9]+)?|\^[0-9]+))*$/;

export type LibvirtCpusetResult =
  | { ok: true; ids: number[]; schemaValid: boolean }
  /** 'syntax' = libvirt's "Failed to parse bitmap"; 'empty' = parsed, but nothing is left set. */
  | { ok: false; error: 'syntax' | 'empty'; ids: number[]; schemaValid: boolean };

const SINGLE = /^\d{1,9}$/;

const isDigit = (c: number) => c >= 48 && c <= 57;
const isBlank = (c: number) => c === 32 || (c >= 9 && c <= 13);

/** Parses like virBitmapParse(str, ..., 16384); ids come back sorted ascending. */
export function parseLibvirtCpuset(str: string, size = CPUMASK_LEN): LibvirtCpusetResult {
  // Fast path for the common single id (pins of big guests): same result, no machinery.
  if (SINGLE.test(str)) {
    const n = Number(str);
    return n < size ? { ok: true, ids: [n], schemaValid: true } : { ok: false, error: 'syntax', ids: [], schemaValid: true };
  }
  const schemaValid = SCHEMA_PATTERN.test(str);
  const fail: LibvirtCpusetResult = { ok: false, error: 'syntax', ids: [], schemaValid };
  const n = str.length;
  if (n === 0) return fail;
  const set = new Set<number>();
  let i = 0;
  // strtol-like (virStrToLong_i): optional blanks and sign, then digits; NaN when there are none.
  const readInt = (): number => {
    let j = i;
    while (j < n && isBlank(str.charCodeAt(j))) j++;
    let sign = 1;
    const c = str.charCodeAt(j);
    if (c === 43 || c === 45) { if (c === 45) sign = -1; j++; }
    let v = 0; const from = j;
    while (j < n && isDigit(str.charCodeAt(j))) { v = v * 10 + str.charCodeAt(j) - 48; j++; }
    if (j === from || j - from > 10 || v > 2147483647) return NaN;
    i = j;
    return sign * v;
  };
  while (i < n && isBlank(str.charCodeAt(i))) i++;
  while (i < n) {
    let neg = false;
    if (str.charCodeAt(i) === 94 /* ^ */) { neg = true; i++; }
    if (!isDigit(str.charCodeAt(i))) return fail;
    const start = readInt();
    if (!(start >= 0)) return fail;
    while (i < n && isBlank(str.charCodeAt(i))) i++;
    const c = str.charCodeAt(i);
    if (c === 44 /* , */ || i >= n) {
      if (neg) set.delete(start);
      else if (start >= size) return fail;
      else set.add(start);
    } else if (c === 45 /* - */) {
      if (neg) return fail;
      i++;
      const last = readInt();
      if (!(last >= start) || last >= size) return fail;
      for (let b = start; b <= last; b++) set.add(b);
      while (i < n && isBlank(str.charCodeAt(i))) i++;
    }
    if (str.charCodeAt(i) === 44) { i++; while (i < n && isBlank(str.charCodeAt(i))) i++; } else if (i >= n) break; else return fail;
  }
  const ids = Array.from(set).sort((a, b) => a - b);
  return ids.length ? { ok: true, ids, schemaValid } : { ok: false, error: 'empty', ids, schemaValid };
}

/** Compact libvirt form of a sorted id list: [0,1,2,5] -> "0-2,5". */
export function formatLibvirtCpuset(ids: readonly number[]): string {
  const parts: string[] = [];
  for (let k = 0; k < ids.length; k++) {
    const from = ids[k];
    while (k + 1 < ids.length && ids[k + 1] === ids[k] + 1) k++;
    parts.push(from === ids[k] ? `${from}` : `${from}-${ids[k]}`);
  }
  return parts.join(',');
}
