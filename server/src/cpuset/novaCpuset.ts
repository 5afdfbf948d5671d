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
  | { ok: true; cpus: Interval[]; pieces: CpusetPiece[] }
  | { ok: false; error: string; start: number; end: number };

export function parseNovaCpuset(spec: string): NovaCpusetResult {
  const includes: Interval[] = [];
  const excludes: Interval[] = [];
  const pieces: CpusetPiece[] = [];
  let offset = 0;
  for (const raw of spec.split(',')) {
    const pieceStart = offset;
    offset += raw.length + 1;
    const rule = pyStrip(raw);
    if (rule.length < 1) continue;
    const start = pieceStart + raw.indexOf(rule);
    const end = start + rule.length;
    const fail = (what: string) => ({ ok: false as const, error: `Invalid ${what} expression ${reprValue(rule)}`, start, end });
    const dash = rule.indexOf('-');
    let piece: CpusetPiece;
    if (dash >= 0) {
      let a = rule.slice(0, dash);
      const exclude = a.startsWith('^');
      if (exclude) a = a.slice(1);
      const b = rule.slice(dash + 1);
      const lo = pyInt(a);
      const hi = pyInt(b);
      if (lo === undefined || hi === undefined || lo > hi) return fail('range');
      piece = { start, end, rule, exclude, cpus: [lo, hi], oddNumber: isOddInt(a) || isOddInt(b) };
    } else if (rule[0] === '^') {
      const n = pyInt(rule.slice(1));
      if (n === undefined) return fail('exclusion');
      piece = { start, end, rule, exclude: true, cpus: [n, n], oddNumber: isOddInt(rule.slice(1)) };
    } else {
      const n = pyInt(rule);
      if (n === undefined) return fail('inclusion');
      piece = { start, end, rule, exclude: false, cpus: [n, n], oddNumber: isOddInt(rule) };
    }
    pieces.push(piece);
    (piece.exclude ? excludes : includes).push(piece.cpus);
  }
  return { ok: true, cpus: subtract(merge(includes), merge(excludes)), pieces };
}

/** A sorted set (as merge() makes it) prepared for "how much of it lies in a..b": log time per question. */
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
