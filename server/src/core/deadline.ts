/**
 * A time budget for one analysis. Analysis is synchronous, so it cannot be interrupted: the
 * pipeline and the rule runners ask `expired()` between steps and stop there, and the caller
 * reports what was found plus one finding that says the analysis was cut short (analyze.ts).
 */
export class Deadline {
  private readonly at: number;
  /** The step that was skipped first, once the budget ran out. */
  cutAt: string | undefined;

  /** `now` is injectable so tests can run out of time without waiting for it. */
  constructor(readonly budgetMs: number, private readonly now: () => number = () => performance.now()) {
    this.at = now() + budgetMs;
  }

  /** True once the budget is spent; records `step` as where the analysis stopped. */
  expired(step: string): boolean {
    if (this.cutAt !== undefined) return true;
    if (this.now() < this.at) return false;
    this.cutAt = step;
    return true;
  }
}
