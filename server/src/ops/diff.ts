/**
 * Unified diffs of planned edits (`--- a/path`, `+++ b/path`, hunks with 3 lines of context), as
 * `diff -u` and `git diff` write them: a count of 1 is left out of the hunk header, an empty
 * side is `-N,0`, and a last line without a line break is followed by
 * `\ No newline at end of file`. The line diff is Myers' (shortest edit script) between the
 * common prefix and suffix; past MAX_EDIT_DISTANCE differing lines the middle is shown as one
 * replaced block (still a correct diff, just not the shortest), so time and memory stay bounded.
 */
import type { FileEdit } from './types';

const CONTEXT = 3;
const MAX_EDIT_DISTANCE = 2000;

/** Lines with their break ('a\n', and a last 'b' without one), so "b" and "b\n" differ as diff sees them. */
function splitLines(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl + 1;
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Myers' greedy forward search with a trace of V per step, then backtracking. */
function myers(a: readonly string[], b: readonly string[]): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(max, MAX_EDIT_DISTANCE); d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, d);
    }
  }
  return undefined;
}

function backtrack(a: readonly string[], b: readonly string[], trace: Int32Array[], dEnd: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const vd = trace[d]; // V before step d, indexed k + d + 1
    const at = (k: number) => vd[k + d + 1];
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) { ops.push({ kind: ' ', line: a[--x] }); y--; }
    if (down) ops.push({ kind: '+', line: b[--y] }); else ops.push({ kind: '-', line: a[--x] });
  }
  while (x > 0 && y > 0) { ops.push({ kind: ' ', line: a[--x] }); y--; }
  return ops.reverse();
}

/**
 * The edit script between two texts, as a view: the common prefix and suffix are context lines
 * taken from `a` by index (not materialized), the middle is Myers' script.
 */
class Script {
  readonly a: string[];
  readonly prefix: number;
  readonly suffix: number;
  readonly mid: Op[];
  constructor(before: string, after: string) {
    const a = splitLines(before);
    const b = splitLines(after);
    let p = 0;
    while (p < a.length && p < b.length && a[p] === b[p]) p++;
    let s = 0;
    while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
    const midA = a.slice(p, a.length - s);
    const midB = b.slice(p, b.length - s);
    this.a = a; this.prefix = p; this.suffix = s;
    this.mid = myers(midA, midB) ?? [...midA.map((line) => ({ kind: '-' as const, line })), ...midB.map((line) => ({ kind: '+' as const, line }))];
  }
  get length(): number { return this.prefix + this.mid.length + this.suffix; }
  op(i: number): Op {
    if (i < this.prefix) return { kind: ' ', line: this.a[i] };
    if (i < this.prefix + this.mid.length) return this.mid[i - this.prefix];
    return { kind: ' ', line: this.a[this.a.length - this.length + i] };
  }
  /** Indexes of the changed ops. */
  changed(): number[] {
    const out: number[] = [];
    this.mid.forEach((o, i) => { if (o.kind !== ' ') out.push(this.prefix + i); });
    return out;
  }
}

const range = (start: number, count: number) => (count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`);

function formatLine(op: Op): string {
  const body = op.line.endsWith('\n') ? op.line : `${op.line}\n\\ No newline at end of file\n`;
  return op.kind + body;
}

const C_ESCAPES: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '"': '\\"', '\\': '\\\\' };

/**
 * `a/` and `b/` before the path, as git writes them (a leading / is dropped); a path with a
 * quote, backslash or control character is C-quoted as git does, so it cannot break the header.
 */
function label(side: 'a' | 'b', path: string): string {
  const p = `${side}/${path.replace(/^\/+/, '')}`;
  if (!/[\x00-\x1f\x7f"\\]/.test(p)) return p;
  const body = p.replace(/[\x00-\x1f\x7f"\\]/g, (c) => C_ESCAPES[c] ?? `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
  return `"${body}"`;
}

/** The unified diff of one planned edit; '' when the texts are equal. */
export function unifiedDiff(edit: Pick<FileEdit, 'path' | 'before' | 'after'>): string {
  if (edit.before === edit.after) return '';
  const ops = new Script(edit.before, edit.after);
  // Hunks: runs of changes with up to 2 * CONTEXT unchanged lines between them.
  const changed = ops.changed();
  const out = [`--- ${label('a', edit.path)}\n`, `+++ ${label('b', edit.path)}\n`];
  // 1-based line numbers on each side at ops[at].
  let at = 0; let oldLine = 1; let newLine = 1;
  let g = 0;
  while (g < changed.length) {
    let last = g;
    while (last + 1 < changed.length && changed[last + 1] - changed[last] - 1 <= 2 * CONTEXT) last++;
    const from = Math.max(0, changed[g] - CONTEXT);
    const to = Math.min(ops.length - 1, changed[last] + CONTEXT);
    for (; at < from; at++) { const k = ops.op(at).kind; if (k !== '+') oldLine++; if (k !== '-') newLine++; }
    const hunk = Array.from({ length: to + 1 - from }, (_, i) => ops.op(from + i));
    const oldCount = hunk.filter((o) => o.kind !== '+').length;
    const newCount = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@\n`, ...hunk.map(formatLine));
    g = last + 1;
  }
  return out.join('');
}
