/**
 * Nova's cpuset grammar (nova/virt/hardware.py parse_cpu_spec), used by vcpu_pin_set and
 * [compute] cpu_shared_set / cpu_dedicated_set. Not libvirt's: here `^N` exclusions apply
 * in any order (`^8,4-12` is `4-12,^8`). Sets are kept as sorted inclusive intervals, so a
 * range like `0-99999999` costs nothing.
 */
import { MAX_QUOTED } from '../core/findingCap';
import { isOddInt, pyInt, pyStrip, reprValue } from '../core/python';
import { countIds, merge, subtract, type Interval } from './intervals';

export { intersect, merge, subtract, within, type Interval } from './intervals';

/** One comma-separated piece, with its place in the spec string (offsets into the spec). */
export interface CpusetPiece {
  start: number;
  end: number;
  /** The stripped rule, as Nova quotes it in errors. */
  rule: string;
  exclude: boolean;
  cpus: Interval;
  /** A number that Python's int() reads only through a quirk (`1_0` is 10, `+3`, `010`, `٣`). */
  oddNumber: boolean;
}

export type NovaCpusetResult =
  | { ok: true; cpus: Interval[] }
  | { ok: false; error: string; start: number; end: number };

type Failure = Extract<NovaCpusetResult, { ok: false }>;

/** Nova's ValueError for a piece (a function of its own: a closure made per piece costs more than the piece). */
const refused = (what: string, rule: string, start: number, end: number): Failure => ({ ok: false, error: `Invalid ${what} expression ${reprValue(rule)}`, start, end });

/** Where a piece's text starts and ends (the next comma, or the end of the spec). */
const pieceEnd = (spec: string, offset: number) => { const comma = spec.indexOf(',', offset); return comma < 0 ? spec.length : comma; };

/** 1 to 15 ASCII digits from `i`: their count (0 when none, or more than 15). */
function digitRun(spec: string, i: number): number {
  let j = i;
  // Bounded by the length: charCodeAt past the end is NaN, and V8 deoptimizes the loop on it.
  while (j < spec.length && j - i <= 15) { const c = spec.charCodeAt(j); if (c < 48 || c > 57) break; j++; }
  return j - i > 15 ? 0 : j - i;
}

/** The value of the ASCII digits spec[i..j). */
function digitsValue(spec: string, i: number, j: number): number {
  let v = 0;
  for (let k = i; k < j; k++) v = v * 10 + spec.charCodeAt(k) - 48;
  return v;
}

/** A piece read without making strings: what parseNovaCpuset needs (the rest comes from the offsets). */
interface PlainPiece { exclude: boolean; lo: number; hi: number; oddNumber: boolean }

/** Whether offset i ends a piece (a comma or the end of the spec). */
const endsPiece = (spec: string, i: number) => i >= spec.length || spec.charCodeAt(i) === 44;

/**
 * The piece from `start` when it is plain (`N`, `^N`, `N-M`, `^N-M` in ASCII digits, no blanks),
 * which nearly every piece is: read into `out` without a string or object per piece (a 16 MiB
 * set at the size limit has 8 million), and its end returned. -1 for any other piece (slowPiece reads it as Nova
 * does) and for a range Nova refuses.
 */
function plainPiece(spec: string, start: number, out: PlainPiece): number {
  if (start >= spec.length) return -1;
  const exclude = spec.charCodeAt(start) === 94; /* ^ */
  const a = exclude ? start + 1 : start;
  const n = digitRun(spec, a);
  if (n === 0) return -1;
  out.exclude = exclude;
  out.lo = digitsValue(spec, a, a + n);
  out.oddNumber = n > 1 && spec.charCodeAt(a) === 48;
  if (endsPiece(spec, a + n)) { out.hi = out.lo; return a + n; }
  if (spec.charCodeAt(a + n) !== 45 /* - */) return -1;
  const b = a + n + 1;
  const m = digitRun(spec, b);
  if (m === 0 || !endsPiece(spec, b + m)) return -1;
  out.hi = digitsValue(spec, b, b + m);
  out.oddNumber ||= m > 1 && spec.charCodeAt(b) === 48;
  return out.lo <= out.hi ? b + m : -1;
}

