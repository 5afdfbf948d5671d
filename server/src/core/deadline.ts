/**
 * A time budget for one analysis. Analysis is synchronous, so it cannot be interrupted: the
 * pipeline and the rule runners ask `expired()` between steps and stop there, and the caller
 * reports what was found plus one finding that says the analysis was cut short (analyze.ts).
 * Once expired it stays expired, so every later step, whichever phase it is in, stops at once.
 */
export class Deadline {
  private readonly at: number;
  /** The step that was skipped first, once the budget ran out. */
  cutAt: string | undefined;

  /** `now` is injectable so tests can run out of time without waiting for it. */
  constructor(readonly budgetMs: number, private readonly now: () => number = () => performance.now()) {
    this.at = now() + budgetMs;
  }

  /** True once the budget is spent; records `step` (built only then) as where the analysis stopped. */
  expired(step: string | (() => string)): boolean {
    if (this.cutAt !== undefined) return true;
    if (this.now() < this.at) return false;
    this.cutAt = typeof step === 'string' ? step : step();
    return true;
  }

  /**
   * For a step that cannot stop midway (a library call): true, and the analysis stops before
   * `step` as if the budget had run out, when `estimateMs` of work does not fit in what is left.
   */
  wontFit(estimateMs: number, step: string): boolean {
    if (this.cutAt !== undefined) return true;
    if (this.now() + estimateMs < this.at) return false;
    this.cutAt = step;
    return true;
  }
}

/**
 * Units of work (characters read, ids or entries visited) between two reads of the clock in a
 * loop over the text: at ~10 ns a unit, the budget is overrun by well under a millisecond.
 */
export const CHECK_EVERY = 1 << 16;

/**
 * For a loop that reads a text (or a long list) from start to end: `spent(at)`, with `at` the
 * units read so far, asks the deadline only every CHECK_EVERY units (and on the first call, so a
 * loop started after the budget ran out stops at once); `step(at)`, built only when the budget
 * is spent, says what is not read. Without a deadline it is always false.
 */
export function pacer(deadline: Deadline | undefined, step: (at: number) => string, every = CHECK_EVERY): (at: number) => boolean {
  if (!deadline) return () => false;
  let next = -Infinity;
  return (at) => {
    if (deadline.cutAt !== undefined) return true;
    if (at < next) return false;
    next = at + every;
    return deadline.expired(() => step(at));
  };
}
