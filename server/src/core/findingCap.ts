import type { Finding } from './findings';

/**
 * Findings of one code beyond this are counted, not kept: a generated 10 MB file must not
 * make 300k diagnostics (nor 75 MB of JSON). Both document kinds collect through this.
 */
export const MAX_PER_CODE = 200;

/** Longest stretch of a user's value quoted in a message; the rest is elided with its length. */
export const MAX_QUOTED = 80;

/**
 * The same inside an upstream text (Nova's or oslo.config's own message): longer, so the text is
 * the log's exactly for any value a real config has, and still bounded for a generated one.
 */
export const MAX_UPSTREAM_QUOTED = 1000;

/** A user's value as messages quote it: whole when short, else its head, an ellipsis and its length. */
export function quoteValue(value: string, max = MAX_QUOTED): string {
  if (value.length <= max) return value;
  return `${value.slice(0, max)}… (${value.length} characters)`;
}

/** Counts findings per code and keeps the first MAX_PER_CODE of each. */
export class FindingCap {
  private readonly counts = new Map<string, number>();
  private readonly firsts = new Map<string, Finding>();

  /** Whether a finding of this code would still be kept: rules compute costly parts (did-you-mean) only then. */
  keeps(code: string): boolean {
    return this.count(code) < MAX_PER_CODE;
  }

  /** How many findings of `code` were counted so far. */
  count(code: string): number {
    return this.counts.get(code) ?? 0;
  }

  /** Counts one finding of `code` without building it; true when it is to be kept (then call `add`). */
  admit(code: string): boolean {
    const n = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, n);
    return n <= MAX_PER_CODE;
  }

  /** Counts `f` and appends it to `out` unless its code is full; returns whether it was kept. */
  add(out: Finding[], f: Finding): boolean {
    if (!this.admit(f.code)) return false;
    if (!this.firsts.has(f.code)) this.firsts.set(f.code, f);
    out.push(f);
    return true;
  }

  /** One note per code that hit the cap, at its first occurrence. */
  notes(): Finding[] {
    const out: Finding[] = [];
    for (const [code, count] of this.counts) {
      const first = this.firsts.get(code);
      if (count <= MAX_PER_CODE || !first) continue;
      out.push({
        code: 'input/too-many-findings', severity: 'information', range: first.range, stage: first.stage,
        explanation: `${count - MAX_PER_CODE} more ${code} findings are not shown (${count} in all); fix the first ones and the rest will show.`,
      });
    }
    return out;
  }
}
