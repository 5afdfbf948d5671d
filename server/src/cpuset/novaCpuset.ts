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

/**
 * The spec's pieces in order, parsed one at a time and never kept (16 million of them would take
 * gigabytes), ending at the first one Nova refuses.
 */
function* piecesOf(spec: string): Generator<CpusetPiece | Failure> {
  for (let offset = 0; offset <= spec.length;) {
    const comma = spec.indexOf(',', offset);
    const raw = spec.slice(offset, comma < 0 ? spec.length : comma);
    const pieceStart = offset;
    offset = comma < 0 ? spec.length + 1 : comma + 1;
    const rule = pyStrip(raw);
    if (rule.length < 1) continue;
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
      if (lo === undefined || hi === undefined || lo > hi) { yield refused('range', rule, start, end); return; }
      yield { start, end, rule, exclude, cpus: [lo, hi], oddNumber: isOddInt(a) || isOddInt(b) };
    } else if (rule[0] === '^') {
      const n = pyInt(rule.slice(1));
      if (n === undefined) { yield refused('exclusion', rule, start, end); return; }
      yield { start, end, rule, exclude: true, cpus: [n, n], oddNumber: isOddInt(rule.slice(1)) };
    } else {
      const n = pyInt(rule);
      if (n === undefined) { yield refused('inclusion', rule, start, end); return; }
      yield { start, end, rule, exclude: false, cpus: [n, n], oddNumber: isOddInt(rule) };
    }
  }
}

/** The pieces of a spec parseNovaCpuset accepted, one at a time (for findings on pieces). */
export function* novaCpusetPieces(spec: string): Generator<CpusetPiece> {
  for (const p of piecesOf(spec)) if (!('ok' in p)) yield p;
}

/** Ranges collected before they are merged (then again each time their count doubles): '1,1,1,...' stays one range. */
const MERGE_FROM = 4096;

/** Appends to a list of ranges, merged once it reaches `at`; returns the list and its next `at`. */
function collect(list: Interval[], at: number, range: Interval): [Interval[], number] {
  list.push(range);
  if (list.length < at) return [list, at];
  const merged = merge(list);
  return [merged, Math.max(MERGE_FROM, 2 * merged.length)];
}

/**
 * `stop` (a rule's outOfTime), asked once per piece: when it says so the parse ends with
 * undefined (no verdict on a part of the set).
 */
export function parseNovaCpuset(spec: string): NovaCpusetResult;
export function parseNovaCpuset(spec: string, stop: () => boolean): NovaCpusetResult | undefined;
export function parseNovaCpuset(spec: string, stop?: () => boolean): NovaCpusetResult | undefined {
  let includes: [Interval[], number] = [[], MERGE_FROM];
  let excludes: [Interval[], number] = [[], MERGE_FROM];
  for (const p of piecesOf(spec)) {
    if (stop?.()) return undefined;
    if ('ok' in p) return p;
    if (p.exclude) excludes = collect(excludes[0], excludes[1], p.cpus);
    else includes = collect(includes[0], includes[1], p.cpus);
  }
  return { ok: true, cpus: subtract(merge(includes[0]), merge(excludes[0])) };
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
