/**
 * Nova's cpuset grammar (nova/virt/hardware.py parse_cpu_spec), used by vcpu_pin_set and
 * [compute] cpu_shared_set / cpu_dedicated_set. Not libvirt's: here `^N` exclusions apply
 * in any order (`^8,4-12` is `4-12,^8`). Sets are kept as sorted inclusive intervals, so a
 * range like `0-99999999` costs nothing.
 */
import { isOddInt, pyInt, pyRepr, pyStrip } from '../novaconf/python';
import { merge, subtract, type Interval } from './intervals';

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
    const fail = (what: string) => ({ ok: false as const, error: `Invalid ${what} expression ${pyRepr(rule)}`, start, end });
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

/** Nova's format_cpu_spec: `10-11,13-16,40`. */
export function formatNovaCpuset(set: Interval[]): string {
  return set.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(',');
}

/** Every CPU of the set, for tests against Nova's Python set (callers keep sets small). */
export function cpuList(set: Interval[]): number[] {
  const out: number[] = [];
  for (const [a, b] of set) for (let i = a; i <= b; i++) out.push(i);
  return out;
}
