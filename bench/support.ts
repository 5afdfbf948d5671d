/** Small helpers every bench shares: medians and percentiles over repeated runs. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/** Runs `fn` `n` times (after `warm` unmeasured runs) and returns the durations in ms. */
export function timeRuns(n: number, fn: () => void, warm = 3): number[] {
  for (let i = 0; i < warm; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

/**
 * CPU time (user + system) per run in ms, next to the wall-clock medians: on a machine shared by
 * many jobs, wall time mostly measures waiting for a core.
 */
export function cpuRuns(n: number, fn: () => void, warm = 3): number[] {
  for (let i = 0; i < warm; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = process.cpuUsage();
    fn();
    const d = process.cpuUsage(c);
    out.push((d.user + d.system) / 1000);
  }
  return out;
}

export const fmt = (ms: number) => `${ms.toFixed(ms < 1 ? 3 : 1)} ms`;
