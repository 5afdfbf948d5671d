/**
 * libvirt's cpuset/nodeset grammar (src/util/virbitmap.c virBitmapParseInternal), used for
 * `vcpu/@cpuset`, `*pin/@cpuset`, `cell/@cpus`, `numatune` nodesets and the sched/tune `vcpus` lists.
 *
 * It differs from Nova's grammar (see novaCpuset.ts) in one way that bites: `^N` only clears
 * bit N if it is ALREADY set, left to right, so `^2,0-3` is `0-3` while `0-3,^2` is `0-1,3`.
 * The parser also tolerates blanks around tokens, which the RelaxNG schema does not.
 *
 * Sets come back as intervals (see intervals.ts): `0-16383` is one pair, not 16,384 numbers, and
 * the cost of a parse is linear in the text (plus a sort of its tokens), whatever the ids say.
 */
import { merge, subtract, type Interval } from './intervals';

/** Bits a domain cpumask can hold (VIR_DOMAIN_CPUMASK_LEN). */
export const CPUMASK_LEN = 16384;

export type LibvirtCpusetResult =
  | { ok: true; set: Interval[]; schemaValid: boolean }
  /** 'syntax' = libvirt's "Failed to parse bitmap"; 'empty' = parsed, but nothing is left set. */
  | { ok: false; error: 'syntax' | 'empty'; set: Interval[]; schemaValid: boolean };

const isDigit = (c: number) => c >= 48 && c <= 57;
const isBlank = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * The schema's `cpuset` pattern (basictypes.rng: `([0-9]+(-[0-9]+)?|\^[0-9]+)(,(...))*`): no blanks,
 * no `^N-M`, no empty item. A hand-written scan, because a regex over a megabyte of user text
 * overflows V8's backtracking stack.
 */
export function matchesSchemaCpuset(s: string): boolean {
  // States: 0 item start, 1 first number, 2 after '^', 3 excluded number, 4 after '-', 5 range end.
  let st = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) st = st === 0 || st === 1 ? 1 : st === 2 || st === 3 ? 3 : 5;
    else if (c === 94 /* ^ */ && st === 0) st = 2;
    else if (c === 45 /* - */ && st === 1) st = 4;
    else if (c === 44 /* , */ && (st === 1 || st === 3 || st === 5)) st = 0;
    else return false;
  }
  return st === 1 || st === 3 || st === 5;
}

/** A range the text sets, with its position among the tokens (for `^N`, which only clears what came before). */
interface Token { from: number; to: number; at: number }

/**
 * strtol-like (virStrToLong_i) reads over one string: optional blanks and sign, then digits.
 * A class rather than closures in the parser: it runs once per cpuset attribute (60,000 pins).
 */
class Reader {
  i = 0;
  readonly n: number;
  constructor(readonly s: string) { this.n = s.length; }
  code(): number { return this.s.charCodeAt(this.i); }
  skipBlanks(): void { while (this.i < this.n && isBlank(this.s.charCodeAt(this.i))) this.i++; }
  /** The integer at the cursor (moved past it), or NaN when there are no digits or it overflows an int. */
  int(): number {
    const { s, n } = this;
    let j = this.i;
    while (j < n && isBlank(s.charCodeAt(j))) j++;
    let sign = 1;
    const c = s.charCodeAt(j);
    if (c === 43 || c === 45) { if (c === 45) sign = -1; j++; }
    let v = 0; const from = j;
    while (j < n && isDigit(s.charCodeAt(j))) { if (v <= 2147483647) v = v * 10 + s.charCodeAt(j) - 48; j++; }
    if (j === from || j - from > 10 || v > 2147483647) return NaN;
    this.i = j;
    return sign * v;
  }
}