/** Any piece spec[pieceStart..end) as Nova reads it (undefined: blank, Nova skips it). */
function slowPiece(spec: string, pieceStart: number, pieceEnd: number): CpusetPiece | Failure | undefined {
  const raw = spec.slice(pieceStart, pieceEnd);
  const rule = pyStrip(raw);
  if (rule.length < 1) return undefined;
  const start = pieceStart + raw.indexOf(rule);
  const end = start + rule.length;
  const dash = rule.indexOf('-');
  if (dash >= 0) {
    let a = rule.slice(0, dash);
    const exclude = a.startsWith('^');
    if (exclude) a = a.slice(1);
    const b = rule.slice(dash + 1);
    const lo = pyInt(a);
    const hi = pyInt(b);
    if (lo === undefined || hi === undefined || lo > hi) return refused('range', rule, start, end);
    return { start, end, rule, exclude, cpus: [lo, hi], oddNumber: isOddInt(a) || isOddInt(b) };
  }
  if (rule[0] === '^') {
    const n = pyInt(rule.slice(1));
    if (n === undefined) return refused('exclusion', rule, start, end);
    return { start, end, rule, exclude: true, cpus: [n, n], oddNumber: isOddInt(rule.slice(1)) };
  }
  const n = pyInt(rule);
  if (n === undefined) return refused('inclusion', rule, start, end);
  return { start, end, rule, exclude: false, cpus: [n, n], oddNumber: isOddInt(rule) };
}

/**
 * The spec's pieces in order, parsed one at a time and never kept (16 million of them would take
 * gigabytes), ending at the first one Nova refuses.
 */
function* piecesOf(spec: string): Generator<CpusetPiece | Failure> {
  const plain: PlainPiece = { exclude: false, lo: 0, hi: 0, oddNumber: false };
  for (let offset = 0; offset <= spec.length;) {
    let end = plainPiece(spec, offset, plain);
    if (end >= 0) {
      yield { start: offset, end, rule: spec.slice(offset, end), exclude: plain.exclude, cpus: [plain.lo, plain.hi], oddNumber: plain.oddNumber };
    } else {
      end = pieceEnd(spec, offset);
      const p = slowPiece(spec, offset, end);
      if (p) yield p;
      if (p && 'ok' in p) return;
    }
    offset = end + 1;
  }
}

/** The pieces of a spec parseNovaCpuset accepted, one at a time (for findings on pieces). */
export function* novaCpusetPieces(spec: string): Generator<CpusetPiece> {
  for (const p of piecesOf(spec)) if (!('ok' in p)) yield p;
}

/** Ranges collected before they are merged (then again each time their count doubles): '1,1,1,...' stays one range. */
const MERGE_FROM = 4096;

/** Ranges as they are read, merged whenever their count reaches `at`. */
class Collected {
  list: Interval[] = [];
  private at = MERGE_FROM;
  add(lo: number, hi: number): void {
    // A range touching the last one joins it (a union either way): '1,1,1,...' or '0,1,2,...' make no arrays.
    const last = this.list[this.list.length - 1];
    if (last && lo >= last[0] && lo <= last[1] + 1) { if (hi > last[1]) last[1] = hi; return; }
    this.list.push([lo, hi]);
    if (this.list.length < this.at) return;
    this.list = merge(this.list);
    this.at = Math.max(MERGE_FROM, 2 * this.list.length);
  }
}

/**
 * `stop` (a rule's outOfTime), asked once per piece: when it says so the parse ends with
 * undefined (no verdict on a part of the set).
 */
