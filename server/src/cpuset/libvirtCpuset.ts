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

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';

/** Parses like virBitmapParse(str, ..., 16384); ids come back sorted ascending. */
export function parseLibvirtCpuset(str: string, size = CPUMASK_LEN): LibvirtCpusetResult {
  const schemaValid = SCHEMA_PATTERN.test(str);
  const set = new Set<number>();
  const fail = (): LibvirtCpusetResult => ({ ok: false, error: 'syntax', ids: [], schemaValid });
  let i = 0;
  const skipBlanks = () => { while (isBlank(str[i])) i++; };
  /** strtol-like: optional blanks and sign, then digits (libvirt's virStrToLong_i). */
  const readInt = (): number | undefined => {
    let j = i;
    while (isBlank(str[j])) j++;
    let sign = 1;
    if (str[j] === '+' || str[j] === '-') { if (str[j] === '-') sign = -1; j++; }
    const digitsAt = j;
    while (isDigit(str[j])) j++;
    if (j === digitsAt || j - digitsAt > 10) return undefined;
    const n = sign * Number(str.slice(digitsAt, j));
    if (n > 2147483647 || n < -2147483648) return undefined;
    i = j;
    return n;
  };

  if (str.length === 0) return fail();
  skipBlanks();
  while (i < str.length) {
    let neg = false;
    if (str[i] === '^') { neg = true; i++; }
    if (!isDigit(str[i])) return fail();
    const start = readInt();
    if (start === undefined || start < 0) return fail();
    skipBlanks();
    if (str[i] === ',' || i >= str.length) {
      if (neg) set.delete(start);
      else if (start >= size) return fail();
      else set.add(start);
    } else if (str[i] === '-') {
      if (neg) return fail();
      i++;
      skipBlanks();
      const last = readInt();
      if (last === undefined || last < start) return fail();
      if (last >= size) return fail();
      for (let b = start; b <= last; b++) set.add(b);
      skipBlanks();
    }
    if (str[i] === ',') { i++; skipBlanks(); } else if (i >= str.length) break; else return fail();
  }
  const ids = [...set].sort((a, b) => a - b);
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