/** Parses like virBitmapParse(str, ..., 16384); the set comes back sorted. */
export function parseLibvirtCpuset(str: string, size = CPUMASK_LEN): LibvirtCpusetResult {
  const schemaValid = matchesSchemaCpuset(str);
  const fail: LibvirtCpusetResult = { ok: false, error: 'syntax', set: [], schemaValid };
  if (str.length === 0) return fail;
  const adds: Interval[] = [];
  /** Position among the tokens of each range in `adds`. */
  const addAt: number[] = [];
  /** id -> position of its last `^id`. */
  const drops = new Map<number, number>();
  const rd = new Reader(str);
  let tokens = 0;
  rd.skipBlanks();
  while (rd.i < rd.n) {
    let neg = false;
    if (rd.code() === 94 /* ^ */) { neg = true; rd.i++; }
    if (!isDigit(rd.code())) return fail;
    const start = rd.int();
    if (!(start >= 0)) return fail;
    rd.skipBlanks();
    const c = rd.code();
    const at = tokens++;
    if (c === 44 /* , */ || rd.i >= rd.n) {
      if (neg) drops.set(start, at);
      else if (start >= size) return fail;
      else addRange(adds, addAt, drops.size > 0, start, start, at);
    } else if (c === 45 /* - */) {
      if (neg) return fail;
      rd.i++;
      const last = rd.int();
      if (!(last >= start) || last >= size) return fail;
      addRange(adds, addAt, drops.size > 0, start, last, at);
      rd.skipBlanks();
    }
    if (rd.code() === 44) { rd.i++; rd.skipBlanks(); } else if (rd.i >= rd.n) break; else return fail;
  }
  const set = drops.size ? subtract(merge(adds), cleared(adds, addAt, drops)) : merge(adds);
  return set.length ? { ok: true, set, schemaValid } : { ok: false, error: 'empty', set, schemaValid };
}

/** Appends a range; until the first `^N`, one that touches the previous range joins it ('1,1,1...' is one range). */
function addRange(adds: Interval[], addAt: number[], dropped: boolean, from: number, to: number, at: number): void {
  const last = adds[adds.length - 1];
  if (!dropped && last && from >= last[0] && from <= last[1] + 1) { if (to > last[1]) last[1] = to; addAt[adds.length - 1] = at; return; }
  adds.push([from, to]);
  addAt.push(at);
}

/**
 * The `^N` that really clear N: those no later range sets again. One sweep over the dropped ids in
 * ascending order with a max-heap (by position) of the ranges that have begun.
 */
function cleared(adds: Interval[], addAt: number[], drops: Map<number, number>): Interval[] {
  const points = [...drops].sort((x, y) => x[0] - y[0]);
  const byFrom = adds.map(([from, to], k): Token => ({ from, to, at: addAt[k] })).sort((x, y) => x.from - y.from);
  const heap: Token[] = [];
  const out: Interval[] = [];
  let k = 0;
  for (const [id, at] of points) {
    while (k < byFrom.length && byFrom[k].from <= id) heapPush(heap, byFrom[k++]);
    while (heap.length && heap[0].to < id) heapPop(heap); // ended before this id: ends before every later one
    if (!(heap.length && heap[0].at > at)) out.push([id, id]);
  }
  return out;
}

function heapPush(h: Token[], t: Token): void {
  let i = h.push(t) - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p].at >= h[i].at) break;
    [h[p], h[i]] = [h[i], h[p]];
    i = p;
  }
}

function heapPop(h: Token[]): void {
  const last = h.pop()!;
  if (!h.length) return;
  h[0] = last;
  for (let i = 0; ;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let top = i;
    if (l < h.length && h[l].at > h[top].at) top = l;
    if (r < h.length && h[r].at > h[top].at) top = r;
    if (top === i) return;
    [h[top], h[i]] = [h[i], h[top]];
    i = top;
  }
}

/** Compact libvirt form of a set: [[0,2],[5,5]] -> "0-2,5". */
export function formatLibvirtCpuset(set: readonly Interval[]): string {
  return set.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(',');
}