export function parseNovaCpuset(spec: string): NovaCpusetResult;
export function parseNovaCpuset(spec: string, stop: () => boolean): NovaCpusetResult | undefined;
export function parseNovaCpuset(spec: string, stop?: () => boolean): NovaCpusetResult | undefined {
  const includes = new Collected();
  const excludes = new Collected();
  const plain: PlainPiece = { exclude: false, lo: 0, hi: 0, oddNumber: false };
  for (let offset = 0; offset <= spec.length;) {
    let end = plainPiece(spec, offset, plain);
    if (end >= 0) {
      if (stop?.()) return undefined;
      (plain.exclude ? excludes : includes).add(plain.lo, plain.hi);
    } else {
      end = pieceEnd(spec, offset);
      const p = slowPiece(spec, offset, end);
      if (p && stop?.()) return undefined;
      if (p && 'ok' in p) return p;
      if (p) (p.exclude ? excludes : includes).add(p.cpus[0], p.cpus[1]);
    }
    offset = end + 1;
  }
  return { ok: true, cpus: subtract(merge(includes.list), merge(excludes.list)) };
}

/** A leading zero, or any character but digits, `,`, `^` and `-` (no backtracking: one pass). */
const MAYBE_ODD = /[^0-9,^-]|(?:^|[^0-9])0[0-9]/;

/**
 * Whether some piece of the spec may be an odd number (CpusetPiece.oddNumber: signs, underscores,
 * blanks, non-ASCII digits, leading zeros), so a rule need not make an object of each of 16
 * million pieces to find none.
 */
export function mayHaveOddNumbers(spec: string): boolean {
  return MAYBE_ODD.test(spec);
}

export class CpusetIndex {
  /** CPUs in the intervals before interval i. */
  private readonly before: number[] = [0];

  constructor(readonly set: Interval[]) {
    for (const [a, b] of set) this.before.push(this.before[this.before.length - 1] + b - a + 1);
  }

  /** The number of CPUs of the set in a..b, and its first `max` intervals there (clipped to a..b). */
  within([a, b]: Interval, max: number): { count: number; head: Interval[] } {
    const { set } = this;
    const i = this.firstEndingAtOrAfter(a);
    const j = this.firstStartingAfter(b) - 1;
    if (i > j) return { count: 0, head: [] };
    const count = this.before[j + 1] - this.before[i] - Math.max(0, a - set[i][0]) - Math.max(0, set[j][1] - b);
    const head: Interval[] = [];
    for (let k = i; k <= j && head.length < max; k++) head.push([Math.max(a, set[k][0]), Math.min(b, set[k][1])]);
    return { count, head };
  }

  private firstEndingAtOrAfter(a: number): number {
    let lo = 0;
    let hi = this.set.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.set[mid][1] < a) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  private firstStartingAfter(b: number): number {
    let lo = 0;
    let hi = this.set.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.set[mid][0] <= b) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
}

/** The number of CPUs in a set. */
export const cpuCount = countIds;

/** Nova's format_cpu_spec: `10-11,13-16,40`. */
export function formatNovaCpuset(set: Interval[]): string {
  return set.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(',');
}

/**
 * A set as messages quote it: Nova's format of its first intervals (`head`), cut after
 * MAX_QUOTED characters and then followed by the count of all its CPUs.
 */
export function quoteCpuset(head: Interval[], count: number): string {
  let text = '';
  let shown = 0;
  for (const iv of head) {
    const piece = formatNovaCpuset([iv]);
    if (text && text.length + 1 + piece.length > MAX_QUOTED) break;
    text += (text ? ',' : '') + piece;
    shown += iv[1] - iv[0] + 1;
  }
  return shown === count ? text : `${text},… (${count} CPUs in all)`;
}

/** Every CPU of the set, for tests against Nova's Python set (callers keep sets small). */
export function cpuList(set: Interval[]): number[] {
  const out: number[] = [];
  for (const [a, b] of set) for (let i = a; i <= b; i++) out.push(i);
  return out;
}
